"""Old WordPress links on the home path: ?p=<id>, ?post_type=faq&p=<id>, ?rest_route=…"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from faqs.identifiers import whole_number
from faqs.models import Question
from faqs.site import absolute_url

LEGACY_KEYS = ("p", "rest_route")


def is_legacy_request(request: HttpRequest) -> bool:
    return any(key in request.GET for key in LEGACY_KEYS)


def answer(request: HttpRequest) -> HttpResponse:
    if "rest_route" in request.GET:
        return rest_route(request)
    return post_redirect(request)


def post_redirect(request: HttpRequest) -> HttpResponse:
    """?p=549 → 301 to the question's canonical URL; anything else is a 404."""
    post_type = request.GET.get("post_type", "faq")
    question_id = whole_number(request.GET.get("p", ""))
    if post_type != "faq" or question_id is None:
        raise Http404("No such post")
    question = Question.objects.published().filter(pk=question_id).only("slug").first()
    if question is None:
        raise Http404("No such post")
    return HttpResponsePermanentRedirect(absolute_url(question.get_absolute_url()))


def rest_route(request: HttpRequest) -> HttpResponse:
    """?rest_route=/wp/v2/faq is WordPress's wp-json without pretty permalinks."""
    route = request.GET.get("rest_route", "/").lstrip("/")
    try:
        match = resolve(f"/{settings.SITE_PATH}wp-json/{route}")
    except Resolver404:
        raise Http404("No such route") from None
    return match.func(request, *match.args, **match.kwargs)
