"""Statistics per organisation and month (/staff/statistics/): what is counted, who sees it, charts and CSV.

钱文 (head) is the bureau's office head; 孙倩 (credit) its credit officer, who works for the whole district; 周晓
(submitter) submits 双公示 data for 张店区行政审批服务局; 张三 (handler) handles the bureau's applications.
"""

import datetime
import itertools
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from credit_files import APPROVALS, csv_file, licence
from django.urls import reverse
from request_files import APPLICANT

from gongkai.catalog.models import Column, Publication
from gongkai.credit import services as credit_services
from gongkai.credit.timeliness import monthly_rates
from gongkai.orgs import roles
from gongkai.orgs.models import Organization, User
from gongkai.orgs.services import grant_role
from gongkai.reports import auth, stats, svg
from gongkai.requests import services

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)
MARCH, APRIL, MAY = 3, 4, 5


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def approvals(demo):
    """张店区行政审批服务局: another organisation of the district, reporting 双公示 data."""
    return Organization.objects.get(uscc=APPROVALS)


@pytest.fixture
def approvals_handler(approvals):
    user = User.objects.create_user("approvals-handler", organization=approvals, display_name="何平")
    grant_role(user, roles.REQUEST_HANDLER, by=None)
    return user


def replied(organization, by, received_on, closed_on, *, outcome="1", delivered_on=None):
    """An application received, decided and (if ``delivered_on``) delivered, through the services."""
    application = services.register(
        organization=organization, by=by, channel="post", received_on=received_on, **APPLICANT
    )
    reasons = "" if outcome == "1" else "依法作出上述处理。"
    services.close(application, by=by, outcome=outcome, on=closed_on, reasons=reasons)
    if delivered_on:
        services.record_delivery(application, by=by, on=delivered_on, method="post")
    return application


def month(rows, number):
    return next(row for row in rows if row.month == number)


# --- definitions --------------------------------------------------------------------------------------------


def test_the_median_is_the_middle_and_the_90th_percentile_the_nearest_rank():
    assert stats.median([3, 1, 2]) == 2
    assert stats.median([1, 2, 3, 4]) == 2.5
    assert stats.percentile_90(list(range(1, 11))) == 9  # 9 of 10 replies took 9 days or fewer
    assert stats.percentile_90(list(range(1, 12))) == 10  # ceil(9.9) = the 10th of 11
    assert stats.percentile_90([7]) == 7
    assert stats.median([]) is None and stats.percentile_90([]) is None


# --- applications and replies -------------------------------------------------------------------------------


def test_days_to_reply_of_known_replies_give_a_known_median_and_90th_percentile(bureau, handler):
    received = date(2026, 3, 2)  # a Monday; no holiday until 清明 in April
    replies_on = [date(2026, 3, day) for day in (3, 4, 5, 6, 9, 10, 11, 12, 13, 16)]  # 1 to 10 working days
    for replied_on in replies_on:
        replied(bureau, handler, received, replied_on, delivered_on=replied_on)

    months, year = stats.reply_months(bureau, 2026)

    march = month(months, MARCH)
    assert (march.replies, march.timed, march.on_time, march.late) == (10, 10, 10, 0)
    assert (march.median_days, march.p90_days, march.on_time_rate) == (5.5, 9, 1.0)
    assert month(months, APRIL) == stats.ReplyMonth(APRIL, 0, 0, 0, None, None)
    assert month(months, APRIL).on_time_rate is None  # no reply is not 0 %
    assert (year.month, year.replies, year.median_days, year.p90_days) == (0, 10, 5.5, 9)


def test_days_to_reply_count_working_days_so_a_holiday_is_not_counted(bureau, handler):
    # 2026-04-28 (Tue) → 2026-05-06 (Wed): 29 and 30 April and 6 May; 1–5 May is the 劳动节 holiday.
    replied(bureau, handler, date(2026, 4, 28), date(2026, 5, 6))
    may = month(stats.reply_months(bureau, 2026)[0], MAY)
    assert (may.median_days, may.p90_days) == (3, 3)


