"""The author and editor journey in a real browser: an author writes a draft and
submits it for review, is refused publishing by the form, a bulk action and forged
POSTs; an editor finds it under Pending review and publishes it for readers."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from playwright.sync_api import Page, expect

from faqs.admin.roles import NOT_AN_EDITOR
from faqs.models import Question
from tests.factories import make_member, make_question
from tests.faqs.test_e2e import ARTIFACTS, answer_editor, open_page

pytestmark = pytest.mark.browser

PASSWORD = "a-long-member-password-1"
TITLE = "Can You Take the CMA Exam Online?"
ANSWER_TEXT = "Yes: Prometric offers remote proctoring for both parts of the CMA exam."
ANSWER = f"<p>{ANSWER_TEXT}</p>"


def sign_in(page: Page, home: str, username: str) -> None:
    page.goto(f"{home}admin/login/?next=/resources/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{home}admin/")


def screenshot(page: Page, name: str) -> None:
    """Full-page shots at a desktop and a phone width, kept in test-artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}px.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_an_author_submits_a_draft_and_an_editor_publishes_it(site, browser):
    # The groups as migration 0009 makes them (an earlier transactional test flushed them).
    importlib.import_module("faqs.migrations.0009_publishing_roles").create_roles(
        apps, SimpleNamespace(connection=connection)
    )
    make_member("Author", "author", PASSWORD)
    make_member("Editor", "editor", PASSWORD)
    make_question(title="What is the CMA exam?")  # so the list has a public neighbour
    changelist = site + "admin/faqs/question/"

    page, failures = open_page(browser)
    sign_in(page, site, "author")
    page.goto(site + "admin/faqs/question/add/")
    status = page.locator("select[name=status]")
    assert status.locator("option").all_inner_texts() == ["Draft", "Pending review"]
    page.locator("input[name=title]").fill(TITLE)
    answer_editor(page).click()
    page.keyboard.type(ANSWER_TEXT)
    screenshot(page, "roles-author-add-form")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(changelist)
    expect(page.locator(".messagelist .success").last).to_contain_text("is submitted for review")
    question = Question.objects.get(title=TITLE)
    assert question.status == Question.Status.PENDING
    # No bulk publishing for authors (adding a category or tag to drafts they may do).
    expect(page.locator("select[name=action] option[value=publish]")).to_have_count(0)
    expect(page.locator("select[name=action] option[value=unpublish]")).to_have_count(0)
    screenshot(page, "roles-author-list")

    # A published question is the editors' now: the author may read it, not save it.
    page.get_by_role("link", name="What is the CMA exam?").click()
    expect(page.get_by_role("heading", name="View question")).to_be_visible()
    expect(page.locator("input[name=_save], select[name=status]")).to_have_count(0)
    screenshot(page, "roles-author-published-question")

    # Forged POSTs with the page's own session and CSRF token change nothing.
    change_url = f"{changelist}{question.pk}/change/"
    page.goto(change_url)
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()
    screenshot(page, "roles-author-change-form")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forged = {"csrfmiddlewaretoken": token, "title": TITLE, "content": ANSWER, "status": "published"}
    response = page.request.post(change_url, form=forged)
    assert response.status == 200 and NOT_AN_EDITOR in response.text()
    bulk = {"csrfmiddlewaretoken": token, "action": "publish", "_selected_action": str(question.pk)}
    assert page.request.post(changelist, form=bulk).ok
    question.refresh_from_db()
    assert question.status == Question.Status.PENDING and not question.is_public()
    assert page.goto(f"{site}faq/{question.slug}/").status == 200  # the author's preview
    expect(page.locator(".preview-banner")).to_contain_text("pending review")
    visitor, _ = open_page(browser)
    assert visitor.goto(f"{site}faq/{question.slug}/").status == 404
    assert failures == []

    # The editor finds it under Pending review and publishes it.
    editor_page, editor_failures = open_page(browser)
    sign_in(editor_page, site, "editor")
    editor_page.goto(changelist)
    editor_page.locator("#changelist-filter").get_by_role("link", name="Pending review").click()
    editor_page.wait_for_url(f"{changelist}?visibility=pending")
    rows = editor_page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(TITLE)
    screenshot(editor_page, "roles-editor-pending-list")
    rows.first.get_by_role("link", name=TITLE).click()
    editor_page.locator("select[name=status]").select_option(label="Published")
    editor_page.locator("input[name=_save]").click()
    editor_page.wait_for_url(f"{changelist}?visibility=pending")  # the list as the editor left it
    expect(editor_page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED and question.is_public()
    assert editor_failures == []

    response = visitor.goto(f"{site}faq/{question.slug}/")
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator(".preview-banner")).to_have_count(0)
