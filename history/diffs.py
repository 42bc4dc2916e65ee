"""What changed between two versions of a question: the answer word by word (its HTML
shown as text, never as markup), every other field as before and after, and the
one-line summary the history list shows ("answer: +42 words; status draft →
published; tags +retake")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from django.utils import timezone

from faqs.models import Category, Question
from history.versions import Snapshot

SAME, INSERTED, DELETED = "same", "ins", "del"

# A tag, a run of whitespace, or a word (entities and punctuation stay with their word).
_TOKEN = re.compile(r"<[^>]*>|\s+|[^\s<]+")
# After these the diff starts a new line, so an answer stored on one line reads as paragraphs.
_LINE_END = re.compile(
    r"</(?:p|h[1-6]|li|ul|ol|blockquote|pre|table|thead|tbody|tr|figure|dl|dd|dt)>"
    r"|<br\s*/?>|<(?:ul|ol|table|thead|tbody|tr|dl)(?:\s[^>]*)?>",
    re.IGNORECASE,
)
_LINK = re.compile(r"</?a[\s>]", re.IGNORECASE)
# Word-by-word matching costs up to the square of a passage's length: past this many
# tokens (both sides of one rewritten passage, or all of them in one answer), the rest
# is shown as removed and added whole, which reads as well and keeps the page fast.
WORD_DIFF_LIMIT = 3_000
WORD_DIFF_BUDGET = 12_000


@dataclass(frozen=True)
class Piece:
    """A run of the answer's HTML source that both versions share, or that only the
    newer (ins) or only the older (del) has."""

    kind: str
    text: str


@dataclass(frozen=True)
class AnswerDiff:
    pieces: tuple[Piece, ...]
    words_added: int
    words_removed: int
    links_changed: bool
    markup_changed: bool

    @property
    def changed(self) -> bool:
        return any(piece.kind != SAME and piece.text.strip() for piece in self.pieces)

    def summary(self) -> str:
        """For example "+42 −3 words" or "links changed"; empty when nothing changed."""
        counts = []
        if self.words_added:
            counts.append(f"+{self.words_added}")
        if self.words_removed:
            counts.append(f"−{self.words_removed}")
        parts = []
        if counts:
            plural = "" if self.words_added + self.words_removed == 1 else "s"
            parts.append(f"{' '.join(counts)} word{plural}")
        if self.links_changed:
            parts.append("links changed")
        elif self.markup_changed and not counts:
            parts.append("formatting changed")
        return ", ".join(parts)


def _tokens(html: str) -> list[str]:
    """The answer's source as tokens; whitespace runs read as one space, or as a line
    break when they hold one; a line break follows every block's end."""
    tokens: list[str] = []
    for token in _TOKEN.findall(html or ""):
        if token.isspace():
            _add_space(tokens, "\n" if "\n" in token else " ")
            continue
        tokens.append(token)
        if _LINE_END.fullmatch(token):
            _add_space(tokens, "\n")
    return tokens


def _add_space(tokens: list[str], space: str) -> None:
    if tokens and tokens[-1].isspace():
        tokens[-1] = "\n" if "\n" in (tokens[-1], space) else " "
    else:
        tokens.append(space)


def _lines(tokens: list[str]) -> list[tuple[str, ...]]:
    lines, line = [], []
    for token in tokens:
        line.append(token)
        if token == "\n":
            lines.append(tuple(line))
            line = []
    if line:
        lines.append(tuple(line))
    return lines


def diff_answer(older: str, newer: str) -> AnswerDiff:
    """Line by line, then word by word inside the lines that changed, as a reader
    compares two drafts; the HTML tags count as tokens, so a changed link shows."""
    old_lines, new_lines = _lines(_tokens(older)), _lines(_tokens(newer))
    pieces: list[Piece] = []
    budget = WORD_DIFF_BUDGET
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for operation, a0, a1, b0, b1 in matcher.get_opcodes():
        old = [token for line in old_lines[a0:a1] for token in line]
        new = [token for line in new_lines[b0:b1] for token in line]
        size = len(old) + len(new)
        if operation == "replace" and size <= min(WORD_DIFF_LIMIT, budget):
            budget -= size
            _diff_words(old, new, pieces)
        else:
            _add(pieces, SAME if operation == "equal" else DELETED, old)
            _add(pieces, INSERTED, new if operation != "equal" else [])
    return AnswerDiff(
        pieces=tuple(pieces),
        words_added=sum(_word_count(p.text) for p in pieces if p.kind == INSERTED),
        words_removed=sum(_word_count(p.text) for p in pieces if p.kind == DELETED),
        links_changed=any(_LINK.search(p.text) for p in pieces if p.kind != SAME),
        markup_changed=any("<" in p.text for p in pieces if p.kind != SAME),
    )


