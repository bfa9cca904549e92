"""Demo 双公示 data: about 2,000 licences and penalties of four departments of the district over two years.

Four reporting organisations of the demo district submit (`STREAMS`): 区行政审批服务局 its licences (食品经营,
营业执照, 施工许可…), 区市场监管局 its penalties (张市监罚〔2025〕123号) and some registrations, 区发改局 project
approvals and a few 招标投标 penalties, 体育场街道 its 综合执法 penalties, among them a few natural persons (自然人,
with resident ID numbers whose check digits are right). Names, facts and amounts (万元) are invented. Some
penalties are only a 警告 (not published by default) and some licences are later 撤销.

Every record goes through the real import path: the decisions of one organisation and record type for one
period (a month; two or three for the small streams) make one file in the form that department sends (CSV
with Chinese headers, CSV with field codes from a business system, CSV saved by Excel in GBK, or XLSX), given
to `services.import_file` with ``today`` the simulated day of the upload. A file is sent 1–3 working days after
its period and holds the decisions of the 7 working days before it, so that it is on time (国办发〔2015〕51号:
public within 7 working days of the decision); one file in twelve or so (`LATE_SHARE`) is sent weeks later
and its records are late. Decisions therefore cluster in the last days of each period: an import costs about
0.1 s whatever its size (the file is checked in a child process), and a week's file per department (500 files,
a minute) would make the demo slow to load, where 100 files take about 14 s on SQLite.

Demo only: the history is back-dated. `import_file` stamps the submission and the records it publishes with
the real time; afterwards the submission's ``submitted_at`` and ``late`` and its records' ``first_published_at``,
``created_at`` and ``updated_at`` are set with queryset ``.update()`` to the simulated moment the department
submitted. Real submissions are never back-dated.

Deterministic: a fixed seed and the 24 months ending `REFERENCE_DAY`; nothing reads the clock. Idempotent: an
organisation's stream is skipped when it already has a demo submission of that record type.

`ERROR_FILE` is a licence file of 区行政审批服务局 (the demo user ``submitter``) with ten rows, four of them wrong,
for trying the department portal; `error_file_bytes()` builds it.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from gongkai.credit import bulk, services
from gongkai.credit.models import RECORD_MODELS, RecordType, Submission
from gongkai.credit.standard import CODE_LISTS, INDIVIDUAL_BUSINESS, NATURAL_PERSON, ORGANISATION, STANDARDS, FieldKind
from gongkai.lib.identifiers import USCC_ALPHABET, org_code_check_char, resident_id_check_char, uscc_check_char
from gongkai.orgs.demo import BUREAU_USCC, ORGANIZATIONS
from gongkai.orgs.models import Organization
from gongkai.workdays.calendar import WorkCalendar, current_calendar

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
SEED = 20261031
REFERENCE_DAY = D(2026, 10, 31)  # the demo's history is the 24 months ending here
FIRST_DAY = D(2024, 11, 1)
LATE_SHARE = 0.08  # files sent weeks after the publicity due date of their decisions
LONG_TERM = D(2099, 12, 31)  # 有效期至 of a licence without an end (长期), as the platforms write it
CHANNEL = "demo"

APPROVAL_USCC = "11370303MB2858350L"  # 张店区行政审批服务局, the demo submitter's organisation
MARKET_USCC = "113703030042181891"  # 张店区市场监督管理局
STREET_USCC = "11370303004224175E"  # 体育场街道办事处

ERROR_FILE = Path(__file__).resolve().parent / "demo_files" / "行政许可-示例-含错误.xlsx"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟万段钱汤尹常武乔贺龚"
)
GIVEN_NAMES = _words(
    "建国 志强 海涛 秀英 桂兰 丽 静 敏 伟 芳 娜 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 玉兰 萍 鹏 辉 华 红 "
    "玲 斌 宇 浩 凯 健 俊 帆 旭 宁 博 亮 晨 欣 悦 雪 婷 倩 楠 晓燕 文博 立新 春梅 国华 德胜 建华 玉珍 成刚 振东 庆国"
)
TRADE_NAMES = _words(
    "鑫源 华瑞 恒通 瑞祥 金诚 宏达 鲁中 齐盛 泰和 汇丰 嘉禾 永盛 聚隆 润华 德信 博远 天成 海川 中昊 众和 兴业 福润 "
    "昌盛 锦程 康泰 裕丰 佳美 同创 远航 亿通 万和 宝泰 弘毅 信诚 联创 广源 东岳 正阳 凯旋 金桥 宏图 瑞丰 美联 "
    "华鲁 齐韵 鸿运 鼎盛 恒瑞 晟达 沃德 中润 瀚海 启航 景和 丰源 新起点 乐康 惠民 汇鑫 通达 安泰 顺成"
)
STREETS = _words("华光路 人民西路 共青团路 柳泉路 西六路 新村西路 金晶大道 北京路 体育场路 杏园东路 中润大道 上海路")


# --- subjects: the companies, shops and people the decisions concern ---------------------------------------------


@dataclass(frozen=True)
class Subject:
    name: str
    kind: str  # 法人及非法人组织 / 个体工商户 / 自然人
    uscc: str = ""
    representative: str = ""  # 法定代表人, or the 经营者 of a 个体工商户
    id_number: str = ""  # a natural person's resident ID


@dataclass
class Context:
    """The generator's state: one random stream, the calendar, the subjects made so far, the number counters."""

    rng: random.Random
    calendar: WorkCalendar
    subjects: dict[str, Subject] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)
    counters: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    pools: dict[str, list[Subject]] = field(default_factory=lambda: defaultdict(list))
    people: list[Subject] = field(default_factory=list)

    def person_name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES)

    def serial(self, prefix: str, year: int) -> int:
        """The next number of a series of decision numbers (each authority numbers each year from 1)."""
        self.counters[(prefix, year)] += 1
        return self.counters[(prefix, year)]

    def uscc(self, head: str) -> str:
        """A new USCC with valid check characters: ``head`` is positions 1–8 (e.g. 91370303 for a company)."""
        while True:
            body = "MA" + "".join(self.rng.choice(USCC_ALPHABET) for _ in range(6))
            first17 = head + body + org_code_check_char(body)
            if first17 not in self.codes:
                self.codes.add(first17)
                return first17 + uscc_check_char(first17)

    def company(self, industries: tuple[str, ...], *, pool: str, reuse: float = 0.25) -> Subject:
        """A 法人 of one of ``industries``: often one already seen in ``pool`` (firms come back)."""
        return self._from_pool(pool, reuse, lambda: self._new_company(industries))

    def shop(self, kinds: tuple[str, ...], *, pool: str, reuse: float = 0.15) -> Subject:
        """A 个体工商户 such as 张店区刘记快餐店."""
        return self._from_pool(pool, reuse, lambda: self._new_shop(kinds))

    def natural_person(self) -> Subject:
        """One of the few natural persons (most of them met once, one or two again)."""
        if len(self.people) < 8 and (not self.people or self.rng.random() < 0.8):
            born = D(1958, 1, 1) + datetime.timedelta(days=self.rng.randrange(40 * 365))
            first17 = f"370303{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            self.people.append(
                Subject(self.person_name(), NATURAL_PERSON, id_number=first17 + resident_id_check_char(first17))
            )
            return self.people[-1]
        return self.rng.choice(self.people)

    def _from_pool(self, pool: str, reuse: float, make: Callable[[], Subject]) -> Subject:
        members = self.pools[pool]
        if members and self.rng.random() < reuse:
            return self.rng.choice(members)
        while True:
            subject = make()
            if subject.name not in self.subjects:
                break
        self.subjects[subject.name] = subject
        members.append(subject)
        return subject

    def _new_company(self, industries: tuple[str, ...]) -> Subject:
        place = self.rng.choices(("淄博", "山东", "淄博张店"), weights=(70, 20, 10))[0]
        form = "股份有限公司" if self.rng.random() < 0.05 else "有限公司"
        name = f"{place}{self.rng.choice(TRADE_NAMES)}{self.rng.choice(industries)}{form}"
        region = "370303" if self.rng.random() < 0.8 else "370300"
        return Subject(name, ORGANISATION, self.uscc("91" + region), self.person_name())

    def _new_shop(self, kinds: tuple[str, ...]) -> Subject:
        keeper = self.person_name()
        style = self.rng.random()
        if style < 0.4:
            trade = self.rng.choice(TRADE_NAMES)
        elif style < 0.7:
            trade = keeper[0] + "记"
        else:
            trade = "老" + keeper[0]
        return Subject(f"张店区{trade}{self.rng.choice(kinds)}", INDIVIDUAL_BUSINESS, self.uscc("92370303"), keeper)


