"""Large test sites in one bulk import: the WordPress importer's path (rows inserted in
batches, every derived table written once for all of them) instead of one save per
question. For tests that need many questions, not a test of how one is saved."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from faqs.models import Question
from tests.wordpress.wordpress_items import faq_item
from wordpress.importer import import_items
from wordpress.sources import SourceItem

_sequence = itertools.count(1)


def wordpress_time(moment: datetime) -> str:
    """A `date_gmt` as WordPress writes it: UTC, to the second, no zone."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def site_item(question_id: int, title: str, published_at: datetime | None, tags: list[str]) -> dict:
    """A published faq item shaped as make_question() would save it: the slug from the
    title, the answer in two sentences, published yesterday unless told otherwise."""
    number = next(_sequence)
    moment = wordpress_time(published_at or timezone.now() - timedelta(days=1))
    return faq_item(
        question_id,
        slug="",
        link="",
        title={"rendered": title},
        content={"rendered": f"<p>The answer to bulk question {number}. It has two sentences.</p>"},
        date=moment,
        date_gmt=moment,
        modified=moment,
        modified_gmt=moment,
        certfaq={"tags": tags},
    )


def import_questions(
    titles: list[str], *, published_at: list[datetime] | None = None, tags=()
) -> list[Question]:
    """Published questions with these titles (and publication times, and tags on each),
    made by one import; returned in the order of `titles`."""
    first_id = (Question.objects.aggregate(Max("id"))["id__max"] or 0) + 1
    times = published_at or [None] * len(titles)
    items = [
        SourceItem("bulk site", f"item {n}", site_item(first_id + n, title, moment, list(tags)))
        for n, (title, moment) in enumerate(zip(titles, times, strict=True))
    ]
    report = import_items(items)
    assert not report.skipped and len(report.created) == len(titles), report.summary()
    by_id = Question.objects.in_bulk(report.created)
    return [by_id[question_id] for question_id in report.created]
