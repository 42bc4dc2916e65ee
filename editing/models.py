"""EditingPresence: who has a question's change form open, as a short-lived mark.

Kept in the database, not the cache: with the default local-memory cache each
gunicorn worker would see only its own marks. A mark nobody renews expires by
itself (readers ignore it after PRESENCE_SECONDS; the next write clears it away)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from faqs.models.question import Question

PRESENCE_SECONDS = 60  # the form renews its mark every 20 s while it is open


class EditingPresenceQuerySet(models.QuerySet):
    def current(self) -> EditingPresenceQuerySet:
        return self.filter(seen_at__gt=timezone.now() - timedelta(seconds=PRESENCE_SECONDS))


class EditingPresence(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    objects = EditingPresenceQuerySet.as_manager()

    class Meta:
        db_table = "faqs_editingpresence"  # kept from when it was part of faqs
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="faq_presence_once")]
        indexes = [models.Index(fields=["seen_at"], name="faq_presence_seen_idx")]

    def __str__(self) -> str:
        return f"{self.user} on {self.question_id}"
