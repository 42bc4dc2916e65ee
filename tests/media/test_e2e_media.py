"""The media library in a real browser: an editor uploads two images through the
upload page's file input (what a drop fills), describes them on the list that follows,
and sees their thumbnails served by the site. Screenshots of the list at desktop and
phone widths go to test-artifacts/."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from playwright.sync_api import expect

from media.models import Image
from tests.factories import make_member, make_question
from tests.faqs.test_e2e import open_page
from tests.faqs.test_e2e_roles import PASSWORD, screenshot, sign_in
from tests.media.images import image_bytes

pytestmark = pytest.mark.browser


def editor_group_as_migrated() -> None:
    """The groups as the migrations make them (an earlier transactional test flushed
    them): the roles (faqs 0009), then the media library's grants (media 0002)."""
    schema_editor = SimpleNamespace(connection=connection)
    importlib.import_module("faqs.migrations.0009_publishing_roles").create_roles(apps, schema_editor)
    importlib.import_module("media.migrations.0002_editors_manage_images").grant(apps, schema_editor)


def test_an_editor_uploads_two_images_and_describes_them(site, browser, settings):
    settings.DEBUG = False
    editor_group_as_migrated()
    make_member("Editor", "editor", PASSWORD)
    page, failures = open_page(browser)
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    sign_in(page, site, "editor")

    page.goto(f"{site}admin/media/image/add/")
    page.locator('input[type="file"]').set_input_files(
        [
            {"name": "Exam Room.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", (1600, 1000))},
            {"name": "fee-table.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (900, 500))},
        ]
    )
    expect(page.locator(".media-chosen li")).to_have_count(2)  # upload.js lists them
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Uploaded 2 images")

    thumbnails = page.locator("img.media-thumb")
    expect(thumbnails).to_have_count(2)
    for index in range(2):
        thumbnail = thumbnails.nth(index)
        thumbnail.scroll_into_view_if_needed()
        expect(thumbnail).to_have_js_property("complete", True)
        assert thumbnail.evaluate("img => img.naturalWidth") == 320

    page.locator('input[name="form-0-decorative"]').check()  # newest first: the PNG
    page.locator('input[name="form-1-alt_text"]').fill("Candidates at desks in an exam room")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist .success")).to_contain_text("2 images were changed")
    assert Image.objects.described().count() == 2

    make_question(title="What does the CMA exam cost?", featured_image=Image.objects.get(title="Exam Room"))
    page.goto(f"{site}admin/media/image/")
    expect(page.get_by_role("link", name="What does the CMA exam cost?")).to_be_visible()
    screenshot(page, "media-library-list")
    page.goto(f"{site}admin/media/image/add/")
    screenshot(page, "media-library-upload")
    assert failures == [] and console_errors == []
