"""A realistic handful of reader votes on the demo questions (wordpress.demo.load_demo
calls it last), so the question list, the form's box and the report show something."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from faqs.models import Question
from feedback import votes
from feedback.models import Vote

# slug → (helpful votes, [(reason, comment) of each "not helpful" vote])
DEMO_VOTES = {
    "how-many-times-can-you-retake-the-cma-exam": (
        9,
        [(Vote.Reason.OUTDATED, "The retake fee changed this year."), (Vote.Reason.UNCLEAR, "")],
    ),
    "what-is-the-passing-score-for-the-ptcb-exam": (
        6,
        [(Vote.Reason.MISSING, "How is the score scaled? Please explain."), ("", "")],
    ),
    "how-many-questions-are-on-the-nclex": (
        4,
        [
            (Vote.Reason.OUTDATED, "Next Generation NCLEX has a different number of questions."),
            (Vote.Reason.OUTDATED, ""),
            (Vote.Reason.WRONG, "The minimum is 85, not 75."),
        ],
    ),
    "what-are-the-pmp-eligibility-requirements": (3, []),
    "how-hard-is-the-ptcb-exam": (2, [(Vote.Reason.UNCLEAR, "Too long, get to the point.")]),
}


def add_demo_votes() -> int:
    """Votes of the last few days on the demo questions that exist; returns how many."""
    questions = Question.objects.filter(slug__in=DEMO_VOTES).only("pk", "slug")
    now, added = timezone.now(), 0
    for question in questions:
        helpful, not_helpful = DEMO_VOTES[question.slug]
        for number in range(helpful):
            votes.add_vote(question, True, at=now - timedelta(hours=5 * number + 1))
            added += 1
        for number, (reason, comment) in enumerate(not_helpful):
            votes.add_vote(
                question, False, reason=reason, comment=comment, at=now - timedelta(hours=7 * number + 2)
            )
            added += 1
    return added
