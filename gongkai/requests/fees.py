"""信息处理费: the two ways of charging for information provided on request, as pure functions.

《政府信息公开信息处理费管理办法》(国办函〔2020〕109号, STATUTES §1.7). Both ways are excess-progressive
(超额累进): each item or page is charged at the rate of the band it falls in. For each request the agency
chooses one way, never both (第三条).

* 按件计收 (第四条): items are counted per applicant per calendar month, cumulatively. Items 1–10 of the
  month are free, 11–30 cost 100 元 each, and from the 31st each band of ten costs 100 元 more than the band
  before it (31–40: 200 元, 41–50: 300 元, … — STATUTES reads "提高100元/件" per band this way, [D]).
* 按量计收 (第五条): pages are counted per request, never added across requests. Pages 1–30 are free,
  31–100 cost 10 元 each, 101–200 20 元, from 201 40 元. It does not apply when the agency only told the
  applicant where proactively disclosed information is (第三十六条第一项、第二项).

Amounts are whole yuan (int).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Method(StrEnum):
    BY_ITEM = "by_item"  # 按件计收
    BY_VOLUME = "by_volume"  # 按量计收


FREE_ITEMS_PER_MONTH = 10
ITEM_RATE_11_TO_30 = 100
ITEM_BAND = 10  # from the 31st item, each band of ten costs ITEM_RATE_STEP more
ITEM_RATE_STEP = 100

# (last page of the band, or None for the rest; 元 per page)
PAGE_BANDS = ((30, 0), (100, 10), (200, 20), (None, 40))


@dataclass(frozen=True)
class Band:
    first: int
    last: int
    rate: int  # 元 per item or page

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> int:
        return self.count * self.rate


@dataclass(frozen=True)
class Fee:
    method: Method
    bands: tuple[Band, ...]  # the bands charged, in order; free bands included

    @property
    def amount(self) -> int:
        return sum(band.amount for band in self.bands)


def item_rate(ordinal: int) -> int:
    """The charge for the applicant's ``ordinal``-th item of the calendar month (第四条)."""
    if ordinal < 1:
        raise ValueError(f"件数从1开始，不能是{ordinal}。 Items are counted from 1, not {ordinal}.")
    if ordinal <= FREE_ITEMS_PER_MONTH:
        return 0
    if ordinal <= 30:
        return ITEM_RATE_11_TO_30
    return ITEM_RATE_11_TO_30 + ITEM_RATE_STEP * ((ordinal - 31) // ITEM_BAND + 1)


def _grouped(first: int, last: int, rate_of) -> tuple[Band, ...]:
    bands: list[Band] = []
    for ordinal in range(first, last + 1):
        rate = rate_of(ordinal)
        if bands and bands[-1].rate == rate:
            bands[-1] = Band(bands[-1].first, ordinal, rate)
        else:
            bands.append(Band(ordinal, ordinal, rate))
    return tuple(bands)


def by_item(items: int, *, earlier_this_month: int = 0) -> Fee:
    """The fee for a request of ``items`` items from an applicant who had ``earlier_this_month`` before it."""
    if items < 1:
        raise ValueError(f"件数须至少为1，不能是{items}。 A request has at least 1 item, not {items}.")
    if earlier_this_month < 0:
        raise ValueError(f"本月此前的件数不能为负数：{earlier_this_month}。 Earlier items cannot be negative.")
    first = earlier_this_month + 1
    return Fee(Method.BY_ITEM, _grouped(first, first + items - 1, item_rate))


def by_volume(pages: int) -> Fee:
    """The fee for a request of ``pages`` pages (one A4-or-smaller side is one page)."""
    if pages < 1:
        raise ValueError(f"页数须至少为1，不能是{pages}。 A request has at least 1 page, not {pages}.")
    bands: list[Band] = []
    first = 1
    for last, rate in PAGE_BANDS:
        end = pages if last is None else min(last, pages)
        if end >= first:
            bands.append(Band(first, end, rate))
        if last is None or pages <= last:
            break
        first = last + 1
    return Fee(Method.BY_VOLUME, tuple(bands))
