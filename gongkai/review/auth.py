"""Who may resolve screening findings. Views, templates and services all ask these.

谁公开、谁审核、谁负责: a reviewer of the publishing organisation who did not write the publication
resolves its findings; the publisher uploads redacted attachments.
"""

from gongkai.catalog.models import Attachment, Publication
from gongkai.orgs import auth as orgs_auth
from gongkai.orgs.roles import PUBLISHER, REVIEWER
from gongkai.review.models import Finding

# Findings are resolved while a publication awaits review, or after a re-screening of what is public.
RESOLVABLE_STATES = (Publication.Status.SUBMITTED, Publication.Status.PUBLISHED)


def can_resolve(user, finding: Finding) -> bool:
    publication = finding.publication
    return (
        finding.is_open
        and publication.status in RESOLVABLE_STATES
        and publication.author_id != user.pk
        and orgs_auth.can_act_as(user, REVIEWER, publication.publisher)
    )


def can_mask(user, finding: Finding) -> bool:
    """Text is masked in place; an attachment needs a redacted version from the publisher instead."""
    return finding.field != Finding.Field.ATTACHMENT and can_resolve(user, finding)


def can_upload_redacted(user, attachment: Attachment) -> bool:
    publication = attachment.publication
    return (
        publication.status in RESOLVABLE_STATES
        and orgs_auth.can_act_as(user, PUBLISHER, publication.publisher)
        and attachment.findings.open().exists()
    )
