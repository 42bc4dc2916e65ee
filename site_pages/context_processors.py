from django.utils.functional import SimpleLazyObject

from http_cache import fragments
from site_pages import pages


def footer(request) -> dict:
    """The footer's links to the site pages (FOOTER_PAGES), read when a template shows
    them (the admin's never do) and then from the fragment `footer-pages`: one query a
    change of the site, not one a page."""
    return {"footer_pages": SimpleLazyObject(lambda: fragments.fragment("footer-pages", pages.footer_links))}
