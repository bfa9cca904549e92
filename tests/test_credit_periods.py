"""Publicity periods of penalties (STATUTES §3.5): the regime of the decision date and the class give the last
day of the minimum period and the 公示截止期, months counted as 《民法典》 第二百零一条、第二百零二条 count them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from gongkai.credit import periods, policy
from gongkai.credit.models import PublicityRule
from gongkai.credit.periods import SEED_RULES, add_months, in_publicity, periods_of, rule_for
from gongkai.credit.standard import GENERAL, MINOR, SERIOUS

D = date


@pytest.mark.parametrize(
    ("day", "months", "last"),
    [
        (D(2026, 3, 5), 3, D(2026, 6, 5)),  # the corresponding day of the last month
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # no 31 February: the last day of the month
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # a leap year
        (D(2026, 8, 31), 3, D(2026, 11, 30)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a leap day, one year on
        (D(2024, 2, 29), 48, D(2028, 2, 29)),  # four years on: a leap day again
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # across the year
        (D(2026, 12, 31), 12, D(2027, 12, 31)),
        (D(2026, 3, 5), 0, D(2026, 3, 5)),
    ],
)
def test_a_period_of_months_ends_on_the_corresponding_day_or_the_last_day_of_the_month(day, months, last):
    assert add_months(day, months) == last


@pytest.mark.parametrize(
    ("decided", "severity", "regime", "min_until", "max_until"),
    [
        # 发改办财金〔2019〕527号: up to 2023-04-30 (and earlier decisions)
        (D(2018, 6, 1), GENERAL, "2019", D(2018, 9, 1), D(2019, 6, 1)),
        (D(2023, 4, 30), GENERAL, "2019", D(2023, 7, 30), D(2024, 4, 30)),
        (D(2023, 4, 30), SERIOUS, "2019", D(2023, 10, 30), D(2026, 4, 30)),
        (D(2023, 4, 30), MINOR, "2019", D(2023, 7, 30), D(2024, 4, 30)),  # no 轻微 then: as 一般
        # 国家发展改革委令第58号: 2023-05-01 to 2026-03-31, one period for every class
        (D(2023, 5, 1), GENERAL, "2023", D(2023, 8, 1), D(2026, 5, 1)),
        (D(2023, 5, 1), SERIOUS, "2023", D(2023, 8, 1), D(2026, 5, 1)),
        (D(2026, 3, 31), MINOR, "2023", D(2026, 6, 30), D(2029, 3, 31)),
        # 国家发展改革委令2025年第36号: from 2026-04-01
        (D(2026, 4, 1), MINOR, "2025", D(2026, 4, 1), D(2026, 7, 1)),
        (D(2026, 4, 1), GENERAL, "2025", D(2026, 7, 1), D(2027, 4, 1)),
        (D(2026, 4, 1), SERIOUS, "2025", D(2027, 4, 1), D(2029, 4, 1)),
        (D(2028, 2, 29), SERIOUS, "2025", D(2029, 2, 28), D(2031, 2, 28)),
        (D(2026, 5, 31), GENERAL, "2025", D(2026, 8, 31), D(2027, 5, 31)),
    ],
)
def test_the_regime_of_the_decision_date_and_the_class_give_the_periods(
    decided, severity, regime, min_until, max_until
):
    counted = periods_of(decided, severity, SEED_RULES)
    assert counted.rule.regime == regime
    assert (counted.min_until, counted.max_until) == (min_until, max_until)
    assert counted.repairable_from == D.fromordinal(min_until.toordinal() + 1)


def test_each_regime_names_its_document_and_number():
    assert "发改办财金〔2019〕527号" in rule_for(D(2023, 4, 30), GENERAL, SEED_RULES).regime_name
    assert "国家发展改革委令第58号" in rule_for(D(2023, 5, 1), GENERAL, SEED_RULES).regime_name
    assert "国家发展改革委令2025年第36号" in rule_for(D(2026, 4, 1), GENERAL, SEED_RULES).regime_name


def test_a_minor_penalty_under_the_2025_rules_is_not_published_and_the_others_until_their_last_day():
    minor = periods_of(D(2026, 4, 1), MINOR, SEED_RULES)
    assert not minor.rule.published and not in_publicity(minor, D(2026, 4, 2))
    general = periods_of(D(2026, 4, 1), GENERAL, SEED_RULES)
    assert in_publicity(general, D(2027, 4, 1)) and not in_publicity(general, D(2027, 4, 2))
    assert all(rule.repairable for rule in SEED_RULES)


def test_without_a_rule_there_is_no_period_and_no_known_end():
    assert periods_of(D(2026, 4, 1), GENERAL, []) is None
    assert in_publicity(None, D(2099, 1, 1))


def test_overlapping_rules_resolve_to_the_latest_regime():
    later = periods.Rule("2027", "新办法", D(2027, 1, 1), None, GENERAL, 1, 6)  # the 2025 rule left open-ended
    assert rule_for(D(2027, 1, 1), GENERAL, [*SEED_RULES, later]) is later
    assert rule_for(D(2026, 12, 31), GENERAL, [*SEED_RULES, later]).regime == "2025"


@pytest.mark.django_db
def test_the_rules_are_seeded_from_the_statute_and_an_administrator_changes_them():
    assert set(policy.publicity_rules()) == set(SEED_RULES) and len(SEED_RULES) == 9
    PublicityRule.objects.filter(regime="2025", severity=GENERAL).update(max_months=24)
    assert periods_of(D(2026, 4, 1), GENERAL, policy.publicity_rules()).max_until == D(2028, 4, 1)
    assert periods.seed_database(PublicityRule) == 0  # rules that exist are never touched


@pytest.mark.django_db
def test_a_rule_whose_minimum_exceeds_its_maximum_is_refused_in_the_admin():
    rule = PublicityRule(regime="2030", regime_name="某办法", severity=GENERAL, min_months=13, max_months=12)
    with pytest.raises(ValidationError) as raised:
        rule.full_clean()
    assert "最短公示期不能长于最长公示期" in str(raised.value.message_dict["min_months"])
