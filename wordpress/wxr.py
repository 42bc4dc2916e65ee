"""WordPress's own export (WXR: Tools → Export) read as the REST items the importer
takes, so one import path writes the rows (`sources` → `items` → `importer`).

A WXR file is RSS with WordPress's namespace: a channel holding the authors
(`wp:author`), the terms of an "All content" export (`wp:term`), then one `<item>` a
post, with its raw fields and `wp:postmeta`. Here each `faq` item becomes a wp/v2/faq
item (its Yoast postmeta in the `certfaq` extension the importer already reads, as
exact values), each `attachment` a wp/v2/media item, each `faq-categories` term a
term; other post types (posts, pages, menus) are left out.

The file is parsed by defusedxml (no DOCTYPE, so no entity bombs and no external
entities) and streamed: `iterparse` hands over one channel child at a time, which is
cleared once read, so the tree never holds more than one item. `WXRFile.check()`
reads the file once whole before anything is imported (a file that breaks off at its
last item imports nothing) and keeps the little the items refer to (authors, terms);
iterating the file reads it again, item by item.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.db.models import Max
from django.utils.text import slugify

from faqs import content
from faqs.models import Category
from wordpress import shapes

WP_NAMESPACE = "http://wordpress.org/export/"  # + "1.0/", "1.1/" or "1.2/": every WXR version
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
TAG_TAXONOMY = "post_tag"  # WordPress's tags, when the faq type has them (the old site's had none)
# How many bytes a file must begin with to be taken for XML rather than JSON.
SNIFF_BYTES = 512


def looks_like_xml(start: bytes) -> bool:
    """Whether a file that begins with these bytes is XML (`<?xml`, a comment, `<rss`):
    JSON begins with `{` or `[`."""
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


class NotWXR(ValueError):
    """Well-formed XML that is not a WordPress export; the message says why."""


@dataclass(frozen=True)
class Author:
    id: int | str
    login: str
    display_name: str


@dataclass(frozen=True)
class Term:
    id: int | str
    slug: str  # as certfaq keeps it (decoded)
    name: str
    parent_slug: str
    description: str


@dataclass
class Header:
    """What the items of a file refer to: its authors (by login) and its faq-categories
    terms (by slug), read by `WXRFile.check()`."""

    authors: dict[str, Author] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)


class WXRFile:
    """One WXR file (or standard input's bytes): `check()` first, then iterate."""

    def __init__(self, source: str, open_bytes: Callable[[], IO[bytes]]):
        self.source = source
        self.open_bytes = open_bytes
        self.header: Header | None = None

    def check(self) -> str:
        """Read the whole file once: why it is refused ("" if it is not) when it is not
        well-formed, not a WordPress export or declares a DOCTYPE; the authors and terms
        of a file that passes are kept for its items."""
        header = Header()
        try:
            for tag, element in self._channel_children():
                if tag == "author":
                    author = _author(element)
                    header.authors.setdefault(author.login, author)
                elif tag == "term" and _text(element, "term_taxonomy") == shapes.TAXONOMY:
                    term = _term(element)
                    header.terms.setdefault(term.slug, term)
        except (ParseError, DefusedXmlException, NotWXR, OSError, UnicodeError) as error:
            return refusal(error)
        self.header = header
        return ""

    def items(self) -> Iterator[tuple[str, dict]]:
        """The file's terms, then its faq items and attachments (each with its place:
        "item 3 (post 549)"), read again one at a time."""
        if self.header is None:
            raise RuntimeError("WXRFile.check() must pass before the file is read for its items")
        categories = CategoryIds(self.header.terms)
        for term in self.header.terms.values():
            yield f"term {term.slug}", categories.term_item(term)
        number = 0
        try:
            for tag, element in self._channel_children():
                if tag != "item":
                    continue
                number += 1
                post = Post.read(element)
                data = post.rest_item(self.header, categories)
                place = f"item {number} (post {post.id})"
                for term in categories.new_terms():
                    yield place, term
                if data is not None:
                    yield place, data
        except (ParseError, DefusedXmlException, NotWXR, OSError, UnicodeError) as error:
            # check() read it whole: it changed since. What was read is not imported.
            raise SourceChanged(f"{self.source} changed while it was read: {refusal(error)}") from None

    def _channel_children(self) -> Iterator[tuple[str, Element]]:
        """Each child of the channel (author, term, item …) as its local name and element,
        cleared once the caller has it, so the tree never grows."""
        with self.open_bytes() as stream:
            events = iterparse(
                stream, events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
            )
            depth, channel, versioned = 0, None, False
            for event, element in events:
                if event == "start":
                    depth += 1
                    if depth == 1 and element.tag != "rss":
                        raise NotWXR(f"its root element is <{_local(element.tag)}>, not <rss>")
                    if depth == 2 and element.tag == "channel":
                        channel = element
                    continue
                depth -= 1
                if depth != 2 or channel is None:
                    continue
                namespace, tag = _split(element.tag)
                if tag == "wxr_version" and namespace.startswith(WP_NAMESPACE):
                    versioned = True
                elif tag == "item" and not versioned:
                    raise NotWXR("it has no <wp:wxr_version> before its first item")
                elif namespace.startswith(WP_NAMESPACE) or tag == "item":
                    yield tag, element
                channel.clear()  # what was read of the channel goes: one child at a time
            if not versioned:
                raise NotWXR("it has no <channel> with a <wp:wxr_version>")


class SourceChanged(Exception):
    """A file that passed its check failed when read again for its items."""


def refusal(error: Exception) -> str:
    """Why a file is refused, in words for the person running the import."""
    if isinstance(error, DTDForbidden):
        return (
            "it declares a DOCTYPE, which a WordPress export never has; refused, since its "
            "entities could expand without bound (billion laughs) or read files (external entities)"
        )
    if isinstance(error, EntitiesForbidden):
        return f"it declares the entity {error.name!r}; entities are refused"
    if isinstance(error, ExternalReferenceForbidden):
        return f"it refers to an outside resource ({error.sysid}); refused"
    if isinstance(error, ParseError):
        line, column = error.position
        return f"not well-formed XML (line {line}, column {column}): {ErrorString(error.code)}"
    if isinstance(error, NotWXR):
        return f"not a WordPress export (WXR): {error}"
    return f"cannot be read: {error}"


# --- reading elements


def _split(tag: str) -> tuple[str, str]:
    """ "{namespace}name" as (namespace, name)."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _local(tag: str) -> str:
    return _split(tag)[1]


def _text(element: Element, name: str, strip: bool = True) -> str:
    """The text of the child named `name` in WordPress's namespace (any version), or ""."""
    for child in element:
        namespace, tag = _split(child.tag)
        if tag == name and namespace.startswith(WP_NAMESPACE):
            text = child.text or ""
            return text.strip() if strip else text
    return ""


def _number(value: str) -> int | str:
    """A WXR id as a number; anything else as it was, for the item's check to report."""
    return int(value) if value.isdigit() else value


def _author(element: Element) -> Author:
    first, last = _text(element, "author_first_name"), _text(element, "author_last_name")
    login = _text(element, "author_login")
    return Author(
        id=_number(_text(element, "author_id")),
        login=login,
        display_name=_text(element, "author_display_name") or f"{first} {last}".strip() or login,
    )


def _term(element: Element) -> Term:
    return Term(
        id=_number(_text(element, "term_id")),
        slug=shapes.decoded_slug(_text(element, "term_slug")),
        name=_text(element, "term_name"),
        parent_slug=shapes.decoded_slug(_text(element, "term_parent")),
        description=_text(element, "term_description"),
    )


class CategoryIds:
    """The id of each faq-categories term an item names by its slug: the file's term,
    else the category holding that slug here, else a new one (an export of the faq
    type alone carries no terms, only each item's <category> with its slug and name)."""

    def __init__(self, terms: dict[str, Term]):
        self.terms = terms
        self.ids = dict(Category.objects.values_list("slug", "id"))
        self.ids.update((slug, term.id) for slug, term in terms.items())
        file_ids = [term.id for term in terms.values() if isinstance(term.id, int)]
        stored = Category.objects.aggregate(top=Max("pk"))["top"] or 0
        self.next_id = max([stored, *file_ids]) + 1
        self.made: list[dict] = []

    def term_item(self, term: Term) -> dict:
        return {
            "id": term.id,
            "name": term.name,
            "slug": term.slug,
            "taxonomy": shapes.TAXONOMY,
            "description": term.description,
            # WXR names the parent by its slug; WordPress writes parents first.
            "parent": self.ids.get(term.parent_slug, 0) if term.parent_slug else 0,
        }

    def id_for(self, slug: str, name: str) -> int | str:
        if slug not in self.ids:
            self.ids[slug] = self.next_id
            self.next_id += 1
            self.made.append(self.term_item(Term(self.ids[slug], slug, name, "", "")))
        return self.ids[slug]

    def new_terms(self) -> list[dict]:
        """The terms made since last asked (each once), for the importer to create."""
        made, self.made = self.made, []
        return made


# --- items


@dataclass
class Post:
    """An <item>'s fields as WXR writes them (raw, as stored by WordPress)."""

    id: int | str
    type: str
    title: str
    link: str
    guid: str
    creator: str
    content: str
    excerpt: str
    slug: str
    status: str
    dates: dict[str, str]
    attachment_url: str
    password: str
    categories: list[tuple[str, str, str]]  # (taxonomy, slug, name)
    meta: dict[str, str]

    @classmethod
    def read(cls, element: Element) -> Post:
        fields: dict[str, str] = {}  # by local name: wp:post_id → "post_id", excerpt:encoded → "encoded"
        categories, meta = [], {}
        for child in element:
            namespace, tag = _split(child.tag)
            if child.tag in (CONTENT, DC_CREATOR):
                fields.setdefault(child.tag, child.text or "")
            elif tag == "category" and not namespace:
                slug = shapes.decoded_slug(child.get("nicename", ""))
                categories.append((child.get("domain", ""), slug, (child.text or "").strip()))
            elif tag == "postmeta" and namespace.startswith(WP_NAMESPACE):
                meta.setdefault(_text(child, "meta_key"), _text(child, "meta_value", strip=False))
            elif not namespace or namespace.startswith(WP_NAMESPACE):
                fields.setdefault(tag, child.text or "")
        plain = {name: value.strip() for name, value in fields.items()}
        return cls(
            id=_number(plain.get("post_id", "")),
            type=plain.get("post_type", ""),
            title=plain.get("title", ""),
            link=plain.get("link", ""),
            guid=plain.get("guid", ""),
            creator=plain.get(DC_CREATOR, ""),
            content=fields.get(CONTENT, ""),
            excerpt=fields.get("encoded", ""),
            slug=plain.get("post_name", ""),
            status=plain.get("status", ""),
            dates={key: plain.get(key, "") for key in DATE_FIELDS},
            attachment_url=plain.get("attachment_url", ""),
            password=plain.get("post_password", ""),
            categories=categories,
            meta=meta,
        )

    def rest_item(self, header: Header, categories: CategoryIds) -> dict | None:
        """The REST item this post is, or None for a post type certfaq does not keep."""
        if self.type == shapes.FAQ_TYPE:
            return self.question_item(header, categories)
        if self.type == shapes.ATTACHMENT_TYPE:
            return self.attachment_item()
        return None

    def question_item(self, header: Header, categories: CategoryIds) -> dict:
        terms = [(slug, name) for taxonomy, slug, name in self.categories if taxonomy == shapes.TAXONOMY]
        term_ids = [categories.id_for(slug, name) for slug, name in terms]
        item = {
            "id": self.id,
            "type": shapes.FAQ_TYPE,
            "title": {"rendered": self.title},
            "content": {"rendered": answer_html(self.content)},
            "excerpt": {"rendered": self.excerpt},
            "slug": self.slug,
            # certfaq has no post passwords: a protected answer stays out of readers' sight.
            "status": "private" if self.password and self.status != "trash" else self.status,
            "guid": {"rendered": self.guid},
            "link": self.link,
            shapes.TAXONOMY: term_ids,
            **{REST_DATES[key]: value for key, value in self.dates.items() if value},
            "certfaq": self.extension([name for _, name in terms]),
        }
        thumbnail = self.meta.get("_thumbnail_id", "").strip()
        if thumbnail.isdigit():
            item["featured_media"] = int(thumbnail)
        author = header.authors.get(self.creator)
        if author is not None:
            item["author"] = author.id
            user = {"id": author.id, "name": author.display_name, "slug": slugify(author.login)}
            item["_embedded"] = {"author": [user]}
        return item

    def extension(self, category_names: list[str]) -> dict:
        """The question's own fields: its tags, its sign-in author and Yoast's postmeta,
        as certfaq's extension carries them (exact values, not a rendered head)."""
        # No tags on the item leaves the question's as they are: the faq type may have none.
        tags = [name for taxonomy, _, name in self.categories if taxonomy == TAG_TAXONOMY]
        extension: dict = {"tags": tags} if tags else {}
        if self.creator:
            extension["author"] = self.creator
        variables = self.yoast_variables(category_names)
        meta = self.meta
        if title := yoast_text(meta.get("_yoast_wpseo_title", ""), variables):
            extension["seo_title"] = "" if title == html.unescape(self.title).strip() else title
        if description := yoast_text(meta.get("_yoast_wpseo_metadesc", ""), variables):
            extension["meta_description"] = description
        canonical = meta.get("_yoast_wpseo_canonical", "").strip()
        if canonical.startswith(("https://", "http://")):  # what Yoast's esc_url_raw() keeps
            extension["canonical_url"] = canonical
        # Yoast's robots meta: "1" noindex / nofollow, "2" or nothing the post type's default.
        extension["noindex"] = meta.get("_yoast_wpseo_meta-robots-noindex", "").strip() == "1"
        extension["nofollow"] = meta.get("_yoast_wpseo_meta-robots-nofollow", "").strip() == "1"
        extension["focus_keyphrase"] = meta.get("_yoast_wpseo_focuskw", "").strip()
        extension["cornerstone"] = meta.get("_yoast_wpseo_is_cornerstone", "").strip() == "1"
        return extension

    def yoast_variables(self, category_names: list[str]) -> dict[str, Callable[[], str]]:
        """What Yoast's %%variables%% stand for on this post's page (WPSEO_Replace_Vars),
        each worked out only when a template names it."""

        def excerpt() -> str:  # Yoast: the manual excerpt, else the answer's first 155 characters
            manual = " ".join(content.text_blocks(self.excerpt))
            return manual or " ".join(content.text_blocks(answer_html(self.content)))[:155]

        return {
            "title": lambda: html.unescape(self.title).strip(),
            "sitename": lambda: settings.SITE_NAME,
            "sitedesc": lambda: settings.SITE_TAGLINE,
            "sep": lambda: YOAST_SEPARATOR,
            "excerpt": excerpt,
            "excerpt_only": lambda: " ".join(content.text_blocks(self.excerpt)),
            "focuskw": lambda: self.meta.get("_yoast_wpseo_focuskw", "").strip(),
            f"ct_{shapes.TAXONOMY}": lambda: ", ".join(category_names),
            "currentyear": lambda: str(datetime.now(UTC).year),
        }

    def attachment_item(self) -> dict:
        """A wp/v2/media item: its file under uploads/, alt text and caption."""
        return {
            "id": self.id,
            "type": shapes.ATTACHMENT_TYPE,
            "title": {"rendered": self.title},
            "source_url": self.attachment_url,
            "media_details": {"file": self.meta.get("_wp_attached_file", "").strip()},
            "alt_text": self.meta.get("_wp_attachment_image_alt", ""),
            "caption": {"rendered": self.excerpt},
        }


DATE_FIELDS = ("post_date", "post_date_gmt", "post_modified", "post_modified_gmt")
REST_DATES = {"post_date": "date", "post_date_gmt": "date_gmt", "post_modified": "modified",
              "post_modified_gmt": "modified_gmt"}  # fmt: skip


# --- Yoast's %%variables%%

# The old site's separator between a title's parts (faqs.seo's titles use it too).
YOAST_SEPARATOR = "-"
YOAST_VARIABLE = re.compile(r"%%([^%]+)%%")


def yoast_text(template: str, variables: dict[str, Callable[[], str]]) -> str:
    """A Yoast title or description as its page showed it: tags stripped, each
    %%variable%% replaced, those with no value on this page removed, separators left
    side by side by a removal made one, whitespace made single (WPSEO_Replace_Vars)."""
    text = re.sub(r"<[^>]*>", "", template)
    if "%%" in text:
        text = YOAST_VARIABLE.sub(lambda match: variables.get(match.group(1), str)(), text)
        separator = re.escape(YOAST_SEPARATOR)
        text = re.sub(rf"{separator}(?:\s*{separator})*", YOAST_SEPARATOR, text)
    return " ".join(html.unescape(text).split())


# --- the answer's HTML


BLOCK_START = re.compile(
    r"<(?:p|h[1-6]|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|td|th|blockquote|pre|div|figure|hr|"
    r"section|details|summary|address|iframe|!--)[\s>/]",
    re.IGNORECASE,
)
CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
CAPTIONED_IMAGE = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL
)


