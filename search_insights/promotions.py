"""Promoted results: the questions editors pin first for a query, as Wagtail's search
promotions do. Stored in `SearchPromotion`, keyed by the query's logged form."""

from __future__ import annotations

from faqs.models import Question
from search.query import logged_form
from search_insights.models import SearchPromotion


def promoted_ids(query: str) -> list[int]:
    """The public questions promoted for `query`, in the editors' order (a draft or a
    question not yet due is left out until readers may see it). One query, or two
    when there are any."""
    logged = logged_form(query)
    if not logged:
        return []
    promoted = SearchPromotion.objects.filter(query=logged).order_by("sort_order", "pk")
    ids = list(promoted.values_list("question_id", flat=True))
    public = Question.objects.only("status", "published_at").public_by_id(ids) if ids else {}
    return [pk for pk in ids if pk in public]
