"""Promoted results: the questions editors pin first for a query, as Wagtail's search
promotions do. Stored in `SearchPromotion`, keyed by the query's logged form."""

from __future__ import annotations

from django.utils import timezone

from faqs.models import Question, SearchPromotion
from faqs.search.query import logged_form


def promoted_ids(query: str) -> list[int]:
    """The public questions promoted for `query`, in the editors' order (a draft or a
    question not yet due is left out until readers may see it). One query."""
    logged = logged_form(query)
    if not logged:
        return []
    # A join on the promoted rows, not `question__in=published()`: that subquery is
    # every public question, which SQLite would read whole at 100,000 of them.
    promotions = SearchPromotion.objects.filter(
        query=logged,
        question__status__in=(Question.Status.PUBLISHED, Question.Status.SCHEDULED),
        question__published_at__lte=timezone.now(),
    )
    return list(promotions.order_by("sort_order", "pk").values_list("question_id", flat=True))
