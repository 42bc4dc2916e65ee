"""A question's history: every write through faqs.publishing keeps a version of it
(title, slug, answer, excerpt, status, dates, categories, tags, SEO fields) with who
wrote it and when, as WordPress keeps revisions of a post.

Versions are django-reversion's rows: a `Revision` (who, when, a note) holding one
`Version` per question written, whose data is Django's JSON serialisation of the
question. reversion takes its snapshot at post_save, before the save path has set the
categories and tags, and Django's serialiser leaves taggit's tags out, so the rows are
written here, at the end of the save path, from the rows it wrote and the categories
and tags as stored: the tag names go beside the serialiser's fields (reversion's own
reader ignores the extra key, so `version.field_dict` still works), and an import
writes all its versions in bulk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from reversion.models import Revision, Version

from faqs.derivers import Deriver, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks, insert_rows

# The question's own fields a version keeps, as Django's serialiser names them.
VERSIONED_FIELDS = (
    "title",
    "slug",
    "content",
    "excerpt",
    "status",
    "published_at",
    "modified_at",
    "seo_title",
    "meta_description",
    "canonical_url",
    "noindex",
    "nofollow",
    "focus_keyphrase",
    "keyphrase_synonyms",
    "cornerstone",
)
# What a restore writes back: everything but the date of the change itself.
RESTORED_FIELDS = tuple(name for name in VERSIONED_FIELDS if name != "modified_at")
VERSION_COLUMNS = ["revision", "content_type", "object_id", "db", "format", "serialized_data", "object_repr"]
IMPORT_NOTE = "Imported from WordPress"
BASELINE_NOTE = "The question as it stood when history began"


def register() -> None:
    """Tell reversion which fields our versions hold, so its readers (field_dict,
    the deleterevisions command) understand them. Called once, from the app's ready()."""
    if not reversion.is_registered(Question):
        reversion.register(Question, fields=[*VERSIONED_FIELDS, "categories"])


@dataclass(frozen=True)
class Snapshot:
    """One version of a question, as plain values."""

    title: str = ""
    slug: str = ""
    content: str = ""
    excerpt: str = ""
    status: str = Question.Status.DRAFT.value
    published_at: datetime | None = None
    modified_at: datetime | None = None
    seo_title: str = ""
    meta_description: str = ""
    canonical_url: str = ""
    noindex: bool = False
    nofollow: bool = False
    focus_keyphrase: str = ""
    keyphrase_synonyms: str = ""
    cornerstone: bool = False
    category_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()

    def serialized(self, question_id: int) -> str:
        """Django's JSON for the question (what reversion's reader expects), with the
        tag names beside its fields."""
        data = {name: getattr(self, name) for name in VERSIONED_FIELDS}
        data["categories"] = list(self.category_ids)
        document = {"model": "faqs.question", "pk": question_id, "fields": data, "tags": list(self.tags)}
        return json.dumps([document], cls=DjangoJSONEncoder, ensure_ascii=False)

    @classmethod
    def from_version(cls, version: Version) -> Snapshot:
        """The snapshot a version holds; a field it lacks (a version older than the
        field) takes the field's default, and unreadable data reads as empty."""
        return cls.from_serialized(version.serialized_data)

    @classmethod
    def from_serialized(cls, text: str) -> Snapshot:
        """The snapshot `serialized()` wrote (a version's data, a pending change's)."""
        try:
            document = json.loads(text)[0]
            data, tags = dict(document.get("fields", {})), document.get("tags", [])
        except (ValueError, TypeError, LookupError, AttributeError):
            return cls()
        values = {name: _read_value(name, data[name]) for name in VERSIONED_FIELDS if name in data}
        values = {name: value for name, value in values.items() if value is not _UNREADABLE}
        categories = data.get("categories", [])
        values["category_ids"] = tuple(pk for pk in categories if isinstance(pk, int))
        values["tags"] = tuple(name for name in tags if isinstance(name, str))
        return cls(**values)

    def apply_to(self, question: Question, *, keep_slug: bool = False) -> None:
        """Write this version's fields onto `question` (not saved): what a restore does."""
        for name in RESTORED_FIELDS:
            if name != "slug" or not keep_slug:
                setattr(question, name, getattr(self, name))


_UNREADABLE = object()


def _read_value(name: str, value):
    """A stored value as the snapshot holds it; _UNREADABLE for one of the wrong kind
    (data edited by hand), which then takes the field's default."""
    if name.endswith("_at"):
        if value is None:
            return None
        try:
            return parse_datetime(value) or _UNREADABLE
        except (TypeError, ValueError):
            return _UNREADABLE
    if name in ("noindex", "nofollow", "cornerstone"):
        return value if isinstance(value, bool) else _UNREADABLE
    return value if isinstance(value, str) else _UNREADABLE


