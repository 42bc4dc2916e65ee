"""Roles: editors publish; authors write drafts and submit them for review, and every
way of publishing, scheduling, unpublishing or deleting is refused to them over HTTP
with nothing written."""

from __future__ import annotations

import importlib
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from faqs.admin.roles import NOT_AN_EDITOR
from faqs.models import Question
from tests.factories import make_editor, make_member, make_question
from tests.faqs.test_admin import question_form_data
from tests.wordpress.test_wordpress_import import run_import
from tests.wordpress.wordpress_items import faq_item, write_json
from wordpress.exporter import export_site

pytestmark = pytest.mark.django_db

ROLES_MIGRATION = importlib.import_module("faqs.migrations.0009_publishing_roles")
CHANGELIST = reverse("admin:faqs_question_changelist")
ADD = reverse("admin:faqs_question_add")
API = "/resources/wp-json/wp/v2"

EDITOR_PERMISSIONS = {
    *(f"faqs.{action}_question" for action in ("add", "change", "delete", "view", "publish")),
    *(f"faqs.{action}_category" for action in ("add", "change", "delete", "view")),
    *(f"taggit.{action}_tag" for action in ("add", "change", "delete", "view")),
    *(f"redirects.{action}_redirect" for action in ("add", "change", "delete", "view")),
    # Migration 0012: the Search terms report and the promoted search results.
    "search_insights.view_searchlog",
    *(f"search_insights.{action}_searchpromotion" for action in ("add", "change", "delete", "view")),
    # Issue 20: the author and reviewer profiles (people 0002), sources (sources 0002).
    *(f"people.{action}_person" for action in ("add", "change", "delete", "view")),
    *(f"sources.{action}_source" for action in ("add", "change", "delete", "view")),
    # The site pages (site_pages 0001) and the readers' feedback (feedback 0001).
    *(f"flatpages.{action}_flatpage" for action in ("add", "change", "delete", "view")),
    "feedback.view_vote",
    "feedback.view_feedbackcount",
    # Issue 21: the media library (media 0002).
    *(f"media.{action}_image" for action in ("add", "change", "delete", "view")),
}
AUTHOR_PERMISSIONS = {
    "faqs.add_question",
    "faqs.change_question",
    "faqs.view_question",
    *(f"sources.{action}_source" for action in ("add", "change", "delete", "view")),
    # Issue 21: images in answers, from the editor's picker (media 0004).
    "media.view_image",
    "media.add_image",
}


def change_url(question: Question) -> str:
    return reverse("admin:faqs_question_change", args=[question.pk])


def delete_url(question: Question) -> str:
    return reverse("admin:faqs_question_delete", args=[question.pk])


def group_permissions(name: str) -> set[str]:
    rows = Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
    return {f"{app_label}.{codename}" for app_label, codename in rows}


def stored(question: Question) -> tuple:
    """What readers and the archives depend on, as the database holds it."""
    return Question.objects.filter(pk=question.pk).values_list("status", "published_at", "title").get()


@pytest.fixture
def roles(db):
    """The groups as migration 0009 makes them. A transactional test run earlier in
    this process flushes the database (groups included), so they are made again here
    by the migration's own function, which is idempotent."""
    ROLES_MIGRATION.create_roles(apps, SimpleNamespace(connection=connection))


@pytest.fixture
def author(roles, client):
    user = make_member("Author", "author")
    client.force_login(user)
    return user


@pytest.fixture
def editor(roles, client):
    user = make_member("Editor", "editor")
    client.force_login(user)
    return user


