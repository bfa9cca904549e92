"""Finding public records by name gives exactly what a scan of the names gives, for any substring, as records are
added, replaced, withdrawn, held and released (the name index is kept in step)."""

import random
from datetime import date

import pytest
from credit_files import csv_file, licence
from django.db import connection

from gongkai.credit import search, services
from gongkai.credit.models import CreditSettings, Licence
from gongkai.credit.views import find
from gongkai.lib.text import normalize_text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)
POOL = "瑞博鑫华泰昌盛隆兴恒达金源宏远新星天成永安富海东方嘉德丰润"
KINDS = ("建材", "商贸", "餐饮", "机械", "化工", "食品", "科技")


def submit(organization, rows, **options):
    return services.import_file(
        csv_file(*rows), "licences.csv", organization=organization, today=TODAY, accept_valid=True, **options
    )


def corpus(bureau, size: int, seed: int = 6) -> list[str]:
    rng = random.Random(seed)
    rows = []
    for number in range(1, size + 1):
        name = f"淄博{rng.choice(POOL)}{rng.choice(POOL)}{rng.choice(KINDS)}有限公司"
        day = date(2024, 1, 1).toordinal() + rng.randrange(900)
        decided = date.fromordinal(day).isoformat()
        rows.append(licence(number, 行政相对人名称=name, 许可决定日期=decided, 有效期自=decided))
    submit(bureau, rows)
    return [row[0] for row in rows]


def scan(term: str) -> list[int]:
    """The oracle: every public record whose name contains ``term``, newest decision first, by instr."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM credit_licence WHERE is_public AND strpos(name_norm, %s) > 0 "
            "ORDER BY decision_date DESC, id DESC"
            if connection.vendor == "postgresql"
            else "SELECT id FROM credit_licence WHERE is_public AND instr(name_norm, %s) > 0 "
            "ORDER BY decision_date DESC, id DESC",
            [term],
        )
        return [pk for (pk,) in cursor.fetchall()]


def searched(term: str, per_page: int = 50) -> tuple[list[int], int]:
    """Every page of the public search for ``term``, and the count it gave."""
    ids, number = [], 1
    while True:
        found = search.name_page(
            Licence.objects.public(), term, authority="", start=None, end=None, number=number, per_page=per_page
        )
        ids += found.ids
        if not found.pager.has_next:
            return ids, found.pager.count
        number += 1


@pytest.mark.parametrize("window", [20_000, 50])  # the whole table, or the newest 50 records first
def test_any_substring_finds_exactly_what_a_scan_finds(bureau, monkeypatch, window):
    monkeypatch.setattr(search, "WINDOW", window)
    monkeypatch.setattr(search, "NAME_COUNT_CAP", 30)  # so that common names are answered from the window
    names = corpus(bureau, 600)
    rng = random.Random(11)
    terms = []
    for _ in range(150):
        name = normalize_text(rng.choice(names))
        size = rng.randint(1, 6)
        start = rng.randrange(len(name) - size + 1)
        terms.append(name[start : start + size])
    terms += ["不存在", "博", "有限公司", "淄博瑞"]
    mismatches = [term for term in terms if searched(term, per_page=7) != (scan(term), min(30, len(scan(term))))]
    assert mismatches == []


def test_traditional_characters_find_simplified_names(bureau):
    submit(bureau, [licence(1, 行政相对人名称="淄博东方电器有限公司")])
    found, rows, _errors = find("licence", {"q": "東方電器"})
    assert [record.subject_name for record in rows] == ["淄博东方电器有限公司"] and found.pager.count == 1


def test_an_exact_uscc_or_decision_number_finds_its_records(bureau):
    submit(bureau, [licence(1), licence(2, 统一社会信用代码="91370303MA3C0M9Y8N")])
    _found, rows, _errors = find("licence", {"q": "91370303ma3c0m9y8n"})
    assert [record.decision_number for record in rows] == ["张发改许〔2026〕2号"]
    _found, rows, _errors = find("licence", {"q": "张发改许〔2026〕1号"})
    assert [record.decision_number for record in rows] == ["张发改许〔2026〕1号"]


def test_a_date_range_and_an_authority_narrow_a_name_search(bureau):
    submit(
        bureau,
        [
            licence(1, 许可决定日期="2026-01-05", 有效期自="2026-01-05"),
            licence(2, 许可决定日期="2026-03-05"),
            licence(3, 许可决定日期="2026-05-05", 有效期自="2026-05-05"),
        ],
    )
    _found, rows, _errors = find("licence", {"q": "建材有限", "from": "2026-02-01", "to": "2026-03-31"})
    assert [record.decision_number for record in rows] == ["张发改许〔2026〕2号"]
    _found, rows, _errors = find("licence", {"q": "建材有限", "authority": "11370303MB2858350L"})
    assert rows == []


def test_replaced_and_withdrawn_records_leave_the_name_index(bureau):
    submit(bureau, [licence(1, 行政相对人名称="淄博甲乙丙建材有限公司"), licence(2)])
    submit(bureau, [licence(1, 行政相对人名称="淄博丁戊己建材有限公司")])  # renamed by a new submission
    assert searched("甲乙丙") == ([], 0)
    assert searched("丁戊己") == ([Licence.objects.get(decision_number="张发改许〔2026〕1号").pk], 1)
    submit(bureau, [licence(1, 行政相对人名称="淄博丁戊己建材有限公司", 当前状态="撤销")])
    assert searched("丁戊己") == ([], 0)
    assert searched("建材有限") == (scan("建材有限"), 1)


def test_held_records_are_found_once_released(bureau, django_user_model):
    CreditSettings.objects.create(organization=bureau, hold_for_review=True)
    submission, _report = submit(bureau, [licence(1, 行政相对人名称="淄博庚辛壬建材有限公司")])
    assert searched("庚辛壬") == ([], 0) and find("licence", {})[1] == []
    officer = django_user_model.objects.create(username="officer")
    assert services.release(submission, by=officer) == 1
    assert searched("庚辛壬") == ([Licence.objects.get().pk], 1)


def test_counts_stop_at_the_cap(bureau, monkeypatch):
    monkeypatch.setattr(search, "NAME_COUNT_CAP", 5)
    corpus(bureau, 12)
    found = search.name_page(
        Licence.objects.public(), "有限公司", authority="", start=None, end=None, number=1, per_page=3
    )
    assert (found.pager.count, found.pager.count_capped, found.pager.has_next) == (5, True, True)



def test_the_name_index_survives_the_migrations_that_rebuild_the_tables():
    """Adding a NOT NULL column rebuilds the table on SQLite, which drops its triggers (migration 0005 restores
    them); on PostgreSQL the trigram indexes stay."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'credit_%_unindex'")
            expected = ["credit_licence_unindex", "credit_penalty_unindex"]
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'credit_%_name_trgm'")
            expected = ["credit_licence_name_trgm", "credit_penalty_name_trgm"]
        assert sorted(name for (name,) in cursor.fetchall()) == expected
