"""A question's history: a version on every write, summaries, diffs, restores and the
form's refusal to overwrite a change made since it was opened."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from faqs import publishing
from faqs.models import Question
from history import diffs
from history import versions as history
from tests.factories import make_category, make_editor, make_question, make_staff_user
from tests.wordpress.wordpress_items import faq_item, term_item, write_json

pytestmark = pytest.mark.django_db


def change_url(question: Question) -> str:
    return reverse("admin:faqs_question_change", args=[question.pk])


def history_url(question: Question) -> str:
    return reverse("admin:faqs_question_history", args=[question.pk])


def compare_url(question: Question, older: Version, newer: Version) -> str:
    url = reverse("admin:faqs_question_history_compare", args=[question.pk])
    return f"{url}?from={older.pk}&to={newer.pk}"


def restore_url(question: Question, version: Version) -> str:
    return reverse("admin:faqs_question_history_restore", args=[question.pk, version.pk])


def versions(question: Question) -> list[Version]:
    """Oldest first."""
    return list(reversed(history.versions_of(question.pk)))


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(make_staff_user(username=username))
    return client


# The form's date-and-time fields, posted as a date box (_0) and a time box (_1).
SPLIT_DATES = ("published_at", "changes_go_live_at")


def form_data(response, **changes) -> dict:
    """What a browser posts back from the change form it was given, as rendered
    (the hidden version mark included), with the editor's changes."""
    form = response.context["adminform"].form
    data = {}
    for name in response.context["adminform"].form.fields:
        value = form[name].value()
        if name in SPLIT_DATES and isinstance(value, list):  # a bound form: as posted
            data[f"{name}_0"], data[f"{name}_1"] = value
        elif name in SPLIT_DATES:
            when = timezone.localtime(value) if value else None
            data[f"{name}_0"] = when.strftime("%Y-%m-%d") if when else ""
            data[f"{name}_1"] = when.strftime("%H:%M:%S") if when else ""
        elif name == "categories":
            data[name] = [str(pk) for pk in value or []]
        elif name == "tags":
            tags = value if isinstance(value, str) else ", ".join(tag.name for tag in value or [])
            data[name] = tags
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return {**data, **changes}


# --- a version on every write


def test_an_admin_save_keeps_a_version_with_who_when_and_every_field():
    editor = signed_in("alice")
    category = make_category(name="CMA Exam")
    question = make_question(title="Can you retake the CMA?", tags=["fees"], categories=[category])
    response = editor.get(change_url(question))
    data = form_data(response, content="<p>Yes, up to three times a year.</p>", tags="fees, retake")
    assert editor.post(change_url(question), data).status_code == 302

    first, second = versions(question)
    assert first.revision.user is None  # the factory saves as a script would
    assert second.revision.user.username == "alice"
    assert timezone.now() - second.revision.date_created < timedelta(minutes=1)
    kept = history.Snapshot.from_version(second)
    assert kept.content == "<p>Yes, up to three times a year.</p>"
    assert kept.tags == ("fees", "retake") and kept.category_ids == (category.pk,)
    assert (kept.title, kept.slug, kept.status) == (question.title, question.slug, "published")
    assert kept.published_at == question.published_at
    # The form's hidden version mark is not a change the action log reports.
    assert LogEntry.objects.get(object_id=str(question.pk)).get_change_message() == "Changed Answer and Tags."


def test_versions_are_readable_by_reversion_itself():
    question = make_question(title="Readable?", categories=[make_category()])
    version = history.latest_version(question.pk)
    assert version.field_dict["title"] == "Readable?"
    assert version.field_dict["published_at"] == question.published_at
    assert list(version.field_dict["categories"]) == list(question.categories.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "action, status, note",
    [("publish", Question.Status.DRAFT, "Published (bulk action)"),
     ("unpublish", Question.Status.PUBLISHED, "Unpublished (bulk action)")],
)  # fmt: skip
def test_bulk_actions_keep_a_version_of_each_question(action, status, note):
    editor = signed_in("alice")
    questions = [make_question(status=status) for _ in range(3)]
    response = editor.post(
        reverse("admin:faqs_question_changelist"),
        {"action": action, "_selected_action": [q.pk for q in questions]},
    )
    assert response.status_code == 302
    for question in questions:
        latest = history.latest_version(question.pk)
        assert len(versions(question)) == 2
        assert (latest.revision.user.username, latest.revision.comment) == ("alice", note)
        question.refresh_from_db()
        assert history.Snapshot.from_version(latest).status == question.status != status


