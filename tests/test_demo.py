"""`gongkai demo`: the whole demo district with its publications, loaded idempotently."""

import pytest
from django.apps import apps
from django.core import serializers

from gongkai import demo
from gongkai.catalog.models import Column, Publication

pytestmark = pytest.mark.django_db


def snapshot() -> str:
    labels = {
        "orgs",
        "audit",
        "portal",
        "jobs",
        "auth",
        "catalog",
        "review",
        "search",
        "disclosure_requests",
        "credit",
        "upstream",
    }
    return "\n".join(
        serializers.serialize("json", model.objects.order_by("pk"))
        for model in apps.get_models()
        if model._meta.app_label in labels and model._meta.managed
    )


def test_the_demo_publishes_about_thirty_items_over_the_columns(full_demo):
    published = Publication.objects.published()
    assert published.count() >= 30
    used = set(published.values_list("column__code", flat=True))
    assert {"rules", "regulations", "plans", "finance", "annual-reports", "credit-news"} <= used
    assert Column.objects.filter(section="credit", publications__isnull=False).distinct().count() == 3
    assert published.filter(attachments__isnull=False).distinct().count() >= 3


def test_the_demo_bureau_has_about_forty_applications_over_the_outcomes_some_from_last_year(full_demo):
    from gongkai.requests import outcomes
    from gongkai.requests.models import DisclosureRequest

    applications = DisclosureRequest.objects.filter(organization__uscc="1137030300421716XM")
    assert 35 <= applications.count() <= 45
    used = set(applications.closed().values_list("outcome", flat=True))
    assert {code[0] for code in used} == {"1", "2", "3", "4", "5", "6"}
    assert used == set(outcomes.BY_CODE)  # every leaf of table 三
    carried_over = applications.filter(received_on__year=2025, closed_on__year=2026)
    assert carried_over.count() >= 2
    assert applications.open().exists()
    assert applications.filter(remedies__isnull=False).exists()
    assert all(application.letter.is_issued for application in applications.closed())


def test_every_organisation_of_the_district_has_its_site_content_and_a_report_on_last_year(full_demo):
    from django.utils import timezone

    from gongkai.orgs.models import Organization, OrganizationKind
    from gongkai.reports.models import AnnualReport

    year = timezone.localdate().year - 1
    organizations = Organization.objects.active()
    assert organizations.count() >= 5
    for org in organizations:
        assert Publication.objects.published().filter(publisher=org).count() >= 3, org.name
        assert org.disclosure_requests.count() >= 3, org.name
        assert org.disclosure_requests.closed().filter(letter__issued_on__isnull=True).count() == 0, org.name
        report = AnnualReport.objects.get(organization=org, year=year)
        government = org.kind == OrganizationKind.GOVERNMENT
        assert report.status == (AnnualReport.Status.DRAFT if government else AnnualReport.Status.PUBLISHED), org.name
    # The government's draft is the roll-up: its table 三 received counts are its members' and its own.
    government = organizations.get(kind=OrganizationKind.GOVERNMENT)
    new = AnnualReport.objects.get(organization=government, year=year).figures["table3"]["new"][-1]  # 总计
    members = AnnualReport.objects.filter(year=year).exclude(organization=government)
    members = members.exclude(organization__kind=OrganizationKind.INSTITUTION)  # not a default member
    own = government.disclosure_requests.filter(received_on__year=year).count()
    assert own and members.count() == 4
    assert new == own + sum(report.figures["table3"]["new"][-1] for report in members)


def test_the_2017_annual_report_keeps_its_index_number(full_demo):
    report = Publication.objects.get(index_no="1137030300421716XM/2018-1374999")
    assert report.doc_no_display == "无文号"
    assert str(report.issued_on) == "2018-03-28"
    assert report.column.code == "annual-reports"


def test_every_other_item_got_an_index_number_by_publishing(full_demo):
    for publication in Publication.objects.published().exclude(index_no__startswith="1137030300421716XM/2018-"):
        uscc, _, rest = publication.index_no.partition("/")
        assert uscc == publication.publisher.uscc
        assert rest.startswith(f"{publication.published_at.year}-")


def test_a_draft_waits_in_the_review_queue_with_what_the_screening_found(full_demo):
    from gongkai.review.models import Finding

    waiting = Publication.objects.get(status=Publication.Status.SUBMITTED)
    assert waiting.publisher.uscc == "1137030300421716XM" and waiting.author.username == "publisher"
    assert sorted(Finding.objects.about(waiting).open().values_list("kind", flat=True)) == [
        "mobile",
        "personal_name",
        "resident_id",
    ]


def test_expired_and_repealed_documents_carry_their_dates(full_demo):
    repealed = Publication.objects.get(validity="repealed")
    assert repealed.repealed_on is not None
    expired = Publication.objects.get(validity="expired")
    assert expired.expired_on is not None


def test_the_demo_delivered_every_public_credit_record_to_the_fake_xinyong_zibo_with_a_receipt(full_demo):
    from gongkai.credit.models import RECORD_MODELS
    from gongkai.upstream.models import Attempt, AttemptItem, OutboxItem, Upstream

    zibo = Upstream.objects.get(code="xinyong-zibo")
    assert zibo.is_enabled and zibo.endpoint == "http://127.0.0.1:8765"
    public = sum(model.objects.public().count() for model in RECORD_MODELS.values())
    delivered = OutboxItem.objects.of(zibo).filter(status="delivered")
    assert public > 100 and delivered.count() == public
    assert not delivered.filter(receipt="").exists()
    assert not OutboxItem.objects.exclude(status="delivered").exists()
    # What the screens show: a 500 that had been applied, its re-send answered "duplicate", a half-answered batch.
    assert Attempt.objects.filter(upstream=zibo, http_status=500).count() == 1
    assert AttemptItem.objects.filter(outcome="duplicate").exists()
    assert AttemptItem.objects.filter(outcome="unanswered").exists()
    assert not Upstream.objects.exclude(code="xinyong-zibo").filter(is_enabled=True).exists()


def test_loading_the_demo_again_changes_nothing(full_demo):
    before = snapshot()
    assert demo.load() == []
    assert snapshot() == before


def test_the_demo_command_names_the_credit_file_with_errors(full_demo):
    from io import StringIO

    from django.core.management import call_command

    from gongkai.credit.demo import ERROR_FILE

    out = StringIO()
    call_command("demo", stdout=out)
    assert "演示数据已存在" in out.getvalue()
    assert f"双公示示例文件（含错误）/ demo credit file with errors (for submitter): {ERROR_FILE}" in out.getvalue()
    assert ERROR_FILE.is_file()
