"""The staff screens of 依申请公开: the worklist, registration, and an application's page with its clock."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from request_files import APPLICANT

from gongkai.orgs.models import Organization, User
from gongkai.requests import services
from gongkai.requests.models import DisclosureRequest

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
PERSON = APPLICANT


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def as_user(client, user):
    client.force_login(user)
    return client


def registered(bureau, handler, received_on=date(2026, 11, 2), **values) -> DisclosureRequest:
    return services.register(
        organization=bureau, by=handler, channel="post", received_on=received_on, **{**PERSON, **values}
    )


def step(client, application, name, **data):
    return client.post(
        reverse("requests_staff:step", args=[application.pk, name]),
        {f"{name}-{key}": value for key, value in data.items()},
        follow=True,
    )


def test_a_handler_registers_a_posted_application_and_lands_on_its_page(client, bureau, handler):
    response = as_user(client, handler).post(
        reverse("requests_staff:new"),
        {"channel": "post", "received_on": "2026-11-20", "evidence": "签收单 EMS1234", **PERSON},
        follow=True,
    )
    application = DisclosureRequest.objects.get()
    assert response.redirect_chain[-1][0] == reverse("requests_staff:detail", args=[application.pk])
    html = response.content.decode()
    assert application.tracking_code in html
    assert "2026-12-18" in html  # 20 working days after 2026-11-20
    assert application.handler == handler and application.receipt_evidence == "签收单 EMS1234"


def test_registration_refuses_bad_input_naming_the_field_and_saves_nothing(client, bureau, handler):
    response = as_user(client, handler).post(
        reverse("requests_staff:new"),
        {"channel": "fax", "received_on": "2026-02-30", **{**PERSON, "identity_number": "123"}},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "收到申请之日“2026-02-30”不是有效日期" in html
    assert "fax" in html  # the agency has not opened fax
    assert not DisclosureRequest.objects.exists()


def test_the_page_shows_the_due_date_and_the_trace_and_each_step_moves_it(client, bureau, handler):
    application = registered(bureau, handler, received_on=date(2026, 9, 15))
    client = as_user(client, handler)
    html = client.get(reverse("requests_staff:detail", args=[application.pk])).content.decode()
    assert "<strong>2026-10-19</strong>" in html

    html = step(client, application, "pause", kind="third_party", on="2026-09-28", note="征求意见").content.decode()
    assert "暂停计时" in html
    html = step(client, application, "resume", kind="third_party", until="2026-10-12").content.decode()
    assert "<strong>2026-10-27</strong>" in html
    assert "6个工作日不计入" in html


def test_the_extension_form_is_the_office_heads_and_a_handler_posting_it_is_refused(client, bureau, handler, head):
    application = registered(bureau, handler)
    handler_page = as_user(client, handler).get(reverse("requests_staff:detail", args=[application.pk]))
    assert "step-extend" not in handler_page.content.decode()
    refused = step(client, application, "extend", days="10", on="2026-11-20", note="材料多").content.decode()
    assert "负责人" in refused and not application.events.filter(kind="extension").exists()

    granted = step(as_user(client, head), application, "extend", days="10", on="2026-11-20", note="材料多")
    assert "<strong>2026-12-14</strong>" in granted.content.decode()  # 2026-11-30 + 10 working days


def test_closing_and_delivering_show_the_outcome_and_whether_the_reply_was_on_time(client, bureau, handler):
    application = registered(bureau, handler)
    client = as_user(client, handler)
    html = step(client, application, "close", outcome="3.4", on="2026-11-20", reasons="").content.decode()
    assert "理由" in html and not DisclosureRequest.objects.get().is_closed
    step(client, application, "close", outcome="3.4", on="2026-11-20", reasons="涉及商业秘密（第十五条）")
    html = step(client, application, "deliver", method="post", on="2026-11-25").content.decode()
    assert "（三）不予公开 · 4.保护第三方合法权益" in html
    assert "按期答复" in html


def test_the_worklist_is_scoped_to_the_organisation_and_flags_overdue_applications(client, bureau, handler, head):
    overdue = registered(bureau, handler, received_on=date(2026, 10, 9))  # due 2026-11-05 (10-10, a Saturday, worked)
    soon = registered(bureau, handler, received_on=date(2026, 11, 2))  # due 2026-11-30
    other = Organization.objects.exclude(pk=bureau.pk).first()
    foreign = DisclosureRequest.objects.create(
        organization=other, tracking_code="OTHER00001", channel="post", received_on=date(2026, 11, 2), **PERSON
    )
    html = as_user(client, handler).get(reverse("requests_staff:list")).content.decode()
    assert overdue.tracking_code in html and soon.tracking_code in html
    assert foreign.tracking_code not in html
    assert re.search(r"row-overdue.*?" + overdue.tracking_code, html, re.S)
    assert "已超期 15 个工作日" in html
    assert "还剩 2 个工作日" in html
    assert "按经办人统计" not in html  # the overview is the office head's

    html = as_user(client, head).get(reverse("requests_staff:list")).content.decode()
    assert "按经办人统计" in html
    row = re.search(r"<tr><td>张三</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", html)
    assert row and row.groups() == ("2", "1", "1", "0")
    assert client.get(reverse("requests_staff:detail", args=[foreign.pk])).status_code == 404


def test_people_without_a_request_role_cannot_open_the_screens(client, bureau):
    publisher = User.objects.get(username="publisher")
    assert as_user(client, publisher).get(reverse("requests_staff:list")).status_code == 403
    client.logout()
    assert client.get(reverse("requests_staff:list")).status_code == 302


def test_the_workbench_links_to_the_applications_with_counts(client, bureau, handler):
    registered(bureau, handler)
    services.submit_online(organization=bureau, submission_key="k", client_address="10.0.0.1", **PERSON)
    html = as_user(client, handler).get(reverse("orgs:workbench")).content.decode()
    assert reverse("requests_staff:list") in html
    assert "我经办的 1 件" in html and "未分配 1 件" in html


def test_in_english_the_staff_screens_have_no_chinese_left(client, bureau, handler, head, latin_names, untranslated):
    application = registered(bureau, handler, applicant_name="Wang", description="Project plan")
    for user in (handler, head):
        user.refresh_from_db()
    client = as_user(client, head)
    step(client, application, "correction", on="2026-11-03", note="Which year?", correct_by="2026-11-17")
    for url in (
        reverse("requests_staff:list"),
        reverse("requests_staff:new"),
        reverse("requests_staff:detail", args=[application.pk]),
        reverse("orgs:workbench"),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert untranslated(response.content.decode()) == [], url


def test_the_handler_edits_and_issues_the_letter_and_downloads_the_docx(client, bureau, handler, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = registered(bureau, handler)
    client = as_user(client, handler)
    step(client, application, "close", outcome="1", on="2026-11-20", reasons="")
    page = client.get(reverse("requests_staff:detail", args=[application.pk])).content.decode()
    assert "政府信息公开申请答复书" in page and "本机关向您提供该政府信息" in page

    client.post(
        reverse("requests_staff:letter_edit", args=[application.pk]),
        {"addressee": "王小明先生", "body": "经审查，现向您提供。\n\n如对本答复不服，可以申请行政复议。"},
    )
    response = client.post(
        reverse("requests_staff:letter_issue", args=[application.pk]), {"on": "2026-11-20"}, follow=True
    )
    assert "答复书已出具" in response.content.decode()
    download = client.get(reverse("requests_staff:letter_download", args=[application.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert b"".join(download.streaming_content)[:2] == b"PK"
    application.letter.refresh_from_db()
    assert application.letter.addressee == "王小明先生" and application.letter.is_issued


def test_fee_and_remedy_steps_are_offered_when_they_apply(client, bureau, handler):
    application = registered(bureau, handler)
    client = as_user(client, handler)
    page = client.get(reverse("requests_staff:detail", args=[application.pk])).content.decode()
    assert "step-fee" in page and "step-paid" not in page and "step-remedy" not in page
    page = step(client, application, "fee", method="by_volume", quantity="31", on="2026-11-20").content.decode()
    assert "已登记：发出收费通知" in page and "step-fee" not in page and "step-paid" in page
    page = step(client, application, "paid", on="2026-11-24").content.decode()
    assert "step-paid" not in page and "<strong>2026-12-02</strong>" in page  # 2026-11-30 + 2 working days
    step(client, application, "close", outcome="1", on="2026-11-25", reasons="")
    page = step(client, application, "remedy", kind="reconsideration", filed_on="2026-11-26", note="").content.decode()
    assert "step-remedy_result" in page
    page = step(
        client,
        application,
        "remedy_result",
        remedy=str(application.remedies.get().pk),
        result="upheld",
        decided_on="2026-11-26",
    ).content.decode()
    assert "step-remedy_result" not in page