# --- rows: one decision as the department's file holds it (field code → value) -----------------------------------


def _subject_fields(prefix: str, subject: Subject) -> dict:
    row = {f"{prefix}_XDR_MC": subject.name, f"{prefix}_XDR_LB": subject.kind}
    if subject.uscc:
        row[f"{prefix}_XDR_SHXYM"] = subject.uscc
    if subject.representative:
        row[f"{prefix}_FRDB"] = subject.representative
    if subject.id_number:
        row[f"{prefix}_XDR_ZJLX"] = "身份证"
        row[f"{prefix}_XDR_ZJHM"] = subject.id_number
    return row


def licence_row(
    org: Organization,
    subject: Subject,
    *,
    document: str,
    number: str,
    category: str,
    content: str,
    decided: datetime.date,
    valid_to: datetime.date,
    certificate: str = "",
    licence_no: str = "",
    status: str = "有效",
    note: str = "",
) -> dict:
    row = {
        **_subject_fields("XK", subject),
        "XK_XKWS": document,
        "XK_WSH": number,
        "XK_XKLB": category,
        "XK_XKZS": certificate,
        "XK_XKBH": licence_no,
        "XK_NR": content,
        "XK_JDRQ": decided,
        "XK_YXQZ": decided,
        "XK_YXQZI": valid_to,
        "XK_XKJG": org.name,
        "XK_XKJGDM": org.uscc,
        "XK_ZT": status,
        "XK_LYDW": org.name,
        "XK_LYDWDM": org.uscc,
        "BZ": note,
    }
    return {code: value for code, value in row.items() if value not in ("", None)}


def _yuan(amount: Decimal) -> str:
    """万元 as the decision writes it: 人民币5000元, 人民币86.5元."""
    yuan = (amount * 10000).normalize()
    return f"人民币{yuan:f}元"


def penalty_row(
    org: Organization,
    subject: Subject,
    *,
    number: str,
    conduct: str,
    facts: str,
    basis: str,
    categories: tuple[str, ...],
    decided: datetime.date,
    years: int,
    fine: Decimal | None = None,
    confiscated: Decimal | None = None,
    goods: str = "",
    licence: str = "",
) -> dict:
    parts = []
    if "警告" in categories:
        parts.append("警告")
    if "通报批评" in categories:
        parts.append("通报批评")
    if "没收违法所得" in categories and confiscated:
        parts.append(f"没收违法所得{_yuan(confiscated)}")
    if "没收非法财物" in categories:
        parts.append(f"没收{goods}")
    if fine:
        parts.append(f"罚款{_yuan(fine)}")
    if "吊销许可证件" in categories:
        parts.append(f"吊销{licence}")
    if "其他" in categories:
        parts.append("责令停止建设并限期改正")
    until = _until(decided, years)
    row = {
        **_subject_fields("CF", subject),
        "CF_WSH": number,
        "CF_WFXW": conduct,
        "CF_SY": facts,
        "CF_YJ": basis,
        "CF_CFLB": categories,
        "CF_NR": "；".join(parts),
        "CF_NR_FK": fine,
        "CF_NR_WFFF": confiscated,
        "CF_NR_ZKDX": licence if "吊销许可证件" in categories else "",
        "CF_JDRQ": decided,
        "CF_YXQ": until,
        "CF_GSJZQ": until,
        "CF_CFJG": org.name,
        "CF_CFJGDM": org.uscc,
        "CF_SJLY": org.name,
        "CF_SJLYDM": org.uscc,
    }
    return {code: value for code, value in row.items() if value not in ("", None)}


