"""Content health: what needs an editor's hand, counted once per change of the site and
shown as the admin index's first panel, each count linking to the list that shows
those questions (the question list's "content health" filter, `HealthFilter`).

An editor sees the whole site; an author, who may act only on their own questions,
sees theirs. The question counts are kept as a fragment under the page cache's stamp
(any write makes them anew); the searches that found nothing are counted on each view
(searches do not renew the stamp)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils import timezone

from faqs import permissions
from faqs.models import Question
from faqs.models.question import due_condition, listed_condition
from http_cache import fragments
from links.graph import orphans
from links.models import InternalLink
from search_insights.analytics import period_start
from search_insights.models import SearchLog

LONGEST_DESCRIPTION = 158  # characters: the snippet meter's red line (faqs/admin/snippet.py)
SHORT_ANSWER_CHARS = 1500  # about 250 words: Yoast's textLength is red under 300 words
SOON = timedelta(days=7)

# The filter's choices: key → what its rows have.
CHOICES = {
    "missing_description": "No description at all",
    "long_description": f"Meta description over {LONGEST_DESCRIPTION} characters",
    "short_answer": "Public, answer under about 250 words",
    "unpublished_links": "Links to unpublished pages",
    "duplicate_title": "Same title as another",
    "duplicate_description": "Same meta description as another",
    "scheduled_soon": "Scheduled for the next 7 days",
}


def with_description_length(questions: QuerySet) -> QuerySet:
    return questions.annotate(description_length=Length("meta_description"))


def health_filter(questions: QuerySet, key: str) -> QuerySet:
    """The questions of `questions` the row `key` counts."""
    if key == "missing_description":
        return questions.filter(meta_description="", auto_description="")
    if key == "long_description":
        return with_description_length(questions).filter(description_length__gt=LONGEST_DESCRIPTION)
    if key == "short_answer":
        short = questions.annotate(text_length=Length("search_text")).filter(
            text_length__lt=SHORT_ANSWER_CHARS
        )
        return short.filter(pk__in=Question.objects.published().values("pk"))
    if key == "unpublished_links":
        return questions.filter(Exists(InternalLink.objects.to_unpublished().filter(source=OuterRef("pk"))))
    if key == "duplicate_title":
        return questions.annotate(key=Lower("title")).filter(key__in=_shared(Question.objects.all(), "title"))
    if key == "duplicate_description":
        shared = _shared(Question.objects.exclude(meta_description=""), "meta_description")
        return questions.annotate(key=Lower("meta_description")).filter(key__in=shared)
    if key == "scheduled_soon":
        return questions.upcoming(within=SOON)
    return questions


def _shared(questions: QuerySet, field: str) -> QuerySet:
    """The lower-cased values of `field` that more than one question has."""
    grouped = questions.annotate(key=Lower(field)).values("key").annotate(held=Count("pk")).filter(held__gt=1)
    return grouped.values("key")


class HealthFilter(admin.SimpleListFilter):
    """The question list's "content health" filter: the panel's links land on it."""

    title = "content health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return list(CHOICES.items())

    def queryset(self, request, queryset):
        return health_filter(queryset, self.value()) if self.value() in CHOICES else queryset


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    url: str
    note: str = ""


def scope_of(user) -> tuple[str, dict]:
    """("site", {}) for an editor; ("author-<id>", the list's filter) for an author."""
    if permissions.may_publish(user):
        return "site", {}
    return f"author-{user.pk}", {"author": user.pk}


def question_counts(author_id: int | None) -> dict:
    """Every question count of the panel, in a fixed number of queries: the review and
    schedule counts read the (status, published_at) index; the description and answer
    counts share one pass over the questions; the twins one pass each."""
    questions = Question.objects.all() if author_id is None else Question.objects.filter(author_id=author_id)
    pending = questions.filter(status=Question.Status.PENDING)
    figures = pending.aggregate(pending=Count("pk"), oldest_pending=Min("modified_at"))
    figures["scheduled_soon"] = health_filter(questions, "scheduled_soon").count()
    public = listed_condition() & due_condition()  # the one rule of who sees a question
    figures |= questions.annotate(
        description_length=Length("meta_description"), text_length=Length("search_text")
    ).aggregate(
        missing_description=Count("pk", filter=Q(meta_description="", auto_description="")),
        long_description=Count("pk", filter=Q(description_length__gt=LONGEST_DESCRIPTION)),
        short_answer=Count("pk", filter=public & Q(text_length__lt=SHORT_ANSWER_CHARS)),
    )
    for key in ("unpublished_links", "duplicate_title", "duplicate_description"):
        figures[key] = health_filter(questions, key).count()
    figures["broken_links"] = questions.filter(
        Exists(InternalLink.objects.broken().filter(source=OuterRef("pk")))
    ).count()
    figures["orphans"] = orphans(questions).count()
    return figures


def rows_for(user) -> list[Row]:
    scope, narrowing = scope_of(user)
    author_id = narrowing.get("author")
    counts = fragments.fragment(f"content-health:{scope}", lambda: question_counts(author_id))
    changelist = reverse("admin:faqs_question_changelist")

    def link(**parameters) -> str:
        return f"{changelist}?{urlencode({**parameters, **narrowing})}"

    oldest = counts["oldest_pending"]
    waiting = f"the oldest since {timezone.localtime(oldest):%b %-d}" if oldest else ""
    rows = [
        Row("Pending review", counts["pending"], link(visibility="pending"), waiting),
        Row("Scheduled for the next 7 days", counts["scheduled_soon"], link(health="scheduled_soon")),
        Row("With broken links", counts["broken_links"], link(links="broken"), "readers get a 404"),
        Row(
            "With links to unpublished pages", counts["unpublished_links"], link(health="unpublished_links")
        ),
        Row("Orphans", counts["orphans"], link(links="orphan"), "no public question links to them"),
        Row("No description at all", counts["missing_description"], link(health="missing_description")),
        Row(
            f"Meta description over {LONGEST_DESCRIPTION} characters",
            counts["long_description"],
            link(health="long_description"),
            "search results cut it",
        ),  # fmt: skip
        Row(
            "Thin answers",
            counts["short_answer"],
            link(health="short_answer"),
            "public, under about 250 words",
        ),
        Row("Duplicate titles", counts["duplicate_title"], link(health="duplicate_title")),
        Row(
            "Duplicate meta descriptions",
            counts["duplicate_description"],
            link(health="duplicate_description"),
        ),
    ]
    if user.has_perm("search_insights.view_searchlog"):
        rows.append(_searches_that_found_nothing())
    return rows


def _searches_that_found_nothing() -> Row:
    start = period_start(7)
    found_nothing = (
        SearchLog.objects.filter(day__gte=start, result_count=0).values("query").distinct().count()
    )
    report = reverse("admin:search_insights_searchlog_changelist")
    return Row(
        "Searches that found nothing this week", found_nothing, f"{report}?period=7", "what to write next"
    )
