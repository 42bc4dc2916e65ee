"""Site search: one engine behind every search box (the `?s=` results page, wp-json's
`search=`, instant search, the editor's link picker, the twin-title check).

The interface other modules use is here; how questions are indexed and ranked lives in
the modules beside it. (Interface first: the engine behind it is being rebuilt.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from faqs import content

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
SUGGESTIONS_SHOWN = 8


def normalise_query(raw: str) -> str:
    """The query as the page shows it: printable, single-spaced, of bounded length."""
    return " ".join(content.printable(raw or "").split())[:MAX_QUERY_CHARS]


def logged_form(query: str) -> str:
    """The query as analytics and promotions key it: normalised and lower-cased, so
    `CMA  Retake` and `cma retake` count as one."""
    return normalise_query(query).lower()


@dataclass(frozen=True)
class Hit:
    """One result: the question (card fields loaded), the passage of its answer that
    matched with the query's words in <mark> (escaped), and whether an editor pinned it."""

    question: object
    passage: SafeString
    promoted: bool = False


@dataclass(frozen=True)
class Results:
    """One page of results and what the page says about them."""

    query: str
    hits: list[Hit]
    count: int  # matches, up to MAX_RESULTS
    capped: bool = False  # more matched than `count`
    corrected: str = ""  # no result for `query`: these are the results for this spelling
    suggestion: str = ""  # results shown, but this spelling finds more ("Did you mean")
    some_words: bool = False  # nothing had every word: these have most of them
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    """An instant-search entry."""

    question_id: int
    title: str
    url: str


def _terms(query: str) -> list[str]:
    seen: list[str] = []
    for word in query.split():
        if word.lower() not in (term.lower() for term in seen):
            seen.append(word)
    return seen[:MAX_TERMS]


def _matching(questions: QuerySet, query: str) -> QuerySet:
    terms = _terms(query)
    if not terms:
        return questions.none()
    in_title, in_text = Q(), Q()
    for term in terms:
        in_title &= Q(title__icontains=term)
        in_text &= Q(title__icontains=term) | Q(search_text__icontains=term)
    relevance = Case(When(in_title, then=Value(2)), default=Value(1), output_field=IntegerField())
    return questions.filter(in_text).annotate(relevance=relevance).order_by("-relevance", "-published_at", "-pk")


def search(query: str, *, page: int = 1, per_page: int = 20) -> Results:
    """One page of the public questions matching `query`, most relevant first."""
    from faqs.models import Question

    query = normalise_query(query)
    matches = _matching(Question.objects.published(), query)
    count = matches.count()
    start = (page - 1) * per_page
    hits = [Hit(q, mark_safe(escape(q.summary))) for q in matches[start : start + per_page]]
    return Results(query=query, hits=hits, count=count)


def matching_questions(questions: QuerySet, query: str) -> QuerySet:
    """`questions` narrowed to those matching `query`, most relevant first (wp-json)."""
    return _matching(questions, normalise_query(query))


def suggest(query: str, limit: int = SUGGESTIONS_SHOWN) -> list[Suggestion]:
    """Instant search: public questions whose title (or category and tag names) holds
    every word, the last one as a prefix, best first."""
    from faqs.models import Question

    rows = Question.objects.published()
    for word in _terms(normalise_query(query)):
        rows = rows.filter(title__icontains=word)
    return [Suggestion(q.pk, q.title, q.get_absolute_url()) for q in rows.order_by("-published_at")[:limit]]


def title_matches(text: str, *, limit: int = 10, exclude_id: int | None = None) -> list:
    """Public questions whose titles hold the words of `text` (link picker, twin titles)."""
    from faqs.models import Question

    rows = Question.objects.published().exclude(pk=exclude_id)
    for word in _terms(normalise_query(text)):
        rows = rows.filter(title__icontains=word)
    return list(rows.order_by("-published_at")[:limit])


def matches_among(query: str, question_ids: list[int]) -> set[int]:
    """Which of these questions `query` finds (replaying zero-result queries on publish)."""
    from faqs.models import Question

    return set(_matching(Question.objects.filter(pk__in=question_ids), normalise_query(query)).values_list("pk", flat=True))
