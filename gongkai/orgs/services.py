from django.contrib.auth.models import Group, Permission
from django.db import transaction

from gongkai import audit
from gongkai.orgs.models import Organization, User
from gongkai.orgs.roles import ROLES, STAFF_ROLES


def sync_roles() -> None:
    """Create one group per role and give it exactly the permissions ROLES declares (those that exist)."""
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.group_name)
        wanted = []
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        if set(group.permissions.all()) != set(wanted):
            group.permissions.set(wanted)


def role_emails(organization, role_code: str) -> list[str]:
    """The e-mail addresses of the organisation's active users with a role (for reminders)."""
    users = User.objects.filter(organization=organization, is_active=True, groups__name=ROLES[role_code].group_name)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


@transaction.atomic
def grant_role(user: User, role_code: str, *, by: User | None) -> None:
    role = ROLES[role_code]
    group, _ = Group.objects.get_or_create(name=role.group_name)
    user.groups.add(group)
    if role_code in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit.record(by, "user.role_granted", user, summary=f"{user} ← {role.group_name}", role=role_code)


@transaction.atomic
def revoke_role(user: User, role_code: str, *, by: User | None) -> None:
    role = ROLES[role_code]
    user.groups.remove(*Group.objects.filter(name=role.group_name))
    audit.record(by, "user.role_revoked", user, summary=f"{user} − {role.group_name}", role=role_code)


@transaction.atomic
def save_organization(organization: Organization, *, by: User | None, changed_fields=()) -> None:
    """Create or change an organisation (the district administrator, in the admin). A new one has its own
    disclosure site at /gongkai/<slug>/ at once: its columns, guide, catalogue and request form need no rows
    of their own."""
    created = organization.pk is None
    organization.save()
    if created:
        audit.record(by, "organization.created", organization, organization=organization, summary=organization.name)
    elif changed_fields:
        audit.record(
            by, "organization.changed", organization, organization=organization, summary=organization.name,
            fields=sorted(changed_fields),
        )  # fmt: skip
