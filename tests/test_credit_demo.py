"""The 双公示 demo: about 2,000 records of four departments over two years, through the real import path, and the
demo upload file with errors that the department submitter can try."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gongkai.credit import demo as credit_demo
from gongkai.credit import services, timeliness
from gongkai.credit.models import Licence, Penalty, RecordVersion, Submission
from gongkai.demo import load_district
from gongkai.lib.identifiers import check_resident_id, mask_resident_id
from gongkai.orgs.models import Organization

pytestmark = pytest.mark.django_db

D = datetime.date
MODELS = (Licence, Penalty)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The district and its 双公示 demo, loaded once for this module (about 14 s on SQLite)."""
    with django_db_blocker.unblock():
        load_district()
        created = credit_demo.load_credit()
        yield created
        call_command("flush", interactive=False, verbosity=0)


def every_record():
    for model in MODELS:
        yield from model.objects.select_related("source", "submission")


def test_the_demo_has_about_two_thousand_records_of_four_organisations_over_two_years(loaded):
    assert 2000 <= Licence.objects.count() + Penalty.objects.count() <= 2200
    assert Licence.objects.count() >= 800 and Penalty.objects.count() >= 800
    sources = set(Licence.objects.values_list("source__uscc", flat=True))
    sources |= set(Penalty.objects.values_list("source__uscc", flat=True))
    assert len(sources) >= 4
    assert credit_demo.APPROVAL_USCC in sources and "1137030300421716XM" in sources
    years = {record.decision_date.year for record in every_record()}
    assert {2025, 2026} <= years
    assert min(r.decision_date for r in every_record()) >= credit_demo.FIRST_DAY
    assert max(r.decision_date for r in every_record()) <= credit_demo.REFERENCE_DAY


def test_each_record_is_its_own_organisations_decision_and_came_in_a_demo_file(loaded):
    for record in every_record():
        prefix = "XK" if isinstance(record, Licence) else "CF"
        source_field = "XK_LYDWDM" if prefix == "XK" else "CF_SJLYDM"
        assert record.authority_uscc == record.source.uscc == record.data[source_field]
        assert record.submission.organization_id == record.source_id
        assert record.submission.channel == "demo"
    assert not Submission.objects.exclude(outcome=Submission.Outcome.ACCEPTED).exists()


def test_the_history_is_dated_as_the_departments_sent_it(loaded):
    sent = set(Submission.objects.values_list("submitted_at", flat=True))
    assert min(sent).astimezone(credit_demo.SHANGHAI).date() < D(2025, 1, 1)
    assert max(sent).astimezone(credit_demo.SHANGHAI).date() <= credit_demo.REFERENCE_DAY
    for record in every_record():
        assert record.updated_at == record.submission.submitted_at
        assert record.created_at in sent and record.created_at <= record.updated_at
        if record.first_published_at is not None:
            assert record.first_published_at in sent
            assert record.decision_date < record.first_published_at.astimezone(credit_demo.SHANGHAI).date()


def test_some_records_are_late_and_each_submission_lists_its_own(loaded):
    published = sum(model.objects.filter(first_published_at__isnull=False).count() for model in MODELS)
    late = sum(timeliness.late(model.objects.all()).count() for model in MODELS)
    assert 0.03 * published < late < 0.2 * published
    for submission in Submission.objects.all():
        model = Licence if submission.record_type == "licence" else Penalty
        made_public_then = model.objects.filter(
            source=submission.organization, first_published_at=submission.submitted_at
        )
        expected = set(timeliness.late(made_public_then).values_list("decision_number", flat=True))
        assert {entry["decision_number"] for entry in submission.late} == expected


def test_a_few_natural_persons_whose_id_numbers_are_right(loaded):
    people = Penalty.objects.filter(subject_kind="自然人")
    assert 3 <= people.values("subject_name").distinct().count() <= 20
    for record in people:
        assert check_resident_id(record.data["CF_XDR_ZJHM"], today=record.decision_date).valid


