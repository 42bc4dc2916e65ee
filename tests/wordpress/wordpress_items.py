"""WordPress REST items for tests, shaped like the reference response."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from wordpress.demo import REFERENCE_FILE


def reference_item() -> dict:
    return json.loads(Path(REFERENCE_FILE).read_text(encoding="utf-8"))


def faq_item(item_id: int, **fields) -> dict:
    """A minimal faq item as WordPress's REST API gives it."""
    item = {
        "id": item_id,
        "date": "2025-10-01T08:00:00",
        "date_gmt": "2025-10-01T08:00:00",
        "guid": {"rendered": f"https://certilyst.com/resources/?post_type=faq&#038;p={item_id}"},
        "modified": "2025-10-02T08:00:00",
        "modified_gmt": "2025-10-02T08:00:00",
        "slug": f"question-{item_id}",
        "status": "publish",
        "type": "faq",
        "link": f"https://certilyst.com/resources/faq/question-{item_id}/",
        "title": {"rendered": f"Question {item_id}?"},
        "content": {"rendered": f"<p>Answer {item_id}. Second sentence.</p>\n", "protected": False},
        "template": "",
        "faq-categories": [],
    }
    item.update(copy.deepcopy(fields))
    return item


def term_item(term_id: int, **fields) -> dict:
    item = {
        "id": term_id,
        "count": 0,
        "description": "",
        "link": f"https://certilyst.com/resources/faq-categories/term-{term_id}/",
        "name": f"Term {term_id}",
        "slug": f"term-{term_id}",
        "taxonomy": "faq-categories",
        "parent": 0,
        "meta": [],
    }
    item.update(fields)
    return item


def write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path
