"""Administrators enter next year's calendar in the admin; every save goes through the services."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.workdays import services
from gongkai.workdays.calendar import add_working_days, is_working_day
from gongkai.workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

SAMPLE_2027 = Path(__file__).parent / "data" / "calendar-2027-sample.csv"
CHANGELIST = "admin:workdays_calendaryear_changelist"


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.com", "x", display_name="管理员")


@pytest.fixture
def client_as_admin(client, superuser):
    client.force_login(superuser)
    return client


def inline_data(*days: dict, initial: int = 0) -> dict:
    data = {
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": str(initial),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for index, day in enumerate(days):
        for key, value in day.items():
            data[f"days-{index}-{key}"] = value
    return data


def test_the_year_list_shows_the_counts_of_holidays_and_make_up_days(client_as_admin):
    response = client_as_admin.get(reverse(CHANGELIST))
    assert response.status_code == 200
    content = response.content.decode()
    assert "chinesecalendar" in content
    assert reverse("admin:workdays_calendaryear_import") in content


def test_the_mark_complete_action_calls_the_service(client_as_admin, superuser):
    services.import_year(services.read_calendar_csv(SAMPLE_2027.read_bytes()), by=superuser)
    assert add_working_days(date(2026, 12, 15), 20).provisional

    response = client_as_admin.post(
        reverse(CHANGELIST), {"action": "mark_complete", "_selected_action": ["2027"]}, follow=True
    )

    assert response.status_code == 200
    assert "2027年工作日历已标记为完整" in response.content.decode()
    year = CalendarYear.objects.get(year=2027)
    assert (year.complete, year.completed_by) == (True, superuser)
    assert AuditEvent.objects.filter(action="calendar.year_completed", actor=superuser).exists()
    assert add_working_days(date(2026, 12, 15), 20).provisional is False


def test_the_mark_complete_action_reports_a_refusal(client_as_admin):
    response = client_as_admin.post(
        reverse(CHANGELIST), {"action": "mark_complete", "_selected_action": ["2026"]}, follow=True
    )
    assert "2026年工作日历已是完整的" in response.content.decode()


def test_adding_a_year_with_its_days_goes_through_the_services(client_as_admin, superuser):
    data = {
        "year": "2027",
        "source": "测试样例（非官方）",
        **inline_data(
            {"date": "2027-01-01", "is_working_day": "False", "name": "元旦", "source": ""},
            {"date": "2027-01-31", "is_working_day": "True", "name": "春节", "source": ""},
        ),
    }
    response = client_as_admin.post(reverse("admin:workdays_calendaryear_add"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.complete) == ("测试样例（非官方）", False)
    assert list(year.days.values_list("date", "is_working_day", "name")) == [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 1, 31), True, "春节"),
    ]
    actions = list(AuditEvent.objects.filter(actor=superuser).values_list("action", flat=True))
    assert actions == ["calendar.year_created", "calendar.day_set", "calendar.day_set"]


def test_editing_and_deleting_days_of_a_year_goes_through_the_services(client_as_admin, superuser):
    services.set_day(date(2026, 3, 4), is_working_day=False, name="临时", by=superuser)
    services.set_day(date(2026, 3, 5), is_working_day=False, name="临时", by=superuser)
    year = CalendarYear.objects.get(year=2026)
    days = list(year.days.order_by("date"))
    forms = [
        {
            "id": str(day.pk),
            "year": "2026",
            "date": day.date.isoformat(),
            "is_working_day": str(day.is_working_day),
            "name": day.name,
            "source": day.source,
        }
        for day in days
    ]
    changed = next(form for form in forms if form["date"] == "2026-03-04")
    changed["date"] = "2026-03-06"  # moved to the Friday
    removed = next(form for form in forms if form["date"] == "2026-03-05")
    removed["DELETE"] = "on"

    response = client_as_admin.post(
        reverse("admin:workdays_calendaryear_change", args=[2026]),
        {"source": year.source, **inline_data(*forms, initial=len(forms))},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert is_working_day(date(2026, 3, 4)) is True
    assert is_working_day(date(2026, 3, 5)) is True
    assert is_working_day(date(2026, 3, 6)) is False
    assert CalendarDay.objects.filter(date__year=2026).count() == 40
    assert AuditEvent.objects.filter(action="calendar.day_deleted", actor=superuser).count() == 2


def test_the_admin_rejects_a_make_up_working_day_on_a_weekday(client_as_admin):
    data = {
        "year": "2027",
        "source": "",
        **inline_data({"date": "2027-02-08", "is_working_day": "True", "name": "春节", "source": ""}),
    }
    response = client_as_admin.post(reverse("admin:workdays_calendaryear_add"), data)

    assert response.status_code == 200
    assert "调休上班日必须是星期六或星期日，2027-02-08是星期一" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_admin_rejects_a_day_outside_the_year(client_as_admin):
    data = {
        "year": "2027",
        "source": "",
        **inline_data({"date": "2028-01-01", "is_working_day": "False", "name": "元旦", "source": ""}),
    }
    response = client_as_admin.post(reverse("admin:workdays_calendaryear_add"), data)
    assert response.status_code == 200
    assert "日期2028-01-01不在2027年内" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2028, 1, 1)).exists()


def test_years_cannot_be_deleted_in_the_admin(client_as_admin):
    response = client_as_admin.get(reverse("admin:workdays_calendaryear_delete", args=[2026]))
    assert response.status_code == 403


def test_the_year_and_import_screens_render(client_as_admin):
    change = client_as_admin.get(reverse("admin:workdays_calendaryear_change", args=[2026]))
    assert change.status_code == 200
    assert "国庆节" in change.content.decode()
    screen = client_as_admin.get(reverse("admin:workdays_calendaryear_import"))
    assert screen.status_code == 200
    assert "date,type,name" in screen.content.decode()


def test_the_import_screen_imports_a_file(client_as_admin, superuser):
    upload = SimpleUploadedFile("calendar-2027-sample.csv", SAMPLE_2027.read_bytes(), content_type="text/csv")
    response = client_as_admin.post(
        reverse("admin:workdays_calendaryear_import"),
        {"file": upload, "source": "测试样例（非官方）", "complete": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:workdays_calendaryear_change", args=[2027])
    assert CalendarDay.objects.filter(date__year=2027).count() == 35
    assert CalendarYear.objects.get(year=2027).completed_by == superuser


def test_the_import_screen_lists_every_error_and_imports_nothing(client_as_admin):
    bad = "date,type,name\n2027-01-01,休,元旦\n2027-02-30,休,春节\n".encode()
    upload = SimpleUploadedFile("bad.csv", bad, content_type="text/csv")
    response = client_as_admin.post(reverse("admin:workdays_calendaryear_import"), {"file": upload})
    assert response.status_code == 200
    content = response.content.decode()
    assert "第3行：日期“2027-02-30”无效" in content
    assert "导入失败，未做任何修改" in content
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_import_screen_is_closed_to_staff_without_calendar_permissions(client, db):
    staff = get_user_model().objects.create_user("lisi", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("admin:workdays_calendaryear_import"))
    assert response.status_code == 403
