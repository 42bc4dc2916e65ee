"""Restoring a version: its fields, categories and tags written back through the save
path (faqs.publishing.save_question), as a new version."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from faqs.models import Category, Question
from faqs.publishing import save_question
from history import versions as history


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
