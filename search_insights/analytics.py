"""Search as a source of questions to write: every search counted (its logged form, the
day, what it found), clicks on results counted, the reports editors read, and the
zero-result searches a newly published question answers.

Nothing about the reader is kept (no IP address, cookie, session or user): a row is a
query and a day. The table stays bounded: at most QUERIES_PER_DAY rows a day (beyond
that only queries already logged that day are counted) for KEPT_DAYS days, the older
rows deleted when a day's first row is written. Counting never breaks a search: a
database error is logged and the page is served.

No one reader can blind the log or top it: a reader's searches count for at most
READER_QUERIES_PER_DAY queries a day, each at most READER_REPEATS_PER_DAY times, so
filling the day's QUERIES_PER_DAY rows with junk takes a hundred addresses, and a
phrase repeated by one client counts three times, not sixty. The bound is a counter in
Django's cache under an HMAC of the address and the day keyed with SECRET_KEY, that
expires when the day ends: it cannot be turned back into the address, and nothing of
it outlives the day. (Counting only the queries whose results were opened was the
other way: it would never count a search that found nothing, the report's most useful
list, and the click beacon takes no token, so a spammer can send it too.)
"""

from __future__ import annotations

import logging
import time as time_module
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Max, QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from faqs.derivers import Deriver, WriteContext
from faqs.models import Question
from faqs.models.bulk import chunks
from search import engine as search
from search_insights import log_buffer
from search_insights.models import SearchLog

logger = logging.getLogger(__name__)

KEPT_DAYS = 90
QUERIES_PER_DAY = 2_000
REPLAYED_QUERIES = 500  # zero-result queries tried against each publish, newest first
PERIODS = (7, 30, 90)  # the report's choices, in days
REPORT_ROWS = 50
READER_QUERIES_PER_DAY = 20  # distinct queries one reader's searches count for, a day
READER_REPEATS_PER_DAY = 3  # times one reader's searches of one query count, a day


# --- counting ----------------------------------------------------------------------


def record_search(query: str, result_count: int, *, reader: str | None = None) -> None:
    """Count one search of `query` today, with what it found. Blank queries are not
    counted, nor a `reader`'s (the address of reader_address()) beyond their share of
    the day. Never raises: a search must not fail because it could not be counted.

    On a SQLite file database the search is appended to the machine's buffer
    (search_insights.log_buffer) and written with the others waiting, in one
    transaction, by the search that finds the buffer due, or before anything reads
    the log (`write_waiting()`); inside a transaction, and on PostgreSQL, it is
    written at once."""
    logged = search.logged_form(query)
    if not logged:
        return
    today = timezone.localdate()
    keys = (_reader_key(reader, today), _reader_key(reader, today, logged)) if reader is not None else None
    buffer = log_buffer.path()
    if buffer is not None and not connection.in_atomic_block:
        counted = log_buffer.Counted(time_module.time(), today.isoformat(), logged, result_count, keys)
        try:
            due = log_buffer.append(buffer, counted)
        except OSError:
            logger.exception("A search could not be buffered; writing it at once")
        else:
            if due:
                write_waiting()
            return
    if keys is not None and not _reader_may_count(*keys):
        return
    try:
        with transaction.atomic():
            _without_waiting_for_disk()
            _count_search(logged, result_count, today)
    except DatabaseError:
        # The query stays out of the log: it is the reader's words.
        logger.exception("A search was not counted")


def write_waiting() -> int:
    """Write the searches waiting in the buffer to the log, in one transaction; returns
    how many were counted. Every reader of the log calls it first, so the reports and
    the click counter see every search made before them. Inside a transaction it
    writes nothing (a rollback would lose the batch it took); never raises."""
    buffer = log_buffer.path()
    if buffer is None or connection.in_atomic_block or not log_buffer.waiting(buffer):
        return 0
    try:
        with log_buffer.taken(buffer) as batches, transaction.atomic():
            return _count_batch([counted for batch in batches for counted in batch])
    except (DatabaseError, OSError):
        logger.exception("The waiting searches were not written; they stay for the next writer")
        return 0


