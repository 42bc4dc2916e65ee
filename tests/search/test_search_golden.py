"""The golden query set (tests/search/search_golden.py) against the demo site: each query by
name, then the whole set's score, which fails when any one drops out."""

from collections import Counter

import pytest

from search import engine as search
from tests.search.search_golden import (
    EXAM_QUESTIONS,
    GOLDEN,
    KINDS,
    MUST_NOT_FIND,
    NO_RESULTS,
    TOP_3_FROM_EXAM,
)

pytestmark = pytest.mark.django_db

TOP = 3


@pytest.fixture
def demo(demo_site):
    """The demo site, loaded once for the module (it is only searched here)."""


def shown_as(query: str, results: search.Results) -> str:
    corrected = f" (corrected to {results.corrected!r})" if results.corrected else ""
    return f"{query!r}{corrected}"


def missing_from_top(query: str, expected: list[str]) -> str:
    """Why `query` fails its golden expectation; empty when it meets it."""
    results = search.search(query)
    top = [hit.question.slug for hit in results.hits[:TOP]]
    missing = [slug for slug in expected if slug not in top]
    return f"{shown_as(query, results)}: {missing} not in the top {TOP} {top}" if missing else ""


def strays_in_top(query: str, exam: str) -> str:
    results = search.search(query)
    top = [hit.question.slug for hit in results.hits[:TOP]]
    strays = [slug for slug in top if slug not in EXAM_QUESTIONS[exam]]
    if not top or strays:
        return f"{shown_as(query, results)}: top {TOP} {top} should be {exam} questions only"
    return ""


def found_anything(query: str) -> str:
    results = search.search(query)
    if results.count or results.hits:
        return f"{shown_as(query, results)} found {results.count}: {[h.question.slug for h in results.hits]}"
    return ""


def found_unwanted(query: str, unwanted: list[str]) -> str:
    results = search.search(query)
    found = [hit.question.slug for hit in results.hits if hit.question.slug in unwanted]
    return f"{shown_as(query, results)} found {found}" if found else ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [pytest.param(query, expected, id=f"{kind}: {query}") for query, expected, kind in GOLDEN],
)
def test_golden_query_has_its_questions_in_the_top_3(demo, query, expected):
    assert missing_from_top(query, expected) == ""


@pytest.mark.parametrize(("query", "exam"), TOP_3_FROM_EXAM, ids=[query for query, _ in TOP_3_FROM_EXAM])
def test_an_exam_acronym_alone_brings_only_that_exams_questions_to_the_top(demo, query, exam):
    assert strays_in_top(query, exam) == ""


@pytest.mark.parametrize("query", NO_RESULTS)
def test_a_stop_word_or_a_single_letter_finds_nothing(demo, query):
    assert found_anything(query) == ""


@pytest.mark.parametrize(("query", "unwanted"), MUST_NOT_FIND, ids=[query for query, _ in MUST_NOT_FIND])
def test_an_unfinished_word_does_not_find_unrelated_questions(demo, query, unwanted):
    assert found_unwanted(query, unwanted) == ""


def test_the_golden_set_scores_full_marks(demo):
    """The score a change to the engine moves: checks passed out of all, by kind."""
    checks = [(kind, missing_from_top(query, expected)) for query, expected, kind in GOLDEN]
    checks += [("only-that-exam", strays_in_top(query, exam)) for query, exam in TOP_3_FROM_EXAM]
    checks += [("finds-nothing", found_anything(query)) for query in NO_RESULTS]
    checks += [("must-not-find", found_unwanted(query, unwanted)) for query, unwanted in MUST_NOT_FIND]
    totals = Counter(kind for kind, _ in checks)
    passed = Counter(kind for kind, failure in checks if not failure)
    order = [*KINDS, "only-that-exam", "finds-nothing", "must-not-find"]
    by_kind = ", ".join(f"{kind} {passed[kind]}/{totals[kind]}" for kind in order)
    score = f"golden search score: {sum(passed.values())}/{len(checks)} ({by_kind})"
    print(score)
    failures = "\n".join(failure for _, failure in checks if failure)
    assert not failures, f"{score}\n{failures}"
