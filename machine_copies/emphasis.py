"""Inline runs of a line of Markdown whose writing depends on their neighbours: the
delimiters of emphasis (** * ~~ _) and code spans (`).

CommonMark reads "**" as emphasis only by what stands on either side of it, and runs
backticks (or asterisks) that touch into one. So a line's inline content is first
gathered as pieces (text, `Delimiter`s, `Code`), then written in one go by
`emphasised()`, which keeps only the emphasis a reader's parser will see as meant and
never drops a character of text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_BACKTICKS = re.compile(r"`+")


def longest_backticks(text: str) -> int:
    """The longest run of backticks in `text`: a fence around it must be longer."""
    return max((len(run) for run in _BACKTICKS.findall(text)), default=0)


def code_span(text: str, *, in_table: bool = False) -> str:
    """Inline code: fenced by one backtick more than its longest run, padded when it
    starts or ends with one; a pipe inside a table cell escaped, as GitHub's tables ask."""
    if not text.strip():
        return ""
    fence = "`" * (longest_backticks(text) + 1)
    if text.startswith("`") or text.endswith("`"):
        text = f" {text} "
    if in_table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


class Delimiter:
    """One end of an emphasis (**, *, ~~, and _ for captions), placed in a line's pieces
    and kept only if CommonMark will read it so: that depends on the characters on
    either side, known once the whole line is (`emphasised()`)."""

    def __init__(self, mark: str, pair: Delimiter | None = None) -> None:
        self.mark = mark
        self.pair = pair  # the opening delimiter, on a closing one
        self.kept = True

    @property
    def opening(self) -> Delimiter:
        return self.pair or self


@dataclass(frozen=True)
class Code:
    """Inline code, written once its neighbours are known: two spans side by side
    ("`a``b`" would run their backticks together) are written as one."""

    text: str
    in_table: bool


Piece = str | Delimiter | Code


def marked(mark: str, inner: list[Piece]) -> list[Piece]:
    """`inner` between two delimiters, the spaces at its ends put outside them
    (CommonMark reads "** bold**" as text); nothing but spaces: no delimiters."""
    if not any(piece.strip(" \n") if isinstance(piece, str) else isinstance(piece, Code) for piece in inner):
        return inner
    before, after = [], []
    while inner and isinstance(inner[0], str) and not inner[0].strip(" \n"):
        before.append(inner.pop(0))
    while inner and isinstance(inner[-1], str) and not inner[-1].strip(" \n"):
        after.insert(0, inner.pop())
    if inner and isinstance(inner[0], str):
        text = inner[0].lstrip(" \n")
        before.append(inner[0][: len(inner[0]) - len(text)])
        inner[0] = text
    if inner and isinstance(inner[-1], str):
        text = inner[-1].rstrip(" \n")
        after.insert(0, inner[-1][len(text) :])
        inner[-1] = text
    for piece in inner:  # bold inside bold reads as bold: only the outer pair is kept
        if isinstance(piece, Delimiter) and piece.mark == mark:
            piece.kept = False
    opening = Delimiter(mark)
    return [*before, opening, *inner, Delimiter(mark, opening), *after]


def emphasised(pieces: list[Piece]) -> str:
    """A line's pieces as Markdown. Two runs of one mark that meet ("**a****b**", which
    CommonMark reads as one strong "a****b") become one; a pair that CommonMark would
    not read as emphasis ("a**.**b") is dropped, its text kept. Dropping one can change
    what stands beside another, so this repeats until every pair left holds."""
    delimiters = [piece for piece in pieces if isinstance(piece, Delimiter)]
    while True:
        _settle_touching_runs(pieces)
        text, places = _written(pieces)
        failing = [
            delimiter
            for delimiter in delimiters
            if delimiter.kept and delimiter.pair is not None and not _holds(text, places, delimiter)
        ]
        if not failing:
            return text
        for closing in failing:
            closing.kept = closing.opening.kept = False


