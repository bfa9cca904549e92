"""The catalogue's query layer: GET parameters become filters without ever raising, and a page of the
catalogue is the right twenty rows whatever its depth, with a count that stops at the cap."""

import datetime
import itertools

import pytest
from django.http import QueryDict

from gongkai.catalog import query
from gongkai.catalog.models import Column, Genre, Publication, Topic
from gongkai.orgs.models import Organization, User

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def params(text: str) -> QueryDict:
    return QueryDict(text)


@pytest.fixture
def rows(bureau):
    """Published rows straight in the table (as an import would make them), one a day from 2025-12-25."""
    author = User.objects.get(username="publisher")
    plans = Column.objects.get(code="plans")
    serials = itertools.count(1)

    def make(count: int, *, column: Column = plans, publisher: Organization = bureau, start: int = 0, **values):
        made = []
        for number in range(start, start + count):
            moment = datetime.datetime(2025, 12, 25, 9, 0, tzinfo=SHANGHAI) + datetime.timedelta(days=number)
            made.append(
                Publication.objects.create(
                    publisher=publisher,
                    author=author,
                    title=f"第{number}号",
                    issued_on=moment.date(),
                    column=column,
                    status=Publication.Status.PUBLISHED,
                    index_no=f"{publisher.uscc}/{moment.year}-{next(serials):05d}",
                    published_at=moment,
                    **values,
                )
            )
        return made

    return make


# --- parse_filters -----------------------------------------------------------------------------------


def test_it_reads_every_filter(bureau):
    topic, genre = Topic.objects.get(name="综合政务"), Genre.objects.get(code="normative")
    other = Organization.objects.get(uscc="11370303MB2858350L")

    filters = query.parse_filters(
        params(
            f"publisher={bureau.slug}&publisher={other.slug}&column=plans&topic={topic.pk}&genre={genre.pk}&year=2026"
        )
    )

    assert filters.publisher_ids == (bureau.pk, other.pk)
    assert filters.column_ids == (Column.objects.get(code="plans").pk,)
    assert (filters.topic_id, filters.genre_id, filters.year) == (topic.pk, genre.pk, 2026)
    assert filters.errors == {}


def test_a_column_brings_the_columns_below_it(demo):
    statutory = Column.objects.get(code="statutory")

    filters = query.parse_filters(params("column=statutory"))

    assert set(filters.column_ids) == {statutory.pk, *statutory.children.values_list("pk", flat=True)}
    assert Column.objects.get(code="plans").pk in filters.column_ids


def test_an_unknown_publisher_is_named_and_the_known_one_kept(bureau):
    filters = query.parse_filters(params(f"publisher=nosuch&publisher={bureau.slug}"))

    assert filters.publisher_ids == (bureau.pk,)
    assert "nosuch" in filters.errors["publisher"]
    assert "已忽略" in filters.errors["publisher"] and "ignored" in filters.errors["publisher"]


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("column=nosuch", "column", "nosuch"),
        ("topic=x", "topic", "x"),
        ("topic=99999999", "topic", "99999999"),
        ("topic=-1", "topic", "-1"),
        ("genre=１２", "genre", "１２"),  # full-width digits are not an id
        ("genre=1e3", "genre", "1e3"),
        ("year=二〇二六", "year", "二〇二六"),
        ("year=20260", "year", "20260"),
        ("year=1800", "year", "1800"),
        ("year=99999999999999999999999", "year", "99999999999999999999999"),
    ],
)
def test_a_value_that_names_nothing_is_ignored_with_a_message_naming_it(demo, text, name, value):
    filters = query.parse_filters(params(text))

    assert filters == query.parse_filters(params(""))  # nothing was filtered
    assert value in filters.errors[name]


def test_a_credit_column_is_not_a_disclosure_column(demo):
    filters = query.parse_filters(params("column=credit-news"), section="disclosure")

    assert filters.column_ids == ()
    assert "credit-news" in filters.errors["column"]
    assert query.parse_filters(params("column=credit-news")).column_ids  # the API and search may use it


def test_an_organisations_catalogue_ignores_the_publisher_parameter(bureau):
    other = Organization.objects.get(uscc="11370303MB2858350L")

    filters = query.parse_filters(params(f"publisher={other.slug}&publisher=nosuch"), publisher=bureau)

    assert filters.publisher_ids == (bureau.pk,)
    assert filters.errors == {}


def test_a_plain_dict_works_too(demo):
    assert query.parse_filters({"year": "2026", "column": ""}).year == 2026


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", "99999999999999999999", "１"])
def test_a_page_that_is_not_a_page_number_gives_page_one_and_says_so(value):
    number, message = query.parse_page(params(f"page={value}"))

    assert number == 1
    assert value in message


