"""Whole responses served from the cache to anonymous readers.

A request is looked up only when its answer is the same for every reader: GET or
HEAD, no session cookie (staff, previews and the edit link all need one), outside the
admin, and with no query string, or only parameters that its page reads (wp-json's;
registered by the WordPress app). A response is kept only when it is public: a page,
a permanent redirect, a 404 or 410, that set no cookie, read no session and said
nothing of its own about caching (a preview, the search results page). Each entry is
kept with the stamp's token it was made under and served only while that token is
current. The search page has a query string, so every search is still counted.
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
from django.utils.cache import cc_delim_re, set_response_etag

from faqs.caching import PUBLIC_STATUSES, SAFE_METHODS, admin_path
from faqs.page_cache import build, stamp

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
# Request headers a kept response may vary on; they are part of every key.
KEYED_HEADERS = {"origin": "HTTP_ORIGIN"}
# Path prefix → the query parameters its pages read (faqs.page_cache.understand()).
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
    body: bytes

    @classmethod
    def of(cls, response: HttpResponse, token: str) -> Entry:
        return cls(token, response.status_code, tuple(response.items()), zlib.compress(response.content, 1))

    def response(self) -> HttpResponse:
        response = HttpResponse(zlib.decompress(self.body), status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


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
        or request.path.startswith(admin_path())
    ):
        return None
    query = understood_query(request)
    if query is None:
        return None
    keyed = "|".join(request.META.get(meta, "") for meta in KEYED_HEADERS.values())
    identity = f"{build.identity()}|{request.scheme}|{request.get_host()}|{request.path}|{query}|{keyed}"
    return "page-cache:page:" + hashlib.md5(identity.encode(), usedforsecurity=False).hexdigest()


def is_keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """The same answer for every reader, in full."""
    user = getattr(request, "user", None)
    return (
        response.status_code in PUBLIC_STATUSES
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
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
    """Sits above the session, CSRF and authentication middleware (a hit costs none
    of them, and a response that set their cookies is seen as such) and below what
    every answer gets on its way out: ETag and 304s, Cache-Control, compression."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = page_key(request) if enabled() else None
        if key is None:
            return self.answer(self.get_response(request), "bypass")
        try:
            current, found = stamp.read([key])
        except Exception:  # an unreachable cache: serve the page, uncached
            logger.exception("Page cache: the cache cannot be read")
            return self.answer(self.get_response(request), "bypass")
        entry = found.get(key)
        if isinstance(entry, Entry) and entry.token == current.token:
            return self.answer(entry.response(), "hit")
        response = self.get_response(request)
        if not is_keepable(request, response):
            return self.answer(response, "bypass")
        set_response_etag(response)  # once, kept with the page, instead of on every hit
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
