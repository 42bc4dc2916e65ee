"""The one save path. Every writer of questions and categories (the admin and its
bulk actions, the importer, the demo loader, a restore) goes through here, so what
is derived from them (`faqs.derivers.DERIVERS`, run in order) stays true.

`Question.save()` does row-local work only (slug, sanitising, derived fields); what
touches other rows happens here, in the writer's transaction. Deletions are heard
through signals (below), since a bulk delete never calls a function of ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from faqs import derivers
from faqs.derivers import TermChange, WriteContext
from faqs.models import Category, Question
from faqs.models.bulk import chunks

if TYPE_CHECKING:  # the save path reaches the derived apps only through DERIVERS
    from links.redirects import Move

# What derivers compare with the question as written, to skip what did not change.
STORED_STATE = (
    "slug", "status", "published_at", "title", "content", "search_text", "noindex", "canonical_url",
    "written_by_id", "reviewed_by_id",
)  # fmt: skip


def stored_states(question_ids: Iterable[int]) -> dict[int, dict]:
    """Slug, visibility, the fields derived tables read, and the category and tag
    ids, as the database holds them before a write."""
    ids = [pk for pk in question_ids if pk is not None]
    states = {}
    for chunk in chunks(ids):
        rows = Question.objects.filter(pk__in=chunk).values("pk", *STORED_STATE)
        states.update({row.pop("pk"): row for row in rows})
    categories, tags = derivers.terms_of(list(states))
    for pk, state in states.items():
        state["category_ids"] = [term.pk for term in categories.get(pk, ())]
        state["tag_ids"] = [term.pk for term in tags.get(pk, ())]
    return states


@transaction.atomic
def save_question(
    question: Question,
    *,
    categories: Iterable[Category] | None = None,
    tags: Iterable[str] | None = None,
    relations: Callable[[], None] | None = None,
    keep_modified: bool = False,
    by=None,
    note: str = "",
) -> Move | None:
    """Save one question with its categories and tags (given, or written by
    `relations()`, as the admin's form does) and keep everything derived true.
    `by` (the editor) and `note` go into the version the save keeps. Returns the move
    when a public question's address changed, for the editor."""
    before = stored_states([question.pk])
    with derivers.writing():
        question.save(keep_modified=keep_modified)
        if categories is not None:
            question.categories.set(list(categories))
        if tags is not None:
            question.tags.set(list(tags))
        if relations is not None:
            relations()
        return questions_written([question], before, by=by, note=note).get(question.pk)


def questions_written(
    questions: list[Question], before_by_id: dict[int, dict], *, by=None, note: str = ""
) -> dict[int, Move]:
    """After rows, categories and tags of `questions` were written (one save or a
    whole import): their categories and tags are read once, and every deriver of
    `derivers.DERIVERS` runs in order over them, each with a number of queries that
    does not grow with the site. Returns the public questions' moves by id."""
    ctx = WriteContext.load(questions, before_by_id, by=by, note=note)
    pipeline = derivers.load()
    for deriver in pipeline:
        deriver.start(ctx)
    for deriver in pipeline:
        deriver.after_write(ctx)
    return ctx.moves


@transaction.atomic
def save_category(category: Category) -> None:
    """Save a category; when it moved in the hierarchy, the archive pages of its old
    and new parents (which list their subcategories' questions) are made anew."""
    tree = Category.objects.tree()
    old = tree.get(category.pk)
    category.save()
    if old is None or old.parent_id == category.parent_id:
        return
    affected = {parent.pk for parent in Category.ancestors(old, tree)}
    affected |= {parent.pk for parent in Category.ancestors(category, Category.objects.tree())}
    _term_changed(TermChange("category", category.pk, trees=frozenset(affected)))


# --- deletions: heard, since QuerySet.delete() (bulk deletes, cascades) calls no method


@receiver(pre_delete, sender=Question)
def _question_deleting(sender, instance: Question, **kwargs) -> None:
    instance._write_context = WriteContext([instance])
    for deriver in derivers.load():
        deriver.before_delete(instance._write_context)


@receiver(post_delete, sender=Question)
def _question_deleted(sender, instance: Question, **kwargs) -> None:
    ctx = getattr(instance, "_write_context", None) or WriteContext([instance])
    for deriver in derivers.load():
        deriver.after_delete(ctx)


# --- term names are indexed with each question: a rename or a delete re-indexes the
# questions that carry the term (any writer: the admin, taggit, a shell).


@receiver(pre_save, sender=Category)
@receiver(pre_save, sender=Tag)
def _remember_name(sender, instance, **kwargs) -> None:
    stored = sender.objects.filter(pk=instance.pk) if instance.pk is not None else sender.objects.none()
    instance._stored_name = stored.values_list("name", flat=True).first()


@receiver(post_save, sender=Category)
@receiver(post_save, sender=Tag)
def _term_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created and getattr(instance, "_stored_name", instance.name) != instance.name:
        _term_changed(TermChange(_kind(instance), instance.pk, _questions_of_term(instance), renamed=True))


@receiver(pre_delete, sender=Category)
@receiver(pre_delete, sender=Tag)
def _remember_term_questions(sender, instance, **kwargs) -> None:
    instance._question_ids = _questions_of_term(instance)


@receiver(post_delete, sender=Category)
@receiver(post_delete, sender=Tag)
def _term_deleted(sender, instance, **kwargs) -> None:
    trees: frozenset[int] = frozenset()
    if isinstance(instance, Category):  # the pages of the categories above list its questions
        tree = Category.objects.tree()
        parent = tree.get(instance.parent_id)
        if parent is not None:
            trees = frozenset({parent.pk, *(above.pk for above in Category.ancestors(parent, tree))})
    question_ids = getattr(instance, "_question_ids", [])
    _term_changed(TermChange(_kind(instance), instance.pk, question_ids, deleted=True, trees=trees))


def _kind(term) -> str:
    return "category" if isinstance(term, Category) else "tag"


def _questions_of_term(term) -> list[int]:
    """The questions that carry a category or a tag."""
    if isinstance(term, Category):
        links = Question.categories.through.objects.filter(category_id=term.pk)
        return list(links.values_list("question_id", flat=True))
    tagged = Question.tags.through.objects.filter(
        tag_id=term.pk, content_type__app_label="faqs", content_type__model="question"
    )
    return list(tagged.values_list("object_id", flat=True))


def _term_changed(change: TermChange) -> None:
    for deriver in derivers.load():
        deriver.after_term_change(change)


def rebuild_derived() -> int:
    """Everything derived made anew for every question, by the same derivers as a
    write, in the same order (a site upgraded from before a table existed, or after a
    repair by hand); returns how many questions."""
    with transaction.atomic():
        for deriver in derivers.load():
            deriver.rebuild()
    return Question.objects.count()


def derive_missing(**kwargs) -> None:
    """After `migrate`: each derived table a site lacks (upgraded from before it
    existed, or left out of step by a `flush`) is derived anew, so an upgrade needs
    no step of its own; a few cheap queries when there is nothing to do."""
    with transaction.atomic():
        for deriver in derivers.load():
            if deriver.is_missing():
                deriver.rebuild()
