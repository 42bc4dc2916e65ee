"""Keeping the index true: `start()` and `finish()` around every write of questions (the
save path's `questions_written()`: a save, a bulk action, a restore, an import),
`sync_questions()` for the questions of a category or tag renamed or deleted,
`forget()` when questions are deleted, `rebuild()` for `rebuild_search_index`.

Listed questions (published or scheduled) are indexed; a scheduled one is found from
its publication date on, since every search filters on that date: its arrival needs
no write. Any other status is removed from the index at the save that sets it.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection

from faqs import derivers
from faqs.derivers import Deriver, TermChange, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks
from http_cache import stamp
from search import spelling
from search.backends import Entry, backend
from search.models import SearchEntry

ENTRY_FIELDS = ("pk", "title", "published_at", "search_text")
BACKGROUND_FROM = 500  # questions written at once


def sync_questions(question_ids: list[int]) -> None:
    """Give these questions, as the database holds them now, exactly the entries
    they should have: removed, then written anew when listed."""
    start(question_ids).finish()


class Pending:
    """An index write begun by `start()`: the entries are read, and for a large write
    on PostgreSQL their vectors are being computed on a second connection while the
    save path does its other work (an import of 10,000 questions hides ~5 s there)."""

    def __init__(self, question_ids: list[int], entries: list[Entry]):
        self.question_ids, self.entries = question_ids, entries
        large = len(entries) >= BACKGROUND_FROM
        self.prepared = backend().prepare(entries, background=large)
        self.words = _in_background(spelling.words_of, entries) if large else None

    def finish(self) -> None:
        written = {entry.question_id for entry in self.entries}
        forget([pk for pk in self.question_ids if pk not in written])
        backend().write(self.entries, self.prepared)  # replaces the written ones' entries
        spelling.learn(self.words.result() if self.words is not None else spelling.words_of(self.entries))


def _in_background(function, *args) -> Future:
    """`function(*args)` in a thread; its result (or exception) when asked for."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index")
    future = pool.submit(function, *args)
    pool.shutdown(wait=False)
    return future


def start(question_ids: list[int], ctx: WriteContext | None = None) -> Pending:
    """Read what the index needs of these questions now (their rows and terms are
    written), or take it from the write's context; `finish()` replaces their entries."""
    question_ids = sorted(set(question_ids))
    if ctx is not None:
        wanted = set(question_ids)
        entries = [
            Entry(q.pk, q.published_at, q.title, ctx.term_names(q.pk), q.search_text)
            for q in sorted(ctx.questions, key=lambda question: question.pk)
            if q.pk in wanted and q.is_listed()
        ]
        return Pending(question_ids, entries)
    names = term_names(question_ids)
    entries = []
    for chunk in chunks(question_ids):
        listed = Question.objects.listed().filter(pk__in=chunk).values_list(*ENTRY_FIELDS)
        for pk, title, published_at, body in listed:
            entries.append(Entry(pk, published_at, title, names.get(pk, ""), body))
    return Pending(question_ids, entries)


def forget(question_ids: list[int]) -> None:
    backend().remove(question_ids)
    for chunk in chunks(question_ids):
        SearchEntry.objects.filter(question_id__in=chunk).delete()


def term_names(question_ids: list[int]) -> dict[int, str]:
    """Each question's category and tag names, one string (faqs.derivers.terms_of)."""
    categories, tags = derivers.terms_of(question_ids)
    return {
        pk: derivers.joined_names(categories.get(pk, ()), tags.get(pk, ())) for pk in {*categories, *tags}
    }


def rebuild() -> int:
    """The whole index made anew from the questions; returns how many are indexed."""
    SearchEntry.objects.all().delete()
    backend().clear()
    spelling.clear()
    ids = list(
        Question.objects.listed().order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 5000):
        sync_questions(ids[start : start + 5000])
    stamp.site_changed()  # results kept for searches (search.engine) are made anew
    return len(ids)


def out_of_step() -> bool:
    """True when the SQLite FTS tables hold rows the entries don't (a `flush`, as
    tests run it, empties Django's tables but not the virtual ones)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM faqs_search_document")
        indexed = cursor.fetchone()[0]
    return indexed != SearchEntry.objects.count()


INDEXED_FIELDS = ("title", "search_text", "status", "published_at")


class SearchIndex(Deriver):
    """A written question's entry follows its title, text, terms, status and date;
    begun before the other derivers run (a large write's vectors are computed in a
    thread meanwhile) and finished in its place."""

    def start(self, ctx: WriteContext) -> None:
        moved = [q.pk for q in ctx.questions if ctx.changed(q, *INDEXED_FIELDS) or ctx.terms_changed(q)]
        ctx.kept["search_index"] = start(moved, ctx) if moved else None

    def after_write(self, ctx: WriteContext) -> None:
        pending = ctx.kept.pop("search_index", None)
        if pending is not None:
            pending.finish()

    def after_delete(self, ctx: WriteContext) -> None:
        forget(ctx.ids)

    def after_term_change(self, change: TermChange) -> None:
        if change.renamed or change.deleted:  # term names are indexed with each question
            sync_questions(change.question_ids)

    def rebuild(self) -> None:
        rebuild()

    def is_missing(self) -> bool:
        return out_of_step() or (Question.objects.listed().exists() and not SearchEntry.objects.exists())


deriver = SearchIndex()
