"""What a word is, its stem, and the words that say nothing: one set of rules for
search (query parser, vocabulary, highlighter) and for links (the anchor check and
link suggestions), so "retakes" and "retake" are one word to both.

A word is a run of letters and digits: the FTS5 unicode61 tokenizer and PostgreSQL's
parser split there too (`AZ-900` is `az` and `900`, `CMA's` is `cma` and `s`). The
stem is English Snowball's, as PostgreSQL's `english` configuration makes it (SQLite's
Porter stemmer agrees on nearly every word).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD_CHARACTER = r"[^\W_]"  # a letter or a digit
WORD = re.compile(f"{WORD_CHARACTER}+")

# The words search ignores: PostgreSQL's `english` list (Snowball's), used on both
# databases. PostgreSQL drops them from its index and queries; on SQLite the query
# parser drops them, so `the` matches nothing anywhere instead of everything.
SEARCH_STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()  # noqa: SIM905 (the list as PostgreSQL ships it)
)

# The words that say nothing about what a link points to: search's, the verbs of a
# question, and the words of link chrome ("click here", "read more", "see this page").
ANCHOR_STOP_WORDS = SEARCH_STOP_WORDS | frozenset(
    """also could get gets would click here link page read see learn""".split()  # noqa: SIM905
)

_stemmer = snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, in order."""
    return WORD.findall(text.lower())


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The English (Snowball) stem of a lower-cased word: retake, retakes and retaking
    share `retak`."""
    return _stemmer.stemWord(word)
