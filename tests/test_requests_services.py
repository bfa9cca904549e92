"""Registering and handling applications for disclosure: who may do what, and what the clock then says."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from request_files import APPLICANT

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Organization, User
from gongkai.requests import services
from gongkai.requests.models import DisclosureRequest, RequestEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
PERSON = {
    **APPLICANT,
    "email": "wxm@example.cn",
    "address": "淄博市张店区共青团西路1号",
    "form_wanted": "electronic",
    "delivery": "email",
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def registered(bureau, handler, received_on=date(2026, 9, 15), channel="post", **values) -> DisclosureRequest:
    return services.register(
        organization=bureau,
        by=handler,
        channel=channel,
        received_on=received_on,
        evidence="签收单 No.1",
        **{
            **PERSON,
            **values,
        },
    )


def test_registering_stores_the_receipt_and_starts_the_clock(bureau, handler):
    request = registered(bureau, handler)
    assert request.tracking_code and len(request.tracking_code) == 10
    assert [event.kind for event in request.events.all()] == ["received"]
    assert services.clock_of(request).due == date(2026, 10, 19)
    assert AuditEvent.objects.filter(action="request.registered", object_id=str(request.pk)).exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"identity_number": "370303199001011237"}, "identity_number", "370303199001011237"),
        (
            {"applicant_kind": "commercial", "identity_number": "370303199001011239"},
            "identity_number",
            "统一社会信用代码",
        ),
        ({"description": "  "}, "description", "特征描述"),
        ({"delivery": "post", "address": ""}, "address", "通信地址"),
        ({"applicant_kind": "robot"}, "applicant_kind", "申请人类型"),
    ],
)
def test_bad_applications_are_refused_whole_naming_the_field(bureau, handler, values, field, message):
    with pytest.raises(services.RequestInvalid) as refused:
        registered(bureau, handler, **values)
    assert message in refused.value.errors[field]
    assert not DisclosureRequest.objects.exists() and not RequestEvent.objects.exists()


def test_a_day_of_receipt_in_the_future_is_refused(bureau, handler):
    with pytest.raises(services.RequestInvalid) as refused:
        registered(bureau, handler, received_on=date(2026, 11, 27))
    assert "2026-11-27" in refused.value.errors["received_on"]


def test_only_the_agencys_request_staff_register_and_handle(bureau, handler):
    publisher = User.objects.get(username="publisher")
    with pytest.raises(services.RequestError, match="依申请公开经办人"):
        registered(bureau, publisher)
    other = Organization.objects.exclude(pk=bureau.pk).first()
    with pytest.raises(services.RequestError):
        services.register(organization=other, by=handler, channel="post", received_on=date(2026, 9, 15), **PERSON)
    request = registered(bureau, handler)
    with pytest.raises(services.RequestError):
        services.close(request, by=publisher, outcome="1", on=date(2026, 10, 1))


def test_the_same_online_form_sent_twice_is_one_application(bureau):
    first, created = services.submit_online(
        organization=bureau, submission_key="k" * 32, client_address="10.0.0.1", **PERSON
    )
    again, created_again = services.submit_online(
        organization=bureau, submission_key="k" * 32, client_address="10.0.0.1", **PERSON
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert DisclosureRequest.objects.count() == 1
    assert first.channel == "online" and first.received_on == date(2026, 11, 26)


def test_a_correction_restarts_the_clock_and_is_sent_once(bureau, handler):
    request = registered(bureau, handler, received_on=date(2026, 3, 2))
    services.send_correction_notice(
        request, by=handler, on=date(2026, 3, 5), note="请写明所需文件的年份。", correct_by=date(2026, 3, 20)
    )
    assert services.clock_of(request).awaiting_correction
    with pytest.raises(services.RequestError, match="一次性"):
        services.send_correction_notice(
            request, by=handler, on=date(2026, 3, 6), note="again", correct_by=date(2026, 3, 20)
        )
    services.receive_correction(request, by=handler, on=date(2026, 3, 16))
    assert services.clock_of(request).due == date(2026, 4, 14)


def test_an_extension_is_refused_to_a_handler_and_granted_to_the_office_head(bureau, handler, head):
    request = registered(bureau, handler, received_on=date(2026, 3, 2))
    with pytest.raises(services.RequestError, match="负责人"):
        services.extend(request, by=handler, days=20, on=date(2026, 3, 25))
    assert not request.events.filter(kind="extension").exists()
    services.extend(request, by=head, days=20, on=date(2026, 3, 25), note="涉及多个科室")
    assert services.clock_of(request).due == date(2026, 4, 28)
    with pytest.raises(services.RequestError, match="只能延长一次"):
        services.extend(request, by=head, days=5, on=date(2026, 3, 26))


def test_a_consultation_stops_the_clock_until_it_ends(bureau, handler):
    request = registered(bureau, handler)
    services.start_pause(request, by=handler, kind="third_party", on=date(2026, 9, 28), note="征求某公司意见")
    with pytest.raises(services.RequestError, match="尚未结束"):
        services.start_pause(request, by=handler, kind="third_party", on=date(2026, 9, 29))
    services.end_pause(request, by=handler, kind="third_party", until=date(2026, 10, 12))
    clock = services.clock_of(request)
    assert clock.due == date(2026, 10, 27)
    assert not clock.paused


def test_closing_takes_one_outcome_of_table_three_and_the_delivery_decides_timeliness(bureau, handler):
    request = registered(bureau, handler, received_on=date(2026, 3, 2))
    with pytest.raises(services.RequestInvalid) as refused:
        services.close(request, by=handler, outcome="3.1", on=date(2026, 3, 20))
    assert "理由" in refused.value.errors["reasons"]
    services.close(request, by=handler, outcome="3.1", on=date(2026, 3, 20), reasons="属于国家秘密（第十四条）")
    request.refresh_from_db()
    with translation.override("zh-hans"):
        assert request.outcome_label == "（三）不予公开 · 1.属于国家秘密"
    with translation.override("en"):
        assert request.outcome_label == "3.1 withheld: state secret"
    request = services.record_delivery(request, by=handler, on=date(2026, 3, 30), method="post")
    assert services.clock_of(request).is_met_by(request.delivered_on)
    with pytest.raises(services.RequestError, match="已办结"):
        services.send_correction_notice(
            request, by=handler, on=date(2026, 3, 21), note="late", correct_by=date(2026, 4, 1)
        )


def test_one_address_may_send_only_so_many_applications_an_hour(bureau, settings):
    settings.GONGKAI_APPLICATIONS_PER_HOUR = 2
    for number in range(2):
        services.submit_online(organization=bureau, submission_key=f"key-{number}", client_address="10.0.0.9", **PERSON)
    with pytest.raises(services.RequestError, match="每小时最多提交2件"):
        services.submit_online(organization=bureau, submission_key="key-3", client_address="10.0.0.9", **PERSON)
    services.submit_online(organization=bureau, submission_key="key-4", client_address="10.0.0.10", **PERSON)
    with time_machine.travel(datetime(2026, 11, 26, 11, 1, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        services.submit_online(organization=bureau, submission_key="key-5", client_address="10.0.0.9", **PERSON)
    assert DisclosureRequest.objects.count() == 4
    assert "10.0.0.9" not in str(list(DisclosureRequest.objects.values_list("submitted_from", flat=True)))


def test_only_the_channels_the_agency_opened_are_taken(bureau, handler):
    from gongkai.requests.models import RequestSettings

    with pytest.raises(services.RequestInvalid) as refused:
        registered(bureau, handler, channel="fax")
    assert "传真" in refused.value.errors["channel"] or "fax" in refused.value.errors["channel"]
    RequestSettings.objects.create(organization=bureau, fax=True, online=False)
    assert registered(bureau, handler, channel="fax").channel == "fax"
    with pytest.raises(services.RequestError, match="未开通网上申请"):
        services.submit_online(organization=bureau, submission_key="x", client_address="10.0.0.1", **PERSON)


def test_deciding_drafts_the_letter_which_is_edited_then_issued_as_a_numbered_docx(bureau, handler, settings, tmp_path):
    import io

    from docx import Document

    from gongkai.requests.models import RequestSettings

    settings.MEDIA_ROOT = tmp_path
    RequestSettings.objects.create(
        organization=bureau, letter_prefix="张发改依申", reconsideration_body="张店区人民政府", court="张店区人民法院"
    )
    request = registered(bureau, handler, received_on=date(2026, 3, 2))
    services.close(request, by=handler, outcome="4.1", on=date(2026, 3, 20), reasons="本机关未制作或获取该信息。")
    letter = request.letter
    assert letter.title == "政府信息公开申请告知书" and letter.addressee == "王小明"
    assert "2026年3月2日，本机关收到您提出的政府信息公开申请" in letter.body
    assert "《中华人民共和国政府信息公开条例》第三十六条第四项、第五项" in letter.body
    assert (
        "六十日内向张店区人民政府申请行政复议" in letter.body and "六个月内向张店区人民法院提起行政诉讼" in letter.body
    )

    services.edit_letter(request, by=handler, addressee="王小明", body=letter.body + "\n\n特此告知。")
    issued = services.issue_letter(request, by=handler, on=date(2026, 3, 20))
    assert issued.number == "张发改依申〔2026〕1号"
    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(issued.file.read())).paragraphs)
    assert text.startswith("政府信息公开申请告知书\n张发改依申〔2026〕1号\n王小明：")
    assert "特此告知。" in text and text.rstrip().endswith("张店区发展和改革局\n2026年3月20日")
    with pytest.raises(services.RequestError, match="已出具"):
        services.edit_letter(request, by=handler, addressee="王小明", body="changed")

    second = registered(bureau, handler, received_on=date(2026, 3, 3))
    services.close(second, by=handler, outcome="1", on=date(2026, 3, 21))
    assert services.issue_letter(second, by=handler, on=date(2026, 3, 21)).number == "张发改依申〔2026〕2号"
    assert second.letter.title == "政府信息公开申请答复书"


def test_no_correction_within_the_period_ends_the_application_as_six_one(bureau, handler):
    request = registered(bureau, handler, received_on=date(2026, 4, 30))
    services.send_correction_notice(
        request, by=handler, on=date(2026, 5, 13), note="请写明年份。", correct_by=date(2026, 5, 27)
    )  # 2026-04-30 + 7 working days = 2026-05-13: on time
    assert not services.clock_of(request).late_correction_notice
    assert "补正期限至2026-05-27" in services.clock_of(request).trace[-1].text
    with pytest.raises(services.RequestError, match="尚未届满"):
        services.end_for_no_correction(request, by=handler, on=date(2026, 5, 27))
    ended = services.end_for_no_correction(request, by=handler, on=date(2026, 5, 28))
    assert ended.outcome == "6.1" and "第三十条" in ended.reasons


def test_an_online_application_confirmed_on_a_later_day_runs_from_that_day(bureau, handler):
    request, _ = services.submit_online(
        organization=bureau, submission_key="c", client_address="10.0.0.1", **PERSON
    )  # received 2026-11-26 (today)
    with pytest.raises(services.RequestInvalid):
        services.confirm_receipt(request, by=handler, on=date(2026, 11, 27), evidence="电话确认")  # the future
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        services.confirm_receipt(request, by=handler, on=date(2026, 11, 30), evidence="11月30日电话确认")
        clock = services.clock_of(request)
    request.refresh_from_db()
    assert request.received_on == date(2026, 11, 30) and clock.due == date(2026, 12, 28)
    posted = registered(bureau, handler)
    with pytest.raises(services.RequestError, match="无需确认"):
        services.confirm_receipt(posted, by=handler, on=date(2026, 9, 16), evidence="x")
