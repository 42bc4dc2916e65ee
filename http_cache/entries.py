"""What the page cache keeps and the one way it is read: each value (a whole answer,
a fragment) is stored with the stamp's token it was made under and is found only
while that token is current. The front door, the middleware and fragments all ask
`find()`, so none can serve a value the stamp has retired."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache

from http_cache import near, stamp

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kept:
    """A value as stored: with the token it was made under."""

    token: str
    value: Any


@dataclass(frozen=True)
class Found:
    """The outcome of a look-up. `stamp` is what a value made now is kept under (None:
    keep nothing, the stamp is missing, due or unreadable); `kept` is the current
    value, None on a miss."""

    stamp: stamp.Stamp | None
    kept: Kept | None

    @property
    def hit(self) -> bool:
        return self.kept is not None


def find(key: str, *, renew: bool = True) -> Found:
    """The value kept under `key` if it was made under the current stamp. With `renew`
    (the middleware, fragments) a stamp missing or due is renewed, so a miss can be
    kept; without it (the front door, which only answers hits) that is a miss with
    nothing to keep. A cache that cannot be read, or a stamp that cannot be renewed,
    is a miss with nothing to keep: the page is made as without a cache."""
    current, found = find_many([key], renew=renew)
    return Found(current, found.get(key))


def find_page(key: str, *, renew: bool = True) -> Found:
    """`find()` for a whole page (an Entry), through this process's near copies when the
    cache is on another machine (http_cache.near): one held under the current token
    costs a read of the stamp alone."""
    if not near.pages.enabled():
        return find(key, renew=renew)
    kept = near.pages.get(key)
    if kept is not None:
        current, _ = find_many([], renew=renew)
        if current is not None and kept.token == current.token:
            return Found(current, kept)
        near.pages.discard(key)  # made under a retired token: ask the cache
    found = find(key, renew=renew)
    if found.hit:
        near.pages.put(key, found.kept)
    return found


def find_many(keys: list[str], *, renew: bool = True) -> tuple[stamp.Stamp | None, dict[str, Kept]]:
    """`find()` for several keys in one round trip (the stamp's too, where the cache
    keeps it): the stamp to keep missing values under (None: keep nothing) and, of
    `keys`, those whose value was made under it."""
    try:
        current, found = stamp.read(keys) if renew else stamp.lookup(keys)
    except stamp.CacheUnreachable:  # logged by stamp.lookup()
        return None, {}
    except Exception:  # the stamp not renewed (the database down): making the page says so
        logger.exception("Page cache: the stamp could not be renewed")
        return None, {}
    if current is None:
        return None, {}
    return current, {
        key: kept for key, kept in found.items() if isinstance(kept, Kept) and kept.token == current.token
    }


def keep(key: str, current: stamp.Stamp, value: Any) -> None:
    """Store `value` under `key`, current while `current` is the stamp."""
    try:
        cache.set(key, Kept(current.token, value), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache: %s could not be kept", key)


def keep_many(values: dict[str, Any], current: stamp.Stamp) -> None:
    """`keep()` for several values in one round trip."""
    try:
        kept = {key: Kept(current.token, value) for key, value in values.items()}
        cache.set_many(kept, timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Page cache: %s values could not be kept", len(values))
