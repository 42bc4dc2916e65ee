"""Public pages. Each view reads a queryset, describes its page for the SEO
builder and renders; the rules themselves live in models, search and seo."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import logging
import re
from functools import partial

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.paginator import InvalidPage, Page, Paginator
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.http import require_safe
from taggit.models import Tag

from drafts import changes as draft_changes
from faqs import content, permissions, seo, site, sitemaps
from faqs.identifiers import whole_number
from faqs.models import Category, Question
from faqs.models.prepared import NO_SUCH_ID, NO_SUCH_SLUG, PreparedQuery
from faqs.models.question import load_credits
from faqs.result_cards import result_cards
from feedback import helpfulness
from http_cache import fragments
from listings import related
from listings.archives import ArchivePaginator, newest_of_each
from listings.models.archive import ALL, TREE, public_count_of, tag_key, tree_key
from media import inline, renditions
from search import engine as search
from search_insights import analytics

logger = logging.getLogger(__name__)

QUESTIONS_PER_PAGE = 20
LATEST_ON_HOME = 10
MOST_HELPFUL_ON_HOME = 5
QUESTIONS_PER_HUB = 3  # each category's newest on the home page
RELATED_LIMIT = 5
CATEGORY_EMPTY = "No questions in this category yet."
TAG_EMPTY = "No questions with this tag yet."


def paginate(paginator: Paginator, page_number: int) -> Page:
    """One page of questions; a page that does not exist is a 404, never a 500."""
    try:
        return paginator.page(page_number)
    except InvalidPage as error:
        raise Http404(str(error)) from error


def page_path(first_page_url: str, page_number: int) -> str:
    """WordPress-style page URLs: faq/, faq/page/2/, faq/page/3/ …"""
    return first_page_url if page_number == 1 else f"{first_page_url}page/{page_number}/"


def names_first_page(request: HttpRequest) -> bool:
    """True for …/page/1/, which WordPress answers with a 301 to the archive itself."""
    return request.resolver_match.kwargs.get("page_number") == 1


def page_links(first_page_url: str, page: Page) -> dict:
    return {
        "previous_url": page_path(first_page_url, page.number - 1) if page.has_previous() else None,
        "next_url": page_path(first_page_url, page.number + 1) if page.has_next() else None,
    }


def render_page(request, template: str, page_info: seo.PageInfo, context: dict, status: int = 200):
    context = {**context, "head": seo.build_head(page_info), "crumbs": page_info.crumbs}
    return render(request, template, context, status=status)


def list_page_parts(page_info: seo.PageInfo, page: Page, first_page_url: str, **list_context) -> dict:
    """What a list page shows around its heading, the same for every reader, rendered:
    its head tags, breadcrumbs, and question cards with the links to other pages."""
    list_context = {"page": page, **page_links(first_page_url, page), **list_context}
    return {
        "head_html": seo.head_tags(seo.build_head(page_info)),
        "crumbs": page_info.crumbs,
        "list_html": loader.render_to_string("includes/question_list.html", list_context),
    }


PLAIN_SLUG = re.compile(r"[-a-z0-9_]{1,100}")


def slug_key(slug: str) -> str:
    """A slug as part of a fragment's name: itself when plain, else its digest (an
    address may hold anything but a slash, and a cache key no space or control byte)."""
    if PLAIN_SLUG.fullmatch(slug):
        return slug
    return hashlib.md5(slug.encode(), usedforsecurity=False).hexdigest()


def archive_paginator(key: str) -> ArchivePaginator:
    """A list readers page through, newest first, showing question cards."""
    return ArchivePaginator(key, QUESTIONS_PER_PAGE, Question.objects.for_cards())


def lowercase_redirect(request: HttpRequest, slug: str, namespace: str = "faqs") -> HttpResponse | None:
    """WordPress slugs are lower case and it answers /faq/Some-Slug/ with a 301 to the
    lower-case address; so do we."""
    if slug == slug.lower():
        return None
    match = request.resolver_match
    return redirect(
        reverse(f"{namespace}:{match.url_name}", kwargs={**match.kwargs, "slug": slug.lower()}),
        permanent=True,
    )


def home(request: HttpRequest) -> HttpResponse:
    """The site home; `?s=term` turns it into the search results page, as on WordPress."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if "s" in request.GET:
        return search_results(request)
    return render(request, "faqs/home.html", fragments.fragment("home-page", home_parts))


