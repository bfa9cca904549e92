"""One search interface, one implementation per database (chosen by ``connection.vendor``).

A backend answers questions about the *full-text* part of a query; `gongkai.search.services` adds the
exact look-ups, paging, and the publications themselves. Every method takes a `ParsedQuery` with at
least one term, and filters already applied to ``search_document``'s own columns (no joins).

Ranking, the same on every database: tier 1 is the documents whose **title** contains every term,
tier 0 the other matches; within a tier, newest first (the rank key, see `documents.rank_key`).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from gongkai.catalog.filters import CatalogFilters
from gongkai.search.documents import DocumentRow
from gongkai.search.query import ParsedQuery

TITLE_TIER = 1
OTHER_TIER = 0


class SearchBackend(Protocol):
    def reading(self) -> AbstractContextManager[None]:
        """Wrap the queries of one search (one snapshot, and any per-search planner settings)."""

    def write(self, rows: Sequence[DocumentRow]) -> None:
        """Insert documents that are not in the index (the caller deletes old versions first)."""

    def delete(self, publication_ids: Sequence[int]) -> None:
        """Remove these publications' documents, if indexed."""

    def count(self, query: ParsedQuery, filters: CatalogFilters | None, cap: int) -> int:
        """How many documents match, counting no further than ``cap``."""

    def ranked(
        self,
        query: ParsedQuery,
        filters: CatalogFilters | None,
        exclude: Sequence[int],
        limit: int,
        count: int | None = None,
    ) -> list[tuple[int, int]]:
        """The first ``limit`` matches in ranking order as ``(rank key, tier)``, leaving out ``exclude``.

        ``count`` is what `count` said for this query and these filters, if the caller asked.
        """

    def all_ranked(self, query: ParsedQuery, filters: CatalogFilters | None) -> list[tuple[int, int]]:
        """Every match in ranking order (no cap: for tests and tools, not for pages)."""

    def matching(self, query: ParsedQuery, ranks: Sequence[int]) -> set[int]:
        """Which of these documents match."""

    def optimize(self) -> None:
        """Tidy the index after a bulk load."""

    def bulk_load(self) -> AbstractContextManager[None]:
        """Wrap a rebuild of the whole index (a backend may load an empty index faster)."""


def get_backend() -> SearchBackend:
    if connection.vendor == "sqlite":
        from gongkai.search.backends.sqlite import SQLiteBackend

        return SQLiteBackend(connection)
    if connection.vendor == "postgresql":
        from gongkai.search.backends.postgresql import PostgreSQLBackend

        return PostgreSQLBackend(connection)
    raise ImproperlyConfigured(
        f"全文检索不支持数据库 {connection.vendor} / "
        f"search supports SQLite and PostgreSQL, not {connection.vendor}"
    )


def filter_sql(filters: CatalogFilters | None, alias: str = "d") -> tuple[list[str], list]:
    """WHERE clauses (to be joined with AND) and their parameters for ``filters`` on ``search_document``."""
    clauses: list[str] = []
    params: list = []
    if filters is None:
        return clauses, params
    if filters.publisher_ids:
        clauses.append(f"{alias}.publisher_id IN ({', '.join(['%s'] * len(filters.publisher_ids))})")
        params.extend(filters.publisher_ids)
    if filters.column_ids:
        clauses.append(f"{alias}.column_id IN ({', '.join(['%s'] * len(filters.column_ids))})")
        params.extend(filters.column_ids)
    if filters.topic_id is not None:
        clauses.append(f"{alias}.topic_id = %s")
        params.append(filters.topic_id)
    if filters.genre_id is not None:
        clauses.append(f"{alias}.genre_id = %s")
        params.append(filters.genre_id)
    if filters.year is not None:
        clauses.append(f"{alias}.year = %s")
        params.append(filters.year)
    return clauses, params


def has_filters(filters: CatalogFilters | None) -> bool:
    return bool(filter_sql(filters)[0])


def in_list(column: str, values: Sequence[int], *, negate: bool = False) -> tuple[str, list]:
    """``column [NOT] IN (...)`` with one parameter per value."""
    return f"{column} {'NOT IN' if negate else 'IN'} ({', '.join(['%s'] * len(values))})", list(values)
