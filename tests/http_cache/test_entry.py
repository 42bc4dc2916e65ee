"""How a response is kept: on disk as sent (room is cheap there, and a hit then
inflates nothing); in memory a page deflated (a fifth of the room) but a large answer
as sent (inflating a wp-json page of 100 was most of its hit); a compressed one always
as sent."""

import zlib
from pathlib import Path

import pytest
from django.http import HttpResponse

from certfaq import config
from http_cache.middleware import LARGEST_DEFLATED_BODY, Entry

PAGE = b"<p>An answer.</p>" * 1000


@pytest.fixture
def in_memory(settings):
    settings.CACHES = {"default": config.cache_from_url("locmem://", default_folder=Path("unused"))}


def test_on_disk_a_page_is_kept_as_sent():
    entry = Entry.of(HttpResponse(PAGE))
    assert not entry.deflated and entry.body == PAGE
    assert entry.content() == PAGE


def test_in_memory_a_page_is_kept_deflated_and_given_back_whole(in_memory):
    entry = Entry.of(HttpResponse(PAGE))
    assert entry.deflated and len(entry.body) < len(PAGE) / 5
    assert entry.content() == PAGE


def test_in_memory_a_large_answer_is_kept_as_sent_with_nothing_to_inflate(in_memory):
    answer = b'{"id": 1, "title": "An answer"},' * (LARGEST_DEFLATED_BODY // 20)
    entry = Entry.of(HttpResponse(answer, content_type="application/json"))
    assert not entry.deflated and entry.body == answer
    assert entry.content() == answer


def test_a_compressed_answer_is_kept_as_sent(in_memory):
    sent = zlib.compress(b"x" * 5000)
    entry = Entry.of(HttpResponse(sent, headers={"Content-Encoding": "gzip"}))
    assert not entry.deflated and entry.content() == sent
