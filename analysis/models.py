"""QuestionAnalysis: a question's content analysis as of its last save (analysis.stored,
a deriver of the save path): the two overall ratings the question list and the content
health panel filter and count by, and which checks were not good. The checks' texts
are made again where they are read (the form, `content_report`): the module is fast,
and a stored sentence would go stale when a check's wording improves."""

from __future__ import annotations

from django.db import models

from faqs.models.question import Question


class QuestionAnalysis(models.Model):
    class Rating(models.TextChoices):
        GOOD = "good", "Good"
        OK = "ok", "OK"
        BAD = "bad", "Needs improvement"

    question = models.OneToOneField(
        Question, primary_key=True, on_delete=models.CASCADE, related_name="analysis"
    )
    seo = models.CharField("SEO", max_length=4, choices=Rating.choices)
    readability = models.CharField(max_length=4, choices=Rating.choices)
    # The checks not rated good, as "id:rating" separated by spaces ("keyphraseDensity:bad").
    problems = models.TextField(blank=True)
    # The focus keyphrase as compared (its words, lower-cased): another question with the
    # same one is found by an index (the previouslyUsedKeywords check).
    keyphrase = models.CharField(max_length=191, blank=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["seo"], name="analysis_seo_idx"),
            models.Index(fields=["readability"], name="analysis_readability_idx"),
        ]

    def __str__(self) -> str:
        return f"analysis of {self.question_id}"
