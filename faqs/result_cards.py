"""Cards of questions: the search results page's and a list's (archives, home, related
questions, a search's suggestions), written here rather than by a template loop: each
card's dozen Django template look-ups and two `date` filters were about half of a
search request's CPU (issue 18), and a search is never served from the page cache.
The markup is the one the templates wrote, byte for byte (tests/faqs/test_result_cards.py)."""

from __future__ import annotations

import html

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from faqs.content import cut_at_word
from search.engine import Hit

BADGE = '<p class="card__badge">Recommended</p>'


def result_cards(hits: list[Hit]) -> SafeString:
    return mark_safe("".join(card(hit) for hit in hits))


def card(hit: Hit) -> str:
    """One card. Only the URL and the marked title and passage need escaping (the title
    and passage are SafeStrings, escaped where they were marked); the date and the
    numbers hold nothing to escape. format_html() escaped all nine pieces, each
    through Django's lazy-string check: most of the cards' cost."""
    question = hit.question
    summary = f'<p class="card__summary">{conditional_escape(hit.passage)}</p>' if hit.passage else ""
    return (
        f'\n<li class="card{" card--promoted" if hit.promoted else ""}">\n'
        f"  {BADGE if hit.promoted else ''}\n"
        f'  <h2 class="card__title"><a href="{html.escape(question.get_absolute_url())}"'
        f' data-question-id="{question.pk}">{conditional_escape(hit.title)}</a></h2>\n'
        f"  {summary}\n"
        f"  {card_meta(question)}\n"
        "</li>\n"
    )


def question_cards(questions, level: int = 2) -> SafeString:
    """The cards of a list of questions (archives, the home page, related questions, a
    search's suggestions), each as `question_card()` writes it."""
    return mark_safe("".join(question_card(question, level) for question in questions))


def question_card(question, level: int = 2) -> str:
    """A question's card in a list: its title linked, its summary cut between words,
    its date and reading time. Written here for the reason the search cards are (a
    question page that misses the cache spent a tenth of its time on its five related
    cards' template look-ups); the markup is the one the card template wrote."""
    summary = question.summary
    summary = (
        f'<p class="card__summary">{conditional_escape(cut_at_word(summary, 220))}</p>' if summary else ""
    )
    return (
        '<li class="card">\n'
        f'  <h{level} class="card__title"><a href="{html.escape(question.get_absolute_url())}">'
        f"{conditional_escape(question.title)}</a></h{level}>\n"
        f"  {summary}\n"
        f"  {card_meta(question)}\n"
        "</li>\n"
    )


def card_meta(question) -> str:
    """The line under a card's summary: its date and reading time (empty time for a
    question never published, as the `date` filter wrote it)."""
    published = timezone.localtime(question.published_at) if question.published_at else None
    return (
        f'<p class="card__meta"><time datetime="{published.isoformat() if published else ""}">'
        f"{shown_date(published) if published else ''}</time> · {question.reading_minutes} min read</p>"
    )


def shown_date(moment) -> str:
    """As the `date` filter's "M j, Y" writes it: Jan 5, 2026."""
    return f"{str(MONTHS_3[moment.month]).title()} {moment.day}, {moment.year}"
