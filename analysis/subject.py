"""What the checks read: the `Subject` the caller hands in (plain values, nothing from
the database) and the `Answer` read from its sanitised HTML once: blocks in order
(paragraphs, headings, list items, cells), their sentences and words, and the links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from html.parser import HTMLParser

from faqs.words import SEARCH_STOP_WORDS, WORD_CHARACTER, stem, words

from .english import ABBREVIATIONS


@dataclass(frozen=True)
class Subject:
    """One question as the analysis sees it. The caller fills in what needs the
    database: other questions' titles with the same keyphrase, near-duplicate titles."""

    title: str
    slug: str
    answer_html: str  # sanitised (faqs.content.sanitize)
    seo_title: str  # as search engines show it
    description: str  # the effective meta description, possibly derived
    description_is_own: bool  # typed by the editor, not derived from the answer
    keyphrase: str = ""
    synonyms: tuple[str, ...] = ()
    cornerstone: bool = False
    site_hosts: tuple[str, ...] = ()  # hosts whose links are internal; relative links are too
    keyphrase_used_by: tuple[str, ...] = ()  # titles of other questions with this keyphrase
    similar_titles: tuple[str, ...] = ()  # titles of other questions nearly the same as this one
    today: date | None = None  # for datedPhrases; None is date.today()


@dataclass(frozen=True)
class Phrase:
    """A keyphrase or synonym as stems. Its content stems are those of its words that
    are not function words (all of them when it has nothing else), as Yoast matches
    English; a phrase in double quotes must match exactly, word for word in order."""

    text: str
    stems: tuple[str, ...]
    content: tuple[str, ...]
    exact: bool

    def found_in(self, stems: list[str]) -> bool:
        """Whether the whole phrase is in these stems (a sentence's, a title's)."""
        return self.count_in(stems) > 0

    def count_in(self, stems: list[str]) -> int:
        """How often the phrase occurs in these stems: for a loose phrase, how many
        times all its content words do (Yoast counts each full set once)."""
        if self.exact:
            size = len(self.stems)
            return sum(1 for i in range(len(stems) - size + 1) if tuple(stems[i : i + size]) == self.stems)
        return min((stems.count(content) for content in self.content), default=0)

    def share_in(self, stems: list[str]) -> float:
        """The part of its content words found in these stems (a heading's)."""
        present = set(stems)
        return sum(1 for content in self.content if content in present) / len(self.content)


def phrase(text: str) -> Phrase | None:
    """`text` as a Phrase; None when it has no words."""
    stripped = text.strip()
    exact = len(stripped) > 2 and stripped[0] in '"“' and stripped[-1] in '"”'
    tokens = words(stripped)
    if not tokens:
        return None
    stems = tuple(stem(token) for token in tokens)
    content = tuple(
        dict.fromkeys(s for token, s in zip(tokens, stems, strict=True) if token not in SEARCH_STOP_WORDS)
    )
    return Phrase(stripped, stems, stems if exact or not content else content, exact)


PARAGRAPH, HEADING, ITEM, CELL = "paragraph", "heading", "list item", "table cell"
_KINDS = {
    "p": PARAGRAPH,
    "blockquote": PARAGRAPH,
    "pre": PARAGRAPH,
    "dd": PARAGRAPH,
    "dt": PARAGRAPH,
    "figcaption": PARAGRAPH,
    "caption": PARAGRAPH,
    "li": ITEM,
    "td": CELL,
    "th": CELL,
    **{f"h{level}": HEADING for level in range(1, 7)},
}
# A word as readers count them: "well-known", "don't" and "AZ-900" are one word each
# (Yoast splits on spaces too); keyphrase matching uses faqs.words' finer tokens.
_WORD = re.compile(rf"{WORD_CHARACTER}+(?:[-'’]{WORD_CHARACTER}+)*")
# A possible sentence end: . ! ? or … with any closing quotes or brackets, then space,
# then what can start a sentence.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])")
_WORD_BEFORE_STOP = re.compile(r"([A-Za-z.]+)\.$")


@dataclass
class Block:
    """A paragraph-like element: its kind, heading level (0 for others), position
    among blocks of its kind (1-based, for "paragraph 3") and text."""

    kind: str
    level: int
    number: int
    text: str

    @cached_property
    def sentences(self) -> list[Sentence]:
        return [Sentence(self.kind, self.number, text) for text in split_sentences(self.text)]

    @cached_property
    def word_count(self) -> int:
        return sum(len(sentence.words) for sentence in self.sentences)

    def place(self) -> str:
        """Where it is, for a reader: 'paragraph 3: “The exam costs…”'."""
        return f"{self.kind} {self.number}: {quote_start(self.text)}"


