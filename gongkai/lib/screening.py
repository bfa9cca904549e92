"""敏感信息筛查: find personal information and secrecy markings in text before it is published.

Pure functions over text (no Django). What is looked for, and the rule behind each kind:

- ``resident_id`` 居民身份证号码 (GB 11643-1999, STATUTES.md §4.2): 18 characters whose check character
  (weights 7, 9, 10, 5, 8, 4, 2, 1, …; ``"10X98765432"[S % 11]``) is right, with a province-level address code
  and a real birth date from 1900 to today; or a legacy 15-digit number (address code, YYMMDD read as
  19YYMMDD, sequence). Hidden in publicity by 《行政处罚结果信息网上公示暂行办法》 (STATUTES.md §3.4).
- ``mobile`` 手机号码: ``1[3-9]`` and nine more digits; "+86" or "86-" before it is allowed.
- ``bank_card`` 银行卡号: 13–19 digits passing the Luhn check (ISO/IEC 7812-1) whose first digit is a
  banking or financial Major Industry Identifier (3 JCB/Amex, 4–5 Visa/Mastercard, 6 UnionPay 62…, 9 older
  domestic cards such as 9558…). Other first digits (1, 2, 7, 8, 0) are dates, serial and order numbers.
- ``secret_marking`` 密级标志 (GB/T 9704-2012 党政机关公文格式: 密级和保密期限, ``秘密★1年``): 绝密/机密/秘密
  followed by ★ (☆, ＊, *) and optionally a period, or directly by a period (``秘密 5年``); and the customary
  内部资料, 内部文件, 注意保密, 不得外传. The words in running text (国家秘密, 商业秘密, 机密性, 国家秘密10年)
  are not markings.
- ``email`` 个人电子邮箱: any address except on an organisation's domain (`Rules.organisation_email_domains`).
- ``personal_name`` 个人姓名: a Chinese name (a surname from `SURNAMES` or `COMPOUND_SURNAMES` and one or two
  characters) right before an ID or mobile number, optionally with a label between (``联系人：王小明，手机…``,
  ``李四（身份证号：…）``, a tab or a line break), or in brackets right after one (``13912345678（赵六）``).
  Never a word ending like an organisation, a place or a role (``张店区``, ``申请人``; `ORGANISATION_ENDINGS`),
  and inside running text only after a character such as 人 or 名 (``申请人王小明``), so that 联系方式 does not
  yield 方式.

Numbers: digits are ASCII or full-width, written whole or in groups separated by one space (ASCII or
U+3000) or hyphen: resident IDs 6-8-4, 6-4-4-4 or 4-4-4-4-2 (15-digit: 6-6-3), mobiles 3-4-4, bank cards
in groups of four separated by spaces. A number that is part of a longer one is not a finding: a letter or
digit right before or after it, a decimal point, a hyphen joining it to other digits (project codes
``2020-370303-44-01-012345``, index numbers, landlines). A mobile or bank card number with a currency sign
before it or 元 after it is a sum of money. An 18-character value that is an organisation's 统一社会信用代码
(GB 32100; see `_is_uscc`) is never a resident ID or bank card.

Speed: two compiled patterns scan the text in C, one starting only at a digit, the other only at the first
character of a marking, and "@" is found by ``str.find``; Python looks only at runs of eleven or more
digits, at markings and at e-mail addresses, so ordinary text costs no Python per character.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from gongkai.lib.extract import PAGE_SEPARATOR
from gongkai.lib.identifiers import PROVINCES, check_uscc, resident_id_check_char, uscc_is_valid

__all__ = [
    "COMPOUND_SURNAMES",
    "DEFAULT_RULES",
    "KINDS",
    "KIND_LABELS",
    "ORGANISATION_ENDINGS",
    "SURNAMES",
    "Finding",
    "Rules",
    "mask_text",
    "screen_fields",
    "screen_pages",
    "screen_text",
]

KINDS = ("resident_id", "mobile", "bank_card", "secret_marking", "email", "personal_name")

KIND_LABELS: dict[str, tuple[str, str]] = {
    "resident_id": ("身份证号码", "resident ID number"),
    "mobile": ("手机号码", "mobile phone number"),
    "bank_card": ("银行卡号", "bank card number"),
    "secret_marking": ("密级标志", "secrecy marking"),
    "email": ("个人电子邮箱", "personal e-mail address"),
    "personal_name": ("个人姓名", "personal name"),
}

# Common single surnames (about the 250 most frequent today), less a few that mostly begin ordinary words
# (和, 时, 应, 全, 明, 农, 师, 商).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席"
    "卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封"
)
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
        "令狐", "端木", "轩辕", "独孤", "南宫", "西门", "百里", "呼延", "澹台", "公冶", "太史", "申屠",
    }
)  # fmt: skip
# A "name" whose last character is one of these is an organisation or a place: 张店区, 王村, 李家庄.
ORGANISATION_ENDINGS = frozenset("区县市省局镇乡村厅委办处科所站队部院校会社司店厂场心行馆街路室组庄园府矿港楼团")
# …or a role: 申请人, 经营者, 管理员.
_ROLE_ENDINGS = frozenset("人者员们")
# Two-character words that begin with a surname character and come before numbers in running text.
_NOT_NAMES = frozenset(
    {"方式", "方法", "方面", "金额", "余额", "关于", "高于", "于是", "万元", "任务", "程序", "安全", "申请", "管理"}
)
# A name inside running text must follow a non-Chinese character or one of these (申请人张三, 姓名王五,
# 主任李四, 张三和李四): otherwise a word such as 联系方式 would yield 方式.
_NAME_MAY_FOLLOW = frozenset("人者员长任名士生师志民工户和与及为是即")
# Labels between a name and its number: 张三（身份证号：…）, 王小明，手机…
_NAME_LABELS = (
    "公民身份号码|身份证号码|身份证号|身份证|身份号码|证件号码|证件号|手机号码|手机号|手机|移动电话|联系电话|"
    "电话号码|电话|联系方式|Tel|TEL|tel"
)


@dataclass(frozen=True)
class Rules:
    """What counts as personal, as data. ``today`` bounds birth dates (None: today in Asia/Shanghai)."""

    organisation_email_domains: tuple[str, ...] = ("gov.cn", "org.cn", "edu.cn")
    today: datetime.date | None = None


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Finding:
    """One sensitive item. ``start``/``end`` are offsets in the text screened (for pages: in that page's text);
    ``masked`` has the same length as ``value``; ``excerpt`` never shows any finding unmasked."""

    kind: str
    start: int
    end: int
    value: str
    masked: str
    excerpt: str
    field: str = ""
    attachment: str = ""
    page: int | None = None

    @property
    def fingerprint(self) -> str:
        """The same item found again anywhere in the same field (or attachment) has the same fingerprint.

        SHA-256 of the kind, field, attachment and the value in compact form (separators removed,
        full-width folded, case folded); the page and position do not count.
        """
        key = "\x1f".join((self.kind, self.field, self.attachment, _compact(self.kind, self.value)))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- character classes ---------------------------------------------------------------------------------

_SPACES = " \u3000"
_SEPARATORS = frozenset(_SPACES + "-－")
_FOLD = str.maketrans("０１２３４５６７８９Ｘｘx\u3000－", "0123456789XXX -")
# A letter or digit right next to a number makes it part of a longer code or number.
_ALNUM = frozenset(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
)
_ASCII_DIGITS = frozenset("0123456789")
_CURRENCY_SIGNS = frozenset("¥￥$＄")
_CURRENCY_AFTER = ("元", "万元", "亿元", "美元")
_PLUS = frozenset("+＋")
_ONE_LINE = str.maketrans({ch: " " for ch in "\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"})


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _compact(kind: str, value: str) -> str:
    folded = value.translate(_FOLD)
    if kind == "email":
        return folded.lower()
    return "".join(ch for ch in folded if ch not in _SEPARATORS).upper()


# --- numbers -------------------------------------------------------------------------------------------

# A run of digits (ASCII or full-width) with single separators between groups and an optional final X,
# of at least eleven digits. The first item is a plain character class, so re scans for it in C.
_NUMBER_RUN = re.compile(
    r"[0-9０-９](?=(?:[ \u3000\-－]?[0-9０-９]){10})[0-9０-９]*(?:[ \u3000\-－][0-9０-９]+)*[XxＸ]?"
)
_GROUP = re.compile(r"[0-9X]+")

# Group shapes allowed for each kind besides the number written whole.
_RESIDENT_ID_SHAPES = ((6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2), (6, 6, 3))
_MOBILE_SHAPES = ((3, 4, 4),)
_BANK_CARD_FIRST_DIGITS = frozenset("34569")


def _birth_date_ok(yyyymmdd: str, today: datetime.date) -> bool:
    try:
        born = datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return born.year >= 1900 and born <= today


def _is_resident_id(code: str, today: datetime.date) -> bool:
    """GB 11643: province-level address code, birth date 1900..today, and (18 digits) the check character."""
    if code[:2] not in PROVINCES:
        return False
    if len(code) == 15:
        return code.isdigit() and _birth_date_ok("19" + code[6:12], today)
    return (
        len(code) == 18
        and code[:17].isdigit()
        and _birth_date_ok(code[6:14], today)
        and resident_id_check_char(code[:17]) == code[17]
    )


def _is_uscc(code: str) -> bool:
    """An organisation's 统一社会信用代码, never a person's number: `check_uscc` passes it without a warning.

    The check character alone (`uscc_is_valid`) is passed by one resident ID in 31. Without a warning means
    also a known registration authority and category (positions 1–2), a region code (3–8) in the GB/T 2260
    table and an embedded organisation code (9–17) passing GB 11714 (STATUTES.md §4.1, §4.3), which real
    USCCs have and resident IDs almost never do: 21 of a million generated resident IDs with real address
    codes passed, against 32,287 for the check character alone.
    """
    if not uscc_is_valid(code):
        return False
    result = check_uscc(code)
    return result.valid and not result.warnings


def _is_mobile(code: str) -> bool:
    return len(code) == 11 and code[0] == "1" and code[1] in "3456789" and code.isdigit()


_LUHN_DOUBLED = {str(digit): 2 * digit - 9 if digit > 4 else 2 * digit for digit in range(10)}


def _luhn_ok(code: str) -> bool:
    """ISO/IEC 7812-1 (Luhn): from the right, every second digit doubled (less 9 when over 9); the sum ends in 0."""
    return (sum(map(int, code[-1::-2])) + sum(_LUHN_DOUBLED[ch] for ch in code[-2::-2])) % 10 == 0


def _is_bank_card(code: str) -> bool:
    return 13 <= len(code) <= 19 and code.isdigit() and code[0] in _BANK_CARD_FIRST_DIGITS and _luhn_ok(code)


def _mask_middle(value: str, head: int, tail: int) -> str:
    """Every character but separators hidden except the first `head` and last `tail`; separators kept."""
    total = sum(ch not in _SEPARATORS for ch in value)
    out, seen = [], 0
    for ch in value:
        if ch in _SEPARATORS:
            out.append(ch)
            continue
        out.append(ch if seen < head or seen >= total - tail else "*")
        seen += 1
    return "".join(out)


_NUMBER_MASKS = {"resident_id": (6, 4), "mobile": (3, 4), "bank_card": (4, 4)}


@dataclass(frozen=True)
class _Span:
    kind: str
    start: int
    end: int
    value: str
    masked: str


def _number_span(text: str, kind: str, start: int, end: int) -> _Span | None:
    """The finding, or None for a mobile or bank card number that is a sum of money (a resident ID never is)."""
    if kind != "resident_id" and _is_amount(text, start, end):
        return None
    value = text[start:end]
    return _Span(kind, start, end, value, _mask_middle(value, *_NUMBER_MASKS[kind]))


def _left_closed(text: str, start: int) -> bool:
    """Whether the character before a run joins it to something longer (a code, a decimal, "+1 …")."""
    if start == 0:
        return False
    before = text[start - 1]
    if before in _ALNUM or before in _PLUS:
        return True
    return before == "." and start >= 2 and text[start - 2] in _ASCII_DIGITS


def _right_closed(text: str, end: int) -> bool:
    """Whether the character after a run joins it to something longer (a code, a decimal, an address)."""
    if end >= len(text):
        return False
    after = text[end]
    if after in _ALNUM or after == "@":
        return True
    if after == "." and text[end + 1 : end + 2] in _ASCII_DIGITS:
        return True
    # A thousands separator: ",123" and then no more digits.
    return (
        after == ","
        and text[end + 1 : end + 4].isdigit()
        and len(text[end + 1 : end + 4]) == 3
        and not text[end + 4 : end + 5].isdigit()
    )


def _is_amount(text: str, start: int, end: int) -> bool:
    """A sum of money: a currency sign before the number or a unit of money after it (13812345678元)."""
    return (start > 0 and text[start - 1] in _CURRENCY_SIGNS) or text.startswith(_CURRENCY_AFTER, end)


def _number_kind(code: str, today: datetime.date, kinds: frozenset[str]) -> str | None:
    """Which of `kinds` the compact number `code` is, if any. A valid USCC is none of them."""
    if "resident_id" in kinds and len(code) in (15, 18) and _is_resident_id(code, today):
        kind = "resident_id"
    elif "mobile" in kinds and _is_mobile(code):
        return "mobile"
    elif "bank_card" in kinds and _is_bank_card(code):
        kind = "bank_card"
    else:
        return None
    return None if len(code) == 18 and _is_uscc(code) else kind


_WHOLE = frozenset({"resident_id", "mobile", "bank_card"})
_AFTER_COUNTRY_CODE = frozenset({"mobile"})
_SHAPED = {shape: frozenset({"resident_id"}) for shape in _RESIDENT_ID_SHAPES} | {
    shape: frozenset({"mobile"}) for shape in _MOBILE_SHAPES
}


def _numbers(text: str, today: datetime.date) -> list[_Span]:
    spans: list[_Span] = []
    for run in _NUMBER_RUN.finditer(text):
        start, end = run.span()
        code = run.group()
        if not code.isascii() or code[-1] == "x":
            code = code.translate(_FOLD)
        if code.isdigit() or (code[:-1].isdigit() and code[-1] == "X"):
            # Written whole (the common case): one group.
            if _right_closed(text, end):
                continue
            if not _left_closed(text, start):
                kind = _number_kind(code, today, _WHOLE)
                span = _number_span(text, kind, start, end) if kind else None
            elif text[start - 1] in _PLUS and code.startswith("86") and _is_mobile(code[2:]):
                # "+8613812345678": the mobile is the part after the country code.
                span = _number_span(text, "mobile", start + 2, end)
            else:
                span = None
            if span:
                spans.append(span)
        elif " " in code or _hyphenated_shape(code):
            spans += _grouped_numbers(text, start, code, today)
    return spans


def _hyphenated_shape(run: str) -> bool:
    """Whether groups joined only by hyphens can hold a number: the run must be one shape, or 86- and one.

    (A quick test: most such runs are project codes, index numbers, landlines and dates.)
    """
    parts = run.split("-")
    if parts[0] == "86":
        parts = parts[1:]
    return len(parts) == 1 or tuple(map(len, parts)) in _SHAPED


def _grouped_numbers(text: str, offset: int, run: str, today: datetime.date) -> list[_Span]:
    """The numbers in a run of digit groups joined by single spaces or hyphens (``run`` folded to ASCII).

    A number is one group, or consecutive groups in one of the shapes above joined by one kind of separator.
    It must begin at the run's start or after a space, and end at the run's end or before a space: a hyphen
    joins groups into one longer number (a project code, a landline), except after the country code 86.
    """
    groups = [(m.start(), m.end(), m.group()) for m in _GROUP.finditer(run)]
    sizes = [len(group[2]) for group in groups]
    separators = [""] + [run[group[0] - 1] for group in groups[1:]]  # separators[i] precedes group i
    last = len(groups) - 1
    open_left = not _left_closed(text, offset)
    open_right = not _right_closed(text, offset + len(run))
    spans: list[_Span] = []
    i = 0
    while i <= last:
        starts = open_left if i == 0 else separators[i] in _SPACES
        after_country_code = not starts and i == 1 and groups[0][2] == "86"  # 86-138…, +86-138…
        if not (starts or after_country_code):
            i += 1
            continue
        candidates = [(i, _AFTER_COUNTRY_CODE if after_country_code else _WHOLE)]
        candidates += [
            (i + len(shape) - 1, kinds & _AFTER_COUNTRY_CODE if after_country_code else kinds)
            for shape, kinds in _SHAPED.items()
            if tuple(sizes[i : i + len(shape)]) == shape and len(set(separators[i + 1 : i + len(shape)])) == 1
        ]
        cards = _bank_card_groups(sizes, i)
        if cards is not None and starts and set(separators[i + 1 : cards + 1]) == {" "}:
            candidates.append((cards, frozenset({"bank_card"})))
        for j, kinds in candidates:
            if not (open_right if j == last else separators[j + 1] in _SPACES):
                continue
            kind = _number_kind("".join(group[2] for group in groups[i : j + 1]), today, kinds)
            if kind:
                span = _number_span(text, kind, offset + groups[i][0], offset + groups[j][1])
                spans += [span] if span else []
                i = j
                break
        i += 1
    return spans


def _bank_card_groups(sizes: list[int], i: int) -> int | None:
    """The last group of the longest "dddd dddd dddd …" from group i (the last group 1–4 digits), if 13–19."""
    j, digits = i, 0
    while j < len(sizes) and sizes[j] == 4:
        digits += 4
        j += 1
    if j < len(sizes) and sizes[j] < 4:
        digits += sizes[j]
        j += 1
    return j - 1 if j - i >= 2 and 13 <= digits <= 19 else None


# --- secrecy markings ----------------------------------------------------------------------------------

_PERIOD = r"(?:[0-9０-９]{1,2}[ \u3000]?年|[一二三四五六七八九十]{1,3}年|长期)"
_MARK_TAIL = rf"(?:[ \u3000]?[★☆＊*](?:[ \u3000]?{_PERIOD})?|[ \u3000]?{_PERIOD})"
# Each alternative begins with a literal character, so re scans for the six first characters in C.
_MARKING = re.compile(rf"绝密{_MARK_TAIL}|机密{_MARK_TAIL}|秘密{_MARK_TAIL}|内部资料|内部文件|注意保密|不得外传")
# Words that end in a level and, followed by a period, are running text (国家秘密10年), not a marking.
_SECRET_WORDS = ("国家", "商业", "工作", "个人")
_BARE_PERIOD = re.compile(rf"(?:绝密|机密|秘密)[ \u3000]?{_PERIOD}\Z")


def _markings(text: str) -> list[_Span]:
    spans = []
    for match in _MARKING.finditer(text):
        start, value = match.start(), match.group()
        if _BARE_PERIOD.match(value) and text[max(0, start - 2) : start] in _SECRET_WORDS:
            continue
        masked = "".join(ch if ch in _SPACES else "*" for ch in value)
        spans.append(_Span("secret_marking", start, match.end(), value, masked))
    return spans


# --- e-mail addresses ----------------------------------------------------------------------------------

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}\Z")
# Labels, a dot and a top-level domain of letters; what follows the domain may be anything but a letter.
_EMAIL_DOMAIN = re.compile(r"(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,24}(?![A-Za-z])")


def _emails(text: str, rules: Rules) -> list[_Span]:
    spans = []
    organisations = tuple(domain.lower().lstrip(".") for domain in rules.organisation_email_domains)
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain and local.group().lstrip("."):
            start = at - len(local.group().lstrip("."))
            name = domain.group().lower()
            if not any(name == org or name.endswith("." + org) for org in organisations):
                value = text[start : domain.end()]
                local_part = at - start
                masked = value[0] + "*" * (local_part - 1) + value[local_part:]
                spans.append(_Span("email", start, domain.end(), value, masked))
        at = text.find("@", at + 1)
    return spans


# --- names beside numbers ------------------------------------------------------------------------------

# Spaces, tabs (table cells) and line breaks (联系人：王小明⏎手机：…) may stand between a name and its number.
_GAP_SPACE = r"[ \t\r\n\u3000]*"
_GAP_BEFORE = re.compile(
    rf"{_GAP_SPACE}[，,、：:（(]?{_GAP_SPACE}(?:(?:{_NAME_LABELS}){_GAP_SPACE}[：:]?{_GAP_SPACE})?\Z"
)
_NAME_AFTER = re.compile(r"[ \u3000]*[（(][ \u3000]*([\u3400-\u4dbf\u4e00-\u9fff]{2,4})[ \u3000]*[）)]")


def _is_name(name: str) -> bool:
    """A surname and one or two given characters, not a place, organisation or common word."""
    if name[-1] in ORGANISATION_ENDINGS or name[-1] in _ROLE_ENDINGS or name in _NOT_NAMES:
        return False
    if name[:2] in COMPOUND_SURNAMES and len(name) in (3, 4):
        return True
    return name[0] in SURNAMES and len(name) in (2, 3)


def _name_before(text: str, number_start: int) -> _Span | None:
    window_start = max(0, number_start - 24)
    gap = _GAP_BEFORE.search(text, window_start, number_start)
    end = gap.start() if gap else number_start
    for length in (4, 3, 2):
        start = end - length
        if start < 0 or not all(_is_cjk(ch) for ch in text[start:end]):
            continue
        before = text[start - 1] if start else ""
        if before and _is_cjk(before) and before not in _NAME_MAY_FOLLOW:
            continue
        name = text[start:end]
        if _is_name(name):
            return _name_span(text, start, end)
    return None


def _name_after(text: str, number_end: int) -> _Span | None:
    match = _NAME_AFTER.match(text, number_end)
    if match and _is_name(match.group(1)):
        return _name_span(text, match.start(1), match.end(1))
    return None


def _name_span(text: str, start: int, end: int) -> _Span:
    name = text[start:end]
    surname = 2 if name[:2] in COMPOUND_SURNAMES and len(name) >= 3 else 1
    return _Span("personal_name", start, end, name, name[:surname] + "*" * (len(name) - surname))


def _names(text: str, spans: Iterable[_Span]) -> list[_Span]:
    found = []
    for span in spans:
        if span.kind in ("resident_id", "mobile"):
            found += [name for name in (_name_before(text, span.start), _name_after(text, span.end)) if name]
    return found


# --- putting it together -------------------------------------------------------------------------------


def _today() -> datetime.date:
    return datetime.datetime.now(tz=ZoneInfo("Asia/Shanghai")).date()


def _without_overlaps(spans: Iterable[_Span]) -> list[_Span]:
    """Sorted by start; of two overlapping spans the earlier (then the longer) one stays."""
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def _excerpt(text: str, spans: list[_Span], index: int, context: int = 20) -> str:
    """Up to `context` characters either side of spans[index], every finding in it masked, on one line."""
    span = spans[index]
    lo, hi = max(0, span.start - context), min(len(text), span.end + context)
    pieces, position = [], lo
    first = last = index
    while first > 0 and spans[first - 1].end > lo:
        first -= 1
    while last + 1 < len(spans) and spans[last + 1].start < hi:
        last += 1
    for other in (spans[k] for k in range(first, last + 1)):
        a, b = max(other.start, lo), min(other.end, hi)
        pieces.append(text[position:a])
        pieces.append(other.masked[a - other.start : b - other.start])
        position = b
    pieces.append(text[position:hi])
    return "".join(pieces).translate(_ONE_LINE)


def screen_text(text: str, rules: Rules = DEFAULT_RULES) -> list[Finding]:
    """Every finding in `text`, sorted by start and not overlapping (see the module docstring for the rules)."""
    today = rules.today or _today()
    spans = _without_overlaps([*_emails(text, rules), *_numbers(text, today), *_markings(text)])
    if any(span.kind in ("resident_id", "mobile") for span in spans):
        spans = _without_overlaps([*spans, *_names(text, spans)])
    return [
        Finding(span.kind, span.start, span.end, span.value, span.masked, _excerpt(text, spans, index))
        for index, span in enumerate(spans)
    ]


def screen_pages(text: str, *, field: str, attachment: str = "", rules: Rules = DEFAULT_RULES) -> list[Finding]:
    """`screen_text` page by page for text from `gongkai.lib.extract` (pages separated by PAGE_SEPARATOR).

    Offsets are within the page; ``page`` is 1-based when there is more than one page, else None.
    """
    pages = text.split(PAGE_SEPARATOR)
    numbered = len(pages) > 1
    return [
        replace(finding, field=field, attachment=attachment, page=number if numbered else None)
        for number, page in enumerate(pages, start=1)
        for finding in screen_text(page, rules)
    ]


def screen_fields(fields: Mapping[str, str], *, rules: Rules = DEFAULT_RULES) -> list[Finding]:
    """`screen_pages` for each named field (``{"title": …, "summary": …, "body": …}``), in that order."""
    return [finding for name, text in fields.items() for finding in screen_pages(text, field=name, rules=rules)]


def mask_text(text: str, findings: Iterable[Finding]) -> str:
    """`text` with each finding's span replaced by its masked form (findings of this text, any order)."""
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda finding: finding.start):
        if finding.end > position:  # overlapping findings (not from one screen_text) are masked as a union
            start = max(finding.start, position)
            pieces += [text[position:start], finding.masked[start - finding.start :]]
            position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)
