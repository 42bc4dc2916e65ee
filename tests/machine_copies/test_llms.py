"""llms.txt at SITE_URL's path and the full list beside it (llms/<n>.txt): their shape
(llmstxt.org), their links, nested categories, the cap and the paging, and a cost that
does not grow with the site."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faqs.models import Question
from machine_copies import llms
from tests.factories import make_category, make_question
from tests.machine_copies.commonmark import raw_html, to_html

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
INDEX = "/resources/llms.txt"
LINK = re.compile(r"^- \[(?P<name>.*)\]\((?P<url>[^) ]+)\)(?:: (?P<summary>.*))?$")


def sections(text: str) -> dict[str, list[str]]:
    """Each `## heading` with the names of the links listed under it."""
    found: dict[str, list[str]] = {}
    heading = None
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:]
            found[heading] = []
        elif heading and (link := LINK.match(line)):
            found[heading].append(link["name"])
    return found


def links(text: str) -> list[str]:
    return [link["url"] for line in text.splitlines() if (link := LINK.match(line))]


def get_text(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode()


def ago(hours: int):
    return timezone.now() - timedelta(hours=hours)


def test_llms_txt_names_the_site_then_lists_each_category_with_its_questions(client):
    exam = make_category(name="CMA Exam", slug="cma-exam")
    retakes = make_category(name="Retakes", slug="retakes", parent=exam)
    fees = make_category(name="Fees", slug="fees", parent=retakes)
    make_category(name="Empty", slug="empty")
    make_question(
        title="How long is the CMA exam?", slug="how-long", categories=[exam], excerpt="About 4 hours."
    )
    make_question(title="Can I retake it?", slug="retake", categories=[exam, retakes])
    make_question(title="What does a retake cost?", slug="cost", categories=[fees])
    make_question(title="Uncategorised?", slug="loose")
    make_question(title="A draft?", categories=[exam], status=Question.Status.DRAFT)
    text = get_text(client, INDEX)
    assert text.startswith("# Certilyst\n\n> A hub for all your certification exams\n\n")
    # Nested categories stay H2 sections (the format's), named by their path, parents first.
    assert sections(text) == {
        "CMA Exam": ["Can I retake it?", "How long is the CMA exam?"],
        "CMA Exam › Retakes": ["Can I retake it?"],
        "CMA Exam › Retakes › Fees": ["What does a retake cost?"],
        "Optional": ["Questions 1 to 4 of 4, oldest first"],
    }
    assert f"- [How long is the CMA exam?]({SITE}/resources/faq/how-long.md): About 4 hours." in text
    assert raw_html(text) == []
    for url in links(text):  # every link answers
        assert client.get(url.removeprefix(SITE)).status_code == 200, url


def test_a_category_lists_its_newest_and_links_its_page_when_it_holds_more(client, monkeypatch):
    monkeypatch.setattr(llms, "QUESTIONS_PER_CATEGORY", 3)
    exam = make_category(name="CMA Exam", slug="cma-exam")
    for number in range(5):
        make_question(title=f"Question {number}?", categories=[exam], published_at=ago(10 - number))
    text = get_text(client, INDEX)
    assert sections(text)["CMA Exam"] == [
        "Question 4?",
        "Question 3?",
        "Question 2?",
        "All 5 questions in CMA Exam",
    ]
    assert f"- [All 5 questions in CMA Exam]({SITE}/resources/faq-categories/cma-exam/)" in text


def test_every_public_question_is_in_the_paged_files_oldest_first(client, monkeypatch):
    monkeypatch.setattr(llms, "QUESTIONS_PER_FILE", 2)
    for number in range(5):
        make_question(title=f"Question {number}?", published_at=ago(10 - number))
    make_question(
        title="Not yet?", status=Question.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
    )
    index = get_text(client, INDEX)
    assert sections(index)["Optional"] == [
        "Questions 1 to 2 of 5, oldest first",
        "Questions 3 to 4 of 5, oldest first",
        "Questions 5 to 5 of 5, oldest first",
    ]
    pages = [get_text(client, f"/resources/llms/{number}.txt") for number in (1, 2, 3)]
    assert [sections(page)["Questions"] for page in pages] == [
        ["Question 0?", "Question 1?"],
        ["Question 2?", "Question 3?"],
        ["Question 4?"],
    ]
    assert pages[1].startswith(
        "# Certilyst: every question, page 2 of 3\n\n> Questions 3 to 4 of 5, oldest first."
    )
    assert [sections(page)["Optional"] for page in pages] == [
        ["Next page"],
        ["Previous page", "Next page"],
        ["Previous page"],
    ]
    assert f"[llms.txt]({SITE}/resources/llms.txt)" in pages[1]
    assert f"- [Next page]({SITE}/resources/llms/3.txt)" in pages[1]


@pytest.mark.parametrize("path", ["/resources/llms/4.txt", "/resources/llms/0.txt", "/resources/llms/01.txt",
                                  "/resources/llms/x.txt", "/resources/llms/99999999999.txt"])  # fmt: skip
def test_a_page_past_the_end_or_misspelt_is_404(client, monkeypatch, path):
    monkeypatch.setattr(llms, "QUESTIONS_PER_FILE", 2)
    for _ in range(5):
        make_question()
    assert client.get(path).status_code == 404


def test_an_empty_site_has_an_index_and_no_pages(client):
    text = get_text(client, INDEX)
    assert text.startswith("# Certilyst\n") and sections(text) == {}
    assert client.get("/resources/llms/1.txt").status_code == 200  # the first page of none, as archives
    assert client.get("/resources/llms/2.txt").status_code == 404


def test_names_and_titles_that_look_like_markdown_are_shown_as_written(client):
    category = make_category(name="C# *basics* [2025]", slug="c-basics")
    make_question(title="What is <b>bold</b> _and_ [x](y)?", slug="odd", categories=[category],
                  excerpt="Use `code` & *stars*.")  # fmt: skip
    text = get_text(client, INDEX)
    assert raw_html(text) == []
    shown = to_html(text)
    assert "<h2>C# *basics* [2025]</h2>" in shown
    assert f'<a href="{SITE}/resources/faq/odd.md">What is &lt;b&gt;bold&lt;/b&gt; _and_ [x](y)?</a>' in shown
    assert ": Use `code` &amp; *stars*.</li>" in shown


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_files_cost_the_same_few_queries_at_any_size(client, settings):
    settings.PAGE_CACHE = settings.PAGE_FRAGMENTS = False  # count what making them costs
    categories = [make_category(name=f"Exam {number}") for number in range(3)]
    for number in range(4):
        make_question(categories=categories[: 1 + number % 3])
    small = (queries(client, INDEX), queries(client, "/resources/llms/1.txt"))
    for number in range(40):
        make_question(categories=categories[: 1 + number % 3])
    large = (queries(client, INDEX), queries(client, "/resources/llms/1.txt"))
    # The categories with their counts, their newest ids, those rows, the full list's
    # count; a page: its count, its ids, its rows.
    assert small == large == (4, 3)
