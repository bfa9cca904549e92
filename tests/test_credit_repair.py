"""信用修复: 淄博第1化工有限公司, fined by the bureau on 2026-06-01 (一般, minimum period until 2026-09-01), applies on
2026-11-26 to end the publicity early; 孙倩 (credit officer) asks for more, approves or refuses; the applicant follows
it with the tracking code and the phone number. Too early, not repairable or not published: refused with the reason."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from credit_files import PENALTY_CSV, penalty, penalty_file
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.credit import repairs, services
from gongkai.credit.models import Penalty, PublicityRule, RepairApplication, RepairFile
from gongkai.credit.views import find
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.upstream.models import OutboxItem, Upstream

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
APPLY = reverse("credit:repair_apply")
TRACK = reverse("credit:repair_track")
COMPANY = "91370303MA3C00018X"
PHONE = "13900000000"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def penalties(bureau):
    """1号 (2026-06-01, may be repaired), 2号 (2026-10-01: too early) and 王小明's 3号 (2026-06-01)."""
    today = datetime.date(2026, 11, 26)
    rows = [penalty(1), penalty(2, 处罚决定日期="2026-10-01", 处罚有效期="2027-10-01")]
    services.import_file(penalty_file(*rows), "p.csv", organization=bureau, today=today)
    services.import_file(io.BytesIO(PENALTY_CSV.encode()), "q.csv", organization=bureau, today=today)
    Upstream.objects.create(code="test", name="测试平台", is_enabled=True)
    return {record.decision_number: record for record in Penalty.objects.all()}


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def form(**overrides) -> dict:
    data = {
        "decision_number": "张发改罚〔2026〕1号",
        "identity": COMPANY,
        "applicant_kind": "subject",
        "applicant_name": "淄博第1化工有限公司",
        "contact": PHONE,
        "commitment": pdf("信用承诺书.pdf"),
        "evidence": [pdf("罚款缴纳凭证.pdf"), pdf("整改报告.pdf")],
        "note": "罚款已缴纳，已整改。",
        "website": "",
        "submission_key": "k" * 43,
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def apply(client, **overrides):
    return client.post(APPLY, form(**overrides))


def track(client, code: str, contact: str = PHONE) -> str:
    return client.post(TRACK, {"code": code, "contact": contact}).content.decode()


# --- applying -------------------------------------------------------------------------------------------------


def test_a_company_applies_and_gets_a_tracking_code_and_a_receipt_without_personal_data(client, penalties):
    response = apply(client)
    application = RepairApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("credit:repair_received", args=[application.tracking_code])
    assert application.penalty == penalties["张发改罚〔2026〕1号"] and application.status == "submitted"
    assert [(f.kind, f.original_name) for f in application.files.all()] == [
        ("commitment", "信用承诺书.pdf"), ("evidence", "罚款缴纳凭证.pdf"), ("evidence", "整改报告.pdf"),
    ]  # fmt: skip
    event = AuditEvent.objects.get(action="credit.repair_applied")
    assert event.actor is None and event.summary == f"{application.tracking_code} 张发改罚〔2026〕1号"
    html = client.get(response["Location"]).content.decode()
    assert application.tracking_code in html and "待审核" in html
    assert PHONE not in html and "化工" not in html


def test_a_natural_person_is_found_by_the_identity_number_however_typed(client, penalties):
    response = apply(
        client, decision_number="张发改罚〔2026〕3号", identity="370303 1990 0101 1239", applicant_name="王小明"
    )
    assert response.status_code == 302
    assert RepairApplication.objects.get().penalty.subject_name == "王小明"


def test_the_same_form_sent_twice_is_one_application(client, penalties):
    first, second = apply(client), apply(client)
    assert RepairApplication.objects.count() == 1 and first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"decision_number": "张发改罚〔2026〕2号"}, "最短公示期至2027-01-01，自2027-01-02起可以申请信用修复"),
        ({"identity": "91370303MA3C0M9Y8N"}, "没有找到决定书文号和统一社会信用代码（或身份证号码）相符的行政处罚"),
        ({"decision_number": ""}, "请填写行政处罚决定书文号"),
        ({"contact": ""}, "请填写联系电话"),
        ({"commitment": None}, "请上传信用承诺书"),
        ({"evidence": None}, "请上传已履行行政处罚的证明"),
        ({"applicant_kind": "agent"}, "代理人申请的，请上传授权委托书"),
        ({"commitment": SimpleUploadedFile("承诺书.pdf", b"MZ\x90\x00" + b"\x00" * 200)}, "承诺书.pdf"),
        ({"website": "http://spam.example"}, "提交未被接受"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_is_kept(client, penalties, media, overrides, message):
    response = apply(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RepairApplication.objects.exists() and not RepairFile.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_class_or_regime_that_cannot_be_repaired_is_refused_naming_the_rules(client, penalties):
    PublicityRule.objects.filter(regime="2025", severity="general").update(repairable=False)
    html = apply(client).content.decode()
    assert "按《信用修复管理办法》（国家发展改革委令2025年第36号），一般失信的行政处罚信息不能申请信用修复" in html
    assert "under the 2025 rules a penalty of the general class cannot be repaired" in html


def test_a_penalty_no_longer_published_is_refused(client, penalties, now):
    now.move_to(datetime.datetime(2027, 6, 2, 9, tzinfo=SHANGHAI))  # 1号 ends on 2027-06-01
    services.end_expired_publicity()
    assert "该行政处罚已停止公示，无需申请信用修复" in apply(client).content.decode()


def test_an_address_sends_at_most_so_many_applications_an_hour(client, penalties, settings):
    settings.GONGKAI_APPLICATIONS_PER_HOUR = 1
    assert apply(client).status_code == 302
    html = apply(
        client, decision_number="张发改罚〔2026〕3号", identity="370303199001011239", submission_key="m" * 43
    ).content.decode()
    assert "同一地址每小时最多提交1件信用修复申请" in html and RepairApplication.objects.count() == 1


def test_a_second_application_waits_for_the_first(client, penalties):
    apply(client)
    assert "已有正在办理的信用修复申请" in apply(client, submission_key="m" * 43).content.decode()


# --- the applicant's status page ------------------------------------------------------------------------------


def test_the_status_page_opens_with_the_code_and_the_phone_only(client, penalties):
    apply(client)
    code = RepairApplication.objects.get().tracking_code
    html = track(client, code.lower())
    assert "张发改罚〔2026〕1号" in html and "待审核" in html and "信用承诺书.pdf" in html
    for wrong in ("13800000000", "１３９00000000", "张发改罚〔2026〕1号"):
        html = track(client, code, wrong)
        assert "不匹配" in html and "信用承诺书.pdf" not in html
    assert "请填写联系电话" in track(client, code, "")


def test_asked_for_more_the_applicant_reads_what_is_needed_and_adds_it(client, penalties, credit):
    apply(client)
    application = RepairApplication.objects.get()
    repairs.ask_for_more(application, by=credit, needed="请补充罚款缴纳的银行回单。")
    html = track(client, application.tracking_code)
    assert "待补充材料" in html and "请补充罚款缴纳的银行回单。" in html and 'name="files"' in html
    response = client.post(
        reverse("credit:repair_materials"),
        {"code": application.tracking_code, "contact": PHONE, "files": [pdf("银行回单.pdf")], "note": "已补充"},
    )
    assert "补充材料已提交" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted" and application.files.filter(kind="more").count() == 1
    assert AuditEvent.objects.filter(action="credit.repair_materials_added").exists()
    wrong = client.post(
        reverse("credit:repair_materials"), {"code": application.tracking_code, "contact": "1", "files": [pdf("x.pdf")]}
    )
    assert "不匹配" in wrong.content.decode() and application.files.count() == 4


# --- the credit officer ---------------------------------------------------------------------------------------


def test_approval_ends_publicity_in_the_audit_log_and_upstream(client, penalties, credit):
    apply(client)
    application = RepairApplication.objects.get()
    client.force_login(credit)
    page = client.get(reverse("credit_staff:repair", args=[application.pk])).content.decode()
    assert "信用承诺书.pdf" in page and "2026-09-01" in page and "准予修复" in page
    response = client.post(reverse("credit_staff:repair_step", args=[application.pk, "approve"]), {"note": "材料齐全"})
    assert response.status_code == 302
    record = Penalty.objects.get(pk=application.penalty_id)
    assert not record.is_public
    assert (record.repair_status, record.publicity_end_reason) == ("repaired", "repaired")
    assert OutboxItem.objects.about("penalty", record.pk).filter(action="repair").exists()
    event = AuditEvent.objects.get(action="credit.repair_approved")
    assert event.actor == credit and event.organization == record.source
    assert find("penalty", {"q": "淄博第1化工"})[1] == []
    client.logout()
    gone = client.get(reverse("credit:detail", args=["penalty", record.pk]))
    assert gone.status_code == 410 and "已信用修复" in gone.content.decode()
    assert "准予修复" in track(client, application.tracking_code)


def test_a_refusal_gives_the_reasons_to_the_applicant_and_the_penalty_stays_published(client, penalties, credit):
    apply(client)
    application = RepairApplication.objects.get()
    client.force_login(credit)
    client.post(reverse("credit_staff:repair_step", args=[application.pk, "reject"]), {"reasons": "罚款尚未缴清。"})
    client.logout()
    html = track(client, application.tracking_code)
    assert "不予修复" in html and "罚款尚未缴清。" in html
    assert Penalty.objects.get(pk=application.penalty_id).is_public
    assert apply(client, submission_key="m" * 43).status_code == 302  # a new application may follow


def test_each_step_is_refused_out_of_turn_or_without_its_reasons(client, penalties, credit, submitter):
    apply(client)
    application = RepairApplication.objects.get()
    with pytest.raises(Refused, match="只有信用管理员"):
        repairs.approve(application, by=submitter)
    with pytest.raises(FieldErrors, match="请填写不予修复的理由"):
        repairs.reject(application, by=credit, reasons="")
    repairs.approve(application, by=credit)
    with pytest.raises(Refused, match="准予修复"):
        repairs.reject(application, by=credit, reasons="晚了")
    with pytest.raises(Refused, match="不需要补充材料"):
        repairs.add_materials(application, uploads=[pdf("x.pdf")])


def test_only_the_credit_office_opens_the_applications_and_their_files(client, penalties, credit, submitter):
    apply(client)
    application = RepairApplication.objects.get()
    attached = application.files.first()
    urls = [
        reverse("credit_staff:repairs"),
        reverse("credit_staff:repair", args=[application.pk]),
        reverse("credit_staff:repair_file", args=[application.pk, attached.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(submitter)
    for url in urls:
        assert client.get(url).status_code == 403
    client.force_login(credit)
    assert application.tracking_code in client.get(urls[0]).content.decode()
    assert b"".join(client.get(urls[2]).streaming_content).startswith(b"%PDF")
    workbench = client.get(reverse("orgs:workbench")).content.decode()
    assert re.search(r"信用修复申请</a>（待审核 1 件）", workbench)


def test_a_credit_officer_finds_a_penalty_and_changes_its_class(client, penalties, credit, submitter):
    record = penalties["张发改罚〔2026〕1号"]
    client.force_login(credit)
    found = client.get(reverse("credit_staff:penalties"), {"number": "张发改罚〔2026〕1号"}).content.decode()
    assert reverse("credit_staff:penalty", args=[record.pk]) in found
    url = reverse("credit_staff:penalty_severity", args=[record.pk])
    assert "请填写调整理由" in client.post(url, {"severity": "serious", "reason": ""}).content.decode()
    response = client.post(url, {"severity": "serious", "reason": "情节严重"}, follow=True)
    assert "2029-06-01" in response.content.decode()
    assert Penalty.objects.get(pk=record.pk).severity == "serious"
    assert reverse("upstream:record", args=["penalty", record.pk]) in response.content.decode()  # its pushes
    client.force_login(submitter)
    assert client.get(reverse("credit_staff:penalty", args=[record.pk])).status_code == 403
