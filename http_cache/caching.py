"""What a browser or a shared cache (a CDN) may keep, and the conditional requests
that revalidate it. Anonymous public pages are public for a short while; anything a
signed-in user, a write or an error produced is private and never stored. A view
that knows better (a preview, the search results page) says so itself with
`patch_cache_control`, and this layer leaves its answer alone."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.middleware import http as http_middleware
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_http_date_safe

SAFE_METHODS = ("GET", "HEAD")
# The answers a shared cache may keep: pages, permanent redirects (the lower-case
# address, page/1/, an old slug) and the pages that say a question is not or no
# longer here. Every other error is about this request, or this moment.
PUBLIC_STATUSES = (200, 301, 308, 404, 410)


@cache
def admin_path() -> str:
    """Where the admin lives: asked of every response, and fixed by the URLconf."""
    return reverse("admin:index")


def shared_cache_control(status_code: int) -> dict:
    """`public, max-age, s-maxage, stale-while-revalidate` from the settings. A missing
    page may be there the next moment (a draft published, a scheduled question due,
    neither of which a browser hears of), so a browser asks again for a 404 every
    time, and no cache serves a stale one; a CDN keeps it `s-maxage`, as any page."""
    if status_code == 404:
        return {"public": True, "max_age": 0, "s_maxage": settings.CACHE_S_MAXAGE}
    return {
        "public": True,
        "max_age": settings.CACHE_MAX_AGE,
        "s_maxage": settings.CACHE_S_MAXAGE,
        "stale_while_revalidate": settings.CACHE_STALE_WHILE_REVALIDATE,
    }


def keep_private(response: HttpResponse) -> None:
    """Neither a browser nor a shared cache stores this response."""
    patch_cache_control(response, private=True, no_store=True)


def carries_secret(request: HttpRequest, response: HttpResponse) -> bool:
    """The answer may hold something of one reader's: anything under the admin, a
    response that sets a cookie (the session's, the CSRF token's) or rendered a CSRF
    token (`get_token()` flags the request). Such an answer is never shared, and
    never compressed (BREACH needs a secret beside reflected input)."""
    return bool(
        request.path.startswith(admin_path())
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def may_share(request: HttpRequest, response: HttpResponse) -> bool:
    """The one rule of what a shared cache (a CDN, the page cache) may keep: the same
    answer for every reader, i.e. an anonymous GET or HEAD answered with a public
    status that carries no secret. A request stopped before the authentication
    middleware (a NUL byte in its path) has no user: nobody is signed in for it."""
    user = getattr(request, "user", None)
    return (
        request.method in SAFE_METHODS
        and response.status_code in PUBLIC_STATUSES
        and not carries_secret(request, response)
        and not (user and user.is_authenticated)
    )


class CacheControlMiddleware:
    """Cache-Control on every response a view left without one: public for what
    `may_share()` allows, private and no-store otherwise. Must see the cookies the
    session, CSRF and authentication middleware set (ResponseShapingMiddleware sits
    above them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.process_response(request, self.get_response(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.has_header("Cache-Control"):
            return response
        if may_share(request, response):
            patch_cache_control(response, **shared_cache_control(response.status_code))
        else:
            keep_private(response)
        return response


class ConditionalGetMiddleware(http_middleware.ConditionalGetMiddleware):
    """Django's (a strong ETag from the content unless the response is no-store; 304
    for If-None-Match and If-Modified-Since), for HEAD too: our HEAD answers still
    hold the GET body here (`HeadWithoutBodyMiddleware`, above, empties it), so their
    ETag is the GET's. Django skips HEAD because its body may already be gone."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return response
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        return conditional_response(request, response)


# The request headers that can make an answer conditional (Django's
# get_conditional_response reads these four).
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def conditional_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """304 when the client holds this answer already (its ETag, else its
    Last-Modified); the answer itself otherwise, at once for a request that sends
    none of the conditional headers (most do not). The page cache answers its hits
    with it too."""
    if not any(name in request.META for name in CONDITIONAL_HEADERS):
        return response
    etag = response.get("ETag")
    last_modified = parse_http_date_safe(response.get("Last-Modified") or "")
    if not etag and not last_modified:
        return response
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, except that a request carrying no session cookie is anonymous
    without a look at the session: reading it (as `request.user` does) makes
    SessionMiddleware add `Vary: Cookie`, and a CDN would then keep a copy of each
    public page per visitor's cookies."""

    def process_request(self, request: HttpRequest) -> None:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            super().process_request(request)
            return
        request.user = AnonymousUser()

        async def auser() -> AnonymousUser:
            return request.user

        request.auser = auser
