"""Demo publications: about thirty items over the columns, written for this project, some with attachments.

They go through the real workflow (draft → submit → approve → publish), so they get real index numbers.
One exception: the bureau's 2017 annual report, which was published on the old site in 2018 under the
index number 1137030300421716XM/2018-1374999; it is recorded as it was, as an import would.
Loading twice changes nothing: an item whose title the publisher already has is left alone.
"""

import datetime
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from gongkai import audit
from gongkai.catalog import services
from gongkai.catalog.models import Column, Genre, Interpretation, Publication, Topic
from gongkai.orgs.demo import BUREAU_USCC
from gongkai.orgs.models import Organization, User


@dataclass(frozen=True)
class DemoItem:
    column: str
    title: str
    issued_on: datetime.date
    topic: str = "综合政务"
    genre: str = "其他文件"
    doc_no: str = ""
    paragraphs: tuple[str, ...] = ()
    validity: str = ""
    effective_on: datetime.date | None = None
    repealed_on: datetime.date | None = None
    expired_on: datetime.date | None = None
    attachment: str = ""  # "docx" or "xlsx": a generated attachment
    publisher_uscc: str = BUREAU_USCC


D = datetime.date

ITEMS = [
    DemoItem(
        "rules",
        "张店区发展和改革局政府信息公开工作制度",
        D(2024, 3, 1),
        doc_no="张发改字〔2024〕5号",
        paragraphs=(
            "为规范本局政府信息公开工作，依据《中华人民共和国政府信息公开条例》，结合工作实际，制定本制度。",
            "本局办公室是政府信息公开工作机构，负责政府信息公开的日常工作，编制政府信息公开指南、目录和年度报告。",
            "拟公开的政府信息，由业务科室提出公开意见，经保密审查后，按照先审查、后公开的原则发布。",
        ),
    ),
    DemoItem(
        "rules",
        "张店区发展和改革局政府信息公开保密审查办法",
        D(2024, 3, 1),
        doc_no="张发改字〔2024〕6号",
        paragraphs=(
            "公开前，信息产生科室对拟公开内容进行初审，保密审查员复审，分管负责人审定。",
            "涉及国家秘密、商业秘密和个人隐私的内容不得公开；不能确定是否可以公开的，报请有关主管部门确定。",
        ),
    ),
    DemoItem(
        "functions",
        "张店区发展和改革局主要职责",
        D(2025, 1, 10),
        genre="其他文件",
        paragraphs=(
            "拟订并组织实施全区国民经济和社会发展战略、中长期规划和年度计划。",
            "负责全区固定资产投资综合管理，审批、核准、审核重大建设项目。",
            "推进全区社会信用体系建设，负责行政许可和行政处罚信息“双公示”的归集和公示。",
        ),
    ),
    DemoItem(
        "functions",
        "张店区发展和改革局内设机构",
        D(2025, 1, 10),
        paragraphs=("本局设办公室、发展规划科、固定资产投资科、价格管理科、社会信用体系建设科、能源科。",),
    ),
    DemoItem(
        "regulations",
        "张店区政府投资项目管理办法",
        D(2023, 6, 15),
        topic="国民经济管理、国有资产监管",
        genre="行政规范性文件",
        doc_no="张发改规〔2023〕1号",
        validity="valid",
        effective_on=D(2023, 7, 15),
        paragraphs=(
            "第一条 为规范政府投资行为，提高投资效益，根据《政府投资条例》，制定本办法。",
            "第二条 本办法适用于本区行政区域内使用预算安排资金进行的固定资产投资建设活动。",
            "第三条 政府投资项目应当科学决策、规范管理、注重绩效、公开透明。",
        ),
    ),
    DemoItem(
        "regulations",
        "张店区企业投资项目备案管理实施细则",
        D(2024, 2, 20),
        topic="国民经济管理、国有资产监管",
        genre="行政规范性文件",
        doc_no="张发改规〔2024〕1号",
        validity="valid",
        effective_on=D(2024, 3, 20),
        paragraphs=("企业投资项目实行备案管理的，项目单位通过在线平台如实填报项目信息，备案机关当场出具备案证明。",),
    ),
    DemoItem(
        "regulations",
        "张店区价格监测工作规程",
        D(2019, 5, 8),
        topic="市场监管、安全生产监管",
        genre="行政规范性文件",
        doc_no="张发改规〔2019〕2号",
        validity="repealed",
        effective_on=D(2019, 6, 8),
        repealed_on=D(2024, 12, 31),
        paragraphs=("本规程已被新的价格监测制度替代，自废止之日起不再执行。",),
    ),
    DemoItem(
        "regulations",
        "张店区2021—2023年社会信用体系建设行动方案",
        D(2021, 4, 1),
        topic="综合政务",
        genre="行政规范性文件",
        doc_no="张发改规〔2021〕1号",
        validity="expired",
        effective_on=D(2021, 4, 1),
        expired_on=D(2023, 12, 31),
        paragraphs=("本方案有效期至2023年12月31日，期满自动失效。",),
    ),
    DemoItem(
        "interpretations",
        "《张店区政府投资项目管理办法》政策解读",
        D(2023, 6, 20),
        genre="政策解读",
        paragraphs=(
            "一、制定背景：为贯彻落实《政府投资条例》，进一步规范本区政府投资项目管理。",
            "二、主要内容：明确项目决策程序、建设实施要求和监督管理责任。",
        ),
    ),
    DemoItem(
        "plans",
        "张店区国民经济和社会发展第十五个五年规划纲要",
        D(2026, 2, 28),
        topic="国民经济管理、国有资产监管",
        genre="规划",
        doc_no="张政发〔2026〕3号",
        paragraphs=("规划期为2026年至2030年，提出全区经济社会发展的主要目标、重点任务和保障措施。",),
    ),
    DemoItem(
        "plans",
        "张店区2026年重点项目建设计划",
        D(2026, 3, 10),
        topic="国民经济管理、国有资产监管",
        genre="规划",
        paragraphs=("2026年全区安排重点项目一百个，总投资约五百亿元，年度计划投资约一百五十亿元。",),
        attachment="xlsx",
    ),
    DemoItem(
        "statistics",
        "2025年张店区固定资产投资运行情况",
        D(2026, 1, 25),
        genre="统计信息",
        topic="国民经济管理、国有资产监管",
        paragraphs=("2025年全区固定资产投资同比增长，其中工业投资和民间投资保持较快增长。",),
    ),
    DemoItem(
        "statistics",
        "2026年前三季度张店区主要价格监测数据",
        D(2026, 10, 20),
        genre="统计信息",
        topic="市场监管、安全生产监管",
        paragraphs=("前三季度粮油、蔬菜、肉类价格总体平稳，居民消费价格温和上涨。",),
    ),
    DemoItem(
        "licensing",
        "企业投资项目核准办事指南",
        D(2025, 6, 1),
        genre="办事指南",
        topic="国民经济管理、国有资产监管",
        paragraphs=(
            "办理依据：《企业投资项目核准和备案管理条例》。",
            "申请材料：项目申请报告、城乡规划和用地预审意见、环境影响评价审批文件等。",
            "办理时限：自受理之日起二十个工作日内作出是否予以核准的决定。",
        ),
    ),
    DemoItem(
        "licensing",
        "企业投资项目备案办事指南",
        D(2025, 6, 1),
        genre="办事指南",
        topic="国民经济管理、国有资产监管",
        paragraphs=("项目单位通过投资项目在线审批监管平台告知项目信息，即时办结。",),
    ),
    DemoItem(
        "penalties",
        "张店区发展和改革局行政处罚裁量基准",
        D(2024, 9, 1),
        genre="其他文件",
        topic="市场监管、安全生产监管",
        paragraphs=("为规范行政处罚裁量权，依据《中华人民共和国行政处罚法》，制定本裁量基准。",),
    ),
    DemoItem(
        "finance",
        "张店区发展和改革局2026年部门预算",
        D(2026, 2, 10),
        topic="财政、金融、审计",
        genre="报告",
        paragraphs=("本部门2026年收支预算总计按照综合预算原则编制，全部纳入预算管理。",),
        attachment="xlsx",
    ),
    DemoItem(
        "finance",
        "张店区发展和改革局2025年部门决算",
        D(2026, 8, 20),
        topic="财政、金融、审计",
        genre="报告",
        paragraphs=("2025年度收入支出决算总体情况、一般公共预算财政拨款支出决算情况说明。",),
    ),
    DemoItem(
        "fees",
        "张店区行政事业性收费项目目录",
        D(2025, 4, 1),
        topic="财政、金融、审计",
        genre="公告",
        paragraphs=("本局目前无行政事业性收费项目。",),
    ),
    DemoItem(
        "procurement",
        "张店区发展和改革局2026年政府采购意向公开",
        D(2026, 3, 1),
        topic="财政、金融、审计",
        genre="公告",
        paragraphs=("采购项目名称：社会信用信息平台运行维护服务；预计采购时间：2026年6月。",),
    ),
    DemoItem(
        "projects",
        "关于张店区东部片区综合管廊项目可行性研究报告的批复",
        D(2026, 4, 15),
        topic="城乡建设、环境保护",
        genre="通知",
        doc_no="张发改投资〔2026〕21号",
        paragraphs=("原则同意该项目可行性研究报告。项目统一代码：2026-370303-48-01-000001。",),
    ),
    DemoItem(
        "projects",
        "关于张店区中心城区污水管网改造工程初步设计的批复",
        D(2026, 6, 3),
        topic="城乡建设、环境保护",
        genre="通知",
        doc_no="张发改投资〔2026〕35号",
        paragraphs=("经审查，同意该工程初步设计及概算。",),
    ),
    DemoItem(
        "projects",
        "2026年第三季度企业投资项目备案信息",
        D(2026, 10, 8),
        topic="国民经济管理、国有资产监管",
        genre="公告",
        paragraphs=("第三季度全区共备案企业投资项目，备案信息包括备案号、备案时间、项目名称和项目统一代码。",),
        attachment="docx",
    ),
    DemoItem(
        "credit-news",
        "张店区召开2026年社会信用体系建设工作推进会",
        D(2026, 3, 18),
        genre="工作动态",
        paragraphs=("会议总结了上一年度社会信用体系建设工作，部署了本年度重点任务。",),
    ),
    DemoItem(
        "credit-news",
        "张店区开展“信用修复”集中宣传活动",
        D(2026, 6, 12),
        genre="工作动态",
        paragraphs=("活动通过现场咨询、发放资料等方式，向经营主体宣传信用修复的条件和程序。",),
    ),
    DemoItem(
        "credit-news",
        "张店区“双公示”数据报送质量通报（2026年第三季度）",
        D(2026, 10, 15),
        genre="工作动态",
        paragraphs=("第三季度各报送单位按时报送行政许可和行政处罚信息，数据合格率较上季度提高。",),
    ),
    DemoItem(
        "credit-policies",
        "失信行为纠正后的信用信息修复管理办法（试行）解读",
        D(2023, 3, 1),
        genre="政策解读",
        paragraphs=("本文介绍信用修复的适用范围、申请条件、办理流程和公示期限。",),
    ),
    DemoItem(
        "credit-policies",
        "行政许可和行政处罚等信用信息公示工作要求",
        D(2025, 9, 1),
        genre="其他文件",
        paragraphs=("行政许可、行政处罚信息应当自作出决定之日起七个工作日内上网公开。",),
    ),
    DemoItem(
        "credit-knowledge",
        "什么是统一社会信用代码",
        D(2025, 5, 20),
        genre="其他文件",
        paragraphs=("统一社会信用代码由十八位阿拉伯数字或大写英文字母组成，是法人和其他组织的“身份证号”。",),
    ),
    DemoItem(
        "credit-knowledge",
        "企业如何查询自身的行政处罚公示信息",
        D(2025, 5, 20),
        genre="其他文件",
        paragraphs=("可在信用张店网站的“双公示”栏目，按企业名称或统一社会信用代码查询。",),
    ),
    DemoItem(
        "licensing",
        "张店区行政审批服务局投资项目审批事项清单",
        D(2026, 1, 5),
        genre="办事指南",
        topic="国民经济管理、国有资产监管",
        publisher_uscc="11370303MB2858350L",
        paragraphs=("列明本局承接的投资项目审批、核准和备案事项及其办理时限。",),
    ),
    DemoItem(
        "rules",
        "体育场街道办事处政府信息公开工作制度",
        D(2025, 3, 1),
        publisher_uscc="11370303004224175E",
        paragraphs=("街道党政办公室负责政府信息公开日常工作。",),
    ),
]

