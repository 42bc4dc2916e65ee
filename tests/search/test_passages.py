"""Passages found on the lower-cased answer (a plain search for each ASCII form) are
the passages the case-blind expression finds: the same places, the same marks, on
any text, including letters str.lower() and a case-blind match disagree on."""

from __future__ import annotations

import random

import pytest

from search import passages
from search.query import parse

# Letters, the ones case-blindness treats apart (ı ſ Σ İ K), spaces and punctuation.
ALPHABET = "abeikmsx AEIKMSX ıſΣσςİKé’—-_1 exam EXAM Exams reexam is "
QUERIES = ["exam", "ski", "ks", "exam is", "exams score", '"exam is"', "_x1"]


def case_blind_matches(value: str, words: passages.QueryWords, start: int, end: int, limit: int) -> list:
    """The reference: what the case-blind expression alone finds."""
    found = list(words.regex.finditer(value, start, end))[:limit]
    return [(match.start(), match.end(), match.group().lower()) for match in found]


@pytest.mark.parametrize("query", QUERIES)
def test_the_lower_cased_search_finds_what_the_case_blind_expression_finds(query):
    words = passages.pattern(parse(query))
    assert words.lowered  # ASCII forms: the quick search is the one taken
    rnd = random.Random(query)
    for _ in range(3000):
        value = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 80)))
        start = rnd.randint(0, len(value))
        assert passages._matches(value, words, start, len(value), 5) == case_blind_matches(
            value, words, start, len(value), 5
        ), value


def test_a_match_after_the_scanned_part_is_found_only_at_the_start_of_a_word():
    words = passages.pattern(parse("exam"))
    scanned = "word " * (passages.SCANNED_CHARS // 5 - 1) + "wordr"  # ends inside a word
    answer = scanned + "exam and an exam."

    passage = str(passages.passage(answer, words))

    assert passage.endswith("an <mark>exam</mark>.") and "re<mark>" not in passage


def test_forms_beyond_ascii_are_searched_case_blind():
    words = passages.pattern(parse("café"))
    assert not words.lowered
    assert str(passages.highlight("Le CAFÉ", words)) == "Le <mark>CAFÉ</mark>"


def test_the_densest_place_is_where_most_distinct_words_meet_first():
    words = passages.pattern(parse("exam score"))
    answer = "exam " + "filler " * 40 + "score then exam again " + "filler " * 40 + "exam score"

    passage = str(passages.passage(answer, words))

    assert "<mark>score</mark> then <mark>exam</mark>" in passage


def test_a_passage_keeps_a_heading_apart_from_the_paragraph_after_it():
    text = "You can retake it.\nRetake fees\nEach retake costs $250 and a new application."
    shown = str(passages.passage(text, None, ""))
    assert "Retake fees · Each retake costs" in shown
    assert "it. · Retake fees" in shown
    assert "\n" not in shown
