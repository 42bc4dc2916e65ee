"""Questions, their categories (WordPress taxonomy `faq-categories`), tags, the
internal links between questions, what is derived from them for pages (archive
entries, related questions), and the search log and promotions. One module per
model; import them from here."""

from faqs.models.archive import ArchiveEntry, ArchiveTotal
from faqs.models.category import Category, CategoryQuerySet
from faqs.models.internal_link import InternalLink, InternalLinkQuerySet
from faqs.models.presence import EditingPresence
from faqs.models.question import Question, QuestionQuerySet, whole_seconds
from faqs.models.related import RelatedQuestion
from faqs.models.search import SearchEntry, SearchSpelling
from faqs.models.search_log import SearchLog, SearchPromotion

__all__ = [
    "ArchiveEntry",
    "ArchiveTotal",
    "Category",
    "CategoryQuerySet",
    "EditingPresence",
    "InternalLink",
    "InternalLinkQuerySet",
    "Question",
    "QuestionQuerySet",
    "RelatedQuestion",
    "SearchEntry",
    "SearchSpelling",
    "SearchLog",
    "SearchPromotion",
    "whole_seconds",
]
