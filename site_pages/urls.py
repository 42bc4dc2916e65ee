"""Site pages at their flatpage urls under SITE_URL's path, included last by faqs.urls:
every other address of the site is matched first. Only addresses ending in a slash (as
the form requires), so Django's APPEND_SLASH still sends `faq/slug` to `faq/slug/`."""

from django.urls import re_path

from site_pages import views

urlpatterns = [
    # The characters flatpages' form allows in a url, one or more segments.
    re_path(r"^(?P<url>(?:[-\w.~]+/)+)$", views.site_page, name="site_page"),
]
