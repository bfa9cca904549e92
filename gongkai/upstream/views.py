"""The credit office's screens of the pushes upstream, under /staff/credit/upstream/ (namespace ``upstream``).

Status per platform; per platform, what reconciliation found, with a re-send of selected items; per record,
its delivery history (every change, every attempt and its answer).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.upstream import auth, services
from gongkai.upstream.models import AttemptItem, OutboxItem, Upstream

PAGE_SIZE = 50
RECORD_TYPES = ("licence", "penalty")


def upstream_view(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not auth.can_watch(request.user):
            raise PermissionDenied(
                _("只有信用管理员可以查看上级平台报送。 Only the credit office sees upstream pushes.")
            )
        return view(request, *args, **kwargs)

    return wrapped


@upstream_view
def status(request: HttpRequest) -> HttpResponse:
    return render(request, "upstream/status.html", {"statuses": services.statuses(), "nav_current": "upstream"})


PROBLEM_LABELS = {
    services.Problem.NOT_ACKNOWLEDGED: gettext_lazy("逾期未确认"),
    services.Problem.ACCEPTED_TWICE: gettext_lazy("重复接收"),
    services.Problem.REJECTED: gettext_lazy("被拒收"),
    services.Problem.FAILED: gettext_lazy("发送失败"),
}


@upstream_view
def problems(request: HttpRequest, code: str) -> HttpResponse:
    upstream = get_object_or_404(Upstream, code=code)
    if request.method == "POST":
        if not auth.can_resend(request.user):
            raise PermissionDenied
        picked = [item for item in request.POST.getlist("item") if item.isascii() and item.isdigit()]
        chosen = OutboxItem.objects.of(upstream).filter(pk__in=picked)
        count = services.resend(list(chosen), by=request.user)
        messages.success(request, _("已安排重新报送 %(n)s 条。") % {"n": count})
        return redirect("upstream:problems", upstream.code)
    found = [(item, PROBLEM_LABELS[problem]) for item, problem in services.problems(upstream)]
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    services.fill_payloads([item for item, _problem in page.object_list])  # their decision numbers
    unqueued = sum(records.count() for records in services.unqueued(upstream).values()) if upstream.is_enabled else 0
    return render(
        request,
        "upstream/problems.html",
        {"upstream": upstream, "page": page, "unqueued": unqueued, "nav_current": "upstream"},
    )


@require_POST
@upstream_view
def queue_unqueued(request: HttpRequest, code: str) -> HttpResponse:
    """Queue the public records this upstream never heard of (changed while it was off)."""
    upstream = get_object_or_404(Upstream.objects.enabled(), code=code)
    if not auth.can_resend(request.user):
        raise PermissionDenied
    count = services.queue_unqueued(upstream, by=request.user)
    messages.success(request, _("已安排报送 %(n)s 条。") % {"n": count})
    return redirect("upstream:problems", upstream.code)


@upstream_view
def record_history(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    if record_type not in RECORD_TYPES:
        raise PermissionDenied
    items = list(
        OutboxItem.objects.about(record_type, record_id).select_related("upstream").order_by("created_at", "id")
    )
    services.fill_payloads(items[:1])  # the decision number
    attempts = (
        AttemptItem.objects.filter(item__in=items)
        .select_related("attempt", "item__upstream")
        .order_by("attempt__started_at", "id")
    )
    return render(
        request,
        "upstream/record.html",
        {
            "record_type": record_type,
            "record_id": record_id,
            "items": items,
            "attempts": attempts,
            "nav_current": "upstream",
        },
    )
