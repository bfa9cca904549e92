"""Demo applications for the bureau: 40 over a year, every outcome group, some carried over from 2025.

Applicants, identity numbers and descriptions are invented; the identity numbers pass their check digits.
Each is registered and handled through the services (so the audit log and the clock are real) and is
recognised on the next run by its receipt evidence, ``演示数据 NN``: loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from gongkai.lib.identifiers import org_code_check_char, resident_id_check_char, uscc_check_char
from gongkai.orgs.demo import BUREAU_USCC
from gongkai.orgs.models import Organization, User
from gongkai.requests import services
from gongkai.requests.models import DisclosureRequest, RequestSettings

D = datetime.date

PEOPLE = ["刘建国", "陈晓燕", "杨帆", "黄志强", "周婷", "吴海涛", "徐静", "孙立新", "马文博", "朱丽"]
ORGANIZATIONS = {
    # applicant_kind: names
    "commercial": ["淄博华瑞建材有限公司", "张店区鑫源商贸有限公司", "山东齐鲁新材料科技有限公司"],
    "research": ["山东理工大学经济学院"],
    "public_interest": ["张店区环保志愿者协会"],
    "legal_services": ["山东鲁中律师事务所"],
    "other": ["张店区马尚街道某村民委员会"],
}
DESCRIPTIONS = [
    "2025年张店区重点项目建设计划的全文",
    "某产业园区项目的可行性研究报告批复",
    "2025年度区级预算内投资项目安排情况",
    "张店区粮食储备库建设项目的立项文件",
    "2024年至2025年价格监测报告",
    "某小区供热管网改造项目的核准文件",
    "区发展改革局2025年政府采购合同",
    "新能源汽车充电设施建设补助资金的分配结果",
    "我本人2023年参加价格认证的记录",
    "区社会信用体系建设工作方案及考核结果",
]


@dataclass(frozen=True)
class DemoRequest:
    received: datetime.date
    outcome: str | None  # None: still open
    closed: datetime.date | None = None
    kind: str = "natural"
    channel: str = "post"
    reasons: str = ""
    steps: tuple = field(
        default=()
    )  # ("correction", notice, corrected) | ("third_party", from, to) | ("extend", on, n) | ("fee", ...)
    remedy: tuple | None = None  # (kind, filed, result, decided)


REASONS = {
    "2": "其中涉及第三方商业秘密的部分不予公开（条例第十五条），其余部分予以提供。",
    "3.1": "该信息经依法认定为国家秘密。",
    "3.2": "相关法律、行政法规禁止公开该信息。",
    "3.3": "公开后可能危及社会稳定。",
    "3.4": "该信息涉及第三方商业秘密，第三方不同意公开。",
    "3.5": "该信息属于人事管理等内部事务信息。",
    "3.6": "该信息属于讨论记录、请示报告等过程性信息。",
    "3.7": "该信息属于行政执法案卷信息。",
    "3.8": "该信息属于工商登记资料，请按有关规定查询。",
    "4.1": "本机关未制作或获取该政府信息。",
    "4.2": "本机关没有现成信息，需要另行制作。",
    "4.3": "经补正后，申请内容仍不明确。",
    "5.1": "您的申请实为投诉举报，已转有关部门处理。",
    "5.2": "您已就同一内容提出过申请，本机关已经答复。",
    "5.3": "您要求提供的是已公开出版的年鉴。",
    "5.4": "您短期内提出大量申请，经要求说明理由，理由不合理。",
    "5.5": "您要求本机关确认已获取信息的真实性。",
    "6.1": "您未在补正期限内补正申请。",
    "6.2": "您未在收费通知规定的期限内缴纳信息处理费。",
    "6.3": "您已撤回申请。",
}

REQUESTS = [
    # Carried over from 2025: received in December, decided in January.
    DemoRequest(D(2025, 12, 10), "1", D(2026, 1, 6)),
    DemoRequest(D(2025, 12, 18), "4.1", D(2026, 1, 12), kind="commercial", channel="in_person"),
    DemoRequest(D(2025, 12, 26), "3.6", D(2026, 1, 20), kind="legal_services",
                steps=(("extend", D(2026, 1, 20), 10),)),
    # 2026.
    DemoRequest(D(2026, 1, 8), "1", D(2026, 1, 20), channel="online"),
    DemoRequest(D(2026, 1, 15), "1", D(2026, 2, 5), kind="commercial"),
    DemoRequest(D(2026, 1, 22), "2", D(2026, 3, 4), kind="commercial",
                steps=(("third_party", D(2026, 1, 28), D(2026, 2, 11)),)),
    DemoRequest(D(2026, 2, 3), "4.2", D(2026, 2, 26)),
    DemoRequest(D(2026, 2, 25), "1", D(2026, 3, 10), channel="online"),
    DemoRequest(D(2026, 3, 2), "3.4", D(2026, 3, 27), kind="commercial",
                remedy=("reconsideration", D(2026, 4, 20), "upheld", D(2026, 6, 15))),
    DemoRequest(D(2026, 3, 9), "1", D(2026, 3, 20), kind="research"),
    DemoRequest(D(2026, 3, 16), "5.2", D(2026, 3, 25)),
    DemoRequest(D(2026, 3, 23), "4.3", D(2026, 4, 28),
                steps=(("correction", D(2026, 3, 26), D(2026, 4, 9)),)),
    DemoRequest(D(2026, 4, 7), "1", D(2026, 4, 21), channel="letter"),
    DemoRequest(D(2026, 4, 14), "6.1", D(2026, 5, 12), steps=(("correction", D(2026, 4, 16), None),)),
    DemoRequest(D(2026, 4, 21), "3.5", D(2026, 5, 15), kind="public_interest"),
    DemoRequest(D(2026, 5, 6), "1", D(2026, 5, 20), kind="commercial", channel="online"),
    DemoRequest(D(2026, 5, 12), "5.1", D(2026, 5, 19)),
    DemoRequest(D(2026, 5, 19), "4.1", D(2026, 6, 10), kind="other",
                remedy=("direct_litigation", D(2026, 7, 1), "pending", None)),
    DemoRequest(D(2026, 5, 26), "1", D(2026, 6, 9), channel="in_person"),
    DemoRequest(D(2026, 6, 2), "3.7", D(2026, 6, 26), kind="legal_services"),
    DemoRequest(D(2026, 6, 9), "5.3", D(2026, 6, 16), kind="research"),
    DemoRequest(D(2026, 6, 16), "2", D(2026, 7, 17), kind="commercial",
                steps=(("extend", D(2026, 7, 10), 15),)),
    DemoRequest(D(2026, 6, 30), "1", D(2026, 7, 14), channel="online"),
    DemoRequest(D(2026, 7, 7), "6.2", D(2026, 8, 25), kind="commercial",
                steps=(("fee", D(2026, 7, 15), 160),)),
    DemoRequest(D(2026, 7, 14), "1", D(2026, 7, 28), kind="public_interest"),
    DemoRequest(D(2026, 7, 21), "3.8", D(2026, 8, 4), kind="commercial"),
    DemoRequest(D(2026, 8, 4), "5.4", D(2026, 8, 25)),
    DemoRequest(D(2026, 8, 11), "3.3", D(2026, 8, 25), channel="online"),
    DemoRequest(D(2026, 8, 18), "3.2", D(2026, 9, 8)),
    DemoRequest(D(2026, 8, 25), "4.1", D(2026, 9, 15), kind="commercial",
                remedy=("reconsideration", D(2026, 10, 12), "corrected", D(2026, 11, 20))),
    DemoRequest(D(2026, 9, 1), "1", D(2026, 9, 15), channel="in_person"),
    DemoRequest(D(2026, 9, 8), "5.5", D(2026, 9, 22)),
    DemoRequest(D(2026, 9, 15), "1", D(2026, 10, 27), kind="commercial",
                steps=(("third_party", D(2026, 9, 28), D(2026, 10, 12)),)),
    DemoRequest(D(2026, 9, 22), "6.3", D(2026, 9, 30)),
    DemoRequest(D(2026, 10, 13), "3.1", D(2026, 11, 6)),
    DemoRequest(D(2026, 10, 20), "1", D(2026, 11, 3), channel="online"),
    # Still open (they will be carried over into 2027 if not decided by 31 December).
    DemoRequest(D(2026, 11, 2), None),
    DemoRequest(D(2026, 11, 9), None, kind="commercial", steps=(("third_party", D(2026, 11, 16), None),)),
    DemoRequest(D(2026, 11, 16), None, channel="online"),
    DemoRequest(D(2026, 11, 23), None, kind="research", steps=(("correction", D(2026, 11, 24), None),)),
]  # fmt: skip


def _resident_id(n: int) -> str:
    first17 = f"370303{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 900 + 100:03d}"
    return first17 + resident_id_check_char(first17)


def _uscc(n: int) -> str:
    body = f"MA3C{n:04d}"
    org_code = body + org_code_check_char(body)
    first17 = "91370303" + org_code
    return first17 + uscc_check_char(first17)


def _applicant(number: int, kind: str) -> dict:
    if kind == "natural":
        name, identity = PEOPLE[number % len(PEOPLE)], _resident_id(number)
        contact = ""
    else:
        names = ORGANIZATIONS[kind]
        name, identity = names[number % len(names)], _uscc(number)
        contact = PEOPLE[(number + 3) % len(PEOPLE)]
    return {
        "applicant_kind": kind,
        "applicant_name": name,
        "identity_number": identity,
        "contact_person": contact,
        "phone": f"1380533{number:04d}",
        "email": f"applicant{number}@example.cn",
        "address": f"淄博市张店区人民西路{number + 1}号",
        "postcode": "255000",
        "description": DESCRIPTIONS[number % len(DESCRIPTIONS)],
        "form_wanted": "electronic" if number % 3 else "paper",
        "delivery": "email" if number % 3 else "post",
    }


def _handle(application: DisclosureRequest, spec: DemoRequest, handler: User, head: User) -> None:
    for step in spec.steps:
        kind = step[0]
        if kind == "correction":
            services.send_correction_notice(
                application,
                by=handler,
                on=step[1],
                note="请写明所需信息的年份和文号。",
                correct_by=step[1] + datetime.timedelta(days=14),
            )
            if step[2]:
                services.receive_correction(application, by=handler, on=step[2])
        elif kind == "third_party":
            services.start_pause(application, by=handler, kind="third_party", on=step[1], note="征求第三方意见")
            if step[2]:
                services.end_pause(application, by=handler, kind="third_party", until=step[2])
        elif kind == "extend":
            services.extend(application, by=head, days=step[2], on=step[1], note="涉及多个科室，需协调")
        elif kind == "fee":
            services.send_fee_notice(application, by=handler, method="by_volume", quantity=step[2], on=step[1])
    if spec.outcome is None:
        return
    if spec.outcome == "6.1":
        services.end_for_no_correction(application, by=handler, on=spec.closed)
    else:
        services.close(
            application, by=handler, outcome=spec.outcome, on=spec.closed, reasons=REASONS.get(spec.outcome, "")
        )
    services.issue_letter(application, by=handler, on=spec.closed)
    services.record_delivery(
        application, by=handler, on=spec.closed, method="email" if spec.channel == "online" else "post"
    )
    if spec.remedy:
        remedy_kind, filed, result, decided = spec.remedy
        remedy = services.record_remedy(application, by=handler, kind=remedy_kind, filed_on=filed)
        if decided:
            services.decide_remedy(remedy, by=handler, result=result, decided_on=decided)


@transaction.atomic
def load_requests() -> list[str]:
    bureau = Organization.objects.get(uscc=BUREAU_USCC)
    RequestSettings.objects.get_or_create(
        organization=bureau,
        defaults={"letter_prefix": "张发改依申", "reconsideration_body": "张店区人民政府", "court": "张店区人民法院"},
    )
    handler, head = User.objects.get(username="handler"), User.objects.get(username="head")
    created = []
    for number, spec in enumerate(REQUESTS, start=1):
        evidence = f"演示数据 {number:02d}"
        if DisclosureRequest.objects.filter(organization=bureau, receipt_evidence=evidence).exists():
            continue
        application = services.register(
            organization=bureau,
            by=handler,
            channel=spec.channel,
            received_on=spec.received,
            evidence=evidence,
            **_applicant(number, spec.kind),
        )
        _handle(application, spec, handler, head)
        created.append(f"申请 {application.tracking_code}")
    return created