def _until(decided: datetime.date, years: int | None) -> datetime.date:
    """The last day of a period of ``years`` from ``decided`` (None: 长期)."""
    if years is None:
        return LONG_TERM
    try:
        anniversary = decided.replace(year=decided.year + years)
    except ValueError:  # 29 February
        anniversary = D(decided.year + years, 3, 1)
    return anniversary - datetime.timedelta(days=1)


def _wan(rng: random.Random, low: int, high: int, step: int = 100) -> Decimal:
    """An amount in 万元 between ``low`` and ``high`` yuan, in steps of ``step`` yuan."""
    yuan = rng.randrange(low, high + 1, step) if high > low else low
    return (Decimal(yuan) / 10000).normalize()


def _ago(day: datetime.date, rng: random.Random, low: int, high: int) -> str:
    """A day some time before ``day``, written as in a decision: 2025年3月5日."""
    earlier = day - datetime.timedelta(days=rng.randint(low, high))
    return f"{earlier.year}年{earlier.month}月{earlier.day}日"


# --- 区行政审批服务局: licences ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LicenceKind:
    weight: int
    prefix: str  # of the decision number: 张审批食许〔2025〕123号
    document: str
    category: str
    certificate: str
    contents: tuple[str, ...]
    years: int | None  # None: 长期
    companies: tuple[str, ...] = ()  # industries of the 法人 it goes to
    shops: tuple[str, ...] = ()  # kinds of the 个体工商户 it goes to
    number: str = ""  # how the 许可编号 is made (see _licence_no)


APPROVAL_LICENCES = (
    LicenceKind(
        34, "张审批食许", "食品经营许可决定书", "普通", "食品经营许可证",
        ("预包装食品（含冷藏冷冻食品）销售，散装食品（不含冷藏冷冻食品）销售", "热食类食品制售，冷食类食品制售",
         "预包装食品（不含冷藏冷冻食品）销售，保健食品销售", "热食类食品制售，糕点类食品（含裱花蛋糕）制售"),
        5, ("餐饮管理", "商贸", "食品", "超市", "酒店管理"),
        ("便利店", "快餐店", "面馆", "烧烤店", "水果店", "家常菜馆", "小吃部", "超市", "蛋糕店", "粮油店"), "food",
    ),
    LicenceKind(
        22, "张审批登", "准予设立登记通知书", "登记", "营业执照",
        ("有限责任公司（自然人投资或控股）设立登记", "有限责任公司（自然人独资）设立登记", "股份有限公司设立登记"),
        None, ("商贸", "科技", "建材", "物流", "餐饮管理", "机械制造", "新材料科技", "电子科技", "陶瓷", "广告"),
        number="uscc",
    ),
    LicenceKind(
        10, "张审批卫许", "公共场所卫生许可决定书", "普通", "卫生许可证",
        ("住宿场所", "美容美发场所", "沐浴场所", "游泳场所"), 4, ("酒店管理", "美容美发", "健身服务", "洗浴服务"),
        ("理发店", "美容美发店", "宾馆", "浴池", "足疗店"), "health",
    ),
    LicenceKind(
        8, "张审批建许", "建筑工程施工许可决定书", "普通", "建筑工程施工许可证",
        ("住宅楼及地下车库工程", "厂房及配套设施工程", "商业综合楼工程", "学校教学楼工程"), 3,
        ("置业", "房地产开发", "建筑工程", "新材料科技", "陶瓷"), number="construction",
    ),
    LicenceKind(
        7, "张审批运许", "道路运输经营许可决定书", "普通", "道路运输经营许可证",
        ("道路普通货物运输", "道路普通货物运输，货物专用运输（集装箱）"), 4, ("物流", "货物运输", "商贸"),
        number="transport",
    ),
    LicenceKind(
        5, "张审批药许", "药品经营许可决定书", "普通", "药品经营许可证",
        ("中药饮片、中成药、化学药、生物制品（除疫苗）零售",), 5, ("大药房连锁", "医药"), number="drug",
    ),
    LicenceKind(
        6, "张审批排许", "城镇污水排入排水管网许可决定书", "普通", "排水许可证",
        ("餐饮污水排入城镇排水管网", "洗车污水排入城镇排水管网"), 5, ("餐饮管理", "酒店管理", "汽车服务"),
        ("家常菜馆", "洗车行"), "drain",
    ),
    LicenceKind(
        4, "张审批广许", "户外广告设施设置许可决定书", "普通", "",
        ("设置户外广告牌一块，面积24平方米", "设置楼顶字牌一处"), 1, ("广告", "传媒", "商贸"),
    ),
    LicenceKind(
        3, "张审批人许", "人力资源服务许可决定书", "普通", "人力资源服务许可证",
        ("职业介绍，人力资源供求信息的收集和发布，就业和创业指导",), None, ("人力资源", "企业管理咨询"), number="hr",
    ),
    LicenceKind(
        1, "张审批燃许", "燃气经营许可决定书", "特许", "燃气经营许可证", ("瓶装液化石油气经营",), 3, ("燃气",),
        number="gas",
    ),
)  # fmt: skip


def _licence_no(kind: LicenceKind, ctx: Context, subject: Subject, decided: datetime.date, serial: int) -> str:
    rng = ctx.rng
    if kind.number == "food":
        return f"JY{rng.choice('12')}370303{rng.randrange(10**7):07d}"
    if kind.number == "uscc":
        return subject.uscc
    if kind.number == "health":
        return f"张卫公字〔{decided.year}〕第{serial:04d}号"
    if kind.number == "construction":
        return f"370303{decided:%Y%m%d}{serial % 100:02d}01"
    if kind.number == "transport":
        return f"鲁交运管许可淄字370303{rng.randrange(10**6):06d}号"
    if kind.number == "drug":
        return f"鲁CB533{rng.randrange(10**4):04d}"
    if kind.number == "drain":
        return f"张排字〔{decided.year}〕第{serial:03d}号"
    if kind.number == "hr":
        return f"370303{decided:%Y}{serial:04d}"
    if kind.number == "gas":
        return f"鲁{decided:%Y}03030{serial:03d}J"
    return ""