def test_a_page_number_is_read():
    assert query.parse_page(params("page=3")) == (3, "")
    assert query.parse_page(params("")) == (1, "")


# --- Pager -------------------------------------------------------------------------------------------


def test_an_exact_count_shows_first_neighbours_and_last():
    pager = query.Pager(number=5, per_page=20, count=200, count_capped=False, has_next=True)

    assert pager.last_page == 10
    assert pager.page_numbers() == [1, None, 3, 4, 5, 6, 7, None, 10]


def test_a_capped_count_has_no_last_page_and_links_only_pages_known_to_exist():
    first = query.Pager(number=1, per_page=20, count=10_000, count_capped=True, has_next=True)
    deep = query.Pager(number=600, per_page=20, count=10_000, count_capped=True, has_next=True)
    end = query.Pager(number=601, per_page=20, count=10_000, count_capped=True, has_next=False)

    assert first.last_page is None
    assert first.page_numbers() == [1, 2, 3]
    assert deep.page_numbers() == [1, None, 598, 599, 600, 601]
    assert end.page_numbers() == [1, None, 599, 600, 601]


def test_a_page_past_the_end_is_out_of_range():
    assert query.Pager(number=3, per_page=20, count=40, count_capped=False, has_next=False).out_of_range
    assert not query.Pager(number=2, per_page=20, count=40, count_capped=False, has_next=False).out_of_range
    assert not query.Pager(number=1, per_page=20, count=0, count_capped=False, has_next=False).out_of_range


# --- catalog_page ------------------------------------------------------------------------------------


def test_a_page_is_newest_first_with_ties_broken_by_id(rows, monkeypatch):
    monkeypatch.setattr(query, "PER_PAGE", 3)
    made = rows(5)
    tie = rows(1, start=4)[0]  # published at the same moment as made[4]

    pages = [query.catalog_page(Publication.objects.published(), number) for number in (1, 2)]

    assert [p.pk for p in pages[0].rows] == [tie.pk, made[4].pk, made[3].pk]
    assert [p.pk for p in pages[1].rows] == [made[2].pk, made[1].pk, made[0].pk]
    assert pages[0].pager.has_next and not pages[1].pager.has_next
    assert pages[1].pager.count == 6 and not pages[1].pager.count_capped


def test_the_count_stops_at_the_cap(rows, monkeypatch):
    monkeypatch.setattr(query, "PER_PAGE", 2)
    monkeypatch.setattr(query, "COUNT_CAP", 3)
    made = rows(7)
    published = Publication.objects.published()

    third = query.catalog_page(published, 3, cursor=query.catalog_page(published, 2).pager.cursor_to(3))
    page = query.catalog_page(published, 4, cursor=third.pager.cursor_to(4))

    assert (page.pager.count, page.pager.count_capped) == (3, True)
    assert [p.pk for p in page.rows] == [made[0].pk]  # the last page is still reachable, through the links
    assert not page.pager.has_next


def test_past_the_pages_the_capped_count_names_a_page_number_alone_gives_page_one_and_says_why(rows, monkeypatch):
    monkeypatch.setattr(query, "PER_PAGE", 2)
    monkeypatch.setattr(query, "COUNT_CAP", 4)  # names pages 1-2; page 3 is the one after
    rows(9)
    published = Publication.objects.published()

    third, fourth = query.catalog_page(published, 3), query.catalog_page(published, 4)

    assert query.deepest_numbered_page(2) == 3
    assert [p.pk for p in third.rows] == _offset_page(3) and not third.error
    assert fourth.pager.number == 1 and [p.pk for p in fourth.rows] == _offset_page(1)
    assert "第4页超出按页码可直达的前3页" in fourth.error and "page 4 is beyond the first 3 pages" in fourth.error
    followed = query.catalog_page(published, 4, cursor=third.pager.cursor_to(4))
    assert [p.pk for p in followed.rows] == _offset_page(4) and not followed.error


def test_an_exact_count_names_every_page(rows, monkeypatch):
    monkeypatch.setattr(query, "PER_PAGE", 2)
    monkeypatch.setattr(query, "COUNT_CAP", 20)
    rows(9)

    last = query.catalog_page(Publication.objects.published(), 5)

    assert [p.pk for p in last.rows] == _offset_page(5) and not last.error


def test_a_page_past_the_end_has_no_rows(rows, monkeypatch):
    monkeypatch.setattr(query, "PER_PAGE", 2)
    rows(3)

    page = query.catalog_page(Publication.objects.published(), 3)

    assert page.rows == [] and page.pager.out_of_range


def test_the_catalogue_lists_the_disclosure_columns_only(rows, demo):
    rows(2)
    credit = rows(1, column=Column.objects.get(code="credit-news"), start=5)[0]

    listed = set(query.catalog_publications(query.parse_filters({})).values_list("pk", flat=True))

    assert len(listed) == 2 and credit.pk not in listed


