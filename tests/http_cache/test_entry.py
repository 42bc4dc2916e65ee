"""How a response is kept: as sent, in every cache. A body kept deflated had to be
inflated on each hit of a client that takes no coding; that was the largest part of
such a hit with Redis (issue 18)."""

import zlib

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from http_cache.middleware import Entry

PAGE = b"<p>An answer.</p>" * 1000


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse(PAGE),
        HttpResponse(b'{"id": 1, "title": "An answer"},' * 20_000, content_type="application/json"),
        HttpResponse(zlib.compress(b"x" * 5000), headers={"Content-Encoding": "gzip"}),
    ],
    ids=["page", "large answer", "compressed"],
)
def test_a_response_is_kept_and_given_back_as_sent(backend, response):
    cache.set("entry", Entry.of(response))
    kept = cache.get("entry")
    assert kept.body == response.content  # as sent: nothing to inflate on a hit
    again = kept.response()
    assert again.content == response.content
    assert again.status_code == response.status_code
    assert dict(again.items()) == dict(response.items())
