"""The answer's editor and the snippet preview, in chromium: what only a browser shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from faqs import content
from faqs.models import Question
from tests.factories import make_question, make_staff_user
from tests.faqs.e2e_shots import screenshot
from tests.faqs.test_e2e import OTHER_TITLE_MATCH, answer_editor, open_page, type_answer
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password-1"
WORD_PASTE = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office'><body><!--StartFragment-->"
    "<p class=MsoNormal style='margin:0cm;mso-line-height-rule:exactly'><span style='font-family:Calibri;"
    "mso-fareast-font-family:Calibri'>Bring <b>two</b> forms of <i>photo</i> ID.<o:p></o:p></span></p>"
    "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><span style='color:red'>Arrive early</span>"
    "</p><script>alert(1)</script><!--EndFragment--></body></html>"
)


def signed_in(browser, site, width: int = 1280) -> Page:
    editor = make_staff_user(password=PASSWORD)
    page, failures = open_page(browser, viewport={"width": width, "height": 900})
    page.goto(site + "admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + "admin/")
    page.failures = failures
    return page


def answer_html(page: Page) -> str:
    return page.locator("textarea[name=content]").input_value()


def test_an_editor_writes_a_heading_a_list_and_a_picked_link_and_sees_the_snippet(site, browser):
    load_demo()
    page = signed_in(browser, site)
    page.goto(site + "admin/faqs/question/add/")
    page.locator("input[name=title]").fill("What should you bring to the CMA exam?")

    # Markdown-style shortcuts, as in WordPress's block editor: "## " makes a heading, "- " a list.
    answer_editor(page).click()
    page.keyboard.type("## On the day\n")
    page.keyboard.type("- Photo ID\nYour admission letter\n\n")
    page.keyboard.type("If you fail, read ")
    picker = page.get_by_role("combobox", name="Link to a question")
    picker.fill("wait retake")
    option = page.get_by_role("option", name=OTHER_TITLE_MATCH)
    expect(option).to_be_visible()
    picker.press("Enter")
    expect(page.locator(".link-picker-status")).to_contain_text("Linked to")
    answer = answer_html(page)
    assert "<h2>On the day</h2>" in answer
    assert "<ul><li><p>Photo ID</p></li><li><p>Your admission letter</p></li></ul>" in answer
    target = Question.objects.get(title=OTHER_TITLE_MATCH)
    assert f'<a href="{site}faq/{target.slug}/">{OTHER_TITLE_MATCH}</a>' in answer

    # The snippet follows the unsaved form; a long description turns the meter red.
    meter = page.locator("[data-meter=description]")
    page.locator("textarea[name=meta_description]").fill("Bring photo ID. " * 20)
    expect(meter).to_have_attribute("data-state", "red")
    expect(page.locator(".serp-description")).to_contain_text("Bring photo ID.")
    page.locator("textarea[name=meta_description]").fill(
        "What to bring to the CMA exam: two forms of photo ID, your admission letter, and nothing "
        "else; the test centre provides a calculator."
    )
    expect(meter).to_have_attribute("data-state", "good")
    expect(page.locator(".serp-title")).to_have_text("What should you bring to the CMA exam?")
    expect(page.locator(".social-card-title")).to_have_text("What should you bring to the CMA exam?")
    screenshot(page.locator(".snippet-preview"), "editor-snippet-1280")
    screenshot(page, "editor-change-form-1280", full_page=True)

    page.locator("select[name=status]").select_option(label="Published")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    saved = Question.objects.get(title="What should you bring to the CMA exam?")
    assert saved.content == content.sanitize(answer)  # nothing the editor wrote was thrown away
    assert saved.content == answer
    assert saved.outgoing_links.filter(target=target).exists()

    # The editor changes the answer, compares the two versions and restores the first.
    type_answer(page, "Bring one photo ID.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    page.get_by_role("link", name="History").click()
    page.get_by_role("button", name="Compare selected versions").click()
    expect(page.locator(".answer-diff ins")).to_have_text(["<p>Bring", "one", "photo", "ID."])
    expect(page.locator(".answer-diff del").first).to_have_text("<h2>On")
    page.get_by_role("link", name="Restore the “from” version…").click()
    page.get_by_role("button", name="Restore this version").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Restored the version of")
    saved.refresh_from_db()
    assert saved.content == answer
    expect(answer_editor(page).locator("h2")).to_have_text("On the day")
    assert page.failures == []


def test_paste_from_word_keeps_only_what_the_site_allows(site, browser):
    page = signed_in(browser, site)
    page.goto(site + "admin/faqs/question/add/")
    answer_editor(page).click()
    answer_editor(page).evaluate(
        """(element, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Bring two forms of photo ID.");
            const paste = new ClipboardEvent("paste", { clipboardData: data, bubbles: true });
            element.dispatchEvent(paste);
        }""",
        WORD_PASTE,
    )
    expect(answer_editor(page)).to_contain_text("Arrive early")
    answer = answer_html(page)
    assert "<strong>two</strong>" in answer and "<em>photo</em>" in answer
    for leftover in ("mso", "style=", "class=", "<span", "o:p", "<script", "alert", "Calibri"):
        assert leftover not in answer, leftover
    assert answer == content.sanitize(answer)


def test_the_html_source_view_and_the_phone_width(site, browser):
    page = signed_in(browser, site, width=360)
    page.goto(site + "admin/faqs/question/add/")
    answer_editor(page).click()
    page.keyboard.type("Short answer.")
    page.get_by_role("button", name="edit HTML").click()
    source = page.locator("dialog[open] textarea")
    expect(source).to_have_value("<p>Short answer.</p>")
    source.fill("<p>Short answer, <strong>fixed</strong> by hand.</p>")
    page.locator("dialog[open] button[type=submit], dialog[open] button:has-text('Update')").first.click()
    expect(answer_editor(page).locator("strong")).to_have_text("fixed")
    # On a phone the editor and the preview fit the screen: no sideways scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    screenshot(page, "editor-change-form-360", full_page=True)


def test_unsaved_changes_come_back_after_a_closed_tab_and_go_after_a_save(site, browser):
    question = make_question(title="Is the PTCB exam hard?", content="<p>It is fair.</p>")
    page = signed_in(browser, site)
    change = f"{site}admin/faqs/question/{question.pk}/change/"
    page.goto(change)
    page.locator("input[name=title]").fill("Is the PTCB exam hard to pass?")
    answer_editor(page).click()
    page.keyboard.press("End")
    page.keyboard.type(" Most pass on the first try.")
    key = f"certfaq:unsaved:/resources/admin/faqs/question/{question.pk}/change/"
    page.wait_for_function("key => localStorage.getItem(key) !== null", arg=key)
    page.wait_for_function(
        "key => JSON.parse(localStorage.getItem(key)).values.content.includes('first try')", arg=key
    )
    page.close()  # the tab is closed without saving

    again = page.context.new_page()
    again.goto(change)
    banner = again.get_by_role("status").filter(has_text="Restore unsaved changes from")
    expect(banner).to_be_visible()
    expect(again.locator("input[name=title]")).to_have_value("Is the PTCB exam hard?")
    screenshot(again, "editor-unsaved-offer-1280")
    banner.get_by_role("button", name="Restore").click()
    expect(again.locator("input[name=title]")).to_have_value("Is the PTCB exam hard to pass?")
    expect(answer_editor(again)).to_contain_text("Most pass on the first try.")
    again.locator("input[name=_continue]").click()
    expect(again.locator(".messagelist .success")).to_be_visible()
    assert again.evaluate("key => localStorage.getItem(key)", key) is None
    question.refresh_from_db()
    assert question.title == "Is the PTCB exam hard to pass?"
    assert "Most pass on the first try." in question.content
    expect(again.get_by_text("Restore unsaved changes")).to_have_count(0)


def test_a_second_editor_sees_who_has_the_question_open(site, browser):
    question = make_question(title="Is the NCLEX adaptive?")
    change = f"{site}admin/faqs/question/{question.pk}/change/"
    first = signed_in(browser, site)  # "editor"
    first.goto(change)
    expect(first.locator(".presence-notice")).to_be_hidden()

    other = make_staff_user(username="ana", password=PASSWORD)
    other.first_name = "Ana"
    other.save()
    second, _ = open_page(browser, viewport={"width": 1280, "height": 900})
    second.goto(site + "admin/login/")
    second.get_by_label("Username").fill("ana")
    second.get_by_label("Password").fill(PASSWORD)
    second.get_by_role("button", name="Log in").click()
    second.goto(change)
    notice = second.get_by_role("status").filter(has_text="also editing this question")
    expect(notice).to_contain_text("editor (since ")
    screenshot(second, "editor-presence-1280")
    # The first editor's form hears of Ana when it next renews its mark.
    first.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(first.locator(".presence-notice")).to_contain_text("Ana (since ")


def test_leaving_with_unsaved_changes_asks_first_and_saving_does_not(site, browser):
    question = make_question(title="Is the PTCB exam timed?", content="<p>Yes.</p>")
    page = signed_in(browser, site)
    change = f"{site}admin/faqs/question/{question.pk}/change/"
    asked = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", answer)
    page.goto(change)
    page.goto(site + "admin/")  # nothing changed: leaves without asking
    assert asked == []

    page.goto(change)
    page.locator("input[name=title]").click()
    page.keyboard.type(" How long?")
    page.close(run_before_unload=True)  # the tab is closed with the change unsaved
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and not page.is_closed()

    page.locator("input[name=_continue]").click()  # saving does not ask
    expect(page.locator(".messagelist .success").first).to_be_visible()
    assert asked == ["beforeunload"]
    question.refresh_from_db()
    assert question.title == "Is the PTCB exam timed? How long?"


@pytest.mark.parametrize("width", [1280, 360])
def test_the_add_forms_answer_box_looks_like_a_place_for_paragraphs(site, browser, width):
    page = signed_in(browser, site, width=width)
    page.goto(site + "admin/faqs/question/add/")
    box = answer_editor(page).bounding_box()
    assert box["height"] >= 200, box
    screenshot(page, f"editor-add-form-{width}", full_page=True)
