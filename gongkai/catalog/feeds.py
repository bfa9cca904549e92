"""An Atom feed per column: ``/gongkai/feeds/<column code>.atom``, optionally ``?publisher=<slug>``.

Only published items: a withdrawn publication drops out of the feed the moment it is withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from gongkai.catalog import query
from gongkai.catalog.models import Column, Publication, Section
from gongkai.orgs.models import Organization
from gongkai.portal.models import SiteSettings

FEED_ITEMS = 20


@dataclass(frozen=True)
class FeedSubject:
    column: Column
    publisher: Organization | None


class ColumnFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code: str) -> FeedSubject:
        column = get_object_or_404(Column.objects.active(), code=code)
        slug = request.GET.get("publisher", "").strip()
        publisher = get_object_or_404(Organization.objects.active(), slug=slug) if slug else None
        return FeedSubject(column=column, publisher=publisher)

    def title(self, subject: FeedSubject) -> str:
        owner = subject.publisher.name if subject.publisher else SiteSettings.current().title
        return f"{owner} · {subject.column.name}" if owner else subject.column.name

    def subtitle(self, subject: FeedSubject) -> str:
        return subject.column.description or subject.column.name

    def link(self, subject: FeedSubject) -> str:
        column = subject.column
        if column.section == Section.CREDIT:
            return reverse("catalog:credit_column", args=[column.code])
        if subject.publisher:
            return reverse("catalog:column", args=[subject.publisher.slug, column.code])
        return f"{reverse('catalog:catalog')}?column={column.code}"

    def items(self, subject: FeedSubject) -> list[Publication]:
        publications = query.public_publications().filter(column_id__in=subject.column.descendant_ids())
        if subject.publisher:
            publications = publications.filter(publisher=subject.publisher)
        return query.latest(publications, FEED_ITEMS)

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_link(self, item: Publication) -> str:
        return reverse("catalog:detail", args=[item.publisher.slug, item.pk])

    def item_description(self, item: Publication) -> str:
        return item.summary

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.updated_at

    def item_author_name(self, item: Publication) -> str:
        return item.publisher.name

    def item_categories(self, item: Publication) -> list[str]:
        return [item.column.name]
