"""The draft-changes journey in chromium: an editor prepares a change to a live
question, previews it on the public URL while an anonymous visitor still gets the live
page (from the page cache), schedules it, and it goes live at its time (issue 19)."""

from __future__ import annotations

import importlib
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from drafts.models import PendingChange
from faqs.models import Question
from tests.factories import make_member, make_question
from tests.faqs.test_e2e import open_page, type_answer
from tests.faqs.test_e2e_roles import PASSWORD, screenshot, sign_in

pytestmark = pytest.mark.browser

LIVE_TITLE = "How many times can you retake the CMA exam?"
DRAFT_TITLE = "How many times a year can you retake the CMA exam?"
DRAFT_ANSWER = "Up to three times in any twelve months, one attempt per testing window."


def test_an_editor_prepares_previews_and_schedules_a_change_to_a_live_question(site, browser):
    ContentType.objects.clear_cache()
    importlib.import_module("faqs.migrations.0009_publishing_roles").create_roles(
        apps, SimpleNamespace(connection=connection)
    )
    make_member("Editor", "editor", PASSWORD)
    live = make_question(title=LIVE_TITLE, slug="cma-retakes", content="<p>You can retake it.</p>")
    public_url = site + "faq/cma-retakes/"

    # An anonymous visitor with no cookie, asking the site each time (a browser's own
    # cache would answer from its copy for max-age): what the page cache serves.
    visitor = browser.new_context().request

    def visit(url: str = public_url) -> tuple[str, str, str]:
        response = visitor.get(url)
        assert response.status == 200
        return response.headers["x-page-cache"], response.headers["cache-control"], response.text()

    assert visit()[0] in ("miss", "hit")
    assert visit()[0] == "hit"

    page, failures = open_page(browser)
    sign_in(page, site, "editor")
    page.goto(f"{site}admin/faqs/question/{live.pk}/change/")
    page.locator("input[name=title]").fill(DRAFT_TITLE)
    type_answer(page, DRAFT_ANSWER)
    page.get_by_role("button", name="Save draft changes").click()
    expect(page.locator(".messagelist .success")).to_contain_text("readers still see the published version")
    expect(page.locator(".draft-notice")).to_contain_text("Draft changes, not live.")
    expect(page.locator("input[name=title]")).to_have_value(DRAFT_TITLE)
    assert Question.objects.get(pk=live.pk).title == LIVE_TITLE

    # The preview, in the editor's session: the draft with its banner, kept by nobody.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Preview the changes").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator(".preview-banner")).to_contain_text("Preview of unpublished changes.")
    expect(preview.locator("h1")).to_have_text(DRAFT_TITLE)
    expect(preview.locator(".answer")).to_contain_text(DRAFT_ANSWER)
    assert preview.locator('meta[name="robots"]').get_attribute("content").startswith("noindex")
    screenshot(preview, "drafts-preview-banner")
    preview.close()

    # Meanwhile a visitor gets the live page, still from the page cache.
    kept, _, html = visit()
    assert kept == "hit" and LIVE_TITLE in html and DRAFT_TITLE not in html
    _, control, html = visit(public_url + "?preview=true")
    assert "no-store" in control and LIVE_TITLE in html and DRAFT_TITLE not in html

    # The admin index's content health panel counts it, with the analysis's red rows.
    page.goto(f"{site}admin/")
    expect(page.locator(".content-health")).to_contain_text("Draft changes waiting")
    expect(page.locator(".content-health")).to_contain_text("SEO needs improvement")
    screenshot(page, "drafts-dashboard")
    page.goto(f"{site}admin/faqs/question/{live.pk}/change/")

    # Scheduled a few seconds ahead (room for a slow machine to save first): it goes
    # live then, with no cron and no editor.
    when = timezone.localtime(timezone.now() + timedelta(seconds=12)).replace(microsecond=0)
    page.get_by_label("Date the changes go live (YYYY-MM-DD)").fill(f"{when:%Y-%m-%d}")
    page.get_by_label("Time the changes go live (HH:MM:SS)").fill(f"{when:%H:%M:%S}")
    screenshot(page, "drafts-change-form")
    page.get_by_role("button", name="Save draft changes").click()
    expect(page.locator(".messagelist .success")).to_contain_text(f"They go live on {when:%Y-%m-%d at %H:%M}")
    expect(page.locator(".draft-notice")).to_contain_text("They go live by themselves")
    assert PendingChange.objects.get(question=live).go_live_at == when
    visit()
    kept, _, html = visit()
    assert kept == "hit" and LIVE_TITLE in html

    time.sleep(max(0.0, (when - timezone.now()).total_seconds()) + 0.5)
    kept, _, html = visit()  # the first request after the time publishes it
    assert kept == "miss" and DRAFT_TITLE in html and DRAFT_ANSWER in html
    assert not PendingChange.objects.exists()
    assert Question.objects.get(pk=live.pk).title == DRAFT_TITLE
    page.reload()
    expect(page.locator(".draft-notice")).to_have_count(0)
    expect(page.locator("input[name=title]")).to_have_value(DRAFT_TITLE)
    assert failures == []
