"""What the admin save no longer asks twice still holds: a question keeps its own
slug without a query, relations the editor did not touch are kept as stored, those
the editor changed (or that an add form was opened with) are written, and the
search index replaces a rewritten entry in place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faqs import publishing
from faqs.models import Question
from search import engine as search
from search.models import SearchEntry
from tests.factories import make_category, make_question, make_staff_user
from tests.history.test_history import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> Client:
    client = Client()
    client.force_login(make_staff_user())
    return client


def reads(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")]


def test_a_loaded_question_saved_at_its_own_slug_asks_no_slug_query():
    make_question(slug="taken")
    question = Question.objects.get(pk=make_question(slug="mine").pk)
    question.excerpt = "Edited."
    with CaptureQueriesContext(connection) as captured:
        question.save()
        question.full_clean()
    assert (question.slug, reads(captured)) == ("mine", [])  # the UPDATE alone
    question.slug = "taken"  # a move is still checked: the next free slug, as WordPress
    question.save()
    assert question.slug == "taken-2"


def test_an_admin_save_keeps_untouched_terms_and_writes_changed_ones(editor):
    kept, added = make_category(), make_category()
    question = make_question(categories=[kept], tags=["fees", "dates"])
    url = reverse("admin:faqs_question_change", args=[question.pk])
    assert editor.post(url, form_data(editor.get(url), excerpt="Only the excerpt.")).status_code == 302
    assert list(question.categories.all()) == [kept]
    assert sorted(question.tags.names()) == ["dates", "fees"]
    data = form_data(editor.get(url), categories=[str(kept.pk), str(added.pk)], tags="fees, retakes")
    assert editor.post(url, data).status_code == 302
    assert set(question.categories.all()) == {kept, added}
    assert sorted(question.tags.names()) == ["fees", "retakes"]


def test_an_add_form_opened_with_a_category_saves_it(editor):
    """The add form's initial values come from its URL, not from a stored row: posted
    back unchanged, they are still written."""
    category = make_category()
    url = reverse("admin:faqs_question_add") + f"?categories={category.pk}"
    data = form_data(editor.get(url), title="Opened with a category?", content="<p>Yes.</p>", status="draft")
    assert data["categories"] == [str(category.pk)]
    assert editor.post(url, data).status_code == 302
    assert list(Question.objects.get(title="Opened with a category?").categories.all()) == [category]


def test_an_answer_edit_replaces_the_search_entry_in_place():
    question = make_question(title="How long is the exam?", content="<p>Ninety minutes, no breaks.</p>")
    assert [hit.question for hit in search.search("ninety").hits] == [question]
    question.content = "<p>Two hours, one break.</p>"
    publishing.save_question(question)
    assert search.search("ninety").hits == []
    assert [hit.question for hit in search.search("hours break").hits] == [question]
    assert SearchEntry.objects.filter(question=question).count() == 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in ("faqs_search_heading", "faqs_search_document"):
                cursor.execute(f"SELECT count(*) FROM {table} WHERE rowid = %s", [question.pk])
                assert cursor.fetchone()[0] == 1
    question.status = Question.Status.DRAFT
    publishing.save_question(question)
    assert search.search("hours").hits == []
    assert not SearchEntry.objects.filter(question=question).exists()
