"""The costly parts of a page, kept by the page cache's stamp: a page that misses
(after a write, or one the cache never held) is made from them without their
queries and templates. Shared by every process that shares the stamp."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from http_cache import build, stamp
from http_cache.middleware import enabled as cache_configured

logger = logging.getLogger(__name__)

Value = TypeVar("Value")


def enabled() -> bool:
    return settings.PAGE_FRAGMENTS and cache_configured(whole_pages=False)


def fragment(name: str, make: Callable[[], Value]) -> Value:
    """`make()`'s value, made once while the site is unchanged. `name` says what it
    is of (e.g. "question-parts:549"); the value must be the same for every reader."""
    if not enabled():
        return make()
    key = f"page-cache:fragment:{build.identity()}:{name}"
    try:
        current, found = stamp.read([key])
    except stamp.CacheUnreachable:  # logged by stamp.lookup(): make it, as without a cache
        return make()
    except Exception:  # the stamp not renewed (the database down): make() will say so
        logger.exception("Page cache: the stamp could not be renewed")
        return make()
    kept = found.get(key)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == current.token:
        return kept[1]
    value = make()
    try:
        cache.set(key, (current.token, value), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache: a fragment could not be kept")
    return value
