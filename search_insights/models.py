"""What readers search for, as editors need it to decide what to write: how often each
query was searched a day, what it found and whether a result was opened
(`SearchLog`), and the questions editors pin first for a query (`SearchPromotion`).

Queries are keyed in `search.logged_form()` (single-spaced, lower case); the
writers (search_insights.analytics, the promotion form) normalise them, since a model may
not import the search package that reads it. Nothing about the reader is kept: no IP
address, cookie, session or user, only the words and the day.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from faqs.models.question import Question

# As search.MAX_QUERY_CHARS (tests/search_insights/test_search_analytics.py holds them equal).
QUERY_MAX_LENGTH = 200


class SearchLogManager(models.Manager):
    """Reads the log with every search counted so far: the searches still waiting in
    the buffer are written first (`before_read`, search_insights.analytics.write_waiting,
    set when the app is ready: a model may not import the search package)."""

    before_read: Callable[[], object] | None = None

    def get_queryset(self) -> models.QuerySet:
        if self.before_read is not None:
            self.before_read()
        return super().get_queryset()


class SearchLog(models.Model):
    """One query on one day. `result_count` is what its last search that day found;
    `answered_by` is set on a query that found nothing once a question published
    later finds it (search_insights.analytics.mark_answered)."""

    query = models.CharField(max_length=QUERY_MAX_LENGTH)
    day = models.DateField()
    searches = models.PositiveIntegerField(default=1)
    result_count = models.PositiveIntegerField("results", default=0)
    opened = models.PositiveIntegerField(default=0, help_text="Clicks on one of its results.")
    answered_by = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="answered_searches"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = SearchLogManager()

    class Meta:
        db_table = "faqs_searchlog"  # kept from when it was part of faqs
        verbose_name = "search term"
        verbose_name_plural = "search terms"
        constraints = [models.UniqueConstraint(fields=["query", "day"], name="faq_search_log_once_a_day")]
        indexes = [
            # The reports read a period (day range) grouped by query; pruning deletes by day.
            models.Index(fields=["day", "query"], name="faq_search_log_day_idx"),
            # The zero-result queries still waiting for an answer, newest first (replayed on publish).
            models.Index(
                fields=["-day"],
                condition=models.Q(result_count=0, answered_by=None),
                name="faq_search_log_unanswered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.query} ({self.day})"


class SearchPromotion(models.Model):
    """A question an editor pins at the top of the results for a query, as Wagtail's
    search promotions (“editor's picks”) do."""

    query = models.CharField(
        "search term",
        max_length=QUERY_MAX_LENGTH,
        help_text="The words readers type in the search box. Capitals and extra spaces do not "
        "matter: “CMA  Retake” and “cma retake” are the same search.",
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="search_promotions",
        help_text="Shown first for this search while it is published.",
    )
    sort_order = models.PositiveSmallIntegerField(
        "order",
        default=0,
        help_text="When several questions are promoted for one search, lower numbers come first.",
    )

    class Meta:
        db_table = "faqs_searchpromotion"  # kept from when it was part of faqs
        verbose_name = "promoted search result"
        verbose_name_plural = "promoted search results"
        ordering = ["query", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["query", "question"],
                name="faq_search_promotion_once",
                violation_error_message="This question is already promoted for this search.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.query}: {self.question}"
