"""The searches counted but not written yet: one file per SQLite database, beside it,
that every process of the machine appends to and any of them writes out in one
transaction (search_insights.analytics). A search then costs its reader one append
instead of a write transaction queued behind SQLite's single writer.

Exact under several processes: an append holds a shared lock on the file it wrote to
and checks that it is still the live file; a writer-out renames the live file to a
batch of its own (new appends go to a new live file), takes the batch's exclusive lock
(so the appends already under way end first), writes its lines, and deletes it. A
batch is read by one process: its exclusive lock is held until the file is gone, and a
batch left by a process that died before writing it (its lock went with it) is taken
over by the next writer-out. Lines are on disk once appended, so a worker recycled,
killed or restarted loses none of them; a process killed after its batch's transaction
committed but before the file was deleted (a few microseconds) would count it twice.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from certfaq import config

FLUSH_LINES_BYTES = 16 * 1024  # about a hundred searches are written out together
FLUSH_SECONDS = 10.0  # and none waits longer than this for another search to come
BATCH_SUFFIX = ".batch"


@dataclass(frozen=True)
class Counted:
    """One search as it waits: when, its day, its logged form, what it found, and its
    reader's HMAC keys for the day (the reader's share is checked when it is written)."""

    at: float
    day: str
    query: str
    result_count: int
    reader_keys: tuple[str, str] | None = None

    def line(self) -> bytes:
        fields = [self.day, self.query, self.result_count, list(self.reader_keys or ())]
        return f"{self.at:.3f} {json.dumps(fields)}\n".encode()

    @classmethod
    def from_line(cls, line: bytes) -> Counted:
        at, fields = line.split(b" ", 1)
        day, query, result_count, keys = json.loads(fields)
        return cls(float(at), day, query, int(result_count), tuple(keys) if keys else None)


def path() -> Path | None:
    """The buffer of the default database, or None when searches are written at once:
    settings.SEARCH_LOG_BUFFER names the file ("" turns the buffer off); by default a
    SQLite file database has one beside it (`<realpath>-search-log.buffer`, as the
    page-cache stamp is found), while an in-memory database and PostgreSQL (several
    machines may write to one, and each would only see its own file) have none."""
    configured = getattr(settings, "SEARCH_LOG_BUFFER", None)
    if configured is not None:
        return Path(configured) if configured else None
    database = connection.settings_dict
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    return _beside(database)


_beside_cache: dict[str, Path] = {}


def _beside(database: dict) -> Path:
    """The database's own buffer (config.beside_database), resolved once a process."""
    name = str(database["NAME"])
    if name not in _beside_cache:
        _beside_cache[name] = config.beside_database(database, "-search-log.buffer")
    return _beside_cache[name]


def append(buffer: Path, counted: Counted) -> bool:
    """Add one search to the live file; returns whether the file is due to be written
    out (large enough, or its first search old enough)."""
    line = counted.line()
    while True:
        fd = os.open(buffer, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            if not _is_live(buffer, fd):
                continue  # renamed into a batch since it was opened: append to the new one
            os.write(fd, line)
            return _is_due(fd, counted.at)
        finally:
            os.close(fd)


def _is_due(fd: int, now: float) -> bool:
    """Large enough, or its first search old enough (due, too, when that cannot be
    read: the search is in the file already, and an error here must not count it twice)."""
    try:
        if os.fstat(fd).st_size >= FLUSH_LINES_BYTES:
            return True
        return now - float(os.pread(fd, 32, 0).split(b" ", 1)[0]) >= FLUSH_SECONDS
    except (OSError, ValueError):
        return True


def waiting(buffer: Path) -> bool:
    """Whether any search is waiting in the live file or a batch (a stat, or a listing
    when batches were left behind)."""
    try:
        if os.stat(buffer).st_size > 0:
            return True
    except FileNotFoundError:
        pass
    return any(_batches(buffer))


@contextmanager
def taken(buffer: Path) -> Iterator[list[list[Counted]]]:
    """The waiting searches, as batches, each locked for this process; the batches are
    deleted when the block ends without an error (after the caller's commit), kept
    for the next writer-out when it raises."""
    own = _claim_live(buffer)
    held = []
    try:
        for batch in _batches(buffer):
            fd = _lock(batch, wait=batch == own)
            if fd is not None:
                held.append((batch, fd))
        yield [_read(fd) for _, fd in held]
        for batch, _ in held:
            batch.unlink()
    finally:
        for _, fd in held:
            os.close(fd)


def _claim_live(buffer: Path) -> Path | None:
    batch = buffer.with_name(f"{buffer.name}.{uuid.uuid4().hex}{BATCH_SUFFIX}")
    try:
        if os.stat(buffer).st_size == 0:
            return None
        os.rename(buffer, batch)
    except FileNotFoundError:
        return None  # nothing waits, or another process took it first
    return batch


def _batches(buffer: Path) -> Iterator[Path]:
    return buffer.parent.glob(f"{buffer.name}.*{BATCH_SUFFIX}")


def _lock(batch: Path, *, wait: bool) -> int | None:
    """An open, exclusively locked batch; None when another process holds it, or it is
    gone (written out by the process that held it)."""
    try:
        fd = os.open(batch, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    if not _is_live(batch, fd):
        os.close(fd)
        return None
    return fd


def _is_live(name: Path, fd: int) -> bool:
    """Whether `name` still names the file open as `fd`."""
    try:
        return os.stat(name).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _read(fd: int) -> list[Counted]:
    with os.fdopen(os.dup(fd), "rb") as lines:
        return [Counted.from_line(line) for line in lines if line.endswith(b"\n")]
