"""Who may do what, asked of faqs.permissions by every door: an author's restore sets no
status the form would refuse, authors change only their own drafts, and the public
page offers "Edit this question" only where the admin lets the reader edit."""

from __future__ import annotations

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from faqs import publishing
from faqs.models import Question
from history import versions as history
from tests.factories import make_member, make_question
from tests.faqs.test_admin import question_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:faqs_question_changelist")
EDIT_LINK = "Edit this question"
ROLES_MIGRATION = importlib.import_module("faqs.migrations.0009_publishing_roles")


@pytest.fixture
def roles(db):
    """The Editor and Author groups, as migration 0009 makes them (see test_roles)."""
    ROLES_MIGRATION.create_roles(apps, SimpleNamespace(connection=connection))


@pytest.fixture
def author(roles):
    return make_member("Author", "author")


@pytest.fixture
def other_author(roles):
    return make_member("Author", "other-author")


@pytest.fixture
def editor(roles):
    return make_member("Editor", "editor")


def change_url(question: Question) -> str:
    return reverse("admin:faqs_question_change", args=[question.pk])


def restore_url(question: Question, version) -> str:
    return reverse("admin:faqs_question_history_restore", args=[question.pk, version.pk])


def stored(question: Question) -> tuple:
    return Question.objects.filter(pk=question.pk).values_list("status", "published_at", "title").get()


def version_with_status(question: Question, status: str):
    return next(
        version
        for version in history.versions_of(question.pk)
        if history.Snapshot.from_version(version).status == status
    )


def set_by_editor(question: Question, editor, status: str, published_at=None) -> None:
    """An editor moves the question to `status`, through the one save path."""
    question.status, question.published_at = status, published_at
    publishing.save_question(question, by=editor)


# --- B: a restore sets the status by the form's rule ---------------------------------


@pytest.mark.parametrize(
    "status, days",
    [(Question.Status.PUBLISHED, -1), (Question.Status.SCHEDULED, 3), (Question.Status.PRIVATE, 0)],
)
def test_an_author_cannot_publish_by_restoring_a_version_an_editor_made(
    author, editor, client, status, days
):
    """Defect 1: the editor published (or scheduled, or hid) the author's draft, then
    took it back to draft; the author's restore of that version is refused, nothing
    written, and the history offers no restore of it."""
    draft = make_question(status=Question.Status.DRAFT, author=author, title="Mine?")
    set_by_editor(draft, editor, status, timezone.now() + timedelta(days=days))
    set_by_editor(draft, editor, Question.Status.DRAFT)
    out_of_draft = version_with_status(draft, status)
    before = stored(draft)
    client.force_login(author)

    assert client.get(restore_url(draft, out_of_draft)).status_code == 403
    assert client.post(restore_url(draft, out_of_draft)).status_code == 403

    assert stored(draft) == before
    assert not Question.objects.published().filter(pk=draft.pk).exists()
    listing = client.get(reverse("admin:faqs_question_history", args=[draft.pk])).content.decode()
    assert restore_url(draft, out_of_draft) not in listing


def test_an_author_still_restores_a_draft_version_of_their_own_question(author, client):
    draft = make_question(status=Question.Status.DRAFT, author=author, title="First words?")
    first = history.latest_version(draft.pk)
    draft.title = "Second words?"
    publishing.save_question(draft, by=author)
    client.force_login(author)

    listing = client.get(reverse("admin:faqs_question_history", args=[draft.pk])).content.decode()
    assert restore_url(draft, first) in listing
    assert client.post(restore_url(draft, first)).status_code == 302
    assert stored(draft)[::2] == (Question.Status.DRAFT, "First words?")


def test_an_author_cannot_restore_a_version_of_another_authors_question(author, other_author, client):
    theirs = make_question(status=Question.Status.DRAFT, author=other_author, title="Theirs?")
    first = history.latest_version(theirs.pk)
    theirs.title = "Still theirs?"
    publishing.save_question(theirs, by=other_author)
    before = stored(theirs)
    client.force_login(author)

    assert client.post(restore_url(theirs, first)).status_code == 403
    assert stored(theirs) == before


