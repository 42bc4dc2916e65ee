"""Numbers read from URLs, query strings and import files.

One rule for all of them: ASCII digits only (str.isdigit() also accepts "²", which
int() refuses) and no larger than a 64-bit id, past which databases refuse to compare.
"""

from __future__ import annotations

LARGEST_ID = 2**63 - 1


def whole_number(text: str, largest: int = LARGEST_ID) -> int | None:
    """The number `text` spells, or None when it is not a whole number in range."""
    text = text.strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= largest else None


def is_id(value: object) -> bool:
    """A JSON value usable as a primary key: a positive int (not a bool) that fits."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= LARGEST_ID