def test_the_year_filter_uses_beijing_time(rows):
    new_year = rows(1, start=7)[0]  # 2026-01-01 09:00 in Beijing
    Publication.objects.filter(pk=new_year.pk).update(
        published_at=datetime.datetime(2025, 12, 31, 16, 30, tzinfo=datetime.UTC)  # 2026-01-01 00:30 in Beijing
    )

    listed = query.catalog_publications(query.parse_filters({"year": "2026"})).values_list("pk", flat=True)

    assert new_year.pk in listed


# --- cursors: the pager's links seek from a row instead of counting from the top ------------------------


def _offset_page(number: int) -> list[int]:
    """Page ``number`` by the plainest query: every id in catalogue order, sliced."""
    ids = list(Publication.objects.published().order_by(*query.CATALOG_ORDER).values_list("pk", flat=True))
    return ids[(number - 1) * query.PER_PAGE : number * query.PER_PAGE]


def test_every_link_of_every_page_leads_to_the_page_its_number_names(rows, monkeypatch):
    monkeypatch.setattr(query, "PER_PAGE", 3)
    monkeypatch.setattr(query, "COUNT_CAP", 7)  # capped: the deep pages are the ones links must reach
    rows(13)
    rows(3, start=6)  # ties on published_at, broken by id
    published = Publication.objects.published()

    pager = None
    for number in range(1, 7):  # each page reached through the "next" link of the one before
        pager = query.catalog_page(published, number, cursor=pager and pager.cursor_to(number)).pager
        # Every link the pager shows but the one to this page (which keeps the address it was reached by).
        shown = {*(n for n in pager.page_numbers() if n), number - 1, *([number + 1] if pager.has_next else [])}
        targets = shown - {0, number}
        for target in sorted(targets):
            cursor = pager.cursor_to(target)
            followed = query.catalog_page(published, target, cursor=cursor)
            assert [p.pk for p in followed.rows] == _offset_page(target), (number, target, cursor)
            assert followed.pager.has_next == (target < 6)


def test_a_page_reached_through_a_link_is_sought_not_counted_from_the_top(rows, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(query, "PER_PAGE", 2)
    rows(9)
    published = Publication.objects.published()
    fourth = query.catalog_page(published, 4)

    with CaptureQueriesContext(connection) as queries:
        fifth = query.catalog_page(published, 5, cursor=fourth.pager.cursor_to(5))

    assert [p.pk for p in fifth.rows] == _offset_page(5)
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    back = query.catalog_page(published, 3, cursor=fourth.pager.cursor_to(3))
    assert [p.pk for p in back.rows] == _offset_page(3) and back.pager.has_next


def test_a_cursor_whose_row_left_the_list_falls_back_to_the_page_number(rows, monkeypatch):
    monkeypatch.setattr(query, "PER_PAGE", 2)
    rows(6)
    published = Publication.objects.published()
    first = query.catalog_page(published, 1)
    cursor = first.pager.cursor_to(2)
    Publication.objects.filter(pk=cursor.pk).update(status=Publication.Status.WITHDRAWN)

    second = query.catalog_page(Publication.objects.published(), 2, cursor=cursor)

    assert [p.pk for p in second.rows] == _offset_page(2)


def test_a_cursor_with_too_little_before_it_falls_back_to_the_page_number(rows, monkeypatch):
    monkeypatch.setattr(query, "PER_PAGE", 2)
    rows(6)
    published = Publication.objects.published()
    newest = query.catalog_page(published, 1).rows[0]

    # "Page 5 began with the newest row": page 3 would need four newer rows; there are none.
    page = query.catalog_page(published, 3, cursor=query.Cursor(page=5, pk=newest.pk, forward=False))

    assert [p.pk for p in page.rows] == _offset_page(3)


def test_a_cursor_is_read_from_after_or_before():
    assert query.parse_cursor(params("after=4-17"), 5) == (query.Cursor(page=4, pk=17, forward=True), {})
    assert query.parse_cursor(params("before=6-3"), 5) == (query.Cursor(page=6, pk=3, forward=False), {})
    assert query.parse_cursor(params(""), 5) == (None, {})


@pytest.mark.parametrize(
    "text", ["after=x", "after=4", "after=-17", "after=5-17", "after=6-17", "before=5-3", "before=2-3"]
)
def test_a_cursor_that_is_not_one_or_does_not_fit_the_page_is_named_and_left_out(text):
    cursor, errors = query.parse_cursor(params(text), 5)

    name, value = text.split("=")
    assert cursor is None and list(errors) == [name]
    assert f"“{value}”" in errors[name] and f"'{value}'" in errors[name]
