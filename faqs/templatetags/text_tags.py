"""Text as pages show it: `{% question_cards questions level %}` writes a list's cards
(faqs.result_cards: each summary ends between words, faqs.content.cut_at_word)."""

from django import template

from faqs import result_cards

register = template.Library()


@register.simple_tag
def question_cards(questions, level: int = 2):
    return result_cards.question_cards(questions, level)
