"""The catalogue's block on the staff workbench: which screens this user may open, from the predicates."""

from dataclasses import dataclass

from django import template

from gongkai.catalog import auth
from gongkai.catalog.models import Publication
from gongkai.orgs import auth as orgs_auth
from gongkai.orgs.roles import REVIEWER

register = template.Library()


@dataclass(frozen=True)
class CatalogLinks:
    may_list: bool
    may_draft: bool
    may_review: bool
    my_drafts: int  # the user's own drafts and returned drafts
    awaiting_review: int  # submitted publications this user may review


def catalog_links(user) -> CatalogLinks:
    if not auth.can_work_on_catalog(user):
        return CatalogLinks(False, False, False, 0, 0)
    organization = user.organization
    may_draft = organization is not None and auth.can_draft_for(user, organization)
    may_review = orgs_auth.has_role(user, REVIEWER)
    scoped = auth.staff_publications(user)
    my_drafts = scoped.filter(author=user, status__in=Publication.EDITABLE).count() if may_draft else 0
    awaiting = 0
    if may_review:
        submitted = scoped.filter(status=Publication.Status.SUBMITTED).select_related("publisher")
        awaiting = sum(1 for publication in submitted if auth.can_review(user, publication))
    return CatalogLinks(True, may_draft, may_review, my_drafts, awaiting)


@register.simple_tag
def catalog_workbench(user) -> CatalogLinks:
    return catalog_links(user)
