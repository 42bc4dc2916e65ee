"""A check's result, and how Yoast turns scores into ratings."""

from __future__ import annotations

from dataclasses import dataclass

GOOD, OK, BAD = "good", "ok", "bad"
SEO, READABILITY = "seo", "readability"


@dataclass(frozen=True)
class Check:
    """One assessment: what to do (or that it is fine) in one sentence, and where in
    the answer when it can say. `score` is Yoast's for the same finding (9 good, 6 ok,
    3 bad; some are lower, down to Yoast's -999 for a missing keyphrase): the overall
    SEO rating averages them."""

    id: str
    group: str
    rating: str
    text: str
    where: str = ""
    score: int = 0


def rating_for(score: int) -> str:
    """Yoast's scoreToRating: up to 4 is bad, 5 to 7 ok, above 7 good."""
    if score <= 4:
        return BAD
    if score <= 7:
        return OK
    return GOOD


def check(id: str, group: str, score: int, text: str, where: str = "") -> Check:
    return Check(id=id, group=group, rating=rating_for(score), text=text, where=where, score=score)