def approval_licence(ctx: Context, org: Organization, decided: datetime.date) -> dict:
    kind = ctx.rng.choices(APPROVAL_LICENCES, weights=[k.weight for k in APPROVAL_LICENCES])[0]
    if kind.shops and (not kind.companies or ctx.rng.random() < 0.45):
        subject = ctx.shop(kind.shops, pool=kind.prefix)
    else:
        subject = ctx.company(kind.companies, pool=kind.prefix, reuse=0 if kind.number == "uscc" else 0.25)
    serial = ctx.serial(kind.prefix, decided.year)
    return licence_row(
        org, subject, document=kind.document, number=f"{kind.prefix}〔{decided.year}〕{serial}号",
        category=kind.category, certificate=kind.certificate,
        licence_no=_licence_no(kind, ctx, subject, decided, serial), content=ctx.rng.choice(kind.contents),
        decided=decided, valid_to=_until(decided, kind.years),
    )  # fmt: skip


REVOCATION_NOTE = "被许可人以欺骗手段取得行政许可，依据《中华人民共和国行政许可法》第六十九条第二款予以撤销。"


# --- 区发展和改革局: project approvals and a few penalties ----------------------------------------------------------

PROJECTS = (
    "年产5万吨新型陶瓷材料项目", "智能装备产业园项目", "10MW分布式光伏发电项目", "热电联产机组改造项目",
    "商业综合体项目", "数据中心项目", "污水处理厂提标改造项目", "年产2000吨功能性新材料项目",
    "冷链物流园项目", "高端医疗器械生产基地项目", "新能源汽车零部件项目", "老旧小区供热管网改造项目",
)  # fmt: skip
PROJECT_OWNERS = ("新材料科技", "陶瓷", "化工", "机械制造", "置业", "热电", "新能源科技", "电子科技", "物流")
GRAIN_TRADERS = ("粮油", "面粉", "粮食购销")


def reform_licence(ctx: Context, org: Organization, decided: datetime.date) -> dict:
    rng = ctx.rng
    subject = ctx.company(PROJECT_OWNERS, pool="发改项目")
    project = rng.choice(PROJECTS)
    serial = ctx.serial("张发改许", decided.year)
    code = f"{decided:%y%m}-370303-{rng.choice(('04', '89'))}-0{rng.randint(1, 3)}-{rng.randrange(10**6):06d}"
    if rng.random() < 0.4:
        document, category = "企业投资项目核准批复", "核准"
        content = f"同意{subject.name}建设{project}，项目总投资{rng.randrange(3000, 90000, 100)}万元"
    else:
        document, category = "固定资产投资项目节能审查意见", "普通"
        content = f"原则同意{project}节能报告，项目年综合能源消费量{rng.randrange(1000, 20000, 10)}吨标准煤（当量值）"
    return licence_row(
        org, subject, document=document, number=f"张发改许〔{decided.year}〕{serial}号", category=category,
        licence_no=code, content=content, decided=decided, valid_to=_until(decided, 2),
    )  # fmt: skip


def reform_penalty(ctx: Context, org: Organization, decided: datetime.date) -> dict:
    rng = ctx.rng
    number = f"张发改罚〔{decided.year}〕{ctx.serial('张发改罚', decided.year)}号"
    choice = rng.random()
    subject = ctx.company(PROJECT_OWNERS if choice < 0.75 else GRAIN_TRADERS, pool="发改处罚", reuse=0.1)
    if choice < 0.5:
        contract = Decimal(rng.randrange(400_00, 3000_00)) / 100  # 万元
        fine = (contract * Decimal("0.005")).quantize(Decimal("0.000001")).normalize()
        return penalty_row(
            org, subject, number=number, conduct="依法必须进行招标的项目而不招标",
            facts=f"当事人实施的{rng.choice(PROJECTS)}属于依法必须进行招标的项目，其施工合同（合同金额{contract}万元）"
            f"于{_ago(decided, rng, 60, 200)}未经招标直接发包。",
            basis="《中华人民共和国招标投标法》第四十九条", categories=("罚款",), fine=fine, decided=decided, years=1,
        )  # fmt: skip
    if choice < 0.75:
        return penalty_row(
            org, subject, number=number, conduct="未按规定进行节能审查擅自开工建设",
            facts=f"当事人的{rng.choice(PROJECTS)}未取得节能审查意见，于{_ago(decided, rng, 30, 120)}擅自开工建设。",
            basis="《固定资产投资项目节能审查办法》第二十一条", categories=("其他",), decided=decided, years=1,
        )  # fmt: skip
    warned = rng.random() < 0.5
    return penalty_row(
        org, subject, number=number, conduct="未按规定建立粮食经营台账",
        facts=f"{_ago(decided, rng, 10, 40)}检查发现，当事人未按规定建立粮食经营台账，未如实记录粮食购销数量。",
        basis="《粮食流通管理条例》第四十八条",
        categories=("警告",) if warned else ("警告", "罚款"), fine=None if warned else _wan(rng, 5000, 20000, 1000),
        decided=decided, years=1,
    )  # fmt: skip


# --- 区市场监督管理局: penalties and registrations ------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    weight: int
    conduct: str  # 违法行为类型
    facts: str  # with {day} and {item}
    basis: str
    items: tuple[str, ...]
    # (weight, categories, fine from–to yuan, confiscated from–to yuan or None)
    outcomes: tuple[tuple[int, tuple[str, ...], tuple[int, int] | None, tuple[int, int] | None], ...]
    companies: tuple[str, ...] = ()
    shops: tuple[str, ...] = ()
    licence: str = ""  # the certificate revoked when an outcome has 吊销许可证件


