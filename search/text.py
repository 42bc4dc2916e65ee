"""Which words search looks for and corrects to; what a word is, its stem and the
stop words are faqs.words, shared with the link checks.

Stop words are dropped from queries (faqs.words.SEARCH_STOP_WORDS), and so are single
letters; the spelling vocabulary keeps only words worth correcting to.
"""

from __future__ import annotations

from faqs.words import SEARCH_STOP_WORDS, WORD

MIN_WORD = 2  # a single letter (`a`, `c`) would match nearly everything
SPELLING_MIN, SPELLING_MAX = 3, 30  # the words typos are corrected to


def is_searchable(word: str) -> bool:
    return len(word) >= MIN_WORD and word not in SEARCH_STOP_WORDS


def vocabulary(text: str) -> set[str]:
    """The words of `text` a misspelling may be corrected to: letters only (no
    numbers or question ids), of a length worth correcting."""
    return {
        word
        for word in set(WORD.findall(text.lower()))
        if SPELLING_MIN <= len(word) <= SPELLING_MAX and word.isalpha() and word not in SEARCH_STOP_WORDS
    }