@dataclasses.dataclass
class CategoryHub:
    """A top-level category on the home page: what its page lists (its subcategories'
    questions included, as WordPress lists them), counted, and the newest few."""

    category: Category
    count: int
    questions: list[Question]
    subcategories: list[Category]


def home_parts() -> dict:
    """The home page's head tags, category hubs, latest and most helpful questions,
    rendered: the same for every reader, and made once while the site is unchanged.
    Six queries however large the site: the categories with their counts, the archive's
    count, the newest of every list at once (`newest_of_each()`), and the most helpful
    (the votes' counts by their index, then those questions by primary key)."""
    page_info = seo.home_page()
    # A hub counts what its "See all" link lists: the category page's tree archive.
    categories = list(Category.objects.annotate(question_count=public_count_of(TREE)))
    tops = [category for category in categories if category.parent_id is None and category.question_count]
    counts = {ALL: ArchivePaginator(ALL, LATEST_ON_HOME).count}
    counts.update((tree_key(category.pk), category.question_count) for category in tops)
    shown = {key: QUESTIONS_PER_HUB for key in counts} | {ALL: LATEST_ON_HOME}
    newest = newest_of_each(counts, shown, Question.objects.for_cards())
    hubs = [
        CategoryHub(
            category,
            category.question_count,
            newest[tree_key(category.pk)],
            [child for child in categories if child.parent_id == category.pk],
        )
        for category in tops
    ]
    return {
        "head_html": seo.head_tags(seo.build_head(page_info)),
        "crumbs": page_info.crumbs,
        "categories_html": loader.render_to_string("includes/category_grid.html", {"hubs": hubs}),
        "latest_html": loader.render_to_string("includes/latest_questions.html", {"latest": newest[ALL]}),
        # Made with the page: the list follows readers' votes at the site's next change.
        "helpful_html": loader.render_to_string(
            "includes/most_helpful.html", {"helpful": helpfulness.most_helpful(MOST_HELPFUL_ON_HOME)}
        ),
    }


