"""The district's organisations as the public pages list them: by kind, affiliates under their parent."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from gongkai.orgs.models import Organization, OrganizationKind


@dataclass
class DirectoryEntry:
    organization: Organization
    affiliates: list[Organization] = field(default_factory=list)


@dataclass
class KindGroup:
    kind: str
    label: str
    entries: list[DirectoryEntry]


def organization_directory(organizations: Iterable[Organization]) -> list[KindGroup]:
    """Group ``organizations`` (already in display order) by kind, in the order of OrganizationKind.

    An affiliate (所属事业单位) is listed under its parent when the parent is among ``organizations``
    (under the topmost listed ancestor, if its parent is itself an affiliate). An affiliate whose parent
    is not listed (inactive, say) stands under its own kind, so that no organisation is ever hidden.
    Kinds with no organisation are left out.
    """
    organizations = list(organizations)
    by_pk = {org.pk: org for org in organizations}

    def root_of(org: Organization) -> Organization:
        seen = {org.pk}
        current = org
        while current.parent_id in by_pk:
            if current.parent_id in seen:
                return org  # a cycle of parents (bad data): list the organisation on its own
            current = by_pk[current.parent_id]
            seen.add(current.pk)
        return current

    roots = {org.pk: root_of(org) for org in organizations}
    entries = {org.pk: DirectoryEntry(org) for org in organizations if roots[org.pk].pk == org.pk}
    for org in organizations:
        if roots[org.pk].pk != org.pk:
            entries[roots[org.pk].pk].affiliates.append(org)

    known = {kind.value for kind in OrganizationKind}

    def kind_of(org: Organization) -> str:
        return org.kind if org.kind in known else OrganizationKind.OTHER.value

    groups = []
    for kind in OrganizationKind:
        kind_entries = [entry for entry in entries.values() if kind_of(entry.organization) == kind.value]
        if kind_entries:
            groups.append(KindGroup(kind=kind.value, label=str(kind.label), entries=kind_entries))
    return groups
