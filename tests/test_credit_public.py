"""The 双公示 column of the credit site: public records only, searched by name, code or number; open data masked."""

import io
import json
from datetime import date

import pytest
from credit_files import PENALTY_CSV, csv_file, licence
from django.urls import reverse

from gongkai.credit import services
from gongkai.credit.models import Licence, Penalty

pytestmark = pytest.mark.django_db

RECORDS = reverse("credit:records")


@pytest.fixture
def records(bureau):
    services.import_file(
        csv_file(
            licence(1),
            licence(2, 行政相对人名称="张店区鑫源商贸有限公司", 当前状态="撤销"),
            licence(3, 行政相对人名称="淄博华瑞商贸有限公司"),
        ),
        "l.csv", organization=bureau, today=date(2026, 11, 26), accept_valid=True,
    )  # fmt: skip
    services.import_file(io.BytesIO(PENALTY_CSV.encode()), "p.csv", organization=bureau, today=date(2026, 11, 26))
    assert Licence.objects.count() == 3 and Penalty.objects.count() == 1


def test_the_list_shows_public_records_and_finds_them_by_name_in_either_script_or_by_number(client, records):
    html = client.get(RECORDS).content.decode()
    assert "淄博第1建材有限公司" in html and "鑫源商贸" not in html  # revoked
    assert "淄博第1建材" in client.get(RECORDS, {"q": "淄博第1建材"}).content.decode()
    assert "淄博第1建材" in client.get(RECORDS, {"q": "淄博第1建材有限公司"}).content.decode()
    by_number = client.get(RECORDS, {"q": "张发改许〔2026〕1号"}).content.decode()
    assert "淄博第1建材" in by_number
    assert "淄博第1建材" not in client.get(RECORDS, {"q": "不存在"}).content.decode()
    assert "淄博第1建材" not in client.get(RECORDS, {"from": "2026-04-01"}).content.decode()
    assert "日期“2026-02-30”无效" in client.get(RECORDS, {"from": "2026-02-30"}).content.decode()


def test_a_traditional_character_query_finds_a_simplified_name(client, records):
    html = client.get(RECORDS, {"q": "華瑞商貿"}).content.decode()
    assert "淄博华瑞商贸有限公司" in html and "淄博第1建材" not in html
    assert "王小明" in client.get(RECORDS, {"type": "penalty", "q": "王小"}).content.decode()


def test_the_detail_page_masks_the_identity_number_and_hides_revoked_records(client, records):
    penalty = Penalty.objects.get()
    html = client.get(reverse("credit:detail", args=["penalty", penalty.pk])).content.decode()
    assert "370303********1239" in html and "370303199001011239" not in html
    revoked = Licence.objects.get(is_public=False)
    assert client.get(reverse("credit:detail", args=["licence", revoked.pk])).status_code == 404


def test_open_data_is_masked_and_safe_to_open_in_a_spreadsheet(client, records):
    response = client.get(reverse("credit:open_data", args=["penalty", "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "370303********1239" in text and "370303199001011239" not in text
    assert "'=HYPERLINK" in text
    data = json.loads(b"".join(client.get(reverse("credit:open_data", args=["penalty", "json"])).streaming_content))
    assert data["records"][0]["CF_XDR_ZJHM"] == "370303********1239"
    assert data["fields"]["CF_WSH"] == "行政处罚决定书文号"
    from openpyxl import load_workbook

    xlsx = client.get(reverse("credit:open_data", args=["licence", "xlsx"]))
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:]}
    assert names == {"淄博第1建材有限公司", "淄博华瑞商贸有限公司"}  # the public licences, not the revoked one
    assert client.get("/xinyong/shuanggongshi/data/licence.exe").status_code == 404


def test_a_query_with_invisible_characters_is_searched_without_them(client, records):
    html = client.get(RECORDS, {"q": "淄博第1\u200b建材\u00ad"}).content.decode()

    assert "淄博第1建材" in html


def test_an_authority_with_invisible_characters_is_read_without_them(client, records):
    assert "淄博第1建材" in client.get(RECORDS, {"authority": "1137030300421716XM\u200b"}).content.decode()