def search_results(request: HttpRequest) -> HttpResponse:
    query = search.normalise_query(request.GET.get("s", ""))
    page_number = whole_number(request.GET.get("paged", "1"))
    if page_number is None or page_number < 1:
        raise Http404("Invalid page number")
    as_typed = request.GET.get("as_typed") == "1"
    results = search.search(query, page=page_number, per_page=QUESTIONS_PER_PAGE, respell=not as_typed)
    if query and page_number == 1 and request.method == "GET":
        # Counted once: paging through is the same search, a HEAD (a link checker) none.
        # A misspelling corrected is counted as what the reader was shown results for
        # (`cma exm` as `cma exam`): one row in the Search terms report, not a
        # zero-result one beside it.
        searched = results.corrected or query
        analytics.record_search(searched, results.count, reader=analytics.reader_address(request))
    pages = max(1, -(-results.count // QUESTIONS_PER_PAGE))
    if page_number > pages:
        raise Http404("No such page of results")
    results_page = partial(site.search_url, query, as_typed=as_typed)
    context = {
        "query": query,
        "results": results,
        "result_cards": result_cards(results.hits),
        "page_number": page_number,
        "pages": pages,
        "previous_url": results_page(page=page_number - 1) if page_number > 1 else None,
        "next_url": results_page(page=page_number + 1) if page_number < pages else None,
        "as_typed_url": site.search_url(query, as_typed=True) if results.corrected else None,
        "suggestion_url": site.search_url(results.suggestion) if results.suggestion else None,
    }
    if query and not results.hits:
        context["nearby"] = search.nearby(query)
    page_info = seo.search_page(query, results.count)
    response = render_page(request, "faqs/search.html", page_info, context)
    # Never kept by a CDN: a search it answered would not reach `record_search()`, and
    # the Search terms report would miss it (the page is noindex, and rarely shared).
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def archive(request: HttpRequest, page_number: int = 1) -> HttpResponse:
    first_page_url = reverse("faqs:archive")
    if names_first_page(request):
        return redirect(first_page_url, permanent=True)
    make = partial(archive_parts, first_page_url, page_number)
    return render(request, "faqs/archive.html", fragments.fragment(f"archive-page:{page_number}", make))


def archive_parts(first_page_url: str, page_number: int) -> dict:
    """Page `page_number` of every question, newest first; a page past the end is a 404."""
    page = paginate(archive_paginator(ALL), page_number)
    page_info = seo.archive_page(page_path(first_page_url, page.number), page)
    return list_page_parts(page_info, page, first_page_url)


def edit_url(request: HttpRequest, question: Question) -> str:
    """The admin's change form, for a signed-in user who may change this question
    (not an author on a published question, which the admin shows read-only)."""
    if not permissions.may_edit_question(request.user, question):
        return ""
    return reverse("admin:faqs_question_change", args=[question.pk])


# A question page's reads (faqs.models.prepared), compiled once a process. The row by
# its slug leaves out its search text (as long as the answer): the search index's.
QUESTION_BY_SLUG = PreparedQuery(
    lambda slug: Question.objects.defer("search_text").filter(slug=slug)[:1], NO_SUCH_SLUG
)
CATEGORIES_OF = PreparedQuery(lambda pk: Question(pk=pk).categories.all(), NO_SUCH_ID)
TAGS_OF = PreparedQuery(lambda pk: Question(pk=pk).tags.all(), NO_SUCH_ID)


def public_question_page(slug: str, read: list[Question | None]) -> dict | None:
    """What the page of the public question at `slug` shows, the same for every reader
    and made once while the site is unchanged (`question_page()`); None when no public
    question has this slug (a preview, a 404). The row read is appended to `read`."""
    question = next(iter(QUESTION_BY_SLUG.rows(slug)), None)
    read.append(question)
    if question is None or not question.is_public():
        return None
    page = question_page(question)
    page["question"] = kept_row(question)
    return page


def kept_row(question: Question) -> Question:
    """The row as a page kept from its parts needs it: its own fields. The answer is
    kept rendered (answer_html, and in the head's JSON-LD), not a third time as its
    content (a fifth less to keep), and what was read to make the parts (its people,
    its sources: a queryset pickles its whole query) is left behind; any of them is
    read from the database if asked."""
    row = copy.copy(question)  # Django's copy has its own state: the page's row keeps its own
    del row.__dict__["content"]
    row.__dict__.pop("_prefetched_objects_cache", None)
    row._state.fields_cache.clear()
    return row


def question_page(question: Question) -> dict:
    """The question (its row, read once), its answer as shown (`answer_parts()`), and
    its parts (`question_parts()`)."""
    if "sources" not in getattr(question, "_prefetched_objects_cache", {}):
        load_credits([question])
    return {"question": question, **answer_parts(question), **question_parts(question)}


def answer_parts(question: Question) -> dict:
    """The answer as the page shows it: links written with an alias of the site pointed
    at SITE_URL, every heading with an id, library images responsive (media.inline),
    and the sections of its table of contents (shown from TABLE_OF_CONTENTS_FROM
    subheadings)."""
    answer_html, sections = content.with_section_ids(content.rewrite_hrefs(question.content, site.localized))
    answer_html = inline.responsive(answer_html, featured=bool(question.featured_image_id))
    shown = sections if len(sections) >= content.TABLE_OF_CONTENTS_FROM else []
    return {"answer_html": answer_html, "sections": shown}


def question_parts(question: Question, *, terms: dict | None = None, noindex: bool = False) -> dict:
    """What a question's page shows around the question itself, the same for every
    reader: its head tags, breadcrumbs, categories and tags (`terms` given: a preview's),
    and related questions. `noindex` for a page no search engine may keep."""
    page_info = seo.question_page(question)
    if noindex:
        page_info = dataclasses.replace(page_info, noindex=True)
    if terms is None:
        # Prepared queries: one row's terms need no prefetch machinery (a third of its
        # cost), nor their SQL compiled again (as much again).
        terms = {"categories": CATEGORIES_OF.rows(question.pk), "tags": TAGS_OF.rows(question.pk)}
    related_list = {"related": related.related_for_page(question, RELATED_LIMIT)}
    return {
        "head_html": seo.render_head(seo.build_head(page_info), page_info.alternates),
        "crumbs": page_info.crumbs,
        "byline_html": loader.render_to_string("includes/byline.html", credits(question)),
        "featured_html": loader.render_to_string("includes/featured_image.html", featured_figure(question)),
        "sources_html": loader.render_to_string(
            "includes/question_sources.html", {"sources": question.sources.all() if question.pk else []}
        ),
        # "Was this helpful?" (feedback): the same for every reader, so made with the
        # page's parts, not on each page built from them (its URLs cost 0.1 ms a page).
        "helpful_html": loader.render_to_string("feedback/helpful_form.html", {"question": question}),
        "terms_html": loader.render_to_string("includes/question_terms.html", terms),
        "related_html": loader.render_to_string("includes/related_questions.html", related_list),
    }


def featured_figure(question: Question) -> dict:
    """The featured image's <picture> (media.renditions.picture); none without an image."""
    image = question.featured_image if question.featured_image_id else None
    if image is None:
        return {}
    return {"image": image, "alt": image.alt, "lazy": False, **renditions.picture(image)}


def credits(question: Question) -> dict:
    """Who wrote and who reviewed the answer, and when it was checked: its byline."""
    return {
        "author": question.written_by if question.written_by_id else None,
        "reviewer": question.reviewed_by if question.reviewed_by_id else None,
        "last_reviewed": question.last_reviewed,
    }


@require_safe
def question_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if moved := lowercase_redirect(request, slug):
        return moved
    if PREVIEW_PARAMETER in request.GET and (previewed := changes_preview(request, slug)):
        return previewed
    # A public question's page costs no query while the site is unchanged; anything
    # else (a preview for staff, a 404) is read from the database.
    read = []
    make = partial(public_question_page, slug, read)
    parts = fragments.fragment(f"question-page:{slug_key(slug)}", make)
    if parts is None:
        question = read[0] if read else Question.objects.filter(slug=slug).first()
        if question is None or not permissions.may_preview(request.user, question):
            raise Http404("No such question")
        parts = question_page(question)
    question = parts["question"]
    is_preview = not question.is_public()
    link = edit_url(request, question)
    response = render_question(request, question, parts, is_preview=is_preview, edit_url=link)
    if is_preview or link or PREVIEW_PARAMETER in request.GET:
        for_editors_only(response)  # a preview, an edit link, a staff address
    else:
        response.shown_question = question  # other layers may name it (wp-json's alternate link)
        # If-Modified-Since is answered from it (http_cache.caching); If-None-Match, which
        # also sees related questions and terms change, comes first when both are sent.
        response["Last-Modified"] = http_date(question.saved_at.timestamp())
    return response


def render_question(request: HttpRequest, question: Question, parts: dict, **extra) -> HttpResponse:
    """The question's page from its parts (`question_page()`, or a preview's)."""
    context = {
        "question": question,
        "answer_html": parts["answer_html"],
        "parts": parts,
        "head_html": parts["head_html"],
        "crumbs": parts["crumbs"],
        **extra,
    }
    return render(request, "faqs/question.html", context)


def for_editors_only(response: HttpResponse) -> None:
    """A page made for an editor never goes into a shared cache or a search index."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"


# ?preview=true, as WordPress's "Preview changes": staff see a public question's draft
# changes; anyone else gets the live page (never kept: the address is a staff one).
PREVIEW_PARAMETER = "preview"


def changes_preview(request: HttpRequest, slug: str) -> HttpResponse | None:
    """The public question at `slug` as its draft changes would show it, for staff who
    may view questions: a banner says so, robots may not index it, nothing keeps it.
    None when there is nothing to preview for this user (the live page is served)."""
    if not request.user.is_authenticated or not permissions.may_preview_changes(request.user):
        return None
    stored = Question.objects.filter(slug=slug).first()
    shown = draft_changes.previewed(stored) if stored is not None else None
    if shown is None:
        return None
    question = shown["question"]
    terms = {"categories": shown["categories"], "tags": shown["tags"]}
    parts = {**answer_parts(question), **question_parts(question, terms=terms, noindex=True)}
    response = render_question(
        request, question, parts, changes_preview=shown["change"], edit_url=edit_url(request, stored)
    )
    for_editors_only(response)
    return response


@require_safe
def category_archive(request: HttpRequest, slug: str, page_number: int = 1) -> HttpResponse:
    if moved := lowercase_redirect(request, slug):
        return moved
    if names_first_page(request):
        category = find_category(slug)
        return redirect(category.get_absolute_url(), permanent=True)
    parts = fragments.fragment(
        f"category-page:{slug_key(slug)}:{page_number}", partial(category_parts, slug, page_number)
    )
    return render(request, "faqs/category.html", parts)


def find_category(slug: str, categories: dict[int, Category] | None = None) -> Category:
    """The category at `slug`, from the category tree (kept as a fragment); else 404."""
    if categories is None:
        categories = fragments.fragment("category-tree", Category.objects.tree)
    category = next((item for item in categories.values() if item.slug == slug), None)
    if category is None:
        raise Http404("No such category")
    return category


def category_parts(slug: str, page_number: int) -> dict:
    """Page `page_number` of a category's questions, its subcategories' included (as
    WordPress lists them), with the category and its subcategories."""
    categories = fragments.fragment("category-tree", Category.objects.tree)
    category = find_category(slug, categories)
    first_page_url = category.get_absolute_url()
    page = paginate(archive_paginator(tree_key(category.pk)), page_number)
    ancestors = Category.ancestors(category, categories)
    page_info = seo.category_page(
        category, ancestors, page_path(first_page_url, page.number), page, page.paginator.count
    )
    return {
        "category": category,
        "subcategories": [item for item in categories.values() if item.parent_id == category.pk],
        **list_page_parts(page_info, page, first_page_url, empty_message=CATEGORY_EMPTY),
    }


@require_safe
def tag_archive(request: HttpRequest, slug: str, page_number: int = 1) -> HttpResponse:
    if moved := lowercase_redirect(request, slug):
        return moved
    if names_first_page(request):
        tag = get_object_or_404(Tag, slug=slug)
        return redirect(site.slug_path("faqs:tag", tag.slug), permanent=True)
    name = f"tag-page:{slug_key(slug)}:{page_number}"
    return render(request, "faqs/tag.html", fragments.fragment(name, partial(tag_parts, slug, page_number)))


def tag_parts(slug: str, page_number: int) -> dict:
    """Page `page_number` of a tag's questions, with the tag."""
    tag = get_object_or_404(Tag, slug=slug)
    first_page_url = site.slug_path("faqs:tag", tag.slug)
    page = paginate(archive_paginator(tag_key(tag.pk)), page_number)
    page_info = seo.tag_page(tag, page_path(first_page_url, page.number), page)
    return {
        "tag": tag,
        **list_page_parts(page_info, page, first_page_url, empty_message=TAG_EMPTY),
    }


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """404 with a search box, kept out of the index."""
    return render_page(request, "404.html", seo.not_found_page(request.path), {}, status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400, except for a POST over DATA_UPLOAD_MAX_MEMORY_SIZE (Django refuses
    it before any form sees it): 413 and a page that says so, not a bare "Bad Request"."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request)
    return defaults.bad_request(request, exception)


def request_too_large(request: HttpRequest) -> HttpResponse:
    """The limit, that nothing was saved, and a link back to the form (this page's own
    address, unless it could be read as another site's: //host/…). Rendered as the 500
    page is, with nothing but its template."""
    back = request.get_full_path()
    context = {
        **site.error_page_context(),
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "answer_limit_kb": content.MAX_ANSWER_BYTES // 1000,  # the usual reason, as the form says it
        "sent": whole_number(request.META.get("CONTENT_LENGTH", "")),
        "back_url": back if url_has_allowed_host_and_scheme(back, allowed_hosts=set()) else "",
    }
    return HttpResponse(loader.render_to_string("413.html", context), status=413)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without touching the database or context processors: they may be what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(site.error_page_context()))


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        response = JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    else:
        response = JsonResponse({"status": "ok", "database": "ok"})
    patch_cache_control(response, no_store=True)
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read everything but the admin; the sitemap index is named."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "",
        f"Sitemap: {site.absolute_url(reverse('faqs:sitemap_index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    entries, newest = sitemaps.index_entries()
    response = TemplateResponse(
        request, "faqs/sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    if newest:
        response["Last-Modified"] = http_date(newest.timestamp())
    return response
