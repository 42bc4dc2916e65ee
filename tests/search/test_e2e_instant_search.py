"""Instant search in chromium: the header box suggests questions as a visitor types
(static/faqs/instant-search.js on search/suggest/), under the site's CSP, with the
keyboard, on a phone, and without JavaScript."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.certfaq.test_security import POLICY_WORDS, VIOLATION_LISTENER
from tests.faqs.e2e_shots import screenshot
from tests.faqs.test_e2e import DEMO_SLUG, DEMO_TITLE, open_page
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser

TYPED = "cma ret"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def watched_page(browser: Browser, viewport: dict) -> tuple[Page, list[str], list[str]]:
    """A page; the failed responses, CSP violations and console errors it meets; and
    the `s` of every suggestion request it sends."""
    page, problems = open_page(browser, viewport=viewport)
    page.context.add_init_script(VIOLATION_LISTENER)
    asked: list[str] = []

    def console(message) -> None:
        if message.type == "error" or any(word in message.text for word in POLICY_WORDS):
            problems.append(f"console {message.type}: {message.text}")

    def request(sent) -> None:
        if "/search/suggest/" in sent.url:
            asked.append(parse_qs(urlsplit(sent.url).query).get("s", [""])[0])

    page.on("console", console)
    page.on("request", request)
    return page, problems, asked


def violations(page: Page) -> list[str]:
    return page.evaluate("window.cspViolations")


def header_box(page: Page):
    return page.get_by_role("banner").get_by_role("combobox", name="Search questions")


def suggestion_list(page: Page):
    return page.get_by_role("listbox", name="Suggested questions")


def accessibility_problems(page: Page) -> list[tuple]:
    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]]) for v in found]


def heading_is_uncovered(page: Page) -> bool:
    """The element at the centre of the page's h1 is the heading (or inside it)."""
    return page.locator("h1").evaluate(
        """h1 => { const box = h1.getBoundingClientRect();
                   const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
                   return h1.contains(top); }"""
    )


def test_typing_shows_suggestions_and_the_keyboard_opens_one(site, browser):
    load_demo()
    page, problems, asked = watched_page(browser, DESKTOP)
    page.goto(site)
    box, listbox = header_box(page), suggestion_list(page)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    screenshot(page, "instant-search-1280-first-load")

    box.press_sequentially(TYPED)
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options.filter(has_text=DEMO_TITLE)).to_have_count(1)
    assert 1 <= options.count() <= 8
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    expect(page.get_by_role("status")).to_contain_text("available")
    # Debounced: one request for the words as typed, not one a keystroke; none under two characters.
    assert asked[-1] == TYPED and len(asked) <= 3 and all(len(s.strip()) >= 2 for s in asked), asked

    # ArrowDown moves the highlight (aria-activedescendant) until it reaches the CMA
    # retake question, wherever the engine ranks it.
    for _ in range(options.count()):
        box.press("ArrowDown")
        highlighted = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
        if highlighted.inner_text() == DEMO_TITLE:
            break
    expect(highlighted).to_have_text(DEMO_TITLE)
    expect(highlighted).to_have_attribute("aria-selected", "true")
    expect(listbox.locator("[aria-selected=true]")).to_have_count(1)
    assert highlighted.evaluate("o => getComputedStyle(o).backgroundColor") != listbox.evaluate(
        "l => getComputedStyle(l).backgroundColor"
    )
    screenshot(page, "instant-search-1280-open")
    assert accessibility_problems(page) == []
    assert violations(page) == []  # this page's; the console watch spans every page

    box.press("Enter")
    page.wait_for_url(f"{site}faq/{DEMO_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_TITLE)

    # Escape closes the list and keeps the words; a second Escape clears the box.
    box = header_box(page)
    box.press_sequentially(TYPED)
    expect(suggestion_list(page)).to_be_visible()
    box.press("ArrowDown")
    box.press("Escape")
    expect(suggestion_list(page)).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_have_value(TYPED)
    box.press("Escape")
    expect(box).to_have_value("")

    # ArrowDown opens a closed list again; the highlight goes round it.
    box.press_sequentially("retake")  # two demo questions or more
    options = suggestion_list(page).get_by_role("option")
    expect(options.nth(1)).to_be_visible()
    box.press("Escape")
    expect(suggestion_list(page)).to_be_hidden()
    box.press("ArrowDown")
    expect(suggestion_list(page)).to_be_visible()
    box.press("ArrowUp")  # from none to the last, then round to the first
    expect(options.last).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.last).to_have_attribute("aria-selected", "false")
    # The caret moves in the box again: nothing is highlighted, and Enter is the
    # ordinary search.
    box.press("ArrowLeft")
    expect(page.locator("[role=option][aria-selected=true]")).to_have_count(0)
    box.press("Enter")
    page.wait_for_url(f"{site}?s=retake")
    expect(page.get_by_role("heading", level=1)).to_contain_text("retake")

    assert problems == [] and violations(page) == [], problems + violations(page)


