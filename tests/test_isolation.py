"""Each organisation's staff see and change only their own organisation's data (issue 10, item 5).

The district has many organisations on one installation. A member of staff of 体育场街道办事处 holding every role
an organisation has (publisher, reviewer, request handler, office head, 双公示 submitter) is pointed at every staff
screen and API endpoint, with the objects of other organisations (张店区发展和改革局's publications, requests,
inquiries, reports and statistics; another organisation's 双公示 submission), by GET and by POST: each is refused
(403 or 404), and nothing is written. The credit office's screens (records, repairs, upstream pushes) serve the
whole district by design and are refused for lack of the role. A route missing from the tables below fails the
test: a new staff screen must say how it is scoped.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.audit.models import AuditEvent
from gongkai.orgs import roles
from gongkai.orgs.models import Organization, User
from gongkai.orgs.services import grant_role

pytestmark = pytest.mark.django_db

ORGANISATION_ROLES = (
    roles.PUBLISHER, roles.REVIEWER, roles.REQUEST_HANDLER, roles.OFFICE_HEAD, roles.DEPARTMENT_SUBMITTER,
)  # fmt: skip


def routes(prefixes=("staff/", "api/")):
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), namespace + (pattern.name or "")

    return {name: route for route, name in walk(get_resolver().url_patterns) if route.startswith(prefixes)}


@pytest.fixture
def street_staff(full_demo, demo):
    """王芳 of 体育场街道办事处, with every role an organisation has."""
    street = Organization.objects.get(slug="zdqtycjdbsc")
    user = User.objects.create_user("street", password="x", organization=street, display_name="王芳")
    for role in ORGANISATION_ROLES:
        grant_role(user, role, by=None)
    return user


@pytest.fixture
def theirs(full_demo, demo):
    """The other organisations' objects, by kind."""
    from gongkai.catalog.models import Attachment, Publication
    from gongkai.credit.models import Penalty, Submission
    from gongkai.reports.models import AnnualReport
    from gongkai.requests import inquiries
    from gongkai.requests.models import DisclosureRequest, RequestAttachment
    from gongkai.review.models import Finding

    bureau = Organization.objects.get(slug="zdqfzhggj")
    attachment = Attachment.objects.filter(publication__publisher=bureau).first()
    inquiry, _ = inquiries.ask(
        organization=bureau, submission_key="isolation", client_address="127.0.0.1", name="王某", contact="13800000000",
        subject="发改局的咨询", question="请问……",
    )  # fmt: skip
    application = DisclosureRequest.objects.filter(organization=bureau).first()
    request_attachment = RequestAttachment.objects.create(
        request=application, file="requests/isolation.pdf", original_name="身份证.pdf", content_type="application/pdf",
        size=1,
    )  # fmt: skip
    finding = Finding.objects.filter(publication__publisher=bureau).first()
    return {
        "bureau": bureau,
        "publication": Publication.objects.filter(publisher=bureau).first(),
        "attachment": attachment,
        "finding": finding,
        "request": application,
        "request_attachment": request_attachment,
        "inquiry": inquiry,
        "report": AnnualReport.objects.filter(organization=bureau).first(),
        "submission": Submission.objects.exclude(organization__slug="zdqtycjdbsc").first(),
        "penalty": Penalty.objects.first(),
    }  # fmt: skip


def _some(value, what):
    assert value is not None, f"the demo has no {what} of another organisation to try"
    return value.pk


