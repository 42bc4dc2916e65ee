"""The site pages' sitemap, page-sitemap.xml as Yoast names it, beside faqs' own."""

from __future__ import annotations

from django.contrib.flatpages.models import FlatPage
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from faqs import sitemaps
from site_pages import pages


class SitePageSitemap(sitemaps.SiteUrlSitemap):
    """The public site pages. Flatpages keep no dates, so no lastmod (Yoast's has one)."""

    @cached_property
    def paginator(self) -> Paginator:
        """Counted once for the index (Django's makes a paginator, and counts, per use)."""
        return Paginator(self.items(), self.limit)

    def items(self):
        return pages.public_pages().only("url").order_by("url")

    def location(self, page: FlatPage) -> str:
        return pages.page_path(page)


def register() -> None:
    """Listed in sitemap_index.xml after the questions and categories, when not empty."""
    sitemaps.SITEMAPS.setdefault("page", SitePageSitemap)
