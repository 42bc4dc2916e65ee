"""Each question's wp-json item kept with the page cache's fragments, encoded: a page
of 100 is then 100 look-ups in one round trip and a join, not 100 heads, graphs and
links built and encoded again. Kept is the item every reader gets (context=view, the
only context an anonymous client may ask for); `_fields` and `_embed` are applied to
it afterwards. Kept under the stamp, so an edit shows in the next answer."""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

from django.utils.http import quote_etag

from faqs.models import Category, Question
from http_cache import fragments
from wordpress import representation, shapes
from wordpress.rest import json_text


class KeptItem(NamedTuple):
    text: bytes  # the item, encoded (wordpress.rest.json_text)
    digest: bytes  # the MD5 of `text`, for the answer's ETag


def question_texts(ids: list[int]) -> dict[int, KeptItem]:
    """The encoded item (`representation.question_json()`) of each question of `ids`
    that exists; the caller has checked that readers may see them."""
    return fragments.fragments({pk: f"wp-json-faq:{pk}" for pk in ids}, _encode_questions)


def _encode_questions(ids: list[int]) -> dict[int, KeptItem]:
    questions = Question.objects.prefetch_related("categories").in_bulk(ids)
    return {pk: _kept(representation.question_json(question)) for pk, question in questions.items()}


def _kept(item: dict) -> KeptItem:
    text = json_text(item)
    return KeptItem(text, hashlib.md5(text, usedforsecurity=False).digest())


def etag(items: list[KeptItem], *, listed: bool = True) -> str:
    """A strong ETag for the answer of these items (a list, or the one item), from
    their kept digests: what Django's ConditionalGetMiddleware would give is the MD5
    of the whole body, 6 ms for a page of 100."""
    if not listed:
        return quote_etag(items[0].digest.hex())
    return quote_etag(hashlib.md5(b"".join(item.digest for item in items), usedforsecurity=False).hexdigest())


def question_items(texts: list[bytes]) -> list[dict]:
    """The items themselves, to shape (`_fields`) or add to (`_embed`)."""
    return [json.loads(text) for text in texts]


def question_embeds(items: list[dict]) -> list[dict]:
    """What ?_embed can add to each item (`representation.question_embeds()`), its
    categories read in one query for all."""
    category_ids = {pk for item in items for pk in item[shapes.TAXONOMY]}
    categories = Category.objects.in_bulk(category_ids) if category_ids else {}
    return [
        representation.question_embeds([categories[pk] for pk in item[shapes.TAXONOMY] if pk in categories])
        for item in items
    ]
