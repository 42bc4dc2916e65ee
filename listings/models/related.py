"""RelatedQuestion: the questions shown under a question, derived when what they
depend on changes (listings.related), never computed per request."""

from __future__ import annotations

from django.db import models

from faqs.models.question import Question


class RelatedQuestion(models.Model):
    """`related` is worth reading after `question`: linked either way (2 points), plus
    a point for each category and tag they share. Whether `related` is public is
    asked when the page is shown, so a question unpublished after the list was
    derived never appears."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="related_entries")
    related = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="related_to_entries")
    score = models.PositiveIntegerField()

    class Meta:
        db_table = "faqs_relatedquestion"  # kept from when it was part of faqs
        constraints = [
            models.UniqueConstraint(fields=["question", "related"], name="faq_related_pair_once"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} → {self.related_id} ({self.score})"
