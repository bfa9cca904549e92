"""Importing a submission: rows checked, all stored or none, versions kept, errors addressed by row and column."""

import io
import json
from datetime import date
from io import StringIO

import pytest
from credit_files import BUREAU, HEADER, csv_file, licence
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.credit import services
from gongkai.credit.models import Licence, Penalty, RecordVersion, Submission

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def submit(bureau, *rows, **options):
    return services.import_file(csv_file(*rows), "licences.csv", organization=bureau, today=TODAY, **options)


def test_a_good_file_is_stored_with_its_publicity_due_date(bureau):
    submission, report = submit(bureau, licence(1), licence(2))
    assert (report.rows, report.accepted, report.rejected, report.errors) == (2, 2, 0, [])
    assert submission.outcome == "accepted"
    record = Licence.objects.get(decision_number="张发改许〔2026〕1号")
    assert record.publicity_due == date(2026, 3, 16)  # 7 working days after 2026-03-05
    assert record.data["XK_XKLB"] == "普通" and record.source == bureau


def test_one_bad_row_rejects_the_whole_file_and_the_report_names_row_and_column(bureau):
    submission, report = submit(bureau, licence(1), licence(2, 许可决定日期="2026-02-30"), licence(3))
    assert (report.accepted, report.rejected) == (0, 3)
    assert report.errors == [
        {
            "row": 3, "column": "I", "field": "XK_JDRQ", "value": "2026-02-30",
            "message": "许可决定日期：不是有效日期 / not a valid date",
        }
    ]  # fmt: skip
    assert submission.outcome == "rejected" and not Licence.objects.exists()


def test_accept_valid_keeps_the_good_rows_and_returns_the_rest(bureau):
    submission, report = submit(bureau, licence(1), licence(2, 统一社会信用代码=""), accept_valid=True)
    assert (report.accepted, report.rejected) == (1, 1)
    assert submission.outcome == "partial"
    assert list(Licence.objects.values_list("decision_number", flat=True)) == ["张发改许〔2026〕1号"]


def test_the_same_decision_number_twice_in_a_file_is_an_error_on_the_second(bureau):
    _submission, report = submit(bureau, licence(1), licence(1))
    assert report.errors[0]["row"] == 3 and "与第2行重复" in report.errors[0]["message"]


def test_a_department_submits_only_its_own_data(bureau):
    _submission, report = submit(bureau, licence(1, 数据来源单位统一社会信用代码="113703030042240015"))
    assert report.rejected == 1 and "数据来源单位应为报送单位" in report.errors[0]["message"]


def test_resubmitting_a_decision_updates_it_and_keeps_every_version(bureau):
    submit(bureau, licence(1))
    submit(bureau, licence(1, 许可内容="企业投资项目备案（变更）"))
    record = Licence.objects.get()
    assert record.data["XK_NR"] == "企业投资项目备案（变更）"
    first, second = Submission.objects.order_by("id")
    assert [(submission, data["XK_NR"]) for submission, data in record.history()] == [
        (first.pk, "企业投资项目备案"),
        (second.pk, "企业投资项目备案（变更）"),
    ]
    assert RecordVersion.objects.get().record_id == record.pk  # the replaced version, kept
    assert Submission.objects.count() == 2


def test_a_dry_run_checks_and_stores_nothing(bureau):
    submission, report = submit(bureau, licence(1), dry_run=True)
    assert submission is None and report.accepted == 1
    assert not Licence.objects.exists() and not Submission.objects.exists()


def test_an_unreadable_file_is_recorded_as_rejected_with_its_reason(bureau):
    submission, report = services.import_file(
        io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "photo.csv", organization=bureau, today=TODAY
    )
    assert submission.outcome == "rejected" and "不是CSV或XLSX" in report.file_error
    assert not Licence.objects.exists() and not Penalty.objects.exists()


