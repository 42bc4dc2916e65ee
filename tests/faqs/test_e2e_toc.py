"""A long answer's table of contents in chromium: each link jumps to its section."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_question
from tests.faqs.test_e2e import ARTIFACTS, open_page
from tests.faqs.test_table_of_contents import LONG

pytestmark = pytest.mark.browser

FILLER = "<p>" + "Candidates read this part before the next section. " * 40 + "</p>"


def test_the_contents_links_jump_to_their_sections(site, browser):
    question = make_question(
        title="How do CMA retakes work?", slug="cma-retakes", content=LONG.replace("</p>", "</p>" + FILLER)
    )
    page, failures = open_page(browser)
    page.set_viewport_size({"width": 360, "height": 700})
    page.goto(site + "faq/cma-retakes/")
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link")).to_have_count(3)
    for width in (1280, 360):  # the top of the page, where the contents are
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"question-table-of-contents-{width}px.png"))
    page.set_viewport_size({"width": 360, "height": 700})
    contents.get_by_role("link", name="Waiting periods").click()
    expect(page).to_have_url(site + "faq/cma-retakes/#waiting-periods")
    expect(page.get_by_role("heading", name="Waiting periods")).to_be_in_viewport()
    expect(page.get_by_role("heading", name="How do CMA retakes work?")).not_to_be_in_viewport()
    assert question.pk and failures == []
