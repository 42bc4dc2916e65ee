"""The default cache: DiskCache's Django backend, one folder on this machine that every
gunicorn worker and every `manage.py` process reads and writes.

Why this one (issue 18): a cache in each worker's memory was thrown away every time
gunicorn recycled the worker (`max_requests`) and on every restart, and each worker
made every page again for itself. DiskCache keeps entries in SQLite files (WAL: readers
never wait for a writer), values of 32 KB or more in files beside them, and evicts the
least recently stored once its folder passes a size in bytes, so it stays bounded
whatever readers ask for. Django's own file-based cache lists the whole folder on
every write once it is full and bounds entries, not bytes.

Entries are pickled (as Django's other backends do): whoever can write to the folder
could run code in the site, so it is made readable by the site's user only.
"""

from __future__ import annotations

import os

from diskcache.djangocache import DjangoCache

# SQLite's own caches, per shard and per process: DiskCache's defaults (32 MB of page
# cache and a 64 MB memory map per shard, eight shards) would let each gunicorn worker
# grow by up to 768 MB once the cache is large. The kernel's page cache keeps the hot
# pages of the files anyway, for every process at once.
SQLITE_SETTINGS = {
    "sqlite_cache_size": 256,  # pages of 4 KB: 1 MB a shard
    "sqlite_mmap_size": 0,
}


class DiskCache(DjangoCache):
    def __init__(self, directory: str, params: dict):
        # Made here first so it is private (DiskCache would make it readable by all).
        os.makedirs(directory, mode=0o700, exist_ok=True)
        params = {**params, "OPTIONS": {**SQLITE_SETTINGS, **params.get("OPTIONS", {})}}
        super().__init__(directory, params)

    def close(self, **kwargs) -> None:
        """Django closes every cache at the end of each request; reopening eight SQLite
        files (and setting their pragmas) on the next would cost more than the
        look-up. The connections stay open for the process's life, as local memory
        stays."""
