"""A penalty's class (失信严重程度) and publicity period: given in the file or changed by 孙倩 (credit officer) with an
audit trail; every version of a record numbered; the daily job takes a penalty down at its 公示截止期, its name
leaves the search, its page answers 410 and the upstream platforms are told."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from credit_files import csv_file, licence, penalty, penalty_file
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.credit import jobs, services
from gongkai.credit.models import CreditSettings, Licence, Penalty, RecordVersion
from gongkai.credit.templates import csv_template
from gongkai.credit.views import find
from gongkai.jobs.models import Job
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.upstream.models import OutboxItem, Upstream

pytestmark = pytest.mark.django_db

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = D(2026, 11, 26)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def upstream(db):
    return Upstream.objects.create(code="test", name="测试平台", is_enabled=True)


def submit(bureau, *rows, **options):
    return services.import_file(penalty_file(*rows), "penalties.csv", organization=bureau, today=TODAY, **options)


def pushed(record, action: str) -> bool:
    return OutboxItem.objects.about("penalty", record.pk).filter(action=action).exists()


# --- the class in the file ------------------------------------------------------------------------------------


def test_a_penalty_without_a_class_is_general_with_the_periods_of_its_regime(bureau):
    _submission, report = submit(bureau, penalty(1))  # decided 2026-06-01: 国家发展改革委令2025年第36号
    assert report.errors == []
    record = Penalty.objects.get()
    assert record.severity == "general" and record.is_public
    assert (record.publicity_min_until, record.publicity_max_until) == (D(2026, 9, 1), D(2027, 6, 1))
    assert "GK_YZCD" not in record.data  # a Gongkai column, kept beside the record's fields


@pytest.mark.parametrize(("header", "value"), [("失信严重程度", "严重"), ("GK_YZCD", "3"), ("GK_YZCD", "严重")])
def test_the_class_is_read_by_label_or_code_and_counts_the_periods(bureau, header, value):
    submit(bureau, penalty(1, **{header: value}))
    record = Penalty.objects.get()
    assert record.severity == "serious"
    assert (record.publicity_min_until, record.publicity_max_until) == (D(2027, 6, 1), D(2029, 6, 1))


def test_a_class_not_in_the_code_list_is_an_error_naming_row_and_column(bureau):
    _submission, report = submit(bureau, penalty(1, 失信严重程度="一般"), penalty(2, 失信严重程度="特别严重"))
    assert (report.accepted, report.rejected) == (0, 2)
    assert report.errors == [
        {
            "row": 3, "column": "R", "field": "GK_YZCD", "value": "特别严重",
            "message": "失信严重程度：不在代码表中 / not in the code list",
        }
    ]  # fmt: skip


def test_the_template_offers_the_class_column():
    from gongkai.credit.standard import PENALTY

    assert csv_template(PENALTY).decode("utf-8-sig").strip().endswith(",备注,失信严重程度")


def test_a_penalty_past_its_last_day_or_not_published_by_its_class_is_stored_but_not_public(bureau):
    submit(
        bureau,
        penalty(1, 处罚决定日期="2023-04-30", 处罚有效期="2024-04-30"),  # 527号 一般: until 2024-04-30
        penalty(2, 处罚决定日期="2023-05-01", 处罚有效期="2024-05-01"),  # 58号令: until 2026-05-01
        penalty(3, 处罚决定日期="2023-12-01", 处罚有效期="2024-12-01"),  # 58号令: until 2026-12-01
        penalty(4, 处罚决定日期="2026-05-06", 失信严重程度="轻微"),  # 2025年第36号令: 轻微 原则上不予公示
    )
    shown = dict(Penalty.objects.values_list("decision_number", "is_public"))
    assert shown == {
        "张发改罚〔2026〕1号": False, "张发改罚〔2026〕2号": False, "张发改罚〔2026〕3号": True,
        "张发改罚〔2026〕4号": False,
    }  # fmt: skip
    assert Penalty.objects.get(decision_number="张发改罚〔2026〕3号").publicity_max_until == D(2026, 12, 1)


# --- versions -------------------------------------------------------------------------------------------------


def test_every_version_of_a_record_has_a_number(bureau):
    services.import_file(csv_file(licence(1)), "a.csv", organization=bureau, today=TODAY)
    services.import_file(csv_file(licence(1, 许可内容="变更")), "b.csv", organization=bureau, today=TODAY)
    services.import_file(csv_file(licence(1, 许可内容="再变更"), licence(2)), "c.csv", organization=bureau, today=TODAY)
    assert dict(Licence.objects.values_list("decision_number", "version")) == {
        "张发改许〔2026〕1号": 3,
        "张发改许〔2026〕2号": 1,
    }
    assert list(RecordVersion.objects.order_by("id").values_list("version", "data__XK_NR")) == [
        (1, "企业投资项目备案"),
        (2, "变更"),
    ]


# --- a credit officer changes the class -----------------------------------------------------------------------


def test_a_credit_officer_changes_the_class_with_a_reason_and_the_audit_log_keeps_it(bureau, credit):
    submit(bureau, penalty(1))
    reason = "吊销许可证件，情节严重"
    record = services.set_severity(Penalty.objects.get(), by=credit, severity="serious", reason=reason)
    assert (record.severity, record.publicity_min_until, record.publicity_max_until) == (
        "serious", D(2027, 6, 1), D(2029, 6, 1),
    )  # fmt: skip
    event = AuditEvent.objects.get(action="credit.severity_set")
    assert event.actor == credit and event.organization == bureau
    assert event.summary == "张发改罚〔2026〕1号：一般→严重"
    assert event.data["reason"] == "吊销许可证件，情节严重" and event.data["publicity_max_until"] == "2029-06-01"


def test_only_a_credit_officer_changes_the_class_and_only_with_a_reason(bureau, credit, submitter):
    submit(bureau, penalty(1))
    record = Penalty.objects.get()
    with pytest.raises(Refused, match="只有信用管理员"):
        services.set_severity(record, by=submitter, severity="serious", reason="理由")
    with pytest.raises(FieldErrors) as invalid:
        services.set_severity(record, by=credit, severity="serious", reason=" ")
    assert "请填写调整理由" in invalid.value.errors["reason"]
    with pytest.raises(Refused, match="没有变化"):
        services.set_severity(record, by=credit, severity="general", reason="理由")
    assert Penalty.objects.get().severity == "general" and not AuditEvent.objects.filter(action="credit.severity_set")


def test_a_new_class_that_is_not_published_takes_the_penalty_down_at_once(bureau, credit, upstream):
    submit(bureau, penalty(1, 处罚决定日期="2026-11-02"))
    record = services.set_severity(Penalty.objects.get(), by=credit, severity="minor", reason="适用简易程序")
    record.refresh_from_db()
    assert not record.is_public and record.publicity_end_reason == "unpublished"
    assert pushed(record, "end_publicity")


def test_a_new_version_without_a_class_keeps_the_officers_class_and_one_with_a_class_sets_it(bureau, credit):
    submit(bureau, penalty(1), penalty(2))
    services.set_severity(
        Penalty.objects.get(decision_number="张发改罚〔2026〕1号"), by=credit, severity="serious", reason="情节严重"
    )
    corrected = penalty(1, 处罚内容="罚款0.5万元（更正）", 处罚决定日期="2026-06-02")  # no class stated
    submit(bureau, corrected, penalty(2, 失信严重程度="严重"))
    first, second = Penalty.objects.order_by("decision_number")
    assert (first.severity, first.version, first.data["CF_NR"]) == ("serious", 2, "罚款0.5万元（更正）")
    assert (first.publicity_min_until, first.publicity_max_until) == (D(2027, 6, 2), D(2029, 6, 2))
    assert first.is_public
    assert (second.severity, second.publicity_max_until) == ("serious", D(2029, 6, 1))
    submit(bureau, penalty(1, 失信严重程度="一般"))  # the department states a class: the file wins
    assert Penalty.objects.get(decision_number="张发改罚〔2026〕1号").severity == "general"


# --- the end of publicity -------------------------------------------------------------------------------------


def test_the_daily_job_takes_down_the_penalties_past_their_last_day(bureau, client, now, upstream):
    submit(
        bureau,
        penalty(1, 行政相对人名称="淄博甲乙化工有限公司", 处罚决定日期="2026-04-01"),  # until 2027-04-01
        penalty(2, 处罚决定日期="2026-04-02"),  # until 2027-04-02
    )
    assert [record.subject_name for record in find("penalty", {"q": "甲乙化工"})[1]] == ["淄博甲乙化工有限公司"]
    now.move_to(datetime.datetime(2027, 4, 1, 23, 59, tzinfo=SHANGHAI))  # the last day: still public
    assert services.end_expired_publicity() == 0
    now.move_to(datetime.datetime(2027, 4, 2, 8, tzinfo=SHANGHAI))
    job = Job.objects.create(kind="credit.end_publicity")
    jobs.end_publicity(job)
    ended, current = Penalty.objects.order_by("decision_number")
    assert not ended.is_public and current.is_public
    assert ended.publicity_end_reason == "expired"
    assert ended.publicity_ended_at.astimezone(SHANGHAI).date() == D(2027, 4, 2)
    assert find("penalty", {"q": "甲乙化工"})[1] == []  # the name index follows
    assert pushed(ended, "end_publicity") and not pushed(current, "end_publicity")
    event = AuditEvent.objects.get(action="credit.publicity_expired")
    assert event.actor is None and event.data["penalties"] == [ended.pk]

    response = client.get(reverse("credit:detail", args=["penalty", ended.pk]))
    html = response.content.decode()
    assert response.status_code == 410 and "公示期满" in html
    assert "甲乙化工" not in html and "张发改罚〔2026〕1号" not in html  # the notice names nobody
    assert client.get(reverse("credit:detail", args=["penalty", current.pk])).status_code == 200


def test_the_end_of_publicity_is_final_for_a_later_version(bureau, now):
    submit(bureau, penalty(1, 处罚决定日期="2026-04-01"))
    now.move_to(datetime.datetime(2027, 4, 2, 8, tzinfo=SHANGHAI))
    assert services.end_expired_publicity() == 1
    services.import_file(
        penalty_file(penalty(1, 处罚决定日期="2026-04-01", 失信严重程度="严重")), "p.csv", organization=bureau,
        today=D(2027, 4, 2),
    )  # fmt: skip
    record = Penalty.objects.get()
    assert (record.severity, record.version, record.is_public) == ("serious", 2, False)


def test_a_held_penalty_past_its_last_day_is_not_released(bureau, credit):
    CreditSettings.objects.create(organization=bureau, hold_for_review=True)
    submission, _report = submit(bureau, penalty(1, 处罚决定日期="2023-04-30"), penalty(2))
    assert services.release(submission, by=credit) == 1
    assert list(Penalty.objects.public().values_list("decision_number", flat=True)) == ["张发改罚〔2026〕2号"]


def test_the_job_runs_every_day():
    from gongkai.jobs.services import _periodic

    assert _periodic["credit.end_publicity"].every == datetime.timedelta(days=1)


def test_the_public_page_shows_the_class_and_the_last_day_of_publicity(bureau, client):
    submit(bureau, penalty(1, 失信严重程度="严重"))
    record = Penalty.objects.get()
    html = client.get(reverse("credit:detail", args=["penalty", record.pk])).content.decode()
    assert "严重" in html and "2029-06-01" in html
    assert f"{reverse('credit:repair_apply')}?number=" in html


def test_the_open_data_has_the_fields_of_the_national_standard_only(bureau, client):
    submit(bureau, penalty(1, 失信严重程度="严重"))
    response = client.get(reverse("credit:open_data", args=["penalty", "csv"]))
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert "失信严重程度" not in header and header.endswith("备注")
