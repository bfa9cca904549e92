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
