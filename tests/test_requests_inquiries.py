"""咨询: anyone asks, staff answer, a reviewer other than the answerer publishes; old unanswered ones are flagged."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gongkai.orgs.models import User
from gongkai.requests import inquiries
from gongkai.requests.models import Inquiry, RequestSettings
from gongkai.requests.services import RequestError

pytestmark = pytest.mark.django_db

ASK = reverse("requests:ask")
QUESTIONS = reverse("requests:questions")


def form(bureau, **overrides) -> dict:
    return {
        "organization": str(bureau.pk),
        "subject": "项目申报时间",
        "question": "2027年中央预算内投资项目什么时候开始申报？",
        "name": "刘建国",
        "contact": "13805330001",
        "website": "",
        "submission_key": "q" * 43,
        **overrides,
    }


@pytest.fixture
def reviewer(bureau):
    return User.objects.get(username="reviewer")


def test_a_question_is_answered_reviewed_and_published_without_the_askers_details(client, bureau, handler, reviewer):
    response = client.post(ASK, form(bureau))
    assert response.status_code == 200 and "已收到您的咨询" in response.content.decode()
    client.post(ASK, form(bureau))  # sent twice
    inquiry = Inquiry.objects.get()
    assert "项目申报时间" not in client.get(QUESTIONS).content.decode()

    inquiries.answer(inquiry, by=handler, text="一般在每年第一季度，请关注本站通知。")
    with pytest.raises(RequestError, match="保密审查员"):
        inquiries.publish(inquiry, by=handler)
    inquiries.publish(inquiry, by=reviewer)
    html = client.get(QUESTIONS).content.decode()
    assert "项目申报时间" in html and "一般在每年第一季度" in html
    assert "刘建国" not in html and "13805330001" not in html
    with pytest.raises(RequestError, match="已发布"):
        inquiries.answer(inquiry, by=handler, text="改")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"question": ""}, "请填写咨询内容"),
        ({"contact": ""}, "请填写联系方式"),
        ({"website": "http://spam"}, "提交未被接受"),
        ({"organization": "99999"}, "所选机关不存在"),
    ],
)
def test_bad_questions_are_refused_naming_the_field(client, bureau, overrides, message):
    response = client.post(ASK, form(bureau, **overrides))
    assert message in response.content.decode()
    assert not Inquiry.objects.exists()


def test_unanswered_questions_older_than_the_agencys_limit_are_flagged(bureau, handler, client):
    with time_machine.travel(datetime(2026, 8, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        inquiry, _ = inquiries.ask(
            organization=bureau, submission_key="k", client_address="10.0.0.1", name="刘", contact="1", subject="S",
            question="Q",
        )  # fmt: skip
    assert not inquiries.is_overdue(inquiry, date(2026, 11, 20))
    assert inquiries.is_overdue(inquiry, date(2026, 11, 21))
    RequestSettings.objects.create(organization=bureau, inquiry_flag_months=6)
    assert not inquiries.is_overdue(inquiry, date(2026, 11, 21))
    RequestSettings.objects.filter(organization=bureau).update(inquiry_flag_months=3)
    with time_machine.travel(datetime(2026, 11, 26, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        client.force_login(handler)
        html = client.get(reverse("requests_staff:inquiries")).content.decode()
    assert "超期未答复" in html


def test_handlers_answer_and_reviewers_publish_through_the_screens(client, bureau, handler, reviewer):
    client.post(ASK, form(bureau))
    inquiry = Inquiry.objects.get()
    client.force_login(handler)
    assert "待答复 1 条" in client.get(reverse("orgs:workbench")).content.decode()
    client.post(reverse("requests_staff:inquiry", args=[inquiry.pk]), {"answer": "请关注本站通知。"})
    client.force_login(reviewer)
    assert "待审核发布 1 条" in client.get(reverse("orgs:workbench")).content.decode()
    page = client.get(reverse("requests_staff:inquiry", args=[inquiry.pk])).content.decode()
    assert "审核通过并发布" in page and "保存答复" not in page
    client.post(reverse("requests_staff:inquiry_publish", args=[inquiry.pk]))
    assert Inquiry.objects.get().is_published
    publisher = User.objects.get(username="publisher")
    client.force_login(publisher)
    assert client.get(reverse("requests_staff:inquiries")).status_code == 403
