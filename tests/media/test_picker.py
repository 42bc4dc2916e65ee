"""The image picker the answer editor's Insert figure dialog opens (Browse...): the
library's described images to choose from, a search, pages, an upload whose image is
chosen at once, and the hand-back to the editor in a real browser."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from media import renditions
from media.models import Image
from media.picker import BAD_FUNC_NUM, PER_PAGE
from media.uploads import store_upload
from tests.factories import make_editor, make_member
from tests.faqs.test_e2e import ARTIFACTS, open_page
from tests.faqs.test_e2e_roles import PASSWORD, screenshot, sign_in
from tests.media.conftest import stored_files
from tests.media.images import image_bytes, upload
from tests.media.test_e2e_media import editor_group_as_migrated

pytestmark = pytest.mark.django_db
PICKER = reverse("admin:media_image_picker")
# What django-prose-editor 0.28 sends: its callbacks are numbered down from -1.
FUNC_NUM = "-1"


@pytest.fixture
def roles(db) -> None:
    editor_group_as_migrated()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(roles) -> Client:
    return signed_in(make_member("Editor", "editor"))


def an_image(title: str, **fields) -> Image:
    """A small stored image (its renditions made), described unless told otherwise."""
    fields.setdefault("alt_text", f"A picture of {title.lower()}")
    return store_upload(upload(f"{title}.jpg", image_bytes(size=(160, 120))), title=title, **fields)


def pick_buttons(response) -> list[dict[str, str]]:
    """The data of each image the page offers (its pick buttons), in order."""
    buttons = re.findall(r'<button type="button" class="media-pick"([^>]*)>', response.content.decode())
    return [
        {name: html.unescape(value) for name, value in re.findall(r'data-(\w+)="([^"]*)"', attributes)}
        for attributes in buttons
    ]


def offered_titles(response) -> list[str]:
    return [image.title for image, _ in response.context["cards"]]


def link_query(response, rel: str) -> dict[str, list[str]]:
    href = re.search(rf'<a href="([^"]*)" rel="{rel}">', response.content.decode()).group(1)
    return parse_qs(urlsplit(html.unescape(href)).query)


# --- who may open it ----------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(PICKER, {"CKEditorFuncNum": FUNC_NUM})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_the_view_permission_are_refused(roles):
    client = signed_in(make_editor("faqs.view_question"))
    assert client.get(PICKER, {"CKEditorFuncNum": FUNC_NUM}).status_code == 403


def test_an_editor_opens_it(editor):
    an_image("Exam room")
    response = editor.get(PICKER, {"CKEditorFuncNum": FUNC_NUM})
    assert response.status_code == 200
    assert offered_titles(response) == ["Exam room"]


def test_an_author_opens_it_and_may_upload(roles):
    """Authors write answers: the picker is theirs too (media 0004), upload included."""
    an_image("Exam room")
    author = signed_in(make_member("Author", "author"))
    response = author.get(PICKER, {"CKEditorFuncNum": FUNC_NUM})
    assert response.status_code == 200
    assert offered_titles(response) == ["Exam room"]
    assert 'name="file"' in response.content.decode()


# --- what it offers -----------------------------------------------------------------


def test_it_offers_only_described_images_newest_first_and_points_to_the_others(editor):
    an_image("Exam room")
    an_image("Fee table", alt_text="", caption="Fees for 2026")
    an_image("Divider", alt_text="", decorative=True)
    response = editor.get(PICKER, {"CKEditorFuncNum": FUNC_NUM})
    assert offered_titles(response) == ["Divider", "Exam room"]
    page = response.content.decode()
    assert "Only images with alt text (or marked decorative) are offered." in page
    missing = f"{reverse('admin:media_image_changelist')}?alt=missing"
    assert f'<a href="{missing}" target="_blank" rel="noopener">1 image without alt text</a>' in page


def test_each_image_is_a_button_with_its_thumbnail_and_what_the_editor_is_given(editor):
    image = an_image("Exam room", caption="The test centre in Leeds")
    decorative = an_image("Divider", alt_text="", decorative=True)
    response = editor.get(PICKER, {"CKEditorFuncNum": FUNC_NUM})
    assert pick_buttons(response) == [
        {"url": decorative.file.url, "id": str(decorative.pk), "alt": "", "caption": ""},
        {
            "url": image.file.url,
            "id": str(image.pk),
            "alt": "A picture of exam room",
            "caption": "The test centre in Leeds",
        },
    ]
    page = response.content.decode()
    thumb = renditions.thumbnail(image)
    assert f'<img src="{thumb.file.url}" width="160" height="120" alt="A picture of exam room"' in page
    assert "Alt: A picture of exam room" in page and "160 × 120" in page
    assert "Decorative (no alt text)" in page
    assert 'class="media-picker" data-func-num="-1"' in page
    assert "media/picker.js" in page
    assert "<script>" not in page.replace("<script src=", "")  # no inline script (CSP)


def test_search_matches_title_alt_text_and_caption_in_any_case(editor):
    an_image("Exam room")
    an_image("Chart", alt_text="Fee table for the CMA exam")
    an_image("Desk", caption="A CALCULATOR on the desk")
    an_image("Ignored", alt_text="", caption="calculator")  # not described: never offered

    def found(query: str) -> list[str]:
        return offered_titles(editor.get(PICKER, {"CKEditorFuncNum": FUNC_NUM, "q": query}))

    assert found("exam ROOM") == ["Exam room"]
    assert found("fee table") == ["Chart"]
    assert found("Calculator") == ["Desk"]
    assert found("cma") == ["Chart"]
    assert found("nothing like it") == []
    page = editor.get(PICKER, {"CKEditorFuncNum": FUNC_NUM, "q": "nothing like it"}).content.decode()
    assert "No image matches “nothing like it”." in page
    assert '<input type="hidden" name="CKEditorFuncNum" value="-1">' in page


def test_pages_keep_the_editor_reference_and_the_search_and_a_bad_page_is_no_error(
    editor, django_assert_max_num_queries
):
    """30 images: two pages; the page's queries do not grow with the images shown."""
    for number in range(30):
        an_image(f"Chart {number:02}")
    with django_assert_max_num_queries(10):
        first = editor.get(PICKER, {"CKEditorFuncNum": "-3", "q": "chart"})
    assert len(offered_titles(first)) == PER_PAGE
    assert offered_titles(first)[0] == "Chart 29"
    assert link_query(first, "next") == {"CKEditorFuncNum": ["-3"], "q": ["chart"], "page": ["2"]}

    second = editor.get(PICKER, {"CKEditorFuncNum": "-3", "q": "chart", "page": "2"})
    assert offered_titles(second) == [f"Chart {number:02}" for number in range(5, -1, -1)]
    assert link_query(second, "prev") == {"CKEditorFuncNum": ["-3"], "q": ["chart"], "page": ["1"]}

    for bad_page, shown in [("abc", 1), ("0", 2), ("99999999999999999999", 2), ("-1", 2), ("", 1)]:
        response = editor.get(PICKER, {"CKEditorFuncNum": "-3", "page": bad_page})
        assert response.status_code == 200, bad_page
        assert response.context["page_obj"].number == shown, bad_page


