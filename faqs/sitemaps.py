"""Yoast-style sitemaps at the old site's URLs: sitemap_index.xml, faq-sitemap.xml and
faq-categories-sitemap.xml. Addresses come from SITE_URL, never from the Host header
or the sites framework's domain."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.urls import reverse

from faqs.models import Category, Question
from faqs.site import absolute_url


class SiteUrlSitemap(Sitemap):
    """A sitemap whose absolute URLs are built on SITE_URL."""

    limit = 1000

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class QuestionSitemap(SiteUrlSitemap):
    """Every public question that search engines may index."""

    def items(self):
        return Question.objects.published().filter(noindex=False, canonical_url="").order_by("pk")

    def lastmod(self, question: Question):
        return question.modified_at

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default: calling lastmod() on every row.
        return self.items().aggregate(latest=Max("modified_at"))["latest"]


class CategorySitemap(SiteUrlSitemap):
    """Category archives with at least one public question, as Yoast lists terms."""

    def items(self):
        public = Question.objects.published()
        return (
            Category.objects.filter(questions__in=public)
            .annotate(last_modified=Max("questions__modified_at"))
            .order_by("pk")
        )

    def lastmod(self, category: Category):
        return category.last_modified

    def get_latest_lastmod(self):
        return (
            Question.objects.published()
            .filter(categories__isnull=False)
            .aggregate(latest=Max("modified_at"))["latest"]
        )


SITEMAPS = {"faq": QuestionSitemap, "faq-categories": CategorySitemap}


def index_entries() -> list[SitemapIndexItem]:
    """The index's entries, one per page of each sitemap, on SITE_URL (Django's own
    index view would take the domain from the sites framework)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("faqs:sitemap", kwargs={"section": section}))
        last_modified = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, last_modified))
        entries += [SitemapIndexItem(f"{location}?p={page}", last_modified)
                    for page in range(2, sitemap.paginator.num_pages + 1)]  # fmt: skip
    return entries
