"""Chinese identifiers: 统一社会信用代码 (USCC), 居民身份证号码 (resident ID) and 组织机构代码 (org code).

Every check returns an :class:`IdCheck` rather than raising, so that a bulk import can report each failed
check by row and column. Errors make a value invalid; warnings (an unknown registration category, an
address code missing from the region table, a 15-digit number that was upgraded) do not.

The check characters are computed by python-stdnum (``stdnum.cn.uscc``, ``stdnum.cn.ric``), and its
region table decides whether an address code is known; GB 11714 is not in stdnum, so it lives here.
Spec: STATUTES.md §4.1 (GB 32100-2015), §4.2 (GB 11643-1999), §4.3 (GB 11714-1997).
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from stdnum import numdb
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

__all__ = [
    "PROVINCES",
    "USCC_ALPHABET",
    "USCC_CATEGORIES",
    "USCC_REGISTRATION_AUTHORITIES",
    "IdCheck",
    "check",
    "check_org_code",
    "check_resident_id",
    "check_uscc",
    "identify",
    "mask_resident_id",
    "normalize",
    "org_code_check_char",
    "resident_id_check_char",
    "uscc_check_char",
]

Kind = Literal["uscc", "resident_id", "org_code"]

SHANGHAI = ZoneInfo("Asia/Shanghai")

# GB 32100-2015: digits and capital letters except I, O, Z, S, V; a character's value is its index.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# STATUTES.md §4.1, position 1 (登记管理部门). Some public code mislabels 3, 4, 6, 7 and 8; this is the
# table the spec verified.
USCC_REGISTRATION_AUTHORITIES: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

# STATUTES.md §4.1, position 2 (机构类别) for each position-1 code.
USCC_CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

# GB/T 2260 province-level codes (the first two digits of an address code), 11 北京 … 82 澳门.
PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

# Central-level registration authorities use 100000 as the USCC region code; it is not in GB/T 2260.
_CENTRAL_REGION_CODE = "100000"

_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_BODY_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# Hyphen-like characters people paste between groups (after NFKC, U+FF0D is already "-").
_HYPHENS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63")
# Invisible characters that come along when a value is copied from a web page or a word processor.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

_NAMES = {
    "uscc": ("统一社会信用代码", "USCC"),
    "resident_id": ("居民身份证号码", "resident ID"),
    "org_code": ("组织机构代码", "organisation code"),
}


def normalize(value: str) -> str:
    """Return the compact form of an identifier as typed or pasted.

    Full-width characters become half-width (NFKC, which also turns the ideographic space into a space),
    every whitespace, hyphen-like and invisible character is removed, and letters are upper-cased.
    """
    text = unicodedata.normalize("NFKC", value)
    return "".join(
        ch for ch in text if not ch.isspace() and ch not in _HYPHENS and ch not in _INVISIBLE
    ).upper()


@dataclass(frozen=True)
class IdCheck:
    """The outcome of checking one value.

    ``errors`` and ``warnings`` are bilingual messages, Chinese first, each naming the value and the check;
    ``failed_checks`` names the checks behind ``errors`` in machine form (``length``, ``charset``,
    ``region_code``, ``birth_date``, ``check_char``, ``shape``), in the same order.
    """

    value: str
    normalized: str
    kind: Kind | None
    valid: bool
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict, hash=False)
    failed_checks: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "normalized": self.normalized,
            "kind": self.kind,
            "valid": self.valid,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "details": dict(self.details),
        }


class _Report:
    """Collects errors and warnings for one value, phrased for one kind of identifier."""

    def __init__(self, kind: Kind, shown: str) -> None:
        self.kind = kind
        self.zh, self.en = _NAMES[kind]
        self.shown = shown
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.warnings: list[str] = []

    def error(self, check: str, zh: str, en: str) -> None:
        self.failed.append(check)
        self.errors.append(f'{self.zh} "{self.shown}" {zh} / {self.en} "{self.shown}": {en}')

    def warning(self, zh: str, en: str) -> None:
        self.warnings.append(f'{self.zh} "{self.shown}" {zh} / {self.en} "{self.shown}": {en}')

    def result(self, value: str, normalized: str, details: dict[str, Any]) -> IdCheck:
        return IdCheck(
            value=value,
            normalized=normalized,
            kind=self.kind,
            valid=not self.errors,
            errors=tuple(self.errors),
            warnings=tuple(self.warnings),
            details=details,
            failed_checks=tuple(self.failed),
        )


def _today() -> datetime.date:
    return datetime.datetime.now(tz=SHANGHAI).date()


# --- check characters -------------------------------------------------------------------------------


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for the first 17 characters of a USCC.

    C18 = (31 − Σ vᵢ·3^(i−1) mod 31) mod 31, mapped back through the 31-symbol alphabet; the final
    ``mod 31`` makes a sum divisible by 31 give "0" (the pitfall in STATUTES.md §4.1).
    Raises ValueError if ``first17`` is not 17 characters of the USCC alphabet.
    """
    if len(first17) != 17 or any(ch not in USCC_ALPHABET for ch in first17):
        raise ValueError(
            f'"{first17}" 不是17位统一社会信用代码字符 / '
            f'"{first17}" is not 17 characters of the USCC alphabet'
        )
    return stdnum_uscc.calc_check_digit(first17)


