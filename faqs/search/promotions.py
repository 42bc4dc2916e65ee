"""Promoted results: the questions editors pin first for a query, as Wagtail's search
promotions do. Stored in `SearchPromotion`, keyed by the query's logged form."""

from __future__ import annotations

from faqs import search
from faqs.models import Question, SearchPromotion


def promoted_ids(query: str) -> list[int]:
    """The public questions promoted for `query`, in the editors' order (a draft or a
    question not yet due is left out until readers may see it). One query."""
    logged = search.logged_form(query)
    if not logged:
        return []
    promotions = SearchPromotion.objects.filter(
        query=logged, question__in=Question.objects.published().values("pk")
    )
    return list(promotions.order_by("sort_order", "pk").values_list("question_id", flat=True))
