"""The permission matrix (issue 9, item 4): every staff screen and API endpoint, asked by each role of the
organisation that owns the object — and by staff with no role and by someone not signed in — with the object in the
state the action needs (a draft to edit, a submitted item to approve, a held 双公示 submission to release …).

Each row names the roles that may; every other role must be refused (403, or 401 for the API; the login page for
someone not signed in), and nothing may fail. Another organisation's objects are refused to every role in
tests/test_isolation.py; together they cover each role × each action × own and others' data. A route missing from
the table fails the test: a new staff screen must say who may use it.
"""

import datetime

import pytest
from credit_files import csv_file, licence
from django.db import transaction
from django.test import Client
from django.urls import reverse

from gongkai.orgs.models import Organization, User
from tests.test_isolation import routes

pytestmark = pytest.mark.django_db

WHO = ("publisher", "reviewer", "handler", "head", "credit", "submitter", "admin", "norole", "anonymous")
PUB, REV, HDL, HEAD, CREDIT, SUB, ADMIN = "publisher", "reviewer", "handler", "head", "credit", "submitter", "admin"
CATALOG = {PUB, REV, HEAD}  # the catalogue's screens: those who write, review or answer for publications
REQUESTS = {HDL, HEAD}  # 依申请公开: the handlers and the office head
REPORTS = {PUB, HDL, HEAD, ADMIN}  # the annual report: prepared by the office, overseen by the administrator
CREDIT_OFFICE = {CREDIT}  # the 双公示 office's own screens (district-wide)

