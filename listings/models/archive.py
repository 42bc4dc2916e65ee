"""ArchiveEntry: a question's place in one of the lists readers page through.

Every list of questions readers page through (the archive, each category — with or
without its subcategories —, each tag, the sitemap) is kept as numbered entries,
oldest first: position 1 is the oldest question, the newest has the archive's total.
Page N newest-first is then a range of positions, read through an index, at any
depth and any size of site; no OFFSET, no COUNT over the site.

Entries exist for published and scheduled questions, ordered by publication date.
A scheduled question not yet due is always newer than every public one, so the
public part of an archive is positions 1 … total − (entries dated in the future),
and a scheduled question joins it at its time with no write (see listings.archives).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast, Coalesce, Concat

from faqs.models.question import Question, not_yet_due_condition

ALL = "all"
SITEMAP = "sitemap"  # public questions search engines may index
CATEGORY = "cat:"  # + id: the questions filed directly under a category (WordPress's term count)
TREE = "tree:"  # + id: a category's archive page, its subcategories' questions included (as WordPress)
TAG = "tag:"  # + id
PERSON = "person:"  # + id: the questions a person wrote or reviewed (their author page)


def category_key(category_id: int) -> str:
    return f"{CATEGORY}{category_id}"


def tree_key(category_id: int) -> str:
    return f"{TREE}{category_id}"


def tag_key(tag_id: int) -> str:
    return f"{TAG}{tag_id}"


def person_key(person_id: int) -> str:
    return f"{PERSON}{person_id}"


class ArchiveEntryQuerySet(models.QuerySet):
    def in_archive(self, archive: str) -> ArchiveEntryQuerySet:
        return self.filter(archive=archive)

    def public_count(self, archive: str) -> int:
        """How many questions of the archive readers see, in one query of two index
        lookups: its total less the scheduled ones not yet due."""
        counts = ArchiveTotal.objects.filter(archive=archive)
        counts = counts.annotate(public=F("entries") - _not_yet_due_count(OuterRef("archive")))
        return counts.values_list("public", flat=True).first() or 0


def _not_yet_due_count(key) -> Coalesce:
    """A subquery: entries of the archive `key` (an expression) dated in the future."""
    future = (
        ArchiveEntry.objects.filter(not_yet_due_condition(), archive=key)
        .order_by()
        .values("archive")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(future, output_field=IntegerField()), Value(0))


def public_count_of(prefix: str) -> CombinedExpression:
    """A subquery expression: the public count of the archive `prefix` + the outer
    row's pk (categories annotated with the count of `cat:<id>`, say)."""
    key = Concat(Value(prefix), Cast(OuterRef("pk"), models.CharField()))
    total = ArchiveTotal.objects.filter(archive=key).values("entries")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0)) - _not_yet_due_count(key)


class ArchiveEntry(models.Model):
    archive = models.CharField(max_length=40, help_text="all, sitemap, cat:<id>, tree:<id> or tag:<id>.")
    position = models.PositiveIntegerField(default=0)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="archive_entries")
    published_at = models.DateTimeField()

    objects = ArchiveEntryQuerySet.as_manager()

    class Meta:
        db_table = "faqs_archiveentry"  # kept from when it was part of faqs
        indexes = [
            models.Index(fields=["archive", "position"], name="faq_archive_position_idx"),
            models.Index(fields=["archive", "published_at", "question"], name="faq_archive_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["archive", "question"], name="faq_archive_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.archive} #{self.position}"


class ArchiveTotal(models.Model):
    """How many entries an archive holds, so no page counts rows to know it."""

    archive = models.CharField(max_length=40, primary_key=True)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "faqs_archivetotal"  # kept from when it was part of faqs

    def __str__(self) -> str:
        return f"{self.archive}: {self.entries}"
