"""With Redis, each process keeps the pages it served lately (http_cache.near): a hit
then reads only the stamp from Redis, never the page, and is still exact: a change
shows at once, and the copies stay within PAGE_CACHE_NEAR_BYTES."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from faqs import publishing
from http_cache import near
from http_cache.middleware import HEADER
from tests.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked_of_redis(backend, monkeypatch):
    """The keys each read of the cache asked for (the real Redis answers them)."""
    assert backend == "redis"
    asked = []
    redis_cache = caches["default"]
    real = redis_cache.get_many

    def get_many(keys, *args, **kwargs):
        asked.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(redis_cache, "get_many", get_many)
    return asked


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
def test_a_hit_reads_only_the_stamp_from_redis(client, asked_of_redis):
    question = make_question(slug="near-one")
    assert client.get("/resources/faq/near-one/")[HEADER] == "miss"
    assert client.get("/resources/faq/near-one/")[HEADER] == "hit"  # from Redis: now near
    asked_of_redis.clear()
    again = client.get("/resources/faq/near-one/")
    assert again[HEADER] == "hit" and question.title in again.content.decode()
    assert asked_of_redis == [["page-cache:stamp"]]


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
def test_a_change_shows_at_once(client, asked_of_redis):
    question = make_question(slug="near-two", title="What is the fee?")
    for _ in range(3):
        client.get("/resources/faq/near-two/")
    question.title = "What is the retake fee?"
    publishing.save_question(question)
    changed = client.get("/resources/faq/near-two/")
    assert changed[HEADER] == "miss" and "What is the retake fee?" in changed.content.decode()


@pytest.mark.parametrize("backend", ["redis"], indirect=True)
def test_the_copies_stay_within_their_bound(client, settings, asked_of_redis):
    settings.PAGE_CACHE_NEAR_BYTES = 20_000
    for number in range(8):
        make_question(slug=f"near-{number}")
    for _ in range(2):
        for number in range(8):
            assert client.get(f"/resources/faq/near-{number}/").status_code == 200
    assert 0 < near.pages.total <= 20_000
    assert len(near.pages.kept) < 8


@pytest.mark.parametrize("backend", ["disk", "locmem"], indirect=True)
def test_a_cache_on_this_machine_keeps_no_near_copies(client, backend):
    make_question(slug="near-local")
    for _ in range(3):
        client.get("/resources/faq/near-local/")
    assert near.pages.total == 0 and not near.pages.kept
