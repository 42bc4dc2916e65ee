"""Slugs as WordPress makes them: from a title when none is given, -2, -3 … on a
collision, and a fallback when a title has no letter a slug can hold."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

MAX_LENGTH = 200


def slug_from_title(title: str, fallback: str = "question") -> str:
    """A slug made from a title or a name: plain ASCII, as WordPress makes it ("café"
    → "cafe"); `fallback` when nothing is left ("++", "¿?")."""
    return slugify(title)[:MAX_LENGTH].strip("-") or fallback


def next_free_slug(wanted: str, is_taken: Callable[[str], bool], max_length: int = MAX_LENGTH) -> str:
    """`wanted` if free, else `wanted-2`, `wanted-3`, … as WordPress does on collision;
    never longer than `max_length`."""
    base = wanted[:max_length].strip("-") or "question"
    candidate, suffix = base, 2
    while is_taken(candidate):
        tail = f"-{suffix}"
        candidate = base[: max_length - len(tail)].rstrip("-") + tail
        suffix += 1
    return candidate


def unique_slug(model, wanted: str, exclude_pk=None, max_length: int = MAX_LENGTH) -> str:
    """A slug for `wanted` (a slug as typed or imported, which may keep its letters:
    "café") that no other row of `model` holds."""
    base = slugify(wanted, allow_unicode=True)[:max_length].strip("-") or "question"
    taken = set(
        model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    return next_free_slug(base, taken.__contains__, max_length)