@dataclass
class Sentence:
    """A sentence and the block it is in (its kind and number, not the block itself: no
    reference cycle, so an analysis is freed as soon as it is done, without the garbage
    collector's pauses)."""

    kind: str
    number: int
    text: str

    @cached_property
    def words(self) -> list[str]:
        """The words as written ("Don't", "AZ-900")."""
        return _WORD.findall(self.text)

    @cached_property
    def lower_words(self) -> list[str]:
        # The same tokens as `words`: lower case and a straight apostrophe change no
        # token's extent (one pass over the text, not a call a word).
        return _WORD.findall(self.text.lower().replace("’", "'"))

    @cached_property
    def stems(self) -> list[str]:
        """faqs.words' tokens, stemmed: what keyphrases are matched against."""
        return [stem(word) for word in words(self.text)]

    def place(self) -> str:
        return f"{self.kind} {self.number}: {quote_start(self.text)}"


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    text: str


@dataclass
class Answer:
    blocks: list[Block]
    links: list[Link]
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = "\n".join(block.text for block in self.blocks)

    @cached_property
    def word_count(self) -> int:
        return sum(block.word_count for block in self.blocks)

    @cached_property
    def body(self) -> list[Block]:
        """Every block but headings: where sentences are."""
        return [block for block in self.blocks if block.kind != HEADING]

    @cached_property
    def sentences(self) -> list[Sentence]:
        return [sentence for block in self.body for sentence in block.sentences if sentence.words]

    @cached_property
    def paragraphs(self) -> list[Block]:
        return [block for block in self.blocks if block.kind == PARAGRAPH]

    @cached_property
    def subheadings(self) -> list[Block]:
        return [block for block in self.blocks if block.kind == HEADING and block.level >= 2]


def quote_start(text: str, words_shown: int = 8) -> str:
    """The first words of `text` in quotes, with an ellipsis when there are more."""
    shown = text.split()
    start = " ".join(shown[:words_shown])
    return f"“{start}…”" if len(shown) > words_shown else f"“{start}”"


def split_sentences(text: str) -> list[str]:
    """English sentences: a full stop after an abbreviation ("e.g.", "U.S.") or an
    initial ("J. Smith") ends none, and "3.5" has no space to split at."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        # Only the end of the text before the stop: an abbreviation is a short word,
        # and searching from the sentence's start costs the square of its length.
        before = _WORD_BEFORE_STOP.search(text, max(start, match.start() - 24), match.start() + 1)
        if before and _is_abbreviation(before.group(1)):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _is_abbreviation(word: str) -> bool:
    return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())


class _Reader(HTMLParser):
    """Sanitised answer HTML into blocks and links. A block's text goes to the innermost
    open block; blocks are kept in the order they open, so a list item's nested list
    follows it. Text outside any block (an answer typed without <p>) is a paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[int, str, int, list[str]]] = []  # (order, kind, level, pieces)
        self.done: list[tuple[int, str, int, str]] = []
        self.loose: list[str] = []  # text outside any block
        self.order = 0
        self.links: list[Link] = []
        self.link: tuple[str, str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            values = dict(attrs)
            self.link = (values.get("href") or "", (values.get("rel") or "").lower(), [])
        elif tag == "br":
            self.handle_data(" ")
        elif tag in _KINDS:
            self._flush_loose()
            self.order += 1
            kind = _KINDS[tag]
            if kind == PARAGRAPH and self.open and self.open[-1][1] in (ITEM, CELL):
                kind = self.open[-1][1]  # <li><p>…</p></li> is a list item still
            self.open.append((self.order, kind, int(tag[1]) if kind == HEADING else 0, []))
        elif tag in ("ul", "ol", "table", "tr", "div", "section"):
            self._flush_loose()

    def handle_endtag(self, tag):
        if tag == "a" and self.link is not None:
            href, rel, pieces = self.link
            self.links.append(Link(href, rel, " ".join("".join(pieces).split())))
            self.link = None
        elif tag in _KINDS and self.open:
            order, kind, level, pieces = self.open.pop()
            self.done.append((order, kind, level, "".join(pieces)))

    def handle_data(self, data):
        if self.link is not None:
            self.link[2].append(data)
        (self.open[-1][3] if self.open else self.loose).append(data)

    def _flush_loose(self) -> None:
        if "".join(self.loose).strip():
            self.order += 1
            self.done.append((self.order, PARAGRAPH, 0, "".join(self.loose)))
        self.loose = []

    def answer(self) -> Answer:
        while self.open:  # unclosed blocks (the sanitiser closes them; be lenient anyway)
            order, kind, level, pieces = self.open.pop()
            self.done.append((order, kind, level, "".join(pieces)))
        self._flush_loose()
        numbers: dict[str, int] = {}
        blocks = []
        for _, kind, level, raw in sorted(self.done):
            text = " ".join(raw.split())
            if not text:
                continue
            numbers[kind] = numbers.get(kind, 0) + 1
            blocks.append(Block(kind, level, numbers[kind], text))
        return Answer(blocks, self.links)


def read_answer(html: str) -> Answer:
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    return reader.answer()