def resident_id_check_char(first17: str) -> str:
    """GB 11643 check character: ``"10X98765432"[Σ dᵢ·wᵢ mod 11]`` with weights 7, 9, 10, 5, 8, 4, 2, 1, …

    Raises ValueError if ``first17`` is not 17 digits.
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f'"{first17}" 不是17位数字 / "{first17}" is not 17 digits')
    # stdnum expects the number with a check character in place and ignores it.
    return stdnum_ric.calc_check_digit(first17 + "0")


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character: C9 = 11 − (Σ vᵢ·wᵢ mod 11), weights 3, 7, 9, 10, 5, 8, 4, 2; 10 → X, 11 → 0.

    Body characters are digits (0–9) or capital letters (A–Z = 10–35). Raises ValueError otherwise.
    """
    if len(first8) != 8 or any(ch not in _ORG_CODE_BODY_ALPHABET for ch in first8):
        raise ValueError(
            f'"{first8}" 不是8位组织机构代码本体（数字或大写字母） / '
            f'"{first8}" is not an 8-character organisation code body (digits or capital letters)'
        )
    total = sum(
        _ORG_CODE_BODY_ALPHABET.index(ch) * w for ch, w in zip(first8, _ORG_CODE_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


# --- USCC -------------------------------------------------------------------------------------------


def _region_name(code: str, year: int | None) -> dict[str, str] | None:
    """Province and county for a GB/T 2260 code from stdnum's table, or None if it is not there.

    With ``year`` the county must have existed in that year (as stdnum does for birth places).
    """
    found = _cached_region(code, year)
    return dict(found) if found else None


@functools.lru_cache(maxsize=8192)
def _cached_region(code: str, year: int | None) -> dict[str, str] | None:
    """`_region_name`, remembered: stdnum's table look-up costs ~0.1 ms, and an import of a million rows
    asks about a few hundred codes."""
    results = numdb.get("cn/loc").info(code)
    info = {k: v for _part, props in results for k, v in props.items()}
    if "province" not in info or "county" not in info:
        return None
    for county in info["county"].split(","):
        if not county.startswith("["):
            return {"province": info["province"], "county": county}
        span, name = county[1:].split("]", 1)
        start, end = span.split("-")
        if year is None or ((not start or year >= int(start)) and (not end or year <= int(end))):
            return {"province": info["province"], "county": name}
    return None


def _org_code_failure(code9: str) -> tuple[str, str] | None:
    """Why a 9-character organisation code fails GB 11714 (zh, en), or None if it passes."""
    body, check = code9[:8], code9[8]
    if any(ch not in _ORG_CODE_BODY_ALPHABET for ch in body):
        return ("本体代码含非法字符", "the body contains characters other than digits and capital letters")
    expected = org_code_check_char(body)
    if check != expected:
        return (f"校验码应为 {expected}", f"check character is {check}, expected {expected}")
    return None


_USCC_VALUES = {ch: index for index, ch in enumerate(USCC_ALPHABET)}


def uscc_is_valid(code: str) -> bool:
    """Whether `check_uscc` finds no error in ``code``, which is already in compact form (`normalize`).

    The fast path for bulk imports (~1 µs against ~12 µs): no warnings, no details, no messages.
    """
    if len(code) != 18 or not code[2:8].isdigit():
        return False
    try:
        total = sum(_USCC_VALUES[ch] * weight for ch, weight in zip(code, _USCC_WEIGHTS, strict=False))
    except KeyError:
        return False
    return code[17] == USCC_ALPHABET[(31 - total % 31) % 31]


def check_uscc(value: str) -> IdCheck:
    """Check a 统一社会信用代码 against GB 32100-2015 (STATUTES.md §4.1).

    Errors: length ≠ 18; a character outside digits and capitals except I, O, Z, S, V; a region code
    (positions 3–8) that is not 6 digits; a wrong check character (position 18).
    Warnings: an unknown (position 1, position 2) pair; a region code not in the GB/T 2260 table; an
    embedded organisation code (positions 9–17) that fails GB 11714.
    """
    code = normalize(value)
    report = _Report("uscc", code)
    details: dict[str, Any] = {}
    if len(code) != 18:
        report.error(
            "length", f"长度错误：应为18位，实为{len(code)}位", f"length is {len(code)}, expected 18"
        )
        return report.result(value, code, details)

    bad = [(i, ch) for i, ch in enumerate(code, start=1) if ch not in USCC_ALPHABET]
    if bad:
        listed_zh = "、".join(f'第{i}位 "{ch}"' for i, ch in bad)
        listed_en = ", ".join(f'"{ch}" at position {i}' for i, ch in bad)
        report.error(
            "charset",
            f"含非法字符：{listed_zh}（只允许数字和除 I、O、Z、S、V 以外的大写字母）",
            f"invalid character {listed_en} "
            "(only digits and capital letters except I, O, Z, S, V are allowed)",
        )
        return report.result(value, code, details)

    authority, category, region, org_code = code[0], code[1], code[2:8], code[8:17]
    authority_name = USCC_REGISTRATION_AUTHORITIES.get(authority)
    category_name = USCC_CATEGORIES.get(authority, {}).get(category)
    details.update(
        registration_authority_code=authority,
        registration_authority=authority_name,
        category_code=category,
        category=category_name,
        region_code=region,
        org_code=org_code,
    )
    if category_name is None:
        report.warning(
            f'第1–2位 "{authority}{category}" 不是已知的登记管理部门/机构类别组合',
            f'positions 1–2 "{authority}{category}" are not a known registration authority/category pair',
        )

    if not region.isdigit():
        report.error(
            "region_code",
            f'登记管理机关行政区划码（第3–8位）"{region}" 应为6位数字',
            f'registration region code (positions 3–8) "{region}" must be 6 digits',
        )
    elif region != _CENTRAL_REGION_CODE:
        place = _region_name(region, None)
        if place is None:
            report.warning(
                f'登记管理机关行政区划码（第3–8位）"{region}" 不在已知行政区划代码表中',
                f'registration region code (positions 3–8) "{region}" is not in the known region code list',
            )
        else:
            details["region"] = place
    else:
        details["region"] = {"province": "中央", "county": "中央"}

    failure = _org_code_failure(org_code)
    if failure is not None:
        report.warning(
            f'第9–17位主体标识码 "{org_code}" 未通过组织机构代码（GB 11714）校验：{failure[0]}',
            f'embedded organisation code (positions 9–17) "{org_code}" '
            f"fails the GB 11714 check: {failure[1]}",
        )

    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        report.error(
            "check_char",
            f"校验码错误：应为 {expected}",
            f"check character is {code[17]}, expected {expected}",
        )
    return report.result(value, code, details)


# --- resident ID ------------------------------------------------------------------------------------


def _birth_date_errors(
    report: _Report, digits: str, today: datetime.date, *, legacy: bool
) -> datetime.date | None:
    """Check the birth date YYYYMMDD; record errors and return the date if it passes."""
    try:
        born = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        shown = digits[2:] if legacy else digits
        report.error(
            "birth_date", f'出生日期错误："{shown}" 不是有效日期', f'birth date "{shown}" is not a real date'
        )
        return None
    if born.year < 1900:
        report.error(
            "birth_date",
            f"出生日期错误：{born.isoformat()} 早于1900年",
            f"birth date {born.isoformat()} is before 1900",
        )
        return None
    if born > today:
        report.error(
            "birth_date",
            f"出生日期错误：{born.isoformat()} 晚于今天（{today.isoformat()}）",
            f"birth date {born.isoformat()} is in the future (today is {today.isoformat()})",
        )
        return None
    return born


def check_resident_id(value: str, *, today: datetime.date | None = None) -> IdCheck:
    """Check a 居民身份证号码 against GB 11643-1999 (STATUTES.md §4.2).

    18 digits (the last may be X): the address code's first two digits must be a province-level code,
    the birth date a real date from 1900 to today (Asia/Shanghai, or ``today``), and the check character
    right. A county missing from stdnum's region table (for the birth year) is only a warning.

    A legacy 15-digit number (YYMMDD, 19xx) is checked the same way and upgraded: ``normalized`` is the
    18-digit form with "19" inserted and the check character computed, and a warning says so.
    """
    today = today or _today()
    code = normalize(value)
    report = _Report("resident_id", code)
    details: dict[str, Any] = {}

    if len(code) == 15:
        if not (code.isascii() and code.isdigit()):
            report.error(
                "charset", "含非法字符：旧版15位号码应全为数字", "a legacy 15-digit number must be all digits"
            )
            return report.result(value, code, details)
        body = code[:6] + "19" + code[6:]
        full = body + resident_id_check_char(body)
        legacy = True
    elif len(code) == 18:
        if not (code[:17].isascii() and code[:17].isdigit() and (code[17].isdigit() or code[17] == "X")):
            report.error(
                "charset",
                "含非法字符：前17位应为数字，第18位应为数字或 X",
                "the first 17 characters must be digits and the 18th a digit or X",
            )
            return report.result(value, code, details)
        full = code
        legacy = False
    else:
        report.error(
            "length",
            f"长度错误：应为18位（或旧版15位），实为{len(code)}位",
            f"length is {len(code)}, expected 18 (or 15 for a legacy number)",
        )
        return report.result(value, code, details)

    region, sequence = full[:6], full[14:17]
    details.update(region_code=region, sex="male" if int(sequence) % 2 else "female", sequence_code=sequence)
    if legacy:
        details["upgraded_from"] = code

    province_ok = region[:2] in PROVINCES
    if not province_ok:
        report.error(
            "region_code",
            f'地址码错误：第1–2位 "{region[:2]}" 不是省级行政区划代码',
            f'address code: "{region[:2]}" (positions 1–2) is not a province-level region code',
        )
    born = _birth_date_errors(report, full[6:14], today, legacy=legacy)
    if born is not None:
        details["birth_date"] = born.isoformat()
    if province_ok and born is not None:
        # stdnum's get_birth_place raises KeyError for a province without such a county; _region_name
        # applies the same birth-year rule to the same table.
        place = _region_name(region, born.year)
        if place is None:
            report.warning(
                f'地址码 "{region}" 不在已知行政区划代码表中（或在出生年份尚不存在）',
                f'address code "{region}" is not in the known region code list '
                "(or did not exist in the birth year)",
            )
        else:
            details["region"] = place

    if not legacy:
        expected = resident_id_check_char(full[:17])
        if full[17] != expected:
            report.error(
                "check_char",
                f"校验码错误：应为 {expected}",
                f"check character is {full[17]}, expected {expected}",
            )
    elif not report.errors:
        report.warning(
            f'为旧版15位号码，已升级为18位 "{full}"',
            f'legacy 15-digit number, upgraded to 18 digits "{full}"',
        )
    # An upgraded number is only offered as the normalised form when the legacy number passed.
    normalized = full if legacy and not report.errors else code
    return report.result(value, normalized, details)


# --- organisation code ------------------------------------------------------------------------------


def check_org_code(value: str) -> IdCheck:
    """Check a 组织机构代码 against GB 11714-1997 (STATUTES.md §4.3): 8 body characters (digits or capital
    letters) and a check character (digit or X), also written ``XXXXXXXX-C``."""
    code = normalize(value)
    report = _Report("org_code", code)
    details: dict[str, Any] = {}
    if len(code) != 9:
        report.error(
            "length",
            f"长度错误：应为9位（8位本体代码加1位校验码），实为{len(code)}位",
            f"length is {len(code)}, expected 9 (8 body characters and a check character)",
        )
        return report.result(value, code, details)
    body, check = code[:8], code[8]
    if any(ch not in _ORG_CODE_BODY_ALPHABET for ch in body) or not (
        check.isascii() and (check.isdigit() or check == "X")
    ):
        report.error(
            "charset",
            "含非法字符：本体代码应为数字或大写字母，校验码应为数字或 X",
            "the body must be digits or capital letters and the check character a digit or X",
        )
        return report.result(value, code, details)
    details.update(body=body, check_char=check, formatted=f"{body}-{check}")
    expected = org_code_check_char(body)
    if check != expected:
        report.error(
            "check_char", f"校验码错误：应为 {expected}", f"check character is {check}, expected {expected}"
        )
    return report.result(value, code, details)


# --- which kind -------------------------------------------------------------------------------------


def _plausible_birth_date(digits: str) -> bool:
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])).year >= 1900
    except ValueError:
        return False


