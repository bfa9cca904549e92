"""The staff API for applications: token authentication, the handler's organisation only, no personal data out."""

import pytest
from django.urls import reverse
from request_files import APPLICANT
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongkai.orgs.models import Organization, User
from gongkai.requests.models import DisclosureRequest

pytestmark = pytest.mark.django_db

BODY = {
    "organization": "zdqfzhggj",
    "channel": "post",
    "received_on": "2026-11-02",
    "evidence": "EMS 1234",
    **APPLICANT,
}


def client_for(username: str) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_a_handler_registers_an_application_and_reads_its_due_date(bureau):
    client = client_for("handler")
    created = client.post(reverse("api:requests"), BODY, format="json")
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["status"] == "open" and answer["due_on"] == "2026-11-30" and answer["due_provisional"] is False
    for personal in ("王小明", "370303199001011239", "13800000000"):
        assert personal not in created.content.decode()
    read = client.get(reverse("api:request", args=[answer["tracking_code"]]))
    assert read.status_code == 200 and read.json()["received_on"] == "2026-11-02"
    assert DisclosureRequest.objects.get().created_by.username == "handler"


def test_the_same_submission_key_registers_one_application(bureau):
    client = client_for("handler")
    first = client.post(reverse("api:requests"), {**BODY, "submission_key": "OA-2026-77"}, format="json")
    again = client.post(reverse("api:requests"), {**BODY, "submission_key": "OA-2026-77"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert DisclosureRequest.objects.count() == 1


def test_bad_input_names_the_field_and_registers_nothing(bureau):
    response = client_for("handler").post(
        reverse("api:requests"), {**BODY, "identity_number": "370303199001011237"}, format="json"
    )
    assert response.status_code == 400
    assert "校验码" in response.json()["identity_number"][0]
    response = client_for("handler").post(reverse("api:requests"), {**BODY, "received_on": "2026-02-30"}, format="json")
    assert response.status_code == 400 and "received_on" in response.json()
    assert not DisclosureRequest.objects.exists()


def test_only_token_holders_who_handle_requests_for_that_agency_may_use_it(bureau):
    assert APIClient().post(reverse("api:requests"), BODY, format="json").status_code == 401
    assert client_for("publisher").post(reverse("api:requests"), BODY, format="json").status_code == 403
    other = Organization.objects.exclude(pk=bureau.pk).filter(is_active=True).first()
    response = client_for("handler").post(reverse("api:requests"), {**BODY, "organization": other.slug}, format="json")
    assert response.status_code == 403
    created = client_for("handler").post(reverse("api:requests"), BODY, format="json").json()
    assert client_for("publisher").get(reverse("api:request", args=[created["tracking_code"]])).status_code == 403


def test_the_endpoints_are_in_the_openapi_document(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/requests/" in schema and "/api/v1/requests/{tracking_code}/" in schema
    assert "tokenAuth" in schema


def test_administrators_issue_tokens_and_set_an_agencys_channels_in_the_admin(client, bureau):
    client.force_login(User.objects.get(username="admin"))
    assert client.get("/admin/authtoken/tokenproxy/add/").status_code == 200
    assert client.get("/admin/disclosure_requests/requestsettings/add/").status_code == 200
