"""The results page in chromium, as a reader on a phone and a desktop sees it: marked
words, the respelling note, pagination, the empty state; no accessibility problem."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.faqs.e2e_shots import screenshot
from tests.faqs.test_e2e import open_page
from tests.search.test_e2e_instant_search import DESKTOP, PHONE, accessibility_problems
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser


def results_url(site: str, query: str, **params) -> str:
    return f"{site}?{urlencode({'s': query, **params})}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_results_mark_the_words_and_a_misspelling_is_searched_respelled(site, browser, viewport):
    load_demo()
    page, problems = open_page(browser, viewport=viewport)
    page.goto(results_url(site, "retakes"))
    first = page.locator("ol.search-results > li").first
    expect(first.locator("h2")).to_have_text("How Many Times Can You Retake the CMA Exam?")
    expect(first.locator("mark").first).to_be_visible()
    assert accessibility_problems(page) == []
    screenshot(page, f"search-results-{viewport['width']}", full_page=True)

    page.goto(results_url(site, "failling ptcb exm"))
    expect(page.locator(".search-note")).to_contain_text("Showing results for failing ptcb exam")
    expect(page.locator("ol.search-results > li h2").first).to_contain_text("PTCB")
    page.get_by_role("link", name="Search instead for failling ptcb exm").click()
    expect(page.locator(".search-note")).not_to_contain_text("Showing results for")
    assert accessibility_problems(page) == []
    screenshot(page, f"search-as-typed-{viewport['width']}", full_page=True)
    assert problems == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_nothing_found_offers_categories_and_questions_instead_of_a_dead_end(site, browser, viewport):
    load_demo()
    page, problems = open_page(browser, viewport=viewport)
    page.goto(results_url(site, "zqxj wvvk"))
    expect(page.locator(".result-count")).to_have_text("0 questions found.")
    expect(page.locator(".search-empty__categories a")).to_have_count(4)
    page.locator(".search-empty .cards a").first.click()
    expect(page.locator("h1")).not_to_contain_text("Search")
    page.go_back()
    assert accessibility_problems(page) == []
    screenshot(page, f"search-empty-{viewport['width']}", full_page=True)
    assert problems == []
