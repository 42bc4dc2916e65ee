"""The search results page's click counter: static/faqs/search-clicks.js sends a
beacon here when a reader opens a result. The page works without it (the results are
plain links); this endpoint only adds one to a counter of a row already logged."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from faqs.identifiers import whole_number
from search import engine as search
from search_insights import analytics


# CSRF-exempt: a forged request can do no more than a reader's click, adding one to a
# bounded counter of a query already logged; it reads and writes nothing else, and a
# beacon carries no token.
@csrf_exempt
@require_POST
def search_opened(request: HttpRequest) -> HttpResponse:
    """`query` (as the results page shows it) and `question` (the opened result's id):
    204 whether or not it was counted, 400 when either is missing or malformed."""
    query = request.POST.get("query", "")
    question_id = whole_number(request.POST.get("question", ""))
    if len(query) > search.MAX_QUERY_CHARS or not search.logged_form(query) or not question_id:
        return HttpResponseBadRequest("Expected a query and a question id.", content_type="text/plain")
    analytics.record_open(query, question_id)
    response = HttpResponse(status=204)
    patch_cache_control(response, no_store=True)
    return response
