"""The one save path. Every writer of questions and categories (the admin and its
bulk actions, the importer, the demo loader, a restore) goes through here, so what
is derived from them (`faqs.derivers.DERIVERS`, run in order) stays true.

`Question.save()` does row-local work only (slug, sanitising, derived fields); what
touches other rows happens here, in the writer's transaction. Deletions are heard
through signals (below), since a bulk delete never calls a function of ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from faqs import derivers
from faqs.derivers import WriteContext
from faqs.models import Category, Question
from faqs.models.bulk import chunks
from history import versions as history
from links import redirects
from listings import archives
from listings.models import ArchiveEntry
from listings.models.archive import category_key, tag_key, tree_key
from search import index as search_index
from search.models import SearchEntry

# What derivers compare with the question as written, to skip what did not change.
STORED_STATE = (
    "slug", "status", "published_at", "title", "content", "search_text", "noindex", "canonical_url",
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
) -> redirects.Move | None:
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
) -> dict[int, redirects.Move]:
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


@dataclass(frozen=True)
class Restored:
    """What a restore could not bring back: the version's slug, when another question
    took it since (the question keeps its current address), and deleted categories."""

    slug_holder: Question | None
    missing_categories: int


@transaction.atomic
def restore_version(question: Question, version, *, by=None) -> Restored:
    """Write a version's fields, categories and tags back through save_question(), so
    the restore is a new version and the slug rules, redirects and links apply as to
    any save (a restored old slug moves the question back and leaves a 301 behind)."""
    snapshot = history.Snapshot.from_version(version)
    holder = slug_holder(question, snapshot.slug)
    snapshot.apply_to(question, keep_slug=holder is not None or not snapshot.slug)
    categories = list(Category.objects.filter(pk__in=snapshot.category_ids))
    save_question(
        question, categories=categories, tags=snapshot.tags, by=by, note=history.restored_note(version)
    )
    return Restored(slug_holder=holder, missing_categories=len(set(snapshot.category_ids)) - len(categories))


def slug_holder(question: Question, slug: str) -> Question | None:
    """Another question living at `slug`, which a restore must not take from it."""
    if not slug:
        return None
    return Question.objects.filter(slug=slug).exclude(pk=question.pk).only("pk", "title", "slug").first()


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
    for category_id in affected:
        archives.rebuild_tree(category_id)


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
        search_index.sync_questions(_questions_of_term(instance))


@receiver(pre_delete, sender=Category)
@receiver(pre_delete, sender=Tag)
def _remember_term_questions(sender, instance, **kwargs) -> None:
    instance._question_ids = _questions_of_term(instance)


def _questions_of_term(term) -> list[int]:
    if isinstance(term, Category):
        return search_index.questions_of_category(term.pk)
    return search_index.questions_of_tag(term.pk)


@receiver(post_delete, sender=Category)
def _category_deleted(sender, instance: Category, **kwargs) -> None:
    search_index.sync_questions(getattr(instance, "_question_ids", []))
    archives.forget_archives([category_key(instance.pk), tree_key(instance.pk)])
    tree = Category.objects.tree()
    parent = tree.get(instance.parent_id)
    if parent is not None:
        for category_id in {parent.pk, *(above.pk for above in Category.ancestors(parent, tree))}:
            archives.rebuild_tree(category_id)


@receiver(post_delete, sender=Tag)
def _tag_deleted(sender, instance: Tag, **kwargs) -> None:
    search_index.sync_questions(getattr(instance, "_question_ids", []))
    archives.forget_archives([tag_key(instance.pk)])


def rebuild_derived() -> int:
    """Everything derived made anew for every question, by the same derivers as a
    write, in the same order (a site upgraded from before a table existed, or after a
    repair by hand); returns how many questions."""
    with transaction.atomic():
        for deriver in derivers.load():
            deriver.rebuild()
    return Question.objects.count()


def derive_missing(**kwargs) -> None:
    """After `migrate`: a site whose questions predate the archives gets them, so an
    upgrade needs no step of its own. Two cheap queries when there is nothing to do."""
    listed = Question.objects.listed()
    if listed.exists() and not ArchiveEntry.objects.exists():
        rebuild_derived()
    elif search_index.out_of_step() or (listed.exists() and not SearchEntry.objects.exists()):
        search_index.rebuild()
