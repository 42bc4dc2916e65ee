"""A reader's query, parsed once into the terms every backend searches for.

`cma "passing score" retakes` is the word `cma`, the phrase `passing score` and the
word `retakes`; stop words and single letters outside quotes are dropped; each term
holds only letters and digits, so nothing a reader types can reach the databases'
query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from faqs import content, words
from search import text

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
_PHRASE = re.compile(r"[\"“”„]([^\"“”„]*)[\"“”„]?")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase's words in order
    prefix: bool = False  # the word being typed: matches every word it begins

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def shown(self) -> str:
        return f'"{" ".join(self.words)}"' if self.is_phrase else self.words[0]


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    dropped: tuple[str, ...] = ()  # stop words and single letters left out

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def shown(self) -> str:
        """The query as a reader reads it back ("Did you mean …")."""
        return " ".join(term.shown for term in self.terms)

    def replacing(self, corrections: dict[str, str]) -> ParsedQuery:
        """The query with some of its words respelled."""
        terms = tuple(
            replace(term, words=(corrections.get(term.words[0], term.words[0]),))
            if not term.is_phrase
            else term
            for term in self.terms
        )
        return replace(self, terms=terms)

    def as_prefixes(self) -> ParsedQuery:
        """Every word of 3 letters or more matched as the beginning of a word: the
        last resort when nothing matched (`ncl` finds NCLEX)."""
        terms = tuple(
            replace(term, prefix=True) if not term.is_phrase and len(term.words[0]) >= 3 else term
            for term in self.terms
        )
        return replace(self, terms=terms)

    @property
    def single_words(self) -> list[str]:
        return [term.words[0] for term in self.terms if not term.is_phrase and not term.prefix]


def normalise_query(raw: str) -> str:
    """The query as the page shows it: printable, single-spaced, of bounded length."""
    return " ".join(content.printable(raw or "").split())[:MAX_QUERY_CHARS]


def logged_form(query: str) -> str:
    """The query as analytics and promotions key it: normalised and lower-cased, so
    `CMA  Retake` and `cma retake` count as one."""
    return normalise_query(query).lower()


def parse(raw: str, *, typing: bool = False) -> ParsedQuery:
    """Terms of `raw` in order, each once. `typing`: the last word is still being
    typed (instant search), so it matches as a prefix unless a space follows it."""
    terms: list[Term] = []
    dropped: list[str] = []
    seen: set[tuple[str, ...]] = set()

    def add(term: Term) -> None:
        if term.words not in seen and len(terms) < MAX_TERMS:
            seen.add(term.words)
            terms.append(term)

    for kind, value in _pieces(raw):
        if kind == "phrase":
            phrase = tuple(words.words(value))
            if any(text.is_searchable(word) for word in phrase):
                add(Term(phrase))
            continue
        for word in words.words(value):
            if text.is_searchable(word):
                add(Term((word,)))
            else:
                dropped.append(word)
    if typing and terms and _still_typing(raw, terms[-1]):
        terms[-1] = replace(terms[-1], prefix=True)
    return ParsedQuery(tuple(terms), tuple(dropped))


def _still_typing(raw: str, last: Term) -> bool:
    """Whether `last` is the word under the cursor: the query's last word, with no
    space or closing quote after it (in `cma the` the word typed is `the`, dropped)."""
    typed = words.words(raw)
    return bool(typed) and not last.is_phrase and typed[-1] == last.words[0] and raw[-1:].isalnum()


def _pieces(raw: str) -> list[tuple[str, str]]:
    """`raw` cut into plain text and quoted phrases, in order."""
    pieces, position = [], 0
    for match in _PHRASE.finditer(raw):
        if match.start() > position:
            pieces.append(("words", raw[position : match.start()]))
        pieces.append(("phrase", match.group(1)))
        position = match.end()
    if position < len(raw):
        pieces.append(("words", raw[position:]))
    return pieces