# --- the groups -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migrate_makes_the_groups_and_keeps_existing_editors_publishing():
    """Unapplied and applied again, as `migrate` does on an upgrade: the groups come
    with their permissions, and staff who could change (so publish) questions before
    keep publishing."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("faqs", "0008_archives_related")])
    assert not Group.objects.filter(name__in=["Editor", "Author"]).exists()
    assert not Permission.objects.filter(codename="publish_question").exists()
    veteran = make_editor("faqs.change_question", username="veteran")

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    assert group_permissions("Editor") == EDITOR_PERMISSIONS
    assert group_permissions("Author") == AUTHOR_PERMISSIONS
    veteran = type(veteran).objects.get(pk=veteran.pk)  # a fresh permission cache
    assert veteran.has_perm("faqs.publish_question")


def test_redirects_to_other_sites_stay_a_personal_grant(roles):
    assert "links.add_offsite_redirect" not in group_permissions("Editor")


# --- what an author may not do, tried over HTTP -----------------------------------


def test_the_author_form_offers_draft_and_pending_review_only(author, client):
    response = client.get(ADD)
    assert [value for value, _ in response.context["adminform"].form.fields["status"].choices] == [
        "draft",
        "pending",
    ]
    body = response.content.decode()
    assert 'name="_submit_for_review"' in body
    assert 'value="published"' not in body


@pytest.mark.parametrize(
    "status, when",
    [
        ("published", {}),
        ("published", {"published_at_0": "2099-05-01", "published_at_1": "09:00:00"}),
        ("scheduled", {"published_at_0": "2099-05-01", "published_at_1": "09:00:00"}),
        ("private", {}),
    ],
)
def test_an_author_cannot_publish_schedule_or_hide_a_new_question(author, client, status, when):
    data = {**question_form_data(Question(title="Forged?", content="<p>Text.</p>"), status=status), **when}
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [NOT_AN_EDITOR]
    assert not Question.objects.exists()


def test_an_author_cannot_publish_their_draft_through_its_form(author, client):
    draft = make_question(status=Question.Status.DRAFT, author=author)
    before = stored(draft)
    response = client.post(change_url(draft), question_form_data(draft, status="published", title="Changed?"))
    assert response.status_code == 200
    assert NOT_AN_EDITOR in response.content.decode()
    assert stored(draft) == before


@pytest.mark.parametrize("action", ["publish", "unpublish", "delete_selected"])
def test_an_author_cannot_run_the_editors_bulk_actions(author, client, action):
    draft = make_question(status=Question.Status.DRAFT)
    published = make_question()
    before = [stored(draft), stored(published)]
    action_form = client.get(CHANGELIST).context["action_form"]  # term actions only
    assert action not in (dict(action_form.fields["action"].choices) if action_form else {})

    response = client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [draft.pk, published.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] in ([], ["No action selected."])
    assert [stored(draft), stored(published)] == before


@pytest.mark.parametrize("status", [Question.Status.DRAFT, Question.Status.PUBLISHED])
def test_an_author_cannot_delete_a_question(author, client, status):
    question = make_question(status=status, author=author)
    assert client.get(delete_url(question)).status_code == 403
    assert client.post(delete_url(question), {"post": "yes"}).status_code == 403
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize(
    "status, days",
    [(Question.Status.PUBLISHED, -1), (Question.Status.SCHEDULED, 3), (Question.Status.PRIVATE, 0)],
)
def test_a_question_out_of_draft_is_read_only_to_an_author(author, client, status, days):
    question = make_question(status=status, published_at=timezone.now() + timedelta(days=days), author=author)
    before = stored(question)

    page = client.get(change_url(question))
    assert page.status_code == 200
    assert page.context["title"] == "View question"
    assert 'name="status"' not in page.content.decode()
    assert 'name="_submit_for_review"' not in page.content.decode()
    notice = f"This question is {status.lower()}: only an editor can change it now."
    assert [str(message) for message in page.context["messages"]] == [notice]

    data = question_form_data(question, status="draft", title="Taken back?")
    assert client.post(change_url(question), data).status_code == 403
    assert stored(question) == before


def test_an_author_writes_under_their_own_name(author, client):
    someone = make_member("Editor", "someone")
    data = {**question_form_data(Question(title="Whose is it?"), status="draft"), "author": someone.pk}
    client.post(ADD, data)
    assert Question.objects.get(title="Whose is it?").author == author


# --- what an author does ----------------------------------------------------------


def test_an_author_writes_a_draft_previews_it_and_submits_it(author, client, django_assert_max_num_queries):
    data = question_form_data(
        Question(title="Is the exam hard?", content="<p>Yes, quite.</p>"), status="draft"
    )
    response = client.post(ADD, {**data, "_continue": "1"}, follow=True)
    draft = Question.objects.get(title="Is the exam hard?")
    assert (draft.status, draft.author) == (Question.Status.DRAFT, author)
    assert response.context["title"] == "Change question"  # still theirs to edit

    # Issue 20: the preview's sources, and the footer's site pages (a preview is no fragment).
    with django_assert_max_num_queries(10):
        preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Preview: this question is draft" in preview.content.decode()

    response = client.post(
        change_url(draft), {**question_form_data(draft), "_submit_for_review": "1"}, follow=True
    )
    draft.refresh_from_db()
    assert draft.status == Question.Status.PENDING and not draft.is_public()
    assert any("is submitted for review" in str(m) for m in response.context["messages"])

    preview = client.get(draft.get_absolute_url())
    assert "Preview: this question is pending review" in preview.content.decode()


def test_an_author_keeps_editing_a_question_pending_review(author, client):
    pending = make_question(status=Question.Status.PENDING, author=author)
    response = client.post(change_url(pending), question_form_data(pending, title="Better title?"))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.title, pending.status) == ("Better title?", Question.Status.PENDING)


def test_a_pending_question_is_never_public(client):
    pending = make_question(status=Question.Status.PENDING, published_at=timezone.now() - timedelta(days=1))
    assert not pending.is_public()
    assert pending not in Question.objects.published()
    assert pending.status_as_shown == Question.Status.PENDING
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert pending.title not in client.get(reverse("faqs:archive")).content.decode()


# --- editors ----------------------------------------------------------------------


def test_an_editor_filters_pending_questions(editor, client, django_assert_max_num_queries):
    make_question(title="Waiting for me?", status=Question.Status.PENDING)
    make_question(title="Just a draft?", status=Question.Status.DRAFT)
    make_question(title="Already out?")
    with django_assert_max_num_queries(14):  # the author filter's choices: the staff
        response = client.get(CHANGELIST, {"visibility": "pending"})
    assert [question.title for question in response.context["cl"].result_list] == ["Waiting for me?"]
    assert "Pending review" in response.content.decode()


def test_an_editor_publishes_a_pending_question_through_the_form(editor, client):
    pending = make_question(status=Question.Status.PENDING)
    response = client.post(change_url(pending), question_form_data(pending, status="published"))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Question.Status.PUBLISHED and pending.is_public()


def test_an_editor_publishes_and_unpublishes_in_bulk(editor, client):
    pending = make_question(status=Question.Status.PENDING)
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.is_public()
    client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == Question.Status.DRAFT


def test_an_editor_edits_and_deletes_published_questions(editor, client):
    published = make_question()
    response = client.post(change_url(published), question_form_data(published, title="Edited?"))
    assert response.status_code == 302
    assert client.post(delete_url(published), {"post": "yes"}).status_code == 302
    assert not Question.objects.filter(pk=published.pk).exists()


# --- the WordPress layer ----------------------------------------------------------


def test_the_api_never_shows_a_pending_question_to_anyone_anonymous(client):
    pending = make_question(status=Question.Status.PENDING, slug="waiting")
    listing = client.get(f"{API}/faq")
    assert json.loads(listing.content) == [] and listing["X-WP-Total"] == "0"
    assert client.get(f"{API}/faq", {"slug": "waiting"}).content == b"[]"
    assert client.get(f"{API}/faq", {"include": pending.pk}).content == b"[]"
    assert client.get(f"{API}/faq/{pending.pk}").status_code == 404
    by_status = client.get(f"{API}/faq", {"status": "pending"})
    assert by_status.status_code == 401 and json.loads(by_status.content)["code"] == "rest_forbidden_status"


def test_a_wordpress_pending_item_is_imported_pending(tmp_path):
    _, _, code = run_import(write_json(tmp_path / "pending.json", [faq_item(70, status="pending")]))
    assert code == 0
    assert Question.objects.get(pk=70).status == Question.Status.PENDING


def test_an_export_keeps_pending_and_reads_back_pending(tmp_path):
    pending = make_question(status=Question.Status.PENDING)
    export_site(tmp_path)
    [item] = json.loads((tmp_path / "faq" / "faq-0001.json").read_text(encoding="utf-8"))
    assert item["status"] == "pending" and "status-pending" in item["class_list"]
    Question.objects.all().delete()
    run_import(tmp_path)
    assert Question.objects.get(pk=pending.pk).status == Question.Status.PENDING


def test_deleting_a_public_question_needs_the_publish_permission_too(client):
    """Whoever was given the delete permission without publish may delete a draft, not
    take a published question from readers (nor, as an author, another author's draft)."""
    user = make_editor("faqs.view_question", "faqs.change_question", "faqs.delete_question")
    client.force_login(user)
    draft, published = make_question(status=Question.Status.DRAFT, author=user), make_question()
    bulk = {"action": "delete_selected", "_selected_action": [published.pk]}
    assert "Cannot delete question" in client.post(CHANGELIST, bulk).content.decode()
    assert client.post(CHANGELIST, {**bulk, "post": "yes"}).status_code == 403
    assert client.post(delete_url(published), {"post": "yes"}).status_code == 403
    assert client.post(delete_url(draft), {"post": "yes"}).status_code == 302
    assert list(Question.objects.all()) == [published]


def test_an_authors_read_only_view_shows_the_answer_as_readers_read_it(client):
    author = make_member("Author", "al")
    answer = "<h2>Fees</h2><p>A retake costs <strong>$250</strong>.</p>"
    question = make_question(author=author, content=answer)
    client.force_login(author)
    page = client.get(change_url(question)).content.decode()
    assert f'<div class="answer-as-read">{answer}</div>' in page
    assert "&lt;h2&gt;" not in page and 'name="minor_edit"' not in page
