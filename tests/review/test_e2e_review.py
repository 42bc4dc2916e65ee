"""The review journey in chromium: an author submits a draft with a message, the editor
is mailed, opens the link, reads the message and requests changes with a comment; the
author is mailed and sees the comment on the form (issue 19)."""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from playwright.sync_api import expect

from faqs import permissions
from faqs.models import Question
from tests.factories import make_member, make_question
from tests.faqs.test_e2e import open_page
from tests.faqs.test_e2e_roles import PASSWORD, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_an_author_submits_with_a_message_and_the_editor_requests_changes(site, browser):
    # The groups as migration 0009 makes them (an earlier transactional test flushed
    # them, and the content types made again since have new ids).
    ContentType.objects.clear_cache()
    importlib.import_module("faqs.migrations.0009_publishing_roles").create_roles(
        apps, SimpleNamespace(connection=connection)
    )
    author = make_member("Author", "author", PASSWORD)
    author.email, author.first_name = "author@example.org", "Alice"
    author.save()
    editor = make_member("Editor", "editor", PASSWORD)
    editor.email, editor.first_name = "editor@example.org", "Eve"
    editor.save()
    draft = make_question(title="How long is the CMA exam?", status=Question.Status.DRAFT, author=author)
    author = get_user_model().objects.get(pk=author.pk)  # permissions read afresh
    assert author.has_perm("faqs.change_question") and not author.has_perm("faqs.publish_question")
    assert permissions.may_edit_question(author, draft)
    mail.outbox.clear()

    page, failures = open_page(browser)
    sign_in(page, site, "author")
    page.goto(f"{site}admin/faqs/question/{draft.pk}/change/")
    expect(page.locator("#question_form")).to_be_visible()
    page.get_by_label("Message for the editors").fill("Times checked against the 2026 handbook.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("is submitted for review")

    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    link = re.search(r"(http://\S+/admin/faqs/question/\d+/change/)", mail.outbox[0].body).group(1)
    assert link == f"{site}admin/faqs/question/{draft.pk}/change/"
    reviewer, reviewer_failures = open_page(browser)
    sign_in(reviewer, site, "editor")
    reviewer.goto(link)
    notice = reviewer.get_by_role("note")
    expect(notice).to_contain_text("Submitted for review by Alice")
    expect(notice).to_contain_text("Times checked against the 2026 handbook.")
    screenshot(reviewer, "review-editor-form")
    reviewer.get_by_label("Comment for the author").fill("Add the break time between sections.")
    reviewer.get_by_role("button", name="Request changes").click()
    expect(reviewer.locator(".messagelist")).to_contain_text("back with its author")

    assert mail.outbox[-1].to == ["author@example.org"]
    assert "Add the break time between sections." in mail.outbox[-1].body
    page.goto(f"{site}admin/faqs/question/{draft.pk}/change/")
    expect(page.get_by_role("note")).to_contain_text("Changes requested by Eve")
    expect(page.get_by_role("note")).to_contain_text("Add the break time between sections.")
    screenshot(page, "review-author-form")
    draft.refresh_from_db()
    assert draft.status == Question.Status.DRAFT
    assert not failures and not reviewer_failures
