"""The wp-json API over real HTTP, as a headless client reads it: a live server,
urllib, and the paging headers followed to the end."""

import json
import re
import urllib.error
import urllib.request

import pytest

from faqs.models import Question
from tests.factories import make_question


@pytest.fixture
def api_site(transactional_db, live_server, settings):
    """Absolute URLs (Link headers included) point at the live server."""
    settings.SITE_URL = f"{live_server.url}/resources/"
    return f"{live_server.url}/resources/wp-json/wp/v2"


def fetch(url: str) -> tuple[int, dict, object]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def next_link(headers: dict) -> str | None:
    match = re.search(r'<([^>]+)>; rel="next"', headers.get("Link", ""))
    return match.group(1) if match else None


def test_a_client_pages_through_the_whole_collection_by_link_headers(api_site):
    created = {make_question(title=f"Live question {n}?").pk for n in range(23)}
    make_question(title="Hidden draft?", status=Question.Status.DRAFT)
    url, seen, pages = f"{api_site}/faq?per_page=10", [], 0
    while url:
        status, headers, items = fetch(url)
        assert status == 200
        assert headers["X-WP-Total"] == "23" and headers["X-WP-TotalPages"] == "3"
        seen += [item["id"] for item in items]
        pages += 1
        url = next_link(headers)
    assert pages == 3
    assert sorted(seen) == sorted(created)  # every public question once, no draft


def test_a_client_reads_one_item_and_gets_wordpress_errors(api_site):
    question = make_question(title="One live item?")
    status, headers, item = fetch(f"{api_site}/faq/{question.pk}")
    assert status == 200 and headers["Content-Type"] == "application/json; charset=UTF-8"
    assert item["id"] == question.pk and item["title"]["rendered"] == "One live item?"
    assert item["link"] == f"{api_site.split('/wp-json')[0]}/faq/{question.slug}/"
    assert item["_links"]["self"][0]["href"] == f"{api_site}/faq/{question.pk}"
    status, _, error = fetch(f"{api_site}/faq/999999")
    assert (status, error["code"]) == (404, "rest_post_invalid_id")
    status, _, error = fetch(f"{api_site}/faq?per_page=1000")
    assert (status, error["code"]) == (400, "rest_invalid_param")
