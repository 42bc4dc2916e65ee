"""Request handling every page shares: input no page can use is stopped before it
reaches a database, and every answer gets the browser's policies."""

from csp.middleware import CSPMiddleware
from django.http import Http404, HttpRequest, QueryDict
from django.middleware import common
from django_permissions_policy import PermissionsPolicyMiddleware


class CommonMiddleware(common.CommonMiddleware):
    """Django's rules for a request's address (a trailing slash, disallowed user
    agents), plus one of ours: PostgreSQL refuses text holding NUL (0x00), so a URL
    like /faq/%00/ or ?s=%00 would turn into a 500. No real link holds one: the path
    answers 404 and NULs are dropped from query values."""

    def process_request(self, request: HttpRequest):
        if "\x00" in request.path:
            raise Http404("No page has a NUL byte in its address")
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = self._without_nul(request.GET)
        return super().process_request(request)

    @staticmethod
    def _without_nul(query: QueryDict) -> QueryDict:
        cleaned = QueryDict(mutable=True)
        for key, values in query.lists():
            cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
        cleaned._mutable = False
        return cleaned


class BrowserPolicyMiddleware:
    """The policies a browser enforces on every response, static files included:
    Permissions-Policy (django-permissions-policy) and Content-Security-Policy
    (django-csp, which also gives the request its nonce), as one step."""

    def __init__(self, get_response):
        self.respond = PermissionsPolicyMiddleware(CSPMiddleware(get_response))

    def __call__(self, request: HttpRequest):
        return self.respond(request)
