"""Text as pages show it: `{{ text|cut_at_word:220 }}` ends a summary between words
(faqs.content.cut_at_word), where Django's truncatechars cuts inside one."""

from django import template

from faqs import content

register = template.Library()


@register.filter
def cut_at_word(text: str, limit: int) -> str:
    return content.cut_at_word(str(text or ""), int(limit))
