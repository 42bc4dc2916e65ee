"""Site search: one engine behind every search box (the `?s=` results page, wp-json's
`search=`, instant search, the editor's link picker, the twin-title check).

How a query is answered (`search()`):
1. Parse it (search.query): words, "phrases", stop words and single letters out.
2. Every term must match. Questions whose title or category and tag names hold every
   term come first, best ranked first; then those where the answer completes the
   match; then, for deep pages, the remaining matches newest first. Each ranked tier
   is a bounded window of the newest matches (search.backends), so a search
   costs the same at any size of site; at most MAX_RESULTS are listed.
3. Nothing matched: a word that finds nothing is respelled from the site's own
   vocabulary (search.spelling) and the respelled query is searched ("Showing
   results for …"). Still nothing: questions with most of the words, then words as
   beginnings (`ncl` finds NCLEX).
4. Few results and a rare word with a far commoner spelling nearby: "Did you mean".

The modules beside this one: `text` (what a word is), `query` (parsing), `backends`
(SQLite FTS5 and PostgreSQL), `index` (keeping entries true), `spelling`,
`passages` (highlighting).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import SafeString

from faqs.models import Question
from faqs.models.question import CARD_FIELDS
from http_cache import fragments
from search import passages, spelling
from search.backends import DOCUMENT, HEADING, backend
from search.empty import Nearby, nearby
from search.query import MAX_QUERY_CHARS, ParsedQuery, logged_form, normalise_query, parse
from search_insights import promotions

# What the rest of the site uses, defined beside this module.
__all__ = [
    "MAX_QUERY_CHARS", "Hit", "Nearby", "Results", "Suggestion", "logged_form", "matches_among",
    "matching_questions", "nearby", "normalise_query", "search", "suggest", "title_matches",
]  # fmt: skip

MAX_RESULTS = 1000  # listed at most, as search engines do; refine the query for more
HEADING_WINDOW = 1000  # title and term-name matches ranked
DOCUMENT_WINDOW = 300  # matches in the answer ranked after them
SUGGESTIONS_SHOWN = 8
FEW_RESULTS = 3  # at or below this many, rare words are checked for a likelier spelling


@dataclass(frozen=True)
class Hit:
    """One result: the question (card fields loaded), its title and the passage of
    its answer that matched, query words in <mark> (escaped), and whether an editor
    pinned it for this query."""

    question: object
    title: SafeString
    passage: SafeString
    promoted: bool = False


@dataclass(frozen=True)
class Results:
    """One page of results and what the page says about them."""

    query: str
    hits: list[Hit]
    count: int  # matches, up to MAX_RESULTS
    capped: bool = False  # more matched than `count`
    corrected: str = ""  # nothing matched `query`: these are the results for this spelling
    suggestion: str = ""  # results shown, but this spelling is likelier ("Did you mean")
    some_words: bool = False  # nothing had every word: these have some of them
    ignored: tuple[str, ...] = ()  # stop words and single letters left out
    too_common: bool = False  # every word was a stop word or a single letter


@dataclass(frozen=True)
class Suggestion:
    """An instant-search entry."""

    question_id: int
    title: str
    url: str


@dataclass
class _Ranking:
    ids: list[int]
    count: int
    capped: bool
    query: ParsedQuery
    corrected: str = ""
    some_words: bool = False


def search(query: str, *, page: int = 1, per_page: int = 20, respell: bool = True) -> Results:
    """One page of the public questions matching `query`, most relevant first.
    `respell=False` searches the words as typed ("Search instead for …"). Kept under
    the page cache's stamp, as a fragment: the same search asked again while the site
    is unchanged costs no query (readers ask the same few things most of the time;
    each search is still counted by its page, issue 18)."""
    query = normalise_query(query)
    asked = hashlib.md5(f"{query}|{page}|{per_page}|{respell}".encode(), usedforsecurity=False).hexdigest()
    return fragments.fragment(f"search-results:{asked}", partial(_search, query, page, per_page, respell))


def _search(query: str, page: int, per_page: int, respell: bool) -> Results:
    parsed = parse(query)
    if not parsed:
        return Results(query=query, hits=[], count=0, ignored=parsed.dropped, too_common=bool(parsed.dropped))
    now = timezone.now()
    pinned = promotions.promoted_ids(query)
    ranking = _rank(parsed, now, respell=respell, needed=page * per_page + len(pinned))
    ids = [pk for pk in ranking.ids if pk not in pinned]
    start = (page - 1) * per_page
    if page == 1:
        shown, promoted = pinned + ids[: max(0, per_page - len(pinned))], set(pinned)
    else:
        offset = start - len(pinned)
        shown, promoted = ids[offset : offset + per_page], set()
    suggestion = ""
    if respell and not ranking.corrected and not ranking.some_words and ranking.count <= FEW_RESULTS:
        suggestion = _likelier_spelling(parsed, ranking.count, now)
    # Pinned questions the query does not find themselves add to the count.
    extra_pinned = len(set(pinned) - backend().among(ranking.query, pinned)) if pinned else 0
    return Results(
        query=query,
        hits=_hits(shown, promoted, ranking.query),
        count=min(ranking.count + extra_pinned, MAX_RESULTS),
        capped=ranking.capped,
        corrected=ranking.corrected,
        suggestion=suggestion,
        some_words=ranking.some_words,
        ignored=parsed.dropped,
    )


def _rank(parsed: ParsedQuery, now, *, respell: bool = True, needed: int = MAX_RESULTS) -> _Ranking:
    """The ranked ids for `parsed`, or for the first fallback that finds something."""
    count, capped = _count(parsed, now)
    if count:
        return _Ranking(_ranked_ids(parsed, count, capped, now, needed), count, capped, parsed)
    corrections = _corrections(parsed, now) if respell else {}
    if corrections:
        respelled = parsed.replacing(corrections)
        count, capped = _count(respelled, now)
        if count:
            return _Ranking(
                _ranked_ids(respelled, count, capped, now, needed),
                count,
                capped,
                respelled,
                corrected=respelled.shown,
            )
        parsed = respelled
    if len(parsed.terms) > 1:
        rows = backend().window(parsed, DOCUMENT, any_term=True, limit=MAX_RESULTS, now=now)
        if rows:
            capped = len(rows) >= MAX_RESULTS  # the window is full: more may match
            return _Ranking(_best_first(rows), len(rows), capped, parsed, some_words=True)
    prefixes = parsed.as_prefixes()
    if prefixes != parsed:
        count, capped = _count(prefixes, now)
        if count:
            return _Ranking(_ranked_ids(prefixes, count, capped, now, needed), count, capped, prefixes)
    return _Ranking([], 0, False, parsed)


def _count(parsed: ParsedQuery, now) -> tuple[int, bool]:
    found = backend().count(parsed, cap=MAX_RESULTS + 1, now=now)
    return min(found, MAX_RESULTS), found > MAX_RESULTS


def _ranked_ids(parsed: ParsedQuery, count: int, capped: bool, now, needed: int) -> list[int]:
    """Heading matches ranked, then answer matches ranked, then the rest newest first,
    as far as the page being shown (`needed`) reaches: each part is the same whichever
    page asks, so pages never overlap."""
    engine = backend()
    # All matches fit the window: read them straight from the index (PostgreSQL).
    few = not capped and count <= HEADING_WINDOW
    ids = _best_first(engine.window(parsed, HEADING, any_term=False, limit=HEADING_WINDOW, now=now, few=few))
    wanted = min(count, needed)
    if len(ids) < wanted:
        seen = set(ids)
        few = not capped and count <= DOCUMENT_WINDOW
        rows = engine.window(parsed, DOCUMENT, any_term=False, limit=DOCUMENT_WINDOW, now=now, few=few)
        ids += [pk for pk in _best_first(rows) if pk not in seen]
    if len(ids) < wanted:
        seen = set(ids)
        ids += [pk for pk in engine.newest_ids(parsed, limit=needed + len(seen), now=now) if pk not in seen]
    return ids[:MAX_RESULTS]


def _best_first(rows: list[tuple[int, float]]) -> list[int]:
    return [pk for pk, _score in sorted(rows, key=lambda row: (-row[1], -row[0]))]


def _corrections(parsed: ParsedQuery, now) -> dict[str, str]:
    """For each word that finds nothing, the known word nearest to it that does."""
    corrections = {}
    for word in parsed.single_words:
        if _finds(word, now):
            continue
        best = _best_candidate(word, now)
        if best:
            corrections[word] = best
    return corrections


def _best_candidate(word: str, now, *, at_least: int = 1) -> str:
    """The nearest known word (fewest edits; then found in the most answers)."""
    found = spelling.candidates(word)
    if not found:
        return ""
    nearest = [other for edits, other in found[:6] if edits == found[0][0]]
    # One candidate only needs to find `at_least`; several are compared by how many.
    cap = at_least if len(nearest) == 1 else MAX_RESULTS
    counted = [(backend().count(parse(other), cap=cap, now=now), other) for other in nearest]
    counted = [pair for pair in counted if pair[0] >= at_least]
    return max(counted, key=lambda pair: (pair[0], pair[1] == word))[1] if counted else ""


def _finds(word: str, now) -> bool:
    return backend().count(parse(word), cap=1, now=now) > 0


def _likelier_spelling(parsed: ParsedQuery, count: int, now) -> str:
    """ "Did you mean": a respelling of rare words that finds ten times as many."""
    corrections = {}
    for word in parsed.single_words:
        alone = backend().count(parse(word), cap=MAX_RESULTS, now=now)
        if alone > FEW_RESULTS:
            continue
        best = _best_candidate(word, now, at_least=max(10 * alone, 2))
        if best:
            corrections[word] = best
    if not corrections:
        return ""
    respelled = parsed.replacing(corrections)
    return respelled.shown if backend().count(respelled, cap=MAX_RESULTS, now=now) > count else ""


def _hits(ids: list[int], promoted: set[int], parsed: ParsedQuery) -> list[Hit]:
    """The questions of `ids` that are public now (never a stale entry), in order."""
    by_id = Question.objects.only(*CARD_FIELDS, "search_text").public_by_id(ids)
    words = passages.pattern(parsed)
    hits = []
    for pk in ids:
        if (question := by_id.get(pk)) is None:
            continue
        passage = passages.passage(question.search_text, words, fallback=question.summary)
        del question.__dict__["search_text"]  # as long as the answer: not kept with the results
        title = passages.highlight(question.title, words)
        hits.append(Hit(question, title, passage, promoted=pk in promoted))
    return hits


def matching_questions(questions: QuerySet, query: str, *, by_relevance: bool = True) -> QuerySet:
    """`questions` narrowed to those matching `query` (wp-json's `search=`): ranked as
    the results page ranks them, or, for another order, every match. A query of stop
    words only is looked for as a whole phrase, as WordPress does."""
    query = normalise_query(query)
    parsed = parse(query)
    if not parsed:
        return _containing_phrase(questions, query, by_relevance=by_relevance)
    if not by_relevance:
        sql, params = backend().matching_ids_sql(parsed)
        return questions.filter(pk__in=RawSQL(sql, params))
    ids = _rank(parsed, timezone.now()).ids
    order = Case(*(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ids)), output_field=IntegerField())
    return questions.filter(pk__in=ids).annotate(relevance_rank=order).order_by("relevance_rank")


def _containing_phrase(questions: QuerySet, query: str, *, by_relevance: bool) -> QuerySet:
    """Every word of `query` is a stop word or a single letter (`What`, `how to`): as
    WordPress does then (WP_Query::parse_search), the questions whose title, excerpt
    or answer holds the whole phrase, those with it in the title first, newest first.
    A scan, not the index; only such queries take it."""
    phrase = query.strip(' "“”„')
    if not phrase:
        return questions.none()
    in_title = Q(title__icontains=phrase)
    found = questions.filter(in_title | Q(excerpt__icontains=phrase) | Q(search_text__icontains=phrase))
    if not by_relevance:
        return found
    title_first = Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField())
    return found.annotate(relevance_rank=title_first).order_by("relevance_rank", "-published_at", "-pk")


def suggest(query: str, limit: int = SUGGESTIONS_SHOWN) -> list[Suggestion]:
    """Instant search: public questions whose title or category and tag names hold
    every word, the last one as the beginning of a word, best first."""
    parsed = _typed(query)
    if not parsed:
        return []
    rows = _heading_matches(parsed)
    return [
        Suggestion(question.pk, question.title, question.get_absolute_url())
        for question in _public_in_order(_best_first(rows)[:limit], ("title", "slug"))
    ]


def title_matches(text: str, *, limit: int = 10, exclude_id: int | None = None) -> list:
    """Public questions whose title or term names hold every word of `text`, best
    first (the editor's link picker; the twin-title check)."""
    parsed = _typed(text)
    if not parsed:
        return []
    rows = _heading_matches(parsed)
    ids = [pk for pk in _best_first(rows) if pk != exclude_id][:limit]
    return _public_in_order(ids, ("title", "slug", "status", "published_at"))


def _heading_matches(parsed: ParsedQuery) -> list[tuple[int, float]]:
    """The heading window for instant search and title lookups. On PostgreSQL a count
    first says whether the matches are few enough to read from the index whole."""
    now, engine = timezone.now(), backend()
    few = (
        engine.vendor == "postgresql"
        and engine.count(parsed, cap=HEADING_WINDOW + 1, now=now, table=HEADING) <= HEADING_WINDOW
    )
    return engine.window(parsed, HEADING, any_term=False, limit=HEADING_WINDOW, now=now, few=few)


def _typed(raw: str) -> ParsedQuery:
    """A query being typed: its last word is a prefix unless a space follows it."""
    query = normalise_query(raw)
    return parse(query + (" " if raw[-1:].isspace() else ""), typing=True)


def matches_among(query: str, question_ids: list[int]) -> set[int]:
    """Which of these questions `query` finds (replaying zero-result queries on publish)."""
    parsed = parse(normalise_query(query))
    return backend().among(parsed, list(question_ids)) if parsed and question_ids else set()


def _public_in_order(ids: list[int], fields: tuple[str, ...]) -> list:
    by_id = Question.objects.only(*fields, "status", "published_at").public_by_id(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
