"""One row of 双公示 data checked against the standard: normalised, typed, every error naming its field."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.credit.rows import EXCEL_EPOCH, check_row, parse_date
from gongkai.credit.standard import LICENCE, PENALTY, Requirement

TODAY = datetime.date(2026, 11, 26)
BUREAU = "1137030300421716XM"
COMPANY = "91370303MA3C00018X"  # checked below: a valid USCC

LICENCE_ROW = {
    "XK_XDR_MC": "淄博华瑞建材有限公司",
    "XK_XDR_LB": "法人及非法人组织",
    "XK_XDR_SHXYM": COMPANY,
    "XK_FRDB": "刘建国",
    "XK_XKWS": "准予行政许可决定书",
    "XK_WSH": "张发改许〔2026〕15号",
    "XK_XKLB": "普通",
    "XK_NR": "企业投资项目备案",
    "XK_JDRQ": "2026-03-05",
    "XK_YXQZ": "2026-03-05",
    "XK_YXQZI": "2028-03-04",
    "XK_XKJG": "张店区发展和改革局",
    "XK_XKJGDM": BUREAU,
    "XK_ZT": "有效",
    "XK_LYDW": "张店区发展和改革局",
    "XK_LYDWDM": BUREAU,
}
PENALTY_ROW = {
    "CF_XDR_MC": "王小明",
    "CF_XDR_LB": "自然人",
    "CF_XDR_ZJLX": "身份证",
    "CF_XDR_ZJHM": "370303199001011239",
    "CF_WSH": "张发改罚〔2026〕3号",
    "CF_WFXW": "价格违法",
    "CF_SY": "未明码标价",
    "CF_YJ": "《中华人民共和国价格法》第四十二条",
    "CF_CFLB": "警告、罚款",
    "CF_NR": "警告，罚款0.5万元",
    "CF_NR_FK": "0.5",
    "CF_JDRQ": "2026-06-01",
    "CF_YXQ": "2027-06-01",
    "CF_CFJG": "张店区发展和改革局",
    "CF_CFJGDM": BUREAU,
    "CF_SJLY": "张店区发展和改革局",
    "CF_SJLYDM": BUREAU,
}


def errors_of(row, standard=LICENCE) -> dict[str, str]:
    return {error.field: error.message for error in check_row(row, standard, today=TODAY).errors}


def test_the_company_code_used_here_is_valid():
    from gongkai.lib.identifiers import check

    assert check(COMPANY, "uscc").valid


def test_a_complete_licence_row_is_accepted_and_typed():
    result = check_row(LICENCE_ROW, LICENCE, today=TODAY)
    assert result.ok, result.errors
    assert result.values["XK_JDRQ"] == datetime.date(2026, 3, 5)
    assert result.values["XK_XKLB"] == "普通" and result.values["BZ"] is None


def test_full_width_characters_stray_spaces_and_codes_are_normalised():
    row = {
        **LICENCE_ROW,
        "XK_XDR_SHXYM": " ９１３７０３０３ＭＡ３Ｃ０００１８Ｘ ",
        "XK_XDR_MC": "  淄博华瑞建材   有限公司 ",
        "XK_XKLB": "01",
        "XK_ZT": "1",
        "XK_JDRQ": "２０２６年３月５日",
    }
    result = check_row(row, LICENCE, today=TODAY)
    assert result.ok, result.errors
    assert result.values["XK_XDR_SHXYM"] == COMPANY
    assert result.values["XK_XDR_MC"] == "淄博华瑞建材 有限公司"
    assert (result.values["XK_XKLB"], result.values["XK_ZT"]) == ("普通", "有效")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-03-05", datetime.date(2026, 3, 5)),
        ("2026/3/5", datetime.date(2026, 3, 5)),
        ("2026年3月5日", datetime.date(2026, 3, 5)),
        ("20260305", datetime.date(2026, 3, 5)),
        (45658, datetime.date(2025, 1, 1)),  # an Excel serial as calamine reads it
        ("45658", datetime.date(2025, 1, 1)),
        ("2026-02-30", None),
        ("明天", None),
    ],
)
def test_dates_are_read_in_every_form_a_spreadsheet_gives(typed, day):
    assert parse_date(typed) == day


@given(st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_every_date_form_gives_back_the_same_day(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    assert parse_date(f"{day.year}/{day.month}/{day.day}") == day
    assert parse_date((day - EXCEL_EPOCH).days) == day


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"XK_XDR_SHXYM": ""}, "XK_XDR_SHXYM", "必填（法人及非法人组织）"),
        ({"XK_XDR_SHXYM": "91370303MA3C00018B"}, "XK_XDR_SHXYM", "校验码"),
        ({"XK_XKJGDM": "1137030300421716X"}, "XK_XKJGDM", "许可机关统一社会信用代码"),
        ({"XK_XKLB": "特殊"}, "XK_XKLB", "不在代码表中"),
        ({"XK_JDRQ": "2026-02-30"}, "XK_JDRQ", "不是有效日期"),
        ({"XK_JDRQ": "2026-11-27"}, "XK_JDRQ", "晚于今天"),
        ({"XK_YXQZI": "2026-03-04"}, "XK_YXQZI", "早于有效期自"),
        ({"XK_WSH": "号" * 129}, "XK_WSH", "超过128个字"),
        ({"XK_NR": "   "}, "XK_NR", "必填"),
    ],
)
def test_each_bad_cell_is_reported_with_its_field_and_reason(change, field, message):
    errors = errors_of({**LICENCE_ROW, **change})
    assert list(errors) == [field]
    assert message in errors[field]


def test_a_natural_person_needs_an_identity_document_whose_check_digit_holds():
    row = {**PENALTY_ROW, "CF_XDR_ZJHM": ""}
    assert "必填（自然人）" in errors_of(row, PENALTY)["CF_XDR_ZJHM"]
    row = {**PENALTY_ROW, "CF_XDR_ZJHM": "370303199001011237"}
    assert "校验码" in errors_of(row, PENALTY)["CF_XDR_ZJHM"]
    passport = {**PENALTY_ROW, "CF_XDR_ZJLX": "02", "CF_XDR_ZJHM": "E12345678"}
    assert errors_of(passport, PENALTY) == {}


def test_penalty_categories_drive_the_amounts_required():
    result = check_row(PENALTY_ROW, PENALTY, today=TODAY)
    assert result.ok, result.errors
    assert result.values["CF_CFLB"] == ("警告", "罚款") and result.values["CF_NR_FK"] == Decimal("0.5")
    assert "必填" in errors_of({**PENALTY_ROW, "CF_NR_FK": ""}, PENALTY)["CF_NR_FK"]
    old = {**PENALTY_ROW, "CF_CFLB": "没收违法所得、没收非法财物", "CF_NR_FK": ""}
    assert list(errors_of(old, PENALTY)) == ["CF_NR_WFFF"]
    old["CF_NR_WFFF"] = "1.25"
    assert check_row(old, PENALTY, today=TODAY).values["CF_CFLB"] == ("没收违法所得", "没收非法财物")


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-1", "不能为负数"), ("0.1234567", "最多6位小数"), ("五千", "不是数字"), ("2000000000", "万元")],
)
def test_amounts_are_in_ten_thousand_yuan_non_negative_with_six_decimals_at_most(amount, message):
    assert message in errors_of({**PENALTY_ROW, "CF_NR_FK": amount}, PENALTY)["CF_NR_FK"]


def test_an_administrator_can_make_a_field_required_without_code_changes():
    stricter = LICENCE.with_overrides(required={"XK_XKBH": Requirement(always=True)})
    assert "必填" in errors_of(LICENCE_ROW, stricter)["XK_XKBH"]
    assert errors_of(LICENCE_ROW) == {}


def test_the_standard_has_the_28_licence_and_30_penalty_fields_and_a_penalty_has_one_gongkai_column():
    assert len(LICENCE.national_fields) == 28 and len(PENALTY.national_fields) == 30
    assert len({f.code for f in LICENCE.fields}) == 28 and len({f.code for f in PENALTY.fields}) == 31
    assert [f.code for f in PENALTY.fields if f.local] == ["GK_YZCD"] and LICENCE.fields == LICENCE.national_fields
    assert LICENCE.by_label()["统一社会信用代码"].code == "XK_XDR_SHXYM"