MARKET_VIOLATIONS = (
    Violation(
        22, "销售超过保质期的食品",
        "{day}，执法人员检查发现当事人在经营场所销售超过保质期的{item}，货值金额{value}元。",
        "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        ("袋装饼干", "瓶装饮料", "盒装牛奶", "速冻水饺", "袋装方便面", "罐头食品"),
        ((70, ("没收违法所得", "罚款"), (5000, 50000), (20, 600)), (20, ("罚款",), (5000, 20000), None),
         (3, ("没收违法所得", "罚款", "吊销许可证件"), (50000, 100000), (200, 2000))),
        ("超市", "商贸", "食品"), ("便利店", "超市", "百货商店", "粮油店"), "食品经营许可证",
    ),
    Violation(
        18, "未按规定明码标价",
        "{day}，执法人员检查发现当事人销售的{item}未按规定明码标价。",
        "《明码标价和禁止价格欺诈规定》第二十一条、《价格违法行为行政处罚规定》第十三条",
        ("蔬菜", "水果", "烟酒", "洗车服务", "理发服务", "药品"),
        ((30, ("警告",), None, None), (70, ("罚款",), (200, 5000), None)),
        ("商贸", "超市", "汽车服务"), ("水果店", "烟酒店", "理发店", "洗车行", "蔬菜店"),
    ),
    Violation(
        10, "发布虚假广告",
        "当事人于{day}起通过微信公众号发布含有“{item}”等内容的广告，经查与事实不符，广告费用{value}元。",
        "《中华人民共和国广告法》第五十五条第一款",
        ("治愈率100%", "国家级产品", "全市销量第一", "最低价"),
        ((100, ("罚款",), (10000, 100000), None),), ("广告", "传媒", "医疗美容", "教育咨询"),
    ),
    Violation(
        12, "销售不合格产品",
        "当事人于{day}销售的{item}经抽样检验不合格，货值金额{value}元。",
        "《中华人民共和国产品质量法》第五十条",
        ("电线电缆", "儿童服装", "电动自行车头盔", "瓷砖", "插座"),
        ((80, ("没收违法所得", "罚款"), (3000, 60000), (50, 5000)), (20, ("罚款",), (2000, 30000), None)),
        ("建材", "商贸", "电子科技", "陶瓷"), ("五金店", "百货商店"),
    ),
    Violation(
        10, "特种设备未按规定进行定期检验",
        "{day}，执法人员检查发现当事人使用的{item}超过检验有效期未申报定期检验，仍继续使用。",
        "《中华人民共和国特种设备安全法》第八十四条第（一）项",
        ("乘客电梯", "压力容器", "叉车", "锅炉"),
        ((100, ("罚款",), (30000, 100000), None),), ("物业管理", "酒店管理", "化工", "机械制造"),
    ),
    Violation(
        8, "使用未经检定的计量器具",
        "{day}，执法人员检查发现当事人使用未经检定的{item}进行贸易结算。",
        "《中华人民共和国计量法实施细则》第四十三条",
        ("电子计价秤", "加油机", "出租车计价器"),
        ((100, ("没收非法财物", "罚款"), (200, 1000), None),), ("商贸", "石油销售"), ("水果店", "蔬菜店", "粮油店"),
    ),
    Violation(
        10, "未按规定履行进货查验义务",
        "{day}，执法人员检查发现当事人采购{item}未查验供货者的许可证和食品出厂检验合格证明，未建立进货查验记录。",
        "《中华人民共和国食品安全法》第一百二十六条第一款第（三）项",
        ("散装熟食", "冷冻肉品", "食用油", "豆制品"),
        ((30, ("警告",), None, None), (70, ("罚款",), (5000, 20000), None)), ("超市", "餐饮管理"),
        ("小吃部", "便利店", "家常菜馆"),
    ),
    Violation(
        4, "未按规定公示食品经营许可证",
        "{day}，执法人员检查发现当事人未在经营场所显著位置悬挂或者摆放食品经营许可证正本。",
        "《食品经营许可和备案管理办法》第五十三条",
        ("",), ((100, ("警告",), None, None),), ("餐饮管理",), ("快餐店", "面馆", "家常菜馆", "烧烤店"),
    ),
)  # fmt: skip


def _violation_subject(ctx: Context, violation: Violation, pool: str) -> Subject:
    if violation.shops and (not violation.companies or ctx.rng.random() < 0.5):
        return ctx.shop(violation.shops, pool=pool)
    return ctx.company(violation.companies, pool=pool, reuse=0.1)


def market_penalty(ctx: Context, org: Organization, decided: datetime.date) -> dict:
    rng = ctx.rng
    violation = rng.choices(MARKET_VIOLATIONS, weights=[v.weight for v in MARKET_VIOLATIONS])[0]
    subject = _violation_subject(ctx, violation, "市监处罚")
    outcome = rng.choices(violation.outcomes, weights=[o[0] for o in violation.outcomes])[0]
    _, categories, fine_range, confiscated_range = outcome
    fine = _wan(rng, *fine_range) if fine_range else None
    confiscated = (
        (Decimal(rng.randrange(confiscated_range[0] * 10, confiscated_range[1] * 10)) / 100_000).normalize()
        if confiscated_range
        else None
    )
    goods = f"未经检定的{violation.items[0]}{rng.randint(1, 3)}台" if "没收非法财物" in categories else ""
    if goods:
        confiscated = _wan(rng, 300, 3000)
    summary = categories == ("警告",) or (fine is not None and fine <= Decimal("0.3") and not confiscated)
    prefix = "张市监简罚" if summary else "张市监罚"  # 简易程序 for warnings and small fines
    facts = violation.facts.format(
        day=_ago(decided, rng, 15, 90), item=rng.choice(violation.items), value=rng.randrange(50, 9000)
    )
    licence = (
        f"{violation.licence}（JY{rng.choice('12')}370303{rng.randrange(10**7):07d}）" if violation.licence else ""
    )
    return penalty_row(
        org, subject, number=f"{prefix}〔{decided.year}〕{ctx.serial(prefix, decided.year)}号",
        conduct=violation.conduct, facts=facts, basis=violation.basis, categories=categories, fine=fine,
        confiscated=confiscated, goods=goods, licence=licence, decided=decided, years=3,
    )  # fmt: skip


