"""The costly parts of a page, kept by the page cache's stamp: a page that misses
(after a write, or one the cache never held) is made from them without their
queries and templates. Shared by every process that shares the stamp."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from http_cache import build, entries
from http_cache.middleware import enabled as cache_configured

Value = TypeVar("Value")


def enabled() -> bool:
    return settings.PAGE_FRAGMENTS and cache_configured(whole_pages=False)


def fragment(name: str, make: Callable[[], Value]) -> Value:
    """`make()`'s value, made once while the site is unchanged. `name` says what it
    is of (e.g. "question-parts:549"); the value must be the same for every reader."""
    if not enabled():
        return make()
    key = f"page-cache:fragment:{build.identity()}:{name}"
    found = entries.find(key)
    if found.hit:
        return found.kept.value
    value = make()
    if found.stamp is not None:
        entries.keep(key, found.stamp, value)
    return value
