"""Searches counted off the request path: a search on a SQLite file database is
appended to the machine's buffer and written in batches, exactly once, by whichever
process finds the buffer due or reads the log; the reports and the click counter read
through it, and a reader's share of the day still bounds what is counted."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from search_insights import analytics, log_buffer
from search_insights.models import SearchLog
from tests.factories import make_question

HOME = reverse("faqs:home")
OPENED = reverse("faqs:search_opened")


@pytest.fixture
def buffer(settings, tmp_path) -> Path:
    """A buffer of the test's own (the test database is in memory, which has none)."""
    settings.SEARCH_LOG_BUFFER = str(tmp_path / "search-log.buffer")
    return Path(settings.SEARCH_LOG_BUFFER)


def written() -> dict[str, int]:
    """The log's rows of today as they are in the table, nothing written out first."""
    rows = SearchLog._base_manager.filter(day=timezone.localdate())
    return dict(rows.values_list("query", "searches"))


def counted(day: str, query: str) -> log_buffer.Counted:
    return log_buffer.Counted(1.0, day, query, 1)


# --- where the buffer is ---------------------------------------------------------------


def test_a_sqlite_file_database_has_its_buffer_beside_it_and_memory_and_postgresql_none(settings):
    settings.SEARCH_LOG_BUFFER = None
    name = connection.settings_dict["NAME"]
    try:
        connection.settings_dict["NAME"] = "/srv/site/../site/db.sqlite3"
        expected = Path("/srv/site/db.sqlite3-search-log.buffer") if connection.vendor == "sqlite" else None
        assert log_buffer.path() == expected
    finally:
        connection.settings_dict["NAME"] = name
    if connection.vendor == "sqlite":  # the tests' own database, a file (tests/conftest.py)
        assert log_buffer.path() == Path(os.path.realpath(name + "-search-log.buffer"))
    connection.settings_dict["NAME"] = ":memory:"
    try:
        assert log_buffer.path() is None
    finally:
        connection.settings_dict["NAME"] = name


# --- counting through the buffer -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_search_waits_in_the_buffer_and_every_reader_of_the_log_sees_it(client, buffer):
    make_question(title="How many times can you retake the CMA exam?")

    assert client.get(HOME, {"s": "CMA  Retake"}).status_code == 200

    assert written() == {}  # nothing written on the request path
    assert buffer.read_bytes().count(b"\n") == 1
    assert [(row.query, row.searches) for row in analytics.most_searched(7)] == [("cma retake", 1)]
    assert written() == {"cma retake": 1}
    assert not log_buffer.waiting(buffer)


@pytest.mark.django_db(transaction=True)
def test_a_click_on_a_result_of_a_search_still_waiting_is_counted(client, buffer):
    question = make_question(title="How many times can you retake the CMA exam?")
    client.get(HOME, {"s": "cma retake"})

    assert client.post(OPENED, {"query": "cma retake", "question": question.pk}).status_code == 204

    assert SearchLog.objects.get(query="cma retake").opened == 1


@pytest.mark.django_db(transaction=True)
def test_the_buffer_is_written_out_once_it_is_due_without_anyone_reading(buffer, monkeypatch):
    monkeypatch.setattr(log_buffer, "FLUSH_LINES_BYTES", 200)
    for number in range(6):
        analytics.record_search(f"query {number}", number)

    assert sum(written().values()) >= 4  # one batch written by the search that found it due
    assert sum(SearchLog.objects.values_list("searches", flat=True)) == 6  # the rest read through


@pytest.mark.django_db(transaction=True)
def test_an_old_buffer_is_due_at_the_next_search(buffer, monkeypatch):
    analytics.record_search("first", 1)
    monkeypatch.setattr(log_buffer, "FLUSH_SECONDS", -1.0)  # written to the millisecond
    analytics.record_search("second", 1)

    assert written() == {"first": 1, "second": 1}


