"""The lists readers page through, kept as numbered entries (listings.models.archive) so
that any page of any list costs the same at any size of site.

`sync_questions()` makes the entries of some questions match what they are now and
renumbers only what moved (usually a few rows at the new end); `ArchivePaginator` is
Django's Paginator over an archive: its count is two index lookups and a page is a
range of positions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.functional import cached_property

from faqs import derivers
from faqs.derivers import Deriver, TermChange, WriteContext
from faqs.models import Category, Question
from faqs.models.bulk import chunks, insert_rows
from listings.models import ArchiveEntry, ArchiveTotal
from listings.models.archive import ALL, SITEMAP, category_key, person_key, tag_key, tree_key

# What decides a question's lists (its people by their ids: the written row holds those).
ARCHIVED_FIELDS = ("status", "published_at", "noindex", "canonical_url", "written_by_id", "reviewed_by_id")


def keys_for(question: Question, category_ids: list[int], tag_ids: list[int], tree: dict) -> set[str]:
    """The archives a question belongs in: none unless published or scheduled."""
    if not question.is_listed():
        return set()
    keys = {ALL, *(category_key(pk) for pk in category_ids), *(tag_key(pk) for pk in tag_ids)}
    # An author page lists what its person wrote and what they reviewed.
    keys.update(person_key(pk) for pk in {question.written_by_id, question.reviewed_by_id} if pk)
    if question.is_indexable():
        keys.add(SITEMAP)
    for category_id in category_ids:
        keys.add(tree_key(category_id))
        if category_id in tree:
            keys.update(tree_key(parent.pk) for parent in Category.ancestors(tree[category_id], tree))
    return keys


def terms_of(question_ids: list[int]) -> tuple[dict, dict]:
    """Category ids and tag ids of each question (faqs.derivers.terms_of, ids only)."""
    categories, tags = derivers.terms_of(question_ids)
    return _ids(categories), _ids(tags)


def _ids(terms: dict) -> defaultdict:
    return defaultdict(list, {pk: [term.pk for term in group] for pk, group in terms.items()})


def sync_questions(question_ids: list[int], ctx: WriteContext | None = None) -> None:
    """Give these questions (as the database holds them now, or as `ctx` wrote them)
    exactly the archive entries they belong in, then renumber each archive from the
    earliest date that changed in it."""
    question_ids = sorted(set(question_ids))
    tree = Category.objects.tree()
    wanted: dict[tuple[str, int], datetime] = {}
    for question, category_ids, tag_ids in _with_terms(question_ids, ctx):
        for key in keys_for(question, category_ids, tag_ids, tree):
            wanted[key, question.pk] = question.published_at
    changed_since: dict[str, datetime] = {}
    stale_ids = []
    for chunk in chunks(question_ids):
        existing = ArchiveEntry.objects.filter(question_id__in=chunk)
        for entry_id, key, question_id, published_at in existing.values_list(
            "id", "archive", "question_id", "published_at"
        ):
            if wanted.get((key, question_id)) == published_at:
                del wanted[key, question_id]  # already in place
                continue
            stale_ids.append(entry_id)
            _note_change(changed_since, key, published_at)
    for chunk in chunks(stale_ids):
        ArchiveEntry.objects.filter(id__in=chunk).delete()
    new_by_archive: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for (key, question_id), published_at in wanted.items():
        new_by_archive[key].append((published_at, question_id))
    appended = {key: after for key, entries in new_by_archive.items() if key not in changed_since
                and (after := _appends_after(key, min(entries))) is not None}  # fmt: skip
    rows = []
    for key, entries in new_by_archive.items():
        entries.sort()
        start = appended.get(key)
        for offset, (published_at, question_id) in enumerate(entries, start=1):
            rows.append((key, question_id, published_at, 0 if start is None else start + offset))
        if start is None:
            _note_change(changed_since, key, entries[0][0])
    rows.sort()  # in index order: B-tree inserts then touch each page once
    insert_rows(ArchiveEntry, ["archive", "question", "published_at", "position"], rows)
    totals = [
        ArchiveTotal(archive=key, entries=start + len(new_by_archive[key])) for key, start in appended.items()
    ]
    ArchiveTotal.objects.bulk_create(
        totals, update_conflicts=True, unique_fields=["archive"], update_fields=["entries"]
    )
    for key, since in changed_since.items():
        renumber(key, since)


def _with_terms(question_ids: list[int], ctx: WriteContext | None):
    """(question, category ids, tag ids) of each: from the write's context when it
    holds them, else read."""
    if ctx is not None:
        written = {question.pk: question for question in ctx.questions}
        for pk in question_ids:
            yield written[pk], ctx.category_ids(pk), ctx.tag_ids(pk)
        return
    categories, tags = terms_of(question_ids)
    for chunk in chunks(question_ids):
        for question in Question.objects.filter(pk__in=chunk).only(*_field_names(ARCHIVED_FIELDS)):
            yield question, categories[question.pk], tags[question.pk]


def _field_names(attnames: tuple[str, ...]) -> list[str]:
    """only() takes a foreign key by its field's name: written_by, not written_by_id."""
    return [name.removesuffix("_id") for name in attnames]


