"""llms.txt, its pages and each public question's Markdown copy. Every answer is the same
for every reader: kept by the page cache (public, keyed by its address) and made from
fragments renewed with the site's stamp, as the pages are."""

from __future__ import annotations

import re
from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from faqs.views import lowercase_redirect, paginate, slug_key
from http_cache import fragments
from machine_copies import copies, llms

TEXT = "text/plain; charset=utf-8"
MARKDOWN = "text/markdown; charset=utf-8"


@require_safe
def llms_index(request: HttpRequest) -> HttpResponse:
    return HttpResponse(fragments.fragment("llms-index", llms.index_text), content_type=TEXT)


# One spelling of each page number: llms/2.txt, never llms/02.txt; nine digits at most.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@require_safe
def llms_page(request: HttpRequest, page_number: str) -> HttpResponse:
    if not PAGE_NUMBER.fullmatch(page_number):
        raise Http404("No such page")
    number = int(page_number)
    return HttpResponse(
        fragments.fragment(f"llms-page:{number}", partial(page_text, number)), content_type=TEXT
    )


def page_text(page_number: int) -> str:
    """A page of the full list; past the last page, a 404."""
    return llms.page_text(paginate(llms.full_list(), page_number))


@require_safe
def question_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    if moved := lowercase_redirect(request, slug):
        return moved
    copy = fragments.fragment(f"question-markdown:{slug_key(slug)}", partial(copies.public_copy, slug))
    if copy is None:
        raise Http404("No such question")
    response = HttpResponse(copy.text, content_type=MARKDOWN)
    # An alternate of the page, not a page of its own: search engines credit the page.
    # (An address as a header value: non-ASCII, spaces and line breaks percent-encoded.)
    response["Link"] = f'<{iri_to_uri(copy.canonical_url)}>; rel="canonical"'
    response["Last-Modified"] = http_date(copy.saved_at.timestamp())
    if copy.robots:  # the page's own noindex/nofollow, which its copy follows
        response["X-Robots-Tag"] = copy.robots
    return response
