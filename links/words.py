"""Whether an anchor describes the question it links to, and the subject words the
link report and suggestions compare. What a word is, its stem and the stop words are
faqs.words, the rules search uses too ("retakes" finds "retake" in both)."""

from __future__ import annotations

from faqs.words import ANCHOR_STOP_WORDS, stem, words

# Words every page of a certification FAQ shares: a link's anchor must agree with its
# target on something more specific than these ("CMA exam" is not about PTCB).
GENERIC_WORDS = frozenset(
    {"exam", "test", "certification", "certificate", "certified", "credential", "question", "answer", "faq"}
)
_GENERIC_STEMS = frozenset(stem(word) for word in GENERIC_WORDS)


def meaningful_words(text: str) -> set[str]:
    """The stems of the words that carry a text's subject."""
    return {stem(word) for word in words(text) if word not in ANCHOR_STOP_WORDS and len(word) > 1}


def acronym(text: str) -> str:
    """First letters of the subject words: "Certified Medical Assistant" → "cma"."""
    return "".join(word[0] for word in words(text) if word not in ANCHOR_STOP_WORDS)


def anchor_matches(anchor: str, title: str) -> bool:
    """Whether link text plausibly describes the target: a shared subject word (a
    specific one when the anchor has any: "exam" alone proves nothing), or an acronym
    of one side standing in the other ("Certified Medical Assistant" and "CMA").
    Anchors with no subject word ("here") are not judged."""
    anchor_words, title_words = meaningful_words(anchor), meaningful_words(title)
    specific = anchor_words - _GENERIC_STEMS
    if not anchor_words or (specific or anchor_words) & title_words:
        return True
    anchor_acronym, title_acronym = acronym(anchor), acronym(title)
    if len(anchor_acronym) >= 2 and anchor_acronym in title_words:
        return True
    return any(len(word) >= 3 and word.isalpha() and word in title_acronym for word in anchor_words)
