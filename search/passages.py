"""The passage of an answer that matched, with the query's words marked.

Every piece of text is escaped before <mark> is put around a match, so neither a
query nor an answer can bring markup into the page. A word matches in any of its
forms: the query word itself, or any word beginning with its English stem
(`retakes` marks retake, retakes, retaking).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from faqs import words as word_rules
from search import text
from search.query import ParsedQuery

PASSAGE_CHARS = 220
SCANNED_CHARS = 5000  # of an answer, for the place where the query's words meet
MATCHES_WEIGHED = 80
LEAD_CHARS = 60  # how much comes before the first match in a passage


@dataclass(frozen=True)
class QueryWords:
    """Every form of every query word, as a word's beginning (to the word's end): the
    case-blind expression, and the same forms for the lower-cased text of an answer
    when they are ASCII, one expression a form (each a plain search for its literal,
    several times faster than a case-blind alternation behind a look-behind, on the
    5,000 characters scanned)."""

    regex: re.Pattern
    lowered: tuple[re.Pattern, ...] = ()


def pattern(query: ParsedQuery) -> QueryWords | None:
    """One regular expression matching every form of every query word."""
    forms = set()
    for term in query.terms:
        for word in term.words:
            if not text.is_searchable(word):
                continue
            forms.add(word)
            if len(stem := word_rules.stem(word)) >= 3:
                forms.add(stem)
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    letter = word_rules.WORD_CHARACTER  # a form begins a word and runs to its end
    lowered = ()
    if all(form.isascii() for form in forms):
        lowered = tuple(
            re.compile(f"{re.escape(form)}{letter}*") for form in sorted({f.lower() for f in forms})
        )
    return QueryWords(re.compile(rf"(?<!{letter})(?:{alternatives}){letter}*", re.IGNORECASE), lowered)


def highlight(value: str, words: QueryWords | None) -> SafeString:
    """All of `value`, escaped, with each matching word in <mark>."""
    if words is None:
        return escape(value)
    pieces, position = [], 0
    for at, end, _word in _matches(value, words, 0, len(value), len(value)):
        pieces.append(html.escape(value[position:at]))
        pieces.append(f"<mark>{html.escape(value[at:end])}</mark>")
        position = end
    pieces.append(html.escape(value[position:]))
    return mark_safe("".join(pieces))


def passage(answer_text: str, words: QueryWords | None, fallback: str = "") -> SafeString:
    """About PASSAGE_CHARS of the answer around the place where most of the query's
    words meet, marked; the fallback (the summary) when the answer holds none. The
    place is looked for in the answer's first SCANNED_CHARS (then the first match
    anywhere): an answer of common words matches hundreds of times."""
    matches = []
    if words is not None:
        matches = _matches(answer_text, words, 0, SCANNED_CHARS, MATCHES_WEIGHED)
        if not matches:
            matches = _matches(answer_text, words, SCANNED_CHARS, len(answer_text), 1)
    if not matches:
        return highlight(_cut(fallback or answer_text, 0), words)
    return highlight(_cut(answer_text, max(0, _densest(matches) - LEAD_CHARS)), words)


# Where str.lower() and a case-blind expression disagree on ASCII forms: `ı` and `ſ`
# match `i` and `s` only case-blind, `Σ` lowers by its neighbours, and a letter
# that lowers to two (`İ`) moves every position after it.
CASE_BLIND_ONLY = "ıſΣ"


def _lowers_alike(piece: str, lowered: str) -> bool:
    return len(lowered) == len(piece) and not any(char in piece for char in CASE_BLIND_ONLY)


_LETTER = re.compile(word_rules.WORD_CHARACTER)


def _matches(value: str, words: QueryWords, start: int, end: int, limit: int) -> list[tuple[int, int, str]]:
    """Up to `limit` matches in value[start:end], as (start, end, the word lower-cased),
    as `words.regex` finds them: on the lower-cased text when that finds the same."""
    piece = value[start:end]
    lowered = piece.lower()
    if not words.lowered or not (piece.isascii() or _lowers_alike(piece, lowered)):
        found = islice(words.regex.finditer(value, start, end), limit)
        return [(match.start(), match.end(), match.group().lower()) for match in found]
    found: dict[int, re.Match] = {}
    for form in words.lowered:
        kept = 0
        for match in form.finditer(lowered):
            # The look-behind, checked here: a match inside a word spans only letters,
            # so no match the look-behind allows begins inside it. Forms found at one
            # place span the same word.
            at = match.start()
            if (at or start) and _LETTER.match(value, start + at - 1):
                continue
            found.setdefault(at, match)
            kept += 1
            if kept == limit:
                break
    first = sorted(found.items())[:limit]
    return [(start + at, start + match.end(), match.group()) for at, match in first]


def _densest(matches: list[tuple[int, int, str]]) -> int:
    """Where the most distinct words matched within one passage's length begin (the
    first such place): a window slid over the matches, counting the words in it."""
    best_start, best_score = matches[0][0], 0
    in_window: Counter[str] = Counter()
    end = 0
    for first, _, word in matches:
        while end < len(matches) and matches[end][0] - first <= PASSAGE_CHARS - LEAD_CHARS:
            in_window[matches[end][2]] += 1
            end += 1
        if len(in_window) > best_score:
            best_start, best_score = first, len(in_window)
        in_window[word] -= 1
        if not in_window[word]:
            del in_window[word]
    return best_start


# Between two blocks of the answer (a heading and the paragraph after it) in a passage:
# the answer's text keeps one block a line (content.answer_facts), a passage one line.
BLOCK_SEPARATOR = " · "


def _cut(value: str, start: int) -> str:
    """PASSAGE_CHARS of `value` from `start`, both ends at white space, single-spaced,
    its blocks kept apart by BLOCK_SEPARATOR, with an ellipsis where text was left out."""
    if start > 0:
        start = _space_before(value, start) + 1
    end = start + PASSAGE_CHARS
    if end < len(value):
        space = _space_before(value, end)
        end = space if space > start else end
    lines = (" ".join(line.split()) for line in value[start:end].split("\n"))
    piece = BLOCK_SEPARATOR.join(line for line in lines if line)
    return ("… " if start > 0 else "") + piece + (" …" if end < len(value) else "")


def _space_before(value: str, position: int) -> int:
    """The last space or line break before `position` (-1 when none)."""
    return max(value.rfind(" ", 0, position), value.rfind("\n", 0, position))
