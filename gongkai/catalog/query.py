"""The public catalogue's queries: GET parameters into `CatalogFilters`, and one page of publications.

A page is read in two steps (a "deferred join"): first the ids of its rows, in catalogue order
(发布日期 newest first, then id), from an index alone; then those twenty rows with their relations.
Only the first step walks past the rows of earlier pages, and it touches index entries, not rows,
so a deep page costs about what the first does (see bench/catalog.py and docs/benchmarks.md).
Counts stop at `COUNT_CAP` (shown as "10000+"): counting every match is the expensive part.

Past the count's cap a page number alone would walk the index past every earlier row (OFFSET): at 500,000
publications the deepest pages took 51–134 ms. So the pager's links also carry a `Cursor` (``after=`` the
last row of this page, ``before=`` its first), and a page reached through them is read from that row onwards
(a "keyset" seek): any page reached by following the pager costs what page 1 does. A page number alone is
answered up to `deepest_numbered_page` (the pages the capped count can name, the first 501, an OFFSET of at
most 10,000 entries); further pages only through the pager's links or after narrowing the list with filters,
as search engines limit deep paging (Elasticsearch's ``max_result_window`` is the same 10,000).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gongkai.catalog.filters import CatalogFilters
from gongkai.catalog.models import Column, Genre, Publication, Section, Topic
from gongkai.orgs.models import Organization

PER_PAGE = 20
COUNT_CAP = 10_000
# Beyond this a page number is refused: OFFSET takes a 64-bit integer, and no one pages this far.
MAX_PAGE = 1_000_000
CATALOG_ORDER = ("-published_at", "-id")
YEAR_RANGE = (1949, 2100)


def _values(params: Mapping, name: str) -> list[str]:
    """Every non-empty value of a GET parameter (a QueryDict gives all of a repeated one)."""
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name)
        values = value if isinstance(value, list | tuple) else [value]
    return [str(value).strip() for value in values if value is not None and str(value).strip()]


def _ignored(chinese: str, english: str) -> str:
    return f"{chinese}，已忽略该条件 / {english}; the filter was ignored"


def _positive_int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def parse_filters(
    params: Mapping, *, section: str | None = None, publisher: Organization | None = None
) -> CatalogFilters:
    """The catalogue filters in ``params`` (``publisher``, ``column``, ``topic``, ``genre``, ``year``).

    A value that names nothing is left out, with a bilingual message naming it in ``errors`` (keyed by
    parameter); no value raises. ``section`` limits ``column`` to one site's columns; with ``publisher``
    the list is that organisation's and the ``publisher`` parameter is not read.
    """
    errors: dict[str, list[str]] = {}

    publisher_ids: tuple[int, ...] = ()
    if publisher is not None:
        publisher_ids = (publisher.pk,)
    else:
        slugs = list(dict.fromkeys(_values(params, "publisher")))
        found = dict(Organization.objects.filter(slug__in=slugs).values_list("slug", "pk")) if slugs else {}
        for slug in slugs:
            if slug not in found:
                errors.setdefault("publisher", []).append(
                    _ignored(f"没有站点路径为“{slug}”的发布机构", f"there is no publisher '{slug}'")
                )
        publisher_ids = tuple(found[slug] for slug in slugs if slug in found)

    column_ids: tuple[int, ...] = ()
    for code in _values(params, "column")[:1]:
        columns = Column.objects.active().filter(code=code)
        if section:
            columns = columns.filter(section=section)
        column = columns.first()
        if column is None:
            errors["column"] = [_ignored(f"没有代码为“{code}”的栏目", f"there is no column '{code}'")]
        else:
            column_ids = tuple(column.descendant_ids())

    chosen: dict[str, int | None] = {"topic": None, "genre": None}
    for name, model, label in (("topic", Topic, ("主题分类", "topic")), ("genre", Genre, ("体裁分类", "genre"))):
        for value in _values(params, name)[:1]:
            number = _positive_int(value)
            if number is None or not model.objects.filter(pk=number).exists():
                errors[name] = [_ignored(f"没有编号为“{value}”的{label[0]}", f"there is no {label[1]} '{value}'")]
            else:
                chosen[name] = number

    year = None
    for value in _values(params, "year")[:1]:
        number = _positive_int(value)
        if number is None or not YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
            errors["year"] = [
                _ignored(
                    f"年份“{value}”应为{YEAR_RANGE[0]}至{YEAR_RANGE[1]}之间的四位数字",
                    f"the year '{value}' should be four digits from {YEAR_RANGE[0]} to {YEAR_RANGE[1]}",
                )
            ]
        else:
            year = number

    return CatalogFilters(
        publisher_ids=publisher_ids,
        column_ids=column_ids,
        topic_id=chosen["topic"],
        genre_id=chosen["genre"],
        year=year,
        errors={name: "；".join(messages) for name, messages in errors.items()},
    )


def parse_page(params: Mapping) -> tuple[int, str]:
    """The page number asked for (1 when absent) and, for a value that is not one, a message naming it."""
    values = _values(params, "page")
    if not values:
        return 1, ""
    number = _positive_int(values[0])
    if number is None or not 1 <= number <= MAX_PAGE:
        return 1, (
            f"页码“{values[0]}”应为1至{MAX_PAGE}之间的整数，已显示第1页 / "
            f"the page '{values[0]}' should be a whole number from 1 to {MAX_PAGE}; showing page 1"
        )
    return number, ""


@dataclass(frozen=True)
class Cursor:
    """A page boundary carried by a pager link: page ``page`` ended (``after``) or began (``before``) with
    publication ``pk``. It is read as ``after=12128-98765`` or ``before=12128-98700``."""

    page: int
    pk: int
    forward: bool

    @property
    def parameter(self) -> str:
        return "after" if self.forward else "before"

    def __str__(self) -> str:
        return f"{self.page}-{self.pk}"


def parse_cursor(params: Mapping, number: int) -> tuple[Cursor | None, dict[str, str]]:
    """The cursor of a pager link for page ``number``, and a message keyed by the parameter that is not one.

    A cursor must lie on the right side of the page asked for (``after`` a lower page, ``before`` a higher
    one); otherwise it is left out with a message and the page is found by its number alone.
    """
    for name, forward in (("after", True), ("before", False)):
        values = _values(params, name)
        if not values:
            continue
        page_text, _, pk_text = values[0].partition("-")
        page, pk = _positive_int(page_text), _positive_int(pk_text)
        fits = page is not None and pk is not None and (page < number if forward else page > number)
        if not fits:
            return None, {
                name: f"翻页位置“{values[0]}”与第{number}页不符，已按页码显示 / "
                f"the position '{values[0]}' does not fit page {number}; the page number was used"
            }
        return Cursor(page=page, pk=pk, forward=forward), {}
    return None, {}


@dataclass(frozen=True)
class Pager:
    """Where a page sits in a result whose count may be capped (``count_capped``: more than ``count``).

    ``first_id`` and ``last_id`` (the page's first and last rows, when the list can seek from them) give
    the pager's links their cursors.
    """

    number: int
    per_page: int
    count: int
    count_capped: bool
    has_next: bool
    first_id: int | None = None
    last_id: int | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def last_page(self) -> int | None:
        """The number of the last page, when the count is exact."""
        if self.count_capped:
            return None
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def out_of_range(self) -> bool:
        return self.last_page is not None and self.number > self.last_page

    @property
    def first_index(self) -> int:
        """The position (from 1) of the page's first row in the whole result."""
        return (self.number - 1) * self.per_page + 1

    def cursor_to(self, number: int) -> Cursor | None:
        """The cursor for a link from this page to page ``number``: none to page 1 or this page."""
        if number > self.number and self.last_id is not None:
            return Cursor(page=self.number, pk=self.last_id, forward=True)
        if 1 < number < self.number and self.first_id is not None:
            return Cursor(page=self.number, pk=self.first_id, forward=False)
        return None

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page links to show: the first, those near this one, the last when known; None marks a gap."""
        known = self.last_page
        if known is None:
            # More than `count` rows exist, so every page up to the cap exists; past it, only the next one.
            known = max(math.ceil(self.count / self.per_page), self.number + (1 if self.has_next else 0))
        known = max(known, self.number)
        wanted = {1, *range(max(1, self.number - around), min(known, self.number + around) + 1)}
        if self.last_page is not None:
            wanted.add(self.last_page)
        numbers: list[int | None] = []
        for number in sorted(wanted):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


@dataclass(frozen=True)
class CatalogPage:
    rows: list[Publication]
    pager: Pager
    error: str = ""  # why the page shown is not the one asked for


def capped_count(publications: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """How many rows match, counting no further than ``cap`` (then ``(cap, True)``)."""
    cap = COUNT_CAP if cap is None else cap
    # Without ORDER BY the database may count from any index that answers the WHERE clause.
    count = publications.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


def _ids_from_cursor(publications: QuerySet, cursor: Cursor, number: int, per_page: int) -> list[int] | None:
    """Page ``number``'s ids (one more after it, when there is one) sought from ``cursor``'s row.

    None when the cursor's publication has left the list (withdrawn, or the filters changed), or when the
    list changed under the link so that nothing lies beyond it, or too little before it for page ``number``:
    then the page number decides.
    """
    key = publications.filter(pk=cursor.pk).values_list("published_at", flat=True).first()
    if key is None:
        return None
    skip = (abs(number - cursor.page) - 1) * per_page
    if skip > COUNT_CAP:  # no pager links this far from its own page
        return None
    # "(published_at, id) beyond the cursor's", written so that the index's range on published_at is used.
    if cursor.forward:
        beyond = publications.filter(Q(published_at__lt=key) | Q(id__lt=cursor.pk), published_at__lte=key)
        return list(beyond.order_by(*CATALOG_ORDER).values_list("id", flat=True)[skip : skip + per_page + 1]) or None
    before = publications.filter(Q(published_at__gt=key) | Q(id__gt=cursor.pk), published_at__gte=key)
    ids = list(before.order_by("published_at", "id").values_list("id", flat=True)[skip : skip + per_page])
    if len(ids) < per_page:
        return None
    # The cursor's own row, in the list, follows the page: there is a next one (its id only counts).
    return [*reversed(ids), cursor.pk]


def deepest_numbered_page(per_page: int) -> int:
    """The last page a page number alone reaches: those the capped count names, and the one after."""
    return COUNT_CAP // per_page + 1


def catalog_page(
    publications: QuerySet, number: int, *, per_page: int | None = None, cursor: Cursor | None = None
) -> CatalogPage:
    """Page ``number`` of ``publications`` (already filtered) in catalogue order, newest first.

    With ``cursor`` (from a pager link) the page is sought from the cursor's row, not counted from the top.
    A deeper page than `deepest_numbered_page` without a cursor that fits gives page 1 and says why (``error``).
    """
    per_page = per_page or PER_PAGE
    count, capped = capped_count(publications)
    ids = _ids_from_cursor(publications, cursor, number, per_page) if cursor else None
    error = ""
    deepest = deepest_numbered_page(per_page)
    if ids is None and capped and number > deepest:
        error = (
            f"第{number}页超出按页码可直达的前{deepest}页，已显示第1页；请用“下一页”继续翻页，或用筛选条件缩小范围 / "
            f"page {number} is beyond the first {deepest} pages a page number reaches; showing page 1 — follow the "
            "next-page links, or narrow the list with filters"
        )
        number = 1
    offset = (number - 1) * per_page
    if ids is None and not capped and offset >= count:
        ids = []
    elif ids is None:
        ids = list(publications.order_by(*CATALOG_ORDER).values_list("id", flat=True)[offset : offset + per_page + 1])
    has_next = len(ids) > per_page
    ids = ids[:per_page]
    found = (
        Publication.objects.filter(pk__in=ids).select_related("publisher", "column").defer("body").in_bulk()
        if ids
        else {}
    )
    rows = [found[pk] for pk in ids if pk in found]
    pager = Pager(
        number=number,
        per_page=per_page,
        count=count,
        count_capped=capped,
        has_next=has_next,
        first_id=ids[0] if ids else None,
        last_id=ids[-1] if ids else None,
    )
    return CatalogPage(rows=rows, pager=pager, error=error)


def public_publications() -> QuerySet:
    """What the public sees, for lists: published, not withdrawn."""
    return Publication.objects.published()


def section_column_ids(section: str) -> tuple[int, ...]:
    return tuple(Column.objects.filter(section=section).values_list("pk", flat=True))


def catalog_publications(filters: CatalogFilters) -> QuerySet:
    """The 政府信息公开目录 under ``filters``: published items of the disclosure columns.

    The credit site's columns have their own pages. The section is a list of column ids rather than a
    join, so that the catalogue index answers the whole WHERE clause.
    """
    publications = filters.apply(public_publications())
    if not filters.column_ids:
        publications = publications.filter(column_id__in=section_column_ids(Section.DISCLOSURE))
    return publications


def latest(publications: QuerySet, limit: int) -> list[Publication]:
    return list(publications.order_by(*CATALOG_ORDER).select_related("publisher", "column").defer("body")[:limit])


@dataclass(frozen=True)
class HomeColumn:
    """One first-level column on an organisation's 政府信息公开 home, with its latest items."""

    column: Column
    children: list[Column]
    items: list[Publication]


HOME_ITEMS = 5
HOME_STATUTORY_ITEMS = 10  # 法定主动公开内容 spans the sixteen sub-columns of 条例第二十条


def _descendants(column_id: int, children: dict[int | None, list[Column]]) -> list[int]:
    ids, frontier = [column_id], [column_id]
    while frontier:
        frontier = [child.pk for parent in frontier for child in children.get(parent, [])]
        ids.extend(frontier)
    return ids


def disclosure_home(organization: Organization) -> list[HomeColumn]:
    """The four first-level columns (国办公开办函〔2019〕61号) of ``organization``, newest items first.

    Items of a column that was switched off still count under its parent; only active columns are shown.
    """
    children: dict[int | None, list[Column]] = {}
    for column in Column.objects.filter(section=Section.DISCLOSURE):
        children.setdefault(column.parent_id, []).append(column)
    mine = public_publications().filter(publisher=organization)
    home = []
    for column in children.get(None, []):
        if not column.is_active:
            continue
        shown = [child for child in children.get(column.pk, []) if child.is_active]
        limit = HOME_STATUTORY_ITEMS if shown else HOME_ITEMS
        items = latest(mine.filter(column_id__in=_descendants(column.pk, children)), limit)
        home.append(HomeColumn(column=column, children=shown, items=items))
    return home


def section_latest(section: str, limit: int = HOME_ITEMS) -> list[tuple[Column, list[Publication]]]:
    """Each first-level column of ``section`` (the credit site, say) with its latest items from every publisher."""
    return [
        (column, latest(public_publications().filter(column_id__in=column.descendant_ids()), limit))
        for column in Column.objects.roots(section)
    ]
