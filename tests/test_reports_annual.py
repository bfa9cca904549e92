"""The annual report made from the system's own data (issue 8, items 1–4): the figures, the identities, the
workflow from draft to publication, and the reminders."""

import datetime
import itertools

import pytest
import time_machine
from django.core import mail

from gongkai.reports import checks, figures, layout, services
from gongkai.reports.models import AnnualReport, ReportReminder, ReportSettings
from gongkai.requests.models import DisclosureRequest, Remedy

pytestmark = pytest.mark.django_db
D = datetime.date
serial = itertools.count(1)


def application(organization, received, *, kind="natural", outcome="", closed=None) -> DisclosureRequest:
    return DisclosureRequest.objects.create(
        organization=organization, tracking_code=f"T{next(serial):08d}", channel="online", received_on=received,
        applicant_kind=kind, applicant_name="申请人", identity_number="x", phone="13905330000", description="…",
        form_wanted="electronic", delivery="email", outcome=outcome, closed_on=closed,
    )  # fmt: skip


def cells(table3, row) -> list[int]:
    return table3[row]


# --- table 三 ----------------------------------------------------------------------------------------------


def test_table_three_counts_received_carried_over_and_each_outcome_once_per_applicant_kind(bureau):
    other = bureau.__class__.objects.exclude(pk=bureau.pk).first()
    application(bureau, D(2024, 12, 20), kind="commercial", outcome="1", closed=D(2025, 1, 8))  # carried in, closed
    application(bureau, D(2024, 12, 28), kind="natural", outcome="2", closed=D(2024, 12, 30))  # closed last year
    application(bureau, D(2025, 3, 1), kind="natural", outcome="2", closed=D(2025, 3, 20))  # 部分公开: only there
    application(bureau, D(2025, 4, 1), kind="legal_services", outcome="3.4", closed=D(2025, 4, 20))
    application(bureau, D(2025, 5, 1), kind="natural", outcome="6.3", closed=D(2025, 5, 2))
    application(bureau, D(2025, 12, 30), kind="research")  # open: carried over to 2026
    application(bureau, D(2025, 12, 29), kind="natural", outcome="4.1", closed=D(2026, 1, 5))  # closed next year
    application(other, D(2025, 6, 1), kind="natural", outcome="1", closed=D(2025, 6, 2))  # another organisation

    table3 = figures.count(bureau, 2025)["table3"]

    #                         自然人 商业 科研 公益 法律 其他 总计
    assert table3["new"] == [3, 0, 1, 0, 1, 0, 5]
    assert table3["carried_in"] == [0, 1, 0, 0, 0, 0, 1]
    assert table3["1"] == [0, 1, 0, 0, 0, 0, 1]
    assert table3["2"] == [1, 0, 0, 0, 0, 0, 1]
    assert table3["3.4"] == [0, 0, 0, 0, 1, 0, 1]
    assert table3["6.3"] == [1, 0, 0, 0, 0, 0, 1]
    assert table3["4.1"] == [0] * 7  # closed in 2026: not this year's outcome
    assert table3["total"] == [2, 1, 0, 0, 1, 0, 4]
    assert table3["carried_out"] == [1, 0, 1, 0, 0, 0, 2]
    assert checks.check(figures.count(bureau, 2025)) == []


def test_table_four_counts_remedies_filed_in_the_year_by_their_result_at_its_end(bureau):
    base = application(bureau, D(2025, 1, 5), outcome="3.4", closed=D(2025, 1, 20))
    Remedy.objects.create(request=base, kind="reconsideration", filed_on=D(2025, 2, 1), result="upheld",
                          decided_on=D(2025, 4, 1))  # fmt: skip
    Remedy.objects.create(request=base, kind="reconsideration", filed_on=D(2025, 11, 1), result="corrected",
                          decided_on=D(2026, 1, 10))  # decided after the year: 尚未审结 at its end  # fmt: skip
    Remedy.objects.create(request=base, kind="direct_litigation", filed_on=D(2025, 3, 1))
    Remedy.objects.create(request=base, kind="after_reconsideration", filed_on=D(2024, 3, 1), result="other",
                          decided_on=D(2024, 9, 1))  # last year's  # fmt: skip

    table4 = figures.count(bureau, 2025)["table4"]

    assert table4 == {"reconsideration": [1, 0, 0, 1, 2], "direct": [0, 0, 0, 1, 1], "after": [0, 0, 0, 0, 0]}


# --- table 二 ----------------------------------------------------------------------------------------------


