"""The page cache's hits, answered in front of Django's request handler.

Through Django a hit runs the request signals, the handler, the outermost middleware
and an HttpResponse of the entry's fourteen headers. Here, a GET whose entry is
current goes out as kept (its status, headers and body) with none of that:
`bench/hit_cost.py` (10k questions, local memory) measured 84 µs a hit for a browser's
Brotli page, not 236 µs. Everything else goes
to Django, whose PageCacheMiddleware answers it by the same rules: a miss (which it
keeps), a stamp missing or due (which it renews), HEAD and conditional requests (HEAD's
body removal and the 304s are Django's), and anything that raises here (a Host not
allowed, an unreachable cache). `certfaq.wsgi.application` is gunicorn's and, as
WSGI_APPLICATION, runserver's; the middleware still serves hits to Django's test
client and to any server given Django's handler alone."""

from __future__ import annotations

from http.client import responses

from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.urls import set_script_prefix

from http_cache import entries
from http_cache.middleware import HEADER, MISSED_AT_FRONT_DOOR, Entry, enabled, page_key

# A request carrying one of these may get a 304: Django's conditional response rule.
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class CachedPagesApplication:
    """A WSGI application: the kept answer to a plain GET, else Django's."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        entry = kept_entry(environ)
        if entry is None:
            return self.application(environ, start_response)
        start_response(f"{entry.status} {responses[entry.status]}", [*entry.headers, (HEADER, "hit")])
        return [entry.body]


def kept_entry(environ: dict) -> Entry | None:
    """The entry that answers this request, current and whole; None to ask Django.
    A miss under a current stamp is left in the environ (MISSED_AT_FRONT_DOOR): the
    middleware makes the page and keeps it without looking it up again."""
    if environ.get("REQUEST_METHOD") != "GET" or any(name in environ for name in CONDITIONAL_HEADERS):
        return None
    try:
        if not enabled():
            return None
        set_script_prefix(get_script_name(environ))  # as Django's handler does: page_key reads it
        # A copy: WSGIRequest rewrites PATH_INFO as text, and Django reads it again on a miss.
        key = page_key(WSGIRequest(environ.copy()))
        if not key:
            return None
        # With renew=False: a stamp missing or due is a miss with no stamp (the
        # middleware renews it).
        found = entries.find_page(key, renew=False)
    except Exception:  # a Host not allowed, the cache unreachable (logged): Django answers
        return None
    if found.hit and isinstance(found.kept.value, Entry):
        return found.kept.value
    if not found.hit and found.stamp is not None:
        environ[MISSED_AT_FRONT_DOOR] = (key, found.stamp)
    return None
