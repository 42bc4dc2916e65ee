"""The HTML pipeline: raw answer HTML in, clean HTML and facts about it out.

Every piece of answer HTML (admin, import, demo) goes through `sanitize()`, the
project's one allow-list. Reading time and the derived description live here too,
so the page, the head and the API all agree.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import bleach

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "a",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "mark",
        "small",
        "sub",
        "sup",
        "abbr",
        "blockquote",
        "code",
        "pre",
        "kbd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "img",
        "figure",
        "figcaption",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "width", "height", "loading"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "ol": ["start", "reversed"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

# Elements whose *content* is never text for a reader: bleach would strip the
# tags but keep the inner text ("alert(1)"), so they go whole, before bleach.
_DROPPED_BLOCKS = re.compile(
    r"<(script|style|iframe|object|embed|noscript|template|svg|math)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)

HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Heading ids let an answer link to its own sections (#fees); ids the page itself
# uses are refused so an answer cannot steal the skip link's target.
_HEADING_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
RESERVED_IDS = frozenset({"content", "categories-heading", "latest-heading", "related-heading"})


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ALLOWED_ATTRIBUTES.get(tag, ()):
        return True
    return (
        name == "id" and tag in HEADINGS and bool(_HEADING_ID.fullmatch(value)) and value not in RESERVED_IDS
    )


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)

WORDS_PER_MINUTE = 200
# Long enough for two sentences of a good answer (the old site's descriptions run
# to ~320 characters), short enough that search engines show most of it.
DESCRIPTION_MAX_CHARS = 320


# An answer is one page: 200 KB of HTML is tens of thousands of words, and the page
# carries it twice (the answer, and the FAQPage entity of its JSON-LD).
MAX_ANSWER_BYTES = 200_000


def answer_size_error(raw_html: str) -> str:
    """Why an answer is too long to accept ("" when it is not), counted in UTF-8 bytes
    of the HTML as given: the admin and the importer both ask here."""
    size = len((raw_html or "").encode("utf-8"))
    if size <= MAX_ANSWER_BYTES:
        return ""
    return f"The answer is {size:,} bytes of HTML; an answer can have at most {MAX_ANSWER_BYTES:,}."


def sanitize(raw_html: str) -> str:
    """Clean answer HTML through the one allow-list; scripts, handlers and
    javascript: URLs never survive."""
    without_blocks = _DROPPED_BLOCKS.sub("", raw_html or "")
    cleaned = _cleaner.clean(without_blocks)
    # An <img> without alt is unreadable to screen readers; an empty alt marks it decorative.
    return re.sub(r"<img(?![^>]*\balt=)", '<img alt=""', cleaned)


class _TextExtractor(HTMLParser):
    """Collects text, one entry per block element, so paragraphs stay apart."""

    BLOCKS = {
        "p",
        "li",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "td",
        "th",
        "dd",
        "dt",
        "figcaption",
        "caption",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # (block tag, text)
        self._current: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "br":
            self._flush()
            self._tag = tag if tag in self.BLOCKS else self._tag

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()
            self._tag = ""

    def handle_data(self, data):
        self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append((self._tag, text))
        self._current = []

    def close(self):
        super().close()
        self._flush()


def text_blocks(clean_html: str) -> list[str]:
    """The readable text of the HTML, one string per paragraph-like block."""
    return [text for _, text in _blocks(clean_html)]


def _blocks(clean_html: str) -> list[tuple[str, str]]:
    parser = _TextExtractor()
    parser.feed(clean_html or "")
    parser.close()
    return parser.blocks


def _first_paragraph(blocks: list[tuple[str, str]]) -> str:
    """The text of the first <p>; else of the first block (an answer that is a list)."""
    paragraphs = [text for tag, text in blocks if tag == "p"]
    if paragraphs:
        return paragraphs[0]
    return blocks[0][1] if blocks else ""


@dataclass(frozen=True)
class AnswerFacts:
    """What pages need from an answer, read in one pass over its HTML."""

    text: str
    reading_minutes: int
    description: str


def answer_facts(clean_html: str, excerpt: str = "") -> AnswerFacts:
    blocks = _blocks(clean_html)
    text = "\n".join(block for _, block in blocks)
    return AnswerFacts(text=text, reading_minutes=_minutes(text), description=_description(blocks, excerpt))


def _minutes(text: str) -> int:
    """Words ÷ 200, rounded up, at least one minute (as Yoast estimates it)."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))


def reading_time_label(minutes: int) -> str:
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


def cut_at_sentence(text: str, limit: int = DESCRIPTION_MAX_CHARS) -> str:
    """The longest run of whole sentences that fits in `limit` characters; when even
    the first sentence is too long, cut at a word and add an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentences = _SENTENCE_END.split(text)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if kept:
        return kept
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def derive_description(clean_html: str, excerpt: str = "") -> str:
    """The meta description used when an editor sets none: the manual excerpt,
    else the first paragraph, cut at a sentence boundary."""
    return _description(_blocks(clean_html), excerpt)


def _description(blocks: list[tuple[str, str]], excerpt: str) -> str:
    if excerpt.strip():
        # An excerpt may hold markup or entities (imported ones do): keep its words.
        return cut_at_sentence(" ".join(text_blocks(excerpt)))
    return cut_at_sentence(_first_paragraph(blocks))


class _LinkExtractor(HTMLParser):
    """Every <a href> with its anchor text, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href") or None
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def printable(text: str) -> str:
    """Text without control characters (tabs and line breaks aside): XML (the feed,
    sitemaps) refuses them and no reader can see them."""
    return "".join(
        char for char in text if char in "\t\n\r" or unicodedata.category(char) not in ("Cc", "Cs")
    )


def extract_links(clean_html: str) -> list[tuple[str, str]]:
    """(href, anchor text) of every link in the answer, in order."""
    parser = _LinkExtractor()
    parser.feed(clean_html or "")
    parser.close()
    return parser.links


_HREF = re.compile(r'href="([^"]*)"')


def rewrite_hrefs(clean_html: str, rewrite: Callable[[str], str | None]) -> str:
    """The sanitised HTML with each link's href replaced by `rewrite(href)`, unless that
    is None. Hrefs are compared as written (the sanitiser quotes them with "" and
    escapes only &), so `rewrite` sees and returns the unescaped URL."""

    def replace(match: re.Match) -> str:
        href = match.group(1).replace("&amp;", "&")
        new_href = rewrite(href)
        if new_href is None or new_href == href:
            return match.group(0)
        return f'href="{new_href.replace("&", "&amp;")}"'

    return _HREF.sub(replace, clean_html)
