"""Source: what an answer relies on (an exam body's handbook, a fee schedule), in the
order the editor gives them: shown under the answer as "Sources" and in the page's
graph as its citations (issue 20). Written with the question, through its form."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

from faqs.models.question import Question

# A source checked longer ago than this may have moved on (a new fee, a new rule):
# the editor is warned.
STALE_AFTER = timedelta(days=365)


class Source(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sources are listed from the lowest number."
    )
    title = models.CharField(max_length=300, help_text="E.g. “CMA (AAMA) Exam Candidate Handbook”.")
    url = models.URLField("address", max_length=500, validators=[URLValidator(schemes=["http", "https"])])
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who publishes it, e.g. “American Association of Medical Assistants”.",
    )
    checked_on = models.DateField(
        "last checked",
        null=True,
        blank=True,
        help_text="When someone last made sure the source still says what the answer says.",
    )

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["question", "position"], name="source_question_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def web_url(self) -> str:
        """The address when it is a web page's: a javascript: or data: one written past
        the form (a shell, an old import) is never linked."""
        return self.url if self.url.startswith(("https://", "http://")) else ""

    def is_stale(self, today: date | None = None) -> bool:
        """Never checked, or checked over a year ago."""
        today = today or timezone.localdate()
        return self.checked_on is None or today - self.checked_on > STALE_AFTER
