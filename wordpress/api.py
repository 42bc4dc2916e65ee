"""The read-only wp-json API: WordPress's routes, parameters, headers and errors.

Only published questions are ever visible here. Writes are refused the way WordPress
refuses an anonymous client (401); anything malformed is a 400 or 404 in WordPress's
error shape, never a 500. The shared plumbing is in `rest.py`.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from faqs.models import Category, Question
from faqs.site import home_url
from listings.archives import ArchivePaginator
from listings.models.archive import ALL, category_key
from media.models import Image
from people.models import Person
from search import engine as search
from wordpress import kept, representation, shapes
from wordpress.params import ParamReader
from wordpress.rest import (
    POST_REFUSALS,
    TERM_REFUSALS,
    USER_REFUSALS,
    WordPressError,
    encoded_response,
    endpoint,
    finish_item,
    json_list,
    no_route,
    order_by_ids,
    paginate,
    read_context,
    wanted_embeds,
    with_cors,
    wp_error,
    wp_response,
)

# --- faq --------------------------------------------------------------------------

QUESTION_ORDER = {
    "date": "published_at",
    "modified": "modified_at",
    "id": "pk",
    "title": "title",
    "slug": "slug",
}


@endpoint(POST_REFUSALS)
def faq_collection(request: HttpRequest) -> HttpResponse:
    reader = ParamReader(request.GET)
    read_context(reader, "Sorry, you are not allowed to edit posts in this post type.")
    listing = filtered_questions(reader)
    rows, headers = paginate(request, reader, listing, "wp/v2/faq", "rest_post_invalid_page_number")
    found = kept.questions([row.pk for row in rows])
    # A question deleted since its page was read is left out.
    return questions_answer(request, reader, [found[row.pk] for row in rows if row.pk in found], headers)


def questions_answer(
    request: HttpRequest,
    reader: ParamReader,
    items: list[kept.KeptItem],
    headers: dict,
    *,
    listed: bool = True,
) -> HttpResponse:
    """The kept items (a list, or the one item): as they are, with `_embedded` added,
    or decoded and shaped by `_fields`."""
    wanted = wanted_embeds(reader)
    if reader.string_list("_fields"):
        embeds = kept.question_embeds(items) if wanted is not None else [None] * len(items)
        shaped = [
            finish_item(item, reader, embed) for item, embed in zip(kept.decoded(items), embeds, strict=True)
        ]
        return wp_response(shaped if listed else shaped[0], headers=headers)
    texts = [item.text for item in items] if wanted is None else kept.embedded_texts(items, wanted)
    response = encoded_response(json_list(texts) if listed else texts[0], headers=headers)
    user = getattr(request, "user", None)
    # The ETag from the kept digests (a signed-in reader's answer is no-store: none).
    if wanted is None and not (user and user.is_authenticated):
        response["ETag"] = kept.etag(items, listed=listed)
    return response


def filtered_questions(reader: ParamReader):
    """The questions asked for: a queryset, or, for what most clients ask (newest or
    oldest first, all or one category's), a paginator over an archive, whose pages cost
    the same at any depth and any size of site."""
    # Only the ids: the items are kept (wordpress.kept).
    questions = Question.objects.published().only("pk")
    term = reader.text("search")
    slugs = reader.slug_list("slug")
    include = reader.id_list("include")
    exclude = reader.id_list("exclude")
    authors = reader.id_list("author")
    not_by = reader.id_list("author_exclude")
    in_terms = reader.id_list(shapes.TAXONOMY)
    not_in_terms = reader.id_list(f"{shapes.TAXONOMY}_exclude")
    dates = {name: reader.date(name) for name in ("after", "before", "modified_after", "modified_before")}
    orderby = reader.choice("orderby", (*QUESTION_ORDER, "include", "relevance", "include_slugs"), "")
    order = reader.choice("order", ("asc", "desc"), "desc")
    status = reader.choice(
        "status", ("publish", "future", "draft", "pending", "private", "trash", "any"), "publish"
    )
    reader.check()
    if status != "publish":  # other statuses need an editor's login, as in WordPress
        raise WordPressError("rest_forbidden_status", "Status is forbidden.", 401)
    plain = not (
        term
        or slugs is not None
        or include is not None
        or exclude
        or not_in_terms
        or any(dates.values())
        or authors is not None
        or not_by
    )
    if plain and orderby in ("", "date") and (in_terms is None or len(in_terms) == 1):
        key = ALL if in_terms is None else category_key(in_terms[0])
        questions = Question.objects.only("pk")
        return partial(ArchivePaginator, key, questions=questions, newest_first=order == "desc")
    if term:
        # Ranked as the results page ranks them (the best MAX_RESULTS) for relevance;
        # every match for any other order.
        by_relevance = (orderby or "relevance") == "relevance"
        questions = search.matching_questions(questions, term, by_relevance=by_relevance)
    if slugs is not None:
        questions = questions.filter(slug__in=slugs)
    if include is not None:
        questions = questions.filter(pk__in=include)
    if exclude:
        questions = questions.exclude(pk__in=exclude)
    if in_terms is not None:
        questions = questions.filter(pk__in=Question.objects.filter(categories__in=in_terms).values("pk"))
    if not_in_terms:
        questions = questions.exclude(categories__in=not_in_terms)
    if authors is not None:  # WordPress's ?author= and ?author_exclude=: the byline's profile
        questions = questions.filter(written_by__in=authors)
    if not_by:
        questions = questions.exclude(written_by__in=not_by)
    questions = _filter_dates(questions, dates)
    return _order_questions(
        questions, orderby or ("relevance" if term else "date"), order, term, include, slugs
    )


def _filter_dates(questions: QuerySet, dates: dict) -> QuerySet:
    lookups = {
        "after": "published_at__gt",
        "before": "published_at__lt",
        "modified_after": "modified_at__gt",
        "modified_before": "modified_at__lt",
    }
    filters = {lookups[name]: value for name, value in dates.items() if value is not None}
    return questions.filter(**filters)


def _order_questions(questions, orderby, order, term, include, slugs) -> QuerySet:
    descending = order == "desc"
    if orderby == "relevance":
        if not term:
            message = "You need to define a search term to order by relevance."
            raise WordPressError("rest_no_search_term_defined", message, 400)
        return questions  # search.matching_questions ranked them
    if orderby == "include":
        if not include:
            message = "You need to define an include parameter to order by include."
            raise WordPressError("rest_orderby_include_missing_include", message, 400)
        return order_by_ids(questions, include, descending)
    if orderby == "include_slugs":
        ids_by_slug = dict(Question.objects.filter(slug__in=slugs or []).values_list("slug", "pk"))
        ordered = [ids_by_slug[slug] for slug in slugs or [] if slug in ids_by_slug]
        return order_by_ids(questions, ordered, descending) if ordered else questions
    field = QUESTION_ORDER[orderby]
    return questions.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk")


@endpoint(POST_REFUSALS, is_item=True)
def faq_item(request: HttpRequest, question_id: int) -> HttpResponse:
    reader = ParamReader(request.GET)
    read_context(reader, "Sorry, you are not allowed to edit this post.")
    reader.check()
    visible = Question.objects.published().filter(pk=question_id).values_list("pk", flat=True)
    texts = kept.questions(list(visible))
    if question_id not in texts:
        return wp_error("rest_post_invalid_id", "Invalid post ID.", 404)
    return questions_answer(request, reader, [texts[question_id]], {}, listed=False)


# --- faq-categories ---------------------------------------------------------------

TERM_ORDER = {
    "id": "pk",
    "name": "name",
    "slug": "slug",
    "description": "description",
    "count": "question_count",
}


@endpoint(TERM_REFUSALS)
def term_collection(request: HttpRequest) -> HttpResponse:
    reader = ParamReader(request.GET)
    read_context(reader, "Sorry, you are not allowed to edit terms in this taxonomy.")
    categories = filtered_terms(reader)
    route = f"wp/v2/{shapes.TAXONOMY}"
    rows, headers = paginate(request, reader, categories, route, "rest_term_invalid_page_number")
    tree = Category.objects.tree()
    items = [
        finish_item(
            representation.category_json(c, c.question_count, Category.ancestors(c, tree)),
            reader,
            representation.category_embeds(c, tree),
        )
        for c in rows
    ]
    return wp_response(items, headers=headers)


def filtered_terms(reader: ParamReader) -> QuerySet:
    categories = Category.objects.with_question_counts()
    term = reader.text("search")
    include, exclude = reader.id_list("include"), reader.id_list("exclude")
    slugs = reader.slug_list("slug")
    parent = reader.integer("parent", -1, 0)
    post = reader.integer("post", 0, 1)
    hide_empty = reader.choice("hide_empty", ("true", "false", "1", "0"), "false") in ("true", "1")
    orderby = reader.choice("orderby", (*TERM_ORDER, "include", "include_slugs", "term_group"), "name")
    order = reader.choice("order", ("asc", "desc"), "asc")
    reader.check()
    if term:
        categories = categories.filter(name__icontains=search.normalise_query(term))
    if include is not None:
        categories = categories.filter(pk__in=include)
    if exclude:
        categories = categories.exclude(pk__in=exclude)
    if slugs is not None:
        categories = categories.filter(slug__in=slugs)
    if parent >= 0:
        categories = categories.filter(parent_id=parent or None)
    if post:
        categories = categories.filter(questions__pk=_readable_post(post).pk)
    if hide_empty:
        categories = categories.filter(question_count__gt=0)
    if orderby == "include" and include:
        return order_by_ids(categories, include, order == "desc")
    field = TERM_ORDER.get(orderby, "name")
    return categories.order_by(f"-{field}" if order == "desc" else field, "pk")


def _readable_post(post_id: int) -> Question:
    """The question whose terms ?post= asks for, refused as WordPress refuses it."""
    question = Question.objects.filter(pk=post_id).first()
    if question is None:
        raise WordPressError("rest_post_invalid_id", "Invalid post ID.", 400)
    if not question.is_public():
        raise WordPressError(
            "rest_forbidden_context", "Sorry, you are not allowed to view terms for this post.", 401
        )
    return question


@endpoint(TERM_REFUSALS, is_item=True)
def term_item(request: HttpRequest, term_id: int) -> HttpResponse:
    reader = ParamReader(request.GET)
    read_context(reader, "Sorry, you are not allowed to edit this term.")
    reader.check()
    tree = Category.objects.tree()
    category = Category.objects.with_question_counts().filter(pk=term_id).first()
    if category is None:
        return wp_error("rest_term_invalid", "Term does not exist.", 404)
    item = representation.category_json(category, category.question_count, Category.ancestors(category, tree))
    return wp_response(finish_item(item, reader, representation.category_embeds(category, tree)))


# --- users: the people bylines name ---------------------------------------------

USER_ORDER = {"id": "pk", "name": "name", "slug": "slug"}


@endpoint(USER_REFUSALS)
def user_collection(request: HttpRequest) -> HttpResponse:
    """wp/v2/users: as WordPress lists users to the public, only those with published
    posts (here: named by a public question), by name."""
    reader = ParamReader(request.GET)
    read_context(reader, "Sorry, you are not allowed to list users.")
    include, slugs = reader.id_list("include"), reader.slug_list("slug")
    orderby = reader.choice("orderby", tuple(USER_ORDER), "name")
    order = reader.choice("order", ("asc", "desc"), "asc")
    people = Person.objects.public()
    if include is not None:
        people = people.filter(pk__in=include)
    if slugs is not None:
        people = people.filter(slug__in=slugs)
    field = USER_ORDER[orderby]
    people = people.order_by(f"-{field}" if order == "desc" else field, "pk")
    rows, headers = paginate(request, reader, people, "wp/v2/users", "rest_user_invalid_page_number")
    return wp_response([finish_item(representation.user_json(p), reader, {}) for p in rows], headers=headers)


@endpoint(USER_REFUSALS, is_item=True)
def user_item(request: HttpRequest, user_id: int) -> HttpResponse:
    """wp/v2/users/<id>: an author of public questions; anyone else is refused as
    WordPress refuses an anonymous client a user without published posts."""
    reader = ParamReader(request.GET)
    read_context(reader, "Sorry, you are not allowed to edit this user.")
    reader.check()
    person = Person.objects.filter(pk=user_id).first()
    if person is None:
        return wp_error("rest_user_invalid_id", "Invalid user ID.", 404)
    if not Person.objects.public().filter(pk=user_id).exists():
        return wp_error("rest_user_cannot_view", "Sorry, you are not allowed to list users.", 401)
    return wp_response(finish_item(representation.user_json(person), reader, {}))


# --- the routes _links point at --------------------------------------------------


@endpoint(None)
def faq_type(request: HttpRequest) -> HttpResponse:
    """wp/v2/types/faq: the post type, as `_links.about` of every question names it."""
    return wp_response(
        {
            "description": "",
            "hierarchical": False,
            "has_archive": True,
            "name": "faqs",
            "slug": shapes.FAQ_TYPE,
            "icon": None,
            "taxonomies": [shapes.TAXONOMY],
            "rest_base": "faq",
            "rest_namespace": "wp/v2",
            "_links": {
                "collection": [{"href": representation.api_url("wp/v2/types")}],
                "wp:items": [{"href": representation.api_url("wp/v2/faq")}],
                "curies": representation.CURIES,
            },
        }
    )


@endpoint(None)
def faq_taxonomy(request: HttpRequest) -> HttpResponse:
    """wp/v2/taxonomies/faq-categories, as `_links.about` of every term names it."""
    return wp_response(
        {
            "name": "FAQ Categories",
            "slug": shapes.TAXONOMY,
            "description": "",
            "types": [shapes.FAQ_TYPE],
            "hierarchical": True,
            "rest_base": shapes.TAXONOMY,
            "rest_namespace": "wp/v2",
            "_links": {
                "collection": [{"href": representation.api_url("wp/v2/taxonomies")}],
                "wp:items": [{"href": representation.api_url(f"wp/v2/{shapes.TAXONOMY}")}],
                "curies": representation.CURIES,
            },
        }
    )


@endpoint(None)
def media_collection(request: HttpRequest) -> HttpResponse:
    """wp/v2/media: questions carry no attachments, so `wp:attachment` lists none."""
    return wp_response([], headers={"X-WP-Total": "0", "X-WP-TotalPages": "0"})


@endpoint(POST_REFUSALS, is_item=True)
def media_item(request: HttpRequest, media_id: int) -> HttpResponse:
    """wp/v2/media/<id>: a library image a public question features, as WordPress shows
    an attachment of a published post; any other is refused as WordPress refuses it."""
    reader = ParamReader(request.GET)
    read_context(reader, "Sorry, you are not allowed to edit this post.")
    reader.check()
    image = Image.objects.prefetch_related("renditions").filter(pk=media_id).first()
    public = Question.objects.published().filter(featured_image_id=media_id).exists() if image else False
    if not public:
        return wp_error("rest_post_invalid_id", "Invalid post ID.", 404)
    return wp_response(finish_item(representation.media_json(image), reader, {}))


# --- discovery --------------------------------------------------------------------

ROUTES = {
    "/wp/v2/faq": "faq collection",
    "/wp/v2/faq/(?P<id>[\\d]+)": "faq item",
    f"/wp/v2/{shapes.TAXONOMY}": "term collection",
    f"/wp/v2/{shapes.TAXONOMY}/(?P<id>[\\d]+)": "term item",
    "/wp/v2/users": "user collection",
    "/wp/v2/users/(?P<id>[\\d]+)": "user item",
}


@endpoint(None)
def index(request: HttpRequest) -> HttpResponse:
    """wp-json/: the site and its routes, as WordPress describes itself."""
    routes = {
        "/": _route("/", "/"),
        "/wp/v2": _route("wp/v2", "/wp/v2"),
        **{route: _route("wp/v2", route) for route in ROUTES},
    }
    return wp_response(
        {
            "name": settings.SITE_NAME,
            "description": settings.SITE_TAGLINE,
            "url": home_url().rstrip("/"),
            "home": home_url().rstrip("/"),
            "gmt_offset": shapes.gmt_offset_hours(),
            "timezone_string": settings.TIME_ZONE,
            "namespaces": ["wp/v2"],
            "authentication": {},
            "routes": routes,
            "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
        }
    )


@endpoint(None)
def namespace_index(request: HttpRequest) -> HttpResponse:
    routes = {route: _route("wp/v2", route) for route in ROUTES}
    return wp_response(
        {"namespace": "wp/v2", "routes": routes, "_links": {"up": [{"href": representation.api_url("")}]}}
    )


def _route(namespace: str, route: str) -> dict:
    entry = {"namespace": namespace, "methods": ["GET"], "endpoints": [{"methods": ["GET"], "args": {}}]}
    if "(?P" not in route:
        entry["_links"] = {"self": [{"href": representation.api_url(route.lstrip("/"))}]}
    return entry


@csrf_exempt
def unknown_route(request: HttpRequest, rest: str = "") -> HttpResponse:
    return with_cors(no_route(), request)
