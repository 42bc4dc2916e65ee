"""Query parameters of the wp/v2 collections, validated the way WordPress does:
every bad parameter is named with a reason, and the whole request answers 400."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import unquote

from django.http import QueryDict

from faqs.identifiers import LARGEST_ID, whole_number
from wordpress import shapes

# Every parameter a wp/v2 route reads (ParamReader's names; `include[]` is
# `include`). A request naming another is answered, but not from the page cache.
PARAMETERS = frozenset({
    "context", "page", "per_page", "search", "include", "exclude", "slug", "status", "orderby", "order",
    shapes.TAXONOMY, f"{shapes.TAXONOMY}_exclude", "after", "before", "modified_after", "modified_before",
    "_embed", "_fields", "hide_empty", "parent", "post",
})  # fmt: skip


class InvalidParams(Exception):
    """Parameters WordPress would refuse: {name: (code, message)}."""

    def __init__(self, errors: dict[str, tuple[str, str]]):
        super().__init__(", ".join(errors))
        self.errors = errors


class ParamReader:
    """Reads one request's parameters; collects errors instead of stopping at the first."""

    def __init__(self, query: QueryDict):
        self.query = query
        self.errors: dict[str, tuple[str, str]] = {}

    def raw(self, name: str) -> list[str] | None:
        """`name=a,b`, `name[]=a&name[]=b` or `name[0]=a`: WordPress accepts all three."""
        values = self.query.getlist(name) + self.query.getlist(f"{name}[]")
        values += [v for key in self.query if key.startswith(f"{name}[") and key != f"{name}[]"
                   for v in self.query.getlist(key)]  # fmt: skip
        return values or None

    def one(self, name: str) -> str | None:
        values = self.raw(name)
        return values[-1] if values else None

    def fail(self, name: str, code: str, message: str) -> None:
        self.errors.setdefault(name, (code, message))

    def integer(self, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
        value = self.one(name)
        if value is None or value == "":
            return default
        text = value.strip()
        number = whole_number(text.removeprefix("-"), largest=10**30)
        if number is None:
            self.fail(name, "rest_invalid_type", f"{name} is not of type integer.")
            return default
        number = -number if text.startswith("-") else number
        if number < minimum or number > (maximum or LARGEST_ID):
            bounds = f"between {minimum} (inclusive) and {maximum or LARGEST_ID} (inclusive)"
            self.fail(name, "rest_out_of_bounds", f"{name} must be {bounds}")
            return default
        return number

    def id_list(self, name: str) -> list[int] | None:
        """Ids, or None when the parameter is absent or empty (WordPress ignores `include=`)."""
        items = self.string_list(name)
        if items is None:
            return None
        numbers = []
        for position, item in enumerate(items):
            number = whole_number(item, largest=10**30)
            if number is None:
                self.fail(name, "rest_invalid_type", f"{name}[{position}] is not of type integer.")
                return None
            if number > LARGEST_ID:
                self.fail(name, "rest_out_of_bounds", f"{name}[{position}] must be at most {LARGEST_ID}")
                return None
            numbers.append(number)
        return numbers

    def string_list(self, name: str) -> list[str] | None:
        values = self.raw(name)
        items = [item.strip() for value in values or [] for item in value.split(",") if item.strip()]
        return items or None

    def slug_list(self, name: str) -> list[str] | None:
        """Slugs as clients send them: plain, or percent-encoded as WordPress prints them."""
        values = self.string_list(name)
        return None if values is None else [unquote(value).lower() for value in values]

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.one(name)
        if value is None:
            return default
        if value not in choices:
            self.fail(name, "rest_not_in_enum", f"{name} is not one of {', '.join(choices)}.")
            return default
        return value

    def date(self, name: str) -> datetime | None:
        """An RFC 3339 date; without an offset it is the site's local time, as in WordPress."""
        value = self.one(name)
        if value is None:
            return None
        try:
            moment = shapes.parse_site_time(value.strip().replace(" ", "T").replace("Z", "+00:00"))
            return moment.astimezone(UTC)  # year 1 or 9999 with an offset overflows here, not in SQL
        except (ValueError, OverflowError):
            self.fail(name, "rest_invalid_date", "Invalid date.")
            return None

    def text(self, name: str, max_length: int = 200) -> str | None:
        """A free-text value; blank counts as absent, as `search= ` does in WordPress."""
        value = self.one(name)
        value = None if value is None else value.replace("\x00", "").strip()[:max_length]
        return value or None

    def check(self) -> None:
        if self.errors:
            raise InvalidParams(self.errors)
