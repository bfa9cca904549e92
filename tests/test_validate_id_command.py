"""``validate_id VALUE...``: one JSON line per value; exit status 1 when any value is invalid."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

BUREAU = "1137030300421716XM"


def run(*args: str, **options: object) -> tuple[list[dict], str]:
    out, err = StringIO(), StringIO()
    call_command("validate_id", *args, stdout=out, stderr=err, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def run_failing(*args: str, **options: object) -> tuple[list[dict], str, int]:
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("validate_id", *args, stdout=out, stderr=err, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), exited.value.code


def test_it_prints_one_json_line_per_value_and_succeeds_when_all_are_valid():
    lines, err = run(BUREAU, "11010519491231002x", "00421716-X")

    assert [line["kind"] for line in lines] == ["uscc", "resident_id", "org_code"]
    assert all(line["valid"] for line in lines)
    assert lines[0] == {
        "value": BUREAU,
        "normalized": BUREAU,
        "kind": "uscc",
        "valid": True,
        "errors": [],
        "warnings": [],
        "details": {
            "registration_authority_code": "1",
            "registration_authority": "机构编制",
            "category_code": "1",
            "category": "机关",
            "region_code": "370303",
            "region": {"province": "山东省", "county": "张店区"},
            "org_code": "00421716X",
        },
    }
    assert lines[1]["normalized"] == "11010519491231002X"
    assert err == ""


def test_it_prints_chinese_unescaped():
    out = StringIO()
    call_command("validate_id", BUREAU, stdout=out)
    assert "机构编制" in out.getvalue()


def test_it_exits_with_status_1_when_one_value_is_invalid():
    lines, err, code = run_failing(BUREAU, "1137030300421716XN")

    assert code == 1
    assert [line["valid"] for line in lines] == [True, False]
    assert lines[1]["errors"] == [
        '统一社会信用代码 "1137030300421716XN" 校验码错误：应为 M / '
        'USCC "1137030300421716XN": check character is N, expected M'
    ]
    assert "1 of 2 values invalid" in err


def test_it_reports_a_value_of_no_supported_shape():
    lines, _err, code = run_failing("12345")
    assert code == 1
    assert lines[0]["kind"] is None
    assert lines[0]["valid"] is False


def test_kind_forces_how_a_value_is_checked():
    lines, _err = run("00421716-X", kind="org_code")
    assert lines[0]["kind"] == "org_code"

    lines, _err, code = run_failing("00421716-X", kind="uscc")
    assert code == 1
    assert lines[0]["kind"] == "uscc"
    assert "expected 18" in lines[0]["errors"][0]


def test_it_refuses_an_unknown_kind():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("validate_id", BUREAU, "--kind", "passport", stdout=StringIO())


def test_it_requires_at_least_one_value():
    with pytest.raises(CommandError, match="VALUE"):
        call_command("validate_id", stdout=StringIO())
