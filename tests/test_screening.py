"""Automatic screening (敏感信息筛查): what it finds in text, how it shows what it found, and what it leaves alone.

The corpus (tests/data/screening_corpus.py) is the specification by example; the focused tests below pin
masking, excerpts, fingerprints and pages, and two property tests cover resident IDs in general.
"""

import datetime
import itertools
import random
import subprocess
import sys
from pathlib import Path

import pytest
from data.screening_corpus import (
    CARD_16,
    CARD_19,
    ID_1,
    ID_2,
    ID_X,
    NEGATIVE,
    POSITIVE,
    TODAY,
    fullwidth,
    groups,
    resident_id,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.lib.extract import PAGE_SEPARATOR
from gongkai.lib.identifiers import resident_id_check_char
from gongkai.lib.screening import (
    KIND_LABELS,
    KINDS,
    Finding,
    Rules,
    mask_text,
    screen_fields,
    screen_pages,
    screen_text,
)

RULES = Rules(today=TODAY)


def found(text: str, rules: Rules = RULES) -> list[tuple[str, str]]:
    return [(finding.kind, finding.value) for finding in screen_text(text, rules)]


# --- the corpus --------------------------------------------------------------------------------------------


def test_the_corpus_has_enough_snippets_of_every_kind():
    assert len(POSITIVE) >= 60
    assert len(NEGATIVE) >= 60
    assert {kind for case in POSITIVE for kind, _value in case.expected} == set(KINDS)


def test_precision_and_recall_over_the_corpus_are_100_percent():
    expected, got = set(), set()
    for number, case in enumerate(POSITIVE + NEGATIVE):
        expected |= {(number, kind, value) for kind, value in case.expected}
        got |= {(number, kind, value) for kind, value in found(case.text)}
    true_positives = len(expected & got)
    precision = true_positives / len(got)
    recall = true_positives / len(expected)
    print(
        f"precision {precision:.1%} recall {recall:.1%} ({len(expected)} items in {len(POSITIVE)} positive, "
        f"{len(NEGATIVE)} negative snippets)"
    )
    assert sorted(got - expected) == [], "found but not expected"
    assert sorted(expected - got) == [], "expected but not found"
    assert precision == recall == 1


@pytest.mark.parametrize("case", POSITIVE, ids=lambda case: case.text[:24])
def test_it_finds_exactly_what_each_positive_snippet_holds(case):
    assert found(case.text) == list(case.expected)


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda case: case.text[:24])
def test_it_finds_nothing_in_a_negative_snippet(case):
    assert found(case.text) == []


# --- what a finding looks like -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (ID_1, ID_1[:6] + "********" + ID_1[-4:]),
        (groups(ID_X, (6, 8, 4)), f"{ID_X[:6]} ******** {ID_X[-4:]}"),
        (groups(ID_2, (6, 8, 4), "-"), f"{ID_2[:6]}-********-{ID_2[-4:]}"),
        (fullwidth(ID_1), fullwidth(ID_1[:6]) + "********" + fullwidth(ID_1[-4:])),
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("１３８－１２３４－５６７８", "１３８－****－５６７８"),
        (CARD_16, CARD_16[:4] + "********" + CARD_16[-4:]),
        (groups(CARD_19, (4, 4, 4, 4, 3)), f"{CARD_19[:4]} **** **** ***{CARD_19[15]} {CARD_19[16:]}"),
        ("zhangsan1990@163.com", "z***********@163.com"),
        ("秘密★1年", "*****"),
        ("秘密 5年", "** **"),
    ],
)
def test_masking_keeps_the_length_and_the_separators(text, masked):
    [finding] = screen_text(text, RULES)
    assert finding.value == text
    assert finding.masked == masked
    assert len(finding.masked) == len(finding.value)


def test_a_name_keeps_only_its_surname():
    names = [f.masked for f in screen_text(f"王小明 13912345678，欧阳明 {ID_1}", RULES) if f.kind == "personal_name"]
    assert names == ["王**", "欧阳*"]


