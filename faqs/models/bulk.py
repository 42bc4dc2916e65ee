"""Plain-row inserts for the derived tables (archive entries, related lists), which an
import writes by the hundred thousand: Django's bulk_create spends most of its time
preparing model instances, executemany does not."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models

BATCH = 2000
CHUNK = 500  # SQLite allows a limited number of parameters in one query


def chunks(values: Iterable) -> list[list]:
    """`values` in lists of CHUNK, for `__in` lookups that must fit one query."""
    values = list(values)
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> None:
    """INSERT `rows` (tuples in the order of `fields`) into `model`'s table; values go
    through each field's own conversion, so dates are stored as the ORM stores them."""
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    dates = [isinstance(field, models.DateTimeField) for field in columns]
    converted: dict = {}  # a question's date stands in a dozen rows: convert it once

    def prepared(row: tuple) -> tuple:
        values = []
        for value, field, is_date in zip(row, columns, dates, strict=True):
            if is_date:
                if value not in converted:
                    converted[value] = field.get_db_prep_value(value, connection)
                value = converted[value]
            values.append(value)
        return tuple(values)

    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(prepared(row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
