"""Timeliness of 双公示 (国办发〔2015〕51号 §(十八)): public within 7 working days of the decision.

A record is late when it first became public after its publicity due date (both kept on the record). The
on-time rate of an organisation for a month counts the records first published that month.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, TruncDate

from gongkai.credit.models import Licence, Penalty


def late(queryset):
    """The records of ``queryset`` that were first published after their due date."""
    return queryset.annotate(published_on=TruncDate("first_published_at")).filter(published_on__gt=F("publicity_due"))


@dataclass(frozen=True)
class MonthRate:
    month: int
    published: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.published if self.published else None


def monthly_rates(organization, year: int) -> list[MonthRate]:
    """Per month of ``year``: records of ``organization`` first published, and how many of them on time."""
    counts: dict[int, list[int]] = {month: [0, 0] for month in range(1, 13)}
    for model in (Licence, Penalty):
        rows = (
            model.objects.of(organization)
            .filter(first_published_at__year=year)
            .annotate(published_on=TruncDate("first_published_at"), month=ExtractMonth("first_published_at"))
            .values("month")
            .annotate(published=Count("id"), on_time=Count("id", filter=Q(published_on__lte=F("publicity_due"))))
        )
        for row in rows:
            counts[row["month"]][0] += row["published"]
            counts[row["month"]][1] += row["on_time"]
    return [MonthRate(month, published, on_time) for month, (published, on_time) in counts.items()]
