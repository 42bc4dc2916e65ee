"""The site's stamp: a token that every change readers could see replaces, and the time
the next scheduled question (or draft change set to go live) comes due.

Where it is kept decides who sees a change at once. Redis, shared by every machine,
keeps it beside the pages. A cache of this machine's (the disk cache, or local memory,
which is each process's own) has a small file beside it that every process on the
machine reads (a few microseconds a request), written by whichever process writes to
the database. Either way, reading the stamp costs no database query.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone

from certfaq.disk_cache import DiskCache

logger = logging.getLogger(__name__)

STAMP_KEY = "page-cache:stamp"
# More than a stamp's text: 16 hex digits, a space and a Unix time.
STAMP_BYTES = 256


@dataclass(frozen=True)
class Stamp:
    token: str
    # When the earliest scheduled question comes due (Unix time), or None.
    next_due: float | None

    def is_current(self, now: float) -> bool:
        """False from the moment a scheduled question is due: every page made before
        may lack it (the home page, its category, the sitemaps, the feed...)."""
        return self.next_due is None or now < self.next_due

    def encode(self) -> str:
        return f"{self.token} {'' if self.next_due is None else repr(self.next_due)}"

    @classmethod
    def decode(cls, text: str | None) -> Stamp | None:
        token, _, due = (text or "").strip().partition(" ")
        if not token:
            return None
        try:
            return cls(token, float(due) if due else None)
        except ValueError:
            return None


class SharedStore:
    """The stamp in the shared cache itself, read in the same round trip as the page."""

    def read(self, keys: list[str]) -> tuple[Stamp | None, dict]:
        found = cache.get_many([STAMP_KEY, *keys])
        return Stamp.decode(found.pop(STAMP_KEY, None)), found

    def write(self, stamp: Stamp) -> None:
        cache.set(STAMP_KEY, stamp.encode(), timeout=None)


class FileStore:
    """The stamp in a file that every process on this machine reads; replaced whole
    (write aside, then rename), so a reader never sees half a stamp."""

    def __init__(self, path: Path):
        self.path = path

    def read(self, keys: list[str]) -> tuple[Stamp | None, dict]:
        return self.stamp(), cache.get_many(keys) if keys else {}

    def stamp(self) -> Stamp | None:
        # Read on every request: os.read costs a fifth of Path.read_text (4 µs, not 20).
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return None
        try:
            return Stamp.decode(os.read(fd, STAMP_BYTES).decode("ascii", "replace"))
        finally:
            os.close(fd)

    def write(self, stamp: Stamp) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, aside = tempfile.mkstemp(dir=self.path.parent, prefix=".stamp.")
        with os.fdopen(fd, "w") as handle:
            handle.write(stamp.encode())
        os.replace(aside, self.path)


def store() -> SharedStore | FileStore:
    if isinstance(caches["default"], (LocMemCache, DiskCache)):
        return FileStore(Path(settings.PAGE_CACHE_STAMP_FILE))
    return SharedStore()


# Other things that fall due at a time, registered by their apps (on_schedule()): when
# the next comes due, and the work to do once it has (the drafts app publishes the draft
# changes set to go live). The stamp comes due at the earliest of all.
_schedules: list[tuple[Callable[[], float | None], Callable[[], object]]] = []


def on_schedule(*, next_due: Callable[[], float | None], publish_due: Callable[[], object]) -> None:
    """Register a schedule (once, from an AppConfig.ready()): `next_due()` says when its
    next item comes due (a Unix time, or None); `publish_due()` is called before the
    stamp is renewed because it was missing or due, so the renewed stamp's pages show
    what came due. A site_changed(schedule_changed=True) tells the stamp of a new time."""
    entry = (next_due, publish_due)
    if entry not in _schedules:
        _schedules.append(entry)


def next_due() -> float | None:
    """When the earliest scheduled question (or registered item) still to come is due:
    one indexed read each."""
    from faqs.models import Question  # faqs.models' writers import this module

    due = Question.objects.upcoming().order_by("published_at").values_list("published_at", flat=True).first()
    times = [due.timestamp()] if due else []
    times += [time for time in (schedule() for schedule, _ in _schedules) if time is not None]
    return min(times, default=None)


def publish_due() -> None:
    """Do the registered work that has come due (each logs its own failures)."""
    for _, work in _schedules:
        work()


def renew(due: float | None = None, *, recount: bool = True) -> Stamp:
    """A new token, written for every reader; `recount` reads the schedule anew."""
    stamp = Stamp(secrets.token_hex(8), next_due() if recount else due)
    try:
        store().write(stamp)
    except Exception:  # a cache that cannot be reached must not undo the editor's write
        logger.exception("Page cache: the stamp could not be replaced")
    return stamp


def stored() -> Stamp | None:
    """The stamp as kept, or None (none yet, or the cache cannot be reached)."""
    try:
        return store().read([])[0]
    except Exception:
        logger.exception("Page cache: the stamp could not be read")
        return None


class CacheUnreachable(Exception):
    """The cache could not be read: make the page (or fragment) without it."""


class Pause:
    """After a failed read, this process leaves the cache alone for `seconds`: a cache
    that hangs would otherwise be waited on (its socket timeout) by every page, and
    again by each fragment of the page. Reads only: a write always renews the stamp."""

    seconds = 5.0

    def __init__(self):
        self.clock = time.monotonic
        self.until = 0.0

    def active(self) -> bool:
        return self.clock() < self.until

    def start(self) -> None:
        self.until = self.clock() + self.seconds

    def clear(self) -> None:
        self.until = 0.0


unreachable = Pause()


def lookup(keys: list[str]) -> tuple[Stamp | None, dict]:
    """The stamp as kept, or None when there is none yet or a scheduled question has
    come due, and the cached values of `keys` made under any stamp. Renews nothing.
    Raises CacheUnreachable when the cache fails (logged) or failed moments ago."""
    kept, found = _read_kept(keys)
    if kept is not None and not kept.is_current(timezone.now().timestamp()):
        kept = None
    return kept, found


def _read_kept(keys: list[str]) -> tuple[Stamp | None, dict]:
    """The stamp as kept, current or due, with the cached values of `keys`."""
    if unreachable.active():
        raise CacheUnreachable
    try:
        return store().read(keys)
    except Exception as error:
        unreachable.start()
        logger.exception("Page cache: the cache cannot be read; not asked again for %s s", Pause.seconds)
        raise CacheUnreachable from error


def read(keys: list[str]) -> tuple[Stamp, dict]:
    """The current stamp (renewed when missing or when a scheduled question has come
    due) and the cached values of `keys` made under any stamp. When it came due, the
    registered work that came due is done first (a missing stamp is renewed with the
    schedule as it stands: one whose time has passed makes it due at once)."""
    kept, found = _read_kept(keys)
    if kept is not None and kept.is_current(timezone.now().timestamp()):
        return kept, found
    if kept is not None:
        publish_due()
    return renew(), found


def site_changed(*, schedule_changed: bool = False) -> None:
    """Call after writing anything readers see; say `schedule_changed` when a
    scheduled question was among the rows. Inside a transaction the token is
    replaced at once (the writer's own next read sees the change, as does a test's,
    whose transaction never commits) and again when it commits: a page that another
    process made between the two, from the rows as they were before the commit, is
    then never served. The schedule is read at the first change of a transaction, at
    a change of the schedule and after the commit."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        renew()
        return
    if any(callback is renew for _, callback, _ in connection.run_on_commit):
        current = stored()
        recount = schedule_changed or current is None
        renew(None if recount else current.next_due, recount=recount)
        return
    renew()
    transaction.on_commit(renew)
