"""Site search: `?s=term` on the home path, as WordPress does it.

Relevance is simple and predictable: questions whose title holds every word come
before questions where only the answer does; newer first within each group.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from faqs import content

MAX_QUERY_CHARS = 200
MAX_TERMS = 10


def normalise_query(raw: str) -> str:
    """The query as the page shows it: printable, single-spaced, of bounded length."""
    return " ".join(content.printable(raw or "").split())[:MAX_QUERY_CHARS]


def search_terms(query: str) -> list[str]:
    seen: list[str] = []
    for word in query.split():
        if word.lower() not in (term.lower() for term in seen):
            seen.append(word)
    return seen[:MAX_TERMS]


def search_questions(questions: QuerySet, query: str) -> QuerySet:
    """Questions matching every word of the query, title matches first."""
    terms = search_terms(query)
    if not terms:
        return questions.none()
    in_title = Q()
    in_text = Q()
    for term in terms:
        in_title &= Q(title__icontains=term)
        in_text &= Q(title__icontains=term) | Q(search_text__icontains=term)
    return (
        questions.filter(in_text)
        .annotate(
            relevance=Case(When(in_title, then=Value(2)), default=Value(1), output_field=IntegerField())
        )
        .order_by("-relevance", "-published_at", "-pk")
    )
