"""In chromium (issue 20): an editor marks an overdue answer reviewed and readers see
the new date; the pages a reader trusts (byline, sources, contents, the helpful form,
an author page), looked at on a phone and a desktop."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from people.models import Person
from tests.factories import make_member
from tests.faqs.test_e2e import open_page
from tests.faqs.test_e2e_roles import screenshot, sign_in
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser

OVERDUE_SLUG = "what-happens-if-you-fail-the-ptcb-exam"  # last reviewed 2025-06-10 in the demo
CREDITED_SLUG = "how-many-times-can-you-retake-the-cma-exam"


@pytest.fixture
def demo_with_editor():
    # The groups as migration 0009 makes them (an earlier transactional test flushed them).
    ContentType.objects.clear_cache()
    importlib.import_module("faqs.migrations.0009_publishing_roles").create_roles(
        apps, SimpleNamespace(connection=connection)
    )
    load_demo()
    editor = make_member("Editor", "marcus")
    Person.objects.filter(slug="marcus-lee").update(account=editor)
    return editor


def test_an_editor_marks_an_answer_reviewed_and_readers_see_the_date(site, browser, demo_with_editor):
    page, failures = open_page(browser)
    sign_in(page, site, "marcus")
    page.goto(f"{site}admin/faqs/question/reviews/")
    expect(page.get_by_role("link", name="What Happens If You Fail the PTCB Exam?")).to_be_visible()
    page.goto(f"{site}admin/faqs/question/?review=overdue")
    page.get_by_role("link", name="What Happens If You Fail the PTCB Exam?").click()
    expect(page.get_by_text("Overdue since")).to_be_visible()
    page.get_by_text("Byline and review").scroll_into_view_if_needed()
    screenshot(page, "admin-question-review-overdue")
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.get_by_text("is marked as reviewed today")).to_be_visible()
    page.goto(f"{site}admin/faqs/question/reviews/")
    expect(page.get_by_role("heading", name="Reviews due")).to_be_visible()
    expect(page.get_by_role("link", name="What Happens If You Fail the PTCB Exam?")).to_have_count(0)
    screenshot(page, "admin-reviews-due")

    reader, _ = open_page(browser)
    reader.goto(f"{site}faq/{OVERDUE_SLUG}/")
    today = timezone.localdate()
    byline = reader.locator(".byline")
    expect(byline).to_contain_text(
        f"Reviewed by Marcus Lee, PharmD, CPhT, on {today:%B} {today.day}, {today.year}"
    )
    expect(byline.locator("time")).to_have_attribute("datetime", f"{today:%Y-%m-%d}")
    assert failures == []


def test_the_pages_readers_trust_at_phone_and_desktop_widths(site, browser, demo_with_editor):
    page, failures = open_page(browser)
    page.goto(f"{site}faq/{CREDITED_SLUG}/")
    expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    expect(page.locator(".byline")).to_contain_text(
        "Written by Dana Whitfield, CMA (AAMA); Reviewed by Priya Nair"
    )
    screenshot(page, "question-byline-sources-toc-helpful")
    page.locator(".byline").get_by_role("link", name="Dana Whitfield").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dana Whitfield, CMA (AAMA)")
    expect(page.get_by_role("link", name="How Many Times Can You Retake the CMA Exam?")).to_be_visible()
    screenshot(page, "author-page")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert failures == []
