"""Questions and their categories (WordPress taxonomy `faq-categories`); tags are
django-taggit's. What is derived from them lives in the apps that derive it (listings,
links, search, ...). One module per model; import them from here."""

from faqs.models.category import Category, CategoryQuerySet
from faqs.models.question import Question, QuestionQuerySet, whole_seconds

__all__ = ["Category", "CategoryQuerySet", "Question", "QuestionQuerySet", "whole_seconds"]
