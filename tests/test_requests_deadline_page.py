"""The public deadline calculator gives what `gongkai deadline` prints."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("requests:deadline")


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def trace_rows(html: str) -> list[tuple[str, str]]:
    body = html[html.index('<table class="trace">') :]
    return re.findall(r"<tr><td>(.*?)</td><td class=\"nowrap\">(.*?)</td></tr>", body)


def test_the_page_shows_the_same_due_date_and_trace_as_the_command(client):
    html = page(
        client,
        received="2026-09-15",
        paused_from_1="2026-09-28",
        paused_to_1="2026-10-12",
        extended="5",
    )
    out = StringIO()
    call_command(
        "deadline", "--received", "2026-09-15", "--paused", "2026-09-28:2026-10-12", "--extended", "5", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert "<strong>2026-11-03</strong>" in html and lines[0] == "2026-11-03"
    assert [f"  {text} → {due}" for text, due in trace_rows(html)] == lines[1:]


def test_a_corrected_application_and_a_provisional_year_are_shown(client):
    html = page(client, received="2026-12-01", corrected="2026-12-10")
    assert "<strong>2027-01-07</strong>" in html
    assert "暂定" in html and "2027年的节假日安排尚未公布或录入" in html
    assert [due for _, due in trace_rows(html)] == ["2026-12-29", "2027-01-07"]


def test_without_a_date_the_page_shows_the_empty_form(client):
    html = page(client)
    assert 'name="received"' in html
    assert "deadline-result" not in html and "message-error" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"received": "2026-02-30"}, "收到申请之日“2026-02-30”不是有效日期"),
        ({"received": "2026-03-02", "paused_from_2": "2026-03-05"}, "第2个不计入期间须同时填写开始日和结束日"),
        ({"received": "2026-03-02", "extended": "21"}, "延期最长20个工作日"),
        ({"received": "2026-03-02", "extended": "两天"}, "延期工作日数须为整数"),
        ({"received": "2026-03-02", "corrected": "2026-03-01"}, "2026-03-01早于收到申请之日2026-03-02"),
        (
            {"received": "2026-03-02", "paused_from_1": "2026-03-09", "paused_to_1": "2026-03-05"},
            "结束日期2026-03-05早于开始日期2026-03-09",
        ),
    ],
)
def test_bad_input_gets_a_message_naming_it_and_no_result(client, params, message):
    html = page(client, **params)
    assert message in html
    assert "deadline-result" not in html


def test_the_requests_page_links_to_the_calculator(client):
    html = client.get(reverse("portal:requests")).content.decode()
    assert f'href="{URL}"' in html


def test_in_english_the_calculator_and_its_trace_have_no_chinese_left(client, latin_names, untranslated):
    response = client.get(
        URL,
        {
            "received": "2026-12-01",
            "corrected": "2026-12-10",
            "paused_from_1": "2026-12-14",
            "paused_to_1": "2026-12-16",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "Reply deadline calculator" in html and "How it was computed" in html
    assert untranslated(html) == []
