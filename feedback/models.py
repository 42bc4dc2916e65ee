"""What readers said under an answer: one `Vote` a counted click of "Was this helpful?",
amended by its optional reason and text, and `FeedbackCount`, each question's two
totals kept true by the one writer (feedback.votes), so the question list shows and
filters by them with a join instead of counting every vote of every row shown.

Nothing about the reader is kept: no address, user agent, cookie, session or user (the
tables have no such column). Telling a repeated vote apart happens in the cache, under
a salted hash that expires (feedback.votes)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from faqs.models import Question

COMMENT_MAX_CHARS = 500


class VoteQuerySet(models.QuerySet):
    def not_helpful(self) -> VoteQuerySet:
        return self.filter(helpful=False)

    def since(self, moment) -> VoteQuerySet:
        return self.filter(created_at__gte=moment)

    def this_month(self) -> VoteQuerySet:
        """Votes since the first of this month, local time (the report's period)."""
        return self.since(month_start())


def month_start():
    now = timezone.localtime()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class Vote(models.Model):
    class Reason(models.TextChoices):
        OUTDATED = "outdated", "Outdated"
        UNCLEAR = "unclear", "Unclear"
        WRONG = "wrong", "Wrong"
        MISSING = "missing", "Missing information"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="feedback_votes")
    helpful = models.BooleanField(help_text="The reader's answer to “Was this helpful?”.")
    reason = models.CharField(
        max_length=10,
        choices=Reason.choices,
        blank=True,
        help_text="Why the answer did not help, when the reader said (only asked after “No”).",
    )
    comment = models.TextField(
        max_length=COMMENT_MAX_CHARS,
        blank=True,
        help_text="What the reader wrote, if anything: shown as typed, never published.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = "reader vote"
        verbose_name_plural = "reader votes"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["question", "-created_at"], name="feedback_vote_question_idx")]

    def __str__(self) -> str:
        return f"{'Helpful' if self.helpful else 'Not helpful'} · {self.question_id}"


class FeedbackCount(models.Model):
    """A question's totals of helpful and not helpful votes, counted when a vote is
    (feedback.votes.record_vote), one row a question with any vote."""

    question = models.OneToOneField(
        Question, primary_key=True, on_delete=models.CASCADE, related_name="feedback_count"
    )
    helpful = models.PositiveIntegerField(default=0)
    not_helpful = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "feedback count"
        indexes = [
            models.Index(fields=["-helpful", "not_helpful"], name="feedback_most_helpful_idx"),
            models.Index(fields=["-not_helpful"], name="feedback_not_helpful_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.helpful} helpful, {self.not_helpful} not helpful"