# Routes with another organisation's object: the URL arguments, from `theirs`.
ORGANISATION_SCOPED = {
    "catalog_staff:detail": lambda t: [_some(t["publication"], "publication")],
    "catalog_staff:edit": lambda t: [t["publication"].pk],
    "catalog_staff:attachment_add": lambda t: [t["publication"].pk],
    "catalog_staff:attachment": lambda t: [t["attachment"].publication_id, _some(t["attachment"], "attachment")],
    "catalog_staff:attachment_remove": lambda t: [t["attachment"].publication_id, t["attachment"].pk],
    "catalog_staff:attachment_redacted": lambda t: [t["attachment"].publication_id, t["attachment"].pk],
    "catalog_staff:submit": lambda t: [t["publication"].pk],
    "catalog_staff:approve": lambda t: [t["publication"].pk],
    "catalog_staff:return": lambda t: [t["publication"].pk],
    "catalog_staff:publish": lambda t: [t["publication"].pk],
    "catalog_staff:schedule": lambda t: [t["publication"].pk],
    "catalog_staff:cancel_schedule": lambda t: [t["publication"].pk],
    "catalog_staff:withdraw": lambda t: [t["publication"].pk],
    "catalog_staff:validity": lambda t: [t["publication"].pk],
    "catalog_staff:finding_mask": lambda t: _finding(t),
    "catalog_staff:finding_dismiss": lambda t: _finding(t),
    "requests_staff:detail": lambda t: [_some(t["request"], "request")],
    "requests_staff:attachment": lambda t: [t["request"].pk, _some(t["request_attachment"], "request attachment")],
    "requests_staff:letter_edit": lambda t: [t["request"].pk],
    "requests_staff:letter_issue": lambda t: [t["request"].pk],
    "requests_staff:letter_download": lambda t: [t["request"].pk],
    "requests_staff:step": lambda t: [t["request"].pk, "accept"],
    "requests_staff:inquiry": lambda t: [t["inquiry"].pk],
    "requests_staff:inquiry_publish": lambda t: [t["inquiry"].pk],
    "credit_staff:detail": lambda t: [_some(t["submission"], "submission")],
    "credit_staff:annotated": lambda t: [t["submission"].pk],
    "stats:dashboard": lambda t: [t["bureau"].pk, _year()],
    "stats:csv": lambda t: [t["bureau"].pk, _year(), "requests"],
    "reports:import": lambda t: [t["bureau"].pk],
    "reports:detail": lambda t: [t["bureau"].pk, _some(t["report"], "report") and t["report"].year],
    "reports:prepare": lambda t: [t["bureau"].pk, t["report"].year],
    "reports:edit": lambda t: [t["bureau"].pk, t["report"].year],
    "reports:recount": lambda t: [t["bureau"].pk, t["report"].year],
    "reports:sign_off": lambda t: [t["bureau"].pk, t["report"].year],
    "reports:reopen": lambda t: [t["bureau"].pk, t["report"].year],
    "reports:publish": lambda t: [t["bureau"].pk, t["report"].year],
    "reports:compare": lambda t: [t["bureau"].pk, t["report"].year],
    "reports:roll_up": lambda t: [Organization.objects.get(slug="zdqrmzf").pk, t["report"].year],
    "reports:download": lambda t: [t["bureau"].pk, t["report"].year, "docx"],
    "api:request": lambda t: [t["request"].tracking_code],
}

# The credit office's screens: district-wide, for the credit officer (and administrators) only.
CREDIT_OFFICE = {
    "credit_staff:release": lambda t: [t["submission"].pk],
    "credit_staff:penalty": lambda t: [_some(t["penalty"], "penalty")],
    "credit_staff:penalty_severity": lambda t: [t["penalty"].pk],
    "credit_staff:repairs": lambda t: [],
    "credit_staff:queue": lambda t: [],
    "credit_staff:penalties": lambda t: [],
    "stats:credit": lambda t: [_year()],
    "stats:credit_csv": lambda t: [_year()],
    "upstream:status": lambda t: [],
    "upstream:problems": lambda t: ["xinyong-zibo"],
    "upstream:queue_unqueued": lambda t: ["xinyong-zibo"],
    "upstream:record": lambda t: ["penalty", t["penalty"].pk],
}

# Repair applications are the credit office's too; the demo has none, so one is made for the test.
REPAIRS = ("credit_staff:repair", "credit_staff:repair_file", "credit_staff:repair_step")

# Routes whose lists the street's staff may open: they must show only the street's own rows (see below),
# or are public data (published publications, the working-day calculator, the API schema, the templates).
LISTS = {
    "orgs:workbench", "catalog_staff:list", "catalog_staff:new", "catalog_staff:review", "catalog_staff:uninterpreted",
    "requests_staff:list", "requests_staff:new", "requests_staff:inquiries", "credit_staff:list", "credit_staff:upload",
    "stats:index", "reports:index", "api:requests", "api:credit-submissions",
}  # fmt: skip
PUBLIC = {
    "api:schema", "api:organizations", "api:publications", "api:publication", "api:working-days-add",
    "api:credit-licences", "api:credit-penalties", "credit_staff:template",
}  # fmt: skip


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year - 1