def test_the_excerpt_shows_20_characters_either_side_on_one_line_with_every_finding_masked():
    text = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸\n联系人王小明\n手机13912345678，邮箱wxm@163.com\n" + "。" * 30
    findings = screen_text(text, RULES)
    assert [f.kind for f in findings] == ["personal_name", "mobile", "email"]
    mobile = findings[1]
    assert mobile.excerpt == "甲乙丙丁戊己庚辛壬癸 联系人王** 手机139****5678，邮箱w**@163.com 。。。。。"
    window = text[mobile.start - 20 : mobile.end + 20]
    for value, masked in (("\n", " "), ("王小明", "王**"), ("13912345678", "139****5678"), ("wxm@", "w**@")):
        window = window.replace(value, masked)
    assert mobile.excerpt == window
    for finding in findings:
        assert "\n" not in finding.excerpt
        assert "13912345678" not in finding.excerpt and "小明" not in finding.excerpt


def test_findings_are_sorted_and_do_not_overlap():
    text = f"13812345678@163.com 刘洋 {ID_1} 13812345678 秘密★ 内部资料"
    findings = screen_text(text, RULES)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
    assert all(text[f.start : f.end] == f.value for f in findings)


def test_the_fingerprint_is_the_same_wherever_and_however_the_item_is_written_in_one_field():
    text = f"{ID_1}，又见{groups(ID_1, (6, 8, 4))}，及{fullwidth(ID_1)}。"
    first, second, third = screen_pages(text, field="body")
    assert first.start != second.start != third.start
    assert first.fingerprint == second.fingerprint == third.fingerprint
    assert len(first.fingerprint) == 64
    [in_title] = screen_pages(ID_1, field="title")
    assert in_title.fingerprint != first.fingerprint
    [x_lower] = screen_pages(ID_X.lower(), field="body")
    [x_upper] = screen_pages(f"另：{ID_X}", field="body")
    assert x_lower.fingerprint == x_upper.fingerprint


def test_the_fingerprint_does_not_depend_on_the_page_but_on_the_attachment():
    text = f"第一页{PAGE_SEPARATOR}第二页 {ID_1}{PAGE_SEPARATOR}第三页{ID_1}"
    on_2, on_3 = screen_pages(text, field="attachment", attachment="名单.pdf")
    assert (on_2.page, on_3.page) == (2, 3)
    assert on_2.fingerprint == on_3.fingerprint
    [elsewhere] = screen_pages(ID_1, field="attachment", attachment="其他.pdf")
    assert elsewhere.fingerprint != on_2.fingerprint


def test_pages_are_numbered_from_1_with_offsets_within_the_page():
    text = f"第一页没有敏感信息{PAGE_SEPARATOR}第二页：{ID_2}"
    [finding] = screen_pages(text, field="attachment", attachment="通知.pdf")
    assert (finding.field, finding.attachment, finding.page) == ("attachment", "通知.pdf", 2)
    assert (finding.start, finding.end) == (4, 22)
    assert f"第二页：{ID_2}"[finding.start : finding.end] == ID_2


def test_a_text_of_one_page_has_no_page_number():
    [finding] = screen_pages(f"正文{ID_2}", field="body")
    assert (finding.field, finding.attachment, finding.page, finding.start) == ("body", "", None, 2)


def test_screen_fields_names_each_field():
    findings = screen_fields({"title": "关于13812345678的答复", "summary": "无", "body": f"身份证{ID_1}"}, rules=RULES)
    assert [(f.field, f.kind) for f in findings] == [("title", "mobile"), ("body", "resident_id")]


def test_mask_text_replaces_every_finding_by_its_masked_form():
    text = f"联系人：王小明，手机139 1234 5678，身份证{ID_1}。秘密★1年"
    masked = mask_text(text, screen_text(text, RULES))
    assert masked == f"联系人：王**，手机139 **** 5678，身份证{ID_1[:6]}********{ID_1[-4:]}。*****"
    assert len(masked) == len(text)
    assert mask_text(text, []) == text


