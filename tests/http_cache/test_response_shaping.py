"""The middleware stack (issue 17): at most 15, each with one job; the three steps
that shape an answer (Cache-Control, ETag and 304, compression) are one middleware
whose order is its code; no middleware reverses a URL on every request; and the
empty search page's ranking is kept under the page cache's stamp, so a write renews it."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_question, make_staff_user
from wordpress import middleware as wordpress_middleware

pytestmark = pytest.mark.django_db

SHAPING = "http_cache.response.ResponseShapingMiddleware"


def test_the_site_runs_at_most_fifteen_middleware():
    assert len(settings.MIDDLEWARE) <= 15


def test_cache_control_etag_and_compression_are_one_middleware_inside_whitenoise_above_sessions():
    stack = settings.MIDDLEWARE
    assert SHAPING in stack
    for step in ("CompressionMiddleware", "ConditionalGetMiddleware", "CacheControlMiddleware"):
        assert not any(name.endswith(step) for name in stack)
    shaping = stack.index(SHAPING)
    assert stack.index("whitenoise.middleware.WhiteNoiseMiddleware") < shaping
    assert shaping < stack.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert shaping < stack.index("django.middleware.csrf.CsrfViewMiddleware")


def test_the_etag_is_the_uncompressed_bodys_and_compression_comes_last(client):
    question = make_question(content="<p>" + "A long answer about retakes. " * 80 + "</p>")
    response = client.get(question.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "public" in response["Cache-Control"]
    body = gzip.decompress(response.content)
    assert response["ETag"] == f'W/"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'

    again = client.get(
        question.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304 and "Content-Encoding" not in again
    assert again["Cache-Control"] == response["Cache-Control"]


def test_cache_control_is_set_before_the_etag_is_considered(client):
    question = make_question()
    client.force_login(make_staff_user())
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "ETag" not in response


def test_the_wordpress_middleware_does_not_reverse_the_home_path_per_request(client, settings, monkeypatch):
    settings.PAGE_CACHE = False  # every request reaches the middleware
    calls = []
    real_reverse = wordpress_middleware.reverse

    def counted_reverse(*args, **kwargs):
        calls.append(args)
        return real_reverse(*args, **kwargs)

    monkeypatch.setattr(wordpress_middleware, "reverse", counted_reverse)
    for _ in range(3):
        assert client.get(reverse("faqs:home")).status_code == 200
    assert len(calls) <= 1


def empty_search(client) -> str:
    return client.get(reverse("faqs:home"), {"s": "wxyzq"}).content.decode()


def test_a_write_renews_the_most_linked_questions_an_empty_search_offers(client):
    first = make_question(title="Linked first")
    make_question(title="Source one", content=f'<p><a href="{first.get_absolute_url()}">first</a></p>')
    assert "Linked first" in empty_search(client)

    later = make_question(title="Linked later")
    href = later.get_absolute_url()
    make_question(title="Source two", content=f'<p><a href="{href}">one</a> and <a href="{href}">two</a></p>')
    assert "Linked later" in empty_search(client)
