"""The search results' cards are written in Python (faqs/result_cards.py) for speed,
byte for byte as the template loop they replace wrote them."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from faqs.models import Question
from faqs.result_cards import result_cards
from search.engine import Hit

# The loop as templates/faqs/search.html held it before issue 18.
TEMPLATE_LOOP = """{% for hit in results.hits %}
<li class="card{% if hit.promoted %} card--promoted{% endif %}">
  {% if hit.promoted %}<p class="card__badge">Recommended</p>{% endif %}
  <h2 class="card__title"><a href="{{ hit.question.get_absolute_url }}" data-question-id="{{ hit.question.pk }}">{{ hit.title }}</a></h2>
  {% if hit.passage %}<p class="card__summary">{{ hit.passage }}</p>{% endif %}
  <p class="card__meta"><time datetime="{{ hit.question.published_at|date:'c' }}">{{ hit.question.published_at|date:"M j, Y" }}</time> · {{ hit.question.reading_minutes }} min read</p>
</li>
{% endfor %}"""  # noqa: E501


def hit(pk: int, *, promoted=False, passage="", month=1, title="Fees &amp; <mark>retakes</mark>") -> Hit:
    question = Question(
        pk=pk, slug=f"q-{pk}", published_at=datetime(2026, month, 5, 23, 30, tzinfo=UTC), reading_minutes=pk
    )
    return Hit(question, mark_safe(title), mark_safe(passage), promoted)


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York", "Asia/Tokyo"])
def test_the_cards_are_what_the_template_loop_wrote(settings, time_zone):
    settings.TIME_ZONE = time_zone
    hits = [
        hit(1),
        hit(2, promoted=True, passage="A <mark>retake</mark> costs &quot;$250&quot;", month=12),
        hit(3, passage="Plain passage", month=9),
    ]
    expected = Template(TEMPLATE_LOOP).render(Context({"results": {"hits": hits}}))
    assert str(result_cards(hits)) == expected
    assert result_cards([]) == ""


# The card of a list as templates/includes/question_card.html wrote it, included by a
# loop, before the question page's related cards were written in Python (issue 18).
CARD_TEMPLATE = """{% load text_tags_before %}<li class="card">
  <h{{ level|default:2 }} class="card__title"><a href="{{ question.get_absolute_url }}">{{ question.title }}</a></h{{ level|default:2 }}>
  {% if question.summary %}<p class="card__summary">{{ question.summary|cut_at_word:220 }}</p>{% endif %}
  <p class="card__meta"><time datetime="{{ question.published_at|date:'c' }}">{{ question.published_at|date:"M j, Y" }}</time> · {{ question.reading_minutes }} min read</p>
</li>
"""  # noqa: E501


def card_loop(questions, level=None) -> str:
    from django.template import Library, engines

    from faqs import content

    library = Library()
    library.filter("cut_at_word", lambda text, limit: content.cut_at_word(str(text or ""), int(limit)))
    engine = engines["django"].engine
    engine.template_libraries["text_tags_before"] = library
    try:
        card = Template(CARD_TEMPLATE, engine=engine)
        with_level = {} if level is None else {"level": level}
        return "".join(card.render(Context({"question": question, **with_level})) for question in questions)
    finally:
        del engine.template_libraries["text_tags_before"]


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize("level", [None, 3])
def test_a_lists_cards_are_what_the_card_template_wrote(settings, time_zone, level):
    from faqs.result_cards import question_cards

    settings.TIME_ZONE = time_zone
    long_summary = 'Candidates & <b>others</b> may sit the exam "three" times a year, it\'s said. ' * 5
    questions = [
        Question(
            pk=1,
            slug="q-1",
            title="Fees & <retakes>?",
            excerpt=long_summary,
            reading_minutes=3,
            published_at=datetime(2026, 1, 5, 23, 30, tzinfo=UTC),
        ),
        Question(
            pk=2,
            slug="ünïcode-slug",
            title="Plain?",
            auto_description="Short.",
            reading_minutes=1,
            published_at=datetime(2026, 12, 31, 1, 2, 3, tzinfo=UTC),
        ),
        Question(pk=3, slug="q-3", title="No summary, no date?", excerpt="  ", reading_minutes=2),
    ]
    expected = card_loop(questions, level)
    assert str(question_cards(questions, *([] if level is None else [level]))) == expected
