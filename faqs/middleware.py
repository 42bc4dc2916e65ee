"""Request handling around the views: input no page can use is stopped before it
reaches a database, and old URLs find their redirects."""

import logging

from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware as DjangoRedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponseGone, HttpResponsePermanentRedirect, QueryDict
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path

from faqs import site

logger = logging.getLogger(__name__)


class RejectNulBytesMiddleware:
    """PostgreSQL refuses text holding NUL (0x00), so a URL like /faq/%00/ or ?s=%00
    would turn into a 500. No real link holds one: the path answers 404 and NULs
    are dropped from query values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if "\x00" in request.path:
            raise Http404("No page has a NUL byte in its address")
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = self._without_nul(request.GET)
        return self.get_response(request)

    @staticmethod
    def _without_nul(query: QueryDict) -> QueryDict:
        cleaned = QueryDict(mutable=True)
        for key, values in query.lists():
            cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
        cleaned._mutable = False
        return cleaned


class GonePage(HttpResponseGone):
    """410 for a deleted question: a page with a search box, not a blank one. Rendered
    without the database or context processors, like the 500 page."""

    def __init__(self) -> None:
        super().__init__(render_to_string("410.html", site.error_page_context()))


class RedirectFallbackMiddleware(DjangoRedirectFallbackMiddleware):
    """Django's redirect fallback, plus what shared links need: an old URL carrying a
    query string (?utm_source=…) still finds its 301 or 410, and keeps its query."""

    response_gone_class = GonePage

    def process_response(self, request: HttpRequest, response):
        try:
            return self._old_url_response(request, response)
        except DatabaseError:
            # The redirects cannot be read: the 404 stands (wp-json's stays JSON).
            logger.exception("Redirect fallback: the database does not answer")
            return response

    def _old_url_response(self, request: HttpRequest, response):
        response = super().process_response(request, response)
        query = request.META.get("QUERY_STRING", "")
        if response.status_code != 404 or not query:
            return response
        redirect = Redirect.objects.filter(
            site_id=settings.SITE_ID, old_path=escape_uri_path(request.path)
        ).first()
        if redirect is None:
            return response
        if not redirect.new_path:
            return GonePage()
        return HttpResponsePermanentRedirect(f"{redirect.new_path}?{query}")


class HeadWithoutBodyMiddleware:
    """A HEAD answer carries the GET answer's headers and no body (RFC 9110); gunicorn
    otherwise logs a warning for every HEAD request. A 304 has neither a body nor the
    length of one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming and response.status_code != 304:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response
