"""The review cycle (issue 20, point 3): every public answer is checked again a period
after its last review (or, never reviewed, after its publication): its categories'
shortest `review_every_months`, else the site's REVIEW_EVERY_MONTHS.

Due dates are not stored: "overdue" and "due soon" are one condition over the
question rows for each distinct period (a handful: the site's and the categories'),
so a change of period, in a category or in the environment, counts at once.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from faqs import publishing
from faqs.models import Category, Question

DUE_SOON = timedelta(days=30)
REVIEWED_NOTE = "Marked as reviewed"


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has no such day);
    date.min and date.max bound it (a period typed far too long is never due)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    if year < 1:
        return date.min
    if year > 9999:
        return date.max
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def months_after(day: date, months: int) -> date:
    return months_before(day, -months)


def latest_start(day: date, months: int) -> date:
    """The last date whose review, `months` later, is due on or before `day`. When
    `day` ends its month, every later day of the month before counts too: 31 August
    plus six months is 28 February (months_after clamps), due on 28 February."""
    start = months_before(day, months)
    if day.day == monthrange(day.year, day.month)[1] and date.min < start < date.max:
        start = start.replace(day=monthrange(start.year, start.month)[1])
    return start


def with_review_dates(questions: QuerySet) -> QuerySet:
    """Each question with `review_from` (its last review, else its publication date)
    and `review_months` (its categories' shortest period; None: the site's)."""
    shortest = (
        Category.objects.filter(questions=OuterRef("pk"), review_every_months__isnull=False)
        .values("questions")
        .annotate(months=Min("review_every_months"))
        .values("months")
    )
    return questions.annotate(
        review_from=Coalesce("last_reviewed", TruncDate("published_at")),
        review_months=Subquery(shortest[:1]),
    )


def _periods() -> list[int | None]:
    """None (the site's period) and every period a category sets."""
    set_by_categories = Category.objects.exclude(review_every_months=None).values_list(
        "review_every_months", flat=True
    )
    return [None, *sorted(set(set_by_categories))]


def due_by(day: date) -> Q:
    """Questions (annotated by `with_review_dates()`) whose next review falls on or
    before `day`."""
    condition = Q(pk__in=[])
    for months in _periods():
        period = settings.REVIEW_EVERY_MONTHS if months is None else months
        if not period:
            continue  # 0: this period's questions are never due
        condition |= Q(review_months=months, review_from__lte=latest_start(day, period))
    return condition


def overdue(today: date | None = None) -> QuerySet:
    """Public questions whose review date has passed (due before today)."""
    today = today or timezone.localdate()
    return with_review_dates(Question.objects.published()).filter(due_by(today - timedelta(days=1)))


def due_soon(today: date | None = None) -> QuerySet:
    """Public questions due today or within the next 30 days, not yet overdue."""
    today = today or timezone.localdate()
    reviewed = with_review_dates(Question.objects.published())
    return reviewed.filter(due_by(today + DUE_SOON)).exclude(due_by(today - timedelta(days=1)))


@dataclass(frozen=True)
class Due:
    question: Question
    due_on: date


def next_review(question: Question) -> date | None:
    """When a question (annotated by `with_review_dates()`) is due again."""
    period = settings.REVIEW_EVERY_MONTHS if question.review_months is None else question.review_months
    if not period or question.review_from is None:
        return None
    return months_after(question.review_from, period)


def schedule(questions: QuerySet) -> list[Due]:
    """The questions with their due dates, soonest first."""
    rows = [Due(question, next_review(question)) for question in questions.select_related("reviewed_by")]
    return sorted((row for row in rows if row.due_on), key=lambda row: (row.due_on, row.question.pk))


def reviewer_profile(user):
    """The user's own author profile, who a review they record names; None without one."""
    return getattr(user, "profile", None) if user is not None else None


def mark_reviewed(question: Question, user) -> None:
    """A review recorded: today's date and the user's own profile as the reviewer
    (readers see who checked it, so never someone else's name: the admin refuses a
    user without a profile). Content and the modified date stay as they are: a check
    that changes nothing is not an update to readers."""
    question.last_reviewed = timezone.localdate()
    question.reviewed_by = reviewer_profile(user)
    publishing.save_question(question, by=user, keep_modified=True, note=REVIEWED_NOTE)
