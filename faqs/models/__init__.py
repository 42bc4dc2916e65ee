"""Questions, their categories (WordPress taxonomy `faq-categories`), tags, and the
internal links between questions. One module per model; import them from here."""

from faqs.models.category import Category, CategoryQuerySet
from faqs.models.internal_link import InternalLink, InternalLinkQuerySet
from faqs.models.question import Question, QuestionQuerySet, next_free_slug, unique_slug, whole_seconds

__all__ = [
    "Category",
    "CategoryQuerySet",
    "InternalLink",
    "InternalLinkQuerySet",
    "Question",
    "QuestionQuerySet",
    "next_free_slug",
    "unique_slug",
    "whole_seconds",
]
