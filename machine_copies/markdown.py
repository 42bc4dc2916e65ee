"""Sanitised answer HTML as Markdown (CommonMark, with GitHub's pipe tables and
strikethrough), for the question's Markdown copy.

The input is what `faqs.content.sanitize()` keeps: a small fixed allow-list, read with
its tokenizer into a tree. Every piece of text is escaped where it could read as
Markdown (emphasis, links, headings, list markers, tables, entities, HTML), so the
copy says what the page says and nothing more: no HTML passes through, not even the
text "<script>" an answer quotes. Links and images are made absolute against the
page's address, so the copy can be read anywhere.

Written over our tokenizer rather than with markdownify: for these forty tags we would
have overridden its code fences, link destinations, image alts, captions and table
cells, and added BeautifulSoup and six to the site for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from faqs.content import END, START, TEXT, _tokens  # the sanitiser's own reading of HTML
from faqs.identifiers import whole_number
from machine_copies.emphasis import Code, Piece, emphasised, longest_backticks, marked

VOID = frozenset({"br", "hr", "img"})
HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LISTS = frozenset({"ul", "ol"})
# Elements that are blocks of their own; anything else is inline (text, links, images…).
BLOCKS = frozenset(
    {
        "p",
        *HEADINGS,
        *LISTS,
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "caption",
        "figure",
        "figcaption",
        "hr",
    }
)
ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
MAX_COLSPAN = 50  # a cell spanning more is a typo, not a table wider than a screen
MAX_LIST_START = 999_999_999  # CommonMark's longest list number: nine digits

# HTML's white space (not U+00A0: a no-break space is text).
_WHITE_SPACE = re.compile(r"[ \t\n\r\f]+")
# Characters that are Markdown wherever they stand: escaped in all text.
_ALWAYS_ESCAPED = re.compile(r"([\\`*_\[\]<|~])")
# "&amp;" in Markdown is "&": an ampersand that starts a character reference is escaped.
_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# A run of # between spaces opens (or closes) an ATX heading.
_HASHES = re.compile(r"(?<!\S)(#{1,6})(?=\s|$)")
# At the start of a line: a block quote, a bullet, a thematic break or setext underline…
_LINE_START_MARK = re.compile(r"^([>+=-])")
# …or an ordered list's number ("2024. was a year").
_LINE_START_NUMBER = re.compile(r"^(\d{1,9})([.)])(?= |$)")
# What a link destination may not hold bare: percent-encoded instead.
_DESTINATION_ESCAPES = {
    " ": "%20",
    "\t": "%09",
    "\n": "%0A",
    "\r": "%0D",
    "<": "%3C",
    ">": "%3E",
    "(": "%28",
    ")": "%29",
    "\\": "%5C",
    "|": "%7C",
}


@dataclass
class Element:
    tag: str
    attributes: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)


def to_markdown(clean_html: str, base_url: str) -> str:
    """The answer as Markdown; relative links and images resolved against `base_url`
    (the page's address)."""
    return _Writer(base_url).document(parse(clean_html))


def parse(clean_html: str) -> Element:
    """The HTML as a tree. Sanitised HTML is well formed; a stray end tag is ignored
    and one left open is closed by its parent's end."""
    root = Element("")
    stack = [root]
    for kind, value, attributes in _tokens(clean_html or ""):
        if kind == TEXT:
            stack[-1].children.append(value)
        elif kind == START:
            element = Element(value, {name: attribute or "" for name, attribute in attributes})
            stack[-1].children.append(element)
            if value not in VOID:
                stack.append(element)
        elif kind == END and value not in VOID:
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == value:
                    del stack[depth:]
                    break
    return root


# --- text ---------------------------------------------------------------------------


def escape_text(text: str) -> str:
    """Text as Markdown that shows exactly it, wherever it stands in a line (the start of
    a line is `escape_line_start()`'s)."""
    text = _ALWAYS_ESCAPED.sub(r"\\\1", text)
    text = _REFERENCE.sub(r"\\&", text)
    text = _HASHES.sub(r"\\\1", text)
    # "!" then a link ("[") is an image: a "!" that may stand before one is escaped.
    return text[:-1] + "\\!" if text.endswith("!") else text


def escape_line_start(line: str) -> str:
    """A line of a paragraph that would start a block quote, a list or a break, escaped.
    Markup this module writes never starts a line with these characters."""
    line = _LINE_START_MARK.sub(r"\\\1", line)
    return _LINE_START_NUMBER.sub(r"\1\\\2", line)


def link_destination(url: str) -> str:
    """A URL as a link destination: what would end or split it percent-encoded."""
    return "".join(_DESTINATION_ESCAPES.get(char, char) for char in url)


def link_title(title: str) -> str:
    """A title as a link's quoted title."""
    title = " ".join(title.split())
    title = title.replace("\\", "\\\\").replace('"', '\\"').replace("|", "\\|")
    return _REFERENCE.sub(r"\\&", title)


def split_spaces(inner: str) -> tuple[str, str, str]:
    """(spaces before, the rest, spaces after): markup goes around the rest only."""
    core = inner.strip(" \n")
    before = inner[: len(inner) - len(inner.lstrip(" \n"))]
    return before, core, inner[len(before) + len(core) :]


# --- the writer ---------------------------------------------------------------------


class _Writer:
    """Blocks are rendered to strings and joined by blank lines; inline content is one
    string whose "\\n" are line breaks (<br>), made hard breaks by `paragraph()`."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def document(self, root: Element) -> str:
        return "\n\n".join(text for _, text in self.blocks(root.children))

    def blocks(self, nodes: list[Element | str]) -> list[tuple[str, str]]:
        """(tag, Markdown) of each block of `nodes`: runs of inline nodes are paragraphs
        (tag ""), and a list right after a list of its kind gets the other marker, as
        CommonMark would otherwise run the two together."""
        found: list[tuple[str, str]] = []
        run: list[Element | str] = []

        def end_run() -> None:
            if text := self.paragraph(run):
                found.append(("", text))
            run.clear()

        for node in nodes:
            if isinstance(node, str) or node.tag not in BLOCKS:
                run.append(node)
                continue
            end_run()
            follows_list = bool(found) and found[-1][0] == node.tag and node.tag in LISTS
            if text := self.block(node, follows_list):
                found.append((node.tag, text))
        end_run()
        return found

    def joined(self, nodes: list[Element | str]) -> str:
        return "\n\n".join(text for _, text in self.blocks(nodes))

    def block(self, element: Element, follows_list: bool = False) -> str:
        tag = element.tag
        if tag in HEADINGS:
            text = _collapse_spaces(self.inline(element.children).replace("\n", " ")).strip(" ")
            return f"{'#' * HEADINGS[tag]} {text}" if text else ""
        if tag in LISTS:
            return self.list_block(element, follows_list)
        if tag == "pre":
            return self.code_block(element)
        if tag == "table":
            return self.table(element)
        if tag == "blockquote":
            return quoted(self.joined(element.children))
        if tag == "hr":
            return "---"
        if tag in ("figcaption", "caption"):
            # In italics, marked with "_" so that an <em> inside (marked "*") stays apart.
            return self.lines(emphasised(marked("_", self.pieces(element.children))))
        if tag == "dt":
            return self.lines(emphasised(marked("**", self.pieces(element.children))))
        if tag == "p":
            return self.paragraph(element.children)
        return self.joined(element.children)  # figure, dl, dd, li outside a list

    def paragraph(self, nodes: list[Element | str]) -> str:
        return self.lines(self.inline(nodes))

    def lines(self, inline: str) -> str:
        """Inline content as a paragraph: each <br> a hard line break ("\\" at the end of
        the line), no line empty, none starting with what would make it another block."""
        lines = [_collapse_spaces(line).strip(" ") for line in inline.split("\n")]
        # A line of nothing but no-break spaces shows nothing, and parsers trim it away,
        # leaving the break before it a stray backslash: it goes.
        return "\\\n".join(escape_line_start(line) for line in lines if line.strip())

    # --- inline

    def inline(self, nodes: list[Element | str], *, in_table: bool = False) -> str:
        return emphasised(self.pieces(nodes, in_table=in_table))

    def pieces(self, nodes: list[Element | str], *, in_table: bool = False) -> list[Piece]:
        return [piece for node in nodes for piece in self.inline_node(node, in_table)]

    def inline_node(self, node: Element | str, in_table: bool) -> list[Piece]:
        if isinstance(node, str):
            return [escape_text(_WHITE_SPACE.sub(" ", node))]
        tag = node.tag
        if tag == "br":
            return [" " if in_table else "\n"]
        if tag == "img":
            return [self.image(node)]
        if tag in ("code", "kbd"):
            return [Code(_WHITE_SPACE.sub(" ", text_of(node)), in_table)]
        if tag == "a":  # its text is emphasised on its own: a run never crosses a bracket
            return [self.link(node, self.inline(node.children, in_table=in_table))]
        inner = self.pieces(node.children, in_table=in_table)
        if tag in ("strong", "b"):
            return marked("**", inner)
        if tag in ("em", "i"):
            return marked("*", inner)
        if tag == "s":
            return marked("~~", inner)
        if tag == "abbr" and (title := " ".join(node.attributes.get("title", "").split())):
            return [*inner, f" ({escape_text(title)})"] if title != text_of(node).strip() else inner
        if tag in BLOCKS:  # a block inside inline content (a table cell's paragraphs)
            return [" ", *inner, " "]
        return inner  # u, mark, small, sub, sup: their text

    def link(self, element: Element, inner: str) -> str:
        href = element.attributes.get("href", "").strip()
        before, text, after = split_spaces(inner)
        if not href or not text:  # a link with nothing to click is not shown on the page either
            return inner
        url = urljoin(self.base_url, href)
        title = element.attributes.get("title", "")
        title_part = f' "{link_title(title)}"' if title.strip() else ""
        return f"{before}[{text}]({link_destination(url)}{title_part}){after}"

    def image(self, element: Element) -> str:
        src = element.attributes.get("src", "").strip()
        if not src:
            return ""
        alt = escape_text(" ".join(element.attributes.get("alt", "").split()))
        return f"![{alt}]({link_destination(urljoin(self.base_url, src))})"

    # --- blocks with structure

    def list_block(self, element: Element, follows_list: bool) -> str:
        """A list, each item's lines after its first indented under its text, so that
        paragraphs, code and lists inside it stay inside it."""
        ordered = element.tag == "ol"
        start = whole_number(element.attributes.get("start", ""), MAX_LIST_START)
        number = 1 if start is None else start
        delimiter = (")" if follows_list else ".") if ordered else ("*" if follows_list else "-")
        items = []
        for item in list_items(element):
            marker = f"{number}{delimiter}" if ordered else delimiter
            items.append(indented(marker, self.item_body(item)))
            number = min(number + 1, MAX_LIST_START)
        return "\n".join(items)

    def item_body(self, item: Element) -> str:
        """An item's blocks: a list right after its text starts on the next line (a
        tight list); anything else after a blank line."""
        parts = self.blocks(item.children)
        text = ""
        for index, (tag, block) in enumerate(parts):
            if index:
                # CommonMark lets a list interrupt a paragraph only with a first item that
                # has text, and, numbered, only from 1.
                first = block.split("\n", 1)[0]
                tight = " " in first and (tag == "ul" or (tag == "ol" and first.startswith("1")))
                text += "\n" if tight else "\n\n"
            text += block
        return text

    def code_block(self, element: Element) -> str:
        """A fenced code block of the text as written (HTML drops one newline right
        after <pre>), fenced longer than any run of backticks inside it."""
        code = text_of(element, line_breaks=True)
        code = code.removeprefix("\n").rstrip("\n")
        if not code.strip():
            return ""
        fence = "`" * max(3, longest_backticks(code) + 1)
        return f"{fence}\n{code}\n{fence}"

    def table(self, element: Element) -> str:
        """A pipe table: the first row is its header when it is the table head or all
        header cells, else the header is left empty (a pipe table must have one). A
        cell spanning columns is followed by empty ones; rowspan is not kept."""
        caption, rows = "", []
        for child in element.children:
            if isinstance(child, str):
                continue
            if child.tag == "caption":
                caption = self.block(child)
            elif child.tag == "tr":
                rows.append((child, False))
            elif child.tag in ROW_GROUPS:
                rows.extend((row, child.tag == "thead") for row in child.children if is_row(row))
        cells = [(self.row_cells(row), in_head or all_header_cells(row)) for row, in_head in rows]
        if not cells:
            return caption
        width = max(len(row) for row, _ in cells)
        head_row, is_head = cells[0]
        body = [row for row, _ in cells[1:]] if is_head else [row for row, _ in cells]
        header = head_row if is_head else [""] * width
        lines = [table_row(header, width), table_row(["---"] * width, width)]
        lines += [table_row(row, width) for row in body]
        return "\n\n".join(part for part in (caption, "\n".join(lines)) if part)

    def row_cells(self, row: Element) -> list[str]:
        cells: list[str] = []
        for cell in row.children:
            if isinstance(cell, str) or cell.tag not in ("td", "th"):
                continue
            text = _collapse_spaces(self.inline(cell.children, in_table=True).replace("\n", " ")).strip()
            span = whole_number(cell.attributes.get("colspan", ""), MAX_COLSPAN) or 1
            cells += [text] + [""] * (span - 1)
        return cells


def list_items(element: Element) -> list[Element]:
    """The list's items: a list or text put straight inside it (not in an <li>) joins
    the item before it, as browsers show it."""
    items: list[Element] = []
    for child in element.children:
        if isinstance(child, Element) and child.tag == "li":
            items.append(child)
        elif isinstance(child, str) and not child.strip(" \t\n\r\f"):
            continue
        elif items:
            items[-1].children.append(child)
        else:
            items.append(Element("li", {}, [child]))
    return items


def indented(marker: str, body: str) -> str:
    """A list item: the marker, then the body, its later lines indented to the text."""
    if not body:
        return marker
    pad = " " * (len(marker) + 1)
    first, *rest = body.split("\n")
    return "\n".join([f"{marker} {first}", *(f"{pad}{line}" if line else "" for line in rest)])


def quoted(body: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in body.split("\n")) if body else ""


def is_row(node: Element | str) -> bool:
    return isinstance(node, Element) and node.tag == "tr"


def all_header_cells(row: Element) -> bool:
    cells = [cell for cell in row.children if isinstance(cell, Element) and cell.tag in ("td", "th")]
    return bool(cells) and all(cell.tag == "th" for cell in cells)


def table_row(cells: list[str], width: int) -> str:
    padded = cells + [""] * (width - len(cells))
    return "| " + " | ".join(padded) + " |"


def text_of(element: Element, *, line_breaks: bool = False) -> str:
    """The element's text as written (for code), a <br> a newline when `line_breaks`."""
    pieces = []
    for node in element.children:
        if isinstance(node, str):
            pieces.append(node)
        elif node.tag == "br":
            pieces.append("\n" if line_breaks else " ")
        else:
            pieces.append(text_of(node, line_breaks=line_breaks))
    return "".join(pieces)


def _collapse_spaces(line: str) -> str:
    return re.sub(r" {2,}", " ", line)
