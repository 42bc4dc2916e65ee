"""Querysets compiled to SQL once a process, then run again with other values.

A question page the cache does not hold reads a handful of small rows by key (the
question by its slug, its categories, tags and sources, its related questions). Django
compiles a queryset's SQL anew each time it runs, and for such a read the compiling
(about 0.25 ms a query at 10,000 questions, most of it the ORDER BY) costs as much as
the database's work. A `PreparedQuery` compiles its queryset once, built with stand-in
values, and afterwards runs the same SQL with the real values in their places, making
the rows as a queryset does (the model's `from_db()`, the fields' converters).

Only for querysets of one model's own columns (no select_related, no annotations),
whose values are plain parameters that each appear once in the SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

# Stand-ins: ids no row has (ids are positive) that fit a 32-bit integer column
# (taggit's object_id: PostgreSQL's compiler finds nothing to ask for outside a column's
# range), two for a query of two ids; a slug no row has.
NO_SUCH_ID = -2_070_707_070
NO_SUCH_OTHER_ID = NO_SUCH_ID + 1
NO_SUCH_SLUG = "\0 no such slug"


@dataclass(frozen=True)
class Compiled:
    """A queryset's SQL for one database, and how to make its rows: the model, the
    attnames of the selected columns in order, and each column's converters."""

    model: type[Model]
    sql: str
    params: tuple
    slots: list[int]
    attnames: list[str]
    converters: list[tuple[int, list, Any]]  # (column, converters, its expression)

    def make(self, row: tuple, using: str, connection) -> Model:
        """A model instance from a row, as Django's ModelIterable makes it."""
        if self.converters:
            row = list(row)
            for column, converters, expression in self.converters:
                for converter in converters:
                    row[column] = converter(row[column], expression, connection)
        return self.model.from_db(using, self.attnames, row)


class PreparedQuery:
    """`make(*values)` builds the queryset; `rows(*values)` runs it. `stand_ins` are one
    value per argument that the SQL's parameters will hold nowhere else (an id no row
    has, a slug no question can have), to find where each value goes."""

    def __init__(self, make: Callable[..., QuerySet], *stand_ins: Any):
        self.make = make
        self.stand_ins = stand_ins
        self.compiled: dict[str, Compiled] = {}  # by alias

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        compiled = self.compiled.get(using) or self.compile(using)
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        # Made here, not by RawQuerySet: it works out the columns, their fields and
        # converters again on every run, four times the cost of a one-row read.
        return [compiled.make(row, using, connection) for row in rows]

    def compile(self, using: str) -> Compiled:
        queryset = self.make(*self.stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        columns = [expression for expression, _sql, _alias in compiler.select]
        own = queryset.model._meta.concrete_model
        if compiler.annotation_col_map or any(
            getattr(column, "target", None) is None or column.target.model._meta.concrete_model is not own
            for column in columns
        ):
            raise ValueError(f"{queryset.query} selects more than its model's own columns")
        converters = compiler.get_converters(columns)
        self.compiled[using] = Compiled(
            model=queryset.model,
            sql=sql,
            params=tuple(params),
            slots=[self.slot(params, stand_in) for stand_in in self.stand_ins],
            attnames=[column.target.attname for column in columns],
            converters=[(column, found, expression) for column, (found, expression) in converters.items()],
        )
        return self.compiled[using]

    @staticmethod
    def slot(params: tuple, stand_in: Any) -> int:
        places = [index for index, param in enumerate(params) if param == stand_in]
        if len(places) != 1:
            raise ValueError(f"the stand-in {stand_in!r} is {len(places)} of {params!r}, not one")
        return places[0]


def keep_as_prefetched(instance: Model, name: str, rows: list[Model]) -> None:
    """Give `instance` the rows of its related manager `name` (a reverse foreign key)
    as `prefetch_related()` would: `instance.<name>.all()` then answers from them, and
    each row knows its `instance` without reading it again."""
    manager = getattr(instance, name)
    for row in rows:
        setattr(row, manager.field.name, instance)
    kept = manager.get_queryset()
    kept._result_cache = rows
    kept._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = kept
