"""Words as the index sees them, shared by the query parser, the vocabulary and the
highlighter, so the three agree on what a word is.

A word is a run of letters and digits (the FTS5 unicode61 tokenizer and PostgreSQL's
parser split there too: `AZ-900` is `az` and `900`). Stop words are PostgreSQL's
`english` list (Snowball's), used on both databases: PostgreSQL drops them from its
index and queries; for SQLite the parser drops them from queries, so `the` matches
nothing anywhere instead of everything.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+")

STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()  # noqa: SIM905 (the list as PostgreSQL ships it)
)

MIN_WORD = 2  # a single letter (`a`, `c`) would match nearly everything
SPELLING_MIN, SPELLING_MAX = 3, 30  # the words typos are corrected to

_stemmer = snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, in order."""
    return WORD.findall(text.lower())


def is_searchable(word: str) -> bool:
    return len(word) >= MIN_WORD and word not in STOP_WORDS


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The English (Snowball) stem, as PostgreSQL's `english` configuration makes it;
    SQLite's Porter stemmer agrees on nearly every word. Used to find a word's forms
    in an answer for highlighting (retake, retakes, retaking share `retak`)."""
    return _stemmer.stemWord(word)


def vocabulary(text: str) -> set[str]:
    """The words of `text` a misspelling may be corrected to: letters only (no
    numbers or question ids), of a length worth correcting."""
    return {
        word
        for word in set(WORD.findall(text.lower()))
        if SPELLING_MIN <= len(word) <= SPELLING_MAX and word.isalpha() and word not in STOP_WORDS
    }
