"""The content analysis lights in chromium: they change as the editor types a focus
keyphrase and an answer, before anything is saved; the list shows the stored lights."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from playwright.sync_api import expect

from analysis.models import QuestionAnalysis
from tests.factories import make_member, make_question
from tests.faqs.test_e2e import open_page, type_answer
from tests.faqs.test_e2e_roles import PASSWORD, screenshot, sign_in

pytestmark = pytest.mark.browser

ANSWER = (
    "You can retake the CMA exam up to three times in any twelve-month period. "
    "Each retake needs a new registration fee, and you must wait for the next testing window."
)


def test_the_lights_follow_the_editor_as_they_type(site, browser):
    ContentType.objects.clear_cache()
    importlib.import_module("faqs.migrations.0009_publishing_roles").create_roles(
        apps, SimpleNamespace(connection=connection)
    )
    make_member("Editor", "editor", PASSWORD)
    question = make_question(title="How many times can you retake the CMA exam?", content="<p>Yes.</p>")
    make_question(title="How long is the CMA exam?", content="<p>Four hours per part.</p>")

    page, failures = open_page(browser)
    sign_in(page, site, "editor")
    page.goto(f"{site}admin/faqs/question/{question.pk}/change/")
    panel = page.locator(".analysis-panel")
    expect(panel).to_contain_text("SEO: Needs improvement")
    expect(panel.locator('[data-check="keyphraseLength"]')).to_contain_text("keyphrase")
    expect(panel.locator('[data-check="keyphraseDensity"]')).to_have_count(0)

    page.get_by_label("Focus keyphrase").fill("CMA exam retake")
    expect(panel.locator('[data-check="keyphraseDensity"]')).to_have_count(1)
    expect(panel.locator('[data-check="textLength"][data-rating="bad"]')).to_have_count(1)
    type_answer(page, ANSWER)
    expect(panel.locator('[data-check="introductionKeyword"]')).to_have_count(1)
    expect(panel.locator('[data-check="answerFirst"]')).to_have_count(1)  # among the passed ones
    assert QuestionAnalysis.objects.get(question=question).keyphrase == ""  # nothing saved yet
    page.locator(".analysis-good summary").first.click()
    screenshot(page.locator("fieldset:has(.analysis-panel)").page, "analysis-form-lights")
    page.locator(".analysis-panel").scroll_into_view_if_needed()
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.locator("fieldset:has(.analysis-panel)").screenshot(
            path=str(_artifacts() / f"analysis-panel-{width}px.png")
        )
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert QuestionAnalysis.objects.get(question=question).keyphrase == "cma exam retake"
    page.goto(f"{site}admin/faqs/question/")
    expect(page.locator("#result_list .analysis-lights .analysis-light")).to_have_count(4)  # under the status
    expect(page.locator("#result_list th.column-link_health")).to_be_in_viewport()
    screenshot(page, "analysis-question-list")
    assert failures == []


def _artifacts():
    from tests.faqs.test_e2e import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
