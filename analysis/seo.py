"""The SEO checks: Yoast SEO's assessments with their thresholds and scores (their
file names in packages/yoastseo/src/scoring/assessments/seo/ are cited on each), and
two of this FAQ site's own, answerFirst and duplicateQuestion.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from urllib.parse import urlsplit

from faqs.words import SEARCH_STOP_WORDS, stem, words

from .english import QUESTION_OPENERS
from .results import SEO, Check, check
from .subject import HEADING, Answer, Block, Phrase, Subject, quote_start, split_sentences

# What Yoast scores when there is no focus keyphrase (KeyphraseLengthAssessment): it
# makes the overall SEO rating bad whatever else is good.
NO_KEYPHRASE_SCORE = -999


def keyphrase_checks(
    subject: Subject, answer: Answer, keyphrase: Phrase, synonyms: list[Phrase]
) -> list[Check]:
    either = [keyphrase, *synonyms]
    return [
        introduction_keyword(answer, either),
        keyphrase_length(keyphrase),
        keyphrase_density(answer, keyphrase),
        meta_description_keyword(subject.description, either),
        title_keyword(subject.seo_title, keyphrase),
        slug_keyword(subject.slug, keyphrase, subject.cornerstone),
        subheadings_keyword(answer, either, subject.cornerstone),
        previously_used_keywords(subject.keyphrase_used_by),
    ]


def no_keyphrase() -> Check:
    """Yoast shows "Please add both a keyphrase and…" on each keyphrase assessment when
    none is set; they all say the same, so here it is one check, with Yoast's score."""
    return check(
        "keyphraseLength",
        SEO,
        NO_KEYPHRASE_SCORE,
        "Set a focus keyphrase (the search words this answer should be found for) "
        "to get the keyphrase checks.",
    )


def other_checks(subject: Subject, answer: Answer) -> list[Check]:
    return [
        meta_description_length(subject.description, subject.description_is_own, subject.cornerstone),
        title_width(subject.seo_title),
        text_length(answer.word_count, subject.cornerstone),
        internal_links(answer, subject.site_hosts),
        external_links(answer, subject.site_hosts),
        answer_first(answer),
        duplicate_question(subject.similar_titles),
    ]


def introduction_keyword(answer: Answer, either: list[Phrase]) -> Check:
    """IntroductionKeywordAssessment: the keyphrase or a synonym in one sentence of the
    first paragraph (9); all its words in the paragraph but not in one sentence (6)."""
    first = answer.paragraphs[0] if answer.paragraphs else (answer.body[0] if answer.body else None)
    if first is None:
        return check("introductionKeyword", SEO, 3, "Write a first paragraph that uses the keyphrase.")
    if any(p.found_in(sentence.stems) for sentence in first.sentences for p in either):
        return check("introductionKeyword", SEO, 9, "The first paragraph uses the keyphrase: well done.")
    paragraph_stems = [s for sentence in first.sentences for s in sentence.stems]
    if any(p.share_in(paragraph_stems) == 1 for p in either):
        return check(
            "introductionKeyword",
            SEO,
            6,
            "The keyphrase's words are in the first paragraph but not in one sentence: bring them together.",
            first.place(),
        )
    return check(
        "introductionKeyword",
        SEO,
        3,
        "Use the keyphrase or a synonym in the first paragraph, so the topic is clear at once.",
        first.place(),
    )


def keyphrase_length(keyphrase: Phrase) -> Check:
    """KeyphraseLengthAssessment (English, function words left out): 1-4 content words
    good, 5-8 ok, more bad."""
    length = len(keyphrase.content)
    if length <= 4:
        return check("keyphraseLength", SEO, 9, "The keyphrase has a good length.")
    if length <= 8:
        return check(
            "keyphraseLength", SEO, 6, f"The keyphrase has {length} content words: shorten it to 4 or fewer."
        )
    return check(
        "keyphraseLength", SEO, 3, f"The keyphrase has {length} content words, far more than 4: shorten it."
    )


