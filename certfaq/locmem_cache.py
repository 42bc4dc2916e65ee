"""Django's local-memory cache, bounded in bytes as well as in entries.

Django's counts entries only, and a kept page is anything from 2 KB (a question) to
200 KB (a wp-json page of 100): 20,000 entries of distinct `?exclude=` reads would
hold gigabytes in each gunicorn worker. Here the least recently used entries go
once the values (pickled, as kept) and their keys pass MAX_BYTES.
"""

from __future__ import annotations

from django.core.cache.backends import locmem

# What an entry costs beside its value and key: its slots in two dicts, the key's
# str object and the expiry float.
ENTRY_OVERHEAD = 200
DEFAULT_MAX_BYTES = 32 * 2**20


class Ledger:
    """The size of each kept entry and their sum, for one named cache (shared, as
    Django's store is, by every instance of that name in the process)."""

    def __init__(self):
        self.sizes: dict[str, int] = {}
        self.total = 0

    def record(self, key: str, size: int) -> None:
        self.total += size - self.sizes.get(key, 0)
        self.sizes[key] = size

    def forget(self, key: str) -> None:
        self.total -= self.sizes.pop(key, 0)

    def clear(self) -> None:
        self.sizes.clear()
        self.total = 0


_ledgers: dict[str, Ledger] = {}


class LocMemCache(locmem.LocMemCache):
    """OPTIONS: MAX_ENTRIES (Django's) and MAX_BYTES (the values and keys kept)."""

    def __init__(self, name: str, params: dict):
        super().__init__(name, params)
        self.max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._ledger = _ledgers.setdefault(name, Ledger())

    @property
    def bytes_kept(self) -> int:
        return self._ledger.total

    def _set(self, key, value, timeout=locmem.DEFAULT_TIMEOUT):
        super()._set(key, value, timeout)
        self._ledger.record(key, len(value) + len(key) + ENTRY_OVERHEAD)
        while self._ledger.total > self.max_bytes and self._cache:
            oldest, _ = self._cache.popitem()  # the least recently used: Django keeps it last
            del self._expire_info[oldest]
            self._ledger.forget(oldest)

    def _cull(self):
        if self._cull_frequency == 0:
            self._ledger.clear()
            super()._cull()
            return
        for _ in range(len(self._cache) // self._cull_frequency):
            oldest, _ = self._cache.popitem()
            del self._expire_info[oldest]
            self._ledger.forget(oldest)

    def _delete(self, key):
        self._ledger.forget(key)
        return super()._delete(key)

    def incr(self, key, delta=1, version=None):
        value = super().incr(key, delta, version)
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if key in self._cache:
                self._ledger.record(key, len(self._cache[key]) + len(key) + ENTRY_OVERHEAD)
        return value

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._ledger.clear()
