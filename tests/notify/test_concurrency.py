"""Two senders at once (cron's next minute while this one still sends, or two
machines) send each page once: a claim leases its rows before anything is sent, and
on PostgreSQL a claim skips the rows another sender is claiming, without waiting."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from faqs import site
from notify import indexnow
from notify.models import OutboxEntry
from tests.notify.standins import Answer
from tests.notify.test_senders import INDEXNOW, pages, waiting

pytestmark = pytest.mark.django_db(transaction=True)


def in_thread(work) -> threading.Thread:
    """`work` on a thread of its own, with its own database connection, closed after."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def sent_urls(endpoint) -> list[list[str]]:
    return [received.json()["urlList"] for received in endpoint.received]


def test_a_sender_started_while_another_sends_sends_nothing_twice(indexnow_endpoint):
    waiting(INDEXNOW, pages(3))
    gate = threading.Event()
    indexnow_endpoint.answers = [Answer(202, gate=gate)]
    first = in_thread(indexnow.send_due)
    assert indexnow_endpoint.arrived.wait(timeout=10)  # the first sender is sending
    second = indexnow.send_due()
    gate.set()
    first.join(timeout=10)
    assert second.batches == 0
    assert sent_urls(indexnow_endpoint) == [[site.absolute_url(path) for path in sorted(pages(3))]]
    assert not OutboxEntry.objects.exists()


def test_a_sender_skips_the_rows_another_is_claiming_without_waiting(indexnow_endpoint):
    if not connection.features.has_select_for_update_skip_locked:
        # SQLite: one writer, and a claim's transaction takes the write lock as it
        # begins (IMMEDIATE), so two claims follow each other and never overlap.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    claimed, free = pages(4)[:2], pages(4)[2:]
    waiting(INDEXNOW, claimed + free)
    holding, release = threading.Event(), threading.Event()

    def claiming() -> None:  # another sender, between its SELECT … FOR UPDATE and its commit
        with transaction.atomic():
            list(OutboxEntry.objects.select_for_update().filter(path__in=claimed))
            holding.set()
            release.wait(timeout=10)

    other = in_thread(claiming)
    assert holding.wait(timeout=10)
    this = in_thread(indexnow.send_due)
    this.join(timeout=10)
    finished_meanwhile = not this.is_alive()
    release.set()
    other.join(timeout=10)
    assert finished_meanwhile  # it did not wait for the other claim
    assert sent_urls(indexnow_endpoint) == [[site.absolute_url(path) for path in sorted(free)]]
    assert sorted(OutboxEntry.objects.values_list("path", flat=True)) == sorted(claimed)
