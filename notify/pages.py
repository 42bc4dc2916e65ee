"""Which public pages a write changes, as root-relative paths (reverse()'s, or
faqs.site.slug_path()'s for an address with a slug: the one place each URL is built).
A question's own address for search engines; for a CDN, also the pages that list or
name it: the first page of each of its lists (its categories and the categories above
them, its tags, its author's and reviewer's pages), the home page, the archive, the
feed, the sitemaps and the API's list. Further pages of a list (page/2/…) are left to
age out (CACHE_S_MAXAGE): which of them a write shifts depends on every question
after it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, CharField, Value
from django.urls import reverse
from taggit.models import Tag

from faqs.models import Category
from faqs.site import slug_path
from faqs.sitemaps import SITEMAPS
from links.resolve import slug_of_path
from people.models import Person


def site_wide_paths() -> list[str]:
    """The pages any public question's change shows on: the home page (latest
    questions, counts), the archive, the feed, the sitemaps and wp-json's list."""
    return [
        reverse("faqs:home"),
        reverse("faqs:archive"),
        reverse("faqs:feed"),
        reverse("faqs:sitemap_index"),
        *(reverse("faqs:sitemap", kwargs={"section": section}) for section in SITEMAPS),
        reverse("faqs:wp_faq_collection"),
        reverse("faqs:llms_txt"),  # its categories' newest questions (machine_copies)
    ]


def copies_of(paths: Iterable[str]) -> set[str]:
    """The Markdown copy (faq/<slug>.md, machine_copies) of each question address in
    `paths`; other addresses have none."""
    slugs = (slug_of_path(path) for path in paths)
    return {reverse("faqs:question_markdown", kwargs={"slug": slug}) for slug in slugs if slug}


def api_item_path(question_id: int) -> str:
    """A question's wp-json item (wp/v2/faq/<id>), which a CDN keeps as it keeps pages."""
    return reverse("faqs:wp_faq_item", kwargs={"question_id": question_id})


@dataclass
class Terms:
    """The category, tag and person ids whose pages list some questions."""

    categories: set[int] = field(default_factory=set)
    tags: set[int] = field(default_factory=set)
    people: set[int] = field(default_factory=set)

    def add(self, categories: Iterable[int], tags: Iterable[int], people: Iterable[int | None]) -> None:
        self.categories.update(categories)
        self.tags.update(tags)
        self.people.update(pk for pk in people if pk)

    def __len__(self) -> int:
        return len(self.categories) + len(self.tags) + len(self.people)


def listing_paths(terms: Terms) -> set[str]:
    """The first page of each list of `terms`, a category's ancestors' included (a
    category page lists its subcategories' questions); one query, none for no terms."""
    if not len(terms):
        return set()
    tree, tags, people = _slugs(terms)
    paths = {slug_path("faqs:tag", slug) for slug in tags}
    paths |= {slug_path("people:author", slug) for slug in people}
    for category_id in terms.categories:
        for slug in _with_ancestors(category_id, tree):
            paths.add(slug_path("faqs:category", slug))
    return paths


def _slugs(terms: Terms) -> tuple[dict[int, tuple[str, int | None]], list[str], list[str]]:
    """Every category's slug and parent (the taxonomy is small: its tree, for the
    ancestors), and the slugs of the tags and people named: one query (UNION ALL)."""
    kind = CharField()
    no_parent = Value(None, output_field=BigIntegerField())
    rows = Category.objects.order_by().values_list(
        Value("category", output_field=kind), "pk", "slug", "parent_id"
    )
    if not terms.categories:
        rows = rows.none()
    parts = []
    if terms.tags:
        tags = Tag.objects.filter(pk__in=sorted(terms.tags)).order_by()
        parts.append(tags.values_list(Value("tag", output_field=kind), "pk", "slug", no_parent))
    if terms.people:
        people = Person.objects.filter(pk__in=sorted(terms.people)).order_by()
        parts.append(people.values_list(Value("person", output_field=kind), "pk", "slug", no_parent))
    if parts:
        rows = rows.union(*parts, all=True)
    tree: dict[int, tuple[str, int | None]] = {}
    tags_found, people_found = [], []
    for row_kind, pk, slug, parent_id in rows:
        if row_kind == "category":
            tree[pk] = (slug, parent_id)
        else:
            (tags_found if row_kind == "tag" else people_found).append(slug)
    return tree, tags_found, people_found


def _with_ancestors(category_id: int, tree: dict[int, tuple[str, int | None]]) -> list[str]:
    """The category's slug and its parents', stopping at a loop should one exist."""
    slugs, seen, current = [], set(), category_id
    while current in tree and current not in seen:
        seen.add(current)
        slug, current = tree[current]
        slugs.append(slug)
    return slugs
