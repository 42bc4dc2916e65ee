"""Querysets compiled to SQL once a process, then run again with other values.

A question page the cache does not hold reads a handful of small rows by key (the
question by its slug, its categories, tags and sources, its related questions). Django
compiles a queryset's SQL anew each time it runs, and for such a read the compiling
(about 0.25 ms a query at 10,000 questions, most of it the ORDER BY) costs as much as
the database's work. A `PreparedQuery` compiles its queryset once, built with stand-in
values, and afterwards runs the same SQL with the real values in their places, making
the rows as `QuerySet.raw()` does (the model's `from_db()`, the fields' converters).

Only for querysets of one model's own columns (no select_related, no annotations),
whose values are plain parameters that each appear once in the SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model, QuerySet
from django.db.models.query import RawQuerySet

# Stand-ins: an id no row has (ids are positive) that fits a 32-bit integer column
# (taggit's object_id: PostgreSQL's compiler finds nothing to ask for outside a column's
# range); a slug no row has.
NO_SUCH_ID = -2_070_707_070
NO_SUCH_SLUG = "\0 no such slug"


class PreparedQuery:
    """`make(*values)` builds the queryset; `rows(*values)` runs it. `stand_ins` are one
    value per argument that the SQL's parameters will hold nowhere else (an id no row
    has, a slug no question can have), to find where each value goes."""

    def __init__(self, make: Callable[..., QuerySet], *stand_ins: Any):
        self.make = make
        self.stand_ins = stand_ins
        self.compiled: dict[str, tuple[type[Model], str, tuple, list[int]]] = {}  # by alias

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        model, sql, params, slots = self.compiled.get(using) or self.compile(using)
        params = list(params)
        for slot, value in zip(slots, values, strict=True):
            params[slot] = value
        return list(RawQuerySet(sql, model=model, params=params, using=using))

    def compile(self, using: str) -> tuple[type[Model], str, tuple, list[int]]:
        queryset = self.make(*self.stand_ins)
        sql, params = queryset.query.get_compiler(using=using).as_sql()
        slots = [self.slot(params, stand_in) for stand_in in self.stand_ins]
        self.compiled[using] = (queryset.model, sql, tuple(params), slots)
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