def test_the_queries_are_the_same_for_3_images_as_for_30(editor, django_assert_max_num_queries):
    for number in range(3):
        an_image(f"First {number}")
    with CaptureQueriesContext(connection) as few:
        assert editor.get(PICKER, {"CKEditorFuncNum": FUNC_NUM}).status_code == 200
    for number in range(27):
        an_image(f"More {number}")
    with django_assert_max_num_queries(len(few)):
        response = editor.get(PICKER, {"CKEditorFuncNum": FUNC_NUM})
    assert len(response.context["cards"]) == PER_PAGE
    assert all(thumb is not None for _, thumb in response.context["cards"])
    assert len(few) <= 8, [query["sql"] for query in few.captured_queries]


@pytest.mark.parametrize("func_num", ["abc", "1;alert(1)", "", "1.5", "--1", "<b>1</b>", "12345678901"])
def test_a_bad_editor_reference_is_a_clear_400(editor, func_num):
    an_image("Exam room")
    response = editor.get(PICKER, {"CKEditorFuncNum": func_num})
    assert response.status_code == 400
    page = response.content.decode()
    assert html.escape(BAD_FUNC_NUM, quote=False).replace("'", "&#x27;") in page
    assert 'class="media-pick"' not in page


@pytest.mark.parametrize("func_num", ["-1", "-27", "1", "42"])
def test_the_editors_references_are_taken(editor, func_num):
    """CKEditor counts up from 1; django-prose-editor 0.28 down from -1."""
    assert editor.get(PICKER, {"CKEditorFuncNum": func_num}).status_code == 200