def _finding(t):
    publication = t["publication"]
    finding = t["finding"]
    if finding is None:
        from gongkai.review.models import Finding

        finding = Finding.objects.create(
            publication=publication, kind="phone", field="body", offset=0, length=11, masked="138****0000",
            excerpt="138****0000", fingerprint="isolation",
        )  # fmt: skip
    return [finding.publication_id, finding.pk]


@pytest.fixture
def repair(theirs):
    from gongkai.credit.models import RepairApplication, RepairFile

    application = RepairApplication.objects.create(
        penalty=theirs["penalty"], tracking_code="ISOLATION01", applicant_kind="subject", applicant_name="某公司",
        contact="13800000000",
    )  # fmt: skip
    file = RepairFile.objects.create(
        application=application, kind="commitment", file="credit/repairs/x.pdf", original_name="承诺书.pdf",
        content_type="application/pdf", size=1,
    )  # fmt: skip
    return {
        "credit_staff:repair": [application.pk],
        "credit_staff:repair_file": [application.pk, file.pk],
        "credit_staff:repair_step": [application.pk, "approve"],
    }


@pytest.fixture
def api_keys(street_staff):
    """The street's keys: a person's API token (requests) and the organisation's 双公示 submission key."""
    from rest_framework.authtoken.models import Token

    from gongkai.credit.models import SubmissionToken

    person = Token.objects.create(user=street_staff).key
    organisation = SubmissionToken.objects.create(organization=street_staff.organization, name="业务系统").key
    return {"api:request": person, "api:requests": person, "api:credit-submissions": organisation}


def _headers(name: str, api_keys: dict) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {api_keys[name]}"} if name in api_keys else {}


def test_every_staff_screen_and_api_endpoint_says_how_it_is_scoped():
    known = set(ORGANISATION_SCOPED) | set(CREDIT_OFFICE) | set(REPAIRS) | LISTS | PUBLIC
    assert sorted(set(routes()) - known) == []
    assert sorted(known - set(routes())) == []


def test_another_organisations_objects_are_refused_to_every_role_of_an_organisation(
    client, street_staff, theirs, repair, api_keys
):
    client.force_login(street_staff)
    events = AuditEvent.objects.count()
    refused = {}
    cases = [(name, make(theirs)) for name, make in {**ORGANISATION_SCOPED, **CREDIT_OFFICE}.items()]
    cases += list(repair.items())
    for name, args in cases:
        url = reverse(name, args=args)
        statuses = [getattr(client, method)(url, **_headers(name, api_keys)).status_code for method in ("get", "post")]
        refusals = {403, 404} if name in ORGANISATION_SCOPED else {403}
        # 405: the method is not the route's (a POST-only action, a GET-only page); the other one must be refused.
        if not set(statuses) <= refusals | {405} or not set(statuses) & refusals:
            refused[name] = statuses
    assert refused == {}
    assert AuditEvent.objects.count() == events  # nothing was done


def test_the_lists_show_only_the_organisations_own_rows(client, street_staff, theirs, api_keys):
    from gongkai.credit.models import Submission
    from gongkai.requests.models import DisclosureRequest

    client.force_login(street_staff)
    markers = [
        theirs["publication"].title,
        theirs["inquiry"].subject,
        *DisclosureRequest.objects.filter(organization=theirs["bureau"]).values_list("tracking_code", flat=True)[:10],
        *Submission.objects.exclude(organization=street_staff.organization).values_list("file_name", flat=True)[:10],
    ]
    shown = {}
    for name in sorted(LISTS):
        response = client.get(reverse(name), follow=True, **_headers(name, api_keys))  # stats: to its own dashboard
        assert response.status_code in (200, 403, 405), (name, response.status_code)  # 405: an upload (POST)
        body = response.content.decode()
        found = [marker for marker in markers if marker and marker in body]
        if found:
            shown[name] = found
    assert shown == {}


def test_an_administrator_of_the_district_sees_every_organisations_reports_and_statistics(client, theirs):
    client.force_login(User.objects.get(username="admin"))
    for name in ("reports:detail", "stats:dashboard"):
        assert client.get(reverse(name, args=ORGANISATION_SCOPED[name](theirs))).status_code == 200, name