def snapshots_of(questions: Iterable[Question], ctx: WriteContext | None = None) -> dict[int, Snapshot]:
    """Snapshots of questions as just written: their fields from the instances (the
    save path's own, which hold what it stored), their categories and tags from the
    write's context, else read from the database (two queries per 500 questions),
    none reading the answers again."""
    if ctx is not None:
        return {
            question.pk: Snapshot(
                **{name: getattr(question, name) for name in VERSIONED_FIELDS},
                category_ids=tuple(sorted(ctx.category_ids(question.pk))),
                tags=tuple(sorted((term.name for term in ctx.tags.get(question.pk, ())), key=str.casefold)),
            )
            for question in questions
        }
    snapshots = {}
    categories = Question.categories.through.objects
    tagged = Question.tags.through.objects.filter(content_type=ContentType.objects.get_for_model(Question))
    for chunk in chunks({question.pk: question for question in questions}.values()):
        ids = [question.pk for question in chunk]
        category_ids: dict[int, list[int]] = {}
        rows = categories.filter(question_id__in=ids).order_by("category_id")
        for question_id, category_id in rows.values_list("question_id", "category_id"):
            category_ids.setdefault(question_id, []).append(category_id)
        tags: dict[int, list[str]] = {}
        for question_id, name in tagged.filter(object_id__in=ids).values_list("object_id", "tag__name"):
            tags.setdefault(question_id, []).append(name)
        for question in chunk:
            snapshots[question.pk] = Snapshot(
                **{name: getattr(question, name) for name in VERSIONED_FIELDS},
                category_ids=tuple(category_ids.get(question.pk, ())),
                tags=tuple(sorted(tags.get(question.pk, ()), key=str.casefold)),
            )
    return snapshots


def stored_questions(question_ids: Iterable[int]) -> list[Question]:
    """The questions as the database holds them now, only the fields versions keep."""
    return [
        question
        for chunk in chunks(dict.fromkeys(question_ids))
        for question in Question.objects.filter(pk__in=chunk).only(*VERSIONED_FIELDS)
    ]


def stored_snapshots(question_ids: Iterable[int]) -> dict[int, Snapshot]:
    return snapshots_of(stored_questions(question_ids))


def record_versions(
    questions: Iterable[Question], *, by=None, note: str = "", ctx: WriteContext | None = None
) -> Revision | None:
    """Keep a version of each question just written, in one revision by `by` (a
    user, or None for the importer and scripts): one revision row, then the versions
    in bulk, so an import of thousands costs a few dozen queries. The rows are
    reversion's, written as its _save_revision() writes them, less its per-object
    serialisation (see the module's docstring)."""
    snapshots = snapshots_of(questions, ctx)
    if not snapshots:
        return None
    user = by if by is not None and by.is_authenticated else None
    revision = Revision.objects.create(date_created=timezone.now(), user=user, comment=note)
    content_type = ContentType.objects.get_for_model(Question).pk
    database = router.db_for_write(Question)
    rows = (
        (revision.pk, content_type, str(pk), database, "json", snapshot.serialized(pk), snapshot.title)
        for pk, snapshot in snapshots.items()
    )
    # COPY or executemany: bulk_create's SQLite batches hold only 124 versions each.
    insert_rows(Version, VERSION_COLUMNS, rows)
    return revision


def record_rewritten_answers(ctx: WriteContext) -> None:
    """A version of each other answer whose links a move rewrote."""
    rewritten = {
        answer_id: question
        for question in ctx.questions
        if question.pk in ctx.moves
        for answer_id in ctx.moves[question.pk].rewritten_ids
    }
    written = set(ctx.ids)
    others = [pk for pk in rewritten if pk not in written]
    if others:
        record_versions(stored_questions(others), by=ctx.by, note=links_rewritten_note(rewritten, others))


class History(Deriver):
    """A version of each question as written, by the editor with the note, in one
    revision; then of each other answer a move rewrote."""

    def after_write(self, ctx: WriteContext) -> None:
        record_versions(ctx.questions, by=ctx.by, note=ctx.note, ctx=ctx)
        record_rewritten_answers(ctx)


deriver = History()


def links_rewritten_note(rewritten: dict[int, Question], ids: list[int]) -> str:
    """The note of the versions a move made of other answers, naming the move."""
    moved = {rewritten[pk].pk: rewritten[pk] for pk in ids}
    if len(moved) == 1:
        question = next(iter(moved.values()))
        return f"Links updated: “{question.title}” moved to {question.get_absolute_url()}"
    return f"Links updated: {len(moved)} questions moved"


def restored_note(version: Version) -> str:
    when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
    return f"Restored the version of {when} by {editor_name(version.revision.user)}"


def editor_name(user) -> str:
    """Who made a version, as the history shows it; no user means the importer or a script."""
    if user is None:
        return "no editor (import or script)"
    return user.get_full_name() or user.get_username()


def versions_of(question_id: int) -> QuerySet[Version]:
    """A question's versions, newest first, with who made each."""
    return (
        Version.objects.get_for_object_reference(Question, question_id)
        .select_related("revision__user")
        .order_by("-pk")
    )


def latest_version(question_id: int) -> Version | None:
    return versions_of(question_id).first()


def latest_version_id(question_id: int) -> int | None:
    return versions_of(question_id).values_list("pk", flat=True).first()


def record_missing(**kwargs) -> None:
    """After `migrate`: a site whose questions predate history gets a first version of
    each, so every question can be compared and restored. Two cheap queries when
    there is nothing to do."""
    if Question.objects.exists() and not Version.objects.get_for_model(Question).exists():
        ids = Question.objects.order_by("pk").values_list("pk", flat=True)
        record_versions(stored_questions(ids), note=BASELINE_NOTE)