def _appends_after(key: str, first_new: tuple[datetime, int]) -> int | None:
    """The archive's total when every new entry comes after its newest one (new
    questions, an import into an empty site): they are simply numbered on from there,
    with no renumbering. None when one would land between existing entries."""
    newest = ArchiveEntry.objects.in_archive(key).order_by("-published_at", "-question_id")
    last = newest.values_list("published_at", "question_id", "position").first()
    if last is None:
        return 0
    return last[2] if (last[0], last[1]) < first_new else None


def _note_change(changed_since: dict[str, datetime], key: str, published_at: datetime) -> None:
    if key not in changed_since or published_at < changed_since[key]:
        changed_since[key] = published_at


def renumber(key: str, since: datetime | None = None) -> None:
    """Number the entries of an archive dated `since` or later (all when None) after
    the last one before, oldest first, in one UPDATE; then store its total."""
    entries = ArchiveEntry.objects.in_archive(key)
    before = 0
    if since is not None:
        earlier = entries.filter(published_at__lt=since).order_by("-published_at", "-question_id")
        before = earlier.values_list("position", flat=True).first() or 0
        entries = entries.filter(published_at__gte=since)
    ranked = entries.annotate(
        row_rank=Window(RowNumber(), order_by=[F("published_at").asc(), F("question_id").asc()])
    ).values("id", "row_rank")
    sql, params = ranked.query.sql_with_params()
    table = connection.ops.quote_name(ArchiveEntry._meta.db_table)
    with connection.cursor() as cursor:
        # UPDATE … FROM: PostgreSQL, and SQLite since 3.33.
        cursor.execute(
            f"UPDATE {table} SET position = %s + ranked.row_rank "
            f"FROM ({sql}) AS ranked WHERE {table}.id = ranked.id",
            [before, *params],
        )
        renumbered = cursor.rowcount
    ArchiveTotal.objects.update_or_create(archive=key, defaults={"entries": before + renumbered})


def rebuild_tree(category_id: int) -> None:
    """A category's archive page after its place in the hierarchy changed: its
    entries made anew from the questions of it and its subcategories."""
    key = tree_key(category_id)
    ids = Category.descendant_ids(Category(pk=category_id), Category.objects.tree())
    members = (
        Question.objects.listed()
        .filter(categories__in=ids)
        .distinct()
        .values_list("pk", "published_at")
    )
    ArchiveEntry.objects.in_archive(key).delete()
    rows = ((key, pk, published_at, 0) for pk, published_at in members)
    insert_rows(ArchiveEntry, ["archive", "question", "published_at", "position"], rows)
    renumber(key)


def forget_archives(keys: list[str]) -> None:
    """Archives of a term that is gone."""
    ArchiveEntry.objects.filter(archive__in=keys).delete()
    ArchiveTotal.objects.filter(archive__in=keys).delete()


def renumber_after_delete(entries: list[tuple[str, datetime]]) -> None:
    """(archive, date) of the entries a deleted question had: the gaps it left close."""
    since: dict[str, datetime] = {}
    for key, published_at in entries:
        _note_change(since, key, published_at)
    for key, when in since.items():
        renumber(key, when)


class Archives(Deriver):
    """The lists readers page through: a written question's entries follow its
    status, date, sitemap flags and terms; a deleted one's gaps close."""

    def after_write(self, ctx: WriteContext) -> None:
        moved = [q.pk for q in ctx.questions if ctx.changed(q, *ARCHIVED_FIELDS) or ctx.terms_changed(q)]
        if moved:
            sync_questions(moved, ctx)

    def before_delete(self, ctx: WriteContext) -> None:
        entries = ArchiveEntry.objects.filter(question_id__in=ctx.ids)
        ctx.kept["archive_entries"] = list(entries.values_list("archive", "published_at"))

    def after_delete(self, ctx: WriteContext) -> None:
        renumber_after_delete(ctx.kept.get("archive_entries", []))

    def after_term_change(self, change: TermChange) -> None:
        if change.deleted and change.kind == "category":
            forget_archives([category_key(change.term_id), tree_key(change.term_id)])
        elif change.deleted:
            forget_archives([tag_key(change.term_id)])
        for category_id in change.trees:
            rebuild_tree(category_id)

    def rebuild(self) -> None:
        sync_questions(list(Question.objects.order_by("pk").values_list("pk", flat=True)))

    def is_missing(self) -> bool:
        return Question.objects.listed().exists() and not ArchiveEntry.objects.exists()


