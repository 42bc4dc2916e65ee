"""The answer as Markdown (machine_copies.markdown): each element of the sanitiser's
allow-list written as CommonMark, read back with a CommonMark parser, and text that
looks like Markdown or HTML shown as the text it is."""

from __future__ import annotations

import random
from html import escape

import pytest

from faqs import content
from machine_copies.markdown import to_markdown
from tests.machine_copies.commonmark import raw_html, shown_text, text_of_html, to_html, token_types

PAGE = "https://certilyst.com/resources/faq/retakes/"


def markdown(html: str) -> str:
    return to_markdown(content.sanitize(html), base_url=PAGE)


# --- structure


def test_headings_keep_their_level_below_the_questions_title():
    written = markdown("<h2>Fees</h2><h3>Retake fees</h3><h6>Small print</h6>")
    assert written == "## Fees\n\n### Retake fees\n\n###### Small print"


def test_nested_lists_stay_nested_under_their_item():
    written = markdown(
        "<ul><li>First<ul><li>Nested <em>one</em></li><li>Nested two</li></ul></li><li>Second</li></ul>"
    )
    assert written == "- First\n  - Nested *one*\n  - Nested two\n- Second"
    assert to_html(written).count("<ul>") == 2


def test_an_ordered_list_keeps_its_start_and_an_items_paragraphs_stay_inside_it():
    written = markdown('<ol start="3"><li><p>Three</p><p>More on three</p></li><li>Four</li></ol>')
    assert written == "3. Three\n\n   More on three\n4. Four"
    rendered = to_html(written)
    assert '<ol start="3">' in rendered and rendered.count("<li>") == 2 and "More on three" in rendered


def test_two_lists_one_after_the_other_stay_two_lists():
    written = markdown("<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol><ol><li>d</li></ol>")
    rendered = to_html(written)
    assert rendered.count("<ul>") == 2 and rendered.count("<ol>") == 2


def test_a_table_is_a_pipe_table_with_its_head_and_caption():
    written = markdown(
        "<table><caption>Fees by <em>attempt</em></caption>"
        "<thead><tr><th>Attempt</th><th>Fee | USD</th></tr></thead>"
        "<tbody><tr><td>First</td><td><code>a|b</code></td></tr>"
        '<tr><td colspan="2">Later *ones*</td></tr></tbody>'
        "</table>"
    )
    assert written == (
        "_Fees by *attempt*_\n\n"
        "| Attempt | Fee \\| USD |\n| --- | --- |\n| First | `a\\|b` |\n| Later \\*ones\\* |  |"
    )
    rendered = to_html(written)
    assert "<th>Fee | USD</th>" in rendered and "<code>a|b</code>" in rendered
    assert "<td>Later *ones*</td>" in rendered and "<p><em>Fees by <em>attempt</em></em></p>" in rendered


def test_a_table_without_a_head_row_gets_an_empty_header():
    written = markdown("<table><tbody><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></tbody></table>")
    assert written == "|  |  |\n| --- | --- |\n| a | b |\n| c |  |"
    assert to_html(written).count("<tr>") == 3


def test_a_code_block_is_fenced_longer_than_any_backticks_inside_it():
    written = markdown("<pre><code>pip install `x`\n  &lt;b&gt; indented\n```\n</code></pre>")
    assert written == "````\npip install `x`\n  <b> indented\n```\n````"
    assert "<pre><code>pip install `x`\n  &lt;b&gt; indented\n```\n</code></pre>" in to_html(written)


def test_inline_code_keeps_its_backticks_and_kbd_is_code():
    written = markdown("<p>Type <code>a`b</code> then <kbd>Ctrl</kbd>+<kbd>C</kbd></p>")
    assert written == "Type ``a`b`` then `Ctrl`+`C`"
    assert "<code>a`b</code>" in to_html(written)


def test_links_keep_their_title_and_point_at_absolute_addresses():
    written = markdown(
        '<p><a href="#fees" title="The &quot;fees&quot; part">fees</a>, '
        '<a href="/resources/faq/other/">other</a>, <a href="mailto:help@example.com">mail us</a></p>'
    )
    assert written == (
        f'[fees]({PAGE}#fees "The \\"fees\\" part"), '
        "[other](https://certilyst.com/resources/faq/other/), [mail us](mailto:help@example.com)"
    )
    assert f'<a href="{PAGE}#fees" title="The &quot;fees&quot; part">fees</a>' in to_html(written)


def test_a_link_address_with_spaces_or_parentheses_stays_one_address():
    written = markdown('<p><a href="https://en.wikipedia.org/wiki/Plane_(Unicode) x">plane</a></p>')
    assert written == "[plane](https://en.wikipedia.org/wiki/Plane_%28Unicode%29%20x)"
    assert 'href="https://en.wikipedia.org/wiki/Plane_%28Unicode%29%20x"' in to_html(written)


def test_an_image_with_a_caption_is_an_image_then_its_caption_in_italics():
    written = markdown(
        '<figure class="figure"><img src="/resources/media/images/chart.png" alt="A [chart] of fees">'
        "<figcaption>Fees by <em>attempt</em></figcaption></figure>"
    )
    assert written == (
        "![A \\[chart\\] of fees](https://certilyst.com/resources/media/images/chart.png)\n\n"
        "_Fees by *attempt*_"
    )
    rendered = to_html(written)
    assert (
        '<img src="https://certilyst.com/resources/media/images/chart.png" alt="A [chart] of fees" />'
        in rendered
    )
    assert "<em>Fees by <em>attempt</em></em>" in rendered


