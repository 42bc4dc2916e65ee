"""Old URLs find their redirects: Django's redirect fallback (django.contrib.redirects),
with the 410 page of a deleted question and the query strings of shared links kept."""

import logging

from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware as DjangoRedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponseGone, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path

from faqs import site

logger = logging.getLogger(__name__)


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