def _count_batch(waiting: list[log_buffer.Counted]) -> int:
    """Each search of the batch within its reader's share, added to its query's row of
    its day (the last one's result count kept): a few statements a day, not a few a
    search."""
    by_day: dict[str, dict[str, list[int]]] = {}  # day → query → [searches, last result count]
    for counted in waiting:
        if counted.reader_keys is not None and not _reader_may_count(*counted.reader_keys):
            continue
        total = by_day.setdefault(counted.day, {}).setdefault(counted.query, [0, 0])
        total[0] += 1
        total[1] = counted.result_count
    _without_waiting_for_disk()
    for day, totals in by_day.items():
        _count_day(date.fromisoformat(day), totals)
    return sum(searches for totals in by_day.values() for searches, _ in totals.values())


def _count_day(day: date, totals: dict[str, list[int]]) -> None:
    """As _count_search, for many queries of one day: the rows the day has yet to
    start (while it has fewer than QUERIES_PER_DAY), then every count added."""
    rows = SearchLog._base_manager.filter(day=day)
    logged = set()
    for some in chunks(totals):
        logged.update(rows.filter(query__in=some).values_list("query", flat=True))
    new = [query for query in totals if query not in logged]
    if new:
        logged_today = rows.count()
        if logged_today == 0:
            prune(day)  # the day's first row: once a day, whichever worker writes it
        new = new[: max(0, QUERIES_PER_DAY - logged_today)]
        starting = [SearchLog(query=query, day=day, searches=0, result_count=0) for query in new]
        SearchLog._base_manager.bulk_create(starting, ignore_conflicts=True)
    counted = [query for query in totals if query in logged] + new
    table, column = connection.ops.quote_name(SearchLog._meta.db_table), connection.ops.quote_name
    when = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {column('searches')} = {column('searches')} + %s, "
            f"{column('result_count')} = %s WHERE {column('query')} = %s AND {column('day')} = %s",
            [(totals[query][0], totals[query][1], query, when) for query in counted],
        )


def reader_address(request: HttpRequest) -> str:
    """The address a search came from, read as sign-in throttling reads it (django-axes,
    through django-ipware as TRUSTED_PROXY_COUNT configures it), so one setting serves
    both. Behind a reverse proxy that the setting does not count, every reader has the
    proxy's address and all share one reader's bounds."""
    return get_client_ip_address(request) or ""


def _reader_may_count(reader: str, searched: str) -> bool:
    """Whether a reader's search is within their share of its day (`reader` and
    `searched`: _reader_key() of the address, and of the address and query): a
    query they have not searched yet while they have searched fewer than
    READER_QUERIES_PER_DAY, or one searched fewer than READER_REPEATS_PER_DAY times.
    Atomic increments, so parallel requests cannot slip past the bounds. A cache
    that fails does not stop the count (the table's own bound still holds)."""
    try:
        if cache.get(searched) is None and (cache.get(reader) or 0) >= READER_QUERIES_PER_DAY:
            return False  # nothing written for a query beyond the reader's share
        if cache.add(searched, 1, _rest_of_day()):
            if _increment(reader) <= READER_QUERIES_PER_DAY:
                return True
            cache.set(searched, READER_REPEATS_PER_DAY, _rest_of_day())  # lost a race: not counted
            return False
        return _increment(searched) <= READER_REPEATS_PER_DAY
    except Exception:  # noqa: BLE001 (any cache backend's error: the search is served)
        logger.exception("A reader's share of the search log could not be checked")
        return True


def _reader_key(address: str, today: date, logged: str = "") -> str:
    """A cache key for a reader's day (and one of their queries): an HMAC under
    SECRET_KEY and the day, so the address cannot be read back from it."""
    digest = salted_hmac(
        f"search_insights.analytics.reader:{today.isoformat()}", f"{address}\n{logged}", algorithm="sha256"
    )
    return f"search-reader:{digest.hexdigest()}"


