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
from html import escape, unescape
from html.parser import HTMLParser

import nh3

from media import addresses  # the one rule of where an answer's images may come from

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
    # An image as the editor inserts it (its Figure: src, alt, data-file, the library
    # image's id) and as a responsive page or an import writes it; only from the
    # library or IMAGE_HOSTS (media.addresses), every value checked (_image_attribute).
    "img": ["src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes", "data-file"],
    "figure": ["class"],  # "figure", the editor's; nothing else
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "ol": ["start", "reversed", "type"],  # as WordPress's kses: a, A, i, I or 1
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

# Elements whose *content* is never text for a reader ("alert(1)"): they go whole,
# content and all, where other unknown tags are stripped and their text kept.
DROPPED_BLOCKS = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
)

HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Heading ids let an answer link to its own sections (#fees); ids the page itself
# uses are refused so an answer cannot steal the skip link's target.
_HEADING_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
RESERVED_IDS = frozenset(
    {"content", "categories-heading", "latest-heading", "related-heading", "toc-heading"}
)


def _allowed_attribute(tag: str, name: str, value: str) -> str | None:
    """The value of an attribute the allow-list names, or None to drop it: a heading's
    id only when it is safe to link to, an image's attributes only when well formed."""
    if name == "id" and tag in HEADINGS:
        return value if _HEADING_ID.fullmatch(value) and value not in RESERVED_IDS else None
    if tag == "img":
        return _image_attribute(name, value)
    if tag == "figure":
        return value if value == "figure" else None
    return value


_IMAGE_VALUES = {
    "width": re.compile(r"[1-9][0-9]{0,4}"),
    "height": re.compile(r"[1-9][0-9]{0,4}"),
    "data-file": re.compile(r"[1-9][0-9]{0,9}"),
    "loading": re.compile(r"lazy|eager"),
    "decoding": re.compile(r"async|sync|auto"),
    # Media conditions and lengths: "(max-width: 44rem) calc(100vw - 2rem), 42rem"; no
    # "/", so never an address.
    "sizes": re.compile(r"[a-z0-9 (),.:%+*-]{1,300}"),
}


def _image_attribute(name: str, value: str) -> str | None:
    if name == "src":
        return value if addresses.is_allowed(value) else None
    if name == "srcset":
        candidates = [candidate.split() for candidate in value.split(",")]
        urls = [candidate[0] for candidate in candidates if candidate]
        return value if urls and all(addresses.is_allowed(url) for url in urls) else None
    pattern = _IMAGE_VALUES.get(name)
    if pattern is not None:
        return value if pattern.fullmatch(value.strip()) else None
    return value  # alt: text


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_BLOCKS),
    attributes={
        "*": set(),  # ammonia would otherwise allow lang and title on every tag
        **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        **{heading: {"id"} for heading in HEADINGS},  # then _allowed_attribute decides
    },
    attribute_filter=_allowed_attribute,
    url_schemes=set(ALLOWED_PROTOCOLS),
    strip_comments=True,
    link_rel=None,  # rel is the author's, from the allow-list, not one ammonia adds
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


_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\bsrc=)[^>]*>")


def sanitize(raw_html: str) -> str:
    """Clean answer HTML through the one allow-list; scripts, handlers and
    javascript: URLs never survive."""
    cleaned = _cleaner.clean(raw_html or "")
    # An image from nowhere it may come from lost its src: it goes whole.
    cleaned = _IMAGE_WITHOUT_SOURCE.sub("", cleaned)
    # An <img> without alt is unreadable to screen readers; an empty alt marks it decorative.
    cleaned = re.sub(r"<img(?![^>]*\balt=)", '<img alt=""', cleaned)
    # Answers are mostly clean already: hand back the caller's string, not an equal copy,
    # so an import of thousands keeps each answer once in memory.
    return raw_html if cleaned == raw_html else cleaned


# A token of HTML: (START, tag, attributes), (END, tag, []) or (TEXT, text, []),
# with names lower-cased and character references resolved, as HTMLParser reads them.
START, END, TEXT = "start", "end", "text"
Token = tuple[str, str, list[tuple[str, str | None]]]


