"""A site page at its address: read once while the site is unchanged (a fragment),
rendered on base.html with the site's head, like every public page."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.views import redirect_to_login
from django.contrib.flatpages.models import FlatPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from faqs import seo
from faqs.views import slug_key
from http_cache import fragments
from site_pages import pages

TEMPLATE = "flatpages/default.html"


# What the fragment holds for a page that asks for a sign-in: nothing of it is kept.
SIGN_IN_REQUIRED = "sign-in required"


@require_safe
def site_page(request: HttpRequest, url: str) -> HttpResponse:
    """The page whose flatpage url is "/" + `url`; 404 when there is none, so an old
    WordPress address still finds its redirect (links.middleware). Every address ending
    in a slash that the site does not take comes here: one not among the pages' urls
    is answered at once, with no query and nothing kept for it."""
    if f"/{url}" not in fragments.fragment("site-page-urls", pages.site_page_urls):
        raise Http404("No such page")
    parts = fragments.fragment(f"site-page:{slug_key(url)}", partial(public_page_parts, f"/{url}"))
    if parts is None:
        raise Http404("No such page")
    if parts != SIGN_IN_REQUIRED:
        return render(request, TEMPLATE, parts)
    # For signed-in readers only, as flatpages' own view serves it; never kept.
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    page = pages.of_this_site().filter(url=f"/{url}").first()
    if page is None:  # gone since the fragment was read
        raise Http404("No such page")
    response = render(request, TEMPLATE, page_parts(page))
    patch_cache_control(response, private=True, no_store=True)
    return response


def public_page_parts(url: str) -> dict | str | None:
    """What the page at `url` shows, the same for every reader; SIGN_IN_REQUIRED for a
    page only signed-in readers see, None when this site has no page at `url`."""
    page = pages.of_this_site().filter(url=url).first()
    if page is None:
        return None
    if not pages.is_public(page):
        return SIGN_IN_REQUIRED
    return page_parts(page)


def page_parts(page: FlatPage) -> dict:
    content_html = pages.shown_html(page)
    page_info = seo.site_page(page.title, pages.page_path(page), content_html)
    return {
        "title": page.title,
        "content_html": content_html,
        "head_html": seo.head_tags(seo.build_head(page_info)),
        "crumbs": page_info.crumbs,
    }
