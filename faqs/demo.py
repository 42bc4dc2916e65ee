"""Demo content for a newcomer's first `make run`: the old site's reference question
(WordPress id 549, loaded from its REST JSON) and a dozen questions written for
this project. Loading never overwrites: it does nothing unless the site is empty."""

from __future__ import annotations

import html
import json
from datetime import datetime
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, transaction

from faqs.models import Category, Question

DEMO_DIR = Path(__file__).resolve().parent / "demo"
REFERENCE_FILE = DEMO_DIR / "wp-faq-549.json"
QUESTIONS_FILE = DEMO_DIR / "questions.json"

WORDPRESS_STATUSES = {
    "publish": Question.Status.PUBLISHED,
    "future": Question.Status.SCHEDULED,
    "draft": Question.Status.DRAFT,
    "pending": Question.Status.DRAFT,
    "private": Question.Status.PRIVATE,
}


def wordpress_gmt(value: str) -> datetime:
    """WordPress's *_gmt fields carry no offset; they are UTC."""
    return datetime.fromisoformat(value + "+00:00")


def load_wordpress_question(item: dict) -> Question:
    """One question from a WordPress REST `faq` object, keeping its id, slug and dates.

    A deliberately small loader for the demo; the full importer handles terms,
    updates and malformed input."""
    question = Question(
        id=item["id"],
        slug=item["slug"],
        title=html.unescape(item["title"]["rendered"]),
        content=item["content"]["rendered"],
        status=WORDPRESS_STATUSES.get(item["status"], Question.Status.DRAFT),
        published_at=wordpress_gmt(item["date_gmt"]),
        modified_at=wordpress_gmt(item["modified_gmt"]),
        wp_guid=html.unescape(item["guid"]["rendered"]),
    )
    question.save(keep_modified=True)
    return question


def reset_id_sequences() -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's sequences past
    them so the next question an editor creates does not collide. SQLite needs nothing."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Question, Category])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def load_categories(entries: list[dict]) -> dict[str, Category]:
    by_slug: dict[str, Category] = {}
    for position, entry in enumerate(entries):
        by_slug[entry["slug"]] = Category.objects.create(
            name=entry["name"],
            slug=entry["slug"],
            description=entry.get("description", ""),
            parent=by_slug.get(entry.get("parent") or ""),
            ordering=position,
        )
    return by_slug


def load_demo_question(entry: dict, categories: dict[str, Category]) -> Question:
    question = Question(
        title=entry["title"],
        slug=entry["slug"],
        content=entry["content"],
        excerpt=entry.get("excerpt", ""),
        status=Question.Status.PUBLISHED,
        published_at=datetime.fromisoformat(entry["published_at"]),
        modified_at=datetime.fromisoformat(entry.get("modified_at") or entry["published_at"]),
    )
    question.save(keep_modified=True)
    question.categories.set([categories[slug] for slug in entry.get("categories", [])])
    question.tags.set(entry.get("tags", []))
    return question


@transaction.atomic
def load_demo() -> int:
    """Load the demo site when there is no question yet; returns how many were loaded."""
    if Question.objects.exists() or Category.objects.exists():
        return 0
    demo = json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))
    categories = load_categories(demo["categories"])
    loaded = [load_demo_question(entry, categories) for entry in demo["questions"]]
    loaded.append(load_wordpress_question(json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))))
    reset_id_sequences()
    return len(loaded)
