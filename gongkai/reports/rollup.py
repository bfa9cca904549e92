"""A government's annual report as the sum of its parts (issue 10, item B); a department's, with its affiliated
institutions (所属事业单位) when the administrator lists them.

条例第四十九条 makes the 区政府's report the report of the government as a whole: its tables are the sum of the
figures of the organisations it covers — by default every active department, street office and town of the
installation, and the government's own office (`membership`; an administrator narrows or widens it with a `RollUp`
row in the admin). Each part is counted as its own report would be (`figures.count`), its hand-entered cells
(行政强制, 行政事业性收费) taken from the part's own report when it has one.

`total` is the pure sum in `layout`'s shape: table 三 and table 四 add cell by cell, so every identity of `checks`
that holds for each part holds for the sum; 收费金额 (万元) are decimal strings and are added as decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.orgs.models import Organization, OrganizationKind
from gongkai.reports import compare, figures, layout
from gongkai.reports.models import AnnualReport, RollUp

# The default members of a government's roll-up when the administrator has configured none.
DEFAULT_KINDS = (OrganizationKind.DEPARTMENT, OrganizationKind.STREET_OFFICE, OrganizationKind.TOWN)
# A member's own report is held against the system's data once it is final: signed off, or published (an
# imported report is always published). A draft is still being worked on.
FINAL = (AnnualReport.Status.SIGNED_OFF, AnnualReport.Status.PUBLISHED)


# --- the sum ----------------------------------------------------------------------------------------------


def total(parts: Iterable[dict]) -> dict:
    """The cell-by-cell sum of ``parts`` (figures in the 2021 format, `layout`'s shape); no parts: all zeros.
    Raises ValueError for a part in another format (the 2019 trial format has other rows)."""
    result = layout.empty_figures()
    table2, fees = result["table2"], Decimal(0)
    for part in parts:
        if part.get("format", layout.FORMAT_2021) != layout.FORMAT_2021:
            raise ValueError(f"only 2021-format figures add up, not {part.get('format')!r}")
        for key in ("regulation", "normative"):
            for count in layout.DOCUMENT_COUNTS:
                table2[key][count] += int(part["table2"][key][count])
        for key in layout.TABLE2_NUMBERS:
            table2[key] += int(part["table2"][key])
        fees += Decimal(str(part["table2"]["fees"]))
        for row in layout.TABLE3_ROWS:
            result["table3"][row.key] = [
                a + b for a, b in zip(result["table3"][row.key], part["table3"][row.key], strict=True)
            ]
        for key, _label in layout.TABLE4_GROUPS:
            result["table4"][key] = [a + b for a, b in zip(result["table4"][key], part["table4"][key], strict=True)]
    table2["fees"] = format(fees, "f")  # "1.25", never "1.25E+2"
    return result


# --- who is summed ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    government: Organization
    members: list[Organization]  # in the site's order; never the government itself
    include_own: bool
    configured: bool  # False: the default (no `RollUp` row, or one with no members)


def default_members(government: Organization):
    """A government's parts when none are configured; a department has none (its report is its own)."""
    if government.kind != OrganizationKind.GOVERNMENT:
        return Organization.objects.none()
    return Organization.objects.active().filter(kind__in=DEFAULT_KINDS).exclude(pk=government.pk)


def membership(government: Organization) -> Membership:
    """Whose figures ``government``'s report adds up: the configured members, or the default. A configured member
    counts even when it is no longer active: an organisation merged away still has the figures of its last year."""
    configured = RollUp.objects.filter(government=government).first()
    members = list(configured.members.exclude(pk=government.pk)) if configured else []
    include_own = configured.include_own if configured else True
    if not members:
        return Membership(government, list(default_members(government)), include_own, configured=False)
    return Membership(government, members, include_own, configured=True)


def rolls_up(organization: Organization) -> bool:
    """Whether ``organization``'s report is a sum of parts: a government's always (条例第四十九条); a department's
    when the administrator has listed its affiliated institutions (所属事业单位), whose figures its report then
    covers as the reference bureau's does."""
    if organization.kind == OrganizationKind.GOVERNMENT:
        return True
    return RollUp.objects.filter(government=organization, members__isnull=False).exists()


def membership_errors(
    government: Organization, members: Iterable[Organization], include_own: bool = True
) -> dict[str, str]:
    """What is wrong with a roll-up's configuration, by field (empty: nothing). A government adds up any
    organisations; a department only its own affiliated institutions, and always its own figures with them."""
    members = list(members)
    errors = {}
    if government.kind == OrganizationKind.DEPARTMENT:
        strangers = [member.name for member in members if member.parent_id != government.pk]
        if strangers:
            errors["members"] = (
                f"区政府部门的年度报告只汇总其所属事业单位，{'、'.join(strangers)}"
                f"不是{government.name}的所属事业单位 / a department's report adds up only its affiliated "
                f"institutions: {', '.join(strangers)} not affiliated to {government.name}"
            )
        if not include_own:
            errors["include_own"] = "区政府部门的年度报告总是包括其自身的数据 / a department's report always " \
                "includes its own figures"  # fmt: skip
    elif government.kind != OrganizationKind.GOVERNMENT:
        errors["government"] = "只有区政府和区政府部门的年度报告汇总其他机关的数据 / only a government's or a " \
            "department's report adds up others"  # fmt: skip
    if any(member.pk == government.pk for member in members):
        errors["members"] = "本机关自身的数据由“包括本级政府自身的数据”决定，不能列为汇总的机关 / " \
            "the organisation's own figures are included by the tick box, not as a member"  # fmt: skip
    return errors


# --- the parts, counted -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RolledUp:
    figures: dict
    processing_fees: Decimal  # 元, for section 六


@dataclass
class Part:
    organization: Organization
    figures: dict  # counted now (`figures.count`), with the hand-entered cells of its own report
    processing_fees: Decimal  # 元, as its own report's section 六 counts them
    own: bool = False  # the government's own figures
    report: AnnualReport | None = None  # the organisation's own report on the year (a member's), if any
    differences: list[compare.Change] = field(default_factory=list)  # its final report against `figures`

    @property
    def checked(self) -> bool:
        """Whether the member's own report is final and has tables, so it is held against the data."""
        return self.report is not None and self.report.status in FINAL and bool(self.report.figures.get("table3"))


def _own_report(organization: Organization, year: int, hand_entered: dict | None) -> RolledUp:
    """What a member's own report counts: its figures and fees, and its institutions' when it is a department
    covering them (a department's members are its institutions, which have none: no deeper, and no cycle)."""
    if organization.kind == OrganizationKind.DEPARTMENT and rolls_up(organization):
        return roll_up(organization, year, hand_entered=hand_entered)
    return RolledUp(
        figures.count(organization, year, hand_entered=hand_entered), figures.processing_fees(organization, year)
    )


def parts(government: Organization, year: int, members: Membership | None = None) -> list[Part]:
    """The government's own part (when included) and each member's, counted now. A member's final report is
    compared with its count: `Part.differences` lists each cell whose figure differs, named as the format does."""
    members = members or membership(government)
    reports = {
        report.organization_id: report
        for report in AnnualReport.objects.filter(organization__in=members.members, year=year)
    }
    found = []
    if members.include_own:
        found.append(
            Part(government, figures.count(government, year), figures.processing_fees(government, year), own=True)
        )
    for member in members.members:
        report = reports.get(member.pk)
        counted = _own_report(member, year, figures.hand_entered_of(report))
        part = Part(member, counted.figures, counted.processing_fees, report=report)
        if part.checked:
            part.differences = compare.compare(report.figures, part.figures)
        found.append(part)
    return found


def roll_up(government: Organization, year: int, *, hand_entered: dict | None = None) -> RolledUp:
    """The government's report figures for ``year``: the sum of its parts. ``hand_entered`` (the draft's own
    行政强制 and 收费金额, kept from an earlier count) replaces the parts' sum of those cells, as in
    `figures.count`; without it they are the sum of the members' own reports' entries."""
    counted = parts(government, year)
    summed = total(part.figures for part in counted)
    for key in layout.HAND_ENTERED:
        if hand_entered and key in hand_entered:
            summed["table2"][key] = hand_entered[key]
    return RolledUp(summed, sum((part.processing_fees for part in counted), Decimal(0)))


# --- the consistency view ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One cell of the roll-up: each part's figure, their sum, and what the government's report says."""

    cell: str  # the cell's name in the format's words (`layout.cell_name`)
    values: tuple[int | str, ...]  # per part, in the parts' order
    total: int | str
    reported: int | str | None  # the government's report's figure (None: no report with tables)

    @property
    def differs(self) -> bool:
        return self.reported is not None and Decimal(str(self.reported)) != Decimal(str(self.total))


def shares(parts: Sequence[Part], reported: dict | None = None) -> list[Share]:
    """Every cell of the format, in table order, with each part's share of it."""
    by_part = [compare.cells(part.figures) for part in parts]
    summed = compare.cells(total(part.figures for part in parts))
    report_cells = compare.cells(reported) if reported and reported.get("table3") else {}
    return [
        Share(
            compare.cell_name(*place),
            tuple(cells[place] for cells in by_part),
            value,
            report_cells.get(place) if report_cells else None,
        )
        for place, value in summed.items()
    ]