def _settle_touching_runs(pieces: list[Piece]) -> None:
    """Where a closing delimiter meets an opening one, CommonMark sees one run of their
    characters and pairs it its own way. Of one mark, the two pairs become one
    ("**a****b**": "a" and "b" in one strong); of two marks of one character
    ("**a***b*"), the second pair is dropped. Until no two such meet."""
    while meeting := _touching_runs(pieces):
        closing, opening = meeting
        opening.kept = False
        joined = closing.mark == opening.mark
        closing.kept = not joined
        for later in pieces:
            if isinstance(later, Delimiter) and later.pair is opening:
                if joined:
                    later.pair = closing.pair
                else:
                    later.kept = False


def _touching_runs(pieces: list[Piece]) -> tuple[Delimiter, Delimiter] | None:
    """The first closing delimiter right before an opening one of its character."""
    shown = [piece for piece in pieces if piece != "" and (not isinstance(piece, Delimiter) or piece.kept)]
    for closing, opening in zip(shown, shown[1:], strict=False):
        if (
            isinstance(closing, Delimiter)
            and isinstance(opening, Delimiter)
            and closing.pair is not None
            and opening.pair is None
            and closing.mark[0] == opening.mark[0]
        ):
            return closing, opening
    return None


def _written(pieces: list[Piece]) -> tuple[str, dict[int, int]]:
    """The text with the kept delimiters, and where each stands in it (by id)."""
    shown: list[Piece] = []
    for piece in pieces:
        if (isinstance(piece, Delimiter) and not piece.kept) or piece == "":
            continue
        if isinstance(piece, Code) and shown and isinstance(shown[-1], Code):
            piece = Code(shown.pop().text + piece.text, piece.in_table)
        shown.append(piece)
    out, places, length = [], {}, 0
    for piece in shown:
        if isinstance(piece, Delimiter):
            places[id(piece)] = length
            piece_text = piece.mark
        elif isinstance(piece, Code):
            piece_text = code_span(piece.text, in_table=piece.in_table)
        else:
            piece_text = piece
        out.append(piece_text)
        length += len(piece_text)
    return "".join(out), places


def _holds(text: str, places: dict[int, int], closing: Delimiter) -> bool:
    """Whether CommonMark surely reads this pair as the emphasis it stands for: the run
    its opening stands in can only open (left-flanking, not right-flanking), the run of
    its closing can only close. A run that could do both ("a**.**b", "x**y**z") may be
    paired otherwise than meant; such a pair is dropped."""
    width = len(closing.mark)
    before, after = _beside_run(text, places[id(closing.opening)], width)
    if not _left_flanking(before, after) or _right_flanking(before, after):
        return False
    before, after = _beside_run(text, places[id(closing)], width)
    return _right_flanking(before, after) and not _left_flanking(before, after)


def _beside_run(text: str, start: int, width: int) -> tuple[str, str]:
    """The characters either side of the delimiter run that text[start:start+width]
    stands in: "*" next to "**" make one run "***", an escaped "\\*" no part of it."""
    mark, end = text[start], start + width
    while start > 0 and text[start - 1] == mark and not _escaped(text, start - 1):
        start -= 1
    while end < len(text) and text[end] == mark:
        end += 1
    return text[start - 1 : start] if start else "", text[end : end + 1]


def _escaped(text: str, index: int) -> bool:
    """Whether text[index] follows an odd number of backslashes."""
    backslashes = 0
    while index - backslashes > 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _punctuation(character: str) -> bool:
    return unicodedata.category(character)[0] in "PS"


def _left_flanking(before: str, after: str) -> bool:
    """CommonMark's left-flanking run, between `before` and `after` ("" at a line's
    ends): followed by text, and by punctuation only after a space, punctuation or the
    start of the line."""
    if not after or after.isspace():
        return False
    return not _punctuation(after) or not before or before.isspace() or _punctuation(before)


def _right_flanking(before: str, after: str) -> bool:
    """The mirror of `_left_flanking()`."""
    if not before or before.isspace():
        return False
    return not _punctuation(before) or not after or after.isspace() or _punctuation(after)
