"""The 双公示 standard as this installation applies it: the built-in standard (`gongkai.credit.standard`) with
the required flags and code-list entries an administrator changed in the admin (STATUTES §3.3 marks them [R]);
and the publicity rules of penalties (`PublicityRule`, STATUTES §3.5).

Every import, template and check asks `standard_for(record_type)`, and everything that counts a publicity period
`publicity_rules()`; nothing else reads those tables.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from gongkai.credit.models import CodeListEntry, FieldRequirement, PublicityRule
from gongkai.credit.periods import Rule
from gongkai.credit.standard import ALWAYS, OPTIONAL, STANDARDS, SUBJECT_KINDS, Requirement, Standard


def _parts(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(",", "、").replace("，", "、").split("、") if part.strip())


def requirement_of(rule: FieldRequirement) -> Requirement:
    if rule.rule == FieldRequirement.Rule.ALWAYS:
        return ALWAYS
    if rule.rule == FieldRequirement.Rule.SUBJECTS:
        return Requirement(for_subjects=_parts(rule.subjects))
    if rule.rule == FieldRequirement.Rule.WHEN:
        return Requirement(when_field=rule.when_field.strip().upper(), when_values=_parts(rule.when_values))
    return OPTIONAL


def check_requirement(rule: FieldRequirement) -> None:
    """Why ``rule`` cannot be applied, by field (for the admin form), or nothing."""
    errors: dict[str, str] = {}
    standard = STANDARDS.get(rule.record_type)
    fields = standard.by_code() if standard else {}
    if standard and rule.field_code.strip().upper() not in fields:
        errors["field_code"] = f"“{rule.field_code}”不是该类型的字段代码 / not a field code of this record type"
    if rule.rule == FieldRequirement.Rule.SUBJECTS:
        unknown = [kind for kind in _parts(rule.subjects) if kind not in SUBJECT_KINDS]
        if unknown or not _parts(rule.subjects):
            kinds = "、".join(SUBJECT_KINDS)
            errors["subjects"] = f"请填写行政相对人类别：{kinds} / list subject kinds from: {kinds}"
    if rule.rule == FieldRequirement.Rule.WHEN:
        if rule.when_field.strip().upper() not in fields:
            errors["when_field"] = "请填写该类型的字段代码 / enter a field code of this record type"
        if not _parts(rule.when_values):
            errors["when_values"] = "请填写依据字段的值 / enter the values"
    if errors:
        raise ValidationError(errors)


def code_lists(base: dict[str, tuple[tuple[str, str], ...]]) -> dict[str, tuple[tuple[str, str], ...]]:
    """The built-in code lists with the administrator's entries: relabelled, added or retired."""
    lists = {name: dict(entries) for name, entries in base.items()}
    for entry in CodeListEntry.objects.all():
        entries = lists.setdefault(entry.code_list, {})
        if entry.retired:
            entries.pop(entry.code, None)
        else:
            entries[entry.code] = entry.label
    return {name: tuple(entries.items()) for name, entries in lists.items()}


def standard_for(record_type: str) -> Standard:
    """The standard of ``record_type`` with this installation's required flags and code lists."""
    standard = STANDARDS[record_type]
    required = {
        rule.field_code.strip().upper(): requirement_of(rule)
        for rule in FieldRequirement.objects.filter(record_type=record_type)
    }
    return standard.with_overrides(required=required, code_lists=code_lists(standard.code_lists))


def publicity_rules() -> tuple[Rule, ...]:
    """The publicity rules of penalties, as `gongkai.credit.periods` takes them."""
    return tuple(rule.as_rule() for rule in PublicityRule.objects.all())