ANNUAL_REPORT_2017 = {
    "title": "张店区发改局2017年政府信息公开工作年度报告",
    "index_no": "1137030300421716XM/2018-1374999",
    "issued_on": D(2018, 3, 28),
    "published_at": datetime.datetime(2018, 3, 28, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
    "summary": "本报告概述2017年本局政府信息公开工作，数据统计期限为2017年1月1日至12月31日。",
    "body": (
        "<p>本报告根据《中华人民共和国政府信息公开条例》和《山东省政府信息公开办法》编制。</p>"
        "<p>报告包括概述，组织领导和制度建设情况，主动公开政府信息及公开平台建设情况，依申请公开、收费及减免、"
        "行政复议、行政诉讼、保密及监督检查情况，以及存在的主要问题和改进情况。</p>"
        "<p>如对本报告有疑问，请与本局办公室联系（地址：张店区新村西路226号张店区政务中心1024室，邮编：255000）。</p>"
    ),
}


# (interpretation, the document it interprets, form, outside link): both the bureau's, by title.
# The credit-repair interpretation in 政策法规 interprets 国家发展改革委令2023年第58号, which the demo does not
# publish, so it stays unlinked.
INTERPRETATIONS = [
    ("《张店区政府投资项目管理办法》政策解读", "张店区政府投资项目管理办法", Interpretation.Form.TEXT, ""),
]


def _link_interpretations(bureau: Organization) -> list[str]:
    """Link each demo interpretation to its document; a link already there is left alone."""
    created = []
    writer = User.objects.get(username="publisher")
    for interpretation_title, policy_title, form, url in INTERPRETATIONS:
        interpretation = Publication.objects.filter(publisher=bureau, title=interpretation_title).first()
        policy = Publication.objects.filter(publisher=bureau, title=policy_title).first()
        if interpretation is None or policy is None or interpretation.policy_links.filter(policy=policy).exists():
            continue
        documents = [
            services.InterpretedDocument(policy=link.policy, form=link.form, url=link.url)
            for link in interpretation.policy_links.select_related("policy")
        ]
        documents.append(services.InterpretedDocument(policy=policy, form=form, url=url))
        services.set_interpreted(interpretation, by=writer, documents=documents)
        created.append(f"{interpretation_title} → {policy_title}")
    return created


def _docx(title: str, paragraphs: tuple[str, ...]) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx(title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "明细"
    sheet.append([title])
    sheet.append(["序号", "项目", "金额（万元）"])
    for number, (name, amount) in enumerate(
        [("基本支出", 820.5), ("项目支出", 1260.0), ("社会信用体系建设", 150.0)], start=1
    ):
        sheet.append([number, name, amount])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _publish(item: DemoItem, publisher: Organization, writer: User, reviewer: User) -> Publication:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in item.paragraphs)
    publication = services.create_draft(
        by=writer,
        publisher=publisher,
        title=item.title,
        doc_no=item.doc_no,
        issued_on=item.issued_on,
        summary=item.paragraphs[0] if item.paragraphs else "",
        body=body,
        column=Column.objects.get(code=item.column),
        topic=Topic.objects.get(name=item.topic),
        genre=Genre.objects.get(name=item.genre),
        validity="valid" if item.validity in ("expired", "repealed") else item.validity,
        effective_on=item.effective_on,
    )
    if item.attachment == "docx":
        data, name = _docx(item.title, item.paragraphs), f"{item.title}.docx"
    elif item.attachment == "xlsx":
        data, name = _xlsx(item.title), f"{item.title}.xlsx"
    else:
        data = None
    if data is not None:
        services.add_attachment(publication, by=writer, upload=SimpleUploadedFile(name, data), name=name)
    services.submit(publication, by=writer)
    services.approve(publication, by=reviewer)
    publication = services.publish(publication, by=reviewer)
    if item.validity in ("expired", "repealed"):
        services.set_validity(publication, by=writer, validity=item.validity, on=item.expired_on or item.repealed_on)
    return publication


def _demo_staff(publisher: Organization) -> tuple[User, User]:
    """The bureau has its demo publisher and reviewer; other organisations publish through a demo account of theirs."""
    from gongkai.orgs import roles
    from gongkai.orgs.demo import DEMO_PASSWORD
    from gongkai.orgs.services import grant_role

    if publisher.uscc == BUREAU_USCC:
        return User.objects.get(username="publisher"), User.objects.get(username="reviewer")
    accounts = []
    for role, suffix, name in ((roles.PUBLISHER, "publisher", "信息发布员"), (roles.REVIEWER, "reviewer", "审查员")):
        username = f"{publisher.slug}-{suffix}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, password=DEMO_PASSWORD, organization=publisher, display_name=f"{publisher.short_name}{name}"
            )
            grant_role(user, role, by=None)
        accounts.append(user)
    return accounts[0], accounts[1]


