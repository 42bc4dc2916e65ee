"""Related questions, derived when what they depend on changes and read with one
indexed query per page.

The rule is the one readers had before: a link between two questions (either way)
counts 2, each shared category or tag 1; most points first, then newest. Scoring
every question that shares a broad category would read the whole site, so the
candidates are bounded: the questions linked with this one, the newest TERM_POOL of
each of its categories and tags (read from the archives), and the questions whose
lists already hold it. Scores are exact for every candidate, and the relation is
symmetric, so deriving one question's list also updates the lists of its candidates.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from django.db import connection
from django.db.models import Q

from faqs.derivers import Deriver, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks, insert_rows
from faqs.models.prepared import NO_SUCH_ID, PreparedQuery
from faqs.models.question import CARD_FIELDS
from links.models import InternalLink
from listings.archives import terms_of
from listings.models import ArchiveEntry, RelatedQuestion
from listings.models.archive import category_key, tag_key

KEPT = 10  # more than a page shows, so the list stays full when some go unpublished
TERM_POOL = 12


# The questions of one question's list, most points first, then newest: compiled once a
# process (faqs.models.prepared), as a query of the questions, joined to the list.
RELATED_OF = PreparedQuery(
    lambda pk: (
        Question.objects.filter(related_to_entries__question_id=pk)
        .only(*CARD_FIELDS)
        .order_by("-related_to_entries__score", "-published_at", "-pk")
    ),
    NO_SUCH_ID,
)


def related_for_page(question: Question, limit: int) -> list[Question]:
    """The related questions readers may see now: one query over at most KEPT rows."""
    return [related for related in RELATED_OF.rows(question.pk) if related.is_public()][:limit]


def _links_between(ids: set[int]) -> dict[int, set[int]]:
    """Questions linked with each of `ids`, either way; self-links and broken links aside."""
    linked = defaultdict(set)
    for chunk in chunks(ids):
        pairs = InternalLink.objects.filter(Q(source_id__in=chunk) | Q(target_id__in=chunk)).exclude(
            target=None
        )
        for source_id, target_id in pairs.values_list("source_id", "target_id").distinct():
            if source_id != target_id:
                linked[source_id].add(target_id)
                linked[target_id].add(source_id)
    return linked


COMPOUND_TERMS = 100  # archives read in one UNION ALL (SQLite allows 500 parts)


def _newest_of_terms(keys: set[str]) -> dict[str, list[int]]:
    """The newest TERM_POOL questions of each archive, each read from the top of its
    (archive, position) index, in one query for up to COMPOUND_TERMS archives. Raw
    UNION ALL: Django refuses LIMIT in a compound statement's parts on SQLite."""
    pools: dict[str, list[int]] = {key: [] for key in keys}
    ordered = sorted(keys)
    for start in range(0, len(ordered), COMPOUND_TERMS):
        chunk = ordered[start : start + COMPOUND_TERMS]
        parts, params = [], []
        for number, key in enumerate(chunk):
            newest = ArchiveEntry.objects.in_archive(key).order_by("-position")[:TERM_POOL]
            sql, part_params = newest.values_list("archive", "question_id").query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS pool_{number}")
            params.extend(part_params)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for key, question_id in cursor.fetchall():
                pools[key].append(question_id)
    return pools


class _Scorer:
    """Exact scores between questions whose terms and links it has read."""

    def __init__(self, ids: set[int], linked: dict[int, set[int]], ctx: WriteContext | None = None):
        self.linked = linked
        self.terms: dict[int, frozenset[str]] = {}
        self.listed: dict[int, tuple] = {}  # id → (published_at, id) of published and scheduled ones
        if ctx is not None:
            self.know(ctx)
        self.read(ids)

    def know(self, ctx: WriteContext) -> None:
        """The written questions' terms and dates, from the write's context."""
        for question in ctx.questions:
            self.terms[question.pk] = frozenset(
                [category_key(c) for c in ctx.category_ids(question.pk)]
                + [tag_key(t) for t in ctx.tag_ids(question.pk)]
            )
            if question.is_listed():
                self.listed[question.pk] = (question.published_at, question.pk)

    def read(self, ids: set[int]) -> None:
        missing = [pk for pk in ids if pk not in self.terms]
        categories, tags = terms_of(missing)
        for pk in missing:
            self.terms[pk] = frozenset(
                [category_key(c) for c in categories[pk]] + [tag_key(t) for t in tags[pk]]
            )
        for chunk in chunks(missing):
            rows = Question.objects.listed().filter(pk__in=chunk).values_list("pk", "published_at")
            self.listed.update({pk: (published_at, pk) for pk, published_at in rows})

    def score(self, one: int, other: int) -> int:
        link = 2 if other in self.linked.get(one, ()) else 0
        return link + len(self.terms[one] & self.terms[other])

    def best(self, one: int, candidates: set[int]) -> list[tuple[int, int]]:
        """(score, id) of the KEPT best listed candidates: most points, then newest.
        Written out, since an import runs it for every question."""
        own_terms, linked, terms = self.terms[one], self.linked.get(one, ()), self.terms
        scored = []
        for other in candidates:
            if other == one or other not in self.listed:
                continue
            score = len(own_terms & terms[other]) + (2 if other in linked else 0)
            if score:
                scored.append((score, other))
        return self.ranked(scored)

    def ranked(self, scored: list[tuple[int, int]]) -> list[tuple[int, int]]:
        listed = self.listed
        kept = [(score, listed[other], other) for score, other in scored if score > 0 and other in listed]
        return [(score, other) for score, _, other in heapq.nlargest(KEPT, kept)]