def keyphrase_density(answer: Answer, keyphrase: Phrase) -> Check:
    """KeywordDensityAssessment.js (id keyphraseDensity): occurrences of the keyphrase
    per 100 words, weighted for its length; texts under 100 words are judged by count."""
    total = answer.word_count
    if total == 0:
        return check("keyphraseDensity", SEO, -50, "Write the answer, using the keyphrase in it.")
    count = sum(keyphrase.count_in(s.stems) for block in answer.blocks for s in block.sentences)
    if total < 100:
        return _short_text_density(count, total)
    factor = _keyphrase_length_factor(len(keyphrase.content))
    density = count / total * 100 * factor
    # Stems match every word form, Yoast's "multiple word forms" boundaries.
    minimum, maximum, over = 0.5, 3.5, 4
    least = _recommended_count(minimum, total, factor, math.ceil)
    most = _recommended_count(maximum, total, factor, math.floor)
    if count == 0 or density < minimum or count == 1:
        return check(
            "keyphraseDensity",
            SEO,
            4,
            f"The keyphrase is used {_times(count)}; use it at least {_times(least)} in an answer this long.",
        )
    if density <= maximum or (count == 2 and least <= 2):
        return check("keyphraseDensity", SEO, 9, f"The keyphrase is used {_times(count)}: a good amount.")
    score = -10 if density <= over else -50
    return check(
        "keyphraseDensity",
        SEO,
        score,
        f"The keyphrase is used {_times(count)}, more than the {_times(most)} that suit an answer this long: "
        "use it less.",
    )


def _short_text_density(count: int, total: int) -> Check:
    most = 2 if total > 50 else 1
    if count == 0:
        return check("keyphraseDensity", SEO, 4, "Use the keyphrase once in the answer.")
    if count <= most:
        return check("keyphraseDensity", SEO, 9, f"The keyphrase is used {_times(count)}: a good amount.")
    return check(
        "keyphraseDensity",
        SEO,
        -10 if count == most + 1 else -50,
        f"The keyphrase is used {_times(count)} in under 100 words: use it at most {_times(most)}.",
    )


def _keyphrase_length_factor(length: int) -> float:
    """Longer keyphrases are found less often: Yoast weights the density by
    0.7 + length / 3 (YoastSEO.js issue 1309)."""
    return 0.7 + length / 3


def _recommended_count(density: float, total: int, factor: float, rounding: Callable[[float], int]) -> int:
    """Yoast's recommendedKeywordCount: at least 2."""
    return max(2, rounding(density * total / (100 * factor)))


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def meta_description_keyword(description: str, either: list[Phrase]) -> Check:
    """MetaDescriptionKeywordAssessment: the keyphrase or a synonym in 1 or 2 of the
    description's sentences (9); none or more than 2 (3)."""
    if not description.strip():
        return check("metaDescriptionKeyword", SEO, 3, "Write a meta description that uses the keyphrase.")
    matches = sum(
        max(p.count_in([stem(token) for token in words(sentence)]) for p in either)
        for sentence in split_sentences(description)
    )
    if matches == 0:
        return check(
            "metaDescriptionKeyword",
            SEO,
            3,
            "Use the keyphrase or a synonym in the meta description.",
            "meta description",
        )
    if matches > 2:
        return check(
            "metaDescriptionKeyword",
            SEO,
            3,
            f"The meta description uses the keyphrase {matches} times: use it at most twice.",
            "meta description",
        )
    return check("metaDescriptionKeyword", SEO, 9, "The meta description uses the keyphrase: well done.")


def meta_description_length(description: str, is_own: bool, cornerstone: bool) -> Check:
    """MetaDescriptionLengthAssessment: more than 120 and at most 156 characters; too
    short or too long is ok (bad for cornerstone content); none written is bad."""
    length = len(description.strip())
    if not is_own or length == 0:
        return check(
            "metaDescriptionLength",
            SEO,
            1,
            "Write a meta description of 120 to 156 characters; "
            "search engines now get one cut from the answer.",
        )
    off = 3 if cornerstone else 6
    if length <= 120:
        return check(
            "metaDescriptionLength",
            SEO,
            off,
            f"The meta description has {length} characters: use up to 156 to say more.",
            "meta description",
        )
    if length > 156:
        return check(
            "metaDescriptionLength",
            SEO,
            off,
            f"The meta description has {length} characters: shorten it to 156 so it shows whole.",
            "meta description",
        )
    return check("metaDescriptionLength", SEO, 9, "The meta description has a good length.")