def market_licence(ctx: Context, org: Organization, decided: datetime.date) -> dict:
    rng = ctx.rng
    if rng.random() < 0.7:
        subject = ctx.company(("物业管理", "酒店管理", "商业管理", "化工", "置业"), pool="市监特设")
        serial = ctx.serial("张市监特登", decided.year)
        device, code = rng.choice((("乘客电梯", "梯11"), ("压力容器", "容3LL"), ("叉车", "车11")))
        return licence_row(
            org, subject, document="特种设备使用登记决定书", number=f"张市监特登〔{decided.year}〕{serial}号",
            category="登记", certificate="特种设备使用登记证",
            licence_no=f"{code}鲁C{rng.randrange(10**5):05d}({decided:%y})",
            content=f"{device}使用登记（{rng.randint(1, 6)}台）", decided=decided, valid_to=LONG_TERM,
        )  # fmt: skip
    subject = ctx.shop(("豆腐坊", "馒头房", "煎饼坊", "香油坊", "熟食加工坊"), pool="市监小作坊")
    serial = ctx.serial("张市监坊登", decided.year)
    return licence_row(
        org, subject, document="食品小作坊登记决定书", number=f"张市监坊登〔{decided.year}〕{serial}号",
        category="登记", certificate="食品小作坊登记证", licence_no=f"鲁食坊登字370303{decided:%Y}{serial:04d}号",
        content=f"食品小作坊登记：{subject.name[3:]}生产加工", decided=decided, valid_to=_until(decided, 3),
    )  # fmt: skip


# --- 体育场街道办事处: 综合行政执法 penalties ---------------------------------------------------------------------

STREET_VIOLATIONS = (
    Violation(
        30, "擅自占用城市道路",
        "{day}，当事人在{item}人行道擅自占道经营，经责令改正拒不改正。",
        "《城市道路管理条例》第四十二条", STREETS,
        ((30, ("警告",), None, None), (70, ("罚款",), (200, 2000), None)),
        ("餐饮管理", "商贸"), ("水果店", "烧烤店", "家常菜馆", "五金店"),
    ),
    Violation(
        15, "擅自设置户外广告",
        "{day}，当事人未经批准在{item}沿街设置户外广告牌。",
        "《城市市容和环境卫生管理条例》第三十六条", STREETS,
        ((100, ("罚款",), (500, 5000), None),), ("广告", "商贸", "教育咨询"), ("理发店", "便利店"),
    ),
    Violation(
        20, "随意倾倒建筑垃圾",
        "{day}，当事人在{item}附近随意倾倒建筑垃圾约{value}立方米。",
        "《城市建筑垃圾管理规定》第二十六条", STREETS,
        ((100, ("罚款",), (5000, 50000, ), None),), ("建筑工程", "装饰工程", "渣土运输"),
    ),
    Violation(
        20, "露天烧烤污染大气环境",
        "{day}，当事人在{item}城市人口集中区域露天烧烤食品。",
        "《中华人民共和国大气污染防治法》第一百一十八条第三款", STREETS,
        ((100, ("没收非法财物", "罚款"), (500, 20000), None),), ("餐饮管理",), ("烧烤店", "小吃部"),
    ),
    Violation(
        15, "餐饮服务单位未安装油烟净化设施",
        "{day}，当事人位于{item}的经营场所未安装油烟净化设施，油烟直接排放。",
        "《中华人民共和国大气污染防治法》第一百一十八条第一款", STREETS,
        ((100, ("罚款",), (5000, 50000), None),), ("餐饮管理", "酒店管理"), ("快餐店", "家常菜馆", "面馆"),
    ),
)  # fmt: skip

# What a natural person is penalised for by the street office, with small fines (yuan).
PERSON_VIOLATIONS = (
    ("擅自占用城市道路", "{day}，当事人在{item}人行道摆摊设点占道经营。", "《城市道路管理条例》第四十二条",
     (50, 200)),
    ("随意倾倒生活垃圾", "{day}，当事人在{item}随意倾倒装修垃圾。", "《城市市容和环境卫生管理条例》第三十四条",
     (50, 200)),
    ("露天烧烤污染大气环境", "{day}，当事人在{item}露天烧烤食品。",
     "《中华人民共和国大气污染防治法》第一百一十八条第三款", (500, 2000)),
)  # fmt: skip


def street_penalty(ctx: Context, org: Organization, decided: datetime.date) -> dict:
    rng = ctx.rng
    number = f"张体综执罚〔{decided.year}〕{ctx.serial('张体综执罚', decided.year)}号"
    day = _ago(decided, rng, 5, 40)
    if rng.random() < 0.05:
        conduct, facts, basis, (low, high) = rng.choice(PERSON_VIOLATIONS)
        return penalty_row(
            org, ctx.natural_person(), number=number, conduct=conduct,
            facts=facts.format(day=day, item=rng.choice(STREETS)), basis=basis, categories=("罚款",),
            fine=_wan(rng, low, high, 50), decided=decided, years=1,
        )  # fmt: skip
    violation = rng.choices(STREET_VIOLATIONS, weights=[v.weight for v in STREET_VIOLATIONS])[0]
    subject = _violation_subject(ctx, violation, "街道处罚")
    _, categories, fine_range, _ = rng.choices(violation.outcomes, weights=[o[0] for o in violation.outcomes])[0]
    goods = "烧烤炉具一套" if "没收非法财物" in categories else ""
    return penalty_row(
        org, subject, number=number, conduct=violation.conduct,
        facts=violation.facts.format(day=day, item=rng.choice(violation.items), value=rng.randint(2, 30)),
        basis=violation.basis, categories=categories, fine=_wan(rng, *fine_range) if fine_range else None,
        confiscated=_wan(rng, 100, 800) if goods else None, goods=goods, decided=decided, years=1,
    )  # fmt: skip


# --- files: a week's decisions as the department sends them -------------------------------------------------------


def _codes(code_list: str) -> dict[str, str]:
    return {label: code for code, label in CODE_LISTS[code_list]}


