"""What other parts of the site may ask of reader feedback (the home page's hubs)."""

from __future__ import annotations

from faqs.models import Question
from feedback.models import FeedbackCount

CANDIDATES_BEYOND_LIMIT = 20  # rows read past `limit`, for the ones no longer public


def most_helpful(limit: int) -> list[Question]:
    """Public questions with the most "helpful" votes, most first; ties go to the one
    with fewer "not helpful" votes, then to the newer question. Bounded: the counts'
    index gives the `limit` + CANDIDATES_BEYOND_LIMIT best rows and their questions
    are read by primary key and asked `is_public()` (a list with many of its best
    questions unpublished may come out shorter than `limit`)."""
    if limit <= 0:
        return []
    ranked = list(
        FeedbackCount.objects.filter(helpful__gt=0)
        .order_by("-helpful", "not_helpful", "-question_id")
        .values_list("question_id", flat=True)[: limit + CANDIDATES_BEYOND_LIMIT]
    )
    public = Question.objects.defer("content", "search_text").public_by_id(ranked)
    return [public[pk] for pk in ranked if pk in public][:limit]
