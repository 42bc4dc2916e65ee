"""Demo content for a newcomer's first `make run`: the old site's reference question
(WordPress id 549, loaded from its REST JSON) and a dozen questions written for
this project. Loading never overwrites: it does nothing unless the site is empty."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from django.db import transaction

from faqs import publishing
from faqs.models import Category, Question
from wordpress.importer import import_items
from wordpress.sources import SourceItem

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
REFERENCE_FILE = DEMO_DIR / "wp-faq-549.json"
QUESTIONS_FILE = DEMO_DIR / "questions.json"


def load_reference_question() -> Question:
    """The old site's question 549, through the WordPress importer."""
    data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    report = import_items([SourceItem(str(REFERENCE_FILE), "object", data)])
    if report.skipped:
        raise ValueError(f"the reference file did not import: {report.skipped}")
    return Question.objects.get(pk=data["id"])


def load_categories(entries: list[dict]) -> dict[str, Category]:
    by_slug: dict[str, Category] = {}
    for position, entry in enumerate(entries):
        category = Category(
            name=entry["name"],
            slug=entry["slug"],
            description=entry.get("description", ""),
            parent=by_slug.get(entry.get("parent") or ""),
            ordering=position,
        )
        publishing.save_category(category)
        by_slug[entry["slug"]] = category
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
    publishing.save_question(
        question,
        categories=[categories[slug] for slug in entry.get("categories", [])],
        tags=entry.get("tags", []),
        keep_modified=True,
    )
    return question


@transaction.atomic
def load_demo() -> int:
    """Load the demo site when there is no question yet; returns how many were loaded."""
    if Question.objects.exists() or Category.objects.exists():
        return 0
    demo = json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))
    categories = load_categories(demo["categories"])
    loaded = [load_demo_question(entry, categories) for entry in demo["questions"]]
    loaded.append(load_reference_question())
    return len(loaded)
