"""Review with messages: an author submits with a note and every editor who may
publish is mailed once per submission; an editor requests changes with a comment, the
question goes back to draft, the author is mailed and sees the comment on the form;
each step is kept in the question's history (issue 19)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from reversion.models import Version

from faqs.models import Question
from review.models import ReviewNote
from tests.factories import make_member, make_question
from tests.faqs.test_admin import question_form_data

pytestmark = pytest.mark.django_db


def change_url(question: Question) -> str:
    return reverse("admin:faqs_question_change", args=[question.pk])


@pytest.fixture
def people():
    author = make_member("Author", "al")
    author.email, author.first_name = "al@example.org", "Al"
    author.save()
    editor = make_member("Editor", "ed")
    editor.email, editor.first_name = "ed@example.org", "Ed"
    editor.save()
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "a-long-admin-password-1")
    make_member("Author", "other-author").__class__.objects.filter(username="other-author").update(
        email="o@example.org"
    )
    return author, editor, boss


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST the change form as `user`; mail goes once the save commits."""

    def send(user, question, button: str, **changes):
        client.force_login(user)
        question.refresh_from_db()
        data = question_form_data(question, **changes) | {button: "1"}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(change_url(question), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        question.refresh_from_db()
        return response

    return send


def test_submitting_mails_each_editor_once_with_the_authors_message(people, post):
    author, _editor, _boss = people
    draft = make_question(author=author, status=Question.Status.DRAFT, title="Can I retake the CMA?")
    post(author, draft, "_submit_for_review", review_message="Checked the fee with AAMA.")
    assert draft.status == Question.Status.PENDING
    assert sorted(message.to[0] for message in mail.outbox) == ["boss@example.org", "ed@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Review requested: “Can I retake the CMA?”"
    assert "Al submitted" in message.body and "Checked the fee with AAMA." in message.body
    assert f"http://127.0.0.1:8000{change_url(draft)}" in message.body
    note = ReviewNote.objects.get(question=draft)
    assert (note.kind, note.by, note.message) == (
        ReviewNote.Kind.SUBMITTED,
        author,
        "Checked the fee with AAMA.",
    )
    version = Version.objects.get_for_object(draft).first()
    assert version.revision.comment == "Submitted for review: Checked the fee with AAMA."

    # Saved again while it waits (even with the same button): no second mail.
    post(author, draft, "_submit_for_review", title="Can I retake the CMA exam?")
    post(author, draft, "_save")
    assert len(mail.outbox) == 2 and ReviewNote.objects.filter(question=draft).count() == 1


def test_an_editor_requests_changes_and_the_author_gets_the_comment(people, post, client):
    author, editor, _boss = people
    draft = make_question(author=author, status=Question.Status.DRAFT, title="Is the CMA hard?")
    post(author, draft, "_submit_for_review", review_message="")
    mail.outbox.clear()

    client.force_login(editor)
    form = client.get(change_url(draft)).content.decode()
    assert 'name="_request_changes"' in form and "Comment for the author" in form
    assert "Submitted for review</strong> by Al" in form  # the step waiting for them

    post(
        editor,
        draft,
        "_request_changes",
        review_message="Add the 2026 pass rate and its source.",
        author=author.pk,
    )
    assert draft.status == Question.Status.DRAFT
    assert [message.to for message in mail.outbox] == [["al@example.org"]]
    assert mail.outbox[0].subject == "Changes requested: “Is the CMA hard?”"
    assert "Add the 2026 pass rate and its source." in mail.outbox[0].body
    assert Version.objects.get_for_object(draft).first().revision.comment == (
        "Changes requested: Add the 2026 pass rate and its source."
    )

    client.force_login(author)
    page = client.get(change_url(draft)).content.decode()
    assert "Changes requested</strong> by Ed" in page and "Add the 2026 pass rate and its source." in page
    assert 'name="_submit_for_review"' in page and 'name="_request_changes"' not in page


def test_request_changes_is_only_an_editors_step_on_a_question_pending_review(people, post, client):
    author, editor, _boss = people
    published = make_question(author=author, title="Where do I book?")
    client.force_login(editor)
    assert 'name="_request_changes"' not in client.get(change_url(published)).content.decode()
    post(editor, published, "_request_changes", review_message="?")
    assert published.status == Question.Status.PUBLISHED and not mail.outbox

    draft = make_question(author=author, status=Question.Status.PENDING, title="Is it online?")
    post(author, draft, "_request_changes", review_message="I ask myself")
    assert draft.status == Question.Status.PENDING and not mail.outbox
    assert not ReviewNote.objects.exists()


def test_a_mail_server_that_fails_keeps_the_step(people, post, settings):
    settings.EMAIL_BACKEND = "tests.accounts.failing_mail.Backend"
    author, _editor, _boss = people
    draft = make_question(author=author, status=Question.Status.DRAFT)
    post(author, draft, "_submit_for_review", review_message="Please look.")
    assert draft.status == Question.Status.PENDING
    assert ReviewNote.objects.filter(question=draft, message="Please look.").exists()


def test_the_editors_label_never_reaches_an_authors_form(people, client):
    author, editor, _boss = people
    pending = make_question(author=author, status=Question.Status.PENDING, title="Is it online?")
    draft = make_question(author=author, status=Question.Status.DRAFT, title="Is it hard?")
    client.force_login(editor)
    assert "Comment for the author" in client.get(change_url(pending)).content.decode()
    client.force_login(author)
    page = client.get(change_url(draft)).content.decode()
    assert "Message for the editors" in page and "Comment for the author" not in page


def test_choosing_pending_review_in_the_status_menu_is_a_submission_too(people, post):
    author, _editor, _boss = people
    draft = make_question(author=author, status=Question.Status.DRAFT)
    post(author, draft, "_save", status=Question.Status.PENDING, review_message="From the menu.")
    assert draft.status == Question.Status.PENDING
    assert len(mail.outbox) == 2 and ReviewNote.objects.get(question=draft).message == "From the menu."


def test_the_last_step_shows_only_while_it_stands_and_only_to_those_who_may_act(people, post, client):
    author, editor, _boss = people
    other = make_member("Author", "other")
    draft = make_question(author=author, status=Question.Status.DRAFT, title="Is it timed?")
    post(author, draft, "_submit_for_review", review_message="Please check.")
    client.force_login(other)  # another author: read-only, and not theirs to hear
    assert "Please check." not in client.get(change_url(draft)).content.decode()
    post(editor, draft, "_save", status=Question.Status.PUBLISHED, author=author.pk)
    client.force_login(editor)
    assert "Please check." not in client.get(change_url(draft)).content.decode()  # it moved on
