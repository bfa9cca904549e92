"""The catalogue's filters, shared by the public catalogue, search and the API."""

from dataclasses import dataclass, field

from django.db.models import QuerySet


@dataclass(frozen=True)
class CatalogFilters:
    """Every field is optional; an empty filter matches every published publication."""

    publisher_ids: tuple[int, ...] = ()
    column_ids: tuple[int, ...] = ()  # a column and its descendants (see Column.descendant_ids)
    topic_id: int | None = None
    genre_id: int | None = None
    year: int | None = None  # the year of 发布日期, in Asia/Shanghai
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    def apply(self, publications: QuerySet) -> QuerySet:
        if self.publisher_ids:
            publications = publications.filter(publisher_id__in=self.publisher_ids)
        if self.column_ids:
            publications = publications.filter(column_id__in=self.column_ids)
        if self.topic_id is not None:
            publications = publications.filter(topic_id=self.topic_id)
        if self.genre_id is not None:
            publications = publications.filter(genre_id=self.genre_id)
        if self.year is not None:
            publications = publications.filter(published_at__year=self.year)
        return publications