def identify(value: str, *, today: datetime.date | None = None) -> IdCheck:
    """Decide which kind of identifier ``value`` is from its normalised shape, and check it as that kind.

    The rule, in order:

    1. 18 characters with anything other than digits in positions 1–17, or a last character other than a
       digit or X (a resident ID has neither) → USCC.
    2. 18 characters, digits only (the last may be X) — the two kinds share this shape:
       a. if exactly one of USCC and resident ID validates, that one;
       b. if both validate: USCC when positions 1–2 are a known registration authority/category pair
          (§4.1 table), otherwise resident ID;
       c. if neither validates: resident ID when positions 7–14 are a real date from 1900 on (the error
          then reports what is wrong with it as an ID number), otherwise USCC.
    3. 15 characters → resident ID (legacy number).
    4. 9 characters → organisation code.
    5. Anything else: ``kind`` None, invalid, with an error saying the length/shape is not that of any
       supported identifier.
    """
    code = normalize(value)
    if len(code) == 18:
        digits_shape = code[:17].isascii() and code[:17].isdigit() and (code[17].isdigit() or code[17] == "X")
        uscc = check_uscc(value)
        if not digits_shape:
            return uscc
        resident = check_resident_id(value, today=today)
        if uscc.valid != resident.valid:
            return uscc if uscc.valid else resident
        if uscc.valid:
            known_pair = code[1] in USCC_CATEGORIES.get(code[0], {})
            return uscc if known_pair else resident
        return resident if _plausible_birth_date(code[6:14]) else uscc
    if len(code) == 15:
        return check_resident_id(value, today=today)
    if len(code) == 9:
        return check_org_code(value)
    return IdCheck(
        value=value,
        normalized=code,
        kind=None,
        valid=False,
        errors=(
            f'"{code}" 的长度（{len(code)}位）不符合任何受支持的证件代码'
            f"（统一社会信用代码18位，居民身份证号码18位或旧版15位，组织机构代码9位） / "
            f'"{code}": length {len(code)} does not match any supported identifier '
            f"(USCC 18, resident ID 18 or legacy 15, organisation code 9 characters)",
        ),
        failed_checks=("shape",),
    )


