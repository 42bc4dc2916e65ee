"""The senders against stand-in servers: IndexNow's POST (key, keyLocation, batches of
10,000 URLs at most), Cloudflare's purge by URL in batches or of everything, PURGE and
BAN to a cache; failures tried again later and later (a 500, a timeout, no server, a
429 with Retry-After), refusals and the last try given up with an error, and a save
that never waits on any of it."""

from __future__ import annotations

import io
import logging
import socket
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from faqs import publishing, site
from notify import delivery, indexnow, purge
from notify.models import EVERYTHING, OutboxEntry
from tests.factories import make_question
from tests.notify.conftest import KEY, TOKEN, ZONE
from tests.notify.standins import Answer

pytestmark = pytest.mark.django_db

INDEXNOW, PURGE = OutboxEntry.Target.INDEXNOW, OutboxEntry.Target.PURGE


def waiting(target: str, paths: list[str], *, tries: int = 0) -> None:
    """Rows due now, as writes leave them (the outbox tests show which writes)."""
    now = timezone.now()
    OutboxEntry.objects.bulk_create(
        OutboxEntry(target=target, path=path, reason="update", next_try_at=now, tries=tries) for path in paths
    )


def later(**delta):
    """A clock this far ahead: a sender run then finds the rows a failure put off."""
    return lambda: timezone.now() + timedelta(**delta)


