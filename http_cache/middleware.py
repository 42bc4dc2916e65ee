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
import logging
import zlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re

from faqs.middleware import accepted_coding
from http_cache import build, stamp
from http_cache.caching import PUBLIC_STATUSES, SAFE_METHODS, admin_path, conditional_response

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
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
    """A response as kept: its body compressed (a page is a fifth of its size, and
    the cache holds five times as many pages), with the token it was made under."""

    token: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # as sent when the answer is gzip or Brotli, else compressed with zlib

    @classmethod
    def of(cls, response: HttpResponse, token: str) -> Entry:
        body = response.content
        if not response.has_header("Content-Encoding"):
            body = zlib.compress(body, 1)
        return cls(token, response.status_code, tuple(response.items()), body)

    def content(self) -> bytes:
        """The body as sent."""
        if any(name == "Content-Encoding" for name, _ in self.headers):
            return self.body
        return zlib.decompress(self.body)

    def response(self) -> HttpResponse:
        return HttpResponse(self.content(), status=self.status, headers=dict(self.headers))


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
        or request.path.startswith((admin_path(), settings.STATIC_URL))
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
    """The same answer for every reader, in full."""
    user = getattr(request, "user", None)
    cache_control = {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return (
        response.status_code in PUBLIC_STATUSES
        and not response.streaming
        and not response.cookies
        and "public" in cache_control
        and not (user and user.is_authenticated)
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
        key = page_key(request) if enabled() else None
        if key is None:
            return self.answer(self.get_response(request), "bypass")
        try:
            current, found = stamp.read([key])
        except stamp.CacheUnreachable:  # logged by stamp.lookup(): serve the page, uncached
            return self.answer(self.get_response(request), "bypass")
        except Exception:  # the stamp not renewed (the database down): the page says so
            logger.exception("Page cache: the stamp could not be renewed")
            return self.answer(self.get_response(request), "bypass")
        entry = found.get(key)
        if isinstance(entry, Entry) and entry.token == current.token:
            return self.answer(conditional_response(request, entry.response()), "hit")
        response = self.get_response(request)
        if not is_keepable(request, response):
            return self.answer(response, "bypass")
        self.keep(key, Entry.of(response, current.token))
        return self.answer(response, "miss")

    def keep(self, key: str, entry: Entry) -> None:
        try:
            cache.set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Page cache: a page could not be kept")

    def answer(self, response: HttpResponse, outcome: str) -> HttpResponse:
        response[HEADER] = outcome
        return response
