"""The REST plumbing every wp-json route shares: WordPress's response and error
shapes, method dispatch (writes refused as WordPress refuses an anonymous client),
CORS, paging headers and `_fields`/`_embed`."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError
from django.db.models import Case, IntegerField, QuerySet, When
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from wordpress import representation
from wordpress.params import InvalidParams, ParamReader

logger = logging.getLogger(__name__)

READ_METHODS = ("GET", "HEAD")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
EXPOSED_HEADERS = "X-WP-Total, X-WP-TotalPages, Link"


# --- responses --------------------------------------------------------------------


def wp_response(data, status: int = 200, headers: dict | None = None) -> HttpResponse:
    return encoded_response(json_text(data), status, headers)


def json_text(data) -> bytes:
    """`data` as WordPress's JSON: UTF-8, not \\u-escaped (as Django's JsonResponse
    writes it with ensure_ascii off)."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def json_list(texts: list[bytes]) -> bytes:
    """The JSON list of these encoded values: byte for byte what `json_text()` of the
    list of their values gives (its item separator is ", "). One join, so the body
    (2.7 MB for a page of 100) is copied once."""
    parts = [b"["]
    for text in texts:
        parts += (text, b", ")
    parts[-1:] = [b"]"] if texts else [b"[", b"]"]
    return b"".join(parts)


def encoded_response(content: bytes, status: int = 200, headers: dict | None = None) -> HttpResponse:
    """An answer whose JSON is already encoded (`json_text()`), with WordPress's headers."""
    response = HttpResponse(content, status=status, content_type="application/json; charset=UTF-8")
    response["Allow"] = "GET"
    response["X-Robots-Tag"] = "noindex"  # WordPress keeps its API out of search results
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def wp_error(code: str, message: str, status: int, **data) -> HttpResponse:
    return wp_response({"code": code, "message": message, "data": {"status": status, **data}}, status=status)


def invalid_params(error: InvalidParams) -> HttpResponse:
    names = ", ".join(error.errors)
    return wp_error(
        "rest_invalid_param",
        f"Invalid parameter(s): {names}",
        400,
        params={name: message for name, (_, message) in error.errors.items()},
        details={
            name: {"code": code, "message": message, "data": None}
            for name, (code, message) in error.errors.items()
        },
    )


class WordPressError(Exception):
    """An error answer in WordPress's shape, raised anywhere below a route."""

    def __init__(self, code: str, message: str, status: int):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def critical_error() -> HttpResponse:
    """What WordPress answers a REST client when the site fails (its fatal error
    handler, the database gone): its error shape with a 500, never an HTML page."""
    logger.exception("wp-json: the database does not answer")
    return wp_error("internal_server_error", "There has been a critical error on this website.", 500)


def no_route() -> HttpResponse:
    return wp_error("rest_no_route", "No route was found matching the URL and request method.", 404)


