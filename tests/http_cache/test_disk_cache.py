"""The default cache (certfaq/disk_cache.py): bounded in bytes, private, shared by the
processes of one machine, and quick because its connections outlive a request."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from django.core.cache import close_caches

from certfaq import config
from certfaq.disk_cache import DiskCache
from tests.certfaq.test_serving import PROJECT

MAX_BYTES = 2**20


def disk_cache(folder, max_bytes=MAX_BYTES) -> DiskCache:
    entry = config.cache_from_url("disk://", default_folder=folder, max_bytes=max_bytes)
    return DiskCache(entry["LOCATION"], entry)


def folder_bytes(folder) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def test_it_keeps_at_most_its_bytes_the_oldest_stored_going_first(tmp_path):
    cache = disk_cache(tmp_path / "cache")
    written = 600 * 20_000  # eleven times the bound, in values that do not compress
    for number in range(600):
        cache.set(f"page-{number}", os.urandom(20_000))
    assert cache._cache.volume() <= MAX_BYTES
    assert cache.get("page-0") is None
    assert len(cache.get("page-599")) == 20_000
    cache._cache.close()  # the last connection folds SQLite's write-ahead logs in
    assert folder_bytes(tmp_path / "cache") <= MAX_BYTES < written


def test_its_folder_is_the_sites_users_alone(tmp_path):
    """Values are pickled: whoever could write here could run code in the site."""
    disk_cache(tmp_path / "cache")
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


def test_the_end_of_a_request_keeps_its_connections(tmp_path, settings):
    """Django closes every cache after each request: reopening eight SQLite files and
    setting their pragmas would cost more than the look-up they serve."""
    settings.CACHES = {"default": config.cache_from_url("disk://", default_folder=tmp_path / "cache")}
    from django.core.cache import cache

    cache.set("page", b"kept")
    shard = cache._cache._shards[cache._cache._hash(cache.make_key("page")) % len(cache._cache._shards)]
    connection = shard._con
    close_caches()  # what Django runs on request_finished
    assert cache.get("page") == b"kept"
    assert shard._con is connection


def test_what_one_process_keeps_another_reads(tmp_path):
    cache = disk_cache(tmp_path / "cache")
    cache.set("page", b"made by this process")
    code = (
        "import sys; from certfaq import config; from certfaq.disk_cache import DiskCache; "
        f"entry = config.cache_from_url('disk://', default_folder={str(tmp_path / 'cache')!r}); "
        "other = DiskCache(entry['LOCATION'], entry); "
        "print(other.get('page').decode()); other.set('answer', b'made by the other')"
    )
    command = [sys.executable, "-c", code]
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "made by this process"
    assert cache.get("answer") == b"made by the other"
