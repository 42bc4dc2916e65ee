"""The passage of an answer that matched, with the query's words marked.

Every piece of text is escaped before <mark> is put around a match, so neither a
query nor an answer can bring markup into the page. A word matches in any of its
forms: the query word itself, or any word beginning with its English stem
(`retakes` marks retake, retakes, retaking).
"""

from __future__ import annotations

import re
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


def pattern(query: ParsedQuery) -> re.Pattern | None:
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
    return re.compile(rf"(?<!{letter})(?:{alternatives}){letter}*", re.IGNORECASE)


def highlight(value: str, words: re.Pattern | None) -> SafeString:
    """All of `value`, escaped, with each matching word in <mark>."""
    if words is None:
        return escape(value)
    pieces, position = [], 0
    for match in words.finditer(value):
        pieces.append(escape(value[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(value[position:]))
    return mark_safe("".join(pieces))


def passage(answer_text: str, words: re.Pattern | None, fallback: str = "") -> SafeString:
    """About PASSAGE_CHARS of the answer around the place where most of the query's
    words meet, marked; the fallback (the summary) when the answer holds none. The
    place is looked for in the answer's first SCANNED_CHARS (then the first match
    anywhere): an answer of common words matches hundreds of times."""
    matches = []
    if words is not None:
        matches = list(islice(words.finditer(answer_text, 0, SCANNED_CHARS), MATCHES_WEIGHED))
        if not matches and (later := words.search(answer_text, SCANNED_CHARS)):
            matches = [later]
    if not matches:
        return highlight(_cut(fallback or answer_text, 0), words)
    return highlight(_cut(answer_text, max(0, _densest(matches) - LEAD_CHARS)), words)


def _densest(matches: list[re.Match]) -> int:
    """Where the most distinct words matched within one passage's length begin."""
    best_start, best_score = matches[0].start(), 0
    for i, first in enumerate(matches):
        seen = set()
        for later in matches[i:]:
            if later.start() - first.start() > PASSAGE_CHARS - LEAD_CHARS:
                break
            seen.add(later.group().lower())
        if len(seen) > best_score:
            best_start, best_score = first.start(), len(seen)
    return best_start


def _cut(value: str, start: int) -> str:
    """PASSAGE_CHARS of `value` from `start`, both ends at white space, single-spaced,
    with an ellipsis where text was left out."""
    if start > 0:
        start = _space_before(value, start) + 1
    end = start + PASSAGE_CHARS
    if end < len(value):
        space = _space_before(value, end)
        end = space if space > start else end
    piece = " ".join(value[start:end].split())
    return ("… " if start > 0 else "") + piece + (" …" if end < len(value) else "")


def _space_before(value: str, position: int) -> int:
    """The last space or line break before `position` (-1 when none)."""
    return max(value.rfind(" ", 0, position), value.rfind("\n", 0, position))
