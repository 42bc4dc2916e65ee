"""The change form's answer editor, its link picker and the search/social preview."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from faqs import content, seo
from faqs.admin import editor, snippet
from faqs.models import Question
from tests.factories import make_editor, make_question
from tests.faqs.test_admin import question_form_data

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:faqs_question_snippet_preview")
LINK_TARGETS = reverse("admin:faqs_question_link_targets")


def change_url(question: Question) -> str:
    return reverse("admin:faqs_question_change", args=[question.pk])


def test_the_editor_writes_only_markup_the_sanitiser_keeps():
    """What the editor can produce is a subset of the one allow-list, so an editor never
    writes something the save then throws away."""
    markup = editor.editor_markup()
    assert markup["tags"] <= content.ALLOWED_TAGS
    for tag, attributes in markup.get("attributes", {}).items():
        # An ordered list's data-type repeats its type (decimal for 1, lower-alpha for
        # a): the sanitiser drops the copy and the editor reads the type back.
        written = set(attributes) - ({"data-type"} if tag == "ol" else set())
        assert written <= set(content.ALLOWED_ATTRIBUTES.get(tag, ())), tag
    assert set(markup["url_schemes"]) <= content.ALLOWED_PROTOCOLS
    # What the issue asks the editor to write at least.
    assert {"p", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "blockquote", "code", "table"} <= (
        markup["tags"]
    )


def test_the_change_form_opens_the_answer_in_the_rich_text_editor(admin_client):
    question = make_question(content="<h2>Fees</h2><ul><li>One</li></ul><p>See <a href='/x/'>x</a>.</p>")
    page = admin_client.get(change_url(question)).content.decode()
    assert "data-django-prose-editor-configurable" in page
    assert f'data-link-targets="{LINK_TARGETS}"' in page
    assert 'type="importmap"' in page  # the editor's modules are found through it
    assert "faqs/admin/link-picker.js" in page and "faqs/admin/snippet-preview.js" in page


@pytest.mark.parametrize(
    "answer, named",
    [
        ("<dl><dt>CMA</dt><dd>Certified Medical Assistant</dd></dl>", "dl"),
        ('<h2 id="fees">Fees</h2><p>Text.</p>', "h2 id"),
        # The editor's figure has no srcset: an imported responsive image keeps it as HTML.
        (
            '<img src="/resources/media/images/a.png" alt="A" srcset="/resources/media/images/b.png 9w">',
            "img srcset",
        ),
    ],
)
def test_an_answer_the_editor_cannot_show_whole_opens_as_html(admin_client, answer, named):
    """ProseMirror drops what its schema lacks: such an answer is kept as HTML, and
    the editor is told why."""
    question = make_question(content=answer)
    page = admin_client.get(change_url(question)).content.decode()
    assert "data-django-prose-editor-configurable" not in page
    assert "cannot show" in page and named in page
    assert 'class="vLargeTextField answer-source"' in page and escape(question.content) in page


def test_the_link_picker_finds_published_questions_by_every_word(admin_client, django_assert_max_num_queries):
    wanted = make_question(title="How many times can you retake the CMA exam?")
    make_question(title="How many times can you retake the PTCB exam?", status=Question.Status.DRAFT)
    make_question(title="What does the CMA exam cost?")
    with django_assert_max_num_queries(6):
        response = admin_client.get(LINK_TARGETS, {"q": "retake CMA"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"title": wanted.title, "url": f"http://127.0.0.1:8000/resources/faq/{wanted.slug}/"}]
    }
    assert admin_client.get(LINK_TARGETS, {"q": ""}).json() == {"results": []}
    assert admin_client.get(LINK_TARGETS, {"q": "%_\x00" * 50}).status_code == 200


def test_the_link_picker_is_for_those_who_may_write_questions(client):
    client.force_login(make_editor("faqs.view_question"))
    assert client.get(LINK_TARGETS, {"q": "cma"}).status_code == 403


def preview(admin_client, question: Question | None, **changes) -> dict:
    url = PREVIEW + (f"?id={question.pk}" if question else "")
    data = question_form_data(question, **changes) if question else changes
    response = admin_client.post(url, data)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def saved_head(admin_client, question: Question, **changes) -> dict:
    response = admin_client.post(change_url(question), question_form_data(question, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    return seo.build_head(seo.question_page(question))


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Can you retake the CMA exam the same month?", "meta_description": "Yes, after 30 days."},
        {"seo_title": "CMA retakes: the rules", "content": "<p>First paragraph becomes the description.</p>"},
        {"excerpt": "An excerpt stands in for the description.", "noindex": "on"},
        {"slug": "a-new-address", "canonical_url": "https://example.com/elsewhere/"},
        {"status": "draft"},
    ],
)
def test_the_preview_shows_what_the_saved_page_will_emit(admin_client, changes):
    """The preview asks the real builder about the unsaved values; saving the same
    values gives the same head."""
    question = make_question(title="Can you retake the CMA exam?", content="<p>Yes. Three times a year.</p>")
    shown = preview(admin_client, question, **changes)
    head = saved_head(admin_client, question, **changes)
    assert shown["title"] == head["title"] == head["og_title"] == shown["og_title"]
    assert shown["description"] == head.get("description", "") == shown["og_description"]
    assert shown["url"] == head.get("canonical", head["og_url"])
    assert shown["robots"] == ", ".join(head["robots"].values())
    assert shown["og_site_name"] == head["og_site_name"]
    assert shown["indexed"] == (head["robots"]["index"] == "index")


def test_a_derived_description_is_said_to_be_derived(admin_client):
    question = make_question(content="<p>Derived from this paragraph.</p>")
    shown = preview(admin_client, question, meta_description="")
    assert shown["description"] == "Derived from this paragraph."
    assert shown["description_derived"] is True
    assert preview(admin_client, question, meta_description="Mine.")["description_derived"] is False


@pytest.mark.parametrize(
    "length, state",
    [(0, "red"), (60, "amber"), (140, "good"), (158, "good"), (159, "red"), (400, "red")],
)
def test_the_description_meter(length, state):
    assert snippet.description_meter("x" * length)[0] == state


def test_a_new_question_is_previewed_with_the_slug_its_title_will_give(admin_client):
    shown = preview(
        admin_client, None, title="Is the CMA exam hard?", content="<p>It can be.</p>", status="draft"
    )
    assert shown["url"] == "http://127.0.0.1:8000/resources/faq/is-the-cma-exam-hard/"
    assert shown["breadcrumb"] == "127.0.0.1 › resources › faq › is-the-cma-exam-hard"
    assert shown["indexed"] is False  # a draft is never indexed


@pytest.mark.parametrize(
    "changes",
    [
        {"published_at_0": "not a date", "published_at_1": "25:99"},
        {"status": "nonsense", "slug": "?!"},
        {"content": "<script>alert(1)</script>" + "x" * 10},
        {"title": "\x00"},
    ],
)
def test_bad_form_values_still_get_a_preview(admin_client, changes):
    question = make_question()
    shown = preview(admin_client, question, **changes)
    assert "<script>" not in shown["description"]


def test_the_preview_endpoint_refuses_what_it_should(admin_client, client):
    question = make_question()
    assert admin_client.get(PREVIEW).status_code == 405
    assert admin_client.post(PREVIEW + "?id=99999", {}).status_code == 404
    assert admin_client.post(PREVIEW + "?id=abc", {}).status_code == 404
    assert client.post(PREVIEW + f"?id={question.pk}", {}).status_code == 302  # to the sign-in
    client.force_login(make_editor("faqs.view_question"))
    assert client.post(PREVIEW + f"?id={question.pk}", {}).status_code == 403


def test_the_change_form_shows_the_snippet_of_the_stored_question(admin_client):
    question = make_question(title="Is the PTCB exam hard?", meta_description="A fair test of what you know.")
    page = admin_client.get(change_url(question)).content.decode()
    assert 'class="snippet-preview"' in page
    assert "A fair test of what you know." in page
    assert f'data-endpoint="{PREVIEW}?id={question.pk}"' in page
