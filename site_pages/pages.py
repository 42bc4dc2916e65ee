"""Site pages are Django's flatpages (`django.contrib.flatpages.models.FlatPage`): a
page is public when it belongs to this site and asks for no sign-in. Its `url` is kept
as Django expects ("/about/") and served under SITE_URL's path ("/resources/about/"),
where the old WordPress site had its pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db.models import QuerySet
from django.urls import reverse

from faqs import content


def of_this_site() -> QuerySet[FlatPage]:
    return FlatPage.objects.filter(sites=settings.SITE_ID)


def site_page_urls() -> frozenset[str]:
    """The urls of this site's pages, public or not ("/about/"): one query, kept as a
    fragment, so an address that is no page is refused without asking the database."""
    return frozenset(of_this_site().values_list("url", flat=True))


def public_pages() -> QuerySet[FlatPage]:
    """The pages every reader may see (a page that asks for a sign-in is for staff)."""
    return of_this_site().filter(registration_required=False)


def is_public(page: FlatPage) -> bool:
    return not page.registration_required


def page_path(page: FlatPage) -> str:
    """The page's address under SITE_URL's path (FlatPage.get_absolute_url() knows only
    the script prefix, and flatpages' own view, which this site does not route to)."""
    return path_of(page.url)


def path_of(url: str) -> str:
    """The address under SITE_URL's path of a page whose flatpage url is `url`
    (NoReverseMatch for a url the site's route cannot serve, e.g. "/a//b/")."""
    return reverse("faqs:site_page", kwargs={"url": url.lstrip("/")})


def shown_html(page: FlatPage) -> str:
    """The page's content as readers get it: through the one allow-list, whoever wrote
    it (the admin's form cleans it on save; a shell or a fixture may not have)."""
    return content.sanitize(page.content)


def footer_links() -> list[dict[str, str]]:
    """The footer's links: the public pages named by FOOTER_PAGES that exist, in that
    order, each titled by its page. One query; kept as a fragment by the footer."""
    wanted = list(settings.FOOTER_PAGES)
    if not wanted:
        return []
    found = {page.url: page for page in public_pages().filter(url__in=wanted).only("url", "title")}
    return [{"title": found[url].title, "url": page_path(found[url])} for url in wanted if url in found]


def add_missing_pages(entries: list[dict]) -> int:
    """Create the pages of `entries` ({"url", "title", "content"}) not yet on this site,
    for the demo; returns how many were added. An existing page is left as it is."""
    existing = set(of_this_site().values_list("url", flat=True))
    added = 0
    for entry in entries:
        if entry["url"] in existing:
            continue
        page = FlatPage.objects.create(
            url=entry["url"], title=entry["title"], content=content.sanitize(entry["content"])
        )
        page.sites.add(settings.SITE_ID)
        added += 1
    return added
