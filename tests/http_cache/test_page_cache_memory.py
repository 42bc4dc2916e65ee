"""A worker's memory is bounded however many distinct query strings it is sent
(issue 17, defect 3): local memory keeps at most CACHE_MAX_BYTES of entries, not
20,000 entries of any size. Measured on a real process: the application gunicorn
serves, called in a subprocess on its own SQLite site (tests/http_cache/page_cache_memory.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
# Variables the site reads; the subprocess gets exactly the ones set here.
SITE_VARIABLES = (
    "DATABASE_URL", "CACHE_URL", "CACHE_MAX_BYTES", "CACHE_MAX_ENTRIES", "PAGE_CACHE", "SITE_URL", "TMPDIR",
)  # fmt: skip
DISTINCT_QUERIES = 10_000
ALLOWED_GROWTH_MB = 64
DISK_MAX_BYTES = 16 * 2**20


@pytest.mark.long  # 10,000 requests: a minute or two
@pytest.mark.parametrize(
    "cache_url, requests",
    [
        # Each answer is kept (an entry of about 16 KB): 10,000 of them are 160 MB unbounded.
        ("locmem://", DISTINCT_QUERIES),
        # The default: entries on disk, bounded by CACHE_MAX_BYTES (here 16 MiB, passed
        # after 1,000 answers), and SQLite's own caches bounded in the worker.
        ("disk://", DISTINCT_QUERIES // 4),
    ],
)
def test_distinct_wp_json_queries_grow_a_worker_by_at_most_64_mb(tmp_path, cache_url, requests):
    clean = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES}
    env = {
        **clean,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "CACHE_URL": cache_url,
        "CACHE_MAX_BYTES": str(DISK_MAX_BYTES) if cache_url == "disk://" else "",
        "PAGE_CACHE_STAMP_FILE": str(tmp_path / "page-cache.stamp"),
        "SECRET_KEY": "memory-test-secret-key",
        "DJANGO_SETTINGS_MODULE": "certfaq.settings",
    }
    done = subprocess.run(
        [sys.executable, "tests/http_cache/page_cache_memory.py", "exclude", str(requests)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["entry_kb"] > 10
    assert measured["requests"] == requests, measured
    assert measured["grown_mb"] <= ALLOWED_GROWTH_MB, measured
    if cache_url == "disk://":
        assert measured["cache_bytes"] <= DISK_MAX_BYTES < requests * measured["entry_kb"] * 1024, measured


def test_local_memory_drops_the_least_recently_used_entries_past_its_byte_bound():
    from certfaq.locmem_cache import LocMemCache

    store = LocMemCache("byte-bound-test", {"OPTIONS": {"MAX_BYTES": 100_000, "MAX_ENTRIES": 1000}})
    store.clear()
    store.set("kept", b"x" * 1000)
    for number in range(50):
        store.set(f"page-{number}", os.urandom(10_000))
        store.get("kept")  # read on every request: stays
    assert store.bytes_kept <= 100_000
    assert store.get("kept") is not None and store.get("page-49") is not None
    assert store.get("page-0") is None
    store.delete("page-49")
    store.clear()
    assert store.bytes_kept == 0
