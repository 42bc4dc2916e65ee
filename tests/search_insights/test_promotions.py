"""Promoted results read once for every query as a page-cache fragment: no query for a
search while the site is unchanged, and a promotion's save or delete, or a promoted
question's publication, shows at the next search."""

from __future__ import annotations

import pytest

from faqs import publishing
from faqs.models import Question
from search_insights import promotions
from search_insights.models import SearchPromotion
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def test_promotions_are_read_once_while_the_site_is_unchanged(django_assert_num_queries):
    SearchPromotion.objects.create(query="cma retake", question=make_question(title="Pinned"))
    promotions.promoted_ids("cma retake")

    with django_assert_num_queries(0):
        assert len(promotions.promoted_ids("CMA retake")) == 1
        assert promotions.promoted_ids("another search") == []


def test_a_promotion_saved_or_deleted_shows_at_the_next_search():
    first, second = make_question(title="First"), make_question(title="Second")
    promotion = SearchPromotion.objects.create(query="cma retake", question=first, sort_order=1)
    assert promotions.promoted_ids("cma retake") == [first.pk]

    SearchPromotion.objects.create(query="cma retake", question=second, sort_order=0)
    assert promotions.promoted_ids("cma retake") == [second.pk, first.pk]

    promotion.delete()
    assert promotions.promoted_ids("cma retake") == [second.pk]


def test_a_promoted_draft_shows_once_it_is_published():
    draft = make_question(title="Not yet", status=Question.Status.DRAFT)
    SearchPromotion.objects.create(query="cma retake", question=draft)
    assert promotions.promoted_ids("cma retake") == []

    draft.status = Question.Status.PUBLISHED
    publishing.save_question(draft)

    assert promotions.promoted_ids("cma retake") == [draft.pk]


def test_without_fragments_each_search_reads_its_own_promotions(settings, django_assert_num_queries):
    settings.PAGE_FRAGMENTS = False
    pinned = make_question(title="Pinned")
    SearchPromotion.objects.create(query="cma retake", question=pinned)

    with django_assert_num_queries(2):
        assert promotions.promoted_ids("cma retake") == [pinned.pk]
    with django_assert_num_queries(1):
        assert promotions.promoted_ids("nothing pinned") == []
