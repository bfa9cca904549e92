"""双公示 over the API: masked public lists; submissions with an organisation's key, answered with the report."""

import pytest
from credit_files import PENALTY_CSV, csv_file, licence
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from gongkai.credit.models import Licence, SubmissionToken
from gongkai.orgs.models import Organization

pytestmark = pytest.mark.django_db


def keyed(organization) -> APIClient:
    client = APIClient()
    token = SubmissionToken.objects.create(organization=organization, name="业务系统")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def upload(client, data: bytes, name="licences.csv", **flags):
    return client.post(
        reverse("api:credit-submissions"), {"file": SimpleUploadedFile(name, data), **flags}, format="multipart"
    )


def test_an_organisation_submits_with_its_key_and_gets_the_report(bureau):
    response = upload(keyed(bureau), csv_file(licence(1)).getvalue())
    assert response.status_code == 201, response.content
    assert response.json() | {"late": []} == {"rows": 1, "accepted": 1, "rejected": 0, "errors": [], "late": []}
    assert response.json()["late"][0]["decision_number"] == "张发改许〔2026〕1号"  # decided in March
    assert Licence.objects.get().submission.channel == "api"


def test_a_rejected_file_answers_422_with_errors_by_row_and_column(bureau):
    response = upload(keyed(bureau), csv_file(licence(1, 许可类别="特殊")).getvalue())
    assert response.status_code == 422
    assert response.json()["errors"][0] | {"message": ""} == {
        "row": 2, "column": "G", "field": "XK_XKLB", "value": "特殊", "message": "",
    }  # fmt: skip
    dry = upload(keyed(bureau), csv_file(licence(2)).getvalue(), dry_run="true")
    assert dry.status_code == 200 and not Licence.objects.exists()


def test_without_a_valid_key_nothing_is_taken(bureau):
    assert upload(APIClient(), csv_file(licence(1)).getvalue()).status_code == 401
    client = APIClient()
    for wrong in ("Token not-a-key", "Token cl\u00e9"):  # HTTP headers are Latin-1: é is not ASCII
        client.credentials(HTTP_AUTHORIZATION=wrong)
        assert upload(client, csv_file(licence(1)).getvalue()).status_code == 401
    revoked = keyed(bureau)
    SubmissionToken.objects.update(revoked=True)
    assert upload(revoked, csv_file(licence(1)).getvalue()).status_code == 401
    other = Organization.objects.exclude(pk=bureau.pk).first()
    response = upload(keyed(other), csv_file(licence(1)).getvalue())  # the source must be the submitter
    assert response.status_code == 422 and not Licence.objects.exists()


def test_the_public_lists_are_masked_and_filterable(client, bureau):
    upload(keyed(bureau), PENALTY_CSV.encode(), "penalties.csv")
    upload(keyed(bureau), csv_file(licence(1)).getvalue())
    penalties = client.get(reverse("api:credit-penalties")).json()
    assert penalties["count"] == 1
    assert penalties["results"][0]["CF_XDR_ZJHM"] == "370303********1239"
    assert "370303199001011239" not in str(penalties)
    assert client.get(reverse("api:credit-licences"), {"q": "淄博第1建材"}).json()["count"] == 1
    assert client.get(reverse("api:credit-licences"), {"q": "不存在"}).json()["count"] == 0
    assert client.get(reverse("api:credit-licences"), {"from": "2026-02-30"}).status_code == 400


def test_the_credit_endpoints_are_in_the_openapi_document(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/credit/licences/", "/api/v1/credit/penalties/", "/api/v1/credit/submissions/"):
        assert path in schema
    assert "submissionToken" in schema


def test_administrators_issue_and_revoke_keys_in_the_admin(client, bureau):
    from gongkai.orgs.models import User

    client.force_login(User.objects.get(username="admin"))
    assert client.get("/admin/credit/submissiontoken/add/").status_code == 200
    assert client.get("/admin/credit/creditsettings/add/").status_code == 200
