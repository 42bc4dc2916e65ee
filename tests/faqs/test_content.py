import pytest

from faqs import content


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>Hi<script>alert(1)</script></p>", "alert"),
        ('<p onclick="steal()">Hi</p>', "onclick"),
        ('<img src="x.png" onerror="steal()" alt="x">', "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
        ("<style>body{display:none}</style><p>Hi</p>", "display"),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<p style="position:fixed">Hi</p>', "style"),
        ("<!-- secret --><p>Hi</p>", "secret"),
    ],
)
def test_sanitize_removes_dangerous_markup(dirty, forbidden):
    assert forbidden.lower() not in content.sanitize(dirty).lower()


def test_sanitize_keeps_allowed_markup():
    html = (
        "<h2>Title</h2><p>Text with <strong>bold</strong>, <em>em</em> and "
        '<a href="https://example.com/" title="t">a link</a>.</p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>q</blockquote>"
        "<pre><code>x = 1</code></pre>"
        '<table><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td>c</td></tr></tbody></table>'
        '<img src="/resources/media/images/i.png" alt="An image">'
    )
    assert content.sanitize(html) == html


def test_sanitize_keeps_the_reference_answer_unchanged(reference):
    raw = reference["content"]["rendered"]
    assert content.sanitize(raw) == raw


def test_sanitize_gives_images_an_alt():
    assert content.sanitize('<img src="/resources/media/images/a.png">') == (
        '<img alt="" src="/resources/media/images/a.png">'
    )


def test_sanitize_escapes_text_that_looks_like_markup():
    assert content.sanitize("<p>1 < 2 & </script></p>") == "<p>1 &lt; 2 &amp; </p>"


@pytest.mark.parametrize("words, minutes", [(0, 1), (1, 1), (200, 1), (201, 2), (400, 2), (401, 3)])
def test_reading_time_is_words_over_200_rounded_up_at_least_one(words, minutes):
    html = "<p>" + " ".join(["word"] * words) + "</p>"
    assert content.answer_facts(html).reading_minutes == minutes


def test_reading_time_label_is_singular_for_one_minute():
    assert content.reading_time_label(1) == "1 minute"
    assert content.reading_time_label(2) == "2 minutes"


def test_reference_answer_reads_in_two_minutes(reference):
    html = reference["content"]["rendered"]
    assert content.reading_time_label(content.answer_facts(html).reading_minutes) == "2 minutes"


def test_description_is_the_references_when_derived_from_its_first_paragraph(reference):
    html = reference["content"]["rendered"]
    assert content.derive_description(html) == reference["yoast_head_json"]["description"]


def test_description_prefers_the_excerpt():
    assert content.derive_description("<p>Body.</p>", excerpt="Short &amp; sweet.") == "Short & sweet."


def test_description_cuts_at_a_sentence_boundary():
    first = "A" * 200 + "."
    second = "B" * 200 + "."
    assert content.derive_description(f"<p>{first} {second}</p>") == first


def test_description_of_one_huge_sentence_cuts_at_a_word_with_ellipsis():
    text = " ".join(["word"] * 200)
    description = content.derive_description(f"<p>{text}</p>")
    assert description.endswith("…")
    assert len(description) <= content.DESCRIPTION_MAX_CHARS
    assert "wor…" not in description


def test_description_of_empty_content_is_empty():
    assert content.derive_description("") == ""


def test_plain_text_keeps_paragraphs_apart():
    assert content.answer_facts("<p>One.</p><p>Two <b>bold</b>.</p>").text == "One.\nTwo bold."


def test_description_skips_a_heading_and_uses_the_first_paragraph():
    html = "<h2>Overview</h2><ul><li>Fee: $125</li></ul><p>The exam costs money. It is worth it.</p>"
    assert content.derive_description(html) == "The exam costs money. It is worth it."


def test_description_of_an_answer_without_paragraphs_is_its_first_block():
    assert content.derive_description("<ul><li>Fee: $125</li><li>Time: 4 h</li></ul>") == "Fee: $125"


def test_description_from_an_excerpt_with_markup_keeps_only_its_words():
    assert (
        content.derive_description("<p>Body.</p>", excerpt="<b>Bold</b> &amp; <i>brief</i>.")
        == "Bold & brief."
    )


def test_headings_keep_safe_ids_for_in_answer_links():
    html = '<h2 id="fees">Fees</h2><h3 id="content">x</h3><p id="para">p</p><h2 id="a b">y</h2>'
    assert content.sanitize(html) == '<h2 id="fees">Fees</h2><h3>x</h3><p>p</p><h2>y</h2>'


