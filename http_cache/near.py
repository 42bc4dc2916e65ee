"""Whole pages this process served lately, kept beside a shared cache on another
machine (Redis). A hit whose page is here reads only the stamp from Redis, not the
page: a wp-json page of 100 is 2.6 MB, and moving it out of Redis on every hit was
most of that hit (bench/serve.py, redis mode, issue 18). As exact as the shared cache:
a page is served only while the token it was made under is the stamp's, read from
Redis on every request as before. Bounded in bytes (PAGE_CACHE_NEAR_BYTES, each
worker's own), least recently served out first. Pages only: an Entry is immutable,
while a fragment handed out twice could be changed by one reader under another."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from django.conf import settings

# What a kept page costs beside its body: its headers, the Kept and Entry objects.
ENTRY_OVERHEAD = 2048


class NearPages:
    def __init__(self):
        self.kept: OrderedDict[str, Any] = OrderedDict()  # key → entries.Kept of an Entry
        self.sizes: dict[str, int] = {}
        self.total = 0
        self.lock = threading.Lock()  # threaded workers (GUNICORN_THREADS) share it

    @staticmethod
    def enabled() -> bool:
        return settings.CACHE_KIND == "redis" and settings.PAGE_CACHE_NEAR_BYTES > 0

    def get(self, key: str) -> Any:
        with self.lock:
            kept = self.kept.get(key)
            if kept is not None:
                self.kept.move_to_end(key)
            return kept

    def put(self, key: str, kept: Any) -> None:
        size = len(kept.value.body) + ENTRY_OVERHEAD
        if size > settings.PAGE_CACHE_NEAR_BYTES:
            return
        with self.lock:
            self._discard(key)
            self.kept[key], self.sizes[key] = kept, size
            self.total += size
            while self.total > settings.PAGE_CACHE_NEAR_BYTES:
                oldest, _ = self.kept.popitem(last=False)
                self.total -= self.sizes.pop(oldest)

    def discard(self, key: str) -> None:
        with self.lock:
            self._discard(key)

    def _discard(self, key: str) -> None:
        if self.kept.pop(key, None) is not None:
            self.total -= self.sizes.pop(key)

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()
            self.sizes.clear()
            self.total = 0


pages = NearPages()
