"""Search analytics in chromium: a reader's click on a result is counted by a beacon
(and the links work without JavaScript); an editor reads the Search terms report on a
desktop and a phone, promotes a question from it, and the screens pass an audit."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from faqs.models import Question
from search_insights.models import SearchLog, SearchPromotion
from tests.faqs.e2e_shots import screenshot
from tests.faqs.test_e2e import DEMO_SLUG, DEMO_TITLE, SEARCH_WORD, open_page
from tests.faqs.test_e2e_admin import audit
from tests.faqs.test_e2e_editor import signed_in
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser


def csp_violations(page) -> list[str]:
    """Console errors the Content Security Policy raises, as they come."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url} {message.location} {message.text[:200]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def audited(page, violations: list[str]) -> list:
    """The page's serious accessibility violations, once the page itself broke no CSP
    rule (axe-core, injected to audit, adds styles of its own that CSP refuses)."""
    assert violations == [], violations
    found = audit(page)
    violations.clear()
    return found


def opened_count() -> int:
    return SearchLog.objects.get(query=SEARCH_WORD).opened


def test_a_readers_click_on_a_result_is_counted_by_a_beacon(site, browser):
    load_demo()
    page, failures = open_page(browser)
    violations = csp_violations(page)
    page.goto(f"{site}?s={SEARCH_WORD}")
    assert opened_count() == 0
    result = page.get_by_role("link", name=DEMO_TITLE, exact=True)

    # A middle click opens a tab and leaves the results page: its beacon's answer is heard.
    with page.expect_response(lambda response: response.url.endswith("/search/opened/")) as answer:
        result.click(button="middle")
    assert answer.value.status == 204
    question = Question.objects.get(slug=DEMO_SLUG)
    assert answer.value.request.post_data == urlencode({"query": SEARCH_WORD, "question": question.pk})
    assert opened_count() == 1

    # A plain click navigates at once: the browser still delivers the beacon, though the
    # page that sent it is gone before its answer (Playwright reports it aborted).
    with page.expect_request(lambda request: request.url.endswith("/search/opened/")):
        result.click()
    page.wait_for_url(f"{site}faq/{DEMO_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_TITLE)
    deadline = time.monotonic() + 5
    while opened_count() < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(20)  # the live server's thread is still writing it
    assert opened_count() == 2
    assert failures == [] and violations == []


def test_without_javascript_the_results_are_plain_links(site, browser):
    load_demo()
    page, failures = open_page(browser, java_script_enabled=False)
    page.goto(f"{site}?s={SEARCH_WORD}")

    page.get_by_role("link", name=DEMO_TITLE, exact=True).click()

    page.wait_for_url(f"{site}faq/{DEMO_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_TITLE)
    assert SearchLog.objects.get(query=SEARCH_WORD).opened == 0
    assert failures == []


def searched_by_readers(site, browser) -> None:
    """A morning of searches on the demo site: some find questions, some nothing."""
    page, _ = open_page(browser)
    for query in ["retake", "retake", "retake", "passing score", "CMA exam", "zqxv wbbk",
                  "zqxv wbbk", "night before the exam", "nclex retake wait time"]:  # fmt: skip
        page.goto(f"{site}?{urlencode({'s': query})}")
    page.context.close()
    # An older zero-result search that a question published since answers.
    answer = Question.objects.get(slug=DEMO_SLUG)
    SearchLog.objects.create(
        query="how many retakes allowed",
        day=timezone.localdate() - timedelta(days=12),
        searches=14,
        result_count=0,
        answered_by=answer,
        answered_at=timezone.now(),
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_an_editor_reads_the_search_terms_report_and_promotes_a_question(site, browser, width):
    load_demo()
    searched_by_readers(site, browser)
    page = signed_in(browser, site, width=width)
    violations = csp_violations(page)

    # The report is in the FAQs section of the admin's home.
    page.goto(site + "admin/")
    page.get_by_role("link", name="Search terms").click()
    page.get_by_role("link", name="Last 90 days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search terms")
    found_nothing = page.locator(
        "section", has=page.get_by_role("heading", name="Searches that found nothing")
    )
    expect(found_nothing.get_by_role("link", name="zqxv wbbk", exact=True)).to_be_visible()
    expect(found_nothing).to_contain_text(f"Answered by {DEMO_TITLE}")
    screenshot(page, f"admin-search-terms-{width}", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    report_audit = audited(page, violations)

    # "Promote a question" for a search opens the form with the search filled in.
    most_searched = page.locator("section", has=page.get_by_role("heading", name="Most searched"))
    most_searched.get_by_role("link", name="Promote a question for “retake”").click()
    expect(page.locator("input[name=query]")).to_have_value("retake")
    page.locator(".field-question .select2-selection").click()
    page.locator(".select2-search__field").fill("how many times")
    page.get_by_role("option", name=DEMO_TITLE).click()
    form_audit = audited(page, violations)
    screenshot(page, f"admin-search-promotion-form-{width}", full_page=True)
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    assert list(SearchPromotion.objects.values_list("query", "question__slug")) == [("retake", DEMO_SLUG)]
    screenshot(page, f"admin-search-promotions-{width}", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    list_audit = audited(page, violations)
    page.goto(site + reverse("admin:search_insights_searchlog_changelist").removeprefix("/resources/"))
    expect(page.get_by_role("link", name="1 promoted for “retake”").first).to_be_visible()

    assert (report_audit, form_audit, list_audit) == ([], [], [])
    assert page.failures == [], page.failures
    assert violations == [], violations