def test_table_two_counts_normative_documents_and_the_bureaus_own_credit_decisions(bureau, credit):
    from gongkai.catalog.models import Column, Genre, Publication
    from gongkai.credit import services as credit_services
    from tests.credit_files import csv_file, licence

    normative = Genre.objects.filter(report_category="normative").first()
    column = Column.objects.get(code="regulations")

    def document(issued, **dates):
        return Publication.objects.create(
            publisher=bureau, author=credit, title=f"规范性文件{issued}", issued_on=issued, column=column,
            genre=normative, status="published", **dates,
        )  # fmt: skip

    document(D(2025, 3, 1))
    document(D(2025, 6, 1), repealed_on=D(2025, 11, 1))  # issued and repealed this year
    document(D(2023, 6, 1), expired_on=D(2025, 6, 30))  # expired: no longer in force
    document(D(2022, 6, 1))
    document(D(2026, 2, 1))  # next year
    credit_services.import_file(
        csv_file(
            licence(1, 许可决定日期="2025-03-05", 有效期自="2025-03-05"),
            licence(2, 许可决定日期="2025-12-31", 有效期自="2025-12-31"),
            licence(3, 许可决定日期="2026-01-01", 有效期自="2026-01-01"),
            licence(4, 许可决定日期="2025-05-05", 有效期自="2025-05-05", 当前状态="撤销"),  # entered in error
        ),
        "licences.csv", organization=bureau,
    )  # fmt: skip

    table2 = figures.count(bureau, 2025, hand_entered={"coercion": 3, "fees": "1.25"})["table2"]

    assert table2["normative"] == {"issued": 2, "abolished": 1, "in_force": 2}
    assert table2["regulation"] == {"issued": 0, "abolished": 0, "in_force": 0}
    assert (table2["licence"], table2["penalty"], table2["coercion"], table2["fees"]) == (2, 0, 3, "1.25")


# --- the identities ----------------------------------------------------------------------------------------


def test_a_wrong_total_is_named_by_its_cells():
    report = layout.empty_figures()
    report["table3"]["new"] = [1, 0, 0, 0, 0, 0, 1]
    report["table3"]["1"] = [1, 0, 0, 0, 0, 0, 1]
    report["table3"]["total"] = [1, 0, 0, 0, 0, 0, 2]  # 总计 says 2
    report["table4"]["direct"] = [1, 1, 0, 0, 3]

    failures = checks.check(report)

    assert {(f.identity, f.cells[0]) for f in failures} == {
        ("balance", "表三「一、本年新收政府信息公开申请数量」×「总计」"),
        ("outcomes", "表三「（七）总计」×「总计」"),
        ("row_total", "表三「（七）总计」×「总计」"),
        ("table4_total", "表四「未经复议直接起诉」×「总计」"),
    }


def test_this_years_carried_over_must_equal_last_years_carried_forward():
    last, this = layout.empty_figures(), layout.empty_figures()
    last["table3"]["carried_out"] = [2, 0, 0, 0, 0, 0, 2]
    this["table3"]["carried_in"] = [1, 0, 0, 0, 0, 0, 1]
    this["table3"]["total"] = [1, 0, 0, 0, 0, 0, 1]
    this["table3"]["1"] = [1, 0, 0, 0, 0, 0, 1]

    failures = checks.check(this, last_year=last)

    assert [(f.identity, f.left, f.right) for f in failures] == [("carried_over", "1", "2"), ("carried_over", "1", "2")]


# --- the workflow ------------------------------------------------------------------------------------------


@time_machine.travel("2026-01-12 10:00 +0800")
def test_prepared_edited_signed_off_by_the_office_head_and_published_with_an_index_number(
    bureau, publisher, head, handler, client
):
    from gongkai.audit.models import AuditEvent
    from gongkai.lib.errors import Refused

    application(bureau, D(2025, 3, 1), kind="commercial", outcome="1", closed=D(2025, 3, 10))
    report = services.prepare(bureau, 2025, by=handler)
    assert report.title == "张店区发展和改革局2025年政府信息公开工作年度报告"
    assert "本年新收政府信息公开申请1件" in report.narrative["overview"]
    assert "收取信息处理费共计0元" in report.narrative["other"]
    report = services.edit(report, by=handler, coercion="2", fees="0.35",
                           narrative={**report.narrative, "problems": "人手不足。"})  # fmt: skip
    with pytest.raises(Refused, match="公开办负责人"):
        services.sign_off(report, by=handler)
    report = services.sign_off(report, by=head)
    with pytest.raises(Refused, match="只能修改草稿"):
        services.edit(report, by=handler, coercion="3")
    report = services.publish(report, by=publisher)

    publication = report.publication
    assert report.status == "published" and publication.column.code == "annual-reports"
    assert publication.index_no.startswith("1137030300421716XM/2026-")
    assert publication.approved_by == head and publication.is_published
    page = client.get(f"/gongkai/{bureau.slug}/doc/{publication.pk}/").content.decode()
    assert "人手不足。" in page and "三、收到和处理政府信息公开申请情况" in page and "0.35" in page
    actions = list(AuditEvent.objects.filter(object_type="reports.annualreport").values_list("action", flat=True))
    assert actions == ["report.prepared", "report.edited", "report.signed_off", "report.published"]


