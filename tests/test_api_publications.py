"""The publications API: the catalogue's filters and full-text search as JSON, documented in OpenAPI."""

import datetime

import pytest

from gongkai.catalog import services
from gongkai.catalog.models import Column, Publication
from gongkai.orgs.models import Organization, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(bureau):
    publisher = User.objects.get(username="publisher")
    reviewer = User.objects.get(username="reviewer")

    def publish(title: str, column: str = "regulations", **values) -> Publication:
        draft = services.create_draft(
            by=publisher,
            publisher=bureau,
            title=title,
            issued_on=datetime.date(2026, 3, 1),
            column=Column.objects.get(code=column),
            body="<p>正文：张店区发展和改革局发布。</p>",
            **values,
        )
        services.submit(draft, by=publisher)
        services.approve(draft, by=reviewer)
        return services.publish(draft, by=reviewer)

    return publish


def test_it_lists_published_publications_with_their_metadata(client, published):
    item = published("张店区政府投资项目管理办法", doc_no="张发改规〔2026〕1号")
    body = client.get("/api/v1/publications/").json()
    assert body["count"] == 1
    assert body["count_capped"] is False
    row = body["results"][0]
    assert row["index_no"] == item.index_no
    assert row["index_no"].startswith("1137030300421716XM/")
    assert row["doc_no"] == "张发改规〔2026〕1号"
    assert row["publisher"] == "张店区发展和改革局"
    assert row["column"] == "regulations"
    assert row["url"].endswith(f"/gongkai/zdqfzhggj/doc/{item.pk}/")


def test_it_filters_like_the_catalogue(client, published):
    published("规划甲", column="plans")
    published("法规乙", column="regulations")
    rows = client.get("/api/v1/publications/", {"column": "plans"}).json()["results"]
    assert [row["title"] for row in rows] == ["规划甲"]
    rows = client.get("/api/v1/publications/", {"column": "statutory"}).json()["results"]
    assert {row["title"] for row in rows} == {"规划甲", "法规乙"}
    other = Organization.objects.get(uscc="11370303MB2858350L")
    assert client.get("/api/v1/publications/", {"publisher": other.slug}).json()["count"] == 0


def test_q_searches_in_traditional_characters_too(client, published):
    published("张店区2026年重点项目建设计划", column="plans")
    published("价格监测数据", column="statistics")
    rows = client.get("/api/v1/publications/", {"q": "張店區2026年重點項目"}).json()["results"]
    assert [row["title"] for row in rows] == ["张店区2026年重点项目建设计划"]


def test_a_bad_filter_value_is_reported_not_an_error(client, published):
    published("法规乙")
    response = client.get("/api/v1/publications/", {"year": "二〇二六", "topic": "x"})
    assert response.status_code == 200
    assert response.json()["filter_errors"]


def test_the_detail_has_body_and_attachments_and_a_withdrawn_one_answers_410(client, published):
    item = published("法规丙", summary="概述")
    detail = client.get(f"/api/v1/publications/{item.pk}/").json()
    assert detail["body"] == "<p>正文：张店区发展和改革局发布。</p>"
    assert detail["attachments"] == []
    services.withdraw(item, by=User.objects.get(username="publisher"), reason="内容有误")
    response = client.get(f"/api/v1/publications/{item.pk}/")
    assert response.status_code == 410
    assert client.get("/api/v1/publications/").json()["count"] == 0


def test_next_and_previous_links_carry_the_position_and_lead_to_the_next_page(client, published, monkeypatch):
    from gongkai.catalog import query

    monkeypatch.setattr(query, "PER_PAGE", 2)
    items = [published(f"第{number}件") for number in range(1, 6)]

    first = client.get("/api/v1/publications/?publisher=zdqfzhggj").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    back = client.get(third["previous"]).json()

    def titles(page):
        return [row["title"] for row in page["results"]]

    assert [titles(page) for page in (first, second, third, back)] == [
        ["第5件", "第4件"],
        ["第3件", "第2件"],
        ["第1件"],
        ["第3件", "第2件"],
    ]
    assert first["next"].endswith(f"?publisher=zdqfzhggj&page=2&after=1-{items[3].pk}")
    assert third["previous"].endswith(f"?publisher=zdqfzhggj&page=2&before=3-{items[0].pk}")
    assert third["next"] is None and back["filter_errors"] == {}


def test_a_position_that_does_not_fit_is_reported_and_the_page_number_used(client, published):
    published("第1件")

    body = client.get("/api/v1/publications/?after=3-1").json()

    assert "after" in body["filter_errors"] and [row["title"] for row in body["results"]] == ["第1件"]


def test_a_draft_is_not_in_the_api(client, bureau):
    draft = services.create_draft(
        by=User.objects.get(username="publisher"),
        publisher=bureau,
        title="草稿",
        issued_on=datetime.date(2026, 3, 1),
        column=Column.objects.get(code="plans"),
    )
    assert client.get(f"/api/v1/publications/{draft.pk}/").status_code == 404


def test_the_openapi_document_describes_the_publication_endpoints(client):
    text = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/publications/" in text
    assert "/api/v1/publications/{id}/" in text