def _increment(key: str) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # not there yet (or just expired)
        if cache.add(key, 1, _rest_of_day()):
            return 1
        return cache.incr(key)


def _rest_of_day() -> int:
    """Seconds until the local day ends: a reader's counters do not outlive their day."""
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time()), now.tzinfo)
    return max(60, int((midnight - now).total_seconds()))


def _without_waiting_for_disk() -> None:
    """On PostgreSQL, this transaction's commit does not wait for its WAL to reach the
    disk (a crash can lose the last few counts, never corrupt them): the reader's page
    should not wait on a counter's fsync. Nothing when the count runs inside an outer
    transaction (tests, ATOMIC_REQUESTS), where SET LOCAL would outlive it."""
    if connection.vendor == "postgresql" and len(connection.savepoint_ids) == 0:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _count_search(logged: str, result_count: int, today: date) -> None:
    if _add_search(logged, result_count, today):
        return
    logged_today = SearchLog._base_manager.filter(day=today).count()
    if logged_today == 0:
        prune(today)  # the day's first row: once a day, whichever worker writes it
    if logged_today >= QUERIES_PER_DAY:
        return
    # The row with no search yet, then the search added: if another worker wrote the
    # row in between, the insert does nothing and both searches are still counted.
    new_row = SearchLog(query=logged, day=today, searches=0, result_count=result_count)
    SearchLog._base_manager.bulk_create([new_row], ignore_conflicts=True)
    _add_search(logged, result_count, today)


def _add_search(logged: str, result_count: int, today: date) -> bool:
    today_row = SearchLog._base_manager.filter(query=logged, day=today)
    return bool(today_row.update(searches=F("searches") + 1, result_count=result_count))


def prune(today: date) -> int:
    """Delete the rows older than KEPT_DAYS; returns how many went."""
    deleted, _ = SearchLog._base_manager.filter(day__lt=period_start(KEPT_DAYS, today)).delete()
    return deleted


def record_open(query: str, question_id: int) -> bool:
    """Count a click on a result of `query`: on its row of today (or of yesterday, for a
    search made before midnight), if it was logged with results and the question is
    public. Never writes a row. Returns whether something was counted; never raises."""
    logged = search.logged_form(query)
    if not logged:
        return False
    today = timezone.localdate()
    write_waiting()  # the search this click came from may still be waiting
    try:
        with transaction.atomic():
            if not Question.objects.published().filter(pk=question_id).exists():
                return False
            rows = SearchLog.objects.filter(
                query=logged, day__gte=today - timedelta(days=1), result_count__gt=0
            )
            row_id = rows.order_by("-day").values_list("pk", flat=True).first()
            if row_id is None:
                return False
            SearchLog.objects.filter(pk=row_id).update(opened=F("opened") + 1)
    except DatabaseError:
        logger.exception("A click on a search result was not counted")
        return False
    return True


# --- the reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueryFigures:
    """One query over a period, as the report shows it."""

    query: str
    searches: int
    results: int  # what its last search in the period found
    opened: int
    last_day: date
    answered_by: Question | None = None
    promoted: int = 0  # questions editors promoted for it (filled in by the admin)


def period_start(days: int, today: date | None = None) -> date:
    """The first day of a period of `days` days ending today (today included)."""
    return (today or timezone.localdate()) - timedelta(days=days - 1)


def _by_query(rows: QuerySet) -> QuerySet:
    return rows.values("query").annotate(
        total_searches=Sum("searches"), total_opened=Sum("opened"), last_day=Max("day")
    )


def _last_results(queries: list[str], start: date) -> dict[str, int]:
    """Each query's result count on its last day in the period (at most a period's
    rows for each of a report's queries)."""
    latest: dict[str, tuple[date, int]] = {}
    rows = SearchLog.objects.filter(query__in=queries, day__gte=start)
    for query, day, count in rows.values_list("query", "day", "result_count"):
        if query not in latest or day > latest[query][0]:
            latest[query] = (day, count)
    return {query: count for query, (_, count) in latest.items()}


