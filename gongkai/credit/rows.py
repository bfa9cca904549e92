"""One submitted row of 双公示 data: normalised, typed and checked against the standard, with every error named.

`check_row(raw, standard, today=…)` takes the cells of one spreadsheet row keyed by field code (the importer maps
the headers) and returns the typed values and a list of `CellError`s, each naming the field, the value as it
was typed and the reason, in Chinese then English. It never raises for bad data, touches no database and keeps
no state, so the importer can stream rows through it; checks across rows (the same decision number twice in one
file) belong to the importer.

Normalisation first (STATUTES §3.3, issue 6): in codes, numbers and dates NFKC turns full-width letters,
digits and punctuation into half-width and every space goes; in names and text only stray spaces go. Dates
are accepted as ISO text, ``2026/3/5``, ``2026年3月5日``, ``20260305`` or an Excel serial; amounts are in
万元 with at most 6 decimals.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gongkai.credit.standard import (
    OLD_PENALTY_CATEGORIES,
    RESIDENT_ID_TYPE,
    Field,
    FieldKind,
    Standard,
)
from gongkai.lib import identifiers

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01 with Excel's 1900 leap-year bug absorbed
EXCEL_SERIALS = range(1, 2958466)  # up to 9999-12-31
_CHINESE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_SLASH_DATE = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SEPARATORS = re.compile(r"[、,，;；/\s]+")
MAX_DECIMALS = 6
# A file repeats most of its cells (its authority, dates, categories, legal basis): each field remembers the
# conversion of this many distinct cells (`Standard.conversions`), which makes checking ~2× faster.
MEMO_SIZE = 2000
MAX_AMOUNT = Decimal("1000000000")  # 万元: a sanity bound well above any fine


@dataclass(frozen=True)
class CellError:
    field: str  # the field code
    value: str  # as it was typed
    message: str  # Chinese, then English


@dataclass(frozen=True)
class RowResult:
    values: dict  # field code → str | date | Decimal | tuple[str, ...] | None
    errors: list[CellError]

    @property
    def ok(self) -> bool:
        return not self.errors


def compact(value: str) -> str:
    """NFKC without any whitespace: for codes, numbers and dates."""
    value = unicodedata.normalize("NFKC", value)
    return value if value.isalnum() else "".join(value.split())


def tidy(value: str) -> str:
    """Trimmed, inner runs of whitespace (full-width spaces too) as one space: for names and text, whose
    full-width punctuation is correct Chinese and is kept (淄博某某（集团）有限公司)."""
    return " ".join(value.split())


@functools.lru_cache(maxsize=4096)
def _identifier(value: str, kind: str) -> tuple[str, str]:
    """The normalised identifier and the first error ("" if valid), remembered: a file repeats its authority's
    and its own USCC on every row."""
    result = identifiers.check(value, kind)
    return result.normalized or value, "" if result.valid else result.errors[0]


def _as_text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    return str(raw)


def parse_date(raw) -> datetime.date | None:
    """A date as a spreadsheet holds it, or None if it is not one."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        serial = int(raw)
        return EXCEL_EPOCH + datetime.timedelta(days=serial) if serial == raw and serial in EXCEL_SERIALS else None
    text = compact(_as_text(raw))
    try:
        return datetime.date.fromisoformat(text)  # the common case first (strptime is 36× slower)
    except ValueError:
        pass
    for pattern in (_SLASH_DATE, _CHINESE_DATE, _COMPACT_DATE):
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError:
                return None
    if text.isdigit() and int(text) in EXCEL_SERIALS and len(text) <= 7:
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    return None