def test_a_natural_persons_id_number_appears_only_masked_on_the_public_pages(loaded, client):
    record = Penalty.objects.public().filter(subject_kind="自然人").first()
    id_number = record.data["CF_XDR_ZJHM"]
    detail = client.get(reverse("credit:detail", args=["penalty", record.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert record.subject_name in page and mask_resident_id(id_number) in page
    assert id_number not in page
    listing = client.get(reverse("credit:records"), {"type": "penalty", "q": record.subject_name})
    assert record.decision_number in listing.content.decode()
    assert id_number not in listing.content.decode()


def test_warning_only_penalties_are_kept_from_the_public(loaded):
    warnings = Penalty.objects.filter(categories="警告")
    assert 20 <= warnings.count() <= 0.15 * Penalty.objects.count()
    assert not warnings.filter(is_public=True).exists()
    assert Penalty.objects.filter(categories__contains="警告、").public().exists()  # a warning with a fine is
    assert Penalty.objects.filter(categories__contains="罚款", fine__gt=0).public().count() > 400


def test_fines_are_in_ten_thousand_yuan(loaded):
    fines = list(Penalty.objects.filter(fine__isnull=False).values_list("fine", flat=True))
    assert min(fines) > 0 and max(fines) <= 20
    assert any(fine != fine.to_integral_value() for fine in fines)  # e.g. 0.5 (5,000 yuan)


def test_some_licences_were_revoked_later_and_left_public_view(loaded):
    revoked = Licence.objects.filter(status="撤销").select_related("submission")
    assert revoked.count() == 10
    for licence in revoked:
        assert not licence.is_public
        assert licence.first_published_at is not None  # it was public until revoked
        assert licence.first_published_at < licence.submission.submitted_at
        (before,) = RecordVersion.objects.filter(record_type="licence", record_id=licence.pk)
        assert before.data["XK_ZT"] == "有效"
        assert before.created_at == before.submission.submitted_at == licence.first_published_at


def test_loading_again_creates_nothing(loaded):
    assert loaded  # the first load created something
    before = (Submission.objects.count(), Licence.objects.count(), Penalty.objects.count())
    assert credit_demo.load_credit() == []
    assert (Submission.objects.count(), Licence.objects.count(), Penalty.objects.count()) == before


def test_the_demo_is_the_same_whatever_the_day(loaded):
    orgs = {org.uscc: org for org in Organization.objects.all()}
    with time_machine.travel(datetime.datetime(2031, 5, 1, tzinfo=datetime.UTC)):
        later = credit_demo.plan(orgs)
    now = credit_demo.plan(orgs)
    assert [(b.stream.uscc, b.submitted_at, b.rows) for b in later] == [
        (b.stream.uscc, b.submitted_at, b.rows) for b in now
    ]


# --- the demo upload file with errors ------------------------------------------------------------------------------

ERRORS = [  # (row as the spreadsheet shows it, column, field)
    (4, "C", "XK_XDR_SHXYM"),  # a USCC with a wrong check character
    (6, "S", "XK_NR"),  # 许可内容 left empty
    (8, "T", "XK_JDRQ"),  # 2026/13/01
    (10, "O", "XK_WSH"),  # the decision number of row 5 again
]


def upload_error_file(submitter, **options):
    with open(credit_demo.ERROR_FILE, "rb") as fileobj:
        return services.import_file(
            fileobj,
            credit_demo.ERROR_FILE.name,
            organization=submitter.organization,
            by=submitter,
            channel="portal",
            today=D(2026, 11, 2),
            **options,
        )


def test_the_error_file_is_returned_whole_with_its_four_errors(submitter):
    submission, report = upload_error_file(submitter)
    assert submission.outcome == Submission.Outcome.REJECTED
    assert (report.rows, report.accepted, report.rejected) == (10, 0, 10)
    assert [(e["row"], e["column"], e["field"]) for e in report.errors] == ERRORS
    numbers = [f"张审批食许〔2026〕{n}号" for n in range(9001, 9011)]
    assert not Licence.objects.filter(decision_number__in=numbers).exists()


def test_accepting_the_valid_rows_keeps_exactly_the_six_good_ones(submitter):
    submission, report = upload_error_file(submitter, accept_valid=True)
    assert submission.outcome == Submission.Outcome.PARTIAL
    assert (report.rows, report.accepted, report.rejected) == (10, 6, 4)
    assert [(e["row"], e["column"], e["field"]) for e in report.errors] == ERRORS
    kept = Licence.objects.filter(submission=submission)
    assert {licence.decision_number for licence in kept} == {
        f"张审批食许〔2026〕{n}号" for n in (9001, 9002, 9004, 9006, 9008, 9010)
    }
    assert {licence.source.uscc for licence in kept} == {submitter.organization.uscc}


def test_the_error_file_holds_what_error_file_rows_describe():
    def cells(data: bytes) -> list[list]:
        return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()

    assert cells(credit_demo.ERROR_FILE.read_bytes()) == cells(credit_demo.error_file_bytes())
    assert credit_demo.error_file_rows()[0]["XK_LYDWDM"] == credit_demo.APPROVAL_USCC
