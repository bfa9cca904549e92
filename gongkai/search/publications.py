"""The publications of one page of hits, with their publisher, column, topic and genre, in one query.

This is ``Publication.objects.select_related("publisher", "column", "topic", "genre").defer("body")``
done by hand: the SQL is built once per process instead of once per search (compiling that queryset
took about half of a whole search's time on SQLite), and the rows become model instances the way the
ORM makes them (``Model.from_db``, the fields' database converters, the relations cached on the
instance; the hits with the same publisher share one instance of it). The body is deferred, as in
the catalogue's lists: reading it costs one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Field, Model

from gongkai.catalog.models import Publication

RELATED = ("publisher", "column", "topic", "genre")
DEFERRED = ("body",)


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    fields: tuple[Field, ...]
    relation: Field | None  # the Publication field that points at this part (None for Publication)

    @property
    def attnames(self) -> list[str]:
        return [field.attname for field in self.fields]

    @property
    def pk_position(self) -> int:
        return [field.primary_key for field in self.fields].index(True)


@cache
def _plan(vendor: str) -> tuple[str, tuple[_Part, ...]]:
    """``(SELECT … FROM … JOIN … WHERE p.id IN, parts)``; the IN list is appended per call."""
    quote = connection.ops.quote_name
    parts = [
        _Part(
            Publication, tuple(f for f in Publication._meta.concrete_fields if f.name not in DEFERRED), None
        )
    ]
    joins = []
    for index, name in enumerate(RELATED):
        relation = Publication._meta.get_field(name)
        model = relation.related_model
        alias = f"r{index}"
        kind = "LEFT OUTER JOIN" if relation.null else "INNER JOIN"
        joins.append(
            f"{kind} {quote(model._meta.db_table)} {alias} "
            f"ON {alias}.{quote(relation.target_field.column)} = p.{quote(relation.column)}"
        )
        parts.append(_Part(model, tuple(model._meta.concrete_fields), relation))
    columns = []
    for index, part in enumerate(parts):
        alias = "p" if part.relation is None else f"r{index - 1}"
        columns.extend(f"{alias}.{quote(field.column)}" for field in part.fields)
    table = quote(Publication._meta.db_table)
    sql = f"SELECT {', '.join(columns)} FROM {table} p {' '.join(joins)} WHERE p.id IN "
    return sql, tuple(parts)


@cache
def _converters(vendor: str) -> tuple[tuple[int, tuple], ...]:
    """For each column that needs it, its position and the converters the ORM would apply."""
    _sql, parts = _plan(vendor)
    out = []
    position = 0
    for part in parts:
        for field in part.fields:
            expression = field.get_col(part.model._meta.db_table)
            converters = tuple(
                connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            )
            if converters:
                out.append((position, tuple((converter, expression) for converter in converters)))
            position += 1
    return tuple(out)


def load(ids: Sequence[int]) -> dict[int, Publication]:
    """The publications with these ids (missing ones are left out), relations loaded, body deferred."""
    if not ids:
        return {}
    sql, parts = _plan(connection.vendor)
    converters = _converters(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql + f"({', '.join(['%s'] * len(ids))})", list(ids))
        rows = cursor.fetchall()
    layout = [(part, part.attnames, part.pk_position, len(part.fields)) for part in parts]
    # The hits of a page share a few publishers and columns: one instance of each serves them all.
    shared: dict[tuple[type[Model], object], Model] = {}
    found = {}
    for row in rows:
        values = list(row)
        for position, steps in converters:
            for converter, expression in steps:
                values[position] = converter(values[position], expression, connection)
        publication = None
        start = 0
        for part, attnames, pk_position, width in layout:
            chunk = values[start : start + width]
            start += width
            if part.relation is None:
                publication = part.model.from_db(connection.alias, attnames, chunk)
            elif chunk[pk_position] is None:
                part.relation.set_cached_value(publication, None)
            else:
                key = (part.model, chunk[pk_position])
                if key not in shared:
                    shared[key] = part.model.from_db(connection.alias, attnames, chunk)
                part.relation.set_cached_value(publication, shared[key])
        found[publication.pk] = publication
    return found
