"""The write pipeline's parts: each table derived from questions (redirects, links,
archives, related lists, the search index, history, the page-cache stamp…) keeps
itself true through one `Deriver`, and `DERIVERS` lists them in the order
`faqs.publishing` runs them after a write, after a delete and in `rebuild_derived`.

A write hands every deriver one `WriteContext`: the written questions as saved, their
state before the write and their categories and tags, read once (two queries a
chunk), so no deriver reads those rows again. A deriver skips what did not change.

The list names its derivers by dotted path, as MIDDLEWARE does: the core reaches the
derived modules through this list only, and they import this module for the interface.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.module_loading import import_string
from taggit.models import TaggedItem

from faqs.models import Question
from faqs.models.bulk import chunks

# In order: redirects first (the answers' links may name a slug that just moved), then
# the link graph, the library images answers show, the archives (related lists read
# them), the related lists, the search index, the categories' sitemap dates, the
# zero-result searches now answered, the facts the content health panel counts, a
# version of each question as stored, the outbox of search-engine and CDN notices;
# last, the page-cache stamp, once.
DERIVERS = [
    "links.redirects.deriver",
    "links.graph.deriver",
    "media.inline.deriver",
    "listings.archives.deriver",
    "listings.related.deriver",
    "search.index.deriver",
    "listings.archives.category_dates",
    "search_insights.analytics.deriver",
    "dashboard.facts.deriver",
    "analysis.stored.deriver",  # after the facts: an import compares their title digests
    "history.versions.deriver",
    "notify.outbox.deriver",
    "http_cache.changes.deriver",
]


class Term(NamedTuple):
    """A category or tag of a question: its id and name."""

    pk: int
    name: str


def terms_of(question_ids: list[int]) -> tuple[dict[int, list[Term]], dict[int, list[Term]]]:
    """The categories and tags of each question, in two queries a chunk."""
    categories: dict[int, list[Term]] = defaultdict(list)
    tags: dict[int, list[Term]] = defaultdict(list)
    through = Question.categories.through
    for chunk in chunks(question_ids):
        rows = through.objects.filter(question_id__in=chunk).order_by("category_id")
        for question_id, pk, name in rows.values_list("question_id", "category_id", "category__name"):
            categories[question_id].append(Term(pk, name))
        tagged = TaggedItem.objects.filter(
            content_type__app_label="faqs", content_type__model="question", object_id__in=chunk
        ).order_by("tag_id")
        for question_id, pk, name in tagged.values_list("object_id", "tag_id", "tag__name"):
            tags[question_id].append(Term(pk, name))
    return categories, tags


def joined_names(*terms: list[Term]) -> str:
    """Category and tag names as one string, as the search index holds them."""
    return " ".join(sorted(term.name for group in terms for term in group))


@dataclass
class WriteContext:
    """What a write (or a delete) did, as every deriver needs it. `before` holds each
    existing question's stored state before the write (`publishing.stored_states()`:
    slug, visibility, the fields derived tables read, its category and tag ids); a new
    question has none. `kept` is where a deriver leaves what it began or remembered
    for a later step (the search index's pending write, a delete's archive entries)."""

    questions: list[Question]
    before: dict[int, dict] = field(default_factory=dict)
    by: Any = None
    note: str = ""
    categories: dict[int, list[Term]] = field(default_factory=dict)
    tags: dict[int, list[Term]] = field(default_factory=dict)
    moves: dict[int, Any] = field(default_factory=dict)  # public questions' slug moves (redirects.Move)
    kept: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(
        cls, questions: list[Question], before: dict[int, dict], *, by=None, note: str = ""
    ) -> WriteContext:
        """The context of a write: the questions' categories and tags read once, as stored now."""
        categories, tags = terms_of([question.pk for question in questions])
        return cls(questions, before, by=by, note=note, categories=categories, tags=tags)

    @property
    def ids(self) -> list[int]:
        return [question.pk for question in self.questions]

    def category_ids(self, question_id: int) -> list[int]:
        return [term.pk for term in self.categories.get(question_id, ())]

    def tag_ids(self, question_id: int) -> list[int]:
        return [term.pk for term in self.tags.get(question_id, ())]

    def term_names(self, question_id: int) -> str:
        """Its category and tag names, one string, as the search index holds them."""
        return joined_names(self.categories.get(question_id, ()), self.tags.get(question_id, ()))

    def changed(self, question: Question, *names: str) -> bool:
        """Whether any of these fields differs from the stored state before the write;
        True for a new question, or when the state was not read (an import's)."""
        before = self.before.get(question.pk)
        if before is None:
            return True
        return any(name not in before or before[name] != getattr(question, name) for name in names)

    def terms_changed(self, question: Question) -> bool:
        """Whether its categories or tags are not those it had before the write."""
        before = self.before.get(question.pk)
        if before is None or "category_ids" not in before or "tag_ids" not in before:
            return True
        return set(before["category_ids"]) != set(self.category_ids(question.pk)) or set(
            before["tag_ids"]
        ) != set(self.tag_ids(question.pk))


@dataclass(frozen=True)
class TermChange:
    """A category or tag renamed or deleted, or a category moved in the hierarchy, by
    any writer (the admin, taggit, a shell): the questions that carry it, read before
    a delete, and the categories whose pages list its questions through their
    subcategories (`trees`: its old and new ancestors after a move or a delete)."""

    kind: str  # "category" or "tag"
    term_id: int
    question_ids: list[int] = field(default_factory=list)
    renamed: bool = False
    deleted: bool = False
    trees: frozenset[int] = frozenset()


class Deriver:
    """One derived table kept true: after a write of questions, after a delete, after
    a term changes, and made anew for the whole site (`rebuild`, and after `migrate`
    when `is_missing`). Each step does nothing unless a deriver says so."""

    def start(self, ctx: WriteContext) -> None:
        """Before any deriver runs: work that can proceed beside theirs."""

    def after_write(self, ctx: WriteContext) -> None:
        """After the questions, their categories and tags were written."""

    def before_delete(self, ctx: WriteContext) -> None:
        """Before the questions' rows go: read what after_delete() needs of them."""

    def after_delete(self, ctx: WriteContext) -> None:
        """After the questions' rows were deleted (cascades included)."""

    def after_term_change(self, change: TermChange) -> None:
        """After a category or tag was renamed, deleted or moved."""

    def rebuild(self) -> None:
        """Derive everything anew from the questions as stored."""

    def is_missing(self) -> bool:
        """After `migrate`: whether this table must be derived anew (a site upgraded
        from before it existed, or one a `flush` left out of step)."""
        return False


def load() -> list[Deriver]:
    """The derivers of DERIVERS, in order."""
    return [import_string(path) for path in DERIVERS]


_writing: ContextVar[bool] = ContextVar("faqs_write_pipeline", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Around the save path: the receivers kept for writers that bypass it stay quiet,
    since the pipeline's own derivers run once at its end."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def in_save_path() -> bool:
    """True while the save path writes: a receiver leaves the work to the derivers."""
    return _writing.get()
