"""Whatever the query string, no page and no API route answers 5xx (seeded, so
repeatable; runs on SQLite and on PostgreSQL, whose errors differ)."""

import random

import pytest

from wordpress.demo import load_demo

KEYS = [
    "page", "per_page", "search", "slug", "include", "exclude", "orderby", "order", "after", "before",
    "modified_after", "modified_before", "faq-categories", "faq-categories_exclude", "_fields", "_embed",
    "context", "parent", "post", "hide_empty", "s", "paged", "p", "post_type", "rest_route", "slug[]",
    "include[]", "include[0]",
]  # fmt: skip
VALUES = [
    "", "0", "1", "-1", "2", "abc", "1,2", "1,,2", "%00", "9" * 30, "title", "include", "relevance", "asc",
    "desc", "2025-01-01", "2025-01-01T00:00:00Z", "<script>", "id,title.rendered", "title.", ".",
    "/wp/v2/faq", "/wp/v2/faq/549", "/../../etc", "faq", "%ff%fe", "1e5", "+3+", "true", "549",
    "%C2%B2", "%D9%A3", "1,%C2%B2", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00%2B05:00",
]  # fmt: skip
PATHS = [
    "/resources/wp-json/wp/v2/faq",
    "/resources/wp-json/wp/v2/faq/549",
    "/resources/wp-json/wp/v2/faq-categories",
    "/resources/wp-json/wp/v2/faq-categories/1",
    "/resources/wp-json/",
    "/resources/",
    "/resources/faq/",
    "/resources/faq-categories/cma-exam/",
    "/resources/faq-sitemap.xml",
    "/resources/feed/",
]


@pytest.mark.django_db
def test_random_query_strings_never_make_a_server_error(client):
    load_demo()
    generator = random.Random(20261129)
    for _ in range(600):
        path = generator.choice(PATHS)
        count = generator.randint(1, 4)
        query = "&".join(f"{generator.choice(KEYS)}={generator.choice(VALUES)}" for _ in range(count))
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500, f"{path}?{query}"
