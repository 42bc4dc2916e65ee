"""WordPress REST field values: statuses, dates, guids, HTML-escaped strings."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.text import slugify

from faqs.models import Question

FAQ_TYPE = "faq"
TAXONOMY = "faq-categories"
ATTACHMENT_TYPE = "attachment"  # a wp/v2/media item: an uploaded file

STATUS_FROM_WORDPRESS = {
    "publish": Question.Status.PUBLISHED,
    "future": Question.Status.SCHEDULED,
    "draft": Question.Status.DRAFT,
    "pending": Question.Status.PENDING,
    "auto-draft": Question.Status.DRAFT,
    "private": Question.Status.PRIVATE,
}
STATUS_TO_WORDPRESS = {
    Question.Status.PUBLISHED: "publish",
    Question.Status.SCHEDULED: "future",
    Question.Status.DRAFT: "draft",
    Question.Status.PENDING: "pending",
    Question.Status.PRIVATE: "private",
}


def wordpress_status(question: Question) -> str:
    return STATUS_TO_WORDPRESS[question.status_as_shown]


def site_time(value: datetime) -> str:
    """WordPress's `date`: the site's local time, with no offset."""
    return value.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%dT%H:%M:%S")


def gmt_offset_hours() -> float | int:
    """The site zone's current offset from UTC in hours, as WordPress's gmt_offset (5.5)."""
    hours = datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset().total_seconds() / 3600
    return int(hours) if hours.is_integer() else hours


def gmt_time(value: datetime) -> str:
    """WordPress's `date_gmt`: UTC, with no offset."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_gmt(value: str) -> datetime:
    """A `*_gmt` value (no offset, UTC) as an aware datetime; ValueError if malformed."""
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def parse_site_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)) if parsed.tzinfo is None else parsed


def rendered_guid(guid: str) -> str:
    """WordPress prints the guid with & as &#038;."""
    return guid.replace("&", "&#038;")


def rendered_text(text: str) -> str:
    """A plain string as WordPress's `rendered` HTML (titles, term names)."""
    return html.escape(text, quote=False)


def decoded_slug(raw: str) -> str:
    """WordPress stores non-ASCII slugs percent-encoded ("caf%c3%a9"); certfaq keeps
    the letters ("café"), whose URL is the same once encoded."""
    return slugify(unquote(html.unescape(raw)), allow_unicode=True)


def rendered_slug(slug: str) -> str:
    """The slug as WordPress's API prints it: percent-encoded, lower case."""
    return quote(slug, safe="-_").lower()


def decoded_text(rendered: str) -> str:
    """`rendered` HTML back to plain text: entities decoded exactly once."""
    return html.unescape(rendered)
