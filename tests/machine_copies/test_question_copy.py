"""A public question as Markdown at faq/<slug>.md: what it holds, what it says of the
page it copies, who gets none, and the page head that names it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from faqs import publishing, seo
from faqs.models import Question
from tests.factories import make_question, make_staff_user
from tests.headparse import head_tags
from tests.machine_copies.commonmark import raw_html, to_html

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
ANSWER = (
    '<h2>Retake fees</h2><p>You pay <strong>$125</strong> (see <a href="/resources/faq/other/" '
    'title="Other">the other question</a>). <code>a`b</code> &lt;script&gt; *not bold* 1. not a list</p>'
    "<ul><li>First<ul><li>Nested</li></ul></li><li>Second</li></ul>"
    "<table><thead><tr><th>Attempt</th><th>Fee</th></tr></thead>"
    "<tbody><tr><td>First</td><td>$125 | or less</td></tr></tbody></table>"
    "<pre><code>```\nprint(1)</code></pre>"
    '<figure class="figure"><img src="/resources/media/images/fees.png" alt="Fees [chart]">'
    "<figcaption>Fees by <em>attempt</em></figcaption></figure>"
    '<h3 id="small-print">Small print</h3><p><a href="#retake-fees">Back to fees</a></p>'
)


def copy_url(question: Question) -> str:
    return reverse("faqs:question_markdown", kwargs={"slug": question.slug})


def test_a_public_questions_copy_holds_its_title_address_date_and_answer(client):
    question = make_question(title="Is the *CMA* [exam] hard?", slug="cma-hard", content=ANSWER)
    response = client.get(copy_url(question))
    page_url = f"{SITE}/resources/faq/cma-hard/"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Link"] == f'<{page_url}>; rel="canonical"'
    assert response["Last-Modified"] == http_date(question.saved_at.timestamp())
    assert "X-Robots-Tag" not in response  # an alternate of an indexed page
    text = response.content.decode()
    assert raw_html(text) == []
    assert text.startswith("# Is the \\*CMA\\* \\[exam\\] hard?\n\n")
    assert f"Canonical URL: <{page_url}>" in text
    assert f"Last modified: {seo.schema_datetime(question.modified_at)}" in text
    shown = to_html(text)
    assert "<h1>Is the *CMA* [exam] hard?</h1>" in shown
    assert "<h2>Retake fees</h2>" in shown and "<h3>Small print</h3>" in shown
    assert f'<a href="{SITE}/resources/faq/other/" title="Other">the other question</a>' in shown
    assert f'<a href="{page_url}#retake-fees">Back to fees</a>' in shown  # the page's own section
    assert "<code>a`b</code> &lt;script&gt; *not bold* 1. not a list" in shown
    assert "<ul>\n<li>First\n<ul>\n<li>Nested</li>" in shown
    assert "<th>Attempt</th>" in shown and "<td>$125 | or less</td>" in shown
    assert "<pre><code>```\nprint(1)\n</code></pre>" in shown
    assert f'<img src="{SITE}/resources/media/images/fees.png" alt="Fees [chart]" />' in shown
    assert "<p><em>Fees by <em>attempt</em></em></p>" in shown


def test_a_copy_follows_the_pages_canonical_and_robots(client):
    question = make_question(
        slug="moved", canonical_url="https://example.com/original/", noindex=True, nofollow=True
    )
    response = client.get(copy_url(question))
    assert response["Link"] == '<https://example.com/original/>; rel="canonical"'
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Canonical URL: <https://example.com/original/>" in response.content.decode()


def test_a_canonical_address_with_spaces_or_accents_is_a_valid_header(client):
    question = make_question(slug="accents", canonical_url="https://example.com/café au lait/\nx")
    response = client.get(copy_url(question))
    assert response["Link"] == '<https://example.com/caf%C3%A9%20au%20lait/%0Ax>; rel="canonical"'
    assert "Canonical URL: <https://example.com/café%20au%20lait/%0Ax>" in response.content.decode()


@pytest.mark.parametrize(
    "status",
    [Question.Status.DRAFT, Question.Status.PENDING, Question.Status.PRIVATE, Question.Status.SCHEDULED],
)
def test_a_question_the_public_cannot_see_has_no_copy(client, status):
    fields = (
        {"published_at": timezone.now() + timedelta(days=2)} if status == Question.Status.SCHEDULED else {}
    )
    question = make_question(slug="not-yet", status=status, **fields)
    assert client.get(copy_url(question)).status_code == 404
    client.force_login(make_staff_user())  # no preview either: the copy is the public page's
    assert client.get(copy_url(question)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/resources/faq/no-such-question.md",
        "/resources/faq/.md",
        "/resources/faq/%3Cscript%3E.md",
        "/resources/faq/%FF%FE.md",
        "/resources/faq/" + "a" * 3000 + ".md",
        "/resources/faq/real.md/",
        "/resources/faq/real/.md",
    ],
)
def test_unknown_and_malformed_slugs_are_404(client, path):
    # Some first meet the site's address rules (a slash added, a slug lower-cased).
    make_question(slug="real")
    assert client.get(path, follow=True).status_code == 404


def test_an_upper_case_slug_redirects_to_the_lower_case_copy(client):
    make_question(slug="cma-hard")
    response = client.get("/resources/faq/CMA-Hard.md")
    assert response.status_code == 301 and response["Location"] == "/resources/faq/cma-hard.md"


def test_the_copy_is_read_only_and_answers_conditional_requests(client):
    question = make_question()
    assert client.post(copy_url(question)).status_code == 405
    assert client.head(copy_url(question)).status_code == 200
    last_modified = client.get(copy_url(question))["Last-Modified"]
    assert client.get(copy_url(question), headers={"if-modified-since": last_modified}).status_code == 304


def test_a_copy_costs_one_query(client, django_assert_max_num_queries):
    question = make_question(content=ANSWER)
    with django_assert_max_num_queries(1):
        assert client.get(copy_url(question)).status_code == 200


# --- the page names its copy


def alternate_links(html: str) -> list[str]:
    head = html.split("</head>", 1)[0]
    return [line.strip() for line in head.splitlines() if 'rel="alternate" type="text/markdown"' in line]


def test_the_question_pages_head_names_its_markdown_copy(client):
    question = make_question(slug="cma-hard")
    html = client.get(question.get_absolute_url()).content.decode()
    link = f'<link rel="alternate" type="text/markdown" href="{SITE}/resources/faq/cma-hard.md" />'
    assert alternate_links(html) == [link]
    # Beside the reference tags, not among them: the head parser of the parity tests
    # reads the same tags as before.
    assert ("link", "canonical", f"{SITE}/resources/faq/cma-hard/") in head_tags(html)
    assert client.get(f"{SITE}/resources/faq/cma-hard.md".removeprefix(SITE)).status_code == 200


def test_the_api_head_and_a_preview_name_no_copy(client):
    question = make_question(slug="public")
    item = client.get(f"/resources/wp-json/wp/v2/faq/{question.pk}").json()
    assert "text/markdown" not in item["yoast_head"] and "alternates" not in item["yoast_head_json"]
    draft = make_question(slug="draft", status=Question.Status.DRAFT)
    client.force_login(make_staff_user())
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and alternate_links(preview.content.decode()) == []


def test_a_question_published_later_gets_its_copy_and_its_link(client):
    question = make_question(slug="later", status=Question.Status.DRAFT)
    assert client.get(copy_url(question)).status_code == 404
    question.status = Question.Status.PUBLISHED
    publishing.save_question(question)
    assert client.get(copy_url(question)).status_code == 200
    assert alternate_links(client.get(question.get_absolute_url()).content.decode())
