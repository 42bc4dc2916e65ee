"""The search results page's cards, written here rather than by a template loop: each
card's dozen Django template look-ups and two `date` filters were about half of a
search request's CPU (issue 18), and a search is never served from the page cache.
The markup is the one `templates/faqs/search.html` wrote, byte for byte."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from search.engine import Hit

CARD = (
    '\n<li class="card{}">\n'
    "  {}\n"
    '  <h2 class="card__title"><a href="{}" data-question-id="{}">{}</a></h2>\n'
    "  {}\n"
    '  <p class="card__meta"><time datetime="{}">{}</time> · {} min read</p>\n'
    "</li>\n"
)
BADGE = mark_safe('<p class="card__badge">Recommended</p>')
NOTHING = mark_safe("")


def result_cards(hits: list[Hit]) -> SafeString:
    return format_html_join("", CARD, (card_fields(hit) for hit in hits))


def card_fields(hit: Hit) -> tuple:
    question = hit.question
    published = timezone.localtime(question.published_at)
    return (
        " card--promoted" if hit.promoted else "",
        BADGE if hit.promoted else NOTHING,
        question.get_absolute_url(),
        question.pk,
        hit.title,
        format_html('<p class="card__summary">{}</p>', hit.passage) if hit.passage else NOTHING,
        published.isoformat(),
        shown_date(published),
        question.reading_minutes,
    )


def shown_date(moment) -> str:
    """As the `date` filter's "M j, Y" writes it: Jan 5, 2026."""
    return f"{str(MONTHS_3[moment.month]).title()} {moment.day}, {moment.year}"
