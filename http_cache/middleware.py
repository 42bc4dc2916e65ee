"""Whole responses served from the cache to anonymous readers.

A request is looked up only when its answer is the same for every reader: GET or
HEAD, no session cookie (staff, previews and the edit link all need one), outside the
admin and the static files, and with no query string, or only parameters that its
page reads (wp-json's; registered by the WordPress app). A response is kept only when
it is public: a page, a permanent redirect, a 404 or 410 that set no cookie, read no
session and was marked `public` (not `private`, as previews and the search results
page are). Each entry is kept with the stamp's token it was made under and served only
while that token is current. The search page has a query string, so every search is
still counted.

The middleware is outermost (below only HEAD's body removal): an entry is the answer
as it leaves the site, with its security headers, ETag, Cache-Control and compression,
so a hit runs no other middleware. Compression is the one thing that depends on the
request, so the negotiated coding is part of the key, as are the scheme and Origin
(HSTS and wp-json's CORS headers follow them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re

from http_cache import build, entries
from http_cache.caching import SAFE_METHODS, admin_path, conditional_response, may_share
from http_cache.response import accepted_coding

HEADER = "X-Page-Cache"
# Where the front door (http_cache.wsgi) leaves a miss it looked up: (key, stamp). Not
# a header: nothing a client sends becomes an environ key with a dot in it.
MISSED_AT_FRONT_DOOR = "certfaq.page_cache.missed"
# The request headers a kept response may vary on: each is in the key (for
# Accept-Encoding, the coding negotiated from it; see page_key()).
KEYED_HEADERS = frozenset({"origin", "accept-encoding"})
# Path prefix → the query parameters its pages read (http_cache.understand()).
UNDERSTOOD_PARAMETERS: dict[str, frozenset[str]] = {}


def understand(path_prefix: str, parameters: frozenset[str]) -> None:
    """Pages under `path_prefix` read these parameters: a query string of nothing
    else is part of their key; any other query string is never looked up or kept."""
    UNDERSTOOD_PARAMETERS[path_prefix] = parameters


@dataclass(frozen=True)
class Entry:
    """A response as kept: its status, headers and body as sent. Bodies were once kept
    deflated in memory and Redis; inflating one was the largest part of a hit for a
    client that takes no coding (60 of 157 µs with Redis, `bench/hit_cost.py`, issue
    18), while browsers, crawlers and CDNs take Brotli or gzip, whose bodies are
    compressed already: the copies kept uncompressed are the few such clients ask for.
    `entries.keep()` adds the token."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @classmethod
    def of(cls, response: HttpResponse) -> Entry:
        return cls(response.status_code, tuple(response.items()), response.content)

    def response(self) -> HttpResponse:
        return HttpResponse(self.body, status=self.status, headers=dict(self.headers))


def enabled(*, whole_pages: bool = True) -> bool:
    """Whether pages (or, with `whole_pages=False`, fragments) may be kept: a
    configured cache that keeps anything, and the setting on."""
    return (settings.PAGE_CACHE or not whole_pages) and not isinstance(caches["default"], DummyCache)


def understood_query(request: HttpRequest) -> str | None:
    """The query string as part of a key ("" for none), or None when the page it was
    sent to does not read every parameter in it."""
    if not request.META.get("QUERY_STRING"):
        return ""
    names = {name.partition("[")[0] for name in request.GET}
    for prefix, parameters in UNDERSTOOD_PARAMETERS.items():
        if request.path.startswith(prefix):
            return urlencode(sorted(request.GET.lists()), doseq=True) if names <= parameters else None
    return None


def page_key(request: HttpRequest) -> str | None:
    """The cache key of the answer to this request, or None when it must not be
    looked up (nor kept)."""
    if (
        request.method not in SAFE_METHODS
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        # The admin; files whitenoise serves; the library's images (streamed, never kept:
        # no lookup either, a cache round trip for nothing).
        or request.path.startswith((admin_path(), settings.STATIC_URL, settings.MEDIA_URL))
    ):
        return None
    query = understood_query(request)
    if query is None:
        return None
    coding = accepted_coding(request.META.get("HTTP_ACCEPT_ENCODING", "")) or ""
    origin = request.META.get("HTTP_ORIGIN", "")
    host = request.get_host()
    identity = f"{build.identity()}|{request.scheme}|{host}|{request.path}|{query}|{coding}|{origin}"
    return "page-cache:page:" + hashlib.md5(identity.encode(), usedforsecurity=False).hexdigest()


def is_keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """The same answer for every reader (`caching.may_share()`), marked public (not
    a preview's or the search page's own `private`), in full, and varying on nothing
    outside the key."""
    cache_control = {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return (
        not response.streaming
        and "public" in cache_control
        and may_share(request, response)
        and varies_only_on_keyed_headers(response)
    )


def varies_only_on_keyed_headers(response: HttpResponse) -> bool:
    """A response that varies on Cookie read the session; on anything else not in
    the key, it could be the wrong one for the next reader."""
    if not response.has_header("Vary"):
        return True
    return all(name.strip().lower() in KEYED_HEADERS for name in cc_delim_re.split(response["Vary"]))


class PageCacheMiddleware:
    """Outermost but for HEAD's body removal (a HEAD answer is the GET's entry)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key, found = look_up(request)
        if found.hit:
            return self.answer(conditional_response(request, found.kept.value.response()), "hit")
        response = self.get_response(request)
        if found.stamp is None or not is_keepable(request, response):
            return self.answer(response, "bypass")
        entries.keep(key, found.stamp, Entry.of(response))
        return self.answer(response, "miss")

    def answer(self, response: HttpResponse, outcome: str) -> HttpResponse:
        response[HEADER] = outcome
        return response


def look_up(request: HttpRequest) -> tuple[str | None, entries.Found]:
    """This request's key and what is kept under it. A miss the front door has just
    looked up (http_cache.wsgi) is not looked up again: its stamp was read before
    this request read any row, so a page made now may be kept under it (a write since
    has retired it, and the page with it)."""
    if not enabled():
        return None, entries.Found(None, None)
    if missed := request.META.get(MISSED_AT_FRONT_DOOR):
        key, current = missed
        return key, entries.Found(current, None)
    key = page_key(request)
    return key, entries.find_page(key) if key else entries.Found(None, None)
