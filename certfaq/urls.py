"""The whole site lives under SITE_URL's path (e.g. /resources/), as it did on WordPress."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

site_prefix = settings.SITE_PATH

# The search log and promotions moved from faqs to search_insights (issue 17): an
# editor's bookmark of the old admin lists still lands on them.
MOVED_ADMIN_LISTS = {
    "faqs/searchlog/": "admin:search_insights_searchlog_changelist",
    "faqs/searchpromotion/": "admin:search_insights_searchpromotion_changelist",
}

urlpatterns = [
    *(
        path(
            f"{site_prefix}admin/{old}",
            RedirectView.as_view(pattern_name=new, permanent=True, query_string=True),
        )
        for old, new in MOVED_ADMIN_LISTS.items()
    ),
    path(f"{site_prefix}admin/", include("accounts.urls")),  # "Lost your password?"
    path(f"{site_prefix}admin/", admin.site.urls),
    # The media library's files (media.views): MEDIA_URL, under the site's path.
    path(settings.MEDIA_URL.lstrip("/"), include("media.urls")),
    path(site_prefix, include("people.urls")),  # author/<slug>/: before the site pages' catch-all
    path(site_prefix, include("faqs.urls")),
]
if site_prefix:
    # A visitor who types the bare host lands on the site, not on a 404.
    urlpatterns.append(path("", RedirectView.as_view(url=f"/{site_prefix}", permanent=False)))

handler400 = "faqs.views.bad_request"
handler404 = "faqs.views.page_not_found"
handler500 = "faqs.views.server_error"