def title_keyword(seo_title: str, keyphrase: Phrase) -> Check:
    """KeyphraseInSEOTitleAssessment: the keyphrase word for word at the start of the
    SEO title (9), elsewhere or its words in another order (6), or not all its words (2).
    "At the start" allows the function words and question words before it."""
    where = f"SEO title: {quote_start(seo_title, 12)}" if seo_title else ""
    tokens = words(seo_title)
    stems = [stem(token) for token in tokens]
    sequence = list(keyphrase.stems)
    at = next(
        (i for i in range(len(stems) - len(sequence) + 1) if stems[i : i + len(sequence)] == sequence), -1
    )
    if at >= 0 and all(token in QUESTION_OPENERS or token in SEARCH_STOP_WORDS for token in tokens[:at]):
        return check("titleKeyword", SEO, 9, "The SEO title starts with the keyphrase: well done.")
    if at >= 0:
        return check("titleKeyword", SEO, 6, "Move the keyphrase to the start of the SEO title.", where)
    if not keyphrase.exact and keyphrase.share_in(stems) == 1:
        return check(
            "titleKeyword",
            SEO,
            6,
            "Write the keyphrase word for word in the SEO title, near its start.",
            where,
        )
    return check("titleKeyword", SEO, 2, "Use the keyphrase in the SEO title, ideally at its start.", where)


# Arial's advance widths in thousandths of an em (Helvetica's metrics, which Arial
# shares): Google cuts titles at about 600 px of 20 px Arial, and Yoast measures the
# title in the browser the same way (PageTitleWidthAssessment).
_ARIAL_WIDTHS = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667, "'": 191, "(": 333, ")": 333,
    "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278, ":": 278, ";": 278, "<": 584, "=": 584,
    ">": 584, "?": 556, "@": 1015, "[": 278, "\\": 278, "]": 278, "^": 469, "_": 556, "`": 333, "{": 334,
    "|": 260, "}": 334, "~": 584, "–": 556, "—": 1000, "‘": 222, "’": 222, "“": 333, "”": 333, "…": 1000,
    "·": 278, "•": 350, "«": 556, "»": 556,
    **dict.fromkeys("0123456789", 556),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (
        667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
        722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611), strict=True)),
    **dict(zip("abcdefghijklmnopqrstuvwxyz", (
        556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,
        556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500), strict=True)),
}  # fmt: skip
TITLE_FONT_PX = 20
TITLE_MAX_PX = 600


def title_pixels(title: str) -> float:
    """The width of `title` in 20 px Arial; accented letters as their base letter,
    anything else unknown as a digit's width."""
    units = 0
    for char in title:
        width = _ARIAL_WIDTHS.get(char)
        if width is None:
            base = unicodedata.normalize("NFKD", char)[:1]
            width = _ARIAL_WIDTHS.get(base, 556)
        units += width
    return units * TITLE_FONT_PX / 1000


def title_width(seo_title: str) -> Check:
    """PageTitleWidthAssessment: up to 600 px good (Yoast's SEO assessor lets a short
    title pass), wider bad, none very bad."""
    if not seo_title.strip():
        return check("titleWidth", SEO, 1, "Write an SEO title.")
    pixels = title_pixels(seo_title)
    if pixels > TITLE_MAX_PX:
        return check(
            "titleWidth",
            SEO,
            3,
            f"The SEO title is about {pixels:.0f} px wide, "
            f"more than the {TITLE_MAX_PX} px search results show: shorten it.",
            f"SEO title: {quote_start(seo_title, 12)}",
        )
    return check("titleWidth", SEO, 9, "The SEO title fits in search results.")


def slug_keyword(slug: str, keyphrase: Phrase, cornerstone: bool) -> Check:
    """UrlKeywordAssessment (slugKeyword): all the keyphrase's content words in the slug
    for 1-2 words, more than half for longer ones (9), else 6 (3 for cornerstone)."""
    stems = [stem(token) for token in words(slug.replace("-", " "))]
    if not stems:
        return check("slugKeyword", SEO, 3, "Give the question a slug that uses the keyphrase.")
    share = keyphrase.share_in(stems)
    enough = share == 1 if len(keyphrase.content) <= 2 else share > 0.5
    if enough:
        return check("slugKeyword", SEO, 9, "The slug uses the keyphrase.")
    return check(
        "slugKeyword",
        SEO,
        3 if cornerstone else 6,
        "Use (more of) the keyphrase in the slug; the old address then redirects.",
        f"slug: “{slug}”",
    )