def test_sign_off_is_refused_while_last_years_carried_forward_disagrees(bureau, head, handler):
    from gongkai.lib.errors import Refused

    application(bureau, D(2024, 12, 30), outcome="1", closed=D(2025, 1, 6))  # carried in: 1 natural person
    last = layout.empty_figures()
    last["table3"]["carried_out"] = [3, 0, 0, 0, 0, 0, 3]  # last year's report said 3
    AnnualReport.objects.create(organization=bureau, year=2024, title="2024", figures=last, status="published",
                                source="imported")  # fmt: skip
    report = services.prepare(bureau, 2025, by=handler)

    with pytest.raises(Refused, match="上年结转（1）不等于上一年报告的结转下年度（3）"):
        services.sign_off(report, by=head)
    assert AnnualReport.objects.get(pk=report.pk).status == "draft"


def test_hand_entered_cells_are_checked_and_survive_a_recount(bureau, handler):
    from gongkai.lib.errors import FieldErrors

    report = services.prepare(bureau, 2025, by=handler)
    with pytest.raises(FieldErrors) as invalid:
        services.edit(report, by=handler, coercion="三", fees="-1")
    assert set(invalid.value.errors) == {"coercion", "fees"}
    services.edit(report, by=handler, coercion="4", fees="12.5")
    application(bureau, D(2025, 6, 1))
    report = services.prepare(bureau, 2025, by=handler)
    assert (report.figures["table2"]["coercion"], report.figures["table2"]["fees"]) == (4, "12.5")
    assert report.figures["table3"]["new"][-1] == 1


def test_another_organisations_staff_cannot_prepare_or_see_the_report(bureau, handler, client, submitter):
    from gongkai.lib.errors import Refused

    with pytest.raises(Refused):
        services.prepare(bureau, 2025, by=submitter)
    services.prepare(bureau, 2025, by=handler)
    client.force_login(submitter)
    assert client.get(f"/staff/reports/{bureau.pk}/2025/").status_code == 403
    client.force_login(handler)
    page = client.get(f"/staff/reports/{bureau.pk}/2025/").content.decode()
    assert "张店区发展和改革局2025年政府信息公开工作年度报告" in page


# --- the deadline -------------------------------------------------------------------------------------------


def test_the_statutory_latest_date_is_31_january_for_a_department_and_31_march_for_a_government(bureau):
    assert services.statutory_deadline(bureau, 2025) == D(2026, 1, 31)
    bureau.kind = "government"
    assert services.statutory_deadline(bureau, 2025) == D(2026, 3, 31)


def test_the_office_head_is_reminded_before_the_internal_deadline_after_it_and_after_the_statutory_date(bureau, head):
    from gongkai.reports import reminders

    head.email = "head@zhangdian.gov.cn"
    head.save()
    ReportSettings.objects.create(organization=bureau, deadline_month=1, deadline_day=25, remind_days_before=5)
    reminders.send_reminders(D(2026, 1, 19))  # six days before the deadline: not yet
    assert not ReportReminder.objects.filter(organization=bureau).exists()
    for day, kind in ((D(2026, 1, 20), "due_soon"), (D(2026, 1, 26), "overdue"), (D(2026, 2, 1), "statutory")):
        mail.outbox.clear()
        reminders.send_reminders(day)
        reminders.send_reminders(day)  # the worker runs again: nothing twice
        assert [m.to for m in mail.outbox if "张店区发展和改革局" in m.subject] == [["head@zhangdian.gov.cn"]]
        assert ReportReminder.objects.filter(organization=bureau).latest("id").kind == kind
    assert "已超过法定最晚发布日期（2026年01月31日" in mail.outbox[-1].body


def test_no_reminder_after_the_reporting_season(bureau, head):
    from gongkai.reports import reminders

    head.email = "head@zhangdian.gov.cn"
    head.save()
    reminders.send_reminders(D(2026, 4, 15))  # perhaps published on the old site: not the system's to chase now
    assert not ReportReminder.objects.filter(organization=bureau).exists()
    reminders.send_reminders(D(2026, 3, 31))
    assert ReportReminder.objects.get(organization=bureau).kind == "statutory"


def test_no_reminder_once_the_report_is_published(bureau, head):
    from gongkai.reports import reminders

    head.email = "head@zhangdian.gov.cn"
    head.save()
    AnnualReport.objects.create(organization=bureau, year=2025, title="t", status="published")
    reminders.send_reminders(D(2026, 1, 28))
    assert not ReportReminder.objects.filter(organization=bureau).exists()