def _cells(row: dict, record_type: str, style: str) -> list:
    """One row's cells: ``style`` is how that department's files write dates and code-list values."""
    cells = []
    for f in STANDARDS[record_type].fields:
        value = row.get(f.code)
        if value is None:
            cells.append("" if style != "xlsx" else None)
            continue
        if isinstance(value, datetime.date):
            if style == "xlsx":
                pass  # a date cell
            elif style == "codes":
                value = f"{value:%Y%m%d}"
            elif style == "gbk":
                value = f"{value.year}/{value.month}/{value.day}"
            else:
                value = value.isoformat()
        elif isinstance(value, Decimal):
            value = float(value) if style == "xlsx" else format(value, "f")
        elif f.kind == FieldKind.CODES:
            value = ",".join(_codes(f.code_list)[v] for v in value) if style == "codes" else "、".join(value)
        elif style == "codes" and f.code_list:
            value = _codes(f.code_list)[value]
        cells.append(value)
    return cells


def _headers(record_type: str, style: str) -> list[str]:
    fields = STANDARDS[record_type].fields
    return [f.code for f in fields] if style == "codes" else [f.label for f in fields]


def build_file(rows: list[dict], record_type: str, style: str) -> bytes:
    """A department's file: ``style`` csv (UTF-8 with BOM, Chinese headers), codes (UTF-8, field codes, code-list
    codes, dates as 20250305), gbk (as Excel saves CSV in China, dates as 2025/3/5) or xlsx (date cells)."""
    if style == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("数据")
        sheet.append(_headers(record_type, style))
        for row in rows:
            sheet.append(_cells(row, record_type, style))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(_headers(record_type, style))
    writer.writerows(_cells(row, record_type, style) for row in rows)
    if style == "gbk":
        return text.getvalue().encode("gbk")
    return text.getvalue().encode("utf-8-sig" if style == "csv" else "utf-8")


# --- streams and batches ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stream:
    """What one organisation submits of one record type over the two years."""

    uscc: str
    record_type: str
    count: int
    style: str  # see build_file
    make: Callable[[Context, Organization, datetime.date], dict]
    months: int = 1  # one file every so many months
    revocations: int = 0  # licences later resubmitted as 撤销


STREAMS = (
    Stream(APPROVAL_USCC, RecordType.LICENCE, 820, "csv", approval_licence, revocations=10),
    Stream(MARKET_USCC, RecordType.PENALTY, 620, "codes", market_penalty),
    Stream(MARKET_USCC, RecordType.LICENCE, 130, "codes", market_licence, months=3),
    Stream(STREET_USCC, RecordType.PENALTY, 260, "gbk", street_penalty),
    Stream(BUREAU_USCC, RecordType.LICENCE, 120, "xlsx", reform_licence, months=2),
    Stream(BUREAU_USCC, RecordType.PENALTY, 50, "xlsx", reform_penalty, months=3),
)


@dataclass
class Batch:
    stream: Stream
    submitted_at: datetime.datetime
    rows: list[dict]


def _periods(months: int) -> list[datetime.date]:
    """The last days of a stream's reporting periods, ``months`` long, from FIRST_DAY to REFERENCE_DAY."""
    ends, year, month = [], FIRST_DAY.year, FIRST_DAY.month
    while True:
        year, month = year + (month + months - 1) // 12, (month + months - 1) % 12 + 1
        end = D(year, month, 1) - datetime.timedelta(days=1)
        if end > REFERENCE_DAY:
            return ends
        ends.append(end)


def _window(calendar: WorkCalendar, sent: datetime.date) -> list[datetime.date]:
    """The working days whose decisions are still on time when sent on ``sent``: the 7 before it."""
    days, day = [], sent
    while len(days) < bulk.PUBLICITY_DAYS:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day, provisional_ok=True):
            days.append(day)
    return days


def _batches(ctx: Context, stream: Stream, org: Organization) -> list[Batch]:
    """The stream's files: one per period, sent 1–3 working days after it ends with the decisions of the 7
    working days before (on time) or, for one in twelve or so (`LATE_SHARE`), weeks later (late). Decision
    numbers follow the decision dates."""
    rng, calendar = ctx.rng, ctx.calendar
    batches, windows = [], []
    periods = _periods(stream.months)
    late = set(rng.sample(range(len(periods) - 1), max(1, round(len(periods) * LATE_SHARE))))  # the last is clamped
    for number, end in enumerate(periods):
        sent = min(calendar.add_working_days(end, rng.randint(1, 3)).date, REFERENCE_DAY)
        windows.append(_window(calendar, sent))
        if number in late:
            sent = min(calendar.add_working_days(sent, rng.randint(7, 25)).date, REFERENCE_DAY)
        moment = datetime.datetime.combine(sent, datetime.time(rng.randint(8, 17), rng.randrange(60)), tzinfo=SHANGHAI)
        batches.append(Batch(stream, moment, []))
    files = rng.choices(range(len(batches)), k=stream.count)
    for decided, file in sorted((rng.choice(windows[file]), file) for file in files):
        batches[file].rows.append(stream.make(ctx, org, decided))
    batches = [batch for batch in batches if batch.rows]
    revoked: set[str] = set()
    while len(revoked) < stream.revocations:
        # A licence found to have been obtained by deception is revoked: its row is sent again, 撤销, in a later
        # file (one to five months later).
        first = rng.choice(batches[:-6])
        later = rng.choice([b for b in batches if 20 < (b.submitted_at - first.submitted_at).days < 160])
        row = rng.choice(first.rows)
        if row["XK_WSH"] not in revoked:
            revoked.add(row["XK_WSH"])
            later.rows.append({**row, "XK_ZT": "撤销", "BZ": REVOCATION_NOTE})
    return batches


def _file_name(batch: Batch, org: Organization) -> str:
    kind = "行政许可" if batch.stream.record_type == RecordType.LICENCE else "行政处罚"
    extension = "xlsx" if batch.stream.style == "xlsx" else "csv"
    return f"{org.short_name}-{kind}-{batch.submitted_at:%Y%m%d}.{extension}"