# Waiting in 李四's review queue: the screening has found a name, an ID number and a mobile number to resolve.
# The numbers are made up (the ID's check digit is right, so the screening must flag it).
AWAITING_REVIEW = {
    "title": "2026年第三季度价格监测员补贴发放情况",
    "issued_on": datetime.date(2026, 10, 15),
    "summary": "第三季度价格监测员补贴的发放标准和发放情况。",
    "body": (
        "<p>按照区价格监测工作安排，第三季度价格监测员补贴已全部发放，每人每月300元。</p>"
        "<p>监测点联系人：王小明，身份证号370303199003071235，手机13905331234。</p>"
        "<p>咨询电话：0533-2869859。</p>"
    ),
}


def _awaiting_review(bureau: Organization) -> Publication | None:
    if Publication.objects.filter(publisher=bureau, title=AWAITING_REVIEW["title"]).exists():
        return None
    writer = User.objects.get(username="publisher")
    publication = services.create_draft(
        by=writer, publisher=bureau, column=Column.objects.get(code="finance"), **AWAITING_REVIEW
    )
    return services.submit(publication, by=writer)


@transaction.atomic
def load_publications() -> list[str]:
    created: list[str] = []
    bureau = Organization.objects.get(uscc=BUREAU_USCC)
    if not Publication.objects.filter(index_no=ANNUAL_REPORT_2017["index_no"]).exists():
        report = Publication.objects.create(
            publisher=bureau,
            author=User.objects.get(username="publisher"),
            column=Column.objects.get(code="annual-reports"),
            genre=Genre.objects.get(name="报告"),
            topic=Topic.objects.get(name="综合政务"),
            status=Publication.Status.PUBLISHED,
            **ANNUAL_REPORT_2017,
        )
        from gongkai.search.services import index_publication

        index_publication(report)
        audit.record(None, "publication.imported", report, summary=f"{report.index_no} {report.title}")
        created.append(report.title)
    for item in ITEMS:
        publisher = Organization.objects.get(uscc=item.publisher_uscc)
        if Publication.objects.filter(publisher=publisher, title=item.title).exists():
            continue
        writer, reviewer = _demo_staff(publisher)
        _publish(item, publisher, writer, reviewer)
        created.append(item.title)
    if _awaiting_review(bureau):
        created.append(AWAITING_REVIEW["title"])
    created.extend(_link_interpretations(bureau))
    return created