class _Tokenizer(HTMLParser):
    """Any HTML, however broken, as tokens."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append((START, tag, attrs))

    def handle_endtag(self, tag):
        self.tokens.append((END, tag, []))

    def handle_data(self, data):
        self.tokens.append((TEXT, data, []))


# HTML as sanitize() writes it (allowed tags in lower case, attributes in double quotes,
# "<" only in tags), read with one regex: the same tokens as HTMLParser's, 2-3x sooner.
_CLEAN_TOKEN = re.compile(r'<([a-z][a-z0-9]*)((?: [a-z][a-z-]*="[^"<]*")*)>|</([a-z][a-z0-9]*)>|([^<]+)')
_CLEAN_ATTRIBUTE = re.compile(r' ([a-z][a-z-]*)="([^"]*)"')


def _tokens(html: str) -> list[Token]:
    tokens = _clean_tokens(html)
    if tokens is None:
        parser = _Tokenizer()
        parser.feed(html)
        parser.close()
        tokens = parser.tokens
    return tokens


def _clean_tokens(html: str) -> list[Token] | None:
    """The tokens of clean HTML; None for anything else."""
    tokens: list[Token] = []
    length = 0
    for start, attributes, end, text in _CLEAN_TOKEN.findall(html):
        if text:
            tokens.append((TEXT, unescape(text), []))
            length += len(text)
        elif start in ALLOWED_TAGS:
            pairs = _CLEAN_ATTRIBUTE.findall(attributes)
            tokens.append((START, start, [(name, unescape(value)) for name, value in pairs]))
            length += len(start) + len(attributes) + 2
        elif end in ALLOWED_TAGS:
            tokens.append((END, end, []))
            length += len(end) + 3
        else:
            return None  # a tag outside the allow-list: <script> and its like are HTMLParser's
    # The matches cover all of `html` (no "<" that starts no tag) only if their lengths add up to it.
    return tokens if length == len(html) else None


def markup_used(clean_html: str) -> set[tuple[str, str]]:
    """The elements and attributes an answer uses, as (tag, "") and (tag, attribute):
    the admin's editor opens an answer it cannot show whole in its HTML view."""
    used = set()
    for kind, name, attributes in _tokens(clean_html):
        if kind == START:
            used.add((name, ""))
            used.update((name, attribute) for attribute, _ in attributes)
    return used


