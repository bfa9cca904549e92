"""The department portal of 双公示: 周晓 (submitter of 张店区行政审批服务局) uploads a file and reads its report with
a copy of the file whose bad cells are marked, sees the department's late records and monthly on-time rates; 孙倩
(credit officer of the bureau) releases the submissions held for review. Nobody sees another department's data."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from credit_files import APPROVALS, HEADER, csv_file, licence
from credit_files import approvals_licence as ours
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.audit.models import AuditEvent
from gongkai.credit import services
from gongkai.credit.annotate import ERROR_FILL
from gongkai.credit.models import CreditSettings, Licence, Submission
from gongkai.credit.templatetags.credit_staff import percent
from gongkai.orgs.models import Organization

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
BAD_DATE_MESSAGE = "许可决定日期：不是有效日期 / not a valid date"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approvals(demo):
    return Organization.objects.get(uscc=APPROVALS)


def upload_file(client, user, content: bytes, name: str = "licences.csv", **options):
    client.force_login(user)
    data = {"file": SimpleUploadedFile(name, content), **{key: "on" for key, on in options.items() if on}}
    return client.post(reverse("credit_staff:upload"), data, follow=True)


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    workbook.active.column_dimensions["F"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- upload and report ------------------------------------------------------------------------------------------


def test_a_submitter_uploads_a_good_file_and_lands_on_its_report(client, submitter, approvals):
    content = csv_file(ours(1), ours(2)).getvalue()
    response = upload_file(client, submitter, content)
    submission = Submission.objects.get()
    assert response.redirect_chain[-1][0] == reverse("credit_staff:detail", args=[submission.pk])
    assert (submission.organization, submission.submitted_by, submission.channel) == (approvals, submitter, "portal")
    assert (submission.outcome, submission.rows, submission.accepted, submission.rejected) == ("accepted", 2, 2, 0)
    assert submission.original.read() == content
    html = response.content.decode()
    assert "全部接收" in html and "licences.csv" in html and "error-table" not in html
    assert Licence.objects.filter(source=approvals, is_public=True).count() == 2


def test_the_kept_original_is_on_the_audit_log_with_its_hash(client, submitter):
    import hashlib

    content = csv_file(ours(1)).getvalue()
    upload_file(client, submitter, content)
    event = AuditEvent.objects.get(action="credit.original_kept")
    assert event.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.object_id == str(Submission.objects.get().pk) and event.actor == submitter


def test_one_bad_row_returns_the_file_and_the_page_lists_row_column_field_value_and_message(client, submitter):
    response = upload_file(client, submitter, csv_file(ours(1), ours(2, 许可决定日期="2026-02-30")).getvalue())
    submission = Submission.objects.get()
    assert (submission.outcome, submission.accepted, submission.rejected) == ("rejected", 0, 2)
    assert not Licence.objects.exists()
    html = response.content.decode()
    table = html[html.index('class="data-table error-table"') :]
    cells = ["<td>3</td>", "<td>I</td>", '许可决定日期 <span class="muted">XK_JDRQ</span>', "<td>2026-02-30</td>"]
    for cell in cells:
        assert cell in table
    assert BAD_DATE_MESSAGE in table
    assert reverse("credit_staff:annotated", args=[submission.pk]) in html


def test_keeping_the_valid_rows_accepts_them_and_returns_the_rest(client, submitter):
    content = csv_file(ours(1), ours(2, 许可决定日期="2026-02-30"), ours(3)).getvalue()
    response = upload_file(client, submitter, content, accept_valid=True)
    submission = Submission.objects.get()
    assert (submission.outcome, submission.accepted, submission.rejected) == ("partial", 2, 1)
    kept = sorted(Licence.objects.values_list("decision_number", flat=True))
    assert kept == ["张审批许〔2026〕1号", "张审批许〔2026〕3号"]
    assert "部分接收" in response.content.decode()


def test_check_only_shows_the_errors_and_stores_nothing(client, submitter):
    response = upload_file(client, submitter, csv_file(ours(1), ours(2, 许可类别="特殊")).getvalue(), dry_run=True)
    assert response.status_code == 200 and response.redirect_chain == []
    html = response.content.decode()
    assert "仅检查，未报送" in html and "<td>G</td>" in html and "许可类别" in html
    assert not Submission.objects.exists() and not Licence.objects.exists()


def test_a_file_that_cannot_be_read_is_reported_as_a_file_error(client, submitter):
    response = upload_file(client, submitter, b"\x89PNG\r\n\x1a\n" + b"0" * 64, "photo.csv")
    submission = Submission.objects.get()
    assert submission.outcome == "rejected"
    assert "不是CSV或XLSX" in response.content.decode()


def test_the_upload_form_names_the_field_in_chinese_and_english(client, submitter):
    client.force_login(submitter)
    response = client.post(reverse("credit_staff:upload"), {})
    assert response.status_code == 400
    assert "请填写文件 / the file is required" in response.content.decode()
    response = upload_file(client, submitter, b"%PDF-1.4", "licences.pdf")
    assert response.status_code == 400
    assert "文件“licences.pdf”不是CSV或XLSX文件" in response.content.decode()
    assert "the file &#x27;licences.pdf&#x27; is neither CSV nor XLSX" in response.content.decode()
    assert not Submission.objects.exists()


# --- the annotated copy -------------------------------------------------------------------------------------------


def annotated(client, submission):
    response = client.get(reverse("credit_staff:annotated", args=[submission.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_the_annotated_copy_of_an_xlsx_upload_marks_the_bad_cell_at_its_row_and_column(client, submitter):
    upload_file(client, submitter, xlsx(ours(1), ours(2), ours(3, 有效期至="2025-01-01")), "licences.xlsx")
    submission = Submission.objects.get()
    [error] = submission.errors
    assert (error["row"], error["column"]) == (4, "K")
    sheet = annotated(client, submission).active
    assert sheet["K4"].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert sheet["K4"].comment.text == error["message"]
    assert sheet["K3"].comment is None and sheet["J4"].comment is None
    assert sheet.column_dimensions["F"].width == 30  # the workbook itself, not a new one


def test_the_annotated_copy_of_a_csv_upload_is_a_workbook_of_its_rows(client, submitter):
    content = csv_file(ours(1), ours(2, 许可决定日期="2026-02-30")).getvalue().decode().encode("gb18030")
    upload_file(client, submitter, content, "licences-gbk.csv")
    sheet = annotated(client, Submission.objects.get()).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["I3"].value == "2026-02-30" and sheet["I3"].comment.text == BAD_DATE_MESSAGE
    assert sheet["I2"].comment is None


def test_the_corrected_annotated_copy_can_be_uploaded_again(client, submitter):
    upload_file(client, submitter, csv_file(ours(1), ours(2, 许可决定日期="2026-02-30")).getvalue())
    workbook = annotated(client, Submission.objects.get())
    workbook.active["I3"] = "2026-03-05"
    out = io.BytesIO()
    workbook.save(out)
    upload_file(client, submitter, out.getvalue(), "licences（错误标注）.xlsx")
    latest = Submission.objects.first()
    assert (latest.outcome, latest.accepted) == ("accepted", 2)


def test_a_submission_without_errors_has_no_annotated_copy(client, submitter):
    upload_file(client, submitter, csv_file(ours(1)).getvalue())
    response = client.get(reverse("credit_staff:annotated", args=[Submission.objects.get().pk]))
    assert response.status_code == 404


# --- who sees what ----------------------------------------------------------------------------------------------


def test_a_submitter_never_sees_another_departments_submission(client, submitter, bureau):
    theirs, _report = services.import_file(
        csv_file(licence(1, 许可决定日期="2026-02-30")), "bureau-secret.csv", organization=bureau
    )
    client.force_login(submitter)
    assert client.get(reverse("credit_staff:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("credit_staff:annotated", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("credit_staff:list"), {"org": bureau.pk})
    assert "bureau-secret.csv" not in listing.content.decode()
    assert "请从列表中选择报送单位 / choose the organisation from the list" in listing.content.decode()


def test_the_credit_office_sees_every_departments_submissions(client, credit, submitter, approvals):
    upload_file(client, submitter, csv_file(ours(1)).getvalue(), "approvals.csv")
    client.force_login(credit)
    submission = Submission.objects.get()
    assert client.get(reverse("credit_staff:detail", args=[submission.pk])).status_code == 200
    assert "approvals.csv" in client.get(reverse("credit_staff:list"), {"org": approvals.pk}).content.decode()


@pytest.mark.parametrize("name", ["list", "upload", "queue"])
def test_staff_without_a_credit_role_are_refused(client, publisher, name):
    client.force_login(publisher)
    assert client.get(reverse(f"credit_staff:{name}")).status_code == 403


def test_a_visitor_is_asked_to_log_in(client, demo):
    response = client.get(reverse("credit_staff:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_credit_office_uploads_for_its_own_organisation_only(client, credit, bureau):
    response = upload_file(client, credit, csv_file(licence(1)).getvalue())
    assert Submission.objects.get().organization == bureau
    assert response.redirect_chain and "未报送" not in response.content.decode()


# --- the department page ------------------------------------------------------------------------------------------


def test_the_department_page_shows_late_records_and_the_monthly_on_time_rates(client, submitter, approvals):
    late, on_time = ours(1), ours(2, 许可决定日期="2026-11-25", 有效期自="2026-11-25")
    services.import_file(csv_file(late, on_time), "l.csv", organization=approvals, by=submitter)
    client.force_login(submitter)
    html = client.get(reverse("credit_staff:list"), {"year": "2026"}).content.decode()
    rates = html[html.index('class="data-table rates-table"') :]
    rows = rates[: rates.index("</table>")].split("<tr>")
    november = next(row for row in rows if ">11月<" in row)
    assert "<td>2</td><td>1</td><td>50%</td>" in november
    march = next(row for row in rows if ">3月<" in row)
    assert "<td>0</td><td>0</td><td>—</td>" in march
    section = html[html.index('class="data-table late-records"') :]
    assert "张审批许〔2026〕1号" in section and "2026-03-16" in section and "张审批许〔2026〕2号" not in section


def test_a_year_outside_the_records_is_refused_naming_the_field(client, submitter):
    client.force_login(submitter)
    response = client.get(reverse("credit_staff:list"), {"year": "1999"})
    assert response.status_code == 400
    assert "年度“1999”应在2015至2026之间 / the year 1999 must be between 2015 and 2026" in response.content.decode()


def test_the_list_shows_a_submissions_counts_and_links_to_upload(client, submitter):
    upload_file(client, submitter, csv_file(ours(1), ours(2, 许可类别="特殊")).getvalue(), accept_valid=True)
    html = client.get(reverse("credit_staff:list")).content.decode()
    table = html[html.index('class="data-table submission-table"') :]
    assert "部分接收" in table and "<td>2</td><td>1</td><td>1</td>" in table
    assert reverse("credit_staff:upload") in html


@pytest.mark.parametrize(("rate", "shown"), [(None, "—"), (1, "100%"), (0.875, "87.5%"), (2 / 3, "66.7%"), (0, "0%")])
def test_a_rate_is_shown_as_a_percentage(rate, shown):
    assert percent(rate) == shown


@pytest.mark.parametrize(("kind", "label"), [("licence", "行政相对人名称"), ("penalty", "行政相对人名称")])
def test_the_templates_download_as_xlsx_and_csv(client, submitter, kind, label):
    client.force_login(submitter)
    response = client.get(reverse("credit_staff:template", args=[kind, "xlsx"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).active["A1"].value == label
    response = client.get(reverse("credit_staff:template", args=[kind, "csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf" + label.encode())
    assert client.get(reverse("credit_staff:template", args=[kind, "pdf"])).status_code == 404


def test_the_workbench_links_to_the_portal(client, submitter, credit):
    client.force_login(submitter)
    html = client.get(reverse("orgs:workbench")).content.decode()
    assert reverse("credit_staff:upload") in html and reverse("credit_staff:queue") not in html
    client.force_login(credit)
    assert reverse("credit_staff:queue") in client.get(reverse("orgs:workbench")).content.decode()


# --- release by the credit office -------------------------------------------------------------------------------


@pytest.fixture
def held(client, submitter, approvals) -> Submission:
    CreditSettings.objects.create(organization=approvals, hold_for_review=True)
    upload_file(client, submitter, csv_file(ours(1), ours(2)).getvalue(), "held.csv")
    client.logout()
    return Submission.objects.get()


def test_a_held_submission_waits_for_the_credit_office(client, credit, held):
    assert not Licence.objects.filter(is_public=True).exists()
    client.force_login(credit)
    queue = client.get(reverse("credit_staff:queue")).content.decode()
    assert "held.csv" in queue and reverse("credit_staff:detail", args=[held.pk]) in queue
    page = client.get(reverse("credit_staff:detail", args=[held.pk])).content.decode()
    assert reverse("credit_staff:release", args=[held.pk]) in page


def test_a_credit_officer_releases_a_held_submission(client, credit, held):
    client.force_login(credit)
    response = client.post(reverse("credit_staff:release", args=[held.pk]), follow=True)
    held.refresh_from_db()
    assert held.released_by == credit and held.released_at is not None
    assert Licence.objects.filter(is_public=True).count() == 2
    assert "审核通过" in response.content.decode()
    assert AuditEvent.objects.filter(action="credit.released", object_id=str(held.pk)).exists()
    assert "held.csv" not in client.get(reverse("credit_staff:queue")).content.decode()


def test_releasing_twice_is_refused_with_a_message(client, credit, held):
    client.force_login(credit)
    client.post(reverse("credit_staff:release", args=[held.pk]))
    response = client.post(reverse("credit_staff:release", args=[held.pk]), follow=True)
    assert "this submission is not awaiting release" in response.content.decode()


def test_a_submitter_cannot_release_even_their_own_submission(client, submitter, held):
    client.force_login(submitter)
    assert client.post(reverse("credit_staff:release", args=[held.pk])).status_code == 403
    assert client.get(reverse("credit_staff:queue")).status_code == 403
    page = client.get(reverse("credit_staff:detail", args=[held.pk])).content.decode()
    assert reverse("credit_staff:release", args=[held.pk]) not in page
    held.refresh_from_db()
    assert held.released_at is None and not Licence.objects.filter(is_public=True).exists()


def test_release_is_a_post(client, credit, held):
    client.force_login(credit)
    assert client.get(reverse("credit_staff:release", args=[held.pk])).status_code == 405


def test_in_english_the_portal_has_no_chinese_left(client, submitter, credit, approvals, latin_names, untranslated):
    CreditSettings.objects.create(organization=approvals, hold_for_review=True)
    upload_file(client, submitter, csv_file(ours(1, 许可决定日期="2026-11-25", 有效期自="2026-11-25")).getvalue())
    submission = Submission.objects.get()
    for user, urls in (
        (submitter, ["list", "upload"]),
        (credit, ["list", "queue"]),
    ):
        user.refresh_from_db()
        client.force_login(user)
        for url in [reverse(f"credit_staff:{name}") for name in urls] + [
            reverse("credit_staff:detail", args=[submission.pk]),
            reverse("orgs:workbench"),
        ]:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 200
            assert untranslated(response.content.decode()) == [], url
