"""How long a 行政处罚 is published (公示期) and when its credit may be repaired (信用修复), as pure functions.

The regime in force on the decision date decides (STATUTES §3.5), each counting from the decision date:

* 国家发展改革委办公厅《关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》
  (发改办财金〔2019〕527号), for decisions up to 2023-04-30: 一般失信 at least 3 months and at most 1 year,
  严重失信 at least 6 months and at most 3 years; at the maximum the record is taken down.
* 《失信行为纠正后的信用信息修复管理办法（试行）》(国家发展改革委令第58号), 2023-05-01 to 2026-03-31: at least
  3 months, at most 3 years; after the minimum the subject may apply to end publicity early.
* 《信用修复管理办法》(国家发展改革委令2025年第36号), from 2026-04-01: 轻微 原则上不予公示 (at most 3 months when
  the regulator publishes it), 一般 3 months to 1 year, 严重 1 year to 3 years; repair after the minimum,
  publicity stops automatically at the maximum.

The figures are data (`gongkai.credit.models.PublicityRule`, seeded from `SEED_RULES`, changed in the admin):
this module only chooses a rule and counts. Months are counted as 《民法典》 does: 第二百零一条, the day of the
decision is not counted; 第二百零二条, the period ends on the corresponding day of its last month, or on the last
day of that month if it has no such day (decided 01-31, one month: 02-28, or 02-29 in a leap year).

What the rules do not hold (STATUTES §3.5, open): the 2019 "特定严重失信" penalties shown for the full 3 years and
not repairable, and the 2023 minimum of 1 year for 特种设备、安全生产、消防 penalties, depend on the field of the
penalty, not on its class; a credit officer who meets one sets the class (`services.set_severity`) or refuses
the repair.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.credit.standard import GENERAL, MINOR, SERIOUS

D = datetime.date


@dataclass(frozen=True)
class Rule:
    """One severity class under one regime (a `PublicityRule` row as plain values)."""

    regime: str  # "2019", "2023", "2025"
    regime_name: str  # the document, with its number
    in_force_from: datetime.date | None  # None: any earlier decision too
    in_force_to: datetime.date | None  # the last day it applies to; None: still in force
    severity: str  # standard.MINOR, GENERAL or SERIOUS
    min_months: int
    max_months: int
    repairable: bool = True
    published: bool = True  # False: not published at all (2025 轻微: 原则上不予公示)

    def applies(self, decided: datetime.date, severity: str) -> bool:
        return (
            self.severity == severity
            and (self.in_force_from is None or self.in_force_from <= decided)
            and (self.in_force_to is None or decided <= self.in_force_to)
        )


@dataclass(frozen=True)
class Periods:
    """A penalty's publicity: the rule that gives it, the last day of the minimum period and the 公示截止期."""

    rule: Rule
    min_until: datetime.date
    max_until: datetime.date

    @property
    def repairable_from(self) -> datetime.date:
        """The first day a repair may be applied for: the day after the minimum period."""
        return self.min_until + datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The last day of a period of ``months`` months counted from ``day`` (民法典 第二百零一条、第二百零二条)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rule_for(decided: datetime.date, severity: str, rules: Iterable[Rule]) -> Rule | None:
    """The rule of the regime in force on ``decided`` for ``severity`` (the latest regime if rules overlap)."""
    found = [rule for rule in rules if rule.applies(decided, severity)]
    return max(found, key=lambda rule: rule.in_force_from or datetime.date.min, default=None)


def periods_of(decided: datetime.date, severity: str, rules: Iterable[Rule]) -> Periods | None:
    """The publicity of a penalty decided on ``decided`` in class ``severity``; None if no rule covers it."""
    rule = rule_for(decided, severity, rules)
    if rule is None:
        return None
    return Periods(rule, add_months(decided, rule.min_months), add_months(decided, rule.max_months))


def in_publicity(periods: Periods | None, today: datetime.date) -> bool:
    """Whether a penalty with these periods belongs on the public site today (no rule: no end is known)."""
    return periods is None or (periods.rule.published and today <= periods.max_until)


# --- the rules of STATUTES §3.5, as a new installation has them -------------------------------------------------

REGIME_2019 = "2019"
REGIME_2023 = "2023"
REGIME_2025 = "2025"
NAME_2019 = (
    "国家发展改革委办公厅《关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知》"
    "（发改办财金〔2019〕527号）"
)
NAME_2023 = "《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号）"
NAME_2025 = "《信用修复管理办法》（国家发展改革委令2025年第36号）"
END_2019, START_2023 = D(2023, 4, 30), D(2023, 5, 1)
END_2023, START_2025 = D(2026, 3, 31), D(2026, 4, 1)

SEED_RULES: tuple[Rule, ...] = (
    # 527号 knows 一般 and 严重 only: a 轻微 penalty of that time is counted as 一般. It applied to every record on
    # the credit sites, older decisions too, hence no start.
    Rule(REGIME_2019, NAME_2019, None, END_2019, MINOR, 3, 12),
    Rule(REGIME_2019, NAME_2019, None, END_2019, GENERAL, 3, 12),
    Rule(REGIME_2019, NAME_2019, None, END_2019, SERIOUS, 6, 36),
    # 58号令: one period for all penalty information.
    Rule(REGIME_2023, NAME_2023, START_2023, END_2023, MINOR, 3, 36),
    Rule(REGIME_2023, NAME_2023, START_2023, END_2023, GENERAL, 3, 36),
    Rule(REGIME_2023, NAME_2023, START_2023, END_2023, SERIOUS, 3, 36),
    # 2025年第36号令: 轻微 原则上不予公示; when published, at most 3 months, repairable once the duties are met.
    Rule(REGIME_2025, NAME_2025, START_2025, None, MINOR, 0, 3, published=False),
    Rule(REGIME_2025, NAME_2025, START_2025, None, GENERAL, 3, 12),
    Rule(REGIME_2025, NAME_2025, START_2025, None, SERIOUS, 12, 36),
)


def seed_database(model) -> int:
    """Put `SEED_RULES` into the `PublicityRule` table ``model`` (the migration passes its historical model) if it
    is empty: an administrator's rules are never touched. Returns how many rows were created."""
    if model.objects.exists():
        return 0
    model.objects.bulk_create(model(**dataclasses.asdict(rule)) for rule in SEED_RULES)
    return len(SEED_RULES)
