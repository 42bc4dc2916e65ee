"""Content analysis: Yoast SEO's SEO and readability checks, and this FAQ site's own,
over plain values. `analyse(subject)` reads the answer once and runs every check; the
caller supplies what needs the database (other questions with the same keyphrase, the
near-duplicate titles `nearly_same()` helps it pick).

    from analysis.checks import Subject, analyse
    result = analyse(Subject(title=..., slug=..., answer_html=..., ...))
    result.seo, result.readability  # "good" / "ok" / "bad"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from faqs.words import SEARCH_STOP_WORDS, stem, words

from .readability import FLESCH, flesch_score, readability_checks
from .results import BAD, GOOD, OK, READABILITY, SEO, Check, rating_for
from .seo import keyphrase_checks, no_keyphrase, other_checks
from .subject import Phrase, Subject, phrase, read_answer

__all__ = ["BAD", "GOOD", "OK", "Analysis", "Check", "Subject", "analyse", "analyse_many", "nearly_same"]


@dataclass(frozen=True)
class Analysis:
    seo: str  # good / ok / bad, as Yoast's SEO score
    readability: str  # good / ok / bad, as Yoast's readability score
    checks: tuple[Check, ...]
    flesch: float | None  # Flesch reading ease, None for an empty answer

    def as_json(self) -> dict:
        """For `manage.py content_report --json`."""
        return {
            "seo": self.seo,
            "readability": self.readability,
            "flesch": self.flesch,
            "checks": [
                {"id": c.id, "group": c.group, "rating": c.rating, "text": c.text, "where": c.where}
                for c in self.checks
            ],
        }


def analyse(subject: Subject) -> Analysis:
    answer = read_answer(subject.answer_html)
    keyphrase = phrase(subject.keyphrase)
    synonyms = [p for p in map(phrase, subject.synonyms) if p is not None]
    seo = (
        keyphrase_checks(subject, answer, keyphrase, synonyms) if keyphrase else [no_keyphrase()]
    ) + other_checks(subject, answer)
    phrases: list[Phrase] = [keyphrase, *synonyms] if keyphrase else synonyms
    readability = readability_checks(answer, subject.cornerstone, phrases, subject.today or date.today())
    return Analysis(
        seo=seo_rating(seo),
        readability=readability_rating(readability),
        checks=tuple(seo + readability),
        flesch=flesch_score(answer),
    )


def analyse_many(subjects: list[Subject]) -> list[Analysis]:
    """`analyse()` of each: what a worker process runs for an import (this module
    imports no Django model, so a fresh interpreter can run it)."""
    return [analyse(subject) for subject in subjects]


def seo_rating(checks: list[Check]) -> str:
    """Yoast's SEOScoreAggregator: the scores' sum over 9 × their number, as a
    percentage, rounded; then scoreToRating on a tenth of it (over 70 good, over 40 ok)."""
    scores = [c.score for c in checks if c.group == SEO]
    if not scores:
        return BAD
    percentage = round(sum(scores) * 100 / (len(scores) * 9))
    return rating_for(percentage / 10)


# Yoast's ReadabilityScoreAggregator for a fully supported language (English):
# penalty points per rating, and the totals that make the overall rating.
_PENALTIES = {BAD: 3, OK: 2, GOOD: 0}


def readability_rating(checks: list[Check]) -> str:
    """Penalties 3 per bad check and 2 per ok one: over 6 is bad, over 4 ok, else
    good. Flesch reading ease is information and does not count; one result alone
    (Yoast's "not enough content") is not a rating, here bad."""
    counted = [c for c in checks if c.group == READABILITY and c.id != FLESCH]
    if len(counted) <= 1:
        return BAD
    penalty = sum(_PENALTIES[c.rating] for c in counted)
    if penalty > 6:
        return BAD
    if penalty > 4:
        return OK
    return GOOD


# Two titles whose content words (as stems) overlap this much ask the same question:
# "PMP exam cost" and "PMP exam cost in 2026" (3 of 4), not "How to pass the PMP
# exam" and "How to pass the CAPM exam" (2 of 4).
NEARLY_SAME = 0.75


def nearly_same(a: str, b: str) -> bool:
    """Whether two question titles ask nearly the same thing: the Jaccard overlap of
    their content-word stems is at least 0.75. For the caller to filter search hits
    into `Subject.similar_titles`."""
    first, second = _title_stems(a), _title_stems(b)
    if not first or not second:
        return False
    return len(first & second) / len(first | second) >= NEARLY_SAME


def _title_stems(title: str) -> set[str]:
    tokens = words(title)
    content = [token for token in tokens if token not in SEARCH_STOP_WORDS] or tokens
    return {stem(token) for token in content}
