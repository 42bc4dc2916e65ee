"""The site's URLs plus bench-constant/, which answers the same bytes every time: as
many as a question page, so bench/serve.py can compare a page's cost with the
framework's and gunicorn's alone."""

import os
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path

from certfaq.urls import handler404, handler500  # noqa: F401  (the site's error pages)
from certfaq.urls import urlpatterns as site_urlpatterns


@cache
def constant_body() -> bytes:
    # Read on the first request: serve.py writes the file once gunicorn answers.
    return Path(os.environ["BENCH_CONSTANT_FILE"]).read_bytes()


def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(constant_body(), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench-constant/", constant), *site_urlpatterns]