def manage(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def pages(count: int) -> list[str]:
    return [reverse("faqs:question", kwargs={"slug": f"question-{n}"}) for n in range(count)]


# --- IndexNow


def test_indexnow_gets_the_urls_with_the_key_and_its_location(indexnow_endpoint):
    question = make_question(slug="exam-fees")
    assert "1 URLs sent" in manage("send_indexnow")
    [received] = indexnow_endpoint.received
    assert (received.method, received.path) == ("POST", "/indexnow")
    assert received.headers["Content-Type"] == "application/json; charset=utf-8"
    assert received.json() == {
        "host": site.parts().hostname,
        "key": KEY,
        "keyLocation": site.absolute_url(f"{reverse('faqs:home')}{KEY}.txt"),
        "urlList": [site.absolute_url(question.get_absolute_url())],
    }
    assert not OutboxEntry.objects.exists()


def test_indexnow_batches_hold_at_most_ten_thousand_urls(indexnow_endpoint):
    waiting(INDEXNOW, pages(10_001))
    done = indexnow.send_due()
    assert [len(received.json()["urlList"]) for received in indexnow_endpoint.received] == [10_000, 1]
    assert (done.batches, done.sent) == (2, 10_001)


def test_a_url_queued_by_several_saves_is_sent_once(indexnow_endpoint):
    question = make_question(slug="exam-fees")
    for title in ("First edit?", "Second edit?"):
        question.title = title
        publishing.save_question(question)
    indexnow.send_due()
    assert indexnow_endpoint.received[0].json()["urlList"] == [site.absolute_url(question.get_absolute_url())]


def test_a_server_error_is_tried_again_later_and_later(indexnow_endpoint):
    indexnow_endpoint.answers = [Answer(500), Answer(503)]
    waiting(INDEXNOW, pages(1))
    indexnow.send_due()
    entry = OutboxEntry.objects.get()
    assert entry.tries == 1 and "500" in entry.last_error
    assert timedelta(seconds=55) < entry.next_try_at - timezone.now() <= timedelta(minutes=1)
    indexnow.send_due()  # not due yet: nothing sent
    assert len(indexnow_endpoint.received) == 1
    indexnow.send_due(now=later(minutes=2))
    entry = OutboxEntry.objects.get()
    assert entry.tries == 2 and entry.next_try_at - timezone.now() > timedelta(minutes=3)  # doubled
    indexnow.send_due(now=later(minutes=5))
    assert len(indexnow_endpoint.received) == 3 and not OutboxEntry.objects.exists()


def test_a_429_waits_as_long_as_retry_after_asks(indexnow_endpoint):
    indexnow_endpoint.answers = [Answer(429, headers={"Retry-After": "3600"})]
    waiting(INDEXNOW, pages(1))
    indexnow.send_due()
    entry = OutboxEntry.objects.get()
    assert entry.next_try_at - timezone.now() > timedelta(minutes=59)
    indexnow.send_due(now=later(minutes=30))
    assert len(indexnow_endpoint.received) == 1


def test_a_server_that_does_not_answer_in_time_is_tried_again(indexnow_endpoint, monkeypatch):
    monkeypatch.setattr(delivery, "TIMEOUT", 0.2)
    indexnow_endpoint.answers = [Answer(hang=True)]
    waiting(INDEXNOW, pages(1))
    done = indexnow.send_due()
    assert done.failed == 1
    assert "timed out" in OutboxEntry.objects.get().last_error


def test_no_server_at_all_is_tried_again(settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.INDEXNOW_KEY, settings.INDEXNOW_ENDPOINT = KEY, f"http://127.0.0.1:{port}/indexnow"
    waiting(INDEXNOW, pages(1))
    assert indexnow.send_due().failed == 1
    assert "no answer" in OutboxEntry.objects.get().last_error


def test_the_last_try_gives_up_with_an_error(indexnow_endpoint, caplog):
    indexnow_endpoint.default = Answer(502)
    waiting(INDEXNOW, pages(1), tries=delivery.MAX_TRIES - 1)
    with caplog.at_level(logging.ERROR, logger="notify"):
        indexnow.send_due()
    assert not OutboxEntry.objects.exists()
    assert f"given up after {delivery.MAX_TRIES} tries" in caplog.text


def test_a_refusal_is_not_sent_again_and_is_logged(indexnow_endpoint, caplog):
    indexnow_endpoint.answers = [Answer(422)]  # URLs not on the key's host
    waiting(INDEXNOW, pages(2))
    with caplog.at_level(logging.ERROR, logger="notify"):
        indexnow.send_due()
    assert not OutboxEntry.objects.exists()
    assert "2 refused" in caplog.text and "422" in caplog.text


def test_a_key_not_yet_read_is_tried_again(indexnow_endpoint):
    indexnow_endpoint.answers = [Answer(403)]  # the engine could not fetch the key file yet
    waiting(INDEXNOW, pages(1))
    indexnow.send_due()
    assert OutboxEntry.objects.get().tries == 1


def test_a_save_never_waits_on_or_fails_with_a_hanging_endpoint(indexnow_endpoint, monkeypatch):
    monkeypatch.setattr(delivery, "TIMEOUT", 0.2)
    indexnow_endpoint.default = Answer(hang=True)
    question = make_question(slug="exam-fees")
    question.title = "Saved while the endpoint hangs?"
    publishing.save_question(question)
    assert indexnow_endpoint.received == []  # the save spoke to no server
    assert "0 URLs sent, 1 to try again" in manage("send_indexnow")
    assert set(OutboxEntry.objects.values_list("tries", flat=True)) == {1}  # its publish and its edit


def test_the_commands_say_when_they_are_off():
    waiting(INDEXNOW, pages(1))
    assert "IndexNow is off" in manage("send_indexnow")
    assert "CDN purge is off" in manage("purge_cdn")
    assert OutboxEntry.objects.count() == 1


# --- the CDN


def test_cloudflare_purges_by_url_in_batches_with_the_token(cloudflare_api):
    waiting(PURGE, pages(150))
    purge.send_due()
    zone_purge = f"/client/v4/zones/{ZONE}/purge_cache"
    assert [received.path for received in cloudflare_api.received] == [zone_purge, zone_purge]
    assert cloudflare_api.received[0].headers["Authorization"] == f"Bearer {TOKEN}"
    files = [url for received in cloudflare_api.received for url in received.json()["files"]]
    assert sorted(files) == sorted(site.absolute_url(path) for path in pages(150))
    assert len(cloudflare_api.received[0].json()["files"]) == purge.CLOUDFLARE_BATCH
    assert not OutboxEntry.objects.exists()


def test_more_pages_than_the_threshold_purge_everything_once(settings, cloudflare_api, purge_proxy):
    settings.CDN_PURGE_ALL_ABOVE = 10
    waiting(PURGE, pages(25))
    done = purge.send_due()
    assert [received.json() for received in cloudflare_api.received] == [{"purge_everything": True}]
    assert [(r.method, r.path) for r in purge_proxy.received] == [("BAN", site.path_prefix())]
    assert (done.batches, done.sent) == (1, 25)  # the rows past the batch were covered too
    assert not OutboxEntry.objects.exists()


def test_a_queued_purge_of_everything_is_sent_as_one(cloudflare_api):
    waiting(PURGE, [EVERYTHING, *pages(3)])
    purge.send_due()
    assert [received.json() for received in cloudflare_api.received] == [{"purge_everything": True}]


def test_cloudflare_saying_no_is_a_refusal(cloudflare_api, caplog):
    answer = b'{"success": false, "errors": [{"code": 1012, "message": "Request must contain one of files"}]}'
    cloudflare_api.answers = [Answer(200, answer)]
    waiting(PURGE, pages(1))
    with caplog.at_level(logging.ERROR, logger="notify"):
        purge.send_due()
    assert "Request must contain one of files" in caplog.text
    assert not OutboxEntry.objects.exists()


def test_a_cache_gets_a_purge_of_each_page_with_the_sites_host(purge_proxy):
    purge_proxy.answers = [Answer(200), Answer(404)]  # the second was not cached: nothing to drop
    waiting(PURGE, pages(2))
    assert purge.send_due().sent == 2
    assert sorted((r.method, r.path) for r in purge_proxy.received) == [("PURGE", path) for path in pages(2)]
    assert {r.headers["Host"] for r in purge_proxy.received} == {site.domain()}


def test_one_cache_failing_retries_the_batch_at_every_cache(settings, cloudflare_api, purge_proxy):
    purge_proxy.answers = [Answer(500)]
    waiting(PURGE, pages(3))
    purge.send_due()
    assert len(purge_proxy.received) == 1  # it stopped at the first failure: a cache down costs one try
    assert OutboxEntry.objects.filter(tries=1).count() == 3
    purge.send_due(now=later(minutes=2))
    assert len(cloudflare_api.received) == 2 and not OutboxEntry.objects.exists()


def test_a_publish_reaches_every_cache_through_purge_cdn(cloudflare_api, purge_proxy):
    question = make_question(slug="exam-fees")
    assert "sent" in manage("purge_cdn")
    purged = {url for received in cloudflare_api.received for url in received.json()["files"]}
    assert site.absolute_url(question.get_absolute_url()) in purged
    assert question.get_absolute_url() in {received.path for received in purge_proxy.received}
