"""Plain-row writes for the derived tables (archive entries, related lists), which an
import writes by the hundred thousand: Django's bulk_create spends most of its time
preparing model instances; COPY (PostgreSQL) and executemany (SQLite) do not."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection, models

BATCH = 2000
CHUNK = 500  # SQLite allows a limited number of parameters in one query


def chunks(values: Iterable) -> list[list]:
    """`values` in lists of CHUNK, for `__in` lookups that must fit one query."""
    values = list(values)
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> None:
    """Write `rows` (tuples in the order of `fields`) into `model`'s table; values go
    through each field's own conversion, so dates are stored as the ORM stores them."""
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(field.column) for field in columns)
    prepared = _prepared(columns, rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        for row in prepared:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _prepared(columns: list, rows: Iterable[tuple]) -> Iterator[tuple]:
    dates = [isinstance(field, models.DateTimeField) for field in columns]
    converted: dict = {}  # a question's date stands in a dozen rows: convert it once
    for row in rows:
        values = []
        for value, field, is_date in zip(row, columns, dates, strict=True):
            if is_date:
                if value not in converted:
                    converted[value] = field.get_db_prep_value(value, connection)
                value = converted[value]
            values.append(value)
        yield tuple(values)