def touch_categories(ctx: WriteContext) -> None:
    """A category's sitemap date: the newest change of one of its listed questions;
    one UPDATE for each distinct date."""
    newest: dict[int, datetime] = {}
    for question in ctx.questions:
        if not question.is_listed():
            continue
        for category_id in ctx.category_ids(question.pk):
            if category_id not in newest or question.modified_at > newest[category_id]:
                newest[category_id] = question.modified_at
    by_date: dict[datetime, list[int]] = defaultdict(list)
    for category_id, modified_at in newest.items():
        by_date[modified_at].append(category_id)
    for modified_at, category_ids in by_date.items():
        for chunk in chunks(category_ids):
            Category.objects.filter(
                Q(last_modified__lt=modified_at) | Q(last_modified=None), pk__in=chunk
            ).update(last_modified=modified_at)


class CategoryDates(Deriver):
    """The categories' sitemap dates follow their questions' changes."""

    def after_write(self, ctx: WriteContext) -> None:
        touch_categories(ctx)

    def rebuild(self) -> None:
        for chunk in chunks(list(Question.objects.order_by("pk").values_list("pk", flat=True))):
            questions = Question.objects.filter(pk__in=chunk).only("status", "modified_at")
            touch_categories(WriteContext.load(list(questions), {}))


deriver = Archives()
category_dates = CategoryDates()


class ArchivePaginator(Paginator):
    """Django's Paginator over an archive, newest first (or oldest first): the count
    is the archive's stored total less what is not yet due, and a page is a range
    of positions, so the last page costs what the first does."""

    def __init__(self, key: str, per_page: int, questions: QuerySet | None = None, newest_first: bool = True):
        super().__init__([], per_page)
        self.key = key
        self.questions = questions if questions is not None else Question.objects.all()
        self.newest_first = newest_first

    @cached_property
    def count(self) -> int:
        return ArchiveEntry.objects.public_count(self.key)

    def page(self, number):
        number = self.validate_number(number)
        skipped = (number - 1) * self.per_page
        shown = min(self.per_page, self.count - skipped)
        if self.newest_first:
            lowest, highest, order = self.count - skipped - shown + 1, self.count - skipped, "-position"
        else:
            lowest, highest, order = skipped + 1, skipped + shown, "position"
        if shown <= 0:
            return self._get_page([], number, self)
        # The ids first, from the (archive, position) index, then the rows by primary
        # key: joined in one query, PostgreSQL misjudged low positions (present in every
        # archive) and scanned the questions (25 ms for sitemap page 1 at 100,000).
        entries = ArchiveEntry.objects.in_archive(self.key).filter(position__range=(lowest, highest))
        ids = list(entries.order_by(order).values_list("question_id", flat=True))
        by_id = self.questions.in_bulk(ids)
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


RANGES_PER_QUERY = 150


def newest_of_each(counts: dict[str, int], shown: dict[str, int], questions: QuerySet) -> dict[str, list]:
    """The `shown[key]` newest public questions of each archive `key`, whose public count
    is `counts[key]` (read beforehand: `ArchivePaginator.count`, `public_count_of()`), in
    two queries for them all: the ids of every archive's last positions, one range each
    on the (archive, position) index, then the rows by primary key (the home page's
    latest questions and category hubs)."""
    ranges = {
        key: (counts[key] - number + 1, counts[key])
        for key, number in shown.items()
        if counts.get(key, 0) > 0 and number > 0
    }
    if not ranges:
        return {key: [] for key in shown}
    ids_by_key: dict[str, list[int]] = defaultdict(list)
    keys = list(ranges)
    # Three parameters and one OR a range: SQLite's limits on both stay far off.
    for some in (keys[start : start + RANGES_PER_QUERY] for start in range(0, len(keys), RANGES_PER_QUERY)):
        condition = Q()
        for key in some:
            lowest, highest = ranges[key]
            condition |= Q(archive=key, position__range=(max(lowest, 1), highest))
        entries = ArchiveEntry.objects.filter(condition).order_by("archive", "-position")
        for key, question_id in entries.values_list("archive", "question_id"):
            ids_by_key[key].append(question_id)
    by_id = questions.in_bulk({pk for ids in ids_by_key.values() for pk in ids})
    return {key: [by_id[pk] for pk in ids_by_key.get(key, []) if pk in by_id] for key in shown}
