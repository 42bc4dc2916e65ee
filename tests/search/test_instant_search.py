"""Instant search's endpoint (`search/suggest/?s=`) and the header box that calls it;
the typing itself is in test_e2e_instant_search.py."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from faqs.models import Question
from tests.factories import make_question, make_staff_user

pytestmark = pytest.mark.django_db

SUGGEST = reverse("faqs:search_suggest")
DEMO_TITLE = "How Many Times Can You Retake the CMA Exam?"
DEMO_SLUG = "how-many-times-can-you-retake-the-cma-exam"
# The heading window and the questions it names; on PostgreSQL a count first.
MAX_QUERIES = 3


def suggestions(client, query_string: str) -> list[dict]:
    response = client.get(f"{SUGGEST}?{query_string}")
    assert response.status_code == 200, query_string
    return response.json()["results"]


def test_the_endpoint_lives_under_the_site():
    assert SUGGEST == "/resources/search/suggest/"


def test_typed_words_find_the_demo_question_and_its_page(demo_site, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(SUGGEST, {"s": "cma ret"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["query"] == "cma ret"
    assert set(body) == {"query", "results"}
    assert all(set(entry) == {"title", "url"} for entry in body["results"])
    entry = next(entry for entry in body["results"] if entry["title"] == DEMO_TITLE)
    assert entry["url"].endswith(f"/resources/faq/{DEMO_SLUG}/")
    page = client.get(entry["url"])
    assert page.status_code == 200 and DEMO_TITLE in page.content.decode()


def test_the_query_is_echoed_as_the_results_page_would_show_it(demo_site, client):
    body = client.get(SUGGEST, {"s": "  CMA   retake "}).json()
    assert body["query"] == "CMA retake"  # the trailing space says "retake" is whole
    assert DEMO_TITLE in [entry["title"] for entry in body["results"]]


def test_at_most_eight_suggestions_and_only_public_questions(client):
    for number in range(10):
        make_question(title=f"CMA retake rule {number}?")
    make_question(title="CMA retake draft?", status=Question.Status.DRAFT)
    make_question(title="CMA retake private?", status=Question.Status.PRIVATE)
    titles = [entry["title"] for entry in suggestions(client, "s=cma+retake")]
    assert len(titles) == 8
    assert all(re.fullmatch(r"CMA retake rule \d\?", title) for title in titles), titles


# Each would find the demo question were it read as typed words: the empty list is the
# refusal, not a miss.
UNUSABLE = {
    "no s": "q=cma+ret",
    "blank": "s=",
    "spaces": "s=+++",
    "one character": "s=c",
    "one character in spaces": "s=+c+",
    "repeated": "s=cma+ret&s=cma+ret",
    "longer than the box allows": "s=cma+ret" + "+" * 250,
    "a control character": "s=cma+ret%07",
    "an escape sequence": "s=cma+ret%1B%5B2J",
    "a tab": "s=cma%09ret",
}


@pytest.mark.parametrize("query_string", UNUSABLE.values(), ids=UNUSABLE.keys())
def test_unusable_input_gets_an_empty_list_without_asking_the_engine(
    demo_site, client, django_assert_num_queries, query_string
):
    with django_assert_num_queries(0):
        response = client.get(f"{SUGGEST}?{query_string}")
    assert response.status_code == 200
    assert response.json()["results"] == []


ODD = [
    "s=%00", "s=cma%00ret", "s=%ff%fe", "s=%3Cscript%3E", "s=%E2%80%AE%E2%80%AE", "s=%22%27%5C",
    "s=" + "x" * 5000,
]  # fmt: skip


@pytest.mark.parametrize("query_string", ODD)
def test_odd_input_is_never_a_server_error(demo_site, client, query_string):
    response = client.get(f"{SUGGEST}?{query_string}")
    assert response.status_code == 200, query_string
    assert isinstance(response.json()["results"], list)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_only_get_and_head_are_answered(method):
    client = Client(enforce_csrf_checks=True)  # as a browser: a POST meets the 405, not the CSRF 403
    response = getattr(client, method)(f"{SUGGEST}?s=cma+ret")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_head_answers_without_a_body(demo_site, client):
    response = client.head(SUGGEST, {"s": "cma ret"})
    assert response.status_code == 200 and response.content == b""


def test_suggestions_are_kept_out_of_search_engines_and_set_no_cookie(demo_site, client):
    response = client.get(SUGGEST, {"s": "cma ret"})
    assert response["X-Robots-Tag"] == "noindex"
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")
    assert Session.objects.count() == 0


def test_a_signed_in_editors_session_is_not_written(client):
    client.force_login(make_staff_user())
    session = Session.objects.get()
    response = client.get(SUGGEST, {"s": "cma ret"})
    assert response.status_code == 200 and response.cookies == {}
    assert Session.objects.get().expire_date == session.expire_date


@pytest.mark.parametrize(
    "path, query", [("/resources/", {"s": "retake"}), ("/resources/", {}), ("/resources/nope/", {})]
)
def test_every_page_has_one_search_box_the_headers(client, path, query):
    """One search box a page (issue 20): the header's, which names the endpoint for the
    script and submits `s` to the results page; on the results page it holds the query."""
    html = client.get(path, query).content.decode()
    header_input = r'<input id="site-search-input"[^>]* data-suggest-url="/resources/search/suggest/"'
    assert re.search(header_input, html)
    assert html.count("data-suggest-url") == 1
    assert html.count('action="/resources/"') == 1 and html.count('name="s"') == 1
    assert html.count('role="search"') == 1
    if query:
        assert 'value="retake"' in html
    assert '<script src="/resources/static/faqs/instant-search.js" defer></script>' in html