def _figures(
    grouped: list[dict], start: date, answered: dict[str, Question] | None = None
) -> list[QueryFigures]:
    results = _last_results([row["query"] for row in grouped], start)
    return [
        QueryFigures(
            query=row["query"],
            searches=row["total_searches"],
            results=results.get(row["query"], 0),
            opened=row["total_opened"],
            last_day=row["last_day"],
            answered_by=(answered or {}).get(row["query"]),
        )
        for row in grouped
    ]


def most_searched(days: int, limit: int = REPORT_ROWS) -> list[QueryFigures]:
    """The queries searched most often in the period."""
    start = period_start(days)
    grouped = _by_query(SearchLog.objects.filter(day__gte=start)).order_by("-total_searches", "query")
    return _figures(list(grouped[:limit]), start)


def zero_results(days: int, limit: int = REPORT_ROWS) -> list[QueryFigures]:
    """The queries that found nothing in the period (their searches that found
    nothing), those not answered yet first; `answered_by` names the question published
    since that finds them, `results` what they found when last searched."""
    start = period_start(days)
    rows = SearchLog.objects.filter(day__gte=start, result_count=0)
    grouped = _by_query(rows).annotate(answerer=Max("answered_by"))
    grouped = grouped.order_by(F("answerer").asc(nulls_first=True), "-total_searches", "query")
    grouped = list(grouped[:limit])
    answerers = Question.objects.only("pk", "title", "slug", "status", "published_at").in_bulk(
        {row["answerer"] for row in grouped if row["answerer"]}
    )
    answered = {row["query"]: answerers.get(row["answerer"]) for row in grouped}
    return _figures(grouped, start, answered)


def never_opened(days: int, limit: int = REPORT_ROWS) -> list[QueryFigures]:
    """The queries whose searches found results in the period, none of them opened."""
    start = period_start(days)
    rows = SearchLog.objects.filter(day__gte=start, result_count__gt=0)
    grouped = _by_query(rows).filter(total_opened=0).order_by("-total_searches", "query")
    return _figures(list(grouped[:limit]), start)


# --- zero-result replay ----------------------------------------------------------


def waiting_queries(limit: int = REPLAYED_QUERIES) -> list[str]:
    """The zero-result queries nobody answered yet, the most recently searched first."""
    rows = SearchLog.objects.filter(result_count=0, answered_by=None)
    grouped = rows.values("query").annotate(last_day=Max("day")).order_by("-last_day", "query")
    return [row["query"] for row in grouped[:limit]]


def mark_answered(question_ids: Iterable[int]) -> int:
    """After questions were written: each waiting zero-result query that one of them
    (published or scheduled) now finds is marked answered by the first that does, in
    the order given. Returns how many queries were marked."""
    ids = list(dict.fromkeys(question_ids))
    if not ids:
        return 0
    answered: dict[int, list[str]] = {}
    for query in waiting_queries():
        answerer = _first_match(query, ids)
        if answerer is not None:
            answered.setdefault(answerer, []).append(query)
    now = timezone.now()
    for question_id, queries in answered.items():
        for some in chunks(queries):
            waiting = SearchLog.objects.filter(query__in=some, result_count=0, answered_by=None)
            waiting.update(answered_by_id=question_id, answered_at=now)
    return sum(len(queries) for queries in answered.values())


class ZeroResultReplay(Deriver):
    """Zero-result searches a written question answers now. A scheduled question is
    marked when it is scheduled (written), not when its time comes: nothing runs then."""

    def after_write(self, ctx: WriteContext) -> None:
        mark_answered([q.pk for q in ctx.questions if q.is_listed()])


deriver = ZeroResultReplay()


def _first_match(query: str, ids: list[int]) -> int | None:
    for some in chunks(ids):  # an import writes thousands: `__in` lookups must fit one query
        found = search.matches_among(query, some)
        if found:
            return next(pk for pk in some if pk in found)
    return None