def test_a_click_opens_a_suggestion_and_leaving_the_box_closes_the_list(site, browser):
    load_demo()
    page, problems, _ = watched_page(browser, DESKTOP)
    page.goto(site + "faq/")
    box, listbox = header_box(page), suggestion_list(page)
    box.press_sequentially(TYPED)
    expect(listbox).to_be_visible()
    box.press("Tab")
    expect(listbox).to_be_hidden()

    box.press_sequentially(" ")  # back in the box, typing again brings the list back
    expect(listbox).to_be_visible()
    assert violations(page) == []
    listbox.get_by_role("option", name=DEMO_TITLE).click()
    page.wait_for_url(f"{site}faq/{DEMO_SLUG}/")
    assert problems == [] and violations(page) == [], problems + violations(page)


def test_on_a_phone_the_list_waits_for_typing_and_fits_the_screen(site, browser):
    load_demo()
    question = f"{site}faq/{DEMO_SLUG}/"
    plain, _ = open_page(browser, viewport=PHONE, java_script_enabled=False)
    plain.goto(question)
    page, problems, _ = watched_page(browser, PHONE)
    page.goto(question)
    page.wait_for_load_state("load")
    box, listbox = header_box(page), suggestion_list(page)
    expect(box).to_be_visible()  # found by its role: the script has run

    # First load: the header is as without the script, and nothing covers the heading.
    for selector in (".site-header", "h1"):
        assert page.locator(selector).bounding_box() == plain.locator(selector).bounding_box(), selector
    expect(listbox).to_be_hidden()
    assert heading_is_uncovered(page)
    screenshot(page, "instant-search-360-first-load")

    box.press_sequentially(TYPED)
    expect(listbox.get_by_role("option", name=DEMO_TITLE)).to_be_visible()
    screenshot(page, "instant-search-360-open")
    assert accessibility_problems(page) == []

    # A word most questions hold: a full list, still on the screen, each option a tap target.
    box.fill("")
    box.press_sequentially("exam")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(8)
    area = listbox.bounding_box()
    assert area["x"] >= 0 and area["x"] + area["width"] <= PHONE["width"], area
    assert area["y"] + area["height"] <= PHONE["height"], area
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for option in options.all():
        assert option.bounding_box()["height"] >= 44, option.inner_text()
    box.press("ArrowUp")
    screenshot(page, "instant-search-360-open-full")

    box.press("Escape")
    expect(listbox).to_be_hidden()
    assert heading_is_uncovered(page)
    assert problems == [] and violations(page) == [], problems + violations(page)


def test_without_javascript_the_header_box_submits_to_the_results_page(site, browser):
    load_demo()
    page, failures = open_page(browser, viewport=PHONE, java_script_enabled=False)
    page.goto(site + "faq/")
    box = page.get_by_role("banner").get_by_role("searchbox", name="Search questions")
    assert box.get_attribute("role") is None and page.locator("[role=listbox]").count() == 0
    box.fill(TYPED)
    box.press("Enter")
    page.wait_for_url(f"{site}?s=cma+ret")
    expect(page.get_by_role("link", name=DEMO_TITLE, exact=True)).to_be_visible()
    assert failures == []