def test_every_kind_has_a_chinese_and_an_english_label():
    assert set(KIND_LABELS) == set(KINDS)
    assert KIND_LABELS["resident_id"] == ("身份证号码", "resident ID number")


# --- rules as data --------------------------------------------------------------------------------------


def test_organisation_domains_are_data():
    text = "邮箱 info@zbcredit.com"
    assert found(text) == [("email", "info@zbcredit.com")]
    assert found(text, Rules(organisation_email_domains=("gov.cn", "zbcredit.com"), today=TODAY)) == []


def test_a_birth_date_after_today_is_no_resident_id():
    born_tomorrow = resident_id("370303", "20261127", "001")
    assert found(born_tomorrow, Rules(today=TODAY)) == []
    assert found(born_tomorrow, Rules(today=TODAY + datetime.timedelta(days=1))) == [("resident_id", born_tomorrow)]


def test_without_a_date_today_is_used():
    assert found(ID_1, Rules()) == [("resident_id", ID_1)]


def test_a_finding_is_immutable():
    [finding] = screen_text("13812345678", RULES)
    assert isinstance(finding, Finding)
    with pytest.raises(AttributeError):
        finding.value = "x"


# --- resident IDs in general ---------------------------------------------------------------------------

CHINESE = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=40)
REGIONS = st.sampled_from(["370303", "370302", "370305", "110105", "440305", "510104", "650102"])
BIRTH_DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)


@settings(max_examples=300, deadline=None)
@given(
    before=CHINESE,
    after=CHINESE,
    region=REGIONS,
    born=BIRTH_DATES,
    sequence=st.integers(0, 999),
    form=st.sampled_from(["whole", "6-8-4", "spaced", "full-width"]),
)
def test_any_valid_resident_id_in_chinese_text_is_found(before, after, region, born, sequence, form):
    number = resident_id(region, born.strftime("%Y%m%d"), f"{sequence:03d}")
    written = {
        "whole": number,
        "6-8-4": groups(number, (6, 8, 4), "-"),
        "spaced": groups(number, (6, 8, 4)),
        "full-width": fullwidth(number),
    }[form]
    findings = screen_text(before + written + after, RULES)
    assert ("resident_id", written) in [(f.kind, f.value) for f in findings]


@settings(max_examples=300, deadline=None)
@given(before=CHINESE, after=CHINESE, digits=st.text("0123456789", min_size=17, max_size=17), data=st.data())
def test_eighteen_characters_with_a_wrong_check_character_are_no_resident_id(before, after, digits, data):
    right = resident_id_check_char(digits)
    wrong = data.draw(st.sampled_from([ch for ch in "0123456789X" if ch != right]))
    findings = screen_text(before + digits + wrong + after, RULES)
    assert "resident_id" not in [f.kind for f in findings]


def test_a_megabyte_of_ordinary_numbers_gives_only_the_planted_items():
    rng = random.Random(4)
    words = ["关于", "印发", "通知", "2026年11月26日", "0533-2869859", "张发改发〔2026〕12号", "1,234.56元", "，", "。"]
    text = "".join(rng.choice(words) for _ in range(120_000)) + f"手机13812345678，{ID_1}"
    assert len(text.encode("utf-8")) > 1_000_000
    assert found(text) == [("mobile", "13812345678"), ("resident_id", ID_1)]


def test_a_mobile_run_into_an_id_is_one_longer_number():
    assert found(f"13812345678{ID_1}") == []


def test_the_benchmark_finds_exactly_the_items_it_planted_and_reports_the_goal():
    done = subprocess.run(
        [sys.executable, "-m", "bench.screening", "--megabytes", "0.5"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "  every planted item found, nothing else"
    assert lines[2].startswith("  screen_text: ") and lines[2].endswith(" MB/s")
    assert lines[-1].startswith("  goal ≥ 5 MB/s: ")
