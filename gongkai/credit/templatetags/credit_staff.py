"""双公示 on the staff pages: the workbench block (which screens this user may open, what is waiting: held
submissions, repair applications) and the on-time rate as a percentage."""

from dataclasses import dataclass

from django import template

from gongkai.credit import auth
from gongkai.credit.models import RepairApplication, Submission

register = template.Library()


@dataclass(frozen=True)
class CreditLinks:
    may_see: bool
    may_submit: bool = False
    may_release: bool = False
    awaiting_release: int = 0  # held submissions of every organisation, for the credit office
    may_review_repairs: bool = False
    waiting_repairs: int = 0  # repair applications waiting for the credit office


@register.simple_tag
def credit_workbench(user) -> CreditLinks:
    if not auth.viewable_organizations(user):
        return CreditLinks(False)
    may_release = auth.can_release(user)
    may_review = auth.can_review_repairs(user)
    return CreditLinks(
        may_see=True,
        may_submit=bool(auth.submitting_organizations(user)),
        may_release=may_release,
        awaiting_release=Submission.objects.awaiting_release().count() if may_release else 0,
        may_review_repairs=may_review,
        waiting_repairs=RepairApplication.objects.waiting().count() if may_review else 0,
    )


@register.filter
def percent(rate: float | None) -> str:
    """0.875 → "87.5%", 1 → "100%"; a month without records (None) → "—"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}".removesuffix(".0") + "%"
