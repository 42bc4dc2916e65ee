"""Draft changes on a live question (issue 19, point 1): kept beside the published
version, which readers, wp-json, the sitemap, the feed, the page cache and the importer
keep seeing; previewed by staff on the public URL; compared in History; published
now, at a set time (on any worker, with no cron) or discarded; guarded against a
second editor's newer draft."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from drafts import changes, schedule
from drafts.models import PendingChange
from faqs import publishing
from faqs.models import Question
from http_cache import stamp
from tests.factories import make_category, make_member, make_question, make_staff_user
from tests.history.test_history import form_data
from tests.http_cache.test_page_cache import HEADER, cached, get
from tests.wordpress.test_wordpress_import import run_import
from tests.wordpress.wordpress_items import faq_item, write_json

pytestmark = pytest.mark.django_db

LIVE_TITLE = "Can you retake the CMA exam?"
DRAFT_TITLE = "How often can you retake the CMA exam?"
LIVE_ANSWER = "<p>Yes, you can retake it.</p>"
DRAFT_ANSWER = "<p>Yes: up to three times in twelve months, after a wait of one window.</p>"


def change_url(question: Question) -> str:
    return reverse("admin:faqs_question_change", args=[question.pk])


def signed_in(username: str = "alice") -> Client:
    client = Client()
    client.force_login(make_staff_user(username=username))
    return client


@pytest.fixture
def live():
    return make_question(
        title=LIVE_TITLE, slug="retake-cma", content=LIVE_ANSWER, tags=["cma"], categories=[make_category()]
    )


def save_draft(client: Client, question: Question, **edits):
    data = form_data(client.get(change_url(question)), **edits) | {"_draft": "1"}
    return client.post(change_url(question), data)


def go_live_fields(when) -> dict:
    local = timezone.localtime(when)
    return {"changes_go_live_at_0": f"{local:%Y-%m-%d}", "changes_go_live_at_1": f"{local:%H:%M:%S}"}


def test_saving_draft_changes_keeps_the_live_question_and_everything_readers_see(live):
    editor = signed_in()
    wp_json = f"/resources/wp-json/wp/v2/faq/{live.pk}"
    for path in (live.get_absolute_url(), wp_json, "/resources/feed/"):
        assert LIVE_TITLE in cached(path)
    assert "/faq/retake-cma/" in cached("/resources/faq-sitemap.xml")
    before = Question.objects.filter(pk=live.pk).values().get()
    versions = Version.objects.get_for_object(live).count()

    response = save_draft(
        editor, live, title=DRAFT_TITLE, slug="retake-cma-exam", content=DRAFT_ANSWER, tags="cma, retake"
    )

    assert response.status_code == 302 and response.url == change_url(live)
    assert Question.objects.filter(pk=live.pk).values().get() == before  # not a field written
    assert Version.objects.get_for_object(live).count() == versions  # no version: nothing live changed
    pending = PendingChange.objects.get(question=live)
    assert (pending.saved_by.username, pending.edits, pending.go_live_at) == ("alice", 1, None)
    assert timezone.now() - pending.saved_at < timedelta(seconds=5)
    kept = changes.snapshot_of(pending)
    assert (kept.title, kept.content, kept.tags) == (DRAFT_TITLE, DRAFT_ANSWER, ("cma", "retake"))
    # Still the published version, and still from the page cache: a draft renews nothing.
    for path in (live.get_absolute_url(), wp_json, "/resources/faq-sitemap.xml", "/resources/feed/"):
        response = get(path)
        assert response[HEADER] == "hit" and DRAFT_TITLE not in response.content.decode()
        assert "retake-cma-exam" not in response.content.decode()
    assert get("/resources/faq/retake-cma-exam/").status_code == 404
    assert json.loads(get(wp_json).content)["title"]["rendered"] == LIVE_TITLE


def test_the_form_opens_on_the_draft_with_a_notice_preview_and_comparison(live):
    editor = signed_in()
    other = make_category(name="Retakes")
    save_draft(editor, live, title=DRAFT_TITLE, categories=[str(other.pk)], tags="retake")
    page = editor.get(change_url(live))
    form = page.context["adminform"].form
    assert form["title"].value() == DRAFT_TITLE
    assert form["categories"].value() == [other.pk]
    assert [tag.name for tag in form["tags"].value()] == ["retake"]
    html = page.content.decode()
    assert "Draft changes, not live." in html and "Saved by alice" in html
    assert f'href="{live.get_absolute_url()}?preview=true"' in html
    assert 'name="_draft"' in html and 'name="_discard_draft"' in html
    compare = editor.get(reverse("admin:faqs_question_draft_changes", args=[live.pk])).content.decode()
    assert "<del>" + LIVE_TITLE + "</del>" in compare and "<ins>" + DRAFT_TITLE + "</ins>" in compare
    history = editor.get(reverse("admin:faqs_question_history", args=[live.pk])).content.decode()
    assert "Draft changes, not live" in history
    assert reverse("admin:faqs_question_draft_changes", args=[live.pk]) in history
    listing = editor.get(reverse("admin:faqs_question_changelist")).content.decode()
    assert "Published · draft changes" in listing


def test_staff_preview_the_changes_on_the_public_url_and_nobody_else_does(live):
    editor = signed_in()
    save_draft(editor, live, title=DRAFT_TITLE, content=DRAFT_ANSWER, tags="cma, brand-new")
    url = live.get_absolute_url() + "?preview=true"
    preview = editor.get(url)
    html = preview.content.decode()
    assert "Preview of unpublished changes." in html
    assert DRAFT_TITLE in html and "three times in twelve months" in html and "brand-new" in html
    assert '<meta name="robots" content="noindex, nofollow' in html or 'content="noindex' in html
    assert preview["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    # An anonymous visitor asking for the same address gets the live page, kept by nobody.
    anonymous = get(url)
    assert LIVE_TITLE in anonymous.content.decode() and DRAFT_TITLE not in anonymous.content.decode()
    assert "no-store" in anonymous["Cache-Control"] and anonymous[HEADER] != "hit"
    assert get(url)[HEADER] != "hit"
    # Without it, staff read the live page too.
    assert DRAFT_TITLE not in editor.get(live.get_absolute_url()).content.decode()
    # A staff member who may not view questions gets the live page.
    outsider = make_member("Author", "no-view")
    outsider.groups.clear()
    client = Client()
    client.force_login(outsider)
    assert DRAFT_TITLE not in client.get(url).content.decode()


def test_save_publishes_the_changes_at_once(live):
    editor = signed_in()
    assert LIVE_TITLE in cached(live.get_absolute_url())
    save_draft(editor, live, title=DRAFT_TITLE, content=DRAFT_ANSWER)
    data = form_data(editor.get(change_url(live)))  # the draft, as the form shows it
    response = editor.post(change_url(live), data)
    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.title, live.content) == (DRAFT_TITLE, DRAFT_ANSWER)
    assert not PendingChange.objects.filter(question=live).exists()
    assert Version.objects.get_for_object(live).first().revision.comment == changes.PUBLISHED_NOTE
    assert DRAFT_TITLE in get(live.get_absolute_url()).content.decode()


def test_discarding_drops_the_changes_and_leaves_the_live_question(live):
    editor = signed_in()
    save_draft(editor, live, title=DRAFT_TITLE)
    data = form_data(editor.get(change_url(live)), title="") | {"_discard_draft": "1"}  # an invalid form too
    response = editor.post(change_url(live), data)
    assert response.status_code == 302
    assert not PendingChange.objects.filter(question=live).exists()
    live.refresh_from_db()
    assert live.title == LIVE_TITLE


def test_scheduled_changes_go_live_at_their_time_with_no_write(live, clock, backend):
    editor = signed_in()
    when = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    assert LIVE_TITLE in cached(live.get_absolute_url())
    response = save_draft(editor, live, title=DRAFT_TITLE, **go_live_fields(when))
    assert response.status_code == 302
    assert PendingChange.objects.get(question=live).go_live_at == when
    assert stamp.stored().next_due == pytest.approx(when.timestamp())
    assert LIVE_TITLE in cached(live.get_absolute_url())
    clock.advance(timedelta(hours=1, minutes=59, seconds=59))
    assert get(live.get_absolute_url())[HEADER] == "hit"  # not yet
    clock.advance(timedelta(seconds=1))
    page = get(live.get_absolute_url())  # an anonymous reader's request brings it live
    assert DRAFT_TITLE in page.content.decode()
    assert DRAFT_TITLE in get("/resources/").content.decode()
    live.refresh_from_db()
    assert live.title == DRAFT_TITLE and not PendingChange.objects.exists()
    version = Version.objects.get_for_object(live).first()
    assert (version.revision.comment, version.revision.user.username) == (changes.SCHEDULED_NOTE, "alice")


def test_the_admin_publishes_a_change_whose_time_came(live, clock):
    editor = signed_in()
    save_draft(editor, live, title=DRAFT_TITLE, **go_live_fields(timezone.now() + timedelta(minutes=5)))
    clock.advance(timedelta(minutes=6))
    listing = editor.get(reverse("admin:faqs_question_changelist")).content.decode()
    assert DRAFT_TITLE in listing and "Published · draft changes" not in listing


def test_a_change_is_published_once_whoever_comes_for_it(live, clock):
    changes.keep(
        live, changes.drafted(live, [], ["cma"]), by=None, go_live_at=timezone.now() + timedelta(minutes=1)
    )
    pending = PendingChange.objects.get(question=live)
    clock.advance(timedelta(minutes=2))
    assert schedule._publish_one(live.pk, pending.mark, timezone.now()) == 1
    # A second worker that read the same row before the first committed publishes nothing.
    assert schedule._publish_one(live.pk, pending.mark, timezone.now()) == 0
    assert schedule.publish_due() == 0
    assert Version.objects.get_for_object(live).filter(revision__comment=changes.SCHEDULED_NOTE).count() == 1


def test_a_change_that_cannot_be_published_waits_unscheduled(live, clock, monkeypatch):
    changes.keep(
        live, changes.drafted(live, [], []), by=None, go_live_at=timezone.now() + timedelta(minutes=1)
    )
    clock.advance(timedelta(minutes=2))

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(changes, "publish", broken)
    assert schedule.publish_due() == 0
    pending = PendingChange.objects.get(question=live)
    assert pending.go_live_at is None  # kept for an editor; the stamp is no longer due
    assert schedule.next_due() is None


@pytest.mark.parametrize(
    "edits, error",
    [
        ({"status": "draft"}, "Draft changes keep the question"),
        (go_live_fields(timezone.now() - timedelta(hours=1)), "This time has passed"),
    ],
)
def test_a_draft_cannot_change_the_status_or_go_live_in_the_past(live, edits, error):
    response = save_draft(signed_in(), live, title=DRAFT_TITLE, **edits)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not PendingChange.objects.exists()


def test_a_second_editors_draft_over_a_newer_one_is_refused_then_taken_knowingly(live):
    alice, bob = signed_in("alice"), signed_in("bob")
    save_draft(alice, live, title="Alice's first draft?")
    alice_form = form_data(alice.get(change_url(live)))
    bob_form = form_data(bob.get(change_url(live)))
    alice.post(change_url(live), alice_form | {"title": "Alice's second draft?", "_draft": "1"})
    refused = bob.post(change_url(live), bob_form | {"title": "Bob's draft?", "_draft": "1"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Not saved: alice saved draft changes" in html
    assert "Alice&#x27;s second draft?" in html or "Alice's second draft?" in html
    assert changes.snapshot_of(PendingChange.objects.get(question=live)).title == "Alice's second draft?"
    again = form_data(refused, title="Bob's draft?") | {"_draft": "1"}
    assert bob.post(change_url(live), again).status_code == 302
    assert changes.snapshot_of(PendingChange.objects.get(question=live)).title == "Bob's draft?"


def test_publishing_over_a_newer_draft_is_refused_too(live):
    alice, bob = signed_in("alice"), signed_in("bob")
    bob_form = form_data(bob.get(change_url(live)))
    save_draft(alice, live, title="Alice's draft?")
    refused = bob.post(change_url(live), bob_form | {"title": "Bob's title?"})
    assert refused.status_code == 200 and "Not saved: alice saved draft changes" in refused.content.decode()
    live.refresh_from_db()
    assert live.title == LIVE_TITLE


def test_authors_have_no_draft_changes(live):
    author = make_member("Author", "al")
    own = make_question(author=author, status=Question.Status.DRAFT, title="Mine?")
    client = Client()
    client.force_login(author)
    page = client.get(change_url(own)).content.decode()
    assert 'name="_draft"' not in page and "changes_go_live_at" not in page
    editor = signed_in()
    draft = make_question(status=Question.Status.DRAFT, title="Not live?")
    assert 'name="_draft"' not in editor.get(change_url(draft)).content.decode()
    assert 'name="_draft"' in editor.get(change_url(live)).content.decode()


def test_the_importer_and_wp_json_see_the_live_question_only(tmp_path):
    path = write_json(tmp_path / "items.json", [faq_item(7)])
    run_import(path)
    question = Question.objects.get(pk=7)
    save_draft(signed_in(), question, title=DRAFT_TITLE)
    out, _, code = run_import(path)
    assert code == 0 and "0 updated, 1 unchanged" in out
    newer = faq_item(7, modified_gmt="2025-11-01T00:00:00", title={"rendered": "Renamed by WordPress?"})
    out, _, _ = run_import(write_json(tmp_path / "newer.json", [newer]))
    assert "1 updated" in out
    question.refresh_from_db()
    assert question.title == "Renamed by WordPress?"
    assert changes.snapshot_of(PendingChange.objects.get(question=question)).title == DRAFT_TITLE
    listed = json.loads(get("/resources/wp-json/wp/v2/faq").content)
    assert [item["title"]["rendered"] for item in listed] == ["Renamed by WordPress?"]


def test_the_dashboard_counts_draft_changes_and_links_to_them(live, admin_client):
    other = make_question(title="Other?")
    save_draft(signed_in(), live, title=DRAFT_TITLE)
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Draft changes waiting" in index
    listing = admin_client.get(reverse("admin:faqs_question_changelist") + "?health=draft_changes")
    shown = {row.pk for row in listing.context["cl"].result_list}
    assert shown == {live.pk} and other.pk not in shown


def test_publishing_a_change_whose_slug_was_taken_meanwhile_keeps_the_address(live):
    changes.keep(live, changes.drafted(Question(**{**_fields(live), "slug": "taken"}), [], []), by=None)
    make_question(slug="taken")
    changes.publish(PendingChange.objects.get(question=live))
    live.refresh_from_db()
    assert live.slug == "retake-cma"


def _fields(question: Question) -> dict:
    return {
        name: getattr(question, name) for name in ("pk", "title", "slug", "content", "status", "published_at")
    }


def test_a_change_published_by_a_script_goes_through_the_save_path(live):
    """faqs.publishing.save_question() stays the one writer: categories and tags set,
    a version kept."""
    changes.keep(
        live, changes.drafted(Question(**{**_fields(live), "title": DRAFT_TITLE}), [], ["x"]), by=None
    )
    move = changes.publish(PendingChange.objects.get(question=live))
    assert move is None
    live.refresh_from_db()
    assert live.title == DRAFT_TITLE and list(live.tags.names()) == ["x"]
    assert not live.categories.exists()
    assert Version.objects.get_for_object(live).first().revision.comment == changes.PUBLISHED_NOTE


# --- what a review of the first version found


def test_an_unreadable_draft_is_never_applied_shown_or_published(live, clock):
    editor = signed_in()
    save_draft(editor, live, title=DRAFT_TITLE, **go_live_fields(timezone.now() + timedelta(minutes=1)))
    PendingChange.objects.filter(question=live).update(snapshot="{not json")
    form = editor.get(change_url(live))
    assert form.status_code == 200
    assert form.context["adminform"].form["title"].value() == LIVE_TITLE
    assert "These draft changes cannot be read" in form.content.decode()
    preview = editor.get(live.get_absolute_url() + "?preview=true")
    assert preview.status_code == 200 and LIVE_TITLE in preview.content.decode()
    clock.advance(timedelta(minutes=2))
    assert schedule.publish_due() == 0
    live.refresh_from_db()
    assert (live.title, live.slug, live.content) == (LIVE_TITLE, "retake-cma", LIVE_ANSWER)
    assert PendingChange.objects.get(question=live).go_live_at is None  # kept for an editor


def test_a_scheduled_draft_waits_when_the_live_question_changed_since(live, clock):
    editor = signed_in()
    save_draft(editor, live, title=DRAFT_TITLE, **go_live_fields(timezone.now() + timedelta(minutes=5)))
    live.refresh_from_db()
    live.excerpt = "Written by a bulk action after the draft."
    publishing.save_question(live, note="bulk action")
    assert (
        "The live question changed after these draft changes" in editor.get(change_url(live)).content.decode()
    )
    clock.advance(timedelta(minutes=6))
    assert schedule.publish_due() == 0
    live.refresh_from_db()
    assert live.title == LIVE_TITLE and live.excerpt == "Written by a bulk action after the draft."
    assert PendingChange.objects.get(question=live).go_live_at is None


def test_a_new_draft_after_a_discard_is_not_mistaken_for_the_one_opened(live):
    alice, bob = signed_in("alice"), signed_in("bob")
    save_draft(alice, live, title="First draft?")
    alice_form = form_data(alice.get(change_url(live)))
    bob_form = form_data(bob.get(change_url(live)))
    bob.post(change_url(live), bob_form | {"_discard_draft": "1"})
    save_draft(bob, live, title="Bob's new draft?")
    refused = alice.post(change_url(live), alice_form)  # Save: would publish over Bob's draft
    assert refused.status_code == 200 and "Not saved: bob saved draft changes" in refused.content.decode()
    live.refresh_from_db()
    assert live.title == LIVE_TITLE
    discarded = alice.post(change_url(live), alice_form | {"_discard_draft": "1"}, follow=True)
    assert "Not discarded" in discarded.content.decode()
    assert PendingChange.objects.filter(question=live).exists()


def test_the_preview_link_is_the_live_address_when_the_draft_moves_the_slug(live):
    editor = signed_in()
    save_draft(editor, live, slug="retake-cma-exam")
    html = editor.get(change_url(live)).content.decode()
    assert 'href="/resources/faq/retake-cma/?preview=true"' in html
    assert editor.get("/resources/faq/retake-cma/?preview=true").status_code == 200


def test_scheduled_changes_go_live_with_the_page_cache_off(live, clock, settings):
    settings.PAGE_CACHE, settings.PAGE_FRAGMENTS = False, False
    editor = signed_in()
    save_draft(editor, live, title=DRAFT_TITLE, **go_live_fields(timezone.now() + timedelta(minutes=5)))
    assert LIVE_TITLE in get(live.get_absolute_url()).content.decode()
    clock.advance(timedelta(minutes=6))
    assert DRAFT_TITLE in get(live.get_absolute_url()).content.decode()


def test_a_passing_database_error_keeps_the_schedule(live, clock, monkeypatch):
    soon = timezone.now() + timedelta(minutes=1)
    changes.keep(live, changes.drafted(live, [], []), by=None, go_live_at=soon)
    clock.advance(timedelta(minutes=2))

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(changes, "publish", locked)
    assert schedule.publish_due() == 0
    assert PendingChange.objects.get(question=live).go_live_at is not None  # tried again later


@pytest.mark.parametrize("mark", ["²", "١٢", "-1", "9" * 30])
def test_odd_marks_and_ids_are_no_error(live, mark):
    editor = signed_in()
    data = form_data(editor.get(change_url(live)), title=DRAFT_TITLE) | {"opened_change": mark, "_draft": "1"}
    assert editor.post(change_url(live), data).status_code in (200, 302)
    discard = form_data(editor.get(change_url(live))) | {"opened_change": mark, "_discard_draft": "1"}
    assert editor.post(change_url(live), discard).status_code == 302
    assert editor.get(f"/resources/admin/faqs/question/{mark}/history/").status_code in (302, 404)


def test_a_draft_never_changes_the_author_and_is_refused_where_none_may_be_kept(live):
    editor = signed_in()
    other = make_staff_user(username="someone-else")
    response = save_draft(editor, live, title=DRAFT_TITLE, author=str(other.pk))
    assert response.status_code == 200
    assert "publication date, author, byline, review" in response.content.decode()
    draft = make_question(status=Question.Status.DRAFT, title="Not live?")
    data = form_data(editor.get(change_url(draft)), title="Changed?") | {"_draft": "1"}
    refused = editor.post(change_url(draft), data, follow=True)
    assert "cannot keep draft changes" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Not live?" and not PendingChange.objects.exists()


def test_a_draft_never_changes_the_byline_or_the_review(live):
    """Versions (and so drafts) keep neither: a draft changing them would lose them."""
    from people.models import Person

    editor = signed_in()
    jane = Person.objects.create(name="Jane Doe")
    response = save_draft(editor, live, title=DRAFT_TITLE, written_by=str(jane.pk))
    assert response.status_code == 200
    assert "publication date, author, byline, review" in response.content.decode()
    live.refresh_from_db()
    assert live.written_by is None