def test_an_extension_moves_the_due_date_so_a_reply_after_20_working_days_can_be_on_time(bureau, handler, head):
    # Received 2026-03-02: due 2026-03-30, or 2026-04-14 with an extension of 10 working days.
    extended = services.register(
        organization=bureau, by=handler, channel="post", received_on=date(2026, 3, 2), **APPLICANT
    )
    services.extend(extended, by=head, days=10, on=date(2026, 3, 20), note="涉及多个科室")
    services.close(extended, by=handler, outcome="1", on=date(2026, 4, 8))
    replied(bureau, handler, date(2026, 3, 2), date(2026, 4, 8))  # no extension: late

    april = month(stats.reply_months(bureau, 2026)[0], APRIL)
    assert (april.replies, april.timed, april.on_time, april.late, april.on_time_rate) == (2, 2, 1, 1, 0.5)
    assert april.median_days == 26  # the days to reply are the same: the wait from receipt


def test_the_reply_is_the_delivery_so_a_decision_on_time_delivered_late_is_late(bureau, handler):
    # Due 2026-03-30: decided on 27 March, posted on 1 April. Counted in March, the month it was closed.
    replied(bureau, handler, date(2026, 3, 2), date(2026, 3, 27), delivered_on=date(2026, 4, 1))
    march = month(stats.reply_months(bureau, 2026)[0], MARCH)
    assert (march.replies, march.on_time, march.late, march.median_days) == (1, 0, 1, 22)


def test_an_application_ended_for_no_correction_has_no_due_date_and_is_not_timed(bureau, handler):
    application = services.register(
        organization=bureau, by=handler, channel="post", received_on=date(2026, 4, 14), **APPLICANT
    )
    services.send_correction_notice(
        application, by=handler, on=date(2026, 4, 16), note="请写明年份", correct_by=date(2026, 4, 30)
    )
    services.end_for_no_correction(application, by=handler, on=date(2026, 5, 12))

    may = month(stats.reply_months(bureau, 2026)[0], MAY)
    assert (may.replies, may.timed, may.on_time_rate, may.median_days) == (1, 0, None, None)
    assert month(stats.request_months(bureau, 2026), MAY).by_group == (0, 0, 0, 0, 0, 1)  # （六）其他处理


def test_applications_are_counted_by_month_received_and_closed_by_outcome_group(bureau, handler):
    replied(bureau, handler, date(2025, 12, 29), date(2026, 1, 6))  # received last year, closed in January
    replied(bureau, handler, date(2026, 1, 8), date(2026, 1, 20), outcome="3.4")
    replied(bureau, handler, date(2026, 1, 15), date(2026, 2, 5), outcome="3.6")
    services.register(organization=bureau, by=handler, channel="post", received_on=date(2026, 2, 3), **APPLICANT)

    months = stats.request_months(bureau, 2026)

    january, february = month(months, 1), month(months, 2)
    assert (january.received, january.closed, january.by_group) == (2, 2, (1, 0, 1, 0, 0, 0))
    assert (february.received, february.closed, february.by_group) == (1, 1, (0, 0, 1, 0, 0, 0))
    assert stats.request_year(months) == stats.RequestMonth(0, 3, 3, (1, 0, 2, 0, 0, 0))


def test_another_organisations_applications_never_appear(bureau, handler, approvals, approvals_handler):
    replied(bureau, handler, date(2026, 3, 2), date(2026, 3, 3))
    replied(approvals, approvals_handler, date(2026, 3, 2), date(2026, 4, 30))  # late, in another organisation
    replied(approvals, approvals_handler, date(2026, 3, 4), date(2026, 3, 5), outcome="4.1")

    assert month(stats.request_months(bureau, 2026), MARCH) == stats.RequestMonth(MARCH, 1, 1, (1, 0, 0, 0, 0, 0))
    months, year = stats.reply_months(bureau, 2026)
    assert (year.replies, year.on_time, year.median_days) == (1, 1, 1)
    assert month(months, APRIL).replies == 0