def _diff_words(old: list[str], new: list[str], pieces: list[Piece]) -> None:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for operation, a0, a1, b0, b1 in matcher.get_opcodes():
        if operation == "equal":
            _add(pieces, SAME, old[a0:a1])
        else:
            _add(pieces, DELETED, old[a0:a1])
            _add(pieces, INSERTED, new[b0:b1])


def _add(pieces: list[Piece], kind: str, tokens: list[str]) -> None:
    text = "".join(tokens)
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def _word_count(text: str) -> int:
    return sum(1 for token in _TOKEN.findall(text) if not token.isspace() and not token.startswith("<"))


# --- the other fields

LABELS = {
    "title": "title",
    "slug": "slug",
    "excerpt": "excerpt",
    "status": "status",
    "published_at": "publication date",
    "category_ids": "categories",
    "tags": "tags",
    "seo_title": "SEO title",
    "meta_description": "meta description",
    "canonical_url": "canonical URL",
    "noindex": "noindex",
    "nofollow": "nofollow",
    "focus_keyphrase": "focus keyphrase",
    "keyphrase_synonyms": "keyphrase synonyms",
    "cornerstone": "cornerstone content",
}


@dataclass(frozen=True)
class FieldChange:
    """One field whose value differs, as editors read it ("" for none); for
    categories and tags, the names added and removed."""

    name: str
    label: str
    before: str
    after: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def summary(self) -> str:
        if self.name in ("category_ids", "tags"):
            return " ".join([self.label, *(f"+{n}" for n in self.added), *(f"−{n}" for n in self.removed)])
        if self.name in ("slug", "status", "noindex", "nofollow"):
            before = f"{self.before} → " if self.name in ("slug", "status") else ""
            return f"{self.label} {before}{self.after}"
        return f"{self.label} changed"


def _shown(name: str, value, category_names: dict[int, str]) -> str:
    if name == "status":
        return Question.Status(value).label.lower() if value in Question.Status.values else str(value)
    if name == "published_at":
        return _when(value) if value else ""
    if name in ("noindex", "nofollow"):
        return "on" if value else "off"
    if name == "category_ids":
        return ", ".join(category_name(pk, category_names) for pk in value)
    if name == "tags":
        return ", ".join(value)
    return value


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def category_name(pk: int, names: dict[int, str]) -> str:
    return names.get(pk, f"deleted category {pk}")


def category_names(snapshots: Iterable[Snapshot]) -> dict[int, str]:
    """The current names of the categories the snapshots name: one query."""
    ids = {pk for snapshot in snapshots for pk in snapshot.category_ids}
    return dict(Category.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def field_changes(older: Snapshot, newer: Snapshot, category_names: dict[int, str]) -> list[FieldChange]:
    changes = []
    for name, label in LABELS.items():
        before, after = getattr(older, name), getattr(newer, name)
        if before == after:
            continue
        added = removed = ()
        if name in ("category_ids", "tags"):
            names = (lambda pk: category_name(pk, category_names)) if name == "category_ids" else str
            added = tuple(names(item) for item in after if item not in before)
            removed = tuple(names(item) for item in before if item not in after)
            if not added and not removed:
                continue  # the same names in another order
        changes.append(
            FieldChange(
                name=name,
                label=label,
                before=_shown(name, before, category_names),
                after=_shown(name, after, category_names),
                added=added,
                removed=removed,
            )
        )
    return changes


@dataclass(frozen=True)
class Comparison:
    older: Snapshot
    newer: Snapshot
    answer: AnswerDiff
    fields: tuple[FieldChange, ...]

    @property
    def changed(self) -> bool:
        return self.answer.changed or bool(self.fields)

    def summary(self) -> str:
        parts = [f"answer: {self.answer.summary()}"] if self.answer.changed else []
        parts += [change.summary() for change in self.fields if not self._dated_by_publishing(change)]
        return "; ".join(parts) or "no change to the content"

    def _dated_by_publishing(self, change: FieldChange) -> bool:
        """Publishing a draft dates it now: "status draft → published" says it all."""
        return (
            change.name == "published_at"
            and self.older.published_at is None
            and self.older.status != self.newer.status == Question.Status.PUBLISHED
        )


def compare(older: Snapshot, newer: Snapshot, category_names: dict[int, str]) -> Comparison:
    return Comparison(
        older=older,
        newer=newer,
        answer=diff_answer(older.content, newer.content),
        fields=tuple(field_changes(older, newer, category_names)),
    )
