"""Old WordPress links on the home path: ?p=<id>, ?post_type=faq&p=<id>, ?faq=<slug>,
?post_type=faq&name=<slug>, ?faq-categories=<slug>, ?tag=<slug>, ?rest_route=…"""

from __future__ import annotations

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
)
from django.urls import Resolver404, resolve
from taggit.models import Tag

from faqs import site
from faqs.identifiers import whole_number
from faqs.models import Category, Question
from faqs.site import absolute_url
from wordpress.shapes import decoded_slug

# Query variables WordPress answers on its home path, in the order it checks them.
LEGACY_KEYS = ("rest_route", "p", "faq", "name", "faq-categories", "tag")


def is_legacy_request(request: HttpRequest) -> bool:
    return any(key in request.GET for key in LEGACY_KEYS)


def answer(request: HttpRequest) -> HttpResponse:
    if "rest_route" in request.GET:
        return rest_route(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if "p" in request.GET:
        return post_redirect(request)
    if "faq" in request.GET or "name" in request.GET:
        return slug_redirect(request)
    return term_redirect(request)


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


def slug_redirect(request: HttpRequest) -> HttpResponse:
    """?faq=<slug> and ?post_type=faq&name=<slug> → 301 to the question."""
    if "name" in request.GET and request.GET.get("post_type") != "faq":
        raise Http404("No such post")
    slug = decoded_slug(request.GET.get("faq") or request.GET.get("name") or "")
    question = Question.objects.published().filter(slug=slug).only("slug").first()
    if question is None:
        raise Http404("No such post")
    return HttpResponsePermanentRedirect(absolute_url(question.get_absolute_url()))


def term_redirect(request: HttpRequest) -> HttpResponse:
    """?faq-categories=<slug> and ?tag=<slug> → 301 to the archive."""
    if "faq-categories" in request.GET:
        category = Category.objects.filter(slug=decoded_slug(request.GET["faq-categories"])).first()
        if category is not None:
            return HttpResponsePermanentRedirect(absolute_url(category.get_absolute_url()))
    elif Tag.objects.filter(slug=decoded_slug(request.GET.get("tag", ""))).exists():
        url = site.slug_path("faqs:tag", decoded_slug(request.GET["tag"]))
        return HttpResponsePermanentRedirect(absolute_url(url))
    raise Http404("No such archive")


def rest_route(request: HttpRequest) -> HttpResponse:
    """?rest_route=/wp/v2/faq is WordPress's wp-json without pretty permalinks."""
    route = request.GET.get("rest_route", "/").lstrip("/")
    try:
        match = resolve(f"{site.path_prefix()}wp-json/{route}")
    except Resolver404:
        raise Http404("No such route") from None
    return match.func(request, *match.args, **match.kwargs)
