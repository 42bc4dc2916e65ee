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
