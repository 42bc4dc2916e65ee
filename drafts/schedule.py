"""Draft changes set to go live at a time, with no cron, as scheduled questions do: the
page cache's stamp carries the earliest such time (http_cache.stamp.on_schedule), so
the first request after it, on any worker, finds the stamp due; before renewing it,
the stamp calls `publish_due()`, which publishes what has come due. Two workers that
come at once cannot both publish one change: each claims it by deleting its row, and
only the one whose delete removed it writes."""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from drafts import changes
from drafts.models import PendingChange
from http_cache import stamp

logger = logging.getLogger(__name__)
BATCH = 50  # at most this many changes published by one request; the next takes the rest


def next_due() -> float | None:
    """When the earliest scheduled change goes live (one indexed read), or None."""
    due = (
        PendingChange.objects.filter(go_live_at__isnull=False)
        .order_by("go_live_at")
        .values_list("go_live_at", flat=True)
        .first()
    )
    return due.timestamp() if due else None


def publish_if_due() -> int:
    """`publish_due()` when the stamp says something has come due (or cannot say): for
    the admin's pages, which read no stamp of their own. Reading it costs no query."""
    current = stamp.stored()
    if current is not None and current.is_current(timezone.now().timestamp()):
        return 0
    return publish_due()


def publish_due() -> int:
    """Publish every pending change whose time has come; returns how many this call
    published. A change another worker published meanwhile is skipped."""
    now = timezone.now()
    due = PendingChange.objects.filter(go_live_at__lte=now).order_by("go_live_at")
    published = 0
    for question_id, mark in due.values_list("question_id", "mark")[:BATCH]:
        try:
            published += _publish_one(question_id, mark, now)
        except DatabaseError:  # a lock or a dropped connection: the next request tries again
            logger.exception("Draft changes to question %s could not be published yet", question_id)
        except Exception:  # one bad change must not keep the others (or the page) back
            logger.exception("Draft changes to question %s could not be published", question_id)
            # Kept as an unscheduled draft for an editor: left due, it would keep the
            # stamp due, and every page unkept, until it could be published.
            unschedule(question_id, mark)
    return published


def unschedule(question_id: int, mark: int) -> None:
    PendingChange.objects.filter(question_id=question_id, mark=mark).update(go_live_at=None)


@transaction.atomic
def _publish_one(question_id: int, mark: int, now) -> int:
    change = PendingChange.objects.filter(question_id=question_id, mark=mark, go_live_at__lte=now).first()
    if change is None:
        return 0
    if changes.live_moved_on(change):
        # Written since the draft was saved (a bulk action, a restore, an import):
        # publishing would undo that unseen. Kept for an editor, who sees why on the form.
        logger.warning(
            "Draft changes to question %s not published: the live question changed since", question_id
        )
        unschedule(question_id, mark)
        return 0
    # The claim: of two workers here at once, one deletes the row, the other waits on
    # its lock and then deletes nothing.
    claimed, _ = PendingChange.objects.filter(question_id=question_id, mark=mark).delete()
    if not claimed:
        return 0
    changes.publish(change, by=change.saved_by, note=changes.SCHEDULED_NOTE)
    return 1