def test_line_breaks_quotes_rules_definitions_and_abbreviations():
    written = markdown(
        "<p>line<br>break<br></p><blockquote><p>Quoted</p><p>Two</p></blockquote><hr>"
        '<dl><dt>CMA</dt><dd>An <abbr title="Certified Medical Assistant">CMA</abbr> exam</dd></dl>'
    )
    assert written == (
        "line\\\nbreak\n\n> Quoted\n>\n> Two\n\n---\n\n**CMA**\n\nAn CMA (Certified Medical Assistant) exam"
    )
    assert token_types(written).count("hardbreak") == 1 and "blockquote_open" in token_types(written)


def test_an_empty_answer_is_empty():
    assert markdown("") == "" and markdown("<p> </p><ul></ul>") == ""


# --- text that looks like Markdown or HTML


@pytest.mark.parametrize(
    "text",
    [
        "*not emphasis* and _not either_ and **nor this**",
        "# not a heading",
        "Fees ## are not a closing sequence ##",
        "1. not a list",
        "2024) neither",
        "- not a bullet",
        "+ nor this",
        "> not a quote",
        "---",
        "===",
        "[not](a link) and ![not](an image)",
        "[ref]: https://example.com",
        "<script>alert(1)</script>",
        "<!-- not a comment -->",
        "&lt;b&gt; &amp; &copy; &#169; stay written out",
        "a | table | row",
        "~~not struck~~ ~~~",
        "`not code`",
        "back\\slash\\",
        "<https://example.com> is not an autolink",
    ],
)
def test_text_that_looks_like_markdown_is_shown_as_written(text):
    written = markdown(f"<p>{escape(text)}</p>")
    assert raw_html(written) == []
    assert token_types(written) == ["paragraph_open", "inline", "text", "paragraph_close"]
    assert shown_text(written) == "".join(text.split())


def test_emphasis_beside_punctuation_keeps_the_text_exact():
    # "a**.**b" is no emphasis in CommonMark: the text is kept, the emphasis dropped.
    for html in (
        "<p>a<strong>.</strong>b</p>",
        "<p><strong>Note:</strong>Read</p>",
        "<p><b>a</b><b>b</b></p>",
    ):
        written = markdown(html)
        assert shown_text(written) == text_of_html(html), (html, written)
    assert to_html(markdown("<p><strong>Note:</strong> read</p>")) == "<p><strong>Note:</strong> read</p>\n"


# --- random answers: their text, and never HTML

PIECES = [
    "a", "word", " ", "  ", "*", "**", "_", "`", "``", "[", "]", "(", ")", "<", ">", "<b>", "&amp;",
    "&copy;", "#", "# ", "1.", "1)", "-", "+", "=", "|", "~", "~~", "\\", "!", "![", ":", "---",
    "2024.", "http://x.y", "\u00a0", "é",
]  # fmt: skip
INLINE = ["strong", "em", "code", "a", "s", "sub", "mark"]
BLOCKS = ["p", "h2", "h3", "blockquote", "ul", "ol", "pre", "table", "figure", "dl"]


def random_text(rng: random.Random) -> str:
    return escape("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))))


def random_inline(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        if depth < 2 and rng.random() < 0.4:
            tag = rng.choice(INLINE)
            attributes = ' href="/resources/faq/x (1)/"' if tag == "a" else ""
            parts.append(f"<{tag}{attributes}>{random_inline(rng, depth + 1)}</{tag}>")
        elif rng.random() < 0.1:
            parts.append("<br>")
        else:
            parts.append(random_text(rng))
    return "".join(parts)


def random_cells(rng: random.Random, cell: str) -> str:
    return "".join(f"<{cell}>{random_inline(rng)}</{cell}>" for _ in range(rng.randint(1, 3)))


def random_sublist(rng: random.Random, depth: int) -> str:
    return random_block(rng, depth + 1) if depth < 2 and rng.random() < 0.3 else ""


def random_block(rng: random.Random, depth: int = 0) -> str:
    tag = rng.choice(BLOCKS)
    if tag in ("ul", "ol"):
        items = "".join(
            f"<li>{random_inline(rng)}{random_sublist(rng, depth)}</li>" for _ in range(rng.randint(1, 3))
        )
        return f"<{tag}>{items}</{tag}>"
    if tag == "blockquote":
        return f"<blockquote>{random_block(rng, depth + 1) if depth < 2 else '<p>q</p>'}</blockquote>"
    if tag == "pre":
        return f"<pre><code>{random_text(rng)}\n{random_text(rng)}</code></pre>"
    if tag == "table":
        head = f"<thead><tr>{random_cells(rng, 'th')}</tr></thead>" if rng.random() < 0.5 else ""
        rows = "".join(f"<tr>{random_cells(rng, 'td')}</tr>" for _ in range(2))
        return f"<table>{head}<tbody>{rows}</tbody></table>"
    if tag == "figure":
        image = f'<img src="/resources/media/images/a.png" alt="{random_text(rng)}">'
        return f'<figure class="figure">{image}<figcaption>{random_inline(rng)}</figcaption></figure>'
    if tag == "dl":
        return f"<dl><dt>{random_inline(rng)}</dt><dd>{random_inline(rng)}</dd></dl>"
    return f"<{tag}>{random_inline(rng)}</{tag}>"


def test_random_answers_show_their_text_and_no_html():
    """Seeded: the same 400 answers every run, dense with what Markdown reads as
    syntax. What a reader sees of the Markdown is the answer's text, every character
    of it, with no HTML passed through."""
    rng = random.Random(22)
    for _ in range(400):
        html = content.sanitize("".join(random_block(rng) for _ in range(rng.randint(1, 4))))
        written = to_markdown(html, base_url=PAGE)
        assert raw_html(written) == [], (html, written)
        assert shown_text(written) == text_of_html(html), (html, written)
