"""The one save path. Every writer of questions and categories (the admin and its
bulk actions, the importer, the demo loader, a restore) goes through here, so the
links, redirects, archives and related lists derived from them stay true.

`Question.save()` does row-local work only (slug, sanitising, derived fields); what
touches other rows happens here, in the writer's transaction. Deletions are heard
through signals (below), since a bulk delete never calls a function of ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag

from faqs.models import Category, Question
from faqs.models.bulk import chunks
from faqs.models.question import listed_condition
from history import versions as history
from http_cache import stamp as page_cache
from links import graph, redirects
from listings import archives, related
from listings.models import ArchiveEntry
from listings.models.archive import category_key, tag_key, tree_key
from search import index as search_index
from search.models import SearchEntry
from search_insights import analytics

STORED_STATE = ("slug", "status", "published_at")


def stored_states(question_ids: Iterable[int]) -> dict[int, dict]:
    """Slug and visibility as the database holds them, before a write."""
    ids = [pk for pk in question_ids if pk is not None]
    states = {}
    for chunk in chunks(ids):
        rows = Question.objects.filter(pk__in=chunk).values("pk", *STORED_STATE)
        states.update({row.pop("pk"): row for row in rows})
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
    whole import): redirects first (the answers' links may name a slug that just
    moved), then the link graph, the archives, the related lists, the search index,
    the categories' dates and the zero-result searches they answer, each with a number
    of queries that does not grow with the site; last, a version of each question as
    stored, and of each other answer a move rewrote. Returns the public questions'
    moves by id."""
    ids = [question.pk for question in questions]
    indexing = search_index.start(ids)  # a large write's vectors are computed meanwhile
    moves = redirects.after_write(questions, before_by_id)
    if any(before_by_id.get(q.pk, {}).get("slug", q.slug) != q.slug for q in questions):
        _reread_answers(questions)  # a move may have rewritten links in them
    graph.rebuild_links(questions)
    graph.attach_new_targets(questions)
    archives.sync_questions(ids)
    related.derive_related(ids)
    indexing.finish()
    _touch_categories(ids)
    # Zero-result searches they answer now. A scheduled question is marked when it is
    # scheduled (written here), not when its time comes: nothing runs then.
    analytics.mark_answered([q.pk for q in questions if q.is_listed()])
    history.record_versions(questions, by=by, note=note)
    _record_rewritten_answers(questions, moves, by=by)
    # Bulk writes above sent no signal to hear.
    page_cache.site_changed(schedule_changed=_schedule_changed(questions, before_by_id))
    return moves


def _schedule_changed(questions: list[Question], before_by_id: dict[int, dict]) -> bool:
    """Whether a scheduled question is among them, as they are or as they were."""
    scheduled = Question.Status.SCHEDULED
    return any(
        question.status == scheduled or before_by_id.get(question.pk, {}).get("status") == scheduled
        for question in questions
    )


def _record_rewritten_answers(questions: list[Question], moves: dict[int, redirects.Move], *, by) -> None:
    """A version of each other answer whose links a move rewrote."""
    rewritten = {
        answer_id: question
        for question in questions
        if question.pk in moves
        for answer_id in moves[question.pk].rewritten_ids
    }
    written = {question.pk for question in questions}
    others = [pk for pk in rewritten if pk not in written]
    if others:
        note = history.links_rewritten_note(rewritten, others)
        history.record_versions(history.stored_questions(others), by=by, note=note)


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


def _reread_answers(questions: list[Question]) -> None:
    """Give the instances their answers as now stored."""
    stored = {
        pk: answer
        for chunk in chunks([question.pk for question in questions])
        for pk, answer in Question.objects.filter(pk__in=chunk).values_list("pk", "content")
    }
    for question in questions:
        question.content = stored.get(question.pk, question.content)


def _touch_categories(ids: list[int]) -> None:
    """A category's sitemap date: the newest change of one of its listed questions."""
    through = Question.categories.through
    newest: dict[int, datetime] = {}
    for chunk in chunks(ids):
        rows = through.objects.filter(listed_condition("question__"), question_id__in=chunk).values_list(
            "category_id", "question__modified_at"
        )
        for category_id, modified_at in rows:
            if category_id not in newest or modified_at > newest[category_id]:
                newest[category_id] = modified_at
    for category_id, modified_at in newest.items():
        Category.objects.filter(
            Q(last_modified__lt=modified_at) | Q(last_modified=None), pk=category_id
        ).update(last_modified=modified_at)


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
def _remember_archives(sender, instance: Question, **kwargs) -> None:
    instance._archive_entries = list(
        ArchiveEntry.objects.filter(question=instance).values_list("archive", "published_at")
    )


@receiver(post_delete, sender=Question)
def _question_deleted(sender, instance: Question, **kwargs) -> None:
    redirects.after_delete(instance)
    archives.renumber_after_delete(getattr(instance, "_archive_entries", []))
    search_index.forget([instance.pk])


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
    """Archives and related lists derived anew for every question (a site upgraded
    from before they existed, or after a repair by hand); returns how many."""
    ids = list(Question.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        archives.sync_questions(ids)
        related.derive_related(ids)
        _touch_categories(ids)
        search_index.rebuild()
        page_cache.site_changed(schedule_changed=True)  # repaired lists show at once
    return len(ids)


def derive_missing(**kwargs) -> None:
    """After `migrate`: a site whose questions predate the archives gets them, so an
    upgrade needs no step of its own. Two cheap queries when there is nothing to do."""
    listed = Question.objects.listed()
    if listed.exists() and not ArchiveEntry.objects.exists():
        rebuild_derived()
    elif search_index.out_of_step() or (listed.exists() and not SearchEntry.objects.exists()):
        search_index.rebuild()
