"""Write the whole site as WordPress REST JSON that `import_wordpress` reads back.

Questions of every status are written (an export is a backup, not the public API),
500 to a file; certfaq's own fields that WordPress has no place for ride along in a
`certfaq` object on each item, so a round trip loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

from faqs.models import Category, Question
from links.redirects import redirects
from wordpress import representation, shapes

ITEMS_PER_FILE = 500


def export_site(directory: Path) -> tuple[int, int]:
    """Write faq-categories.json and faq/faq-NNNN.json under `directory`; returns
    (questions, categories) written."""
    directory.mkdir(parents=True, exist_ok=True)
    categories = export_categories(directory / f"{shapes.TAXONOMY}.json")
    export_redirects(directory / "redirects.json")
    (directory / "faq").mkdir(exist_ok=True)
    for stale in (directory / "faq").glob("faq-*.json"):  # a smaller site writes fewer files
        stale.unlink()
    questions = (
        Question.objects.with_credits()
        .select_related("author")
        .prefetch_related("categories", "tags")
        .order_by("pk")
    )
    written, batch, number = 0, [], 1
    for question in questions.iterator(chunk_size=ITEMS_PER_FILE):
        batch.append(question_export_json(question))
        if len(batch) == ITEMS_PER_FILE:
            _write(directory / "faq" / f"faq-{number:04d}.json", batch)
            written, batch, number = written + len(batch), [], number + 1
    if batch:
        _write(directory / "faq" / f"faq-{number:04d}.json", batch)
        written += len(batch)
    return written, categories


def export_categories(path: Path) -> int:
    tree = Category.objects.tree()
    counts = dict(Category.objects.with_question_counts().values_list("pk", "question_count"))
    terms = []
    for category in sorted(tree.values(), key=lambda c: c.pk):
        term = representation.category_json(category, counts[category.pk], Category.ancestors(category, tree))
        term["certfaq"] = {"ordering": category.ordering}
        terms.append(term)
    _write(path, terms)
    return len(terms)


def export_redirects(path: Path) -> None:
    """The site's 301s and 410s (certfaq's own file; WordPress has no such route)."""
    _write(path, list(redirects().order_by("old_path").values("old_path", "new_path")))


def question_export_json(question: Question) -> dict:
    item = representation.question_json(question)
    if question.featured_image_id:  # as ?_embed gives it: the import finds the library image by its address
        item["_embedded"] = {"wp:featuredmedia": [representation.media_json(question.featured_image)]}
    if question.excerpt:
        item["excerpt"] = {
            "rendered": f"<p>{shapes.rendered_text(question.excerpt)}</p>\n",
            "protected": False,
        }
    item["certfaq"] = {
        "excerpt": question.excerpt,
        "seo_title": question.seo_title,
        "meta_description": question.meta_description,
        "canonical_url": question.canonical_url,
        "noindex": question.noindex,
        "nofollow": question.nofollow,
        "focus_keyphrase": question.focus_keyphrase,
        "keyphrase_synonyms": question.keyphrase_synonyms,
        "cornerstone": question.cornerstone,
        "tags": sorted(tag.name for tag in question.tags.all()),  # the prefetched tags
        "author": question.author.get_username() if question.author else None,
        # Issue 20: the byline's profiles in full (WordPress's item names only its author's
        # id), the review and the sources, so a backup brings them back.
        "written_by": profile_export_json(question.written_by) if question.written_by_id else None,
        "reviewed_by": profile_export_json(question.reviewed_by) if question.reviewed_by_id else None,
        "last_reviewed": question.last_reviewed.isoformat() if question.last_reviewed else None,
        "sources": [
            {
                "title": source.title,
                "url": source.url,
                "publisher": source.publisher,
                "checked_on": source.checked_on.isoformat() if source.checked_on else None,
            }
            for source in question.sources.all()  # prefetched, in their order
        ],
    }
    return item


PROFILE_FIELDS = ("id", "name", "slug", "job_title", "credentials", "bio", "profile_links", "email")


def profile_export_json(person) -> dict:
    return {name: getattr(person, name) for name in PROFILE_FIELDS}


def _write(path: Path, items: list[dict]) -> None:
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