def test_an_import_writes_the_wordpress_state_as_first_versions_in_bulk(tmp_path):
    items = [term_item(3), *(faq_item(n, **{"faq-categories": [3]}) for n in range(1, 601))]
    path = write_json(tmp_path / "export.json", items)
    call_command("import_wordpress", str(path), stdout=io.StringIO())

    assert Revision.objects.count() == 1  # one revision for the whole import
    revision = Revision.objects.get()
    assert (revision.user, revision.comment) == (None, history.IMPORT_NOTE)
    assert revision.version_set.count() == 600
    kept = history.Snapshot.from_version(history.latest_version(42))
    assert (kept.title, kept.slug, kept.category_ids) == ("Question 42?", "question-42", (3,))
    assert kept.modified_at == Question.objects.get(pk=42).modified_at  # WordPress's own date

    # Re-running the same export writes nothing; a newer item is a new version.
    call_command("import_wordpress", str(path), stdout=io.StringIO())
    assert Version.objects.count() == 600
    newer = faq_item(42, modified_gmt="2025-11-01T00:00:00", title={"rendered": "Renamed?"})
    call_command("import_wordpress", str(write_json(tmp_path / "b.json", [newer])), stdout=io.StringIO())
    first, second = versions(Question.objects.get(pk=42))
    assert history.Snapshot.from_version(second).title == "Renamed?"


