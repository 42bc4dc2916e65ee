"""The copies are kept and renewed as the pages are: the page cache keeps them (public,
keyed by address) and a write to the site makes the next answer fresh. Every test runs
with each cache (the `backend` fixture: disk, local memory, Redis)."""

from __future__ import annotations

import pytest

from faqs import publishing
from tests.factories import make_category, make_question
from tests.http_cache.test_page_cache import cached, fresh, get

pytestmark = pytest.mark.django_db


def test_a_questions_copy_is_kept_and_an_edit_makes_the_next_one_fresh(backend, django_assert_num_queries):
    question = make_question(slug="kept", content="<p>First answer.</p>")
    path = "/resources/faq/kept.md"
    assert "First answer." in cached(path)
    with django_assert_num_queries(0):
        assert get(path)["X-Page-Cache"] == "hit"
    assert get(path)["Cache-Control"].startswith("public")
    question.content = "<p>Second answer.</p>"
    publishing.save_question(question)
    assert "Second answer." in fresh(path)
    assert "Second answer." in cached(path)


def test_llms_txt_and_its_pages_are_kept_and_a_new_question_shows_at_once(backend):
    exam = make_category(name="CMA Exam", slug="cma-exam")
    make_question(title="First question?", categories=[exam])
    for path in ("/resources/llms.txt", "/resources/llms/1.txt"):
        assert "First question?" in cached(path)
    make_question(title="Second question?", categories=[exam])
    for path in ("/resources/llms.txt", "/resources/llms/1.txt"):
        assert "Second question?" in fresh(path)


def test_a_draft_published_turns_its_kept_404_into_its_copy(backend):
    question = make_question(slug="soon", status="draft")
    cached("/resources/faq/soon.md")
    assert get("/resources/faq/soon.md").status_code == 404
    question.status = "published"
    publishing.save_question(question)
    response = get("/resources/faq/soon.md")
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
