"""The JSON API answers with public facts and the working-day arithmetic, and documents itself."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_the_organisations_with_their_public_facts(client, demo):
    rows = client.get("/api/v1/organizations/").json()
    bureau = next(row for row in rows if row["uscc"] == "1137030300421716XM")
    assert bureau["name"] == "张店区发展和改革局"
    assert bureau["phone"] == "0533-2869859"
    institution = next(row for row in rows if row["kind"] == "institution")
    assert institution["parent"] == "zdqfzhggj"


def test_it_adds_working_days_over_the_make_up_sunday(client):
    body = client.get("/api/v1/workdays/add/", {"start": "2026-09-18", "days": 20}).json()
    assert body == {"start": "2026-09-18", "days": 20, "date": "2026-10-22", "provisional": False, "missing_years": []}


def test_it_marks_a_date_in_a_missing_year_provisional(client):
    body = client.get("/api/v1/workdays/add/", {"start": "2026-12-15", "days": 20}).json()
    assert body["provisional"] is True
    assert body["missing_years"] == [2027]


def test_bad_parameters_are_named_in_the_error(client):
    response = client.get("/api/v1/workdays/add/", {"start": "2026-02-30", "days": -1})
    assert response.status_code == 400
    assert set(response.json()) == {"start", "days"}


def test_the_openapi_document_describes_the_endpoints(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/organizations/" in text
    assert "/api/v1/workdays/add/" in text
