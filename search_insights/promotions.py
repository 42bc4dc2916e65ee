"""Promoted results: the questions editors pin first for a query, as Wagtail's search
promotions do. Stored in `SearchPromotion`, keyed by the query's logged form.

Every search asks for them, and almost every answer is "none": so they are read once
for all queries as a page-cache fragment, kept under the site's stamp, which a
promotion's save or delete renews (below), as do the questions' writes and a
scheduled question coming due (who is public changes only then)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from faqs.models import Question
from faqs.models.bulk import chunks
from http_cache import fragments, stamp
from search.query import logged_form
from search_insights.models import SearchPromotion


def promoted_ids(query: str) -> list[int]:
    """The public questions promoted for `query`, in the editors' order (a draft or a
    question not yet due is left out until readers may see it). From the fragment
    when fragments are kept; else one query, or two when there are any."""
    logged = logged_form(query)
    if not logged:
        return []
    if fragments.enabled():
        return fragments.fragment("search-promotions", _public_promotions).get(logged, [])
    return _public_promotions(logged).get(logged, [])


def _public_promotions(logged: str | None = None) -> dict[str, list[int]]:
    """Each promoted query's public questions (or only `logged`'s), in the editors' order."""
    rows = SearchPromotion.objects.order_by("sort_order", "pk")
    pairs = list((rows.filter(query=logged) if logged else rows).values_list("query", "question_id"))
    public = set()
    for some in chunks([question_id for _, question_id in pairs]):
        public.update(Question.objects.only("status", "published_at").public_by_id(some))
    by_query: dict[str, list[int]] = {}
    for query, question_id in pairs:
        if question_id in public:
            by_query.setdefault(query, []).append(question_id)
    return by_query


def _promotions_changed(sender, **kwargs) -> None:
    stamp.site_changed()


post_save.connect(_promotions_changed, sender=SearchPromotion, dispatch_uid="search_promotions.saved")
post_delete.connect(_promotions_changed, sender=SearchPromotion, dispatch_uid="search_promotions.deleted")
