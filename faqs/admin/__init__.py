"""The editors' admin for questions, categories and tags; what is wrong shows before
readers see it. One module per model admin; the question's form in forms.py. The
other apps register their own (links: redirects; search_insights: search terms)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sites.models import Site

from faqs.admin import categories, questions, terms  # noqa: F401  (they register)

# Editors never need the sites framework (one site, SITE_ID 1); redirects keep using it.
admin.site.unregister(Site)
admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Questions, categories and redirects"