# --- older reports, comparisons, the command ----------------------------------------------------------------


def test_a_published_2024_report_is_imported_and_this_years_carried_over_is_checked_against_it(
    bureau, handler, head, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.report_files import figures_2021, html_report

    last = figures_2021(seed=3)
    upload = SimpleUploadedFile("2024.html", html_report(last, year=2024), content_type="text/html")
    client.force_login(handler)
    response = client.post(f"/staff/reports/{bureau.pk}/import/", {"file": upload, "year": ""})
    imported = AnnualReport.objects.get(organization=bureau, year=2024)
    assert response.status_code == 302 and imported.source == "imported" and imported.status == "published"
    assert imported.figures["table3"] == last["table3"] and imported.original.name.endswith(".html")

    report = services.prepare(bureau, 2025, by=handler)  # nothing carried over in the system's data
    failures = services.problems(report)
    expected = [column for column, value in enumerate(last["table3"]["carried_out"]) if value]
    assert [f.identity for f in failures] == ["carried_over"] * len(expected) and expected

    page = client.get(f"/staff/reports/{bureau.pk}/2025/compare/").content.decode()
    assert "表三「二、上年结转政府信息公开申请数量」×「总计」" in page  # a changed cell, named as the format names it
    assert "上一年报告的结转下年度" in page


def test_an_import_is_refused_with_the_reason_when_the_year_is_taken_or_unknown(bureau, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.lib.errors import FieldErrors, Refused
    from tests.report_files import figures_2021, html_report

    services.prepare(bureau, 2025, by=handler)
    with pytest.raises(Refused, match="已有2025年度报告"):
        services.import_published(bureau, SimpleUploadedFile("r.html", html_report(figures_2021(), year=2025)),
                                  by=handler)  # fmt: skip
    with pytest.raises(FieldErrors) as unknown:
        services.import_published(bureau, SimpleUploadedFile("r.txt", "关于做好有关工作的通知".encode()), by=handler)
    assert set(unknown.value.errors) == {"year"}
    assert AnnualReport.objects.filter(organization=bureau).count() == 1


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx", "json"])
def test_gongkai_report_annual_exports_a_report_counted_from_the_data(bureau, tmp_path, fmt, capsys):
    from django.core.management import call_command

    from gongkai.reports import parse

    application(bureau, D(2025, 3, 1), kind="commercial", outcome="1", closed=D(2025, 3, 10))
    output = tmp_path / f"report.{fmt}"
    call_command("report", "annual", "--org", bureau.uscc, "--year", "2025", "--format", fmt, "-o", str(output))
    assert "按系统数据即时统计" in capsys.readouterr().err
    assert not AnnualReport.objects.exists()  # nothing saved
    data = output.read_bytes()
    if fmt in ("html", "docx"):
        assert parse.read_report(data, output.name).figures["table3"]["1"] == [0, 1, 0, 0, 0, 0, 1]
    elif fmt == "json":
        assert '"table3"' in data.decode() and "张店区发展和改革局2025年政府信息公开工作年度报告" in data.decode()
    else:
        import io

        import openpyxl

        sheet = next(ws for ws in openpyxl.load_workbook(io.BytesIO(data)).worksheets if ws.title.startswith("三"))
        numbers = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, int)]
        assert sum(numbers) == 6  # 一 and （一） and （七）: 商业企业 1 and 总计 1 each


def test_the_administrator_sets_an_organisations_internal_deadline_in_the_admin(client, bureau):
    from gongkai.orgs.demo import DEMO_PASSWORD

    client.login(username="admin", password=DEMO_PASSWORD)
    response = client.post(
        "/admin/reports/reportsettings/add/",
        {"organization": bureau.pk, "deadline_month": 1, "deadline_day": 15, "remind_days_before": 7},
    )
    assert response.status_code == 302
    assert services.internal_deadline(bureau, 2025) == D(2026, 1, 15)
    assert client.get("/admin/reports/annualreport/").status_code == 200
    assert client.get("/admin/upstream/upstream/").status_code == 200  # the platforms' endpoints, too


def test_an_internal_deadline_every_year_does_not_have_is_refused(client, bureau):
    from gongkai.orgs.demo import DEMO_PASSWORD

    client.login(username="admin", password=DEMO_PASSWORD)
    response = client.post(
        "/admin/reports/reportsettings/add/",
        {"organization": bureau.pk, "deadline_month": 2, "deadline_day": 29, "remind_days_before": 7},
    )
    assert response.status_code == 200 and "Not a day every year has." in response.content.decode()
    assert not ReportSettings.objects.exists()
