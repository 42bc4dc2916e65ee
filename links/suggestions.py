"""Link suggestions for editors: published questions worth linking to from this one,
each with the phrase in the answer where the link could go (like Yoast Premium's
internal linking suggestions, computed from our own text)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Q

from faqs import words
from faqs.models import Question
from links.words import meaningful_words

CANDIDATE_POOL = 200
KEYWORDS = 8


@dataclass(frozen=True)
class Suggestion:
    question: Question
    phrase: str  # words of this answer where the link could go; "" when none fits
    score: int


def suggest_links(question: Question, limit: int = 5) -> list[Suggestion]:
    text = question.search_text
    text_words = meaningful_words(f"{question.title} {text}")
    suggestions = []
    for candidate in candidate_pool(question, text):
        title_words = meaningful_words(candidate.title)
        shared = title_words & text_words
        phrase = linkable_phrase(text, title_words)
        if not shared and not candidate.shared_terms:
            continue
        score = 2 * len(shared) + 2 * candidate.shared_terms + (3 if phrase else 0)
        suggestions.append(Suggestion(candidate, phrase, score))
    suggestions.sort(key=lambda s: (-s.score, s.question.title))
    return suggestions[:limit]


def candidate_pool(question: Question, text: str):
    """Published questions this one does not link to yet that share a category, a
    tag or one of the answer's most frequent subject words in their title."""
    linked = set(question.outgoing_links.exclude(target=None).values_list("target_id", flat=True))
    category_ids = list(question.categories.values_list("pk", flat=True))
    tag_ids = list(question.tags.values_list("pk", flat=True))
    subject = [word for word in words.words(text) if word not in words.ANCHOR_STOP_WORDS and len(word) > 2]
    frequent = Counter(subject)
    keywords = [word for word, _ in frequent.most_common(KEYWORDS)]
    conditions = [Q(categories__in=category_ids), Q(tags__in=tag_ids)]
    conditions += [Q(title__icontains=keyword) for keyword in keywords]
    shared_terms = Count("categories", filter=Q(categories__in=category_ids), distinct=True) + Count(
        "tags", filter=Q(tags__in=tag_ids), distinct=True
    )
    return (
        Question.objects.published()
        .exclude(pk__in=linked | {question.pk})
        .filter(reduce(or_, conditions))
        .annotate(shared_terms=shared_terms)
        .order_by("-shared_terms", "-published_at")[:CANDIDATE_POOL]
    )


def linkable_phrase(text: str, title_words: set[str]) -> str:
    """The longest run of words in `text` that speak of the title's subject: it starts
    and ends on a subject word, may hold stop words between ("pass the CMA exam") and
    never crosses punctuation, so it can become a link's text as it stands."""
    best, best_hits = "", 0
    run_start, last_end, subject_end, hits = None, None, None, 0
    for match in words.WORD.finditer(text):
        word = match.group().lower()
        follows = last_end is not None and _joins(text[last_end : match.start()])
        if words.stem(word) in title_words and word not in words.ANCHOR_STOP_WORDS:
            if run_start is None or not follows:
                run_start, hits = match.start(), 0
            hits += 1
            last_end = subject_end = match.end()
            if hits > best_hits:
                best, best_hits = text[run_start:subject_end], hits
        elif word in words.ANCHOR_STOP_WORDS and run_start is not None and follows:
            last_end = match.end()  # a stop word may sit inside a phrase
        else:
            run_start, last_end, hits = None, None, 0
    return best


def _joins(gap: str) -> bool:
    """Whether the text between two words keeps them in one phrase: spaces, or an
    apostrophe inside a word ("CMA's" is the words `cma` and `s`)."""
    return gap.isspace() or gap in ("'", "’")
