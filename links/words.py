"""The words of anchors, titles and answers, and whether an anchor describes the
question it links to. Used by the link report and the link suggestions."""

from __future__ import annotations

import re

# Words that say nothing about a page's subject, for anchor and suggestion matching.
STOP_WORDS = frozenset(
    """a about after all also am an and any are as at be been before being but by can could
    did do does doing done for from get gets had has have how i if in into is it its just me
    more most my no not of on or our out over own same should so some such than that the their
    them then there these they this those through to too under up very was we were what when
    where which while who why will with would you your yours
    click here link page read see learn""".split()  # noqa: SIM905 (reads as prose)
)

# Words every page of a certification FAQ shares: a link's anchor must agree with its
# target on something more specific than these ("CMA exam" is not about PTCB).
GENERIC_WORDS = frozenset(
    {"exam", "test", "certification", "certificate", "certified", "credential", "question", "answer", "faq"}
)

# A word: letters and digits, with apostrophes inside ("don't", "exam’s").
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def normalise(word: str) -> str:
    return word.lower().replace("’", "'")


def words(text: str) -> list[str]:
    """Lower-case words of a text, apostrophes kept inside words."""
    return [normalise(word) for word in WORD.findall(text)]


def stem(word: str) -> str:
    """A light stem, enough to match "exams" with "exam", "retakes" with "retake"
    and "studies" with "study"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    return word


def meaningful_words(text: str) -> set[str]:
    """The stems of the words that carry a text's subject."""
    return {stem(word) for word in words(text) if word not in STOP_WORDS and len(word) > 1}


def acronym(text: str) -> str:
    """First letters of the subject words: "Certified Medical Assistant" → "cma"."""
    return "".join(word[0] for word in words(text) if word not in STOP_WORDS)


def anchor_matches(anchor: str, title: str) -> bool:
    """Whether link text plausibly describes the target: a shared subject word (a
    specific one when the anchor has any: "exam" alone proves nothing), or an acronym
    of one side standing in the other ("Certified Medical Assistant" and "CMA").
    Anchors with no subject word ("here") are not judged."""
    anchor_words, title_words = meaningful_words(anchor), meaningful_words(title)
    specific = anchor_words - GENERIC_WORDS
    if not anchor_words or (specific or anchor_words) & title_words:
        return True
    anchor_acronym, title_acronym = acronym(anchor), acronym(title)
    if len(anchor_acronym) >= 2 and anchor_acronym in title_words:
        return True
    return any(len(word) >= 3 and word.isalpha() and word in title_acronym for word in anchor_words)