# Elements whose text is a paragraph of its own.
BLOCKS = frozenset(
    {
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
)


def _blocks(clean_html: str) -> list[tuple[str, str]]:
    """(block tag, text) of every block, so paragraphs stay apart; a <br> ends one too."""
    blocks: list[tuple[str, str]] = []
    tag, pieces = "", []
    for kind, value, _ in _tokens(clean_html or ""):
        if kind == TEXT:
            pieces.append(value)
        elif value in BLOCKS or (kind == START and value == "br"):
            _add_block(blocks, tag, pieces)
            pieces = []
            if value in BLOCKS:
                tag = value if kind == START else ""
    _add_block(blocks, tag, pieces)
    return blocks


def _add_block(blocks: list[tuple[str, str]], tag: str, pieces: list[str]) -> None:
    text = " ".join("".join(pieces).split())
    if text:
        blocks.append((tag, text))


def text_blocks(clean_html: str) -> list[str]:
    """The readable text of the HTML, one string per paragraph-like block."""
    return [text for _, text in _blocks(clean_html)]


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


def word_count(text: str) -> int:
    """The words of an answer's text (`AnswerFacts.text`, the row's search_text)."""
    return len(text.split())


def _minutes(text: str) -> int:
    """Words ÷ 200, rounded up, at least one minute (as Yoast estimates it)."""
    return max(1, math.ceil(word_count(text) / WORDS_PER_MINUTE))


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
    return cut_at_word(text, limit)


def cut_at_word(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut between words with an ellipsis when it
    is longer ("…three times a…", never "…candidat…"). A first word longer than the
    limit is cut as it must be."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    inside_a_word = head[-1].isalnum() and text[limit - 1].isalnum()
    if inside_a_word and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:-–—") + "…"


def derive_description(clean_html: str, excerpt: str = "") -> str:
    """The meta description used when an editor sets none: the manual excerpt,
    else the first paragraph, cut at a sentence boundary."""
    return _description(_blocks(clean_html), excerpt)


def _description(blocks: list[tuple[str, str]], excerpt: str) -> str:
    if excerpt.strip():
        # An excerpt may hold markup or entities (imported ones do): keep its words.
        return cut_at_sentence(" ".join(text_blocks(excerpt)))
    return cut_at_sentence(_first_paragraph(blocks))


def printable(text: str) -> str:
    """Text without control characters (tabs and line breaks aside): XML (the feed,
    sitemaps) refuses them and no reader can see them."""
    return "".join(
        char for char in text if char in "\t\n\r" or unicodedata.category(char) not in ("Cc", "Cs")
    )


def extract_links(clean_html: str) -> list[tuple[str, str]]:
    """(href, anchor text) of every link in the answer, in order."""
    links: list[tuple[str, str]] = []
    href, pieces = None, []
    for kind, value, attributes in _tokens(clean_html or ""):
        if kind == TEXT and href is not None:
            pieces.append(value)
        elif kind == START and value == "a":
            href, pieces = dict(attributes).get("href") or None, []
        elif kind == END and value == "a" and href is not None:
            links.append((href, " ".join("".join(pieces).split())))
            href = None
    return links


_HREF = re.compile(r'href="([^"]*)"')


def rewrite_hrefs(clean_html: str, rewrite: Callable[[str], str | None]) -> str:
    """The sanitised HTML with each link's href replaced by `rewrite(href)`, unless that
    is None. `rewrite` sees and returns the URL as a browser reads it (character
    references resolved: the sanitiser writes &amp; and &nbsp; inside attributes)."""

    rewritten = []

    def replace(match: re.Match) -> str:
        href = unescape(match.group(1))
        new_href = rewrite(href)
        if new_href is None or new_href == href:
            return match.group(0)
        rewritten.append(new_href)
        return f'href="{escape(new_href)}"'

    html = _HREF.sub(replace, clean_html)
    # Nothing rewritten: the same string, so a kept page holding both (a fragment's
    # question and its answer) pickles the text once.
    return html if rewritten else clean_html


# --- sections: heading ids and the table of contents

_SECTION_HEADING = re.compile(r"<(h[2-4])((?:\s[^>]*)?)>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_ID_ATTRIBUTE = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
TABLE_OF_CONTENTS_FROM = 3  # subheadings (h2, h3) an answer needs for its table of contents


@dataclass(frozen=True)
class Section:
    level: int  # 2 or 3 (h4s get an id, not a line of the contents)
    anchor: str
    title: str


def section_id(title: str) -> str:
    """A heading's id from its own words ("Retake fees" → "retake-fees"): the same
    however the text around it changes; starts with a letter, as the sanitiser's
    heading ids must."""
    slug = re.sub(
        r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    )
    slug = slug.strip("-")[:60].strip("-")
    return slug if slug[:1].isalpha() else f"section-{slug}".strip("-")


def with_section_ids(clean_html: str) -> tuple[str, list[Section]]:
    """Every h2-h4 of a sanitised answer with an id (its own, kept, else one made from
    its words; a second heading of the same words gets -2), and the sections a table
    of contents lists. The page's own ids are never taken (RESERVED_IDS)."""
    taken = set(RESERVED_IDS)
    sections: list[Section] = []

    def with_id(match: re.Match) -> str:
        tag, attributes, inner = match.group(1).lower(), match.group(2) or "", match.group(3)
        title = " ".join(unescape(_TAG.sub(" ", inner)).split())
        own = _ID_ATTRIBUTE.search(attributes)
        anchor = own.group(1) if own and own.group(1) not in taken else ""
        if not anchor:
            wanted = section_id(title) or "section"
            anchor, number = wanted, 2
            while anchor in taken:
                anchor, number = f"{wanted}-{number}", number + 1
            attributes = _ID_ATTRIBUTE.sub("", attributes) + f' id="{anchor}"'
        taken.add(anchor)
        if tag in ("h2", "h3"):
            sections.append(Section(int(tag[1]), anchor, title))
        return f"<{tag}{attributes}>{inner}</{tag}>"

    return _SECTION_HEADING.sub(with_id, clean_html), sections
