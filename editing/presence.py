"""Who else has this question open: the change form renews a presence mark while it
is open and shows the other editors' marks (editing.models). No lock: the
stale-save check refuses the later of two saves; this only warns before it comes to that."""

from __future__ import annotations

from datetime import timedelta

from django.http import JsonResponse
from django.utils import timezone

from editing.models import PRESENCE_SECONDS, EditingPresence
from faqs.models import Question
from faqs.models.question import whole_seconds


def others_editing(question: Question, user) -> list[dict]:
    """The other editors with a current mark on `question`, earliest first."""
    marks = EditingPresence.objects.current().filter(question=question).exclude(user=user)
    return [
        {"name": mark.user.get_full_name() or mark.user.get_username(),
         "since": timezone.localtime(mark.opened_at).strftime("%H:%M")}
        for mark in marks.select_related("user").order_by("opened_at")
    ]  # fmt: skip


def mark(question: Question, user) -> None:
    """This user has the form open now (a new mark keeps its opening time)."""
    now = whole_seconds(timezone.now())
    updated = EditingPresence.objects.filter(question=question, user=user, seen_at__gt=_expiry()).update(
        seen_at=now
    )
    if not updated:
        EditingPresence.objects.update_or_create(
            question=question, user=user, defaults={"opened_at": now, "seen_at": now}
        )
    EditingPresence.objects.filter(seen_at__lte=_expiry()).delete()  # marks nobody renews


def leave(question: Question, user) -> None:
    EditingPresence.objects.filter(question=question, user=user).delete()


def _expiry():
    return timezone.now() - timedelta(seconds=PRESENCE_SECONDS)


def presence_response(request, question: Question) -> JsonResponse:
    """POST: renew this user's mark (or drop it with leave=1); answer who else is here."""
    if request.POST.get("leave"):
        leave(question, request.user)
        return JsonResponse({"others": []})
    mark(question, request.user)
    return JsonResponse({"others": others_editing(question, request.user)})