# --- publications -------------------------------------------------------------------------------------------

serials = itertools.count(1)


def publication(organization, column, published_at, status=Publication.Status.PUBLISHED):
    """A row straight in the table, as an import would make it."""
    return Publication.objects.create(
        publisher=organization,
        author=User.objects.get(username="publisher"),
        title="统计测试",
        issued_on=published_at.date(),
        column=column,
        status=status,
        index_no=f"{organization.uscc}/2026-{next(serials):05d}",
        published_at=published_at,
    )


def test_publications_are_counted_per_column_by_their_publication_month_in_shanghai(bureau, approvals):
    plans, projects = Column.objects.get(code="plans"), Column.objects.get(code="projects")
    utc = datetime.UTC
    publication(bureau, plans, datetime.datetime(2026, 1, 31, 17, tzinfo=utc))  # 2026-02-01 01:00 in Shanghai
    publication(bureau, plans, datetime.datetime(2026, 2, 10, 9, tzinfo=SHANGHAI))
    publication(bureau, projects, datetime.datetime(2026, 3, 10, 9, tzinfo=SHANGHAI))
    publication(bureau, projects, datetime.datetime(2026, 3, 11, 9, tzinfo=SHANGHAI), Publication.Status.WITHDRAWN)
    publication(bureau, projects, datetime.datetime(2025, 12, 31, 15, 59, tzinfo=utc))  # 23:59 in Shanghai: 2025
    publication(approvals, projects, datetime.datetime(2026, 3, 10, 9, tzinfo=SHANGHAI))

    result = stats.publication_months(bureau, 2026)

    by_column = {row.column_id: row for row in result.columns}
    assert set(by_column) == {plans.pk, projects.pk}
    assert by_column[plans.pk].months == (0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert by_column[projects.pk].months == (0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert by_column[plans.pk].name == str(plans)
    assert result.months[:3] == (0, 2, 1) and result.total == 3


# --- 双公示 -------------------------------------------------------------------------------------------------


def submitted_at(moment, organization, *rows, accept_valid=False):
    with time_machine.travel(moment, tick=False):
        return credit_services.import_file(
            csv_file(*rows), "licences.csv", organization=organization, today=moment.date(), accept_valid=accept_valid
        )


@pytest.fixture
def credit_march(bureau):
    """The bureau's March: 7 working days after 2026-03-05 is 2026-03-16.

    16 March: one licence, on time. 17 March: one good and one bad row, the good one kept (late). 18 March: a
    file with a bad row, returned whole (two rows returned).
    """
    bad = {"许可决定日期": "2026-02-30"}
    submitted_at(datetime.datetime(2026, 3, 16, 17, tzinfo=SHANGHAI), bureau, licence(1))
    submitted_at(
        datetime.datetime(2026, 3, 17, 9, tzinfo=SHANGHAI), bureau, licence(2), licence(3, **bad), accept_valid=True
    )
    submitted_at(datetime.datetime(2026, 3, 18, 9, tzinfo=SHANGHAI), bureau, licence(4), licence(5, **bad))


def test_credit_on_time_rate_is_the_department_pages_and_the_error_rate_counts_returned_rows(bureau, credit_march):
    months = stats.credit_months([bureau], 2026)[bureau.pk]

    march = month(months, MARCH)
    assert (march.published, march.on_time, march.on_time_rate) == (2, 1, 0.5)
    assert (march.rows, march.rejected, march.error_rate) == (5, 3, 0.6)
    assert month(months, APRIL).error_rate is None
    department_page = monthly_rates(bureau, 2026)
    assert [(m.published, m.on_time) for m in months] == [(m.published, m.on_time) for m in department_page]


def test_credit_figures_per_organisation_keep_each_organisations_own(bureau, approvals, credit_march):
    rows = stats.credit_by_organization([bureau, approvals], 2026)
    assert [row.organization for row in rows] == [bureau, approvals]
    assert (rows[0].year.published, rows[0].year.rows) == (2, 5)
    assert rows[1].year == stats.CreditMonth(0, 0, 0, 0, 0)


# --- who sees what ------------------------------------------------------------------------------------------


def test_statistics_organizations_are_exactly_those_the_predicates_allow(demo):
    organizations = list(Organization.objects.all())
    for user in User.objects.all():
        listed = set(auth.statistics_organizations(user))
        allowed = {o for o in organizations if auth.can_view_any_statistics(user, o)}
        assert listed == allowed, user.username


def test_who_may_see_which_statistics(bureau, approvals, head, credit, submitter, handler):
    admin = User.objects.get(username="admin")
    assert auth.can_view_statistics(head, bureau) and not auth.can_view_statistics(head, approvals)
    assert auth.can_view_statistics(admin, approvals)
    assert not auth.can_view_statistics(handler, bureau)  # dashboards are the office head's
    assert auth.can_view_credit_statistics(credit, approvals) and not auth.can_view_statistics(credit, approvals)
    assert auth.can_view_credit_statistics(submitter, approvals) and not auth.can_view_credit_statistics(
        submitter, bureau
    )
    government = Organization.objects.get(slug="zdqrmzf")  # not a reporting organisation
    assert not auth.can_view_credit_statistics(credit, government)
    assert auth.can_view_district_credit(credit) and auth.can_view_district_credit(admin)
    assert not auth.can_view_district_credit(head)


def test_an_office_head_gets_403_for_another_organisation(client, head, approvals):
    client.force_login(head)
    assert client.get(reverse("stats:dashboard", args=[approvals.pk, 2026])).status_code == 403
    assert client.get(reverse("stats:csv", args=[approvals.pk, 2026, "requests"])).status_code == 403
    assert client.get(reverse("stats:csv", args=[approvals.pk, 2026, "credit"])).status_code == 403
    assert client.get(reverse("stats:credit", args=[2026])).status_code == 403


def test_the_credit_office_sees_only_the_credit_figures_of_another_organisation(client, credit, approvals):
    client.force_login(credit)
    html = client.get(reverse("stats:dashboard", args=[approvals.pk, 2026])).content.decode()
    assert 'id="credit-heading"' in html
    assert 'id="requests-heading"' not in html and 'id="publications-heading"' not in html
    assert client.get(reverse("stats:csv", args=[approvals.pk, 2026, "replies"])).status_code == 403
    assert client.get(reverse("stats:csv", args=[approvals.pk, 2026, "credit"])).status_code == 200


def test_staff_without_a_statistics_role_are_refused_and_strangers_sent_to_log_in(client, publisher, bureau):
    assert client.get(reverse("stats:index")).status_code == 302
    client.force_login(publisher)
    assert client.get(reverse("stats:index")).status_code == 403
    assert client.get(reverse("stats:dashboard", args=[bureau.pk, 2026])).status_code == 403


def test_the_index_opens_the_users_own_organisation_in_this_year_or_the_one_chosen(client, head, credit, approvals):
    client.force_login(head)
    assert client.get(reverse("stats:index"))["Location"] == reverse(
        "stats:dashboard", args=[head.organization_id, 2026]
    )
    client.force_login(credit)
    response = client.get(reverse("stats:index"), {"org": approvals.pk, "year": "2025"})
    assert response["Location"] == reverse("stats:dashboard", args=[approvals.pk, 2025])
    response = client.get(reverse("stats:index"), {"org": "999999", "year": "1900"})
    assert response["Location"] == reverse("stats:dashboard", args=[credit.organization_id, 2026])


def test_a_year_in_the_future_or_before_the_regulations_is_not_found(client, head, bureau):
    client.force_login(head)
    assert client.get(reverse("stats:dashboard", args=[bureau.pk, 2027])).status_code == 404
    assert client.get(reverse("stats:dashboard", args=[bureau.pk, 2007])).status_code == 404
    assert client.get(reverse("stats:csv", args=[bureau.pk, 2026, "everything"])).status_code == 404


# --- pages, charts and CSV ----------------------------------------------------------------------------------


def test_the_requests_csv_is_utf8_with_a_bom_and_exact(client, bureau, handler, head):
    replied(bureau, handler, date(2026, 1, 8), date(2026, 1, 20))
    replied(bureau, handler, date(2026, 1, 15), date(2026, 2, 5), outcome="4.1")
    client.force_login(head)

    response = client.get(reverse("stats:csv", args=[bureau.pk, 2026, "requests"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="requests-zdqfzhggj-2026.csv"'
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    empty = [f"2026-{m:02d},0,0,0,0,0,0,0,0" for m in range(3, 13)]
    assert body.decode("utf-8-sig").split("\r\n") == [
        "月份,收到申请,办结,予以公开,部分公开,不予公开,无法提供,不予处理,其他处理",
        "2026-01,2,1,1,0,0,0,0,0",
        "2026-02,0,1,0,0,0,1,0,0",
        *empty,
        "全年,2,2,1,0,0,1,0,0",
        "",
    ]


def test_the_replies_and_credit_csv_give_rates_as_percentages_and_leave_empty_months_empty(
    client, bureau, handler, head, credit_march
):
    replied(bureau, handler, date(2026, 3, 2), date(2026, 3, 4))
    replied(bureau, handler, date(2026, 3, 2), date(2026, 4, 1))  # due 2026-03-30: late
    client.force_login(head)

    replies = client.get(reverse("stats:csv", args=[bureau.pk, 2026, "replies"])).content.decode("utf-8-sig")
    lines = replies.split("\r\n")
    assert lines[0].split(",") == [
        "月份", "办结", "计时答复", "按时答复", "逾期答复", "按时答复率（%）", "答复用时中位数（工作日）",
        "答复用时第90百分位数（工作日）",
    ]  # fmt: skip
    assert lines[1] == "2026-01,0,0,0,0,,,"
    assert lines[3] == "2026-03,1,1,1,0,100.0,2,2"
    assert lines[4] == "2026-04,1,1,0,1,0.0,22,22"
    assert lines[13] == "全年,2,2,1,1,50.0,12,22"

    credit_csv = client.get(reverse("stats:csv", args=[bureau.pk, 2026, "credit"])).content.decode("utf-8-sig")
    lines = credit_csv.split("\r\n")
    assert lines[0] == "月份,首次公示记录,及时公示,公示及时率（%）,报送行数,退回行数,差错率（%）"
    assert lines[3] == "2026-03,2,1,50.0,5,3,60.0"
    assert lines[4] == "2026-04,0,0,,0,0,"


def test_the_district_csv_has_a_row_per_reporting_organisation_and_month(client, credit, bureau, credit_march):
    client.force_login(credit)
    text = client.get(reverse("stats:credit_csv", args=[2026])).content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert (
        lines[0] == "报送单位,统一社会信用代码,月份,首次公示记录,及时公示,公示及时率（%）,报送行数,退回行数,差错率（%）"
    )
    assert "张店区发展和改革局,1137030300421716XM,2026-03,2,1,50.0,5,3,60.0" in lines
    assert "张店区发展和改革局,1137030300421716XM,全年,2,1,50.0,5,3,60.0" in lines
    assert not any(line.startswith("张店区人民政府") for line in lines)  # not a reporting organisation
    reporting = Organization.objects.reporting().count()
    assert len(lines) == 1 + 13 * reporting + 1


def test_a_name_that_looks_like_a_formula_is_written_as_text_in_the_csv(client, credit, approvals):
    Organization.objects.filter(pk=approvals.pk).update(name="=HYPERLINK(1)")
    client.force_login(credit)
    text = client.get(reverse("stats:credit_csv", args=[2026])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)," in text and "\r\n=HYPERLINK" not in text


def test_charts_are_images_with_a_name_their_values_and_no_script():
    chart = svg.bar_chart(
        "chart-test",
        title="收到<申请>",
        description="每月 & 全年",
        labels=["1月", "2月"],
        series=[svg.Series("收到申请", [12, None]), svg.Series("<script>alert(1)</script>", [3, 0])],
    )
    assert chart.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and chart.endswith("</svg>")
    assert 'role="img" aria-labelledby="chart-test-title chart-test-desc"' in chart
    assert '<title id="chart-test-title">收到&lt;申请&gt;</title>' in chart
    assert '<desc id="chart-test-desc">每月 &amp; 全年</desc>' in chart
    assert "<script" not in chart and "&lt;script&gt;" in chart
    assert "<title>1月 收到申请：12</title>" in chart and ">12</text>" in chart
    assert "href" not in chart and "url(" not in chart  # nothing from outside

    line = svg.line_chart(
        "chart-rate", title="按时答复率", description="", labels=["1月", "2月", "3月"],
        series=[svg.Series("按时答复率", [0.875, None, 1])], percent=True,
    )  # fmt: skip
    assert ">87.5%</text>" in line and ">100%</text>" in line
    assert "<title>1月 按时答复率：87.5%</title>" in line
    bars = svg.hbar_chart("chart-orgs", title="及时率", description="", labels=["张店区发展和改革局"], values=[None])
    assert ">张店区发展和改革局</text>" in bars and ">—</text>" in bars
    with pytest.raises(ValueError):
        svg.bar_chart('x" onload="', title="", description="", labels=["1"], series=[svg.Series("a", [1])])


def test_chinese_text_is_measured_wider_than_latin():
    assert svg.text_width("张店区") == 3 * svg.FONT_SIZE
    assert svg.text_width("abc") == pytest.approx(3 * 0.6 * svg.FONT_SIZE)


def test_the_demo_bureaus_dashboard_shows_its_year_in_charts_and_tables(client, head):
    from gongkai import demo

    demo.load()
    bureau = head.organization
    client.force_login(head)

    response = client.get(reverse("stats:dashboard", args=[bureau.pk, 2026]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 5  # applications, on time, days to reply, publications, 双公示
    for svg_element in re.findall(r"<svg.*?</svg>", html, re.S):
        assert "<script" not in svg_element
    table = re.search(r'<table class="data-table" id="table-requests">.*?</table>', html, re.S).group()
    # The demo's 2026: 37 applications received; 36 closed (3 carried over from 2025, 4 still open); January
    # received 3 and closed 4.
    assert re.search(r"<th scope=\"row\">1月</th><td>3</td><td>4</td>", table)
    assert re.search(r"<th scope=\"row\">全年</th><td>37</td><td>36</td>", table)
    _months, year = stats.reply_months(bureau, 2026)
    assert year.replies == 36 and year.timed == 35  # （六）1 ended without a due date
    assert 'id="table-publications"' in html and 'id="table-credit"' in html
    assert reverse("stats:csv", args=[bureau.pk, 2026, "publications"]) in html


def test_the_figures_take_as_many_queries_for_many_applications_as_for_one(bureau, handler, approvals):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            stats.request_months(bureau, 2026)
            stats.reply_months(bureau, 2026)
            stats.publication_months(bureau, 2026)
            stats.credit_by_organization([bureau, approvals], 2026)
        return len(captured)

    replied(bureau, handler, date(2026, 3, 2), date(2026, 3, 3))
    one = queries()
    for day in (4, 5, 6, 9, 10):
        replied(bureau, handler, date(2026, 3, 2), date(2026, 3, day))
    assert queries() == one