# route: (method, the URL's arguments from the objects, who may). Pages are asked with GET, actions with POST.
MATRIX = {
    "orgs:workbench": ("get", lambda o: [], {PUB, REV, HDL, HEAD, CREDIT, SUB, ADMIN, "norole"}),
    # 政府信息公开: drafting, review, publication
    "catalog_staff:list": ("get", lambda o: [], CATALOG),
    "catalog_staff:new": ("get", lambda o: [], {PUB}),
    "catalog_staff:review": ("get", lambda o: [], {REV}),
    "catalog_staff:uninterpreted": ("get", lambda o: [], {HEAD, ADMIN}),
    "catalog_staff:detail": ("get", lambda o: [o["draft"].pk], CATALOG),
    "catalog_staff:edit": ("get", lambda o: [o["draft"].pk], {PUB}),
    "catalog_staff:attachment_add": ("post", lambda o: [o["draft"].pk], {PUB}),
    "catalog_staff:attachment": ("get", lambda o: [o["attachment"].publication_id, o["attachment"].pk], CATALOG),
    "catalog_staff:attachment_remove": ("post", lambda o: [o["attachment"].publication_id, o["attachment"].pk], {PUB}),
    "catalog_staff:attachment_redacted": (
        "post", lambda o: [o["flagged"].publication_id, o["flagged"].pk], {PUB}
    ),  # an attachment of an item in review with an open finding
    "catalog_staff:submit": ("post", lambda o: [o["draft"].pk], {PUB}),
    "catalog_staff:approve": ("post", lambda o: [o["submitted"].pk], {REV}),
    "catalog_staff:return": ("post", lambda o: [o["submitted"].pk], {REV}),
    # Publishing is the publisher's or the reviewer's who approved it (the reviewer may publish at once).
    "catalog_staff:publish": ("post", lambda o: [o["approved"].pk], {PUB, REV}),
    "catalog_staff:schedule": ("post", lambda o: [o["approved"].pk], {PUB, REV}),
    "catalog_staff:cancel_schedule": ("post", lambda o: [o["scheduled"].pk], {PUB, REV}),
    "catalog_staff:withdraw": ("post", lambda o: [o["published"].pk], {PUB, HEAD}),
    "catalog_staff:validity": ("post", lambda o: [o["published"].pk], {PUB, HEAD}),
    "catalog_staff:finding_mask": ("post", lambda o: [o["finding"].publication_id, o["finding"].pk], {REV}),
    "catalog_staff:finding_dismiss": ("post", lambda o: [o["finding"].publication_id, o["finding"].pk], {REV}),
    # 依申请公开 and 咨询
    "requests_staff:list": ("get", lambda o: [], REQUESTS),
    "requests_staff:new": ("get", lambda o: [], REQUESTS),
    "requests_staff:inquiries": ("get", lambda o: [], {REV, HDL, HEAD}),
    "requests_staff:detail": ("get", lambda o: [o["request"].pk], REQUESTS),
    "requests_staff:attachment": ("get", lambda o: [o["request"].pk, o["request_attachment"].pk], REQUESTS),
    "requests_staff:letter_edit": ("post", lambda o: [o["request"].pk], REQUESTS),
    "requests_staff:letter_issue": ("post", lambda o: [o["request"].pk], REQUESTS),
    "requests_staff:letter_download": ("get", lambda o: [o["request"].pk], REQUESTS),
    "requests_staff:step": ("post", lambda o: [o["request"].pk, "assign"], REQUESTS),
    "requests_staff:inquiry": ("get", lambda o: [o["inquiry"].pk], {REV, HDL, HEAD}),
    "requests_staff:inquiry_publish": ("post", lambda o: [o["inquiry"].pk], {REV, HDL, HEAD}),
    # 双公示
    "credit_staff:list": ("get", lambda o: [], {CREDIT, SUB, ADMIN}),
    "credit_staff:upload": ("get", lambda o: [], {CREDIT, SUB, ADMIN}),
    "credit_staff:template": ("get", lambda o: ["licence", "csv"], {CREDIT, SUB, ADMIN}),
    "credit_staff:detail": ("get", lambda o: [o["submission"].pk], {CREDIT, SUB, ADMIN}),
    "credit_staff:annotated": ("get", lambda o: [o["submission"].pk], {CREDIT, SUB, ADMIN}),
    "credit_staff:queue": ("get", lambda o: [], CREDIT_OFFICE),
    "credit_staff:release": ("post", lambda o: [o["submission"].pk], CREDIT_OFFICE),
    "credit_staff:penalties": ("get", lambda o: [], CREDIT_OFFICE),
    "credit_staff:penalty": ("get", lambda o: [o["penalty"].pk], CREDIT_OFFICE),
    "credit_staff:penalty_severity": ("post", lambda o: [o["penalty"].pk], CREDIT_OFFICE),
    "credit_staff:repairs": ("get", lambda o: [], CREDIT_OFFICE),
    "credit_staff:repair": ("get", lambda o: [o["repair"].pk], CREDIT_OFFICE),
    "credit_staff:repair_file": ("get", lambda o: [o["repair"].pk, o["repair_file"].pk], CREDIT_OFFICE),
    "credit_staff:repair_step": ("post", lambda o: [o["repair"].pk, "approve"], CREDIT_OFFICE),
    "upstream:status": ("get", lambda o: [], {CREDIT, ADMIN}),
    "upstream:problems": ("get", lambda o: ["xinyong-zibo"], {CREDIT, ADMIN}),
    "upstream:queue_unqueued": ("post", lambda o: ["xinyong-zibo"], {CREDIT, ADMIN}),
    "upstream:record": ("get", lambda o: ["penalty", o["penalty"].pk], {CREDIT, ADMIN}),
    # statistics and the annual report
    "stats:index": ("get", lambda o: [], {HEAD, CREDIT, SUB, ADMIN}),
    "stats:dashboard": ("get", lambda o: [o["bureau"].pk, o["year"]], {HEAD, CREDIT, SUB, ADMIN}),
    "stats:csv": ("get", lambda o: [o["bureau"].pk, o["year"], "requests"], {HEAD, ADMIN}),
    "stats:credit": ("get", lambda o: [o["year"]], {CREDIT, ADMIN}),
    "stats:credit_csv": ("get", lambda o: [o["year"]], {CREDIT, ADMIN}),
    "reports:index": ("get", lambda o: [], REPORTS),
    "reports:import": ("get", lambda o: [o["bureau"].pk], REPORTS - {ADMIN}),
    "reports:detail": ("get", lambda o: [o["bureau"].pk, o["year"]], REPORTS),
    "reports:prepare": ("post", lambda o: [o["bureau"].pk, o["year"]], REPORTS),
    "reports:edit": ("post", lambda o: [o["bureau"].pk, o["year"]], REPORTS),
    "reports:recount": ("post", lambda o: [o["bureau"].pk, o["year"]], REPORTS),
    "reports:sign_off": ("post", lambda o: [o["bureau"].pk, o["year"]], REPORTS),
    "reports:reopen": ("post", lambda o: [o["bureau"].pk, o["year"]], REPORTS),
    "reports:publish": ("post", lambda o: [o["bureau"].pk, o["year"]], REPORTS),
    "reports:compare": ("get", lambda o: [o["bureau"].pk, o["year"]], REPORTS),
    "reports:download": ("get", lambda o: [o["bureau"].pk, o["year"], "docx"], REPORTS),
    "reports:roll_up": ("get", lambda o: [o["government"].pk, o["year"]], {ADMIN}),
}


