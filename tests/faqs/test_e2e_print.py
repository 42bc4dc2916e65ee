"""The print stylesheet in chromium: a printed question has no header, search or
footer, and each link in it shows its address."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_question
from tests.faqs.test_e2e import ARTIFACTS, open_page

pytestmark = pytest.mark.browser


def test_a_printed_question_is_the_answer_with_its_links_spelt_out(site, browser):
    make_question(
        title="Where do I book the CMA exam?",
        slug="book-cma",
        content='<p>Book it on <a href="https://www.aama-ntl.org/cma">the AAMA site</a>.</p>',
    )
    page, failures = open_page(browser)
    page.goto(site + "faq/book-cma/")
    expect(page.get_by_role("banner")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".search-form"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("heading", name="Where do I book the CMA exam?")).to_be_visible()
    after = page.locator(".answer a").evaluate("a => getComputedStyle(a, '::after').content")
    assert after == '" (https://www.aama-ntl.org/cma)"'
    crumb = page.locator(".breadcrumbs a").first.evaluate("a => getComputedStyle(a, '::after').content")
    assert crumb in ("none", "normal")
    page.screenshot(path=str(ARTIFACTS / "question-printed-1280px.png"), full_page=True)
    assert failures == []
