"""What WordPress did around every page, wired from this side so the core never
imports the WordPress layer: old links on the home path (`?p=549`,
`?rest_route=/wp/v2/faq`) are answered before any view, and pages announce the REST
API in a Link header, as WordPress's `rest_output_link_header()` does."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from wordpress import legacy
from wordpress.representation import api_url


@cache
def home_paths() -> tuple[str, str]:
    """Where old links land: the home path and WordPress's `index.php` under it. Fixed
    by the URLconf, so reversed once, not for every request."""
    home = reverse("faqs:home")
    return home, f"{home}index.php"


class WordPressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in home_paths() and legacy.is_legacy_request(request):
            response = legacy.answer(request)
        else:
            response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            announce_api(response)
        return response


def announce_api(response: HttpResponse) -> None:
    """The API root on every page; a question page also names its own wp-json item
    (the view marks the question it shows as `response.shown_question`)."""
    links = [f'<{api_url("")}>; rel="https://api.w.org/"']
    question = getattr(response, "shown_question", None)
    if question is not None:
        links.append(f'<{api_url(f"wp/v2/faq/{question.pk}")}>; rel="alternate"; type="application/json"')
    response["Link"] = ", ".join(links)