class _Row:
    def __init__(self, standard: Standard, today: datetime.date) -> None:
        self.standard = standard
        self.today = today
        self.values: dict = {}
        self.errors: list[CellError] = []
        self.raw: dict = {}

    def typed(self, code: str) -> str:
        """The cell as the submitter typed it (for error reports)."""
        return _as_text(self.raw.get(code))

    def error(self, f: Field, chinese: str, english: str) -> None:
        self.errors.append(CellError(f.code, self.typed(f.code), f"{f.label}：{chinese} / {english}"))

    def code_entry(self, f: Field, text: str) -> str | None:
        """The label of a code-list entry given by its code or its label."""
        entries = self.standard.code_lists[f.code_list]
        for code, label in entries:
            if text in (code, label):
                return label
        return None

    def convert(self, f: Field, raw) -> object:
        if raw is None or raw == "":
            return None
        text = _as_text(raw)
        if f.kind in (FieldKind.TEXT,):
            value = tidy(text)
        elif f.kind == FieldKind.DATE:
            value = compact(text) if not isinstance(raw, datetime.date | int | float) else raw
        else:
            value = compact(text)
        if value in ("", None):
            return None
        if f.kind == FieldKind.TEXT:
            if len(value) > f.max_length:
                self.error(f, f"超过{f.max_length}个字（{len(value)}个）", f"longer than {f.max_length} characters")
            return value
        if f.kind == FieldKind.CODE:
            label = self.code_entry(f, value)
            if label is None:
                self.error(f, "不在代码表中", "not in the code list")
            return label
        if f.kind == FieldKind.CODES:
            labels: list[str] = []
            for part in filter(None, _SEPARATORS.split(tidy(text))):
                mapped = OLD_PENALTY_CATEGORIES.get(part)
                for item in mapped or (part,):
                    label = self.code_entry(f, item)
                    if label is None:
                        self.error(f, f"“{part}”不在代码表中", f"'{part}' is not in the code list")
                    elif label not in labels:
                        labels.append(label)
            return tuple(labels) or None
        if f.kind == FieldKind.DATE:
            day = parse_date(raw if isinstance(raw, datetime.date | int | float) else value)
            if day is None:
                self.error(f, "不是有效日期", "not a valid date")
            return day
        if f.kind == FieldKind.AMOUNT:
            try:
                amount = Decimal(value)
            except InvalidOperation:
                self.error(f, "不是数字", "not a number")
                return None
            if not amount.is_finite() or amount < 0:
                self.error(f, "不能为负数", "cannot be negative")
            elif -amount.as_tuple().exponent > MAX_DECIMALS:
                self.error(
                    f, f"最多{MAX_DECIMALS}位小数（单位：万元）", f"at most {MAX_DECIMALS} decimals (in 10,000 yuan)"
                )
            elif amount > MAX_AMOUNT:
                self.error(f, "金额过大，请检查单位是否为万元", "too large: is the unit 10,000 yuan?")
            return amount
        if f.kind == FieldKind.USCC:
            return self.identifier(f, value, "uscc")
        if f.kind == FieldKind.ORG_CODE:
            return self.identifier(f, value, "org_code")
        return value.upper() if f.kind == FieldKind.ID_NUMBER else value

    def identifier(self, f: Field, value: str, kind: str) -> str:
        if kind == "uscc" and identifiers.uscc_is_valid(value):
            return value  # already compact, upper case and valid: what the full check would return
        normalized, error = _identifier(value, kind)
        if error:
            self.errors.append(CellError(f.code, self.typed(f.code), f"{f.label}：{error}"))
        return normalized

    def check_id_numbers(self) -> None:
        for f in self.standard.id_number_fields:
            number = self.values.get(f.code)
            if not number:
                continue
            if self.values.get(f.id_type_field) in (None, RESIDENT_ID_TYPE):
                result = identifiers.check(number, "resident_id", today=self.today)
                if not result.valid:
                    self.errors.append(CellError(f.code, self.typed(f.code), f"{f.label}：{result.errors[0]}"))
                else:
                    self.values[f.code] = result.normalized

    def check_required(self) -> None:
        subject = self.values.get(f"{self.standard.prefix}_XDR_LB")
        fields = self.standard.by_code()
        required = self.standard.sometimes_required
        empty = [fields[code] for code, value in self.values.items() if value is None and code in required]
        for f in empty:
            if f.required.applies(subject, self.values):
                if any(error.field == f.code for error in self.errors):
                    continue  # already said why the value is unusable
                reason = f"（{subject}）" if f.required.for_subjects and not f.required.always else ""
                self.error(f, f"必填{reason}", "required")

    def check_dates(self) -> None:
        prefix = self.standard.prefix
        decided = self.values.get(f"{prefix}_JDRQ")
        fields = self.standard.by_code()
        if decided and decided > self.today:
            self.error(fields[f"{prefix}_JDRQ"], f"晚于今天（{self.today.isoformat()}）", "is in the future")
        if prefix == "XK":
            start, end = self.values.get("XK_YXQZ"), self.values.get("XK_YXQZI")
            if start and end and end < start:
                self.error(
                    fields["XK_YXQZI"], f"早于有效期自（{start.isoformat()}）", "is before the start of validity"
                )


def check_row(raw: dict, standard: Standard, *, today: datetime.date) -> RowResult:
    """Normalise and check one row (cells keyed by field code; missing keys are empty cells)."""
    row = _Row(standard, today)
    row.raw = raw
    values, errors = row.values, row.errors
    memo = standard.conversions
    for f in standard.fields:
        value = raw.get(f.code)
        if value is None or value == "":
            values[f.code] = None
            continue
        known = memo[f.code].get(value)
        if known is None:
            before = len(errors)
            converted = row.convert(f, value)
            known = (converted, tuple(errors[before:]))
            if len(memo[f.code]) < MEMO_SIZE:
                memo[f.code][value] = known
        else:
            errors.extend(known[1])
        values[f.code] = known[0]
    row.check_id_numbers()
    row.check_required()
    row.check_dates()
    return RowResult(row.values, row.errors)
