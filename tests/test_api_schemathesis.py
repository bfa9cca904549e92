"""Schemathesis against the OpenAPI document (issue 9): every operation of the JSON API, called with inputs
generated from its schema — valid and invalid, anonymous — never answers with a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gongkai.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture(autouse=True)
def district(demo):
    """The demo district, so that the generated requests find organisations, publications and records; requests
    go straight to the WSGI application, which keeps the test's connection open as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_makes_the_api_fail(case):
    case.call_and_validate(checks=[not_a_server_error])


@pytest.fixture
def keys(district):
    """A request handler's personal API token and the bureau's 双公示 submission key: the two ways to sign in."""
    from rest_framework.authtoken.models import Token

    from gongkai.credit.models import SubmissionToken
    from gongkai.orgs.models import User

    handler = User.objects.get(username="handler")
    organisation = SubmissionToken.objects.create(organization=handler.organization, name="schemathesis")
    return {"person": Token.objects.create(user=handler).key, "organisation": organisation.key}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_signed_in_as_a_handler_makes_the_api_fail(case, keys):
    case.call_and_validate(headers={"Authorization": f"Token {keys['person']}"}, checks=[not_a_server_error])


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_with_an_organisations_submission_key_makes_the_api_fail(case, keys):
    case.call_and_validate(headers={"Authorization": f"Token {keys['organisation']}"}, checks=[not_a_server_error])


@pytest.mark.django_db
def test_the_keys_above_do_sign_in(client, keys):
    """So that the two signed-in runs above reach past authentication: an empty application or submission signed
    with the keys is refused for its content (400), not for want of a signature (401/403) as an unsigned one is."""
    def post(url: str, key: str | None = None):
        signature = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
        body = {} if "submissions" in url else {"content_type": "application/json"}  # a file upload is multipart
        return client.post(url, {}, **body, **signature).status_code

    assert post("/api/v1/requests/", keys["person"]) == 400
    assert post("/api/v1/requests/") in (401, 403)
    assert post("/api/v1/credit/submissions/", keys["organisation"]) == 400
    assert post("/api/v1/credit/submissions/") in (401, 403)
