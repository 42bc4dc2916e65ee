"""Browser journeys through a question's history: compare and restore, and two
editors saving the same question. Chromium on the live server, as tests/faqs/test_e2e.py."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from faqs.models import Question
from tests.factories import make_question, make_staff_user
from tests.faqs import test_e2e
from tests.faqs.e2e_shots import ARTIFACTS
from tests.faqs.test_e2e import type_answer

# The live server, chromium and sign-in-free page fixtures of the first journeys.
allow_orm_beside_playwright = test_e2e.allow_orm_beside_playwright
browser = test_e2e.browser
site = test_e2e.site
open_page = test_e2e.open_page

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password-1"
SHOTS = ARTIFACTS / "history"  # git-ignored, for a person to look at
WIDTHS = (1280, 360)


def sign_in(browser: Browser, site: str, username: str) -> tuple[Page, list[str]]:
    """A fresh browser context signed in as a new editor, and its failed responses."""
    editor = make_staff_user(username=username, password=PASSWORD)
    page, failures = open_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(f"{site}admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}admin/")
    return page, failures


def shoot(page: Page, name: str) -> None:
    """The page at each width, whole and its first screen, for a person to look at;
    and no sideways scroll."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}px.png"), full_page=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}px-top.png"))
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} scrolls sideways at {width}px: {scroll}"
    page.set_viewport_size({"width": 1280, "height": 900})


def serious_violations(page: Page, within: str | None = None) -> list[tuple[str, str, int, list]]:
    """axe-core's serious and critical findings, on the page or within one element."""
    result = Axe().run(page, context=within)
    return [
        (
            violation["id"],
            violation["impact"],
            len(violation["nodes"]),
            [n["target"] for n in violation["nodes"]],
        )
        for violation in result.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_editor_compares_two_versions_and_restores_the_first(site, browser):
    page, failures = sign_in(browser, site, "alice")
    first_answer = "<p>The CMA exam has two parts.</p>"

    page.goto(f"{site}admin/faqs/question/add/")
    page.locator("input[name=title]").fill("How many parts does the CMA exam have?")
    type_answer(page, "The CMA exam has two parts.")
    page.locator("select[name=status]").select_option(label="Published")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    question = Question.objects.get(title="How many parts does the CMA exam have?")

    type_answer(page, "The CMA exam has two parts, four hours each, taken in any order.")
    page.locator("input[name=tags]").fill("retake")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="History").click()
    page.wait_for_url(f"{site}admin/faqs/question/{question.pk}/history/")
    rows = page.locator("table.version-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(".what")).to_have_text("answer: +8 −1 words; tags +retake")
    expect(rows.nth(1).locator(".what")).to_have_text("first version")
    shoot(page, "history-list")
    assert serious_violations(page) == []

    page.get_by_role("button", name="Compare selected versions").click()
    page.wait_for_url(f"{site}admin/faqs/question/{question.pk}/history/compare/**")
    expect(page.locator(".answer-diff del")).to_have_text(["parts."])
    expect(page.locator(".answer-diff ins")).to_have_text(["parts, four hours each, taken in any order."])
    # The answer's markup is shown as text, not rendered.
    expect(page.locator(".answer-diff")).to_contain_text("<p>The CMA exam has two")
    expect(page.locator(".field-diff tbody th")).to_have_text(["Tags"])
    expect(page.locator(".field-diff tbody .empty-value")).to_have_text(["none"])
    expect(page.locator(".field-diff tbody ins")).to_have_text(["retake"])
    shoot(page, "history-compare")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Restore the “from” version…").click()
    expect(page.locator(".answer-diff ins")).to_have_text(["parts."])
    shoot(page, "history-restore")
    page.get_by_role("button", name="Restore this version").click()
    page.wait_for_url(f"{site}admin/faqs/question/{question.pk}/change/")
    expect(page.locator(".messagelist .success")).to_contain_text("Restored the version of")
    expect(page.locator("textarea[name=content]")).to_have_value(first_answer)
    expect(page.locator("input[name=tags]")).to_have_value("")

    page.goto(f"{site}faq/{question.slug}/")
    expect(page.locator("main")).to_contain_text("The CMA exam has two parts.")
    expect(page.locator("main")).not_to_contain_text("four hours each")
    page.goto(f"{site}admin/faqs/question/{question.pk}/history/")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator(".note")).to_contain_text("Restored the version of")
    assert failures == []


def test_the_second_editor_is_refused_with_the_diff_and_keeps_their_text(site, browser):
    question = make_question(title="How long is the CMA exam?", content="<p>It takes four hours.</p>")
    change = f"{site}admin/faqs/question/{question.pk}/change/"
    (alice, alice_failures), (bob, bob_failures) = (
        sign_in(browser, site, "alice"),
        sign_in(browser, site, "bob"),
    )
    alice.goto(change)
    bob.goto(change)

    type_answer(alice, "It takes five hours.")
    alice.locator("input[name=_continue]").click()
    expect(alice.locator(".messagelist .success")).to_contain_text("was changed successfully")

    bobs_text = "<p>It takes four hours, with a break.</p>"
    # Bob's form says alice has the question open too.
    expect(bob.locator(".presence-notice")).to_contain_text("alice (since ")
    type_answer(bob, "It takes four hours, with a break.")
    bob.locator("input[name=_continue]").click()
    refusal = bob.locator(".edit-conflict")
    expect(refusal).to_contain_text("was changed by alice at")
    expect(refusal.locator(".answer-diff del")).to_have_text(["four"])
    expect(refusal.locator(".answer-diff ins")).to_have_text(["five"])
    expect(bob.locator("textarea[name=content]")).to_have_value(bobs_text)
    question.refresh_from_db()
    assert question.content == "<p>It takes five hours.</p>"
    shoot(bob, "edit-conflict")
    # The change form's own widgets are another change's (issue 8, point 9): audit the refusal.
    assert serious_violations(bob, within=".edit-conflict") == []

    # Bob has seen alice's change; saving again keeps his text.
    bob.locator("input[name=_continue]").click()
    expect(bob.locator(".messagelist .success")).to_contain_text("was changed successfully")
    question.refresh_from_db()
    assert question.content == bobs_text
    assert alice_failures == []
    assert bob_failures == []
