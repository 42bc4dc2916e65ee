"""An image in an answer, end to end in chromium (issue 21, "done when"): an editor
uploads an image from the answer editor's image button, inserts it with its alt text
and a caption, publishes, and the public page shows it responsive at 360 and 1,280 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from faqs.models import Question
from media.models import Image
from tests.faqs.e2e_shots import screenshot
from tests.faqs.test_e2e import answer_editor, open_page
from tests.faqs.test_e2e_editor import answer_html, signed_in
from tests.media.images import image_bytes

pytestmark = pytest.mark.browser

TITLE = "What does the CMA score report show?"
ALT = "Score report: general 72%, administrative 58%, clinical 81%"
CAPTION = "A sample score report"


def test_an_editor_uploads_inserts_and_publishes_an_image_readers_get_responsive(site, browser):
    page = signed_in(browser, site)
    page.goto(site + "admin/faqs/question/add/")
    page.locator("input[name=title]").fill(TITLE)
    answer_editor(page).click()
    page.keyboard.type("Your score report breaks the result down by content area.\n")

    # The image button opens the figure dialog; its "Browse..." opens the library picker.
    page.locator(".prose-menubar button", has_text="image").first.click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("Insert Figure")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Browse...").click()
    picker = opened.value
    picker.wait_for_load_state()
    picker.get_by_text("Upload a new image").click()
    picker.get_by_label("Image file").set_input_files(
        {"name": "score-report.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", (1600, 900))}
    )
    picker.get_by_label("Alt text").fill(ALT)
    picker.get_by_label("Caption").fill(CAPTION)
    with picker.expect_event("close"):
        picker.get_by_role("button", name="Upload and insert").click()

    # The dialog now holds the library's address, its alt text and caption.
    image = Image.objects.get(alt_text=ALT)
    expect(dialog.locator("input[name=altText]")).to_have_value(ALT)
    expect(dialog.locator("input[name=caption]")).to_have_value(CAPTION)
    screenshot(page, "editor-figure-dialog-1280")
    dialog.get_by_role("button", name="Insert").click()
    screenshot(page.locator(".field-content"), "editor-figure-inserted-1280")
    answer = answer_html(page)
    assert re.search(
        rf'<figure class="figure"><img src="{re.escape(image.file.url)}" alt="{re.escape(ALT)}"[^>]*>'
        rf"<figcaption[^>]*>{CAPTION}</figcaption></figure>",
        answer,
    ), answer

    page.locator("select[name=status]").select_option(label="Published")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    question = Question.objects.get(title=TITLE)
    assert list(image.shown_in.values_list("question_id", flat=True)) == [question.pk]
    # It opens in the rich editor again (not as HTML), the figure whole.
    expect(answer_editor(page).locator("figure img")).to_have_attribute("alt", ALT)

    # Readers get a <picture> that fits their screen: the rendition for its width.
    reader, failures = open_page(browser, viewport={"width": 360, "height": 800})
    for width, widest in ((360, 640), (1280, 960)):
        reader.set_viewport_size({"width": width, "height": 800})
        reader.goto(site + f"faq/{question.slug}/")
        shown = reader.locator(".answer figure picture img").first
        shown.scroll_into_view_if_needed()
        expect(shown).to_have_js_property("complete", True)
        assert shown.evaluate("img => img.naturalWidth") > 0
        chosen = int(re.search(r"-(\d+)w\.", shown.evaluate("img => img.currentSrc")).group(1))
        assert chosen <= widest, (width, chosen)
        box = shown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        expect(reader.locator("figcaption", has_text=CAPTION)).to_be_visible()
        assert reader.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(reader, f"inline-image-question-{width}px", full_page=True)
    assert failures == []
