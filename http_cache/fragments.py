"""The costly parts of a page, kept by the page cache's stamp: a page that misses
(after a write, or one the cache never held) is made from them without their
queries and templates. Shared by every process that shares the stamp."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings

from http_cache import build, entries
from http_cache.middleware import enabled as cache_configured

Value = TypeVar("Value")
Name = TypeVar("Name", bound=Hashable)


def enabled() -> bool:
    return settings.PAGE_FRAGMENTS and cache_configured(whole_pages=False)


def keep_schedule() -> None:
    """With fragments off, a page reads the stamp here all the same: what comes due with
    it (a scheduled question's pages, draft changes set to go live) must still come due
    with no cron (http_cache.stamp.read renews a due stamp after the work it calls)."""
    entries.find_many([])


def fragment(name: str, make: Callable[[], Value]) -> Value:
    """`make()`'s value, made once while the site is unchanged. `name` says what it
    is of (e.g. "question-parts:549"); the value must be the same for every reader."""
    if not enabled():
        keep_schedule()
        return make()
    key = fragment_key(name)
    found = entries.find(key)
    if found.hit:
        return found.kept.value
    value = make()
    if found.stamp is not None:
        entries.keep(key, found.stamp, value)
    return value


def fragments(
    names: dict[Name, str], make_missing: Callable[[list[Name]], dict[Name, Value]]
) -> dict[Name, Value]:
    """`fragment()` for many values at once (wp-json's items of a page): one round
    trip finds those kept, `make_missing(ids)` makes the others together (one query
    for all, not one each) and one more keeps them. `names` maps each id (e.g. a
    question's pk) to its fragment's name; `make_missing` may leave out an id it
    finds nothing for, and so is the answer."""
    if not enabled():
        keep_schedule()
        return make_missing(list(names))
    keys = {name_id: fragment_key(name) for name_id, name in names.items()}
    current, found = entries.find_many(list(keys.values()))
    values = {name_id: found[key].value for name_id, key in keys.items() if key in found}
    missing = [name_id for name_id in names if name_id not in values]
    if not missing:
        return values
    made = make_missing(missing)
    if current is not None and made:
        entries.keep_many({keys[name_id]: value for name_id, value in made.items()}, current)
    return {**values, **made}


def fragment_key(name: str) -> str:
    return f"page-cache:fragment:{build.identity()}:{name}"
