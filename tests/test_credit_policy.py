"""The required flags and code lists are data: an administrator changes them in the admin, imports follow."""

from datetime import date

import pytest
from credit_files import csv_file, licence
from django.core.exceptions import ValidationError

from gongkai.credit import policy, services, templates
from gongkai.credit.models import CodeListEntry, FieldRequirement, Licence

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def submit(bureau, *rows):
    return services.import_file(csv_file(*rows), "licences.csv", organization=bureau, today=TODAY)


def test_without_changes_the_standard_is_the_built_in_one(bureau):
    from gongkai.credit.standard import LICENCE

    assert policy.standard_for("licence") == LICENCE


def test_a_field_made_optional_is_no_longer_required(bureau):
    _s, report = submit(bureau, licence(1, 法定代表人=""))
    assert [error["field"] for error in report.errors] == ["XK_FRDB"]
    FieldRequirement.objects.create(record_type="licence", field_code="XK_FRDB", rule="optional")
    _s, report = submit(bureau, licence(1, 法定代表人=""))
    assert report.errors == [] and Licence.objects.count() == 1


def test_a_field_made_required_for_some_subjects_is_checked_for_them(bureau):
    FieldRequirement.objects.create(
        record_type="licence", field_code="XK_XKBH", rule="subjects", subjects="法人及非法人组织"
    )
    _s, report = submit(bureau, licence(1))
    assert report.errors[0]["field"] == "XK_XKBH" and "必填（法人及非法人组织）" in report.errors[0]["message"]


def test_an_added_code_is_accepted_and_a_retired_one_refused(bureau):
    _s, report = submit(bureau, licence(1, 许可类别="备案"))
    assert report.errors[0]["field"] == "XK_XKLB"
    CodeListEntry.objects.create(code_list="licence_category", code="07", label="备案")
    CodeListEntry.objects.create(code_list="licence_category", code="02", label="特许", retired=True)
    _s, report = submit(bureau, licence(1, 许可类别="备案"), licence(2, 许可类别="07"))
    assert report.errors == [] and set(Licence.objects.values_list("category", flat=True)) == {"备案"}
    _s, report = submit(bureau, licence(3, 许可类别="特许"))
    assert report.errors[0]["field"] == "XK_XKLB" and "不在代码表中" in report.errors[0]["message"]


def test_the_templates_offer_the_changed_code_list(bureau):
    from io import BytesIO

    from openpyxl import load_workbook

    CodeListEntry.objects.create(code_list="licence_category", code="07", label="备案")
    workbook = load_workbook(BytesIO(templates.xlsx_template(policy.standard_for("licence"))))
    listed = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert "备案" in listed


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"field_code": "XK_NOPE", "rule": "always"}, "field_code"),
        ({"field_code": "XK_XKBH", "rule": "subjects", "subjects": "公司"}, "subjects"),
        ({"field_code": "XK_XKBH", "rule": "when", "when_field": "XK_NOPE", "when_values": "普通"}, "when_field"),
        ({"field_code": "XK_XKBH", "rule": "when", "when_field": "XK_XKLB", "when_values": ""}, "when_values"),
    ],
)
def test_a_rule_that_cannot_apply_is_refused_with_the_field_named(rule, field):
    with pytest.raises(ValidationError) as refused:
        FieldRequirement(record_type="licence", **rule).clean()
    assert field in refused.value.message_dict
    assert " / " in refused.value.message_dict[field][0]  # Chinese, then English