@pytest.mark.parametrize("count", [3, 1200])
def test_recording_versions_costs_two_queries_per_500_questions(count):
    now = timezone.now()
    rows = [Question(title=f"Q{n}?", slug=f"q{n}", published_at=now) for n in range(count)]
    Question.objects.bulk_create(rows)
    questions = history.stored_questions(Question.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        history.record_versions(questions, note="test")
    chunks = -(-count // 500)
    # The revision; categories and tags read back; the versions' inserts. The answers
    # are not read again: the save path's instances hold them.
    assert len(queries) <= 1 + 2 * chunks + -(-count // 2000)
    assert Version.objects.count() == count


def test_a_site_upgraded_from_before_history_gets_a_first_version_of_each_question():
    Question.objects.bulk_create([Question(title="Old?", slug="old"), Question(title="Older?", slug="older")])
    history.record_missing()
    assert Version.objects.count() == 2
    assert Revision.objects.get().comment == history.BASELINE_NOTE
    history.record_missing()  # once: a later migrate finds versions and does nothing
    assert Version.objects.count() == 2


def test_answers_rewritten_by_a_move_get_a_version_naming_the_move():
    target = make_question(title="Target?", slug="old-address")
    source = make_question(content='<p>See <a href="/resources/faq/old-address/">this</a>.</p>')
    target.slug = "new-address"
    publishing.save_question(target, by=make_staff_user())
    latest = history.latest_version(source.pk)
    assert latest.revision.comment == "Links updated: “Target?” moved to /resources/faq/new-address/"
    assert "/resources/faq/new-address/" in history.Snapshot.from_version(latest).content
    older, newer = versions(source)
    summary = diffs.compare(history.Snapshot.from_version(older), history.Snapshot.from_version(newer), {})
    assert summary.summary() == "answer: links changed"


# --- summaries and diffs


def test_the_history_lists_versions_with_a_summary_of_each_change(django_assert_max_num_queries):
    editor = signed_in("alice")
    question = make_question(status=Question.Status.DRAFT, content="<p>Short answer.</p>")
    question.content = "<p>Short answer. " + " ".join(["word"] * 42) + "</p>"
    question.status = Question.Status.PUBLISHED
    publishing.save_question(question, tags=["retake"], by=get_user_model().objects.get(username="alice"))
    with django_assert_max_num_queries(9):  # one asks for draft changes (drafts)
        response = editor.get(history_url(question))
    assert response.status_code == 200
    rows = [row.summary for row in response.context["rows"]]
    assert rows == ["answer: +42 words; status draft → published; tags +retake", "first version"]
    html = response.content.decode()
    assert "answer: +42 words; status draft → published; tags +retake" in html
    assert "alice" in html and "no editor (import or script)" in html


def test_the_history_page_costs_the_same_queries_however_long_the_history(django_assert_max_num_queries):
    editor = signed_in("alice")
    question = make_question(categories=[make_category()])
    for n in range(70):
        question.title = f"Title number {n}?"
        publishing.save_question(question)
    with django_assert_max_num_queries(9):  # one asks for draft changes (drafts)
        response = editor.get(history_url(question))
    assert len(response.context["rows"]) == 50
    with django_assert_max_num_queries(9):
        second_page = editor.get(history_url(question), {"p": "2"})
    assert [row.summary for row in second_page.context["rows"]][-1] == "first version"
    assert editor.get(history_url(question), {"p": "nonsense"}).status_code == 200


def test_any_two_versions_compare_word_by_word_and_field_by_field(django_assert_max_num_queries):
    editor = signed_in("alice")
    question = make_question(content="<p>The exam has two parts.</p>", tags=["cma"])
    for text in ("<p>The exam has three parts.</p>", "<p>The exam has three long parts.</p>"):
        question.content = text
        publishing.save_question(question, tags=["cma", "retake"])
    first, _, third = versions(question)
    with django_assert_max_num_queries(8):
        response = editor.get(compare_url(question, third, first))  # picked newest first: shown oldest first
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>two</del><ins>three long</ins>" in html
    assert '<th scope="row">Tags</th><td><del>cma</del></td><td><ins>cma, retake</ins></td>' in html


def test_the_diff_shows_an_answers_html_as_text_never_as_markup():
    editor = signed_in("alice")
    question = make_question(content="<p>Plain.</p>")
    question.content = "<p>Write <code>&lt;script&gt;</code> in <strong>bold</strong>.</p>"
    publishing.save_question(question)
    # A version whose data holds raw markup (written by another tool, or by hand).
    tampered = history.latest_version(question.pk)
    document = json.loads(tampered.serialized_data)
    document[0]["fields"]["content"] = "<p>Plain.</p><script>alert(1)</script>"
    Version.objects.filter(pk=tampered.pk).update(serialized_data=json.dumps(document))
    first, second = versions(question)
    html = editor.get(compare_url(question, first, second)).content.decode()
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<script>alert" not in html

    question.content = "<p>Write <code>&lt;script&gt;</code> in <strong>bold</strong>.</p>"
    publishing.save_question(question)
    _, second, third = versions(question)
    html = editor.get(compare_url(question, second, third)).content.decode()
    assert "&lt;strong&gt;bold&lt;/strong&gt;" in html and "&amp;lt;script&amp;gt;" in html
    assert "<strong>bold</strong>" not in html


@pytest.mark.parametrize(
    "params", [{}, {"from": "x", "to": "y"}, {"from": "1", "to": "1"}, {"from": "99999", "to": "99998"},
               {"from": "9" * 40, "to": "1"}],
)  # fmt: skip
def test_comparing_anything_but_two_versions_of_the_question_says_so(params):
    editor = signed_in("alice")
    question = make_question()
    other = make_question()
    url = reverse("admin:faqs_question_history_compare", args=[question.pk])
    response = editor.get(url, params, follow=True)
    assert response.status_code == 200
    assert "Choose two different versions of this question to compare." in response.content.decode()
    foreign = {"from": history.latest_version_id(other.pk), "to": history.latest_version_id(question.pk)}
    assert "Choose two different" in editor.get(url, foreign, follow=True).content.decode()


# --- restore


def test_a_restore_goes_through_the_save_path_and_brings_the_old_slug_back_with_redirects():
    editor = signed_in("alice")
    question = make_question(title="Moving?", slug="first-address", content="<p>First answer.</p>")
    question.slug, question.content = "second-address", "<p>Second answer.</p>"
    publishing.save_question(question)
    assert Redirect.objects.get(old_path="/resources/faq/first-address/").new_path == (
        "/resources/faq/second-address/"
    )
    first, _ = versions(question)

    confirm = editor.get(restore_url(question, first))
    assert confirm.status_code == 200 and "<del>Second</del><ins>First</ins>" in confirm.content.decode()
    response = editor.post(restore_url(question, first), follow=True)
    assert response.redirect_chain[-1][0] == change_url(question)
    assert "Restored the version of" in response.content.decode()

    question.refresh_from_db()
    assert (question.slug, question.content) == ("first-address", "<p>First answer.</p>")
    # The address it had is now the old one: it redirects back; the restored one is live.
    assert Redirect.objects.get(old_path="/resources/faq/second-address/").new_path == (
        "/resources/faq/first-address/"
    )
    assert not Redirect.objects.filter(old_path="/resources/faq/first-address/").exists()
    assert Client().get("/resources/faq/second-address/").status_code == 301
    restored = history.latest_version(question.pk)
    assert len(versions(question)) == 3
    assert restored.revision.comment.startswith("Restored the version of ")
    assert restored.revision.user.username == "alice"


def test_a_restore_whose_slug_another_question_took_keeps_the_address_and_says_so():
    editor = signed_in("alice")
    question = make_question(title="Mine?", slug="wanted", content="<p>Old.</p>")
    question.slug, question.content = "mine", "<p>New.</p>"
    publishing.save_question(question)
    Redirect.objects.all().delete()
    squatter = make_question(title="Squatter?", slug="wanted")
    first, _ = versions(question)

    confirm = editor.get(restore_url(question, first)).content.decode()
    assert "now belongs to “Squatter?”" in confirm
    response = editor.post(restore_url(question, first), follow=True)
    assert response.status_code == 200
    assert "now belongs to “Squatter?”: this question stays at /resources/faq/mine/" in (
        response.content.decode()
    )
    question.refresh_from_db()
    squatter.refresh_from_db()
    assert (question.slug, question.content, squatter.slug) == ("mine", "<p>Old.</p>", "wanted")


def test_a_restore_needs_the_change_permission_and_a_version_of_this_question():
    question = make_question()
    other = make_question()
    viewer = Client()
    viewer.force_login(make_editor("faqs.view_question"))
    assert viewer.get(history_url(question)).status_code == 200
    version = history.latest_version(question.pk)
    assert viewer.post(restore_url(question, version)).status_code == 403
    editor = signed_in("alice")
    foreign = history.latest_version(other.pk)
    response = editor.post(restore_url(question, foreign), follow=True)
    assert "That version does not belong to this question." in response.content.decode()
    assert len(versions(question)) == 1


# --- never lose an edit


def test_a_save_over_a_change_made_since_the_form_opened_is_refused_and_keeps_the_text():
    alice, bob = signed_in("alice"), signed_in("bob")
    question = make_question(title="Contested?", content="<p>The exam has two parts.</p>")
    alice_form = alice.get(change_url(question))
    bob_form = bob.get(change_url(question))

    alice_data = form_data(alice_form, content="<p>The exam has three parts.</p>")
    assert alice.post(change_url(question), alice_data).status_code == 302
    bob_text = "<p>The exam has two parts and takes four hours.</p>"
    refused = bob.post(change_url(question), form_data(bob_form, content=bob_text))

    assert refused.status_code == 200
    question.refresh_from_db()
    assert question.content == "<p>The exam has three parts.</p>"  # nothing of bob's written
    assert len(versions(question)) == 2
    html = refused.content.decode()
    stored = history.latest_version(question.pk)
    when = timezone.localtime(stored.revision.date_created).strftime("%Y-%m-%d %H:%M")
    assert f"Not saved: “Contested?” was changed by alice at {when}, after you opened it." in html
    assert "<del>two</del><ins>three</ins>" in html  # what alice changed
    assert refused.context["adminform"].form["content"].value() == bob_text
    assert "&lt;p&gt;The exam has two parts and takes four hours.&lt;/p&gt;</textarea>" in html

    # Having seen it, bob saves again: now his text wins, knowingly.
    again = bob.post(change_url(question), form_data(refused))
    assert again.status_code == 302
    question.refresh_from_db()
    assert question.content == bob_text


def test_a_bulk_action_or_restore_since_the_form_opened_refuses_the_save_too():
    editor = signed_in("alice")
    question = make_question(status=Question.Status.DRAFT)
    opened = editor.get(change_url(question))
    editor.post(
        reverse("admin:faqs_question_changelist"), {"action": "publish", "_selected_action": [question.pk]}
    )
    refused = editor.post(change_url(question), form_data(opened, title="Edited?"))
    assert refused.status_code == 200
    assert "status draft → published" not in refused.content.decode()  # the diff is a table, not a summary
    assert "<td><del>draft</del></td><td><ins>published</ins></td>" in refused.content.decode()


@pytest.mark.parametrize("mark", ["", "not-a-number", "9" * 40])
def test_a_form_without_a_readable_mark_is_saved_without_the_check(mark):
    editor = signed_in("alice")
    question = make_question()
    data = form_data(editor.get(change_url(question)), title="Scripted?", opened_version=mark)
    assert editor.post(change_url(question), data).status_code == 302
    question.refresh_from_db()
    assert question.title == "Scripted?"


def test_a_save_costs_a_bounded_number_of_queries_with_its_version(django_assert_max_num_queries):
    """58 on SQLite, 5 of them for history (the check of the form's mark, categories
    and tags read back, the revision and the version written) and 14 for the search
    index (the entry and its two FTS rows replaced, term names, the vocabulary)."""
    editor = signed_in("alice")
    for n in range(30):
        make_question(slug=f"other-{n}", categories=[make_category()], tags=[f"tag{n}"])
    question = make_question(categories=[make_category()], tags=["cma"])
    data = form_data(editor.get(change_url(question)), title="Counted?")
    with django_assert_max_num_queries(62):
        assert editor.post(change_url(question), data).status_code == 302


@pytest.mark.parametrize("version_id", ["0", "9" * 30])
def test_a_restore_of_a_version_that_does_not_exist_says_so(version_id):
    editor = signed_in("alice")
    question = make_question()
    url = f"{history_url(question)}{version_id}/restore/"
    for response in (editor.get(url, follow=True), editor.post(url, follow=True)):
        assert response.status_code == 200
        assert "That version does not belong to this question." in response.content.decode()


def test_the_history_of_a_question_that_does_not_exist_redirects():
    editor = signed_in("alice")
    for url in (
        "/resources/admin/faqs/question/424242/history/",
        "/resources/admin/faqs/question/x/history/",
    ):
        assert editor.get(url).status_code == 302
    assert editor.get("/resources/admin/faqs/question/x/history/compare/?from=1&to=2").status_code == 302