# --- uploading from it --------------------------------------------------------------


def test_an_upload_is_stored_described_and_chosen_for_the_editor_at_once(editor, media_root):
    response = editor.post(
        f"{PICKER}?CKEditorFuncNum=-2",
        {
            "file": upload("Fee Table.png", image_bytes("PNG", (300, 200)), "image/png"),
            "alt_text": "Fees for each part of the CMA exam",
            "caption": "Fees in 2026",
        },
    )
    assert response.status_code == 200
    image = Image.objects.get()
    assert (image.title, image.alt_text, image.caption, image.decorative) == (
        "Fee Table",
        "Fees for each part of the CMA exam",
        "Fees in 2026",
        False,
    )
    assert image.is_described() and image.renditions.exists()
    page = response.content.decode()
    chosen = re.search(r'<button type="button" class="media-pick"[^>]*data-chosen>', page).group(0)
    assert f'data-url="{image.file.url}" data-id="{image.pk}"' in chosen
    assert 'data-alt="Fees for each part of the CMA exam" data-caption="Fees in 2026"' in chosen
    assert 'data-func-num="-2"' in page and "Uploaded: Fee Table" in page


def test_a_decorative_upload_needs_no_alt_text_and_is_chosen_with_an_empty_one(editor, media_root):
    response = editor.post(
        f"{PICKER}?CKEditorFuncNum=-2",
        {"file": upload("divider.png", image_bytes("PNG", (300, 20)), "image/png"), "decorative": "on"},
    )
    assert response.status_code == 200
    assert Image.objects.get().decorative
    assert pick_buttons(response)[0]["alt"] == ""


