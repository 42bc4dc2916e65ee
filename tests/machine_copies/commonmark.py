"""Markdown read back as a reader's tools read it: markdown-it-py, CommonMark with
GitHub's tables and strikethrough, raw HTML allowed, so HTML that passed through would
show up as html_block/html_inline tokens instead of text."""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def to_html(markdown: str) -> str:
    return PARSER.render(markdown)


def token_types(markdown: str) -> list[str]:
    """Every token's type, inline children included, in document order."""
    types = []
    for token in PARSER.parse(markdown):
        types.append(token.type)
        types.extend(child.type for child in token.children or [])
    return types


def raw_html(markdown: str) -> list[str]:
    """The HTML a renderer would pass through untouched: none is the rule."""
    return [kind for kind in token_types(markdown) if kind in ("html_block", "html_inline")]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)


def text_of_html(html: str) -> str:
    """The text of some HTML, white space left out (blocks put it in differently)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join("".join(parser.pieces).split())


def shown_text(markdown: str) -> str:
    """The text a reader sees of some Markdown, white space left out."""
    return text_of_html(to_html(markdown))
