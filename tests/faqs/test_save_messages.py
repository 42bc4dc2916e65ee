"""After a save the admin says what the save did, not only "changed successfully"."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faqs.models import Question
from tests.factories import make_question
from tests.faqs.test_admin import question_form_data

pytestmark = pytest.mark.django_db


def save(admin_client, question: Question, **changes) -> list[str]:
    url = reverse("admin:faqs_question_change", args=[question.pk])
    response = admin_client.post(url, question_form_data(question, **changes), follow=True)
    assert response.status_code == 200
    assert not response.context.get("errors"), response.context.get("errors")
    return [str(message) for message in response.context["messages"]]


def link(question: Question, anchor: str) -> str:
    return f'<a href="/resources/faq/{question.slug}/">{anchor}</a>'


def test_a_move_says_the_old_address_redirects_and_how_many_answers_were_updated(admin_client):
    moved = make_question(slug="old-address", meta_description="Set.")
    for number in range(2):
        make_question(content=f"<p>See {link(moved, f'the question {number}')}.</p>")
    said = save(admin_client, moved, slug="new-address", meta_description="Set.")
    assert (
        "The old address /resources/faq/old-address/ now redirects here (301). "
        "2 answer(s) that linked to it were updated." in said
    )


def test_links_that_reach_no_public_question_are_named_by_their_anchors(admin_client):
    draft = make_question(status=Question.Status.DRAFT)
    question = make_question(meta_description="Set.")
    answer = (
        f'<p>{link(draft, "the draft")} and <a href="/resources/faq/nothing-here/">a dead end</a>'
        ' and <a href="/resources/faq/nor-here/">another</a>.</p>'
    )
    said = save(admin_client, question, content=answer, meta_description="Set.")
    assert (
        "2 link(s) in this answer are broken: no question lives at their address (“a dead end”, “another”)."
        in (said)
    )
    assert "1 link(s) in this answer are to a question that is not public (“the draft”)." in said


def test_a_derived_description_is_said_and_a_set_one_is_not(admin_client):
    question = make_question(content="<p>A first paragraph.</p>")
    derived = "No meta description was set, so one was derived from the excerpt or the answer."
    assert derived in save(admin_client, question)
    assert derived not in save(admin_client, question, meta_description="Written by hand.")


def test_a_schedule_says_when_the_question_goes_public(admin_client):
    question = make_question(status=Question.Status.DRAFT, meta_description="Set.")
    when = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    said = save(
        admin_client, question, status="scheduled", meta_description="Set.",
        published_at_0=when.strftime("%Y-%m-%d"), published_at_1=when.strftime("%H:%M:%S"),
    )  # fmt: skip
    assert (
        f"“{question.title}” is dated in the future: it goes public on {when:%Y-%m-%d %H:%M} (scheduled)."
        in said
    )


def test_a_title_another_question_has_is_warned_about(admin_client):
    make_question(title="Is the CMA exam hard?")
    question = make_question(title="What is on the CMA exam?", meta_description="Set.")
    said = save(admin_client, question, title="IS the CMA exam hard?", meta_description="Set.")
    assert any(text.startswith("Another question has the same title") for text in said)
    assert not any("same title" in text for text in save(admin_client, question, meta_description="Set."))


def admin_save_queries(admin_client, question: Question) -> int:
    url = reverse("admin:faqs_question_change", args=[question.pk])
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(url, question_form_data(question, meta_description="Set."))
    assert response.status_code == 302
    return len(queries)


def test_an_admin_save_costs_the_same_queries_whatever_the_site_size(admin_client):
    question = make_question(content="<p>Plain.</p>")
    for number in range(3):
        make_question(content=f"<p>{link(question, f'link {number}')}</p>")
    small = admin_save_queries(admin_client, question)
    for number in range(30):
        make_question(content=f"<p>{link(question, f'more {number}')}</p>")
    # 5 of them keep the version, 14 the search index
    assert admin_save_queries(admin_client, question) == small <= 64


def test_publishing_says_the_question_is_live_and_where(admin_client):
    draft = make_question(status=Question.Status.DRAFT, title="Can I retake the CMA exam?")
    said = save(admin_client, draft, status=Question.Status.PUBLISHED)
    draft.refresh_from_db()
    expected = (
        f"“Can I retake the CMA exam?” is live: readers see it at "
        f'<a href="/resources/faq/{draft.slug}/">http://127.0.0.1:8000/resources/faq/{draft.slug}/</a>.'
    )
    assert expected in said
    # Saved again, it was live already: nothing more to say about going live.
    assert not any("is live" in text for text in save(admin_client, draft, meta_description="Set."))


def test_unpublishing_says_readers_no_longer_see_it(admin_client):
    question = make_question(title="Is the CMA exam hard?")
    said = save(admin_client, question, status=Question.Status.DRAFT)
    assert "“Is the CMA exam hard?” is no longer shown to readers." in said
