"""Demo content for a newcomer's first `make run`: the old site's reference question
(WordPress id 549, loaded from its REST JSON) and a dozen questions written for
this project. Loading never overwrites: it does nothing unless the site is empty."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from html import escape
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


def timeline_chart() -> bytes:
    """An answer's picture: the wait between attempts as a timeline, 1,600 × 500 PNG."""
    from PIL import Image as Picture
    from PIL import ImageDraw, ImageFont

    picture = Picture.new("RGB", (1600, 500), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    label = ImageFont.load_default(size=40)
    draw.line((120, 250, 1480, 250), fill=(148, 163, 184), width=8)
    steps = [(120, "Attempt"), (570, "Wait ~30 days"), (1020, "Reapply"), (1480, "Next attempt")]
    for x, name in steps:
        draw.ellipse((x - 28, 222, x + 28, 278), fill=(29, 78, 216))
        width = draw.textlength(name, font=label)
        left = min(max(20, x - width / 2), 1580 - width)
        draw.text((left, 310), name, fill=(20, 33, 61), font=label)
    return _png(picture)


def score_report_chart() -> bytes:
    """An answer's picture: a sample score report by content area, 1,600 × 700 PNG."""
    from PIL import Image as Picture
    from PIL import ImageDraw, ImageFont

    picture = Picture.new("RGB", (1600, 700), (246, 248, 251))
    draw = ImageDraw.Draw(picture)
    label = ImageFont.load_default(size=44)
    areas = [("General", 72), ("Administrative", 58), ("Clinical", 81)]
    for row, (name, score) in enumerate(areas):
        top = 100 + row * 190
        draw.text((80, top + 20), name, fill=(20, 33, 61), font=label)
        draw.rectangle(
            (520, top, 520 + score * 10, top + 100), fill=(29, 78, 216) if score >= 70 else (220, 38, 38)
        )
        draw.text((540 + score * 10, top + 20), f"{score}%", fill=(20, 33, 61), font=label)
    return _png(picture)


def _png(picture) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


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
    return _png(picture)


def add_demo_image() -> None:
    """A featured image and two images in the answer, with captions, on one demo question
    (issue 21): the library's upload path, so the demo shows renditions, og:image and
    the page's responsive pictures at once."""
    featured = store_upload(
        SimpleUploadedFile("cma-retake-attempts.png", retake_chart(), content_type="image/png"),
        title="CMA retake attempts",
        alt_text="Bar chart: the CMA (AAMA) exam allows three attempts before a new eligibility route",
        caption="Three attempts, then further steps before a fourth.",
        credit="Certilyst",
    )
    timeline = store_upload(
        SimpleUploadedFile("cma-retake-timeline.png", timeline_chart(), content_type="image/png"),
        title="CMA retake timeline",
        alt_text="Timeline: attempt, a wait of about 30 days, a new application, then the next attempt",
        credit="Certilyst",
    )
    report = store_upload(
        SimpleUploadedFile("cma-score-report.png", score_report_chart(), content_type="image/png"),
        title="CMA score report by content area",
        alt_text="Bar chart of a sample score report: general 72%, administrative 58%, clinical 81%",
        credit="Certilyst",
    )
    question = Question.objects.get(slug=FEATURED_SLUG)
    question.featured_image = featured
    question.content = with_figure_after(
        question.content,
        "rather than simply waiting it out.</p>",
        timeline,
        "About 30 days between attempts, then a new application.",
    )
    question.content = with_figure_after(
        question.content,
        "<h3>Making the next attempt count</h3>",
        report,
        "A sample score report: the weakest area is where the next attempt gains most.",
    )
    publishing.save_question(question, keep_modified=True)


def with_figure_after(html: str, marker: str, image, caption: str) -> str:
    """The answer with a library figure, as the editor's image button inserts it, right
    after `marker` (at the end when the answer no longer holds it)."""
    figure = (
        f'<figure class="figure"><img src="{image.file.url}" alt="{escape(image.alt)}" '
        f'data-file="{image.pk}"><figcaption>{escape(caption)}</figcaption></figure>'
    )
    at = html.find(marker)
    if at < 0:
        return html + figure
    at += len(marker)
    return html[:at] + figure + html[at:]


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
