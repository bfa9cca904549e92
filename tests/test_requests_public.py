"""Applying online, the receipt with its tracking code, and the applicant's own status page."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongkai.orgs.models import User
from gongkai.requests import services
from gongkai.requests.models import DisclosureRequest, RequestSettings

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
APPLY = reverse("requests:apply")
TRACK = reverse("requests:track")


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


def form_data(bureau, **overrides) -> dict:
    data = {
        "organization": str(bureau.pk),
        "applicant_kind": "natural",
        "applicant_name": "王小明",
        "identity_number": "370303199001011239",
        "phone": "13800000000",
        "email": "wxm@example.cn",
        "address": "淄博市张店区共青团西路1号",
        "postcode": "255000",
        "description": "2026年张店区重点项目建设计划的全文",
        "form_wanted": "electronic",
        "delivery": "email",
        "website": "",
        "submission_key": "a" * 43,
    }
    data.update(overrides)
    return data


def submitted(client, bureau, **overrides):
    return client.post(APPLY, form_data(bureau, **overrides))


def test_the_form_lists_the_agencies_that_take_applications_online(client, bureau):
    closed = RequestSettings.objects.create(organization=bureau, online=False).organization
    html = client.get(APPLY).content.decode()
    assert 'name="submission_key"' in html
    assert f'value="{closed.pk}"' not in html
    RequestSettings.objects.filter(organization=bureau).update(online=True)
    html = client.get(APPLY, {"org": bureau.slug}).content.decode()
    assert f'value="{bureau.pk}" selected' in html


def test_an_application_gets_a_tracking_code_and_a_receipt_without_personal_data(client, bureau):
    response = submitted(client, bureau)
    application = DisclosureRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:received", args=[application.tracking_code])
    html = client.get(response["Location"]).content.decode()
    assert application.tracking_code in html
    assert "2026-11-26" in html and bureau.name in html
    for personal in ("王小明", "370303199001011239", "13800000000", "wxm@example.cn", "共青团西路"):
        assert personal not in html


def test_sending_the_same_form_twice_registers_one_application(client, bureau):
    first = submitted(client, bureau)
    second = submitted(client, bureau)
    assert DisclosureRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"identity_number": "370303199001011237"}, "校验码错误"),
        ({"description": ""}, "请填写所需政府信息的名称或特征描述"),
        ({"phone": ""}, "请填写联系电话"),
        ({"delivery": "post", "address": ""}, "选择邮寄的，请填写通信地址"),
        ({"postcode": "2550"}, "邮政编码应为6位数字"),
        ({"organization": "999999"}, "未开通网上申请"),
        ({"website": "http://spam.example"}, "提交未被接受"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_registered(client, bureau, overrides, message):
    response = submitted(client, bureau, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_the_status_page_opens_with_the_code_and_the_phone_or_the_identity_number(client, bureau):
    submitted(client, bureau)
    application = DisclosureRequest.objects.get()
    code = application.tracking_code
    html = client.post(TRACK, {"code": code.lower(), "secret": "13800000000"}).content.decode()
    assert "办理中" in html and "2026-12-24" in html  # 20 working days after 2026-11-26
    html = client.post(TRACK, {"code": code, "secret": "370303199001011239"}).content.decode()
    assert "办理中" in html
    for wrong in ("13900000000", "王小明", "１３８"):
        response = client.post(TRACK, {"code": code, "secret": wrong})
        assert response.status_code == 200
        html = response.content.decode()
        assert "不匹配" in html and "办理中" not in html


def test_after_the_reply_the_status_page_shows_the_outcome_and_the_dates(client, bureau):
    submitted(client, bureau)
    application = DisclosureRequest.objects.get()
    handler = User.objects.get(username="handler")
    services.close(application, by=handler, outcome="1", on=date(2026, 11, 26))
    services.record_delivery(application, by=handler, on=date(2026, 11, 26), method="email")
    html = client.post(TRACK, {"code": application.tracking_code, "secret": "13800000000"}).content.decode()
    assert "已办结" in html and "（一）予以公开" in html
    assert re.search(r"送达日期.*2026-11-26", html, re.S)
    assert "收到申请（第三十一条）" in html  # the trace
    assert "政府信息公开申请答复书" not in html  # no letter until it is issued
    services.issue_letter(application, by=handler, on=date(2026, 11, 26))
    html = client.post(TRACK, {"code": application.tracking_code, "secret": "13800000000"}).content.decode()
    assert "政府信息公开申请答复书" in html and "本机关向您提供该政府信息" in html


def test_the_requests_page_links_to_applying_and_tracking(client, bureau):
    html = client.get(reverse("portal:requests")).content.decode()
    assert f'href="{APPLY}"' in html and f'href="{TRACK}"' in html


def test_in_english_the_application_pages_have_no_chinese_left(client, bureau, latin_names, untranslated):
    latin = {"applicant_name": "Wang", "description": "The 2026 project plan", "address": "1 Road"}
    submitted(client, bureau, **latin)
    application = DisclosureRequest.objects.get()
    pages = [
        client.get(APPLY, HTTP_ACCEPT_LANGUAGE="en"),
        client.get(reverse("requests:received", args=[application.tracking_code]), HTTP_ACCEPT_LANGUAGE="en"),
        client.get(TRACK, HTTP_ACCEPT_LANGUAGE="en"),
        client.post(TRACK, {"code": application.tracking_code, "secret": "13800000000"}, HTTP_ACCEPT_LANGUAGE="en"),
        client.post(APPLY, form_data(bureau, phone="", submission_key="b" * 43, **latin), HTTP_ACCEPT_LANGUAGE="en"),
        client.get(reverse("requests:ask"), HTTP_ACCEPT_LANGUAGE="en"),
        client.get(reverse("requests:questions"), HTTP_ACCEPT_LANGUAGE="en"),
        client.get(reverse("portal:interaction"), HTTP_ACCEPT_LANGUAGE="en"),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        # The errors name the field in Chinese first, then in English: keep only the English half.
        html = re.sub(r"请填写联系电话 / ", "", html)
        assert untranslated(html) == [], response.request["PATH_INFO"]


def test_no_public_page_feed_or_api_answer_shows_an_applicants_personal_data(client, bureau):
    """条例 and privacy: names, identity numbers, phones, e-mails and addresses stay with the staff."""
    from gongkai.requests import inquiries
    from gongkai.requests.demo import load_requests

    load_requests()
    submitted(client, bureau)
    inquiry, _ = inquiries.ask(
        organization=bureau, submission_key="p", client_address="10.0.0.1", name="刘建国", contact="13805330001",
        subject="申报时间", question="何时申报？",
    )  # fmt: skip
    handler, reviewer = User.objects.get(username="handler"), User.objects.get(username="reviewer")
    inquiries.answer(inquiry, by=handler, text="每年第一季度。")
    inquiries.publish(inquiry, by=reviewer)
    personal = set()
    for application in DisclosureRequest.objects.all():
        personal |= {application.applicant_name, application.identity_number, application.phone}
        personal |= {value for value in (application.email, application.address, application.contact_person) if value}
    personal |= {"刘建国", "13805330001"}
    urls = [
        "/", "/gongkai/", "/yishenqing/", "/hudong/", reverse("requests:questions"), "/gongkai/catalog/",
        "/gongkai/search/?q=王小明", "/gongkai/search/?q=370303", "/sitemap.xml", "/api/v1/publications/",
        "/api/v1/publications/?q=刘建国", f"/gongkai/{bureau.slug}/", "/xinyong/",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        if "?q=" in url:  # the search box repeats what was typed: only the results count
            text = text.replace(url.split("?q=")[1], "")
        assert [value for value in personal if value in text] == [], url


def small_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_identity_document_can_go_with_the_application_and_only_staff_open_it(client, bureau, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = client.post(APPLY, {**form_data(bureau), "attachment": SimpleUploadedFile("身份证.pdf", small_pdf())})
    assert response.status_code == 302
    application = DisclosureRequest.objects.get()
    attachment = application.attachments.get()
    assert attachment.original_name == "身份证.pdf" and attachment.content_type == "application/pdf"
    url = reverse("requests_staff:attachment", args=[application.pk, attachment.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(User.objects.get(username="handler"))
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "scan.pdf"),  # a program named .pdf
        ("big.pdf", small_pdf() + b"0" * (10 * 1024 * 1024), "10"),  # over 10 MB
    ],
)
def test_a_disguised_or_oversize_file_is_refused_and_nothing_is_registered(
    client, bureau, settings, tmp_path, name, data, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = client.post(APPLY, {**form_data(bureau), "attachment": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DisclosureRequest.objects.exists()
    assert not any(tmp_path.rglob("*.*"))