def subheadings_keyword(answer: Answer, either: list[Phrase], cornerstone: bool) -> Check:
    """SubHeadingsKeywordAssessment: of the H2 and H3 subheadings, 30-75% reflect the
    topic (half the keyphrase's or a synonym's content words) (9); fewer or more (3).
    No subheading is fine in an answer of up to 300 words (250 cornerstone), else bad."""
    headings = [block for block in answer.blocks if block.kind == HEADING and block.level in (2, 3)]
    if not headings:
        if answer.word_count > (250 if cornerstone else 300):
            return check(
                "subheadingsKeyword",
                SEO,
                2,
                "Add H2 subheadings, some of them with the keyphrase or a synonym.",
            )
        return check("subheadingsKeyword", SEO, 9, "The answer is short enough not to need subheadings.")
    reflecting = [block for block in headings if _reflects(block, either)]
    share = len(reflecting) / len(headings) * 100
    if len(headings) == 1 and reflecting:
        return check("subheadingsKeyword", SEO, 9, "The subheading reflects the keyphrase.")
    if share < 30:
        missing = next(block for block in headings if block not in reflecting)
        return check(
            "subheadingsKeyword",
            SEO,
            3,
            "Use the keyphrase or a synonym in more H2 or H3 subheadings.",
            missing.place(),
        )
    if share > 75:
        return check(
            "subheadingsKeyword",
            SEO,
            3,
            f"{len(reflecting)} of {len(headings)} subheadings repeat the keyphrase: vary some of them.",
        )
    return check(
        "subheadingsKeyword",
        SEO,
        9,
        f"{len(reflecting)} of {len(headings)} subheadings reflect the keyphrase.",
    )


def _reflects(heading: Block, either: list[Phrase]) -> bool:
    stems = [stem(token) for token in words(heading.text)]
    return any(p.share_in(stems) >= 0.5 for p in either)


def text_length(word_count: int, cornerstone: bool) -> Check:
    """TextLengthAssessment: 300 words (900 for cornerstone content) is good."""
    if cornerstone:
        bands = ((900, 9), (400, 6), (0, -20))
        minimum = 900
    else:
        bands = ((300, 9), (250, 6), (200, 3), (100, -10), (0, -20))
        minimum = 300
    score = next(score for floor, score in bands if word_count >= floor)
    if score == 9:
        return check("textLength", SEO, 9, f"The answer has {word_count} words: long enough.")
    return check(
        "textLength",
        SEO,
        score,
        f"The answer has {word_count} words, below the {minimum} recommended"
        f"{' for cornerstone content' if cornerstone else ''}: add what readers still need to know.",
    )


def _is_internal(href: str, site_hosts: tuple[str, ...]) -> bool | None:
    """True for a link to this site, False for another site's, None for no page
    (a fragment, mailto:, tel:)."""
    parts = urlsplit(href.strip())
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if not parts.netloc:
        return None if not parts.path and not parts.query else True
    host = (parts.hostname or "").lower()
    return host in {site.lower() for site in site_hosts}


def _link_counts(answer: Answer, site_hosts: tuple[str, ...], internal: bool) -> tuple[int, int]:
    """(all, nofollowed) links of one side."""
    links = [link for link in answer.links if _is_internal(link.href, site_hosts) is internal]
    return len(links), sum(1 for link in links if "nofollow" in link.rel.split())


def internal_links(answer: Answer, site_hosts: tuple[str, ...]) -> Check:
    """InternalLinksAssessment: none 3, all nofollowed 7, some 8, all followed 9."""
    total, nofollowed = _link_counts(answer, site_hosts, internal=True)
    if total == 0:
        return check("internalLinks", SEO, 3, "Link to a related question on this site.")
    if nofollowed == total:
        return check("internalLinks", SEO, 7, "The internal links are all nofollowed: add a normal one.")
    return check(
        "internalLinks", SEO, 8 if nofollowed else 9, "The answer links to other pages of this site."
    )