def test_an_upload_without_alt_text_is_refused_with_the_reason(editor, media_root):
    response = editor.post(
        f"{PICKER}?CKEditorFuncNum=-2", {"file": upload("room.jpg", image_bytes()), "caption": "Leeds"}
    )
    assert response.status_code == 400
    assert "Describe the image for readers who cannot see it, or mark it decorative." in (
        response.content.decode()
    )
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_a_refused_file_shows_the_reason_keeps_the_alt_text_and_stores_nothing(editor, media_root):
    response = editor.post(
        f"{PICKER}?CKEditorFuncNum=-2",
        {
            "file": upload("chart.png", b"Quarterly fees, not a picture at all.\n", "image/png"),
            "alt_text": "A chart of the fees",
            "caption": "Fees",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "This is not an image we take" in page
    assert re.search(r'name="alt_text"[^>]*>\s*A chart of the fees</textarea>', page)
    assert '<details class="media-picker-upload" open>' in page
    assert "data-chosen" not in page
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_uploading_needs_the_add_permission(roles, media_root):
    viewer = signed_in(make_editor("media.view_image"))
    page = viewer.get(PICKER, {"CKEditorFuncNum": FUNC_NUM}).content.decode()
    assert "Upload a new image" not in page and 'type="file"' not in page
    response = viewer.post(
        f"{PICKER}?CKEditorFuncNum=-2", {"file": upload("room.jpg", image_bytes()), "alt_text": "A room"}
    )
    assert response.status_code == 403
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_the_editor_sees_the_upload_form(editor):
    page = editor.get(PICKER, {"CKEditorFuncNum": FUNC_NUM}).content.decode()
    assert "<summary>Upload a new image</summary>" in page
    assert 'accept="image/jpeg,image/png,image/gif,image/webp,image/avif"' in page
    assert '<label for="id_alt_text">Alt text:</label>' in page


# --- in a real browser --------------------------------------------------------------


def popup_from_the_editor(page, url: str):
    """The picker opened as the answer editor opens it, from a page that records what it
    is handed (as django-prose-editor's callback would fill the dialog)."""
    with page.expect_popup() as opened:
        page.evaluate(
            """url => {
                const callFunction = (n, url, data) => { window.picked = {n, url, data}; };
                window.CKEDITOR = {tools: {callFunction}};
                window.open(url, "_blank", "width=800,height=600");
            }""",
            url,
        )
    popup = opened.value
    popup.wait_for_load_state()
    return popup


@pytest.mark.browser
def test_an_editor_picks_an_image_and_uploads_one_for_the_editor(site, browser, settings, media_root):
    settings.DEBUG = False
    editor_group_as_migrated()
    make_member("Editor", "editor", PASSWORD)
    for number in range(5):
        an_image(f"Chart {number}", caption=f"Fees in 202{number}")
    image = an_image("Exam room", caption="The test centre in Leeds")
    an_image("Undescribed", alt_text="")
    page, failures = open_page(browser)
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    sign_in(page, site, "editor")
    picker_url = f"{site}admin/media/image/picker/?CKEditorFuncNum=-1"

    popup = popup_from_the_editor(page, picker_url)
    popup.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    buttons = popup.locator("button.media-pick")
    expect(buttons).to_have_count(6)
    thumbnail = buttons.first.locator("img")
    expect(thumbnail).to_have_attribute("alt", "A picture of exam room")
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") == 160
    screenshot(popup, "media-picker")  # 1280 and 360 px
    for width in (800, 360):
        popup.set_viewport_size({"width": width, "height": 600})
        popup.screenshot(path=str(ARTIFACTS / f"media-picker-popup-{width}px.png"), full_page=True)
        scroll_width = popup.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"horizontal scroll at {width}px: scrollWidth={scroll_width}"

    with popup.expect_event("close"):
        try:
            buttons.first.press("Enter")  # picked with the keyboard
        except PlaywrightError as error:  # the key's down closed the popup before its up was sent
            assert "closed" in str(error)
    assert page.evaluate("window.picked") == {
        "n": -1,
        "url": image.file.url,
        "data": {
            "id": image.pk,
            "alternative_text": "A picture of exam room",
            "caption": "The test centre in Leeds",
        },
    }

    # An upload from the popup is handed back at once.
    popup = popup_from_the_editor(page, picker_url.replace("-1", "-2"))
    popup.get_by_text("Upload a new image").click()
    popup.set_viewport_size({"width": 360, "height": 600})
    popup.screenshot(path=str(ARTIFACTS / "media-picker-upload-360px.png"), full_page=True)
    popup.get_by_label("Image file").set_input_files(
        {"name": "Fee Table.png", "mimeType": "image/png", "buffer": image_bytes("PNG", (600, 400))}
    )
    popup.get_by_label("Alt text").fill("Fees for each part of the exam")
    popup.get_by_label("Caption").fill("Fees in 2026")
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Upload and insert").click()
    uploaded = Image.objects.get(title="Fee Table")
    assert page.evaluate("window.picked") == {
        "n": -2,
        "url": uploaded.file.url,
        "data": {
            "id": uploaded.pk,
            "alternative_text": "Fees for each part of the exam",
            "caption": "Fees in 2026",
        },
    }

    # Opened directly (no opener): a pick says why nothing is inserted.
    page.goto(picker_url)
    page.locator("button.media-pick").first.click()
    expect(page.get_by_role("status")).to_contain_text("not opened from the answer editor")
    assert failures == [] and console_errors == []