def _backdate(submission: Submission, moment: datetime.datetime, started: datetime.datetime) -> None:
    """Demo only: make the submission look as if it had been made at ``moment`` (see the module docstring)."""
    model = RECORD_MODELS[submission.record_type]
    records = model.objects.filter(submission=submission)
    records.filter(first_published_at__gte=started).update(first_published_at=moment)
    records.filter(created_at__gte=started).update(created_at=moment)
    records.update(updated_at=moment)  # a version replaced later is kept with this time (`bulk`)
    Submission.objects.filter(pk=submission.pk).update(
        submitted_at=moment, late=services.late_entries(model, submission, moment)
    )


def plan(orgs: dict[str, Organization]) -> list[Batch]:
    """Every demo file, generated (not stored), in the order the departments sent them. ``orgs``: by USCC."""
    ctx = Context(random.Random(SEED), current_calendar())
    batches: list[Batch] = []
    for stream in STREAMS:
        batches += _batches(ctx, stream, orgs[stream.uscc])
    return sorted(batches, key=lambda b: b.submitted_at)


@transaction.atomic
def load_credit() -> list[str]:
    """Generate and import the demo's 双公示 submissions. Returns what was created (empty when it was all there)."""
    orgs = {org.uscc: org for org in Organization.objects.filter(uscc__in={s.uscc for s in STREAMS})}
    batches = plan(orgs)  # all of it, loaded or not, so that every stream draws the same numbers
    loaded = {
        (uscc, record_type)
        for uscc, record_type in Submission.objects.filter(channel=CHANNEL).values_list(
            "organization__uscc", "record_type"
        )
    }
    counts: dict[Stream, int] = defaultdict(int)
    for batch in batches:
        stream = batch.stream
        if (stream.uscc, stream.record_type) in loaded:
            continue
        org = orgs[stream.uscc]
        started = timezone.now()
        submission, report = services.import_file(
            io.BytesIO(build_file(batch.rows, stream.record_type, stream.style)),
            _file_name(batch, org),
            record_type=stream.record_type,
            organization=org,
            channel=CHANNEL,
            today=batch.submitted_at.date(),
        )
        if submission is None or report.accepted != len(batch.rows):
            raise RuntimeError(f"demo file {_file_name(batch, org)} was not accepted whole: {report.as_json()}")
        _backdate(submission, batch.submitted_at, started)
        counts[stream] += report.accepted
    created = []
    for stream, rows in counts.items():
        kind = "行政许可" if stream.record_type == RecordType.LICENCE else "行政处罚"
        created.append(f"双公示 {orgs[stream.uscc].short_name} {kind} {rows} 行")
    return created


# --- the demo upload file with errors -----------------------------------------------------------------------------


def error_file_rows() -> list[dict]:
    """Ten licences of 区行政审批服务局 as a clerk typed them; rows 4, 6, 8 and 10 (as the spreadsheet numbers them,
    the header being row 1) are wrong: a USCC with a wrong check character, 许可内容 left empty, the date 2026/13/01,
    and a decision number that row 5 already has."""
    spec = next(spec for spec in ORGANIZATIONS if spec.uscc == APPROVAL_USCC)
    org = Organization(name=spec.name, uscc=spec.uscc)  # not stored: its name and USCC only

    def subject(name: str, uscc: str, keeper: str) -> Subject:
        kind = INDIVIDUAL_BUSINESS if uscc.startswith("92") else ORGANISATION
        return Subject(name, kind, uscc, keeper)

    def food(number: int, who: Subject, day: int, **change) -> dict:
        decided = D(2026, 10, day)
        row = licence_row(
            org, who, document="食品经营许可决定书", number=f"张审批食许〔2026〕{number}号", category="普通",
            certificate="食品经营许可证", licence_no=f"JY1370303{number:07d}",
            content="预包装食品（含冷藏冷冻食品）销售，热食类食品制售", decided=decided,
            valid_to=_until(decided, 5),
        )  # fmt: skip
        row.update(change)
        return {code: value for code, value in row.items() if value is not None}

    people = [
        subject("淄博鑫源餐饮管理有限公司", "91370303MA3C00018X", "刘建国"),
        subject("张店区刘记快餐店", _uscc_of("92370303", "MA3D0027"), "刘海涛"),
        subject("淄博恒通商贸有限公司", "91370303MA3C00018Y", "陈晓燕"),  # wrong check character (X is right)
        subject("张店区鲁中便利店", _uscc_of("92370303", "MA3D0035"), "孙立新"),
        subject("淄博华瑞酒店管理有限公司", _uscc_of("91370303", "MA3C0042"), "杨帆"),
        subject("张店区老王烧烤店", _uscc_of("92370303", "MA3D0050"), "王振东"),
        subject("淄博齐盛超市有限公司", _uscc_of("91370303", "MA3C0069"), "黄志强"),
        subject("张店区嘉禾面馆", _uscc_of("92370303", "MA3D0077"), "周婷"),
        subject("淄博金诚食品有限公司", _uscc_of("91370303", "MA3C0085"), "吴海涛"),
        subject("张店区永盛水果店", _uscc_of("92370303", "MA3D0093"), "徐静"),
    ]
    return [
        food(9001, people[0], 8),
        food(9002, people[1], 9),
        food(9003, people[2], 12),
        food(9004, people[3], 13),
        food(9005, people[4], 14, XK_NR=None),
        food(9006, people[5], 15),
        food(9007, people[6], 16, XK_JDRQ="2026/13/01"),
        food(9008, people[7], 19),
        food(9004, people[8], 20),
        food(9010, people[9], 21),
    ]


def _uscc_of(head: str, body: str) -> str:
    first17 = head + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def error_file_bytes() -> bytes:
    """`ERROR_FILE` as built from `error_file_rows` (run `write_error_file()` after changing them)."""
    return build_file(error_file_rows(), RecordType.LICENCE, "xlsx")


def write_error_file() -> Path:
    ERROR_FILE.parent.mkdir(exist_ok=True)
    ERROR_FILE.write_bytes(error_file_bytes())
    return ERROR_FILE
