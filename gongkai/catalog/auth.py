"""Who may do what with publications. Views, the API, templates and services all ask these."""

from gongkai.catalog.models import Publication
from gongkai.orgs import auth as orgs_auth
from gongkai.orgs.models import Organization
from gongkai.orgs.roles import OFFICE_HEAD, PUBLISHER, REVIEWER

CATALOG_ROLES = (PUBLISHER, REVIEWER, OFFICE_HEAD)


def can_draft_for(user, organization) -> bool:
    return orgs_auth.can_act_as(user, PUBLISHER, organization)


def can_edit(user, publication: Publication) -> bool:
    return publication.is_editable() and can_draft_for(user, publication.publisher)


def can_submit(user, publication: Publication) -> bool:
    return can_edit(user, publication)


def can_review(user, publication: Publication) -> bool:
    """A reviewer of the publisher who did not write it (谁公开、谁审核: the author never approves)."""
    return (
        publication.status == Publication.Status.SUBMITTED
        and orgs_auth.can_act_as(user, REVIEWER, publication.publisher)
        and publication.author_id != user.pk
    )


def can_publish(user, publication: Publication) -> bool:
    return publication.status == Publication.Status.APPROVED and (
        orgs_auth.can_act_as(user, PUBLISHER, publication.publisher)
        or orgs_auth.can_act_as(user, REVIEWER, publication.publisher)
    )


def can_withdraw(user, publication: Publication) -> bool:
    return publication.status == Publication.Status.PUBLISHED and (
        orgs_auth.can_act_as(user, PUBLISHER, publication.publisher)
        or orgs_auth.can_act_as(user, OFFICE_HEAD, publication.publisher)
    )


def can_set_interpreted(user, publication: Publication) -> bool:
    """Which documents a publication interprets: set while drafting, kept up to date once published (like validity)."""
    return can_edit(user, publication) or can_withdraw(user, publication)


def interpretation_overseen_organizations(user):
    """The organisations whose policy documents awaiting interpretation the user follows.

    The office head (公开办负责人) follows their own organisation; an administrator every organisation.
    """
    if orgs_auth.is_administrator(user) or orgs_auth.has_role(user, OFFICE_HEAD):
        return orgs_auth.organizations_for(user)
    return Organization.objects.none()


def can_oversee_interpretation(user) -> bool:
    return interpretation_overseen_organizations(user).exists()


def can_work_on_catalog(user) -> bool:
    return any(orgs_auth.has_role(user, role) for role in CATALOG_ROLES)


def staff_publications(user):
    """Every publication, in any state, of the organisations the user works for (empty without a catalogue role)."""
    if not can_work_on_catalog(user):
        return Publication.objects.none()
    return Publication.objects.filter(publisher__in=orgs_auth.organizations_for(user))