def answer_html(raw: str) -> str:
    """An answer as WordPress stores it, made the HTML its page showed: block-editor
    content is HTML already (its <!-- wp: --> comments are dropped by the sanitiser);
    classic-editor content gets its [caption] figures and paragraphs, as
    img_caption_shortcode() and wpautop() make them. Other shortcodes stay text."""
    if "<!-- wp:" in raw:
        return raw
    return paragraphs(CAPTION.sub(_caption_figure, raw))


def _caption_figure(match: re.Match) -> str:
    attributes, inner = match.groups()
    parts = CAPTIONED_IMAGE.match(inner)
    if parts is None:
        return inner
    image, caption = parts.groups()
    named = re.search(r'\bcaption="([^"]*)"', attributes)
    caption = caption.strip() or (named.group(1) if named else "")
    figcaption = f'<figcaption class="wp-caption-text">{caption}</figcaption>' if caption else ""
    return f'<figure class="wp-caption">{image}{figcaption}</figure>'


def paragraphs(raw: str) -> str:
    """wpautop() in short: text parted by a blank line becomes paragraphs and a single
    line break a <br>; a part that opens with block markup stays as it is."""
    parts = re.split(r"\n\s*\n", raw.replace("\r\n", "\n").strip())
    html_parts = []
    for part in (part.strip() for part in parts):
        if not part:
            continue
        if BLOCK_START.match(part):
            html_parts.append(part)
        else:
            html_parts.append("<p>" + part.replace("\n", "<br>\n") + "</p>")
    return "\n".join(html_parts)
