"""How a response is kept: a page deflated (a fifth of the room), a large answer as
sent (inflating a wp-json page of 100 was most of its hit), a compressed one as sent."""

import zlib

from django.http import HttpResponse

from http_cache.middleware import LARGEST_DEFLATED_BODY, Entry


def test_a_page_is_kept_deflated_and_given_back_whole():
    page = b"<p>An answer.</p>" * 1000
    entry = Entry.of(HttpResponse(page))
    assert entry.deflated and len(entry.body) < len(page) / 5
    assert entry.content() == page


def test_a_large_answer_is_kept_as_sent_with_nothing_to_inflate():
    answer = b'{"id": 1, "title": "An answer"},' * (LARGEST_DEFLATED_BODY // 20)
    entry = Entry.of(HttpResponse(answer, content_type="application/json"))
    assert not entry.deflated
    assert entry.body is answer or entry.body == answer
    assert entry.content() == answer


def test_a_compressed_answer_is_kept_as_sent():
    sent = zlib.compress(b"x" * 5000)
    entry = Entry.of(HttpResponse(sent, headers={"Content-Encoding": "gzip"}))
    assert not entry.deflated and entry.content() == sent