@pytest.mark.django_db(transaction=True)
def test_many_searches_of_a_batch_add_up_on_one_row_with_the_last_result_count(buffer):
    for result_count in (5, 7, 6):
        analytics.record_search("exam fees", result_count)
    analytics.record_search("other", 0)

    assert analytics.write_waiting() == 4
    assert list(SearchLog.objects.order_by("query").values_list("query", "searches", "result_count")) == [
        ("exam fees", 3, 6),
        ("other", 1, 0),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_readers_share_of_the_day_still_bounds_what_the_buffer_counts(buffer):
    reader = "198.51.100.7"
    for _ in range(5):
        analytics.record_search("buy cheap answers", 1, reader=reader)
    for number in range(30):
        analytics.record_search(f"junk {number}", 1, reader=reader)
    analytics.record_search("junk 99", 1, reader="203.0.113.20")  # another reader
    assert b"198.51.100.7" not in buffer.read_bytes()  # only the HMAC of the address and the day

    analytics.write_waiting()

    logged = written()
    assert logged.pop("buy cheap answers") == analytics.READER_REPEATS_PER_DAY
    assert logged.pop("junk 99") == 1
    assert len(logged) == analytics.READER_QUERIES_PER_DAY - 1  # the first query took one


@pytest.mark.django_db(transaction=True)
def test_the_days_bound_on_new_rows_holds_for_a_batch(buffer, monkeypatch):
    monkeypatch.setattr(analytics, "QUERIES_PER_DAY", 3)
    analytics.record_search("already there", 1)
    analytics.write_waiting()
    for number in range(5):
        analytics.record_search(f"new {number}", 1)
    analytics.record_search("already there", 1)

    analytics.write_waiting()

    assert written() == {"already there": 2, "new 0": 1, "new 1": 1}


@pytest.mark.django_db
def test_inside_a_transaction_a_search_is_written_at_once_and_nothing_is_taken_from_the_buffer(buffer):
    log_buffer.append(buffer, counted(timezone.localdate().isoformat(), "waiting"))
    with transaction.atomic():
        analytics.record_search("in a transaction", 1)
        assert analytics.write_waiting() == 0

    assert written() == {"in a transaction": 1}
    assert log_buffer.waiting(buffer)


@pytest.mark.django_db(transaction=True)
def test_a_database_error_leaves_the_batch_for_the_next_writer(buffer, monkeypatch, caplog):
    analytics.record_search("kept for later", 1)

    def fails(*args, **kwargs):
        raise analytics.DatabaseError("locked")

    with monkeypatch.context() as patched:
        patched.setattr(analytics, "_count_day", fails)
        assert analytics.write_waiting() == 0
    assert "were not written" in caplog.text

    assert analytics.write_waiting() == 1
    assert written() == {"kept for later": 1}


# --- exactly once across processes ------------------------------------------------


def test_a_batch_left_by_a_process_that_died_is_taken_over(tmp_path):
    buffer = tmp_path / "search-log.buffer"
    log_buffer.append(buffer, counted("2026-01-01", "left behind"))
    # What a writer-out killed after taking the file leaves (its lock died with it).
    buffer.rename(tmp_path / "search-log.buffer.killed.batch")
    log_buffer.append(buffer, counted("2026-01-01", "new"))

    with log_buffer.taken(buffer) as batches:
        assert sorted(c.query for batch in batches for c in batch) == ["left behind", "new"]
    assert list(tmp_path.iterdir()) == []


def test_a_batch_another_process_is_writing_out_is_left_to_it(tmp_path):
    buffer = tmp_path / "search-log.buffer"
    log_buffer.append(buffer, counted("2026-01-01", "theirs"))
    with log_buffer.taken(buffer) as theirs:
        log_buffer.append(buffer, counted("2026-01-01", "mine"))
        with log_buffer.taken(buffer) as mine:
            assert [c.query for batch in mine for c in batch] == ["mine"]
        assert [c.query for batch in theirs for c in batch] == ["theirs"]


def _append_and_write_out(buffer: str, worker: int, searches: int, out: str) -> None:
    """A worker's share: append its searches, writing out what is waiting every few."""
    taken = []
    for number in range(searches):
        log_buffer.append(Path(buffer), counted("2026-01-01", f"w{worker}-{number}"))
        if number % 7 == 0:
            with log_buffer.taken(Path(buffer)) as batches:
                taken += [c.query for batch in batches for c in batch]
    Path(out).write_text("\n".join(taken))


def test_several_processes_appending_and_writing_out_at_once_lose_and_repeat_no_search(tmp_path):
    buffer, workers, searches = tmp_path / "search-log.buffer", 4, 300
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_append_and_write_out, args=(str(buffer), w, searches, f"{tmp_path}/{w}.out"))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    with log_buffer.taken(buffer) as batches:
        rest = [c.query for batch in batches for c in batch]

    seen = Counter(rest)
    for w in range(workers):
        seen.update(line for line in (tmp_path / f"{w}.out").read_text().splitlines() if line)
    assert len(seen) == workers * searches and set(seen.values()) == {1}
