"""bench-constant/<page>/: the bytes and Content-Type bench/serve.py wrote for a page
type (the same files the project-stack constant view of bench/serve_urls.py answers),
and health/ for serve.py's readiness and settling checks."""

import os
from functools import cache
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path


@cache
def constant_page(page: str) -> tuple[bytes, str]:
    # Read on the first request, once serve.py has written the files (a 404 is not kept).
    folder = Path(os.environ["BENCH_CONSTANT_DIR"])
    body, content_type = folder / f"{page}.body", folder / f"{page}.content-type"
    if not body.exists():
        raise Http404(f"no constant page for {page}")
    return body.read_bytes(), content_type.read_text()


def constant(request, page):
    body, content_type = constant_page(page)
    return HttpResponse(body, content_type=content_type)


def health(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench-constant/<slug:page>/", constant),
    path("health/", health),
]
