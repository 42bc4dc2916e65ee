"""Content health: what needs an editor's hand, counted once per change of the site and
shown as the admin index's first panel, each count linking to the list that shows
those questions (the question list's "content health" filter, `HealthFilter`).

An editor sees the whole site; an author, who may act only on their own questions,
sees theirs. The description, length and twin counts read the facts stored per
question on save (dashboard.facts, the QuestionHealth table), not the answers; the
question counts are kept as a fragment under the page cache's stamp (any write makes
them anew); the searches that found nothing are counted on each view (searches do not
renew the stamp)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from analysis.models import QuestionAnalysis
from dashboard import facts
from dashboard.models import QuestionHealth
from drafts.changes import with_draft_marks
from drafts.models import PendingChange
from faqs import permissions
from faqs.models import Question
from http_cache import fragments
from links.graph import orphans
from links.models import InternalLink
from search_insights.analytics import period_start
from search_insights.models import SearchLog

LONGEST_DESCRIPTION = facts.LONGEST_DESCRIPTION
SHORT_ANSWER_WORDS = 250  # thin: Yoast's text length check asks a post for 300 words or more
SOON = timedelta(days=7)

# The filter's choices: key → what its rows have.
CHOICES = {
    "missing_description": "No description at all",
    "long_description": f"Meta description over {LONGEST_DESCRIPTION} characters",
    "short_answer": f"Public, answer under {SHORT_ANSWER_WORDS} words",
    "unpublished_links": "Links to unpublished pages",
    "duplicate_title": "Same title as another",
    "duplicate_description": "Same meta description as another",
    "scheduled_soon": "Scheduled for the next 7 days",
    "draft_changes": "With draft changes (not live)",
    "seo_bad": "SEO analysis: needs improvement",
    "readability_bad": "Readability: needs improvement",
}
Description = QuestionHealth.Description


def health_filter(questions: QuerySet, key: str) -> QuerySet:
    """The questions of `questions` the row `key` counts."""
    if key == "missing_description":
        return questions.filter(health__description=Description.MISSING)
    if key == "long_description":
        return questions.filter(health__description=Description.LONG)
    if key == "short_answer":
        return questions.published().filter(health__answer_words__lt=SHORT_ANSWER_WORDS)
    if key == "unpublished_links":
        return questions.filter(Exists(InternalLink.objects.to_unpublished().filter(source=OuterRef("pk"))))
    if key == "duplicate_title":
        return questions.filter(health__title_key__in=_shared("title_key"))
    if key == "duplicate_description":
        return questions.filter(health__description_key__in=_shared("description_key"))
    if key == "scheduled_soon":
        return questions.upcoming(within=SOON)
    if key == "seo_bad":
        return questions.filter(analysis__seo=QuestionAnalysis.Rating.BAD)
    if key == "readability_bad":
        return questions.filter(analysis__readability=QuestionAnalysis.Rating.BAD)
    if key == "draft_changes":
        return with_draft_marks(questions).filter(has_draft_changes=True)
    return questions


def _shared(field: str) -> QuerySet:
    """The digests of `field` that more than one question has (an empty one is none)."""
    held = QuestionHealth.objects.exclude(**{field: ""}).values(field).annotate(held=Count("pk"))
    return held.filter(held__gt=1).values(field)


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
    schedule counts read the (status, published_at) index, the descriptions one pass
    over the stored facts, the rest one query each."""
    questions = Question.objects.all() if author_id is None else Question.objects.filter(author_id=author_id)
    pending = questions.filter(status=Question.Status.PENDING)
    figures = pending.aggregate(pending=Count("pk"), oldest_pending=Min("modified_at"))
    stored = (
        QuestionHealth.objects.all()
        if author_id is None
        else QuestionHealth.objects.filter(question__author_id=author_id)
    )
    figures |= stored.aggregate(
        missing_description=Count("pk", filter=Q(description=Description.MISSING)),
        long_description=Count("pk", filter=Q(description=Description.LONG)),
    )
    analysed = (
        QuestionAnalysis.objects.all()
        if author_id is None
        else QuestionAnalysis.objects.filter(question__author_id=author_id)
    )
    figures |= analysed.aggregate(
        seo_bad=Count("pk", filter=Q(seo=QuestionAnalysis.Rating.BAD)),
        readability_bad=Count("pk", filter=Q(readability=QuestionAnalysis.Rating.BAD)),
        no_keyphrase=Count("pk", filter=Q(keyphrase="")),
    )
    for key in ("scheduled_soon", "short_answer", "duplicate_title", "duplicate_description"):
        figures[key] = health_filter(questions, key).count()
    # Counted from the links' side: a pass over the questions' rows reads whole answers.
    links = InternalLink.objects.all()
    if author_id is not None:
        links = links.filter(source__author_id=author_id)
    figures["broken_links"] = links.broken().values("source").distinct().count()
    figures["unpublished_links"] = links.to_unpublished().values("source").distinct().count()
    figures["orphans"] = orphans(questions).count()
    return figures