def check(value: str, kind: Kind | None = None, *, today: datetime.date | None = None) -> IdCheck:
    """Check ``value`` as ``kind``, or as whatever :func:`identify` decides when ``kind`` is None."""
    if kind is None:
        return identify(value, today=today)
    if kind == "uscc":
        return check_uscc(value)
    if kind == "resident_id":
        return check_resident_id(value, today=today)
    if kind == "org_code":
        return check_org_code(value)
    raise ValueError(f"未知的证件代码类型 {kind!r} / unknown identifier kind {kind!r}")


# --- masking ----------------------------------------------------------------------------------------


def mask_resident_id(value: str, head: int = 6, tail: int = 4, mask: str = "*") -> str:
    """Mask the middle of an ID number for public display, e.g. ``370303********1234``.

    The value is normalised first; the first ``head`` and last ``tail`` characters stay visible and each
    other character becomes ``mask``. Meant for 15- and 18-digit numbers, but total: a value no longer
    than ``head + tail`` is masked completely, so nothing is ever shown unmasked by accident.
    """
    if head < 0 or tail < 0:
        raise ValueError("head 和 tail 不能为负数 / head and tail must not be negative")
    code = normalize(value)
    if len(code) <= head + tail:
        return mask * len(code)
    return code[:head] + mask * (len(code) - head - tail) + code[len(code) - tail :]