def test_the_command_prints_the_json_report_and_fails_when_nothing_is_accepted(bureau, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_file(licence(1)).getvalue())
    bad.write_bytes(csv_file(licence(2, 许可类别="特殊")).getvalue())
    out = StringIO()
    call_command("credit", "import", str(good), "--org", BUREAU, stdout=out)
    assert json.loads(out.getvalue()) == {
        "rows": 1,
        "accepted": 1,
        "rejected": 0,
        "errors": [],
        "late": [{"decision_number": "张发改许〔2026〕1号", "due": "2026-03-16"}],  # decided in March, sent now
    }
    out = StringIO()
    with pytest.raises(CommandError, match="没有接收任何行"):
        call_command("credit", "import", str(bad), "--org", BUREAU, stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["errors"][0]["column"] == "G" and summary["errors"][0]["field"] == "XK_XKLB"
    with pytest.raises(CommandError, match="No organisation"):
        call_command("credit", "import", str(good), "--org", "91370303MA3C00018X")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("kind", ["licence", "penalty"])
def test_the_blank_template_has_every_field_and_a_filled_one_imports(bureau, tmp_path, suffix, kind):
    from gongkai.credit.reader import read
    from gongkai.credit.standard import STANDARDS

    path = tmp_path / f"{kind}{suffix}"
    call_command("credit", "template", "--kind", kind, "-o", str(path), stdout=StringIO())
    with path.open("rb") as fileobj:
        assert list(read(fileobj, path.name, STANDARDS[kind])) == []  # the header maps to the standard, no rows
    if suffix == ".xlsx" and kind == "licence":
        from openpyxl import load_workbook

        workbook = load_workbook(path)
        sheet = workbook["数据"]
        assert [cell.value for cell in sheet[1]][:2] == ["行政相对人名称", "行政相对人类别"]
        lists = {str(validation.sqref): validation.formula1 for validation in sheet.data_validations.dataValidation}
        assert lists["B2:B5001"] == "'代码表'!$A$2:$A$4"  # 行政相对人类别: three kinds
        assert "必填（自然人）" in [row[2] for row in workbook["填报说明"].iter_rows(values_only=True)]
        labels = [cell.value for cell in sheet[1]]
        for label, value in zip(HEADER, licence(9), strict=True):
            full_label = STANDARDS[kind].by_label()[label].label
            sheet.cell(row=2, column=labels.index(full_label) + 1, value=value)
        workbook.save(path)
        with path.open("rb") as fileobj:
            _submission, report = services.import_file(fileobj, path.name, organization=bureau, today=TODAY)
        assert (report.accepted, report.errors) == (1, [])


def test_timeliness_late_records_and_monthly_on_time_rates(bureau):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from gongkai.credit.timeliness import late, monthly_rates

    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime.datetime(2026, 3, 16, 17, tzinfo=shanghai), tick=False):  # the due day
        _s, report = submit(bureau, licence(1))
    assert report.late == []
    with time_machine.travel(datetime.datetime(2026, 3, 17, 9, tzinfo=shanghai), tick=False):  # a day late
        _s, report = submit(bureau, licence(2))
    assert report.late == [{"decision_number": "张发改许〔2026〕2号", "due": "2026-03-16"}]
    assert list(late(Licence.objects.all()).values_list("decision_number", flat=True)) == ["张发改许〔2026〕2号"]
    march = monthly_rates(bureau, 2026)[2]
    assert (march.month, march.published, march.on_time, march.rate) == (3, 2, 1, 0.5)
    assert monthly_rates(bureau, 2026)[3].rate is None


@pytest.mark.postgresql
def test_a_decision_recorded_meanwhile_by_another_submission_is_updated(bureau, monkeypatch):
    """PostgreSQL copies a chunk straight in when its decisions are new; if one was recorded after the probe,
    the copy fails on the unique index and the chunk is written as an update instead."""
    from gongkai.credit import bulk

    submit(bureau, licence(1))
    monkeypatch.setattr(bulk.Writer, "_any_recorded", lambda self, cursor, staged: False)  # the probe missed it
    submit(bureau, licence(1, 许可内容="企业投资项目备案（变更）"), licence(2))
    contents = sorted(Licence.objects.values_list("data__XK_NR", flat=True))
    assert contents == ["企业投资项目备案", "企业投资项目备案（变更）"]
    assert RecordVersion.objects.count() == 1
