"""The public pages of 依申请公开."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.requests.clock import ClockError, calculator_clock
from gongkai.requests.forms import DeadlineForm
from gongkai.workdays.calendar import current_calendar


def deadline(request: HttpRequest) -> HttpResponse:
    """答复期限计算器: what `gongkai deadline` prints, from a form."""
    form = DeadlineForm(request.GET or None)
    clock = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            clock = calculator_clock(
                current_calendar(),
                received=data["received"],
                corrected=data["corrected"],
                paused=data["paused"],
                extended=data["extended"],
                as_of=timezone.localdate(),
            )
        except ClockError as error:
            form.add_error(None, str(error))
    return render(request, "requests/public/deadline.html", {"form": form, "clock": clock})
