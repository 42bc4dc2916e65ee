"""Sending the outbox: rows are claimed in a short transaction (leased, so a second
sender, run by the next minute's cron or beside this one, takes other rows or none),
sent with no transaction open (a slow server holds no lock the site's writes wait
for), then settled: deleted once sent, or tried again later and later, or given up.

Claiming: PostgreSQL skips the rows another sender is claiming (`SKIP LOCKED`);
SQLite has one writer, and its transactions take the write lock up front (IMMEDIATE,
certfaq/config.py), so two claims follow each other. A sender that dies leaves its
rows leased: they are due again when the lease ends."""

from __future__ import annotations

import logging
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from urllib.error import HTTPError, URLError

from django.db import connection, transaction
from django.utils import timezone

from faqs.models.bulk import chunks
from notify.models import OutboxEntry

logger = logging.getLogger("notify")

TIMEOUT = 10  # seconds for one request to connect or answer
LEASE = timedelta(minutes=10)  # how long a claim holds its rows: longer than any run
RUN_SECONDS = 45  # a run claims no new batch after this: cron starts the next each minute
RETRY_FIRST = timedelta(minutes=1)  # the wait after a first failure, doubled after each
RETRY_LONGEST = timedelta(hours=6)
MAX_TRIES = 10  # then the rows are given up: about 1 + 2 + 4 … hours, a day and a half
USER_AGENT = "certfaq-notify/1"
MAX_BODY = 64 * 1024  # of an answer, read to check it: a purge API's verdict is short


