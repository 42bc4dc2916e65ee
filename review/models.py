"""ReviewNote: one step of a question's review, with its message: an author submitted
it (with a note for the editors) or an editor asked for changes (with a comment for
the author). Each also names the version the step saved, in its history note."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from faqs.models.question import Question


class ReviewNote(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes", "Changes requested"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_notes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["question", "-at"], name="review_note_question_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.question_id}"
