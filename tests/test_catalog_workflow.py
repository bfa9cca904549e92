"""The publication workflow's services: index numbers (索引号), four eyes, reasons, and concurrency."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from gongkai.catalog import services
from gongkai.catalog.models import Column, IndexNumberPolicy, IndexNumberScope, Publication
from gongkai.orgs import roles
from gongkai.orgs.models import Organization, User
from gongkai.orgs.services import grant_role

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUREAU_USCC = "1137030300421716XM"
APPROVAL_BUREAU_USCC = "11370303MB2858350L"  # 张店区行政审批服务局


@pytest.fixture
def approval_bureau_staff(demo):
    """A publisher and a reviewer of 张店区行政审批服务局."""
    organization = Organization.objects.get(uscc=APPROVAL_BUREAU_USCC)
    staff = []
    for username, role in (("spj-publisher", roles.PUBLISHER), ("spj-reviewer", roles.REVIEWER)):
        user = User.objects.create_user(username, organization=organization, display_name=username)
        grant_role(user, role, by=None)
        staff.append(user)
    return organization, *staff


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def approved(author, reviewer, organization, title: str = "关于开展2026年度重点项目申报工作的通知") -> Publication:
    publication = services.create_draft(
        by=author,
        publisher=organization,
        title=title,
        issued_on=datetime.date(2025, 12, 1),
        column=Column.objects.get(code="projects"),
    )
    services.submit(publication, by=author)
    return services.approve(publication, by=reviewer)


def published(author, reviewer, organization, title: str = "一条信息") -> Publication:
    return services.publish(approved(author, reviewer, organization, title), by=reviewer)


def set_policy(organization, **values) -> None:
    IndexNumberPolicy.objects.update_or_create(organization=organization, defaults=values)


# --- index numbers ----------------------------------------------------------------------------------


def test_the_index_number_is_the_uscc_the_year_and_a_five_digit_serial_by_default(publisher, reviewer, bureau):
    with time_machine.travel(at(2026, 4, 1, 10, 0), tick=False):
        first = published(publisher, reviewer, bureau, "第一条")
        second = published(publisher, reviewer, bureau, "第二条")

    assert first.index_no == f"{BUREAU_USCC}/2026-00001"
    assert second.index_no == f"{BUREAU_USCC}/2026-00002"


def test_the_serial_width_is_the_organisations_policy(publisher, reviewer, bureau):
    set_policy(bureau, serial_width=7)

    with time_machine.travel(at(2026, 4, 1, 10, 0), tick=False):
        publication = published(publisher, reviewer, bureau)

    assert publication.index_no == f"{BUREAU_USCC}/2026-0000001"


def test_by_default_each_year_starts_again_at_one(publisher, reviewer, bureau):
    with time_machine.travel(at(2026, 12, 30, 10, 0), tick=False):
        published(publisher, reviewer, bureau, "年末一")
        published(publisher, reviewer, bureau, "年末二")
    with time_machine.travel(at(2027, 1, 4, 9, 0), tick=False):
        new_year = published(publisher, reviewer, bureau, "新年第一条")

    assert new_year.index_no == f"{BUREAU_USCC}/2027-00001"


def test_the_year_is_the_year_in_china_when_it_goes_public(publisher, reviewer, bureau):
    # 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Asia/Shanghai.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC), tick=False):
        publication = published(publisher, reviewer, bureau)

    assert publication.index_no == f"{BUREAU_USCC}/2027-00001"


def test_a_continuous_scope_carries_the_serial_into_the_next_year(publisher, reviewer, bureau):
    set_policy(bureau, scope=IndexNumberScope.ORGANIZATION)
    with time_machine.travel(at(2026, 12, 30, 10, 0), tick=False):
        published(publisher, reviewer, bureau, "年末")
    with time_machine.travel(at(2027, 1, 4, 9, 0), tick=False):
        new_year = published(publisher, reviewer, bureau, "新年")

    assert new_year.index_no == f"{BUREAU_USCC}/2027-00002"


def test_a_site_wide_scope_shares_one_serial_between_organisations(publisher, reviewer, bureau, approval_bureau_staff):
    approval_bureau, approval_publisher, approval_reviewer = approval_bureau_staff
    set_policy(bureau, scope=IndexNumberScope.SITE, serial_width=7)
    set_policy(approval_bureau, scope=IndexNumberScope.SITE, serial_width=7)

    with time_machine.travel(at(2026, 4, 1, 10, 0), tick=False):
        first = published(publisher, reviewer, bureau)
        second = published(approval_publisher, approval_reviewer, approval_bureau)
        third = published(publisher, reviewer, bureau, "再一条")

    assert [first.index_no, second.index_no, third.index_no] == [
        f"{BUREAU_USCC}/2026-0000001",
        f"{APPROVAL_BUREAU_USCC}/2026-0000002",
        f"{BUREAU_USCC}/2026-0000003",
    ]


def test_organisations_number_separately_by_default(publisher, reviewer, bureau, approval_bureau_staff):
    approval_bureau, approval_publisher, approval_reviewer = approval_bureau_staff

    with time_machine.travel(at(2026, 4, 1, 10, 0), tick=False):
        published(publisher, reviewer, bureau)
        theirs = published(approval_publisher, approval_reviewer, approval_bureau)

    assert theirs.index_no == f"{APPROVAL_BUREAU_USCC}/2026-00001"


def test_an_index_number_is_never_reused_after_withdrawal(publisher, reviewer, bureau):
    with time_machine.travel(at(2026, 4, 1, 10, 0), tick=False):
        withdrawn = services.withdraw(published(publisher, reviewer, bureau, "撤回的"), by=publisher, reason="有误")
        after = published(publisher, reviewer, bureau, "之后的")

    withdrawn.refresh_from_db()
    assert withdrawn.index_no == f"{BUREAU_USCC}/2026-00001"
    assert withdrawn.status == Publication.Status.WITHDRAWN
    assert after.index_no == f"{BUREAU_USCC}/2026-00002"


def test_no_index_number_before_publication_and_published_at_is_the_moment_it_went_public(publisher, reviewer, bureau):
    with time_machine.travel(at(2026, 4, 1, 9, 0), tick=False) as clock:
        publication = approved(publisher, reviewer, bureau)
        assert publication.index_no is None
        clock.move_to(at(2026, 4, 1, 15, 45))
        publication = services.publish(publication, by=reviewer)

    assert publication.published_at == at(2026, 4, 1, 15, 45)


# --- the workflow's rules ---------------------------------------------------------------------------


def test_it_rejects_a_reviewer_who_wrote_the_draft(reviewer, bureau):
    grant_role(reviewer, roles.PUBLISHER, by=None)
    reviewer = User.objects.get(pk=reviewer.pk)
    publication = services.create_draft(
        by=reviewer,
        publisher=bureau,
        title="自己起草的",
        issued_on=datetime.date(2025, 12, 1),
        column=Column.objects.get(code="projects"),
    )
    services.submit(publication, by=reviewer)

    with pytest.raises(services.WorkflowError, match="撰稿人不能审核自己起草的信息"):
        services.approve(publication, by=reviewer)
    with pytest.raises(services.WorkflowError, match="撰稿人不能审核自己起草的信息"):
        services.return_for_changes(publication, by=reviewer, reason="自己退回")
    publication.refresh_from_db()
    assert publication.status == Publication.Status.SUBMITTED


def test_it_rejects_a_return_or_a_withdrawal_without_a_reason(publisher, reviewer, bureau):
    publication = approved(publisher, reviewer, bureau)
    submitted = services.submit(
        services.create_draft(
            by=publisher,
            publisher=bureau,
            title="待审核的",
            issued_on=datetime.date(2025, 12, 1),
            column=Column.objects.get(code="projects"),
        ),
        by=publisher,
    )
    services.publish(publication, by=reviewer)

    with pytest.raises(services.WorkflowError, match="退回时须写明理由"):
        services.return_for_changes(submitted, by=reviewer, reason=" \n ")
    with pytest.raises(services.WorkflowError, match="撤回时须写明理由"):
        services.withdraw(publication, by=publisher, reason="")


def test_it_rejects_a_reviewer_of_another_organisation(publisher, bureau, approval_bureau_staff):
    _, _, other_reviewer = approval_bureau_staff
    publication = services.submit(
        services.create_draft(
            by=publisher,
            publisher=bureau,
            title="本局的",
            issued_on=datetime.date(2025, 12, 1),
            column=Column.objects.get(code="projects"),
        ),
        by=publisher,
    )

    with pytest.raises(services.WorkflowError):
        services.approve(publication, by=other_reviewer)


# --- concurrency (PostgreSQL) -----------------------------------------------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_publications_going_public_at_the_same_moment_get_eight_different_index_numbers(
    publisher, reviewer, bureau
):
    publications = [approved(publisher, reviewer, bureau, f"同时发布 {n}") for n in range(8)]
    barrier = threading.Barrier(len(publications))
    index_numbers: dict[int, str] = {}
    errors: list[BaseException] = []

    def go_public(pk: int) -> None:
        try:
            publication = Publication.objects.get(pk=pk)
            barrier.wait(timeout=30)
            index_numbers[pk] = services.publish(publication, by=reviewer).index_no
        except BaseException as error:  # reported below, with the thread's own traceback in the message
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=go_public, args=(publication.pk,)) for publication in publications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(index_numbers) == 8
    assert len(set(index_numbers.values())) == 8
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in index_numbers.values())
    assert serials == list(range(1, 9))
    stored = set(Publication.objects.filter(status=Publication.Status.PUBLISHED).values_list("index_no", flat=True))
    assert stored == set(index_numbers.values())


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_publications_of_four_organisations_going_public_at_once_share_a_site_wide_serial(demo):
    # Publishing locks the publisher's row too (see services._lock), so one organisation's publications queue
    # one after the other; four organisations make the site-wide counter itself the point they meet.
    organizations = list(Organization.objects.order_by("pk")[:4])
    publications = []
    for organization in organizations:
        set_policy(organization, scope=IndexNumberScope.SITE, serial_width=7)
        author = User.objects.create_user(f"author-{organization.pk}", organization=organization)
        checker = User.objects.create_user(f"checker-{organization.pk}", organization=organization)
        grant_role(author, roles.PUBLISHER, by=None)
        grant_role(checker, roles.REVIEWER, by=None)
        publications += [(approved(author, checker, organization, f"第{n}条"), checker) for n in range(2)]
    barrier = threading.Barrier(len(publications))
    index_numbers: dict[int, str] = {}
    errors: list[BaseException] = []

    def go_public(pk: int, checker: User) -> None:
        try:
            publication = Publication.objects.get(pk=pk)
            barrier.wait(timeout=30)
            index_numbers[pk] = services.publish(publication, by=checker).index_no
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=go_public, args=(p.pk, checker)) for p, checker in publications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in index_numbers.values())
    assert serials == list(range(1, 9))


def test_changing_the_scope_mid_year_does_not_repeat_an_index_number(publisher, reviewer, bureau):
    first = published(publisher, reviewer, bureau, "一")
    set_policy(bureau, scope=IndexNumberScope.ORGANIZATION)
    second = published(publisher, reviewer, bureau, "二")
    assert second.index_no != first.index_no
