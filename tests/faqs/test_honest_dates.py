"""Honest dates: a question's modified date (the reader's "Updated" line, dateModified,
article:modified_time, wp-json's `modified`, the sitemap's lastmod) moves when what
readers read changes, and only then: not for links rewritten after another question
moved, not for a restore of the same content, not for a save that changes no reader
field, not for an edit marked "Minor edit" (issue 19)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from faqs.models import Question
from faqs.publishing import save_question
from history.restore import restore_version
from tests.factories import make_question
from tests.links.test_redirects import change_slug

pytestmark = pytest.mark.django_db


def change_url(question: Question) -> str:
    return reverse("admin:faqs_question_change", args=[question.pk])


def form_data(question: Question, **changes) -> dict:
    question.refresh_from_db()
    local = timezone.localtime(question.published_at) if question.published_at else None
    data = {
        "title": question.title,
        "slug": question.slug,
        "content": question.content,
        "excerpt": question.excerpt,
        "status": question.status,
        "published_at_0": local.strftime("%Y-%m-%d") if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
        "tags": "",
        "seo_title": question.seo_title,
        "meta_description": question.meta_description,
        "canonical_url": "",
    }
    return data | changes


def dates_readers_see(client, question: Question) -> dict:
    """The modified date as each reader of it shows it, ISO 8601."""
    question.refresh_from_db()
    page = client.get(question.get_absolute_url()).content.decode()
    graph = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S).group(1)
    )
    webpage = next(node for node in graph["@graph"] if "WebPage" in node["@type"])
    api = client.get(f"/resources/wp-json/wp/v2/faq/{question.pk}").json()
    sitemap = client.get("/resources/faq-sitemap.xml").content.decode()
    location = re.escape(f"faq/{question.slug}/")
    return {
        "updated line": re.search(r'Updated <time datetime="([^"]+)"', page).group(1),
        "article:modified_time": re.search(r'property="article:modified_time" content="([^"]+)"', page).group(
            1
        ),
        "dateModified": webpage["dateModified"],
        "wp-json modified_gmt": api["modified_gmt"],
        "sitemap lastmod": re.search(rf"{location}</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap).group(1),
    }


def assert_all_show(dates: dict, moment) -> None:
    day = moment.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d")
    assert all(
        value.startswith(day) or moment.strftime("%Y-%m-%dT%H:%M:%S") in value for value in dates.values()
    )
    assert moment.strftime("%Y-%m-%dT%H:%M:%S") == dates["wp-json modified_gmt"], dates


def written_then_moved_on(clock, **fields) -> tuple[Question, object]:
    clock.advance(timedelta(days=-10))
    question = make_question(**fields)
    written = Question.objects.get(pk=question.pk).modified_at
    clock.advance(timedelta(days=10))
    return question, written


def test_links_rewritten_for_a_moved_question_keep_the_linking_pages_date(admin_client, client, clock):
    target, _ = written_then_moved_on(clock, slug="old-name")
    source, written = written_then_moved_on(
        clock, slug="source", content='<p>See <a href="/resources/faq/old-name/">the fee</a>.</p>'
    )
    change_slug(admin_client, target, "new-name")
    source.refresh_from_db()
    assert 'href="/resources/faq/new-name/"' in source.content  # rewritten …
    assert source.modified_at == written  # … and not "updated"
    assert_all_show(dates_readers_see(client, source), written)


def test_a_save_that_changes_nothing_readers_read_keeps_the_date(admin_client, client, clock):
    question, written = written_then_moved_on(clock)
    response = admin_client.post(change_url(question), form_data(question, seo_title="A better SEO title"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.seo_title == "A better SEO title" and question.modified_at == written
    assert_all_show(dates_readers_see(client, question), written)


def test_a_minor_edit_keeps_the_date_and_a_real_one_moves_it(admin_client, client, clock):
    question, written = written_then_moved_on(clock, content="<p>The fee is $250 for a retkae.</p>")
    typo_fixed = form_data(question, content="<p>The fee is $250 for a retake.</p>", minor_edit="on")
    assert admin_client.post(change_url(question), typo_fixed).status_code == 302
    question.refresh_from_db()
    assert "retake" in question.content and question.modified_at == written
    assert_all_show(dates_readers_see(client, question), written)
    assert Version.objects.get_for_object(question).first().revision.comment == "Minor edit"

    news = form_data(question, content="<p>The fee is $275 for a retake since May.</p>")
    assert admin_client.post(change_url(question), news).status_code == 302
    question.refresh_from_db()
    assert question.modified_at == clock.now.replace(microsecond=0)
    assert_all_show(dates_readers_see(client, question), question.modified_at)


def test_the_minor_edit_box_is_on_the_change_form_only(admin_client, clock):
    question, _ = written_then_moved_on(clock)
    assert 'name="minor_edit"' in admin_client.get(change_url(question)).content.decode()
    assert 'name="minor_edit"' not in admin_client.get(reverse("admin:faqs_question_add")).content.decode()


def test_restoring_the_same_content_keeps_the_date(clock):
    question, written = written_then_moved_on(clock, title="What does a retake cost?")
    question.refresh_from_db()
    question.title = "What does a second attempt cost?"
    clock.advance(timedelta(days=1))
    save_question(question)
    question.refresh_from_db()
    changed = question.modified_at
    assert changed > written
    clock.advance(timedelta(days=1))
    latest = Version.objects.get_for_object(question).first()
    restore_version(question, latest)  # the content it has now: nothing for readers
    question.refresh_from_db()
    assert question.modified_at == changed
    clock.advance(timedelta(days=1))
    first = Version.objects.get_for_object(question).last()
    restore_version(question, first)  # the old title back: readers see a change
    question.refresh_from_db()
    assert question.title == "What does a retake cost?" and question.modified_at > changed


def test_publishing_a_draft_moves_the_date(admin_client, clock):
    draft, written = written_then_moved_on(clock, status=Question.Status.DRAFT)
    assert (
        admin_client.post(change_url(draft), form_data(draft, status=Question.Status.PUBLISHED)).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.status == Question.Status.PUBLISHED and draft.modified_at > written


def test_a_minor_edit_that_publishes_still_moves_the_date(admin_client, clock):
    draft, written = written_then_moved_on(clock, status=Question.Status.DRAFT)
    data = form_data(draft, status=Question.Status.PUBLISHED, minor_edit="on")
    assert admin_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.modified_at > written


def test_a_page_kept_by_its_readers_date_still_revalidates_after_a_minor_edit(admin_client, client, clock):
    """Last-Modified follows every save (saved_at), not the readers' date: a client that
    revalidates with If-Modified-Since alone gets the corrected page, not a 304."""
    question, written = written_then_moved_on(clock, content="<p>The fee is $250 for a retkae.</p>")
    url = question.get_absolute_url()
    before = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": before}).status_code == 304
    typo_fixed = form_data(question, content="<p>The fee is $250 for a retake.</p>", minor_edit="on")
    assert admin_client.post(change_url(question), typo_fixed).status_code == 302
    question.refresh_from_db()
    assert question.modified_at == written  # the readers' date kept …
    again = client.get(url, headers={"if-modified-since": before})
    assert again.status_code == 200 and "retake" in again.content.decode()  # … the page not stale
    assert again["Last-Modified"] != before
