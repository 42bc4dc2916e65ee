"""A live question's draft changes: kept, read back, previewed, published, dropped.

A pending change is a history snapshot of the question as the editor left it (its
fields, category ids and tag names). Publishing it writes those onto the live row
through the one save path (faqs.publishing), so links, redirects, archives, search,
history and the page cache follow as after any save; until then nothing readers see
(the page, wp-json, the sitemap, the feed) or the importer reads has changed.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import replace

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from taggit.models import Tag
from taggit.utils import parse_tags

from drafts.models import PendingChange
from faqs.models import Category, Question
from faqs.publishing import save_question
from faqs.site import slug_path
from history.versions import RESTORED_FIELDS, Snapshot, latest_version_id
from http_cache import stamp

# What a draft may change: what readers read and the SEO fields. The status and the
# publication date stay the live question's: publishing, unpublishing and scheduling
# the question itself are the form's plain Save.
DRAFTED_FIELDS = tuple(name for name in RESTORED_FIELDS if name not in ("status", "published_at"))
PUBLISHED_NOTE = "Draft changes published"
SCHEDULED_NOTE = "Draft changes published at their set time"


class UnreadableDraft(ValueError):
    """A pending change whose data cannot be read: never published."""


def pending_for(question: Question) -> PendingChange | None:
    """The question's pending change, read once per question object."""
    if question.pk is None:
        return None
    if not hasattr(question, "_pending_change_read"):
        question._pending_change_read = PendingChange.objects.filter(question=question.pk).first()
    return question._pending_change_read


def snapshot_of(change: PendingChange) -> Snapshot | None:
    """The draft as saved; None when its data cannot be read (edited by hand, cut
    short): such a draft is never applied, shown or published, the live row stays."""
    try:
        document = json.loads(change.snapshot)[0]
        if not isinstance(document.get("fields", {}).get("title"), str):
            return None
    except (ValueError, TypeError, LookupError, AttributeError):
        return None
    return Snapshot.from_serialized(change.snapshot)


def mark_of(change: PendingChange | None) -> int:
    """The mark a form opened on `change` carries (0: no draft)."""
    return change.mark if change is not None else 0


def live_moved_on(change: PendingChange) -> bool:
    """Whether the live question was written (a new version) since the draft was saved."""
    return change.based_on is not None and latest_version_id(change.question_id) != change.based_on


def live_url(question: Question) -> str:
    """The public address of the live question (a draft may move its slug)."""
    slug = getattr(question, "_stored_slug", None) or question.slug
    return slug_path("faqs:question", slug)


def apply(question: Question, snapshot: Snapshot) -> None:
    """Write the draft's fields onto `question` (not saved)."""
    for name in DRAFTED_FIELDS:
        setattr(question, name, getattr(snapshot, name))


def drafted(question: Question, category_ids, tag_names) -> Snapshot:
    """The snapshot of `question` as an editor left it on the form (its answer
    sanitised as a save would), with the form's categories and tags."""
    shown = copy.copy(question)
    shown.prepare_content()
    return Snapshot(
        **{name: getattr(shown, name) for name in (*DRAFTED_FIELDS, "status", "published_at", "modified_at")},
        category_ids=tuple(sorted(category_ids)),
        tags=tuple(sorted(tag_names, key=str.casefold)),
    )


@transaction.atomic
def keep(question: Question, snapshot: Snapshot, *, by, go_live_at=None) -> PendingChange:
    """Keep `snapshot` as the question's pending change (replacing any), to go live at
    `go_live_at` if given. The live row is not written."""
    pending = PendingChange.objects.select_for_update().filter(question=question.pk).first()
    was_scheduled = pending is not None and pending.go_live_at is not None
    if pending is None:
        pending = PendingChange(question=question, edits=0)
    pending.snapshot = snapshot.serialized(question.pk)
    pending.saved_by = by if by is not None and by.is_authenticated else None
    pending.saved_at = timezone.now()
    pending.edits += 1
    pending.mark = max(time.time_ns() // 1000, pending.mark + 1)
    pending.based_on = latest_version_id(question.pk)
    pending.go_live_at = go_live_at
    pending.save()
    question._pending_change_read = pending
    if was_scheduled or go_live_at is not None:
        stamp.site_changed(schedule_changed=True)  # the stamp must come due at the new time
    return pending


@transaction.atomic
def discard(change: PendingChange) -> None:
    change.delete()
    if change.go_live_at is not None:
        stamp.site_changed(schedule_changed=True)


def dropped_after_save(question: Question) -> bool:
    """After the form's plain Save wrote the question (the draft's values were in the
    form): the pending change is done. Returns whether there was one."""
    change = pending_for(question)
    if change is None:
        return False
    discard(change)
    question._pending_change_read = None
    return True


@transaction.atomic
def publish(change: PendingChange, *, by=None, note: str = PUBLISHED_NOTE):
    """Write the pending change onto the live question through the save path, and
    drop it. Returns the save's move (a public question's new address), if any."""
    question = Question.objects.get(pk=change.question_id)
    snapshot = snapshot_of(change)
    if snapshot is None:
        raise UnreadableDraft(f"The draft changes to question {change.question_id} cannot be read.")
    if Question.objects.filter(slug=snapshot.slug).exclude(pk=question.pk).exists():
        snapshot = replace(snapshot, slug=question.slug)  # taken since: stay put
    apply(question, snapshot)
    categories = list(Category.objects.filter(pk__in=snapshot.category_ids))
    change.delete()
    return save_question(question, categories=categories, tags=list(snapshot.tags), by=by, note=note)


def previewed(question: Question) -> dict | None:
    """The question as its pending change would show it, for a staff preview: the row
    with the draft applied (nothing saved), its categories and its tags (a tag not yet
    made is shown as it will be); None when it has no pending change."""
    change = pending_for(question)
    snapshot = snapshot_of(change) if change is not None else None
    if snapshot is None:
        return None
    shown = copy.copy(question)
    apply(shown, snapshot)
    shown.prepare_content()
    categories = list(Category.objects.filter(pk__in=snapshot.category_ids).order_by("name"))
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=snapshot.tags)}
    tags = [
        existing.get(name) or Tag(name=name, slug=Tag().slugify(name) or "new-tag") for name in snapshot.tags
    ]
    return {"question": shown, "change": change, "categories": categories, "tags": tags}


def tag_names(value) -> list[str]:
    """The form's tags as names, whether taggit's field gave a list or a string."""
    return parse_tags(value) if isinstance(value, str) else [str(name) for name in value or ()]


def with_draft_marks(questions: QuerySet) -> QuerySet:
    """`questions` with `has_draft_changes` (a subquery of the list's own query)."""
    return questions.annotate(has_draft_changes=Exists(PendingChange.objects.filter(question=OuterRef("pk"))))
