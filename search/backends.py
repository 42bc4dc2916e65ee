"""The two databases' full-text search behind one small interface: write and remove
entries, rank a bounded window of matches, count matches up to a cap, and give the
matching ids as a subquery. Everything above this module is the same on both.

Cost is bounded at any size of site: a window is the newest `limit` matches (both
indexes walk their matches by question id, newest first, and stop there) and only
those are ranked; a count stops at its cap.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from faqs.models.bulk import chunks
from faqs.models.question import due_sql, not_yet_due_sql
from search.models import SearchEntry
from search.query import ParsedQuery, Term

HEADING, DOCUMENT = "heading", "document"  # title and term names; those and the answer
# The index holds published and scheduled questions; readers see those due (the
# visibility rule's date half, from the model's module), given `now` as a parameter.
DUE, NOT_YET_DUE = due_sql("published_at"), not_yet_due_sql("published_at")


@dataclass(frozen=True)
class Entry:
    question_id: int
    published_at: datetime
    title: str
    terms: str  # category and tag names
    body: str  # the answer's text


class SQLiteIndex:
    """FTS5 tables keyed by question id (rowid), Porter-stemmed, ranked by BM25 with
    the title weighted 10, term names 4 and the answer 1."""

    vendor = "sqlite"

    TABLES = {HEADING: "faqs_search_heading", DOCUMENT: "faqs_search_document"}
    WEIGHTS = {HEADING: "10.0, 4.0", DOCUMENT: "10.0, 4.0, 1.0"}

    def prepare(self, entries: list[Entry], *, background: bool) -> None:
        return None  # FTS5 tokenises as it inserts: nothing to do ahead

    def write(self, entries: list[Entry], prepared: None = None) -> None:
        """Replace the entries' rows where they exist (one statement a table: FTS5
        takes REPLACE on its rowid), so a rewrite needs no DELETE first."""
        SearchEntry.objects.bulk_create(
            [SearchEntry(question_id=e.question_id, published_at=e.published_at, title=e.title, terms=e.terms)
             for e in entries],
            update_conflicts=True, unique_fields=["question"],
            update_fields=["published_at", "title", "terms"],
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT OR REPLACE INTO faqs_search_heading (rowid, title, terms) VALUES (%s, %s, %s)",
                [(e.question_id, e.title, e.terms) for e in entries],
            )
            cursor.executemany(
                "INSERT OR REPLACE INTO faqs_search_document (rowid, title, terms, body) "
                "VALUES (%s, %s, %s, %s)",
                [(e.question_id, e.title, e.terms, e.body) for e in entries],
            )

    def remove(self, question_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for chunk in chunks(question_ids):
                marks = ", ".join(["%s"] * len(chunk))
                for table in self.TABLES.values():
                    cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            for table in self.TABLES.values():
                cursor.execute(f"DELETE FROM {table}")

    @staticmethod
    def match(query: ParsedQuery, *, any_term: bool = False) -> str:
        """The FTS5 query: each term a quoted string (terms hold only letters and
        digits, so nothing reaches FTS5's syntax), `*` for a prefix."""
        parts = [f'"{" ".join(term.words)}"' + ("*" if term.prefix else "") for term in query.terms]
        return (" OR " if any_term else " AND ").join(parts)

    def _not_due(self) -> str:
        # Scheduled questions are indexed ahead of their date; the few not yet due are
        # left out by id, so the FTS index stays the only loop.
        return f"rowid NOT IN (SELECT question_id FROM faqs_searchentry WHERE {NOT_YET_DUE})"

    def window(
        self, query: ParsedQuery, table: str, *, any_term: bool, limit: int, now: datetime, few: bool = False
    ):
        name = self.TABLES[table]
        sql = (
            f"SELECT rowid, -bm25({name}, {self.WEIGHTS[table]}) FROM {name} "
            f"WHERE {name} MATCH %s AND {self._not_due()} ORDER BY rowid DESC LIMIT %s"
        )
        return self._rows(sql, [self.match(query, any_term=any_term), now, limit])

    def newest_ids(self, query: ParsedQuery, *, limit: int, now: datetime) -> list[int]:
        name = self.TABLES[DOCUMENT]
        sql = (
            f"SELECT rowid FROM {name} WHERE {name} MATCH %s AND {self._not_due()} "
            "ORDER BY rowid DESC LIMIT %s"
        )
        return [row[0] for row in self._rows(sql, [self.match(query), now, limit])]

    def count(self, query: ParsedQuery, *, cap: int, now: datetime, table: str = DOCUMENT) -> int:
        name = self.TABLES[table]
        sql = (
            f"SELECT count(*) FROM (SELECT rowid FROM {name} WHERE {name} MATCH %s "
            f"AND {self._not_due()} LIMIT %s)"
        )
        return self._rows(sql, [self.match(query), now, cap])[0][0]

    def among(self, query: ParsedQuery, question_ids: list[int]) -> set[int]:
        found = set()
        for chunk in chunks(question_ids):
            marks = ", ".join(["%s"] * len(chunk))
            sql = (
                "SELECT rowid FROM faqs_search_document "
                f"WHERE faqs_search_document MATCH %s AND rowid IN ({marks})"
            )
            found.update(row[0] for row in self._rows(sql, [self.match(query), *chunk]))
        return found

    def matching_ids_sql(self, query: ParsedQuery) -> tuple[str, list]:
        return "SELECT rowid FROM faqs_search_document WHERE faqs_search_document MATCH %s", [
            self.match(query)
        ]

    @staticmethod
    def _rows(sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class PostgresIndex:
    """tsvector columns of faqs_searchentry (title A, term names B, answer D) with GIN
    indexes, the `english` configuration, ranked by ts_rank with A 1.0, B 0.4, D 0.1."""

    vendor = "postgresql"

    COLUMNS = {HEADING: "heading", DOCUMENT: "document"}
    WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A

    VECTORS = (
        "SELECT v.heading::text, (v.heading || setweight(to_tsvector('english', v.body), 'D'))::text "
        "FROM (SELECT setweight(to_tsvector('english', t.title), 'A') "
        "|| setweight(to_tsvector('english', t.terms), 'B') AS heading, t.body, t.n "
        "FROM unnest(%s::text[], %s::text[], %s::text[]) WITH ORDINALITY AS t(title, terms, body, n)) AS v "
        "ORDER BY v.n"
    )

    def prepare(self, entries: list[Entry], *, background: bool) -> Future | None:
        """For a large write, the vectors computed by the database on a connection of
        their own, in a thread, while the caller goes on: to_tsvector is a pure
        function, so it needs none of the writer's uncommitted rows."""
        if not background:
            return None
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-vectors")
        future = pool.submit(_vectors_on_own_connection, self, entries)
        pool.shutdown(wait=False)
        return future

    def vectors(self, entries: list[Entry]) -> list[tuple[str, str]]:
        found = []
        with connection.cursor() as cursor:
            for start in range(0, len(entries), 1000):
                batch = entries[start : start + 1000]
                cursor.execute(
                    self.VECTORS,
                    [[e.title for e in batch], [e.terms for e in batch], [e.body for e in batch]],
                )
                found.extend(cursor.fetchall())
        return found

    def write(self, entries: list[Entry], prepared: Future | None = None) -> None:
        """COPY cannot replace a row: the entries' old rows, where they exist, go first."""
        vectors = prepared.result() if prepared is not None else self.vectors(entries)
        for chunk in chunks([entry.question_id for entry in entries]):
            SearchEntry.objects.filter(question_id__in=chunk).delete()
        with connection.cursor() as cursor:
            copy_sql = (
                "COPY faqs_searchentry (question_id, published_at, title, terms, heading, document) "
                "FROM STDIN"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for entry, (heading, document) in zip(entries, vectors, strict=True):
                    copy.write_row(
                        (entry.question_id, entry.published_at, entry.title, entry.terms, heading, document)
                    )

    def remove(self, question_ids: list[int]) -> None:
        """Nothing of its own to delete: the vectors are columns of the entry rows,
        which `index.forget()` deletes."""

    def clear(self) -> None:
        """Nothing of its own either: `index.rebuild()` deletes every entry row."""

    @staticmethod
    def tsquery(query: ParsedQuery, *, any_term: bool = False) -> tuple[str, list]:
        parts, params = [], []
        for term in query.terms:
            if term.is_phrase:
                parts.append("phraseto_tsquery('english', %s)")
                params.append(" ".join(term.words))
            elif term.prefix:
                parts.append("to_tsquery('english', %s)")
                params.append(f"{term.words[0]}:*")  # letters and digits only: no operator
            else:
                parts.append("plainto_tsquery('english', %s)")
                params.append(term.words[0])
        return "(" + (" || " if any_term else " && ").join(parts) + ")", params

    def window(
        self, query: ParsedQuery, table: str, *, any_term: bool, limit: int, now: datetime, few: bool = False
    ):
        """`few`: the caller counted no more matches than `limit`, so they are read
        from the GIN index (a rare word's estimate can otherwise send the planner down
        the primary key, filtering every row to find the few)."""
        column = self.COLUMNS[table]
        tsquery, params = self.tsquery(query, any_term=any_term)
        any_query, any_params = self.tsquery(query, any_term=True)
        # ts_rank of an AND query is dominated by its rarest, lowest-weighted term, so
        # an answer that repeats the words outranks the question titled with one of
        # them; the title's and term names' own rank for any of the words is added
        # (BM25 on SQLite weighs fields without this help). Ranked outside the
        # LIMIT, so only the window's rows are ranked.
        # (A heading window's vector is the heading: its own rank says it all.)
        heading_bonus = "+ ts_rank(%s::float4[], w.heading, w.any_query) " if table == DOCUMENT else ""
        sql = (
            f"SELECT w.question_id, ts_rank(%s::float4[], w.vector, w.query) {heading_bonus}FROM ("
            f"SELECT e.question_id, e.{column} AS vector, e.heading, q.query, q.any_query "
            f"FROM faqs_searchentry AS e, (SELECT {tsquery} AS query, {any_query} AS any_query) AS q "
            f"WHERE e.{column} @@ q.query AND {due_sql('e.published_at')} "
            "ORDER BY e.question_id DESC LIMIT %s) AS w"
        )
        weights = [self.WEIGHTS, self.WEIGHTS] if heading_bonus else [self.WEIGHTS]
        return self._rows(sql, [*weights, *params, *any_params, now, limit], from_index=few)

    def newest_ids(self, query: ParsedQuery, *, limit: int, now: datetime) -> list[int]:
        tsquery, params = self.tsquery(query)
        sql = (
            f"SELECT question_id FROM faqs_searchentry WHERE document @@ {tsquery} AND {DUE} "
            "ORDER BY question_id DESC LIMIT %s"
        )
        return [row[0] for row in self._rows(sql, [*params, now, limit])]

    def count(self, query: ParsedQuery, *, cap: int, now: datetime, table: str = DOCUMENT) -> int:
        """Always from the GIN index: a word the statistics do not know is estimated
        at 0.5% of rows, and with a LIMIT the planner then scans the table for the
        first of them (0.3 s at 100,000 for a misspelling that matches nothing)."""
        tsquery, params = self.tsquery(query)
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM faqs_searchentry WHERE {self.COLUMNS[table]} @@ {tsquery} "
            f"AND {DUE} LIMIT %s) AS c"
        )
        return self._rows(sql, [*params, now, cap], from_index=True)[0][0]

    def among(self, query: ParsedQuery, question_ids: list[int]) -> set[int]:
        tsquery, params = self.tsquery(query)
        sql = (
            f"SELECT question_id FROM faqs_searchentry WHERE document @@ {tsquery} AND question_id = ANY(%s)"
        )
        return {row[0] for row in self._rows(sql, [*params, list(question_ids)])}

    def matching_ids_sql(self, query: ParsedQuery) -> tuple[str, list]:
        tsquery, params = self.tsquery(query)
        return f"SELECT question_id FROM faqs_searchentry WHERE document @@ {tsquery}", params

    def _rows(self, sql: str, params: list, *, from_index: bool = False) -> list[tuple]:
        """The query's rows; `from_index`: planned with table and primary-key scans
        off, in the same round trip, the settings reset after it (one statement list,
        which psycopg's client-side binding sends as one query)."""
        with connection.cursor() as cursor:
            if not from_index:
                cursor.execute(sql, params)
                return cursor.fetchall()
            cursor.execute(
                f"SET enable_seqscan = off; SET enable_indexscan = off; {sql}; "
                "RESET enable_seqscan; RESET enable_indexscan",
                params,
            )
            results = cursor.cursor
            # The SETs come first and have no rows; the query's own result follows them.
            while results.description is None:
                if not results.nextset():
                    return []
            return results.fetchall()


def _vectors_on_own_connection(index: PostgresIndex, entries: list[Entry]) -> list[tuple[str, str]]:
    try:
        return index.vectors(entries)
    finally:
        connection.close()  # this thread's own connection


def backend() -> SQLiteIndex | PostgresIndex:
    """The backend for the database in use."""
    return PostgresIndex() if connection.vendor == "postgresql" else SQLiteIndex()


__all__ = ["DOCUMENT", "HEADING", "Entry", "Term", "backend"]