@dataclass(frozen=True)
class Outcome:
    """What became of a batch: sent, to be tried again (after `retry_after` seconds
    at least, when the server said), or refused for good."""

    kind: str  # "sent", "retry" or "refused"
    message: str
    retry_after: float | None = None
    everything: bool = False  # a purge of every page: it covers every row due before it

    @classmethod
    def worst(cls, outcomes: list[Outcome]) -> Outcome:
        """Several receivers' outcomes as one: any retry retries the batch (purging
        twice is harmless), else any refusal refuses it."""
        for kind in ("retry", "refused"):
            found = [outcome for outcome in outcomes if outcome.kind == kind]
            if found:
                waits = [outcome.retry_after for outcome in found if outcome.retry_after]
                return cls(kind, "; ".join(o.message for o in found), max(waits, default=None))
        everything = bool(outcomes) and all(outcome.everything for outcome in outcomes)
        return cls("sent", "; ".join(outcome.message for outcome in outcomes), everything=everything)


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict | None = None,
    ok: tuple = (),
    retried: tuple = (),
    check: Callable[[bytes], str] | None = None,
) -> Outcome:
    """One HTTP request, with a timeout, as an Outcome: 2xx (and the statuses `ok`
    names) sent, unless `check` finds a complaint in the body; 5xx, 408, 429 (and the
    statuses `retried` names), a timeout or no connection retried; anything else (a
    4xx: the request itself is wrong, or a redirect) refused."""
    sent = urllib.request.Request(
        url, data=body, method=method, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(sent, timeout=TIMEOUT) as answer:  # noqa: S310 - http(s) only (notify.config)
            complaint = check(answer.read(MAX_BODY)) if check else ""
            message = f"{method} {url}: {answer.status}"
            return Outcome("refused", f"{message}, {complaint}") if complaint else Outcome("sent", message)
    except HTTPError as error:
        return _status_outcome(method, url, error, ok, retried)
    except (URLError, OSError, HTTPException) as error:  # refused, reset, timed out, garbled
        reason = getattr(error, "reason", None) or error or type(error).__name__
        return Outcome("retry", f"{method} {url}: no answer ({reason})")


def _status_outcome(method: str, url: str, error: HTTPError, ok: tuple, retried: tuple) -> Outcome:
    message = f"{method} {url}: {error.code} {error.reason}"
    error.close()
    if error.code in ok:
        return Outcome("sent", message)
    if error.code >= 500 or error.code in (408, 429, *retried):
        return Outcome("retry", message, retry_after(error.headers.get("Retry-After")))
    return Outcome("refused", message)


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, written as seconds or as an HTTP date; None if neither."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - timezone.now()).total_seconds(), 0.0)


# --- the outbox: claim, send, settle


def claim(target: str, limit: int, now: datetime) -> list[OutboxEntry]:
    """Up to `limit` rows of `target` due at `now`, oldest first, leased to this sender."""
    with transaction.atomic():
        due = OutboxEntry.objects.filter(target=target, next_try_at__lte=now).order_by("next_try_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        entries = list(due[:limit])
        lease([entry.pk for entry in entries], now + LEASE)
    return entries


def lease(ids: list[int], until: datetime) -> None:
    for chunk in chunks(ids):
        OutboxEntry.objects.filter(pk__in=chunk).update(next_try_at=until)


def settle(label: str, entries: list[OutboxEntry], outcome: Outcome, now: datetime) -> None:
    """Sent or refused: the rows go (a refusal logged as an error). To retry: each row
    waits RETRY_FIRST × 2^(its tries − 1), at most RETRY_LONGEST, and at least what
    the server asked; given up, with an error, after MAX_TRIES."""
    ids = [entry.pk for entry in entries]
    if outcome.kind == "sent":
        logger.info("%s: %d sent (%s)", label, len(entries), outcome.message)
        return _delete(ids)
    if outcome.kind == "refused":
        logger.error("%s: %d refused, not sent again (%s)", label, len(entries), outcome.message)
        return _delete(ids)
    given_up = [entry.pk for entry in entries if entry.tries + 1 >= MAX_TRIES]
    if given_up:
        logger.error("%s: %d given up after %d tries (%s)", label, len(given_up), MAX_TRIES, outcome.message)
        _delete(given_up)
    by_tries = defaultdict(list)
    for entry in entries:
        if entry.tries + 1 < MAX_TRIES:
            by_tries[entry.tries + 1].append(entry.pk)
    for tries, same in sorted(by_tries.items()):
        wait = next_wait(tries, outcome.retry_after)
        logger.warning(
            "%s: %d not sent, try %d of %d in %d s (%s)",
            label, len(same), tries, MAX_TRIES, wait.total_seconds(), outcome.message,
        )  # fmt: skip
        for chunk in chunks(same):
            OutboxEntry.objects.filter(pk__in=chunk).update(
                tries=tries, next_try_at=now + wait, last_error=outcome.message[:300]
            )


def next_wait(tries: int, asked: float | None = None) -> timedelta:
    """The wait before the next try of a row that failed `tries` times."""
    wait = min(RETRY_FIRST * 2 ** (tries - 1), RETRY_LONGEST)
    if asked:
        wait = max(wait, min(timedelta(seconds=asked), RETRY_LONGEST))
    return wait


def _delete(ids: list[int]) -> None:
    for chunk in chunks(ids):
        OutboxEntry.objects.filter(pk__in=chunk).delete()


@dataclass
class Run:
    """What one sender's run did, for its command's summary: pages (a page queued by
    several writes is sent once), and the rows a purge of everything covered."""

    batches: int = 0
    sent: int = 0
    failed: int = 0

    def summary(self, things: str) -> str:
        """The run in a line (the log has each batch's outcome)."""
        return (
            f"{self.sent} {things} sent, {self.failed} to try again or given up, in {self.batches} batches."
        )


def run(
    target: str,
    label: str,
    send: Callable[[list[str]], Outcome],
    batch_size: int,
    *,
    now: Callable[[], datetime] = timezone.now,
    seconds: float = RUN_SECONDS,
) -> Run:
    """Claim, send and settle batches of `target`'s due rows until none is left or
    the run has lasted `seconds`. `send` gets the batch's distinct paths."""
    done, started = Run(), time.monotonic()
    while time.monotonic() - started < seconds:
        claimed_at = now()
        entries = claim(target, batch_size, claimed_at)
        if not entries:
            break
        paths = sorted({entry.path for entry in entries})
        outcome = send(paths)
        with transaction.atomic():
            settle(label, entries, outcome, now())
            covered = forget_covered(target, claimed_at) if outcome.everything else 0
        done.batches += 1
        if outcome.kind == "sent":
            done.sent += len(paths) + covered
        else:
            done.failed += len(paths)
    return done


def forget_covered(target: str, claimed_at: datetime) -> int:
    """After a purge of everything, the rows that were due when it was claimed need no
    purge of their own; returns how many went."""
    return OutboxEntry.objects.filter(target=target, next_try_at__lte=claimed_at).delete()[0]