def with_cors(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """A public read API is read from browsers on other origins, as WordPress allows.
    Every answer varies on Origin, with or without one: a shared cache must not hand
    the copy made for a request without it (no CORS headers) to a browser's."""
    patch_vary_headers(response, ["Origin"])
    origin = request.headers.get("Origin")
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


ALLOWED_HEADERS = "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type"


def preflight(response: HttpResponse) -> HttpResponse:
    """A browser's CORS preflight learns what it may send, as from WordPress."""
    response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    return response


@dataclass(frozen=True)
class Refusals:
    """What WordPress answers an anonymous client that tries to write."""

    create: tuple[str, str]
    edit: tuple[str, str]
    delete: tuple[str, str]


POST_REFUSALS = Refusals(
    create=("rest_cannot_create", "Sorry, you are not allowed to create posts as this user."),
    edit=("rest_cannot_edit", "Sorry, you are not allowed to edit this post."),
    delete=("rest_cannot_delete", "Sorry, you are not allowed to delete this post."),
)
USER_REFUSALS = Refusals(
    create=("rest_cannot_create_user", "Sorry, you are not allowed to create new users."),
    edit=("rest_cannot_edit", "Sorry, you are not allowed to edit this user."),
    delete=("rest_user_cannot_delete", "Sorry, you are not allowed to delete this user."),
)
TERM_REFUSALS = Refusals(
    create=("rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy."),
    edit=("rest_cannot_update", "Sorry, you are not allowed to edit this term."),
    delete=("rest_cannot_delete", "Sorry, you are not allowed to delete this term."),
)


def endpoint(refusals: Refusals | None, is_item: bool = False) -> Callable:
    """Method dispatch, refusals, parameter errors and CORS for one route."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "OPTIONS":
                response = preflight(wp_response({"namespace": "wp/v2", "methods": ["GET"]}))
            elif request.method in READ_METHODS:
                try:
                    response = view(request, *args, **kwargs)
                except InvalidParams as error:
                    response = invalid_params(error)
                except WordPressError as error:
                    response = wp_error(error.code, error.message, error.status)
                except DatabaseError:
                    response = critical_error()
            elif refusals and request.method in WRITE_METHODS and (is_item or request.method == "POST"):
                code, message = {
                    "POST": refusals.edit if is_item else refusals.create,
                    "PUT": refusals.edit,
                    "PATCH": refusals.edit,
                    "DELETE": refusals.delete,
                }[request.method]
                response = wp_error(code, message, 401)
            else:
                response = wp_error(
                    "rest_no_route", "No route was found matching the URL and request method.", 405
                )
            return with_cors(response, request)

        return wrapped

    return decorate


# --- shared parameters ------------------------------------------------------------


def read_context(reader: ParamReader, refusal: str) -> None:
    """context=edit needs an editor's login, which this read-only API never has."""
    if reader.choice("context", ("view", "embed", "edit"), "view") == "edit":
        raise WordPressError("rest_forbidden_context", refusal, 401)


def shape_fields(item: dict, fields: list[str] | None) -> dict:
    """`_fields=id,title.rendered,yoast_head_json.robots.index`: only those fields, at
    any depth; _links and _embedded stay only when asked for, as in WordPress."""
    if not fields:
        return item
    shaped: dict = {}
    for field in fields:
        _copy_path(item, shaped, field.split("."))
    return _in_order_of(item, shaped)


def _in_order_of(source: dict, shaped: dict) -> dict:
    """The shaped fields in the item's order, at every depth, not the request's:
    WordPress keeps the item's keys that were asked for (array_intersect_key)."""
    ordered = {}
    for key in source:
        if key not in shaped:
            continue
        value = shaped[key]
        if isinstance(value, dict) and value is not source[key]:
            value = _in_order_of(source[key], value)
        ordered[key] = value
    return ordered


def _copy_path(source: dict, target: dict, path: list[str]) -> None:
    head, rest = path[0], path[1:]
    if head not in source:
        return
    if not rest or not isinstance(source[head], dict):
        target[head] = source[head]
        return
    branch = target.setdefault(head, {})
    if isinstance(branch, dict):
        _copy_path(source[head], branch, rest)


def wanted_embeds(reader: ParamReader) -> set[str] | None:
    """None when `_embed` is absent; else the link relations to embed (all when it
    names none: `_embed`, `_embed=1`, `_embed=true`)."""
    if "_embed" not in reader.query:
        return None
    named = set(reader.string_list("_embed") or []) - {"1", "true"}
    return named or {"*"}


def embedded_of(embeds: dict[str, Callable[[], object]] | None, wanted: set[str] | None) -> dict:
    """What `_embedded` holds: the relations of `embeds` that `wanted_embeds()` asks for."""
    if wanted is None or not embeds:
        return {}
    return {rel: make() for rel, make in embeds.items() if "*" in wanted or rel in wanted}


def finish_item(
    item: dict, reader: ParamReader, embeds: dict[str, Callable[[], object]] | None = None
) -> dict:
    """`_embedded` for the requested relations (e.g. wp:term, up), then `_fields`."""
    embedded = embedded_of(embeds, wanted_embeds(reader))
    if embedded:
        item["_embedded"] = embedded
    return shape_fields(item, reader.string_list("_fields"))


def paging_headers(request: HttpRequest, route: str, total: int, page: int, per_page: int) -> dict:
    pages = math.ceil(total / per_page) if total else 0
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    links = []
    # rest_route names the route in ?rest_route= requests; the links name it themselves.
    params = {key: request.GET.getlist(key) for key in request.GET if key not in ("page", "rest_route")}
    flat = [(key, value) for key, values in params.items() for value in values]
    if page > 1:
        links.append(f'<{_page_url(route, flat, min(page - 1, max(pages, 1)))}>; rel="prev"')
    if page < pages:
        links.append(f'<{_page_url(route, flat, page + 1)}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return headers


def _page_url(route: str, params: list[tuple[str, str]], page: int) -> str:
    query = urlencode([*params, ("page", str(page))])
    return f"{representation.api_url(route)}?{query}"


def paginate(request: HttpRequest, reader: ParamReader, listing, route: str, invalid_page_code: str):
    """One page of rows and WordPress's paging headers (X-WP-Total, X-WP-TotalPages,
    Link). `listing`: a queryset, or a function of per_page that makes a paginator."""
    page = reader.integer("page", 1, 1)
    per_page = reader.integer("per_page", 10, 1, 100)
    reader.check()
    paginator = listing(per_page) if callable(listing) else Paginator(listing, per_page)
    total = paginator.count
    if total and page > paginator.num_pages:
        message = "The page number requested is larger than the number of pages available."
        raise WordPressError(invalid_page_code, message, 400)
    rows = list(paginator.page(page).object_list) if total else []
    return rows, paging_headers(request, route, total, page, per_page)


def order_by_ids(queryset: QuerySet, ids: list[int], descending: bool) -> QuerySet:
    """WordPress's orderby=include: the order of the include list."""
    positions = Case(*(When(pk=pk, then=n) for n, pk in enumerate(ids)), output_field=IntegerField())
    return queryset.order_by(positions.desc() if descending else positions.asc())
