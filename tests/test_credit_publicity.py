"""What the public sees of 双公示 records: withdrawn ones and warning-only penalties kept back, ID numbers masked."""

from datetime import date

import pytest
from credit_files import csv_file, licence

from gongkai.credit import publicity, services
from gongkai.credit.models import CreditSettings, Licence
from gongkai.credit.standard import LICENCE, PENALTY

PERSON_PENALTY = {
    "CF_XDR_MC": "王小明", "CF_XDR_LB": "自然人", "CF_XDR_ZJLX": "身份证", "CF_XDR_ZJHM": "370303199001011239",
    "CF_FR_ZJHM": "", "CF_CFLB": "警告、罚款", "CF_NR_FK": "0.5",
}  # fmt: skip


def test_identity_numbers_are_shown_with_the_first_six_and_last_four_only():
    shown = publicity.masked(PERSON_PENALTY, PENALTY)
    assert shown["CF_XDR_ZJHM"] == "370303********1239"
    assert shown["CF_XDR_MC"] == "王小明" and shown["CF_FR_ZJHM"] == ""
    assert PERSON_PENALTY["CF_XDR_ZJHM"] == "370303199001011239"  # the stored value is untouched
    passport = publicity.masked({**PERSON_PENALTY, "CF_XDR_ZJHM": "E12345678"}, PENALTY)
    assert "2345" not in passport["CF_XDR_ZJHM"][:5]


def test_a_penalty_that_is_only_a_warning_is_not_published_unless_the_rule_is_switched_off():
    assert publicity.is_publishable(PERSON_PENALTY, PENALTY)
    warning = {**PERSON_PENALTY, "CF_CFLB": "警告"}
    assert not publicity.is_publishable(warning, PENALTY)
    assert publicity.is_publishable(warning, PENALTY, publish_warnings=True)


@pytest.mark.parametrize(("status", "public"), [("有效", True), ("撤销", False), ("无效", False)])
def test_a_revoked_or_void_licence_leaves_public_view(status, public):
    assert publicity.is_publishable({"XK_ZT": status}, LICENCE) is public


@pytest.mark.django_db
def test_imported_records_are_public_at_once_unless_the_organisation_holds_them_for_review(bureau):
    services.import_file(csv_file(licence(1)), "a.csv", organization=bureau, today=date(2026, 11, 26))
    record = Licence.objects.get()
    assert record.is_public and record.first_published_at is not None
    services.import_file(csv_file(licence(1, 当前状态="撤销")), "b.csv", organization=bureau, today=date(2026, 11, 26))
    assert not Licence.objects.public().exists()

    CreditSettings.objects.create(organization=bureau, hold_for_review=True)
    services.import_file(csv_file(licence(2)), "c.csv", organization=bureau, today=date(2026, 11, 26))
    held = Licence.objects.get(decision_number="张发改许〔2026〕2号")
    assert not held.is_public and held.first_published_at is None
