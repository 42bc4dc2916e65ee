"""A search asked again while the site is unchanged is answered from its kept results
(a fragment under the page cache's stamp): no query; a write shows at once."""

import pytest

from faqs import publishing
from search import engine
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def test_the_same_search_again_costs_no_query_and_a_write_shows_at_once(django_assert_num_queries):
    question = make_question(title="Retake fees for the CMA exam", content="<p>A retake costs $250.</p>")
    first = engine.search("retake fee")
    assert [hit.question.pk for hit in first.hits] == [question.pk]
    with django_assert_num_queries(0):
        again = engine.search("retake fee")
    assert again.hits[0].passage == first.hits[0].passage
    assert again.hits[0].question.get_absolute_url() == question.get_absolute_url()

    question.title = "What a second attempt costs"
    publishing.save_question(question)
    assert engine.search("retake fee").hits[0].title == "What a second attempt costs"
