"""The admin as an editor sees it in chromium: the question list fits 1,280 px, tags
autocomplete, and an accessibility audit of the editors' screens."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from faqs import publishing
from faqs.models import Question
from tests.faqs.e2e_shots import screenshot
from tests.faqs.test_e2e_editor import signed_in
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def test_the_question_list_fits_1280_px_with_titles_on_two_lines(site, browser):
    load_demo()
    Question.objects.filter(pk=549).update(
        title="What Happens If You Fail the CMA Exam, and How Soon Can You Book the Next Attempt?"
    )
    page = signed_in(browser, site)
    page.goto(site + "admin/faqs/question/")
    results = page.locator("#changelist .results")
    screenshot(page, "admin-question-list-1280", full_page=True)
    widths = results.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], f"the list scrolls sideways: {widths}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    heights = page.locator("#result_list .field-title a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(a).lineHeight))"
    )
    assert heights and max(heights) <= 2.05, heights
    # Link health reads as text to a screen reader, not only as arrows.
    expect(page.locator("#result_list .link-badges .visually-hidden").first).to_have_text("0 incoming links")
    screenshot(page, "admin-question-list-1280", full_page=True)


def test_tags_autocomplete_from_existing_tags(site, browser):
    load_demo()
    page = signed_in(browser, site)
    page.goto(site + "admin/faqs/question/549/change/")
    tags = page.locator("input[name=tags]")
    tags.fill("cma, ret")
    option = page.get_by_role("option", name="retake (3)")
    expect(option).to_be_visible()
    tags.press("ArrowDown") if page.get_by_role("option").first.text_content() != "retake (3)" else None
    tags.press("Enter")
    expect(tags).to_have_value("cma, retake, ")


def audit(page) -> list[tuple[str, str, int]]:
    result = Axe().run(page)
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result.response["violations"]
        if v["impact"] in SERIOUS
    ]


def test_the_editors_screens_pass_an_accessibility_audit(site, browser):
    """axe-core finds no serious or critical violation on the question list, the change
    form (editor and previews), the link report and the category list."""
    load_demo()
    page = signed_in(browser, site)
    screens = {
        "question list": reverse("admin:faqs_question_changelist"),
        "change form": reverse("admin:faqs_question_change", args=[549]),
        "add form": reverse("admin:faqs_question_add"),
        "link report": reverse("admin:faqs_question_link_report"),
        "category list": reverse("admin:faqs_category_changelist"),
        "tag list": reverse("admin:taggit_tag_changelist"),
    }
    found = {}
    for name, path in screens.items():
        page.goto(site.removesuffix("/resources/") + path)
        if name == "change form":
            expect(page.locator(".field-content .ProseMirror[contenteditable=true]")).to_be_visible()
            expect(page.locator(".link-picker input")).to_be_visible()
        found[name] = audit(page)
    # The question's history and a diff between two versions.
    question = Question.objects.get(pk=549)
    question.content += "<p>One more paragraph, for a second version.</p>"
    publishing.save_question(question)
    page.goto(site.removesuffix("/resources/") + reverse("admin:faqs_question_history", args=[549]))
    found["history"] = audit(page)
    page.get_by_role("button", name="Compare selected versions").click()
    expect(page.locator(".answer-diff ins").first).to_be_visible()
    found["diff"] = audit(page)
    assert found == {name: [] for name in [*screens, "history", "diff"]}
