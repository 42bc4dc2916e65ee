"""The site's URLs plus bench-constant/<page>/, which answers the same bytes every time:
as many as that page type's page (home, question, sitemap, ...), with its Content-Type,
so bench/serve.py can show what the project's stack costs beside its plain-Django ceiling."""

import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.cache import patch_cache_control

from certfaq.urls import handler404, handler500  # noqa: F401  (the site's error pages)
from certfaq.urls import urlpatterns as site_urlpatterns


@cache
def constant_page(page: str) -> tuple[bytes, str]:
    """The body and Content-Type serve.py wrote for `page`, read on the first request:
    serve.py writes the files once gunicorn answers (a 404 is not cached)."""
    folder = Path(os.environ["BENCH_CONSTANT_DIR"])
    body, content_type = folder / f"{page}.body", folder / f"{page}.content-type"
    if not body.exists():
        raise Http404(f"no constant page for {page}")
    return body.read_bytes(), content_type.read_text()


def constant(request: HttpRequest, page: str) -> HttpResponse:
    body, content_type = constant_page(page)
    response = HttpResponse(body, content_type=content_type)
    # Private, as the search results page marks itself: the page cache keeps only public
    # answers, so every request runs the whole stack and this view (looked up, missed,
    # made), never a cache hit.
    patch_cache_control(response, private=True)
    return response


urlpatterns = [path("bench-constant/<slug:page>/", constant), *site_urlpatterns]
