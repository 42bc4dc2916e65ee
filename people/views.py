"""Author pages at author/<slug>/, WordPress's address for author archives: the
person's profile and the questions they wrote or reviewed, newest first, paged
through their archive (listings: any page costs the same at any size of site)."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from faqs import seo
from faqs.views import (
    archive_paginator,
    list_page_parts,
    lowercase_redirect,
    names_first_page,
    page_path,
    paginate,
    slug_key,
)
from http_cache import fragments
from listings.models.archive import person_key
from people.models import Person

AUTHOR_EMPTY = "No published questions name this person yet."


@require_safe
def author_page(request: HttpRequest, slug: str, page_number: int = 1) -> HttpResponse:
    if moved := lowercase_redirect(request, slug, namespace="people"):
        return moved
    if names_first_page(request):
        return redirect(get_object_or_404(Person, slug=slug).get_absolute_url(), permanent=True)
    name = f"author-page:{slug_key(slug)}:{page_number}"
    return render(
        request, "people/author.html", fragments.fragment(name, partial(author_parts, slug, page_number))
    )


def author_parts(slug: str, page_number: int) -> dict:
    """Page `page_number` of the questions a person wrote or reviewed, with the person."""
    person = get_object_or_404(Person, slug=slug)
    first_page_url = person.get_absolute_url()
    page = paginate(archive_paginator(person_key(person.pk)), page_number)
    page_info = seo.profile_page(person, page_path(first_page_url, page.number), page)
    return {"person": person, **list_page_parts(page_info, page, first_page_url, empty_message=AUTHOR_EMPTY)}