def derive_related(question_ids: list[int], ctx: WriteContext | None = None) -> None:
    """Derive the related lists of these questions (after their terms, links and
    archive entries were written) and update the lists of their candidates; the
    written ones' terms and dates come from `ctx` when given."""
    ids = set(question_ids)
    linked = _links_between(ids)
    holders = defaultdict(set)  # question → questions whose lists hold it
    for chunk in chunks(ids):
        for owner, held in RelatedQuestion.objects.filter(related_id__in=chunk).values_list(
            "question_id", "related_id"
        ):
            holders[held].add(owner)
    scorer = _Scorer(ids, linked, ctx)
    pools = _newest_of_terms({key for pk in ids for key in scorer.terms[pk]})
    candidates = {
        pk: {other for key in scorer.terms[pk] for other in pools[key]} | linked.get(pk, set()) | holders[pk]
        for pk in ids
    }
    scorer.read({other for found in candidates.values() for other in found})
    lists = {pk: scorer.best(pk, candidates[pk]) for pk in ids}
    _write_lists(lists)
    _update_other_lists(ids, candidates, scorer)


def _write_lists(lists: dict[int, list[tuple[int, int]]]) -> None:
    for chunk in chunks(lists):
        RelatedQuestion.objects.filter(question_id__in=chunk).delete()
    rows = ((pk, other, score) for pk, found in lists.items() for score, other in found)
    insert_rows(RelatedQuestion, ["question", "related", "score"], rows)


def _update_other_lists(ids: set[int], candidates: dict[int, set[int]], scorer: _Scorer) -> None:
    """Scores are symmetric: each candidate outside `ids` gets its list re-ranked with
    the new scores of the questions in `ids`; its other entries keep their scores,
    since neither side of those pairs changed."""
    others = {other for found in candidates.values() for other in found} - ids
    if not others:
        return
    kept, before = defaultdict(list), defaultdict(set)
    for chunk in chunks(others):
        rows = RelatedQuestion.objects.filter(question_id__in=chunk)
        for owner, related_id, score in rows.values_list("question_id", "related_id", "score"):
            before[owner].add((score, related_id))
            if related_id not in ids:
                kept[owner].append((score, related_id))
    scorer.read({related_id for pairs in kept.values() for _, related_id in pairs})
    reranked = {}
    for other in others:
        new = [(scorer.score(other, pk), pk) for pk in ids if other in candidates[pk]]
        ranked = scorer.ranked(kept[other] + new)
        if set(ranked) != before[other]:
            reranked[other] = ranked
    _write_lists(reranked)


RELATED_FIELDS = ("status", "published_at")  # who is listed, and when


class RelatedLists(Deriver):
    """Related lists follow a question's links (the link graph's deriver, before this
    one, says whose changed), terms, status and date; the lists that held a deleted
    question lose it by cascade."""

    def after_write(self, ctx: WriteContext) -> None:
        links_changed = ctx.kept.get("links_changed", set())
        moved = [
            q.pk
            for q in ctx.questions
            if q.pk in links_changed or ctx.changed(q, *RELATED_FIELDS) or ctx.terms_changed(q)
        ]
        if moved:
            derive_related(moved, ctx)

    def rebuild(self) -> None:
        derive_related(list(Question.objects.order_by("pk").values_list("pk", flat=True)))


deriver = RelatedLists()
