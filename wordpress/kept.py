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
from people.models import Person
from wordpress import representation, shapes
from wordpress.rest import embedded_of, json_text


class KeptItem(NamedTuple):
    text: bytes  # the item, encoded (wordpress.rest.json_text)
    digest: bytes  # the MD5 of `text`, for the answer's ETag
    category_ids: tuple[int, ...]  # its `faq-categories`, in order, for `_embed`
    author_id: int | None  # its `author` (the byline's profile), for `_embed`


def questions(ids: list[int]) -> dict[int, KeptItem]:
    """The encoded item (`representation.question_json()`) of each question of `ids`
    that exists; the caller has checked that readers may see them."""
    return fragments.fragments({pk: f"wp-json-faq:{pk}" for pk in ids}, _encode_questions)


def _encode_questions(ids: list[int]) -> dict[int, KeptItem]:
    questions = Question.objects.with_credits().prefetch_related("categories").in_bulk(ids)
    return {pk: _kept(representation.question_json(question)) for pk, question in questions.items()}


def _kept(item: dict) -> KeptItem:
    text = json_text(item)
    digest = hashlib.md5(text, usedforsecurity=False).digest()
    return KeptItem(text, digest, tuple(item[shapes.TAXONOMY]), item.get("author"))


def etag(items: list[KeptItem], *, listed: bool = True) -> str:
    """A strong ETag for the answer of these items (a list, or the one item), from
    their kept digests: what Django's ConditionalGetMiddleware would give is the MD5
    of the whole body, 6 ms for a page of 100."""
    if not listed:
        return quote_etag(items[0].digest.hex())
    return quote_etag(hashlib.md5(b"".join(item.digest for item in items), usedforsecurity=False).hexdigest())


def decoded(items: list[KeptItem]) -> list[dict]:
    """The items themselves, to shape (`_fields`)."""
    return [json.loads(item.text) for item in items]


def question_embeds(items: list[KeptItem]) -> list[dict]:
    """What ?_embed can add to each item (`representation.question_embeds()`), their
    categories and their authors read in one query each for all, each made once."""
    category_ids = {pk for item in items for pk in item.category_ids}
    categories = Category.objects.in_bulk(category_ids) if category_ids else {}
    terms = {pk: representation.term_embed_json(category) for pk, category in categories.items()}
    author_ids = {item.author_id for item in items if item.author_id}
    people = Person.objects.in_bulk(author_ids) if author_ids else {}
    authors = {pk: representation.user_embed_json(person) for pk, person in people.items()}
    return [
        representation.question_embeds(
            [terms[pk] for pk in item.category_ids if pk in terms], authors.get(item.author_id)
        )
        for item in items
    ]


def embedded_texts(items: list[KeptItem], wanted: set[str]) -> list[bytes]:
    """The items with `_embedded` (the relations `wanted`) added last, as
    `rest.finish_item()` adds it, without decoding them: `{…, "_embedded": {…}}`."""
    texts = []
    for item, embeds in zip(items, question_embeds(items), strict=True):
        embedded = embedded_of(embeds, wanted)
        if embedded:
            texts.append(b"".join([item.text[:-1], b', "_embedded": ', json_text(embedded), b"}"]))
        else:
            texts.append(item.text)
    return texts
