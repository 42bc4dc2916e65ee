"""Yoast-style sitemaps at the old site's URLs: sitemap_index.xml, faq-sitemap.xml and
faq-categories-sitemap.xml. Addresses come from SITE_URL, never from the Host header
or the sites framework's domain."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.functional import cached_property

from faqs import site
from faqs.models import Category, Question
from listings.archives import ArchivePaginator
from listings.models.archive import SITEMAP

LASTMOD_WINDOW = 50


class SiteUrlSitemap(Sitemap):
    """A sitemap whose absolute URLs are built on SITE_URL."""

    limit = 1000

    def get_protocol(self, protocol=None) -> str:
        return site.scheme()

    def get_domain(self, site_=None) -> str:
        return site.domain()


class QuestionSitemap(SiteUrlSitemap):
    """Every public question that search engines may index, oldest first: a page is
    a range of the sitemap archive's positions, so page 50 costs what page 1 does,
    and only the slug and the date are read."""

    @cached_property
    def paginator(self) -> ArchivePaginator:
        questions = Question.objects.only("slug", "modified_at")
        return ArchivePaginator(SITEMAP, self.limit, questions, newest_first=False)

    def items(self):
        return Question.objects.in_sitemap()

    def lastmod(self, question: Question):
        return question.modified_at

    def get_latest_lastmod(self):
        """The newest change of a listed question. Read down the modified_at index with
        no other condition (a filter would make the database sort the whole table),
        checking the newest rows in Python; the full query only when none of them is."""
        newest = Question.objects.order_by("-modified_at")[:LASTMOD_WINDOW]
        for question in newest.only("modified_at", "status", "published_at", "noindex", "canonical_url"):
            if question.is_in_sitemap():
                return question.modified_at
        return self.items().order_by("-modified_at").values_list("modified_at", flat=True).first()


class CategorySitemap(SiteUrlSitemap):
    """Category archives with at least one public question, as Yoast lists terms;
    their dates are kept by the save path (Category.last_modified)."""

    def items(self):
        return Category.objects.with_question_counts().filter(question_count__gt=0).order_by("pk")

    def lastmod(self, category: Category):
        return category.last_modified

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("last_modified"))["latest"]


SITEMAPS = {"faq": QuestionSitemap, "faq-categories": CategorySitemap}  # site_pages adds "page"
ALWAYS_LISTED = frozenset(SITEMAPS)  # as before: the others only once they list something


def index_entries() -> tuple[list[SitemapIndexItem], datetime | None]:
    """The index's entries, one per page of each sitemap, on SITE_URL (Django's own
    index view would take the domain from the sites framework), and the newest of
    their dates (the index's Last-Modified). There is an entry per 1,000 questions,
    so the date each section's entries share is formatted once."""
    entries = []
    dates = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        if section not in ALWAYS_LISTED and sitemap.paginator.count == 0:
            continue  # Yoast lists no sitemap of a post type with nothing published
        location = site.absolute_url(reverse("faqs:sitemap", kwargs={"section": section}))
        newest = sitemap.get_latest_lastmod()
        dates += [newest] if newest else []
        last_modified = dateformat.format(timezone.localtime(newest), "c") if newest else None
        entries.append(SitemapIndexItem(location, last_modified))
        entries += [SitemapIndexItem(f"{location}?p={page}", last_modified)
                    for page in range(2, sitemap.paginator.num_pages + 1)]  # fmt: skip
    return entries, max(dates, default=None)
