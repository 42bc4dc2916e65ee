"""A reader answers "Was this helpful?" in chromium: without JavaScript (a form, a
thank-you page, a reason form, a final thanks) and with it (the same steps in place,
the page never left); each step passes an accessibility audit and fits a phone."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.db import connection
from playwright.sync_api import Page, expect

from faqs.models import Question
from feedback.models import Vote
from tests.factories import make_member
from tests.faqs.test_e2e import ARTIFACTS, DEMO_SLUG, open_page
from tests.faqs.test_e2e_roles import PASSWORD, sign_in
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 1280)


def audit(page: Page, width: int, name: str) -> None:
    """No axe violation, no sideways scroll at `width`; a shot kept in test-artifacts/."""
    page.set_viewport_size({"width": width, "height": 800})
    problems = [(v["id"], v["impact"], len(v["nodes"])) for v in Axe().run(page).response["violations"]]
    assert problems == [], f"{name} at {width}px: {problems}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls at {width}px"


def shoot(page: Page, name: str, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 800})
    page.locator(".helpful").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}px.png"))


def question_votes() -> list[Vote]:
    return list(Vote.objects.filter(question__slug=DEMO_SLUG, created_at__isnull=False).order_by("pk"))


def test_a_reader_without_javascript_votes_no_and_says_why(site, browser):
    load_demo()
    before = len(question_votes())
    page, failures = open_page(browser, java_script_enabled=False)
    question_url = f"{site}faq/{DEMO_SLUG}/"
    assert page.goto(question_url).status == 200

    page.get_by_role("group", name="Was this helpful?").get_by_role("button", name="No").click()
    page.wait_for_url(f"{site}feedback/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    page.get_by_role("radio", name="Outdated").check()
    page.get_by_label("What should we fix?").fill("The retake rules changed in 2025.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"{site}feedback/*/reason/")
    expect(page.locator(".helpful__thanks")).to_have_text("Thank you: the editors will read it.")
    page.get_by_role("link", name="Back to").click()
    page.wait_for_url(question_url)

    vote = question_votes()[-1]
    assert len(question_votes()) == before + 1
    assert (vote.helpful, vote.reason, vote.comment) == (
        False,
        "outdated",
        "The retake rules changed in 2025.",
    )
    assert failures == []


def test_each_step_passes_an_accessibility_audit_and_fits_a_phone(site, browser):
    """axe needs JavaScript to run: the pages without JavaScript are seen with the
    feedback script held back (its request aborted), so they arrive as the thank-you
    pages a reader without JavaScript gets."""
    load_demo()
    page, failures = open_page(browser)
    page.route("**/feedback/helpful*.js", lambda route: route.abort())
    assert page.goto(f"{site}faq/{DEMO_SLUG}/").status == 200
    for width in WIDTHS:
        audit(page, width, "question page")
    shoot(page, "feedback-question-form", 360)
    shoot(page, "feedback-question-form", 1280)

    page.get_by_role("group", name="Was this helpful?").get_by_role("button", name="No").click()
    page.wait_for_url(f"{site}feedback/*/")
    for width in WIDTHS:
        audit(page, width, "thank-you page")
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(ARTIFACTS / "feedback-thanks-360px.png"), full_page=True)

    page.get_by_role("button", name="Send").click()
    page.wait_for_url(f"{site}feedback/*/reason/")
    for width in WIDTHS:
        audit(page, width, "final thanks")
    assert [failure for failure in failures if "helpful" not in failure] == []


def test_a_reader_with_javascript_votes_yes_in_place(site, browser):
    load_demo()
    before = len(question_votes())
    page, failures = open_page(browser)
    question_url = f"{site}faq/{DEMO_SLUG}/"
    page.goto(question_url)

    page.get_by_role("group", name="Was this helpful?").get_by_role("button", name="Yes").click()
    thanks = page.locator(".helpful .helpful__thanks")
    expect(thanks).to_have_text("Thank you for your feedback.")
    expect(thanks).to_be_focused()
    expect(page.locator("[data-helpful-status]")).to_have_text("Thank you for your feedback.")
    assert page.url == question_url
    expect(page.get_by_role("radio")).to_have_count(0)  # no reasons after "Yes"
    audit(page, 360, "question page, thanked in place")
    shoot(page, "feedback-inline-thanks", 360)

    page.get_by_label("Anything to add?").fill("Clear and short.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".helpful .helpful__thanks")).to_have_text("Thank you: the editors will read it.")
    assert page.url == question_url

    vote = question_votes()[-1]
    assert len(question_votes()) == before + 1
    assert (vote.helpful, vote.reason, vote.comment) == (True, "", "Clear and short.")
    assert failures == []


def test_an_editor_reads_the_least_helpful_answers(site, browser):
    load_demo()
    # The Editor group as faqs 0009 makes it and this app's 0001 grants it (an earlier
    # transactional test flushed both).
    for migration in ("faqs.migrations.0009_publishing_roles", "feedback.migrations.0001_initial"):
        module = importlib.import_module(migration)
        made = getattr(module, "create_roles", None) or module.grant_to_editors
        made(apps, SimpleNamespace(connection=connection))
    make_member("Editor", "editor", PASSWORD)
    page, failures = open_page(browser, viewport={"width": 1280, "height": 800})
    sign_in(page, site, "editor")
    page.goto(f"{site}admin/faqs/question/feedback-report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Least helpful answers this month")
    nclex = Question.objects.get(slug="how-many-questions-are-on-the-nclex")
    expect(page.get_by_role("link", name=nclex.title)).to_be_visible()
    problems = [(v["id"], v["impact"]) for v in Axe().run(page).response["violations"]]
    assert [p for p in problems if p[1] in ("serious", "critical")] == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "feedback-report-1280px.png"), full_page=True)

    page.get_by_role("link", name=nclex.title).click()
    page.wait_for_url(f"{site}admin/faqs/question/{nclex.pk}/change/")
    page.get_by_role("heading", name="Reader feedback").click()  # the box opens
    expect(page.get_by_text("The minimum is 85, not 75.")).to_be_visible()
    assert failures == []