def rows_for(user) -> list[Row]:
    scope, narrowing = scope_of(user)
    author_id = narrowing.get("author")
    # Kept for the day as well as under the stamp: "the next 7 days" moves with the date.
    key = f"content-health:{scope}:{timezone.localdate().isoformat()}"
    counts = fragments.fragment(key, lambda: question_counts(author_id))
    changelist = reverse("admin:faqs_question_changelist")

    def link(**parameters) -> str:
        return f"{changelist}?{urlencode({**parameters, **narrowing})}"

    oldest = counts["oldest_pending"]
    waiting = f"the oldest since {timezone.localtime(oldest):%b %-d}" if oldest else ""
    rows = [
        Row("Pending review", counts["pending"], link(visibility="pending"), waiting),
        Row("Scheduled for the next 7 days", counts["scheduled_soon"], link(health="scheduled_soon")),
        Row(
            "SEO needs improvement",
            counts["seo_bad"],
            link(health="seo_bad"),
            f"{counts['no_keyphrase']:,} without a focus keyphrase",
        ),
        Row(
            "Readability needs improvement",
            counts["readability_bad"],
            link(health="readability_bad"),
            "red in the content analysis",
        ),
        Row("With broken links", counts["broken_links"], link(links="broken"), "readers get a 404"),
        Row("With links to unpublished pages", counts["unpublished_links"], link(health="unpublished_links")),
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
            f"public, under {SHORT_ANSWER_WORDS} words",
        ),
        Row("Duplicate titles", counts["duplicate_title"], link(health="duplicate_title")),
        Row(
            "Duplicate meta descriptions",
            counts["duplicate_description"],
            link(health="duplicate_description"),
        ),
    ]
    rows.insert(2, _draft_changes(author_id, link(health="draft_changes")))
    if user.has_perm("search_insights.view_searchlog"):
        rows.append(_searches_that_found_nothing())
    return rows


def _draft_changes(author_id: int | None, url: str) -> Row:
    """Counted on each view (one query): saving a draft changes nothing readers see,
    so it does not renew the stamp the other counts are kept under."""
    waiting = PendingChange.objects.all()
    if author_id is not None:
        waiting = waiting.filter(question__author_id=author_id)
    figures = waiting.aggregate(count=Count("pk"), oldest=Min("saved_at"), next_live=Min("go_live_at"))
    note = ""
    if figures["next_live"]:
        note = f"the next goes live {timezone.localtime(figures['next_live']):%b %-d, %H:%M}"
    elif figures["oldest"]:
        note = f"the oldest saved {timezone.localtime(figures['oldest']):%b %-d}"
    return Row("Draft changes waiting", figures["count"], url, note)


def _searches_that_found_nothing() -> Row:
    start = period_start(7)
    found_nothing = (
        SearchLog.objects.filter(day__gte=start, result_count=0).values("query").distinct().count()
    )
    report = reverse("admin:search_insights_searchlog_changelist")
    return Row(
        "Searches that found nothing this week", found_nothing, f"{report}?period=7", "what to write next"
    )