def outcome(response, who: str) -> str:
    status = response.status_code
    if status in (401, 403):
        return "refused"
    if status == 302 and who == "anonymous" and response["Location"].startswith("/accounts/login/"):
        return "refused"
    if status == 404:
        return "not found"
    if status >= 500:
        return "error"
    return "allowed"


def _file(settings, name: str, content: bytes = b"%PDF-1.4 permission matrix") -> str:
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return name


@pytest.fixture
def own(full_demo, demo, settings, tmp_path):
    """The bureau's objects, each in the state its actions need; its staff, one of each role (the demo's submitter
    moves to the bureau for the test), and one with no role."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from gongkai.catalog import services as catalog
    from gongkai.catalog.models import Attachment, Column
    from gongkai.credit import services as credit
    from gongkai.credit.models import CreditSettings, Penalty, RepairApplication, RepairFile
    from gongkai.reports.models import AnnualReport
    from gongkai.requests import inquiries
    from gongkai.requests.models import DisclosureRequest, RequestAttachment
    from gongkai.review.models import Finding

    settings.MEDIA_ROOT = tmp_path / "media"
    bureau = Organization.objects.get(slug="zdqfzhggj")
    User.objects.filter(username="submitter").update(organization=bureau, department=None)
    User.objects.create_user("norole", password="x", organization=bureau, display_name="无角色")
    writer, reviewer = User.objects.get(username="publisher"), User.objects.get(username="reviewer")

    def draft(title: str):
        return catalog.create_draft(
            by=writer, publisher=bureau, title=title, column=Column.objects.get(code="regulations"),
            issued_on=timezone.localdate() - datetime.timedelta(days=1), body="<p>正文</p>",
        )  # fmt: skip

    submitted = catalog.submit(draft("待审核"), by=writer)
    approved = catalog.approve(catalog.submit(draft("已审核"), by=writer), by=reviewer)
    scheduled = catalog.approve(catalog.submit(draft("定时发布"), by=writer), by=reviewer)
    catalog.publish(scheduled, by=writer, at=timezone.now() + datetime.timedelta(days=1))
    published = catalog.publish(catalog.approve(catalog.submit(draft("已发布"), by=writer), by=reviewer), by=writer)
    drafted = draft("草稿")
    attachment = Attachment.objects.create(
        publication=drafted, file=_file(settings, "attachments/matrix.pdf"), original_name="附件.pdf", kind="pdf",
        content_type="application/pdf", extension=".pdf", size=27, sha256="0" * 64,
    )  # fmt: skip
    now = timezone.now()
    Finding.objects.create(
        publication=drafted, attachment=attachment, kind="phone", field="attachment", offset=0, length=11,
        masked="138****0000", excerpt="138****0000", fingerprint="matrix-a", found_at=now,
    )  # fmt: skip
    finding = Finding.objects.create(
        publication=submitted, kind="phone", field="body", offset=0, length=11, masked="138****0000",
        excerpt="138****0000", fingerprint="matrix-b", found_at=now,
    )  # fmt: skip
    flagged = Attachment.objects.create(
        publication=submitted, file=_file(settings, "attachments/flagged.pdf"), original_name="名单.pdf", kind="pdf",
        content_type="application/pdf", extension=".pdf", size=27, sha256="1" * 64,
    )  # fmt: skip
    Finding.objects.create(
        publication=submitted, attachment=flagged, kind="phone", field="attachment", offset=0, length=11,
        masked="138****0000", excerpt="138****0000", fingerprint="matrix-c", found_at=now,
    )  # fmt: skip

    application = DisclosureRequest.objects.filter(organization=bureau, letter__issued_on__isnull=False).first()
    assert application is not None, "the demo has no answered application of the bureau"
    request_attachment = RequestAttachment.objects.create(
        request=application, file=_file(settings, "requests/matrix.pdf"), original_name="身份证.pdf",
        content_type="application/pdf", size=27,
    )  # fmt: skip
    letter = application.letter
    letter.file = _file(settings, "letters/matrix.docx", b"PK")
    letter.save(update_fields=["file"])
    inquiry, _created = inquiries.ask(
        organization=bureau, submission_key="matrix", client_address="127.0.0.1", name="王某", contact="13800000000",
        subject="咨询", question="请问……",
    )  # fmt: skip

    # A submission held for the credit office, with a row returned (so that it has an annotated copy).
    CreditSettings.objects.update_or_create(organization=bureau, defaults={"hold_for_review": True})
    upload = SimpleUploadedFile("matrix.csv", csv_file(licence(9001), licence(9002, 统一社会信用代码="")).getvalue())
    submission, _report = credit.import_file(upload, upload.name, organization=bureau, accept_valid=True)
    upload.seek(0)
    credit.keep_original(submission, upload)  # as an upload through the screens keeps it
    report = AnnualReport.objects.get(organization=bureau, year=timezone.localdate().year - 1)
    AnnualReport.objects.create(organization=bureau, year=report.year - 1, figures=report.figures)
    penalty = Penalty.objects.filter(is_public=True).first()
    repair = RepairApplication.objects.create(
        penalty=penalty, tracking_code="MATRIX0001", applicant_kind="subject", applicant_name="某公司",
        contact="13800000000",
    )  # fmt: skip
    repair_file = RepairFile.objects.create(
        application=repair, kind="commitment", file=_file(settings, "credit/repairs/matrix.pdf"),
        original_name="承诺书.pdf", content_type="application/pdf", size=27,
    )  # fmt: skip
    return {
        "bureau": bureau,
        "government": Organization.objects.get(slug="zdqrmzf"),
        "year": timezone.localdate().year - 1,
        "draft": drafted,
        "submitted": submitted,
        "approved": approved,
        "scheduled": scheduled,
        "published": published,
        "attachment": attachment,
        "flagged": flagged,
        "finding": finding,
        "request": application,
        "request_attachment": request_attachment,
        "inquiry": inquiry,
        "submission": submission,
        "penalty": penalty,
        "repair": repair,
        "repair_file": repair_file,
    }


# The API's endpoints for staff, signed with a person's API token (the organisation's 双公示 submission key is not a
# person's and has no role: tests/test_isolation.py and the schemathesis runs cover it). The others are public.
API = {
    "api:requests": ("post", lambda o: [], REQUESTS),  # with an application for the bureau (below)
    "api:request": ("get", lambda o: [o["request"].tracking_code], REQUESTS),
}
API_WITHOUT_ROLES = {
    "api:credit-submissions", "api:schema", "api:organizations", "api:publications", "api:publication",
    "api:working-days-add", "api:credit-licences", "api:credit-penalties",
}  # fmt: skip


def test_every_staff_screen_and_api_endpoint_is_in_the_matrix():
    assert sorted(set(routes()) - set(MATRIX) - set(API) - API_WITHOUT_ROLES) == []


def _asked(name: str, method: str, url: str, who: str):
    """``who`` asks for ``url``: signed in to the site, or for the API with their personal token."""
    from rest_framework.authtoken.models import Token

    client = Client(raise_request_exception=False)
    headers = {}
    if who != "anonymous" and name.startswith("api:"):
        token, _created = Token.objects.get_or_create(user=User.objects.get(username=who))
        headers["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    elif who != "anonymous":
        client.force_login(User.objects.get(username=who))
    if method == "post" and name.startswith("api:"):
        from test_api_requests import BODY

        return client.post(url, BODY, content_type="application/json", **headers)
    return getattr(client, method)(url, **headers)


def test_each_role_may_do_what_its_row_says_and_nothing_else(own):
    found = {}
    for name, (method, args, allowed) in {**MATRIX, **API}.items():
        url = reverse(name, args=args(own))
        row = {}
        for who in WHO:
            point = transaction.savepoint()
            row[who] = outcome(_asked(name, method, url, who), who)
            transaction.savepoint_rollback(point)
        expected = {who: "allowed" if who in allowed else "refused" for who in WHO}
        if row != expected:
            found[name] = {who: got for who, got in row.items() if got != expected[who]}
    assert found == {}
