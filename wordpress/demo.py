"""Demo content for a newcomer's first `make run`: the old site's reference question
(WordPress id 549, loaded from its REST JSON) and a dozen questions written for
this project. Loading never overwrites: it does nothing unless the site is empty."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from faqs import publishing
from faqs.models import Category, Question
from feedback.demo import add_demo_votes
from media.uploads import store_upload
from people.models import Person
from site_pages.pages import add_missing_pages
from sources.models import Source
from wordpress.importer import import_items
from wordpress.sources import SourceItem

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
REFERENCE_FILE = DEMO_DIR / "wp-faq-549.json"
QUESTIONS_FILE = DEMO_DIR / "questions.json"
SITE_PAGES_FILE = DEMO_DIR / "site_pages.json"  # About, Editorial policy, Contact…
PEOPLE_FILE = DEMO_DIR / "people.json"  # authors, reviewers, reviews and sources (issue 20)


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


def add_demo_credits() -> None:
    """Authors and reviewers with credentials, bylines, review dates (one long overdue)
    and sources on the demo questions; the reference question keeps none, as imported."""
    demo = json.loads(PEOPLE_FILE.read_text(encoding="utf-8"))
    people = {entry["slug"]: Person.objects.create(**entry) for entry in demo["people"]}
    for slug, credit in demo["credits"].items():
        question = Question.objects.get(slug=slug)
        question.written_by = people.get(credit.get("written_by"))
        question.reviewed_by = people.get(credit.get("reviewed_by"))
        reviewed = credit.get("last_reviewed")
        question.last_reviewed = date.fromisoformat(reviewed) if reviewed else None
        Source.objects.bulk_create(
            Source(
                question=question,
                position=position,
                title=source["title"],
                url=source["url"],
                publisher=source.get("publisher", ""),
                checked_on=date.fromisoformat(source["checked_on"]) if source.get("checked_on") else None,
            )
            for position, source in enumerate(credit.get("sources", []), start=1)
        )
        publishing.save_question(question, keep_modified=True)  # after its sources: the page shows them


FEATURED_SLUG = "how-many-times-can-you-retake-the-cma-exam"


def retake_chart() -> bytes:
    """The demo's picture, drawn here (no binary in the repository): the CMA exam's
    attempts and the wait before each, as a bar chart, 1,600 × 900 PNG."""
    from PIL import Image as Picture
    from PIL import ImageDraw, ImageFont

    picture = Picture.new("RGB", (1600, 900), (246, 248, 251))
    draw = ImageDraw.Draw(picture)
    title, label = ImageFont.load_default(size=64), ImageFont.load_default(size=44)
    draw.text((100, 70), "CMA (AAMA) exam: three attempts", fill=(20, 33, 61), font=title)
    bars = [
        ("1st attempt", 560, (29, 78, 216)),
        ("2nd attempt", 420, (37, 99, 235)),
        ("3rd attempt", 280, (96, 165, 250)),
    ]
    for number, (name, height, colour) in enumerate(bars):
        left = 180 + number * 460
        draw.rectangle((left, 800 - height, left + 300, 800), fill=colour)
        draw.text((left, 820), name, fill=(20, 33, 61), font=label)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def add_demo_image() -> None:
    """A featured image on one demo question (issue 21): the library's upload path, so
    the demo shows renditions, og:image and the page's <picture> at once."""
    chart = SimpleUploadedFile("cma-retake-attempts.png", retake_chart(), content_type="image/png")
    image = store_upload(
        chart,
        title="CMA retake attempts",
        alt_text="Bar chart: the CMA (AAMA) exam allows three attempts before a new eligibility route",
        caption="Three attempts, then further steps before a fourth.",
        credit="Certilyst",
    )
    question = Question.objects.get(slug=FEATURED_SLUG)
    question.featured_image = image
    publishing.save_question(question, keep_modified=True)


@transaction.atomic
def load_demo() -> int:
    """Load the demo site when there is no question yet; returns how many were loaded."""
    if Question.objects.exists() or Category.objects.exists():
        return 0
    demo = json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))
    categories = load_categories(demo["categories"])
    loaded = [load_demo_question(entry, categories) for entry in demo["questions"]]
    loaded.append(load_reference_question())
    add_demo_credits()
    add_demo_image()
    add_missing_pages(json.loads(SITE_PAGES_FILE.read_text(encoding="utf-8"))["pages"])
    add_demo_votes()  # readers' votes, for the question list, its form and the report
    return len(loaded)
