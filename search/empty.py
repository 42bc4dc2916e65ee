"""What a results page offers when nothing matched: the categories nearest to the
query's words and the questions other answers link to most, instead of a dead end."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from faqs.words import stem
from http_cache.fragments import fragment
from search.query import parse

CATEGORIES_SHOWN = 4
QUESTIONS_SHOWN = 5


@dataclass(frozen=True)
class Nearby:
    categories: list
    questions: list


def nearby(query: str) -> Nearby:
    return Nearby(_closest_categories(query), _most_linked())


def _closest_categories(query: str) -> list:
    """Categories whose name or description holds a query word (or its stem), the
    fullest first; else the fullest categories."""
    from faqs.models import Category

    forms = set()
    for term in parse(query).as_prefixes().terms:
        for word in term.words:
            forms.update({word, stem(word)} if len(word) >= 3 else {word})
    categories = Category.objects.with_question_counts().filter(question_count__gt=0)
    matching = Q()
    for form in forms:
        matching |= Q(name__icontains=form) | Q(description__icontains=form)
    closest = (
        list(categories.filter(matching).order_by("-question_count", "name")[:CATEGORIES_SHOWN])
        if forms
        else []
    )
    return closest or list(categories.order_by("-question_count", "name")[:CATEGORIES_SHOWN])


def _most_linked() -> list:
    """The public questions most linked to from other answers: the site's own idea of
    what matters (it keeps no count of page views). The ranking is counted over the
    whole link table, so it is kept as a page-cache fragment (a write that changes
    links renews the stamp, and with it the ranking); who is public is checked on
    every call."""
    from faqs.models import Question

    ids = fragment("search-most-linked", _most_linked_ids)
    public = Question.objects.for_cards().public_by_id(ids)
    found = [public[pk] for pk in ids if pk in public][:QUESTIONS_SHOWN]
    return found or list(Question.objects.published().for_cards().newest_first()[:QUESTIONS_SHOWN])


def _most_linked_ids() -> list[int]:
    from links.models import InternalLink

    rows = (
        InternalLink.objects.filter(target__isnull=False)
        .values("target")
        .annotate(links=Count("id"))
        .order_by("-links", "-target")[: QUESTIONS_SHOWN * 4]
    )
    return [row["target"] for row in rows]
