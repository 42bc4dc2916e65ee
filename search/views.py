"""Instant search's endpoint: the header box's suggestions as JSON, for
static/faqs/instant-search.js. The engine is `search.suggest()`; this only reads the
query and answers."""

from __future__ import annotations

import unicodedata

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from search import engine as search

MIN_QUERY_CHARS = 2


def suggestion_query(request: HttpRequest) -> str:
    """The one `s` the box sends, as typed (a trailing space says the last word is
    whole); "" for anything the box cannot send (no `s`, several, longer than its
    maxlength, control characters), so no engine sees it."""
    values = request.GET.getlist("s")
    if len(values) != 1:
        return ""
    raw = values[0]
    if len(raw) > search.MAX_QUERY_CHARS or any(unicodedata.category(char) in ("Cc", "Cs") for char in raw):
        return ""
    return raw


# Exempt so that a POST meets the 405 below, not the CSRF 403: the view writes nothing.
@csrf_exempt
@require_safe
def search_suggest(request: HttpRequest) -> JsonResponse:
    """`?s=cma ret` → up to eight public questions for the header's list. Always 200:
    input it cannot use gets an empty list, not an error the script would have to show."""
    typed = suggestion_query(request)
    query = search.normalise_query(typed)
    found = search.suggest(typed, limit=search.SUGGESTIONS_SHOWN) if len(query) >= MIN_QUERY_CHARS else []
    response = JsonResponse(
        {"query": query, "results": [{"title": entry.title, "url": entry.url} for entry in found]},
        json_dumps_params={"ensure_ascii": False},
    )
    response["X-Robots-Tag"] = "noindex"  # a fragment of the search page, which is noindex too
    return response