def test_an_editor_restores_a_published_version(author, editor, client):
    draft = make_question(status=Question.Status.DRAFT, author=author)
    set_by_editor(draft, editor, Question.Status.PUBLISHED, timezone.now() - timedelta(hours=1))
    set_by_editor(draft, editor, Question.Status.DRAFT)
    client.force_login(editor)

    response = client.post(restore_url(draft, version_with_status(draft, Question.Status.PUBLISHED)))

    assert response.status_code == 302
    assert Question.objects.published().filter(pk=draft.pk).exists()


# --- C: authors change only their own drafts ---------------------------------------


@pytest.mark.parametrize("status", [Question.Status.DRAFT, Question.Status.PENDING])
def test_an_author_cannot_change_another_authors_draft(author, other_author, client, status):
    """Defect 8: as a WordPress Contributor, an author edits only their own."""
    theirs = make_question(status=status, author=other_author, title="Theirs?")
    before = stored(theirs)
    client.force_login(author)

    page = client.get(change_url(theirs))
    assert page.status_code == 200
    assert page.context["title"] == "View question"
    shown = Question.Status(status).label.lower()
    notice = f"This question is another author's {shown}: only its author or an editor can change it."
    assert [str(message) for message in page.context["messages"]] == [notice]

    data = question_form_data(theirs, title="Taken over?")
    assert client.post(change_url(theirs), data).status_code == 403
    assert stored(theirs) == before


def test_an_author_cannot_retag_another_authors_draft_in_bulk(author, other_author, client):
    theirs = make_question(status=Question.Status.DRAFT, author=other_author)
    mine = make_question(status=Question.Status.DRAFT, author=author)
    client.force_login(author)

    client.post(
        CHANGELIST,
        {"action": "add_tag", "_selected_action": [theirs.pk, mine.pk], "apply": "1", "tag": "retake"},
    )

    assert [tag.name for tag in mine.tags.all()] == ["retake"]
    assert list(theirs.tags.all()) == []


def test_an_author_cannot_change_a_draft_nobody_wrote(author, client):
    """An imported question without an author is no author's own: an editor's."""
    orphan = make_question(status=Question.Status.DRAFT, author=None)
    client.force_login(author)
    assert client.post(change_url(orphan), question_form_data(orphan, title="Mine now?")).status_code == 403


def test_an_editor_changes_any_authors_draft(author, editor, client):
    draft = make_question(status=Question.Status.DRAFT, author=author)
    client.force_login(editor)
    assert client.post(change_url(draft), question_form_data(draft, title="Edited?")).status_code == 302
    assert stored(draft)[2] == "Edited?"


# --- D: the public page's edit link asks the same predicate ------------------------


def test_the_public_page_offers_an_author_no_edit_link_on_their_published_question(author, client):
    """The admin shows it read-only to them: the page must not offer to edit it."""
    published = make_question(author=author)
    client.force_login(author)

    response = client.get(published.get_absolute_url())

    assert response.status_code == 200
    assert EDIT_LINK not in response.content.decode()
    assert client.get(change_url(published)).context["title"] == "View question"


def test_the_public_page_offers_an_author_the_edit_link_on_their_own_draft_only(author, other_author, client):
    mine = make_question(status=Question.Status.DRAFT, author=author)
    theirs = make_question(status=Question.Status.DRAFT, author=other_author)
    client.force_login(author)

    assert f'href="{change_url(mine)}"' in client.get(mine.get_absolute_url()).content.decode()
    preview = client.get(theirs.get_absolute_url())
    assert preview.status_code == 200  # authors may preview every draft, as they may view it
    assert EDIT_LINK not in preview.content.decode()


def test_the_public_page_offers_an_editor_the_edit_link(author, editor, client):
    published = make_question(author=author)
    client.force_login(editor)
    assert f'href="{change_url(published)}"' in client.get(published.get_absolute_url()).content.decode()


def test_an_anonymous_reader_gets_no_preview_and_no_edit_link(client):
    draft, published = make_question(status=Question.Status.DRAFT), make_question()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert EDIT_LINK not in client.get(published.get_absolute_url()).content.decode()
