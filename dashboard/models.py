"""QuestionHealth: what the content health panel counts, stored per question when it
is saved (dashboard.facts.Facts, a deriver of the save path), so the panel reads a
narrow table instead of every answer's text."""

from __future__ import annotations

from django.db import models

from faqs.models.question import Question


class QuestionHealth(models.Model):
    class Description(models.TextChoices):
        MISSING = "missing", "No description at all"
        LONG = "long", "Meta description too long"
        FINE = "fine", "Fine"

    question = models.OneToOneField(
        Question, primary_key=True, on_delete=models.CASCADE, related_name="health"
    )
    answer_words = models.PositiveIntegerField()
    description = models.CharField(max_length=8, choices=Description.choices)
    # Digests of the title and meta description as compared ("" for no description):
    # equal digests are twins, found by one indexed GROUP BY.
    title_key = models.CharField(max_length=32, db_index=True)
    description_key = models.CharField(max_length=32, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["description"], name="health_description_idx")]

    def __str__(self) -> str:
        return f"health of {self.question_id}"