def external_links(answer: Answer, site_hosts: tuple[str, ...]) -> Check:
    """OutboundLinksAssessment (externalLinks): none 3, all nofollowed 7, some 8, all
    followed 9."""
    total, nofollowed = _link_counts(answer, site_hosts, internal=False)
    if total == 0:
        return check("externalLinks", SEO, 3, "Link to an official source, such as the exam body's own page.")
    if nofollowed == total:
        return check(
            "externalLinks",
            SEO,
            7,
            "The outbound links are all nofollowed: make the official source a normal one.",
        )
    return check("externalLinks", SEO, 8 if nofollowed else 9, "The answer links to sources on other sites.")


def previously_used_keywords(used_by: tuple[str, ...]) -> Check:
    """Yoast's previouslyUsedKeywords plugin (assessment usedKeywords): unused 9, used
    once before 6, more often 1."""
    if not used_by:
        return check("previouslyUsedKeywords", SEO, 9, "No other question uses this keyphrase.")
    others = ", ".join(f"“{title}”" for title in used_by[:3]) + (" and others" if len(used_by) > 3 else "")
    return check(
        "previouslyUsedKeywords",
        SEO,
        6 if len(used_by) == 1 else 1,
        f"{others} already {'uses' if len(used_by) == 1 else 'use'} this keyphrase: "
        "give each question its own.",
    )


# How many words the first paragraph may have: featured snippets and AI answers quote
# about 40-50 words; a little over is tolerated, well over is not.
ANSWER_FIRST_WORDS = 50
ANSWER_FIRST_TOLERANCE = 60
_THROAT_CLEARING = re.compile(
    r"(?:that['’]?s |this is |what )?(?:a |an )?(?:great|good|common|excellent|popular|frequently asked)"
    r" question|in this (?:article|post|guide|faq|page|answer)\b|before (?:we|i|answering|diving|getting)\b"
    r"|let['’]?s\b|let us\b|have you ever\b|are you (?:wondering|curious|thinking)\b"
    r"|(?:if )?you(?:['’]re| are| may be| might be) wondering\b"
    r"|many (?:people|candidates|students|readers) (?:ask|wonder|want)\b|welcome\b|thanks? (?:you )?for\b"
    r"|when it comes to\b|first (?:of all|things first)\b|so,|well,"
    r"|there are (?:many|several|a few) (?:things|factors)\b",
    re.IGNORECASE,
)


def answer_first(answer: Answer) -> Check:
    """This site's: the answer opens with a paragraph that answers the question in at
    most ~50 words, the part featured snippets and AI answers quote."""
    if not answer.blocks:
        return check(
            "answerFirst", SEO, 3, "Open with a paragraph that answers the question in 50 words or fewer."
        )
    first = answer.blocks[0]
    if first.kind == HEADING:
        return check(
            "answerFirst",
            SEO,
            3,
            "Open with a short paragraph that answers the question, before any heading.",
            first.place(),
        )
    if first.kind != "paragraph":
        return check(
            "answerFirst",
            SEO,
            3,
            f"The answer opens with a {first.kind}: put a short paragraph that answers the question first.",
            first.place(),
        )
    opener = _THROAT_CLEARING.match(first.text.lstrip("“\"'"))
    if opener:
        return check(
            "answerFirst",
            SEO,
            3,
            f"Cut the opener “{opener.group(0).strip(' ,')}” and answer the question in the first sentence.",
            first.place(),
        )
    if first.word_count > ANSWER_FIRST_TOLERANCE:
        return check(
            "answerFirst",
            SEO,
            3,
            f"The first paragraph has {first.word_count} words: answer in {ANSWER_FIRST_WORDS} or fewer, "
            "then give the details.",
            first.place(),
        )
    if first.word_count > ANSWER_FIRST_WORDS:
        return check(
            "answerFirst",
            SEO,
            6,
            f"The first paragraph has {first.word_count} words: "
            f"trim it to {ANSWER_FIRST_WORDS} so it can be quoted whole.",
            first.place(),
        )
    return check("answerFirst", SEO, 9, "The answer opens with a short, direct answer.")


def duplicate_question(similar_titles: tuple[str, ...]) -> Check:
    """This site's: no other published question has nearly the same title. Unlike a
    shared keyphrase (ok once), a second page for the same question is duplicate
    content, so even one is bad."""
    if not similar_titles:
        return check("duplicateQuestion", SEO, 9, "No other question has nearly the same title.")
    return check(
        "duplicateQuestion",
        SEO,
        3,
        f"“{similar_titles[0]}” asks nearly the same question: "
        "merge the two answers or make the titles distinct.",
    )
