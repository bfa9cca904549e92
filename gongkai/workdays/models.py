"""The working-day calendar as data (工作日历): one row per year, one row per special date.

A day is a working day if it has a row saying so, else if it is Monday–Friday (STATUTES §6). Rows exist
only for special dates: holidays (法定节假日, also those falling on a weekend) and make-up working days
(调休上班日, always a Saturday or Sunday). A year's rows take effect when the year is marked complete.

Change these rows only through `gongkai.workdays.services`: every service gives the year a new
`revision`, which is how every process notices the change (`calendar.current_calendar`).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1949
LAST_YEAR = 2199

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def check_day(day: date, is_working_day: bool, year: int | None = None) -> list[str]:
    """The rules every special date obeys, as bilingual messages naming the value (empty when fine).

    A make-up working day must fall on a Saturday or Sunday; a holiday may fall on any day (the notices
    list weekend days inside a holiday break too).
    """
    errors = []
    if year is not None and day.year != year:
        errors.append(f"日期{day.isoformat()}不在{year}年内。 The date {day.isoformat()} is not in the year {year}.")
    if is_working_day and day.weekday() < 5:
        errors.append(
            f"调休上班日必须是星期六或星期日，{day.isoformat()}是{WEEKDAY_NAMES[day.weekday()]}。 "
            f"A make-up working day must be a Saturday or Sunday; {day.isoformat()} is a "
            f"{day.strftime('%A')}."
        )
    return errors


class CalendarYearQuerySet(models.QuerySet):
    def complete(self):
        return self.filter(complete=True)

    def incomplete(self):
        return self.filter(complete=False)


class CalendarYear(models.Model):
    """One calendar year, complete once the State Council notice for it has been entered in full."""

    year = models.PositiveSmallIntegerField(
        _("年份"),
        primary_key=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    complete = models.BooleanField(
        _("已完整"),
        default=False,
        help_text=_("全部节假日和调休上班日均已录入。未完整的年份只按周末推算，涉及该年的期限标为“暂定”。"),
    )
    source = models.CharField(
        _("依据"),
        max_length=200,
        blank=True,
        help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）"),
    )
    completed_at = models.DateTimeField(_("标记完整时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("标记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    revision = models.UUIDField(
        _("版本"),
        default=uuid.uuid4,
        editable=False,
        help_text=_("每次修改时更换，各进程据此刷新工作日历缓存。"),
    )

    objects = CalendarYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A special date: a holiday (法定节假日) or a make-up working day (调休上班日)."""

    KIND_CHOICES = [(False, _("法定节假日（休）")), (True, _("调休上班日（班）"))]

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("类别"), choices=KIND_CHOICES)
    name = models.CharField(_("名称"), max_length=50, help_text=_("如：春节、国庆节"))
    source = models.CharField(_("来源"), max_length=200, blank=True)
    year = models.ForeignKey(CalendarYear, verbose_name=_("年份"), on_delete=models.CASCADE, related_name="days")

    class Meta:
        verbose_name = _("节假日或调休上班日")
        verbose_name_plural = _("节假日和调休上班日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{'班' if self.is_working_day else '休'}）"

    @property
    def kind(self) -> str:
        """The glossary name: "make-up working day" or "holiday"."""
        return "make-up working day" if self.is_working_day else "holiday"

    def clean(self) -> None:
        if self.date is None or self.is_working_day is None:
            return
        errors = check_day(self.date, self.is_working_day, self.year_id)
        if errors:
            raise ValidationError({"date": errors})
