"""The 双公示 data standard (STATUTES §3.3, version 2: the XK_* and CF_* fields) as data.

Each field has its code, its exact Chinese label, a kind (what its values are and how they are checked), a
maximum length and a requirement: always, never, or for some subject kinds (行政相对人类别), or when another
field says so (a 罚款 amount when 处罚类别 includes 罚款). The required flags of the standard could not be read
from the official document (STATUTES marks them [R]); these are the defaults, and an administrator adjusts
them, and the code lists, without code changes (`Standard.with_overrides`).

A penalty file may also carry one Gongkai column, ``GK_YZCD`` 失信严重程度 (轻微 / 一般 / 严重, STATUTES §3.5: the
punishing department assigns the class); it is checked like the others and stored beside the record, not in its
fields (`Field.local`).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum


class FieldKind(StrEnum):
    TEXT = "text"
    CODE = "code"  # one entry of a code list (by code or by label)
    CODES = "codes"  # one or more entries of a code list, separated by 、 , ; or spaces (处罚类别)
    DATE = "date"
    AMOUNT = "amount"  # 万元, non-negative, at most 6 decimals
    USCC = "uscc"  # 统一社会信用代码, GB 32100
    ORG_CODE = "org_code"  # 组织机构代码, GB 11714
    ID_NUMBER = "id_number"  # 证件号码: a resident ID (GB 11643) when the paired 证件类型 says 身份证


ORGANISATION = "法人及非法人组织"
NATURAL_PERSON = "自然人"
INDIVIDUAL_BUSINESS = "个体工商户"
SUBJECT_KINDS = (ORGANISATION, NATURAL_PERSON, INDIVIDUAL_BUSINESS)

CODE_LISTS: dict[str, tuple[tuple[str, str], ...]] = {
    # list: ((code, label), ...)
    "subject_kind": (("1", ORGANISATION), ("2", NATURAL_PERSON), ("3", INDIVIDUAL_BUSINESS)),
    "licence_category": (
        ("01", "普通"), ("02", "特许"), ("03", "认可"), ("04", "核准"), ("05", "登记"), ("06", "其他"),
    ),
    # 《行政处罚法》(2021) art. 9, in order of severity, then 其他 (STATUTES §3.3.2).
    "penalty_category": (
        ("01", "警告"), ("02", "通报批评"), ("03", "罚款"), ("04", "没收违法所得"), ("05", "没收非法财物"),
        ("06", "暂扣许可证件"), ("07", "降低资质等级"), ("08", "吊销许可证件"), ("09", "限制开展生产经营活动"),
        ("10", "责令停产停业"), ("11", "责令关闭"), ("12", "限制从业"), ("13", "行政拘留"), ("99", "其他"),
    ),
    "id_type": (
        ("01", "身份证"), ("02", "护照"), ("03", "港澳居民来往内地通行证"), ("04", "台湾居民来往大陆通行证"),
        ("05", "外国人永久居留身份证"),
    ),
    "status": (("1", "有效"), ("2", "撤销"), ("3", "无效")),
    # 失信严重程度 of a penalty (a Gongkai column, see SEVERITY_FIELD): the classes of the 2025 信用修复管理办法.
    "severity": (("1", "轻微"), ("2", "一般"), ("3", "严重")),
}  # fmt: skip

# The pre-2021 penalty categories, mapped onto the 2021 list (a record may carry several).
OLD_PENALTY_CATEGORIES = {
    "没收违法所得、没收非法财物": ("没收违法所得", "没收非法财物"),
    "暂扣或者吊销许可证、暂扣或者吊销执照": ("暂扣许可证件", "吊销许可证件"),
    "暂扣或者吊销许可证": ("暂扣许可证件", "吊销许可证件"),
    "暂扣或者吊销执照": ("暂扣许可证件", "吊销许可证件"),
}

RESIDENT_ID_TYPE = "身份证"

# The severity classes of a penalty (STATUTES §3.5) as stored (`Penalty.severity`), by their label in a file.
MINOR, GENERAL, SERIOUS = "minor", "general", "serious"
SEVERITIES = {"轻微": MINOR, "一般": GENERAL, "严重": SERIOUS}
SEVERITY_FIELD = "GK_YZCD"  # 失信严重程度: optional, 一般 when empty
WITHDRAWN_STATUSES = ("撤销", "无效")  # 当前状态 that take a record out of public view


@dataclass(frozen=True)
class Requirement:
    """When a field must be filled: ``always``, for some subject kinds, or when ``when_field`` holds one of
    ``when_values`` (处罚类别 is a list: any of them counts)."""

    always: bool = False
    for_subjects: tuple[str, ...] = ()
    when_field: str = ""
    when_values: tuple[str, ...] = ()

    def applies(self, subject_kind: str | None, values: dict) -> bool:
        if self.always:
            return True
        if subject_kind in self.for_subjects:
            return True
        if self.when_field:
            present = values.get(self.when_field)
            present = present if isinstance(present, tuple) else (present,)
            return any(value in present for value in self.when_values)
        return False


ALWAYS = Requirement(always=True)
OPTIONAL = Requirement()


def for_subjects(*kinds: str) -> Requirement:
    return Requirement(for_subjects=kinds)


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    max_length: int = 200
    required: Requirement = OPTIONAL
    code_list: str = ""
    # For ID_NUMBER: the field holding its 证件类型.
    id_type_field: str = ""
    # Personal data: never shown unmasked in public (证件号码 of a natural person or a legal representative).
    personal: bool = False
    # A Gongkai column, not of the national standard (code GK_…): read and checked like the others, but kept in
    # its own column of the record, never in ``data`` (which is published and pushed upstream as it is).
    local: bool = False


def _subject_fields(prefix: str) -> list[Field]:
    """Fields 1–13, the same in both record types but for the prefix."""
    return [
        Field(f"{prefix}_XDR_MC", "行政相对人名称", required=ALWAYS),
        Field(f"{prefix}_XDR_LB", "行政相对人类别", FieldKind.CODE, 20, ALWAYS, "subject_kind"),
        Field(
            f"{prefix}_XDR_SHXYM", "行政相对人代码_1（统一社会信用代码）", FieldKind.USCC, 18,
            for_subjects(ORGANISATION),
        ),
        Field(f"{prefix}_XDR_GSZC", "行政相对人代码_2（工商注册号）", max_length=50),
        Field(f"{prefix}_XDR_ZZJG", "行政相对人代码_3（组织机构代码）", FieldKind.ORG_CODE, 10),
        Field(f"{prefix}_XDR_SWDJ", "行政相对人代码_4（税务登记号）", max_length=50),
        Field(f"{prefix}_XDR_SYDW", "行政相对人代码_5（事业单位证书号）", max_length=50),
        Field(f"{prefix}_XDR_SHZZ", "行政相对人代码_6（社会组织登记证号）", max_length=50),
        Field(f"{prefix}_FRDB", "法定代表人", max_length=50, required=for_subjects(ORGANISATION)),
        Field(f"{prefix}_FR_ZJLX", "法定代表人证件类型", FieldKind.CODE, 30, code_list="id_type"),
        Field(
            f"{prefix}_FR_ZJHM", "法定代表人证件号码", FieldKind.ID_NUMBER, 64,
            id_type_field=f"{prefix}_FR_ZJLX", personal=True,
        ),
        Field(f"{prefix}_XDR_ZJLX", "证件类型", FieldKind.CODE, 30, for_subjects(NATURAL_PERSON), "id_type"),
        Field(
            f"{prefix}_XDR_ZJHM", "证件号码", FieldKind.ID_NUMBER, 64, for_subjects(NATURAL_PERSON),
            id_type_field=f"{prefix}_XDR_ZJLX", personal=True,
        ),
    ]  # fmt: skip


LICENCE_FIELDS: tuple[Field, ...] = (
    *_subject_fields("XK"),
    Field("XK_XKWS", "行政许可决定文书名称", required=ALWAYS),
    Field("XK_WSH", "行政许可决定文书号", max_length=128, required=ALWAYS),
    Field("XK_XKLB", "许可类别", FieldKind.CODE, 20, ALWAYS, "licence_category"),
    Field("XK_XKZS", "许可证书名称"),
    Field("XK_XKBH", "许可编号", max_length=64),
    Field("XK_NR", "许可内容", max_length=4000, required=ALWAYS),
    Field("XK_JDRQ", "许可决定日期", FieldKind.DATE, required=ALWAYS),
    Field("XK_YXQZ", "有效期自", FieldKind.DATE, required=ALWAYS),
    Field("XK_YXQZI", "有效期至", FieldKind.DATE, required=ALWAYS),
    Field("XK_XKJG", "许可机关", required=ALWAYS),
    Field("XK_XKJGDM", "许可机关统一社会信用代码", FieldKind.USCC, 18, ALWAYS),
    Field("XK_ZT", "当前状态", FieldKind.CODE, 10, ALWAYS, "status"),
    Field("XK_LYDW", "数据来源单位", required=ALWAYS),
    Field("XK_LYDWDM", "数据来源单位统一社会信用代码", FieldKind.USCC, 18, ALWAYS),
    Field("BZ", "备注", max_length=1000),
)

PENALTY_FIELDS: tuple[Field, ...] = (
    *_subject_fields("CF"),
    Field("CF_WSH", "行政处罚决定书文号", max_length=128, required=ALWAYS),
    Field("CF_WFXW", "违法行为类型", required=ALWAYS),
    Field("CF_SY", "违法事实", max_length=4000, required=ALWAYS),
    Field("CF_YJ", "处罚依据", max_length=2000, required=ALWAYS),
    Field("CF_CFLB", "处罚类别", FieldKind.CODES, 200, ALWAYS, "penalty_category"),
    Field("CF_NR", "处罚内容", max_length=4000, required=ALWAYS),
    Field(
        "CF_NR_FK", "罚款金额（万元）", FieldKind.AMOUNT, 30, Requirement(when_field="CF_CFLB", when_values=("罚款",)),
    ),
    Field(
        "CF_NR_WFFF", "没收违法所得、没收非法财物的金额（万元）", FieldKind.AMOUNT, 30,
        Requirement(when_field="CF_CFLB", when_values=("没收违法所得", "没收非法财物")),
    ),
    Field(
        "CF_NR_ZKDX", "暂扣或吊销证照名称及编号", max_length=200,
        required=Requirement(when_field="CF_CFLB", when_values=("暂扣许可证件", "吊销许可证件")),
    ),
    Field("CF_JDRQ", "处罚决定日期", FieldKind.DATE, required=ALWAYS),
    Field("CF_YXQ", "处罚有效期", FieldKind.DATE, required=ALWAYS),
    Field("CF_GSJZQ", "公示截止期", FieldKind.DATE),
    Field("CF_CFJG", "处罚机关", required=ALWAYS),
    Field("CF_CFJGDM", "处罚机关统一社会信用代码", FieldKind.USCC, 18, ALWAYS),
    Field("CF_SJLY", "数据来源单位", required=ALWAYS),
    Field("CF_SJLYDM", "数据来源单位统一社会信用代码", FieldKind.USCC, 18, ALWAYS),
    Field("BZ", "备注", max_length=1000),
    Field(SEVERITY_FIELD, "失信严重程度", FieldKind.CODE, 10, code_list="severity", local=True),
)  # fmt: skip


@dataclass(frozen=True)
class Standard:
    """One record type's fields and the code lists they use, with the rules that dates and amounts follow."""

    record_type: str  # "licence" | "penalty"
    fields: tuple[Field, ...]
    code_lists: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=lambda: dict(CODE_LISTS))

    @property
    def prefix(self) -> str:
        return "XK" if self.record_type == "licence" else "CF"

    def by_code(self) -> dict[str, Field]:
        return self._by_code

    @functools.cached_property
    def _by_code(self) -> dict[str, Field]:
        return {f.code: f for f in self.fields}

    @functools.cached_property
    def conversions(self) -> dict[str, dict]:
        """Per field code: cell as read → (value, errors) (`gongkai.credit.rows.check_row`): a conversion
        depends only on the cell, the field and this standard's code lists."""
        return {f.code: {} for f in self.fields}

    @functools.cached_property
    def sometimes_required(self) -> frozenset[str]:
        """The codes of the fields that are required always or in some case."""
        return frozenset(f.code for f in self.fields if f.required != OPTIONAL)

    @functools.cached_property
    def national_fields(self) -> tuple[Field, ...]:
        """The fields of the national standard: what is stored in ``data``, published and pushed upstream."""
        return tuple(f for f in self.fields if not f.local)

    @functools.cached_property
    def id_number_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.kind == FieldKind.ID_NUMBER)

    def by_label(self) -> dict[str, Field]:
        """Headers by label: the exact label, and the label without its 代码_N（…） wrapping (both are seen)."""
        labels: dict[str, Field] = {}
        for f in self.fields:
            labels[f.label] = f
            labels[unicodedata.normalize("NFKC", f.label)] = f  # （万元） typed as (万元)
            if "（" in f.label and f.label.startswith("行政相对人代码_"):
                labels[f.label.split("（", 1)[1].rstrip("）")] = f
        return labels

    def decision_number_field(self) -> str:
        return "XK_WSH" if self.record_type == "licence" else "CF_WSH"

    def decision_date_field(self) -> str:
        return f"{self.prefix}_JDRQ"

    def authority_code_field(self) -> str:
        return "XK_XKJGDM" if self.record_type == "licence" else "CF_CFJGDM"

    def with_overrides(
        self, *, required: dict[str, Requirement] | None = None, code_lists: dict | None = None
    ) -> Standard:
        """The same standard with some requirements or code lists replaced (as an administrator set them)."""
        fields = tuple(replace(f, required=(required or {}).get(f.code, f.required)) for f in self.fields)
        return Standard(self.record_type, fields, {**self.code_lists, **(code_lists or {})})


LICENCE = Standard("licence", LICENCE_FIELDS)
PENALTY = Standard("penalty", PENALTY_FIELDS)
STANDARDS = {"licence": LICENCE, "penalty": PENALTY}