def test_sanitize_allows_attributes_only_where_the_allow_list_names_them():
    html = '<p title="t" lang="en" class="c">x</p><a href="https://example.com/" lang="en">y</a>'
    assert content.sanitize(html) == '<p>x</p><a href="https://example.com/">y</a>'


def test_sanitize_drops_an_unclosed_script_with_all_it_would_have_run():
    assert content.sanitize("<p>Hi</p><script>alert(1)") == "<p>Hi</p>"


def test_sanitize_keeps_what_character_references_say():
    html = content.sanitize("<p>Can&#8217;t &amp; won&rsquo;t &lt;b&gt;</p>")
    assert content.answer_facts(html).text == "Can’t & won’t <b>"


@pytest.mark.parametrize(
    "raw",
    [
        "<p>Can&#8217;t &amp; won&rsquo;t &lt;b&gt;&nbsp;now</p><p>a\u00a0b<br>c</p>",
        '<h2 id="fees">Fees</h2><ol start="2" reversed>'
        '<li><a href="/faq/x/?a=1&amp;b=2" title="t">x</a></li></ol>',
        '<table><tr><td colspan="2">c</td></tr></table><img src="i.png"><a title=\'say "hi"\'>q</a>',
        "<div>1 < 2 > 0 <span>&copy;</span></div>",
    ],
)
def test_clean_html_is_read_as_htmlparser_reads_it(raw, reference):
    """sanitize()'s output is tokenised with one regex; HTMLParser must agree on it."""
    for html in (content.sanitize(raw), content.sanitize(reference["content"]["rendered"])):
        parser = content._Tokenizer()
        parser.feed(html)
        parser.close()
        assert content._clean_tokens(html) == parser.tokens


def test_html_the_sanitiser_did_not_write_is_read_by_htmlparser():
    assert content._clean_tokens("<p>x</p><script>if (a<b) {}</script>") is None
    assert content._clean_tokens("<p>1 < 2</p>") is None


@pytest.mark.parametrize(
    "text, limit, cut",
    [
        ("Short enough.", 20, "Short enough."),
        ("You can retake the exam three times a year", 20, "You can retake the…"),
        ("Every candidate must wait", 14, "Every…"),  # not "Every candida…"
        ("Exactly twenty chars", 20, "Exactly twenty chars"),
        ("Ends at a word, then more words", 15, "Ends at a word…"),
        ("Supercalifragilisticexpialidocious", 10, "Supercali…"),  # one word: cut as it must be
        ("A list: fees, dates; more", 15, "A list: fees…"),
    ],
)
def test_summaries_are_cut_between_words(text, limit, cut):
    assert content.cut_at_word(text, limit) == cut
    assert len(content.cut_at_word(text, limit)) <= limit


def test_a_cards_summary_ends_between_words():
    from faqs.models import Question
    from faqs.result_cards import question_card

    summary = ("Each candidate may sit the exam three times a year. " * 6).strip()
    html = question_card(Question(title="Q?", slug="q", excerpt=summary))
    shown = html.split('class="card__summary">')[1].split("</p>")[0]
    assert shown.endswith("…") and len(shown) <= 220
    assert shown[:-1].split()[-1] in summary.split()  # a whole word before the ellipsis


def test_every_heading_gets_a_stable_id_and_the_sections_are_listed():
    html = (
        '<h2>Retake fees</h2><p>The fee is $250.</p><h3 id="own-anchor">Members &amp; others</h3>'
        "<h2>Retake fees</h2><h4>Fine print</h4><h2>2026 rules</h2>"
    )
    shown, sections = content.with_section_ids(html)
    assert '<h2 id="retake-fees">Retake fees</h2>' in shown
    assert '<h3 id="own-anchor">Members &amp; others</h3>' in shown  # its own id kept
    assert '<h2 id="retake-fees-2">Retake fees</h2>' in shown
    assert '<h4 id="fine-print">Fine print</h4>' in shown
    assert '<h2 id="section-2026-rules">2026 rules</h2>' in shown
    assert [(s.level, s.anchor, s.title) for s in sections] == [
        (2, "retake-fees", "Retake fees"),
        (3, "own-anchor", "Members & others"),
        (2, "retake-fees-2", "Retake fees"),
        (2, "section-2026-rules", "2026 rules"),
    ]
    # The text around a heading changes; its id does not.
    again, _ = content.with_section_ids("<p>A new opening paragraph.</p>" + html.replace("$250", "$275"))
    assert '<h2 id="retake-fees">Retake fees</h2>' in again
    # The page's own ids are never taken, by a stored id or a made one.
    assert 'id="content-2"' in content.with_section_ids("<h2>Content</h2>")[0]
