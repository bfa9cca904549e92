"""The demo district: 张店区发展和改革局 (the reference bureau) and its neighbours.

The bureau's facts are those in PRODUCT.md. The codes of 张店区发展和改革局, 张店区行政审批服务局 and
体育场街道办事处 are the published ones (STATUTES.md §4.4); the other organisations' codes are made up for
the demo, with valid check characters. Loading twice changes nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction

from gongkai import audit
from gongkai.orgs import roles
from gongkai.orgs.models import Department, Organization, OrganizationKind, User
from gongkai.orgs.services import grant_role, sync_roles

DEMO_PASSWORD = "gongkai-demo-2026"

BUREAU_USCC = "1137030300421716XM"


@dataclass(frozen=True)
class DemoOrganization:
    uscc: str
    name: str
    short_name: str
    slug: str
    kind: str
    departments: tuple[str, ...] = ()
    parent_uscc: str | None = None
    is_reporting: bool = True
    facts: dict = field(default_factory=dict)


ORGANIZATIONS = [
    DemoOrganization(
        uscc="113703030042240015",
        name="张店区人民政府",
        short_name="区政府",
        slug="zdqrmzf",
        kind=OrganizationKind.GOVERNMENT,
        departments=("区政府办公室",),
        is_reporting=False,
        facts={"address": "淄博市张店区人民西路86号", "postcode": "255000", "phone": "0533-2181234"},
    ),
    DemoOrganization(
        uscc=BUREAU_USCC,
        name="张店区发展和改革局",
        short_name="区发改局",
        slug="zdqfzhggj",
        kind=OrganizationKind.DEPARTMENT,
        departments=("办公室", "发展规划科", "固定资产投资科", "价格管理科", "社会信用体系建设科", "能源科"),
        facts={
            "address": "张店区新村西路226号张店区政务中心1024室",
            "postcode": "255000",
            "phone": "0533-2869859",
            "fax": "0533-2869859",
            "email": "zdfgj@zhangdian.gov.cn",
            "office_hours": "工作日 上午8:30—12:00，下午13:30—17:30（法定节假日除外）",
            "site_id_code": "3703030011",
            "icp_record": "鲁ICP备05004876号",
            "police_record": "鲁公网安备 37030302000123号",
        },
    ),
    DemoOrganization(
        uscc="12370303MB2859011N",
        name="张店区重点项目服务中心",
        short_name="区重点项目服务中心",
        slug="zdqzdxmfwzx",
        kind=OrganizationKind.INSTITUTION,
        departments=("综合科", "项目服务科"),
        parent_uscc=BUREAU_USCC,
        is_reporting=False,
        facts={"address": "张店区新村西路226号张店区政务中心10楼", "postcode": "255000", "phone": "0533-2869860"},
    ),
    DemoOrganization(
        uscc="11370303MB2858350L",
        name="张店区行政审批服务局",
        short_name="区行政审批服务局",
        slug="zdqxzspj",
        kind=OrganizationKind.DEPARTMENT,
        departments=("办公室", "投资建设审批科", "市场准入审批科"),
        facts={"address": "张店区新村西路226号张店区政务中心", "postcode": "255000", "phone": "0533-2869800"},
    ),
    DemoOrganization(
        uscc="113703030042181891",
        name="张店区市场监督管理局",
        short_name="区市场监管局",
        slug="zdqscjdglj",
        kind=OrganizationKind.DEPARTMENT,
        departments=("办公室", "执法稽查科"),
        facts={"address": "张店区华光路298号", "postcode": "255000", "phone": "0533-2310001"},
    ),
    DemoOrganization(
        uscc="11370303004224175E",
        name="体育场街道办事处",
        short_name="体育场街道",
        slug="zdqtycjdbsc",
        kind=OrganizationKind.STREET_OFFICE,
        departments=("党政办公室", "综合执法办公室"),
        facts={"address": "张店区华光路121号", "postcode": "255000", "phone": "0533-2170001"},
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    organization_uscc: str
    department: str


USERS = [
    DemoUser("publisher", "赵敏", roles.PUBLISHER, BUREAU_USCC, "办公室"),
    DemoUser("reviewer", "李四", roles.REVIEWER, BUREAU_USCC, "办公室"),
    DemoUser("handler", "张三", roles.REQUEST_HANDLER, BUREAU_USCC, "办公室"),
    DemoUser("head", "钱文", roles.OFFICE_HEAD, BUREAU_USCC, "办公室"),
    DemoUser("credit", "孙倩", roles.CREDIT_OFFICER, BUREAU_USCC, "社会信用体系建设科"),
    DemoUser("submitter", "周晓", roles.DEPARTMENT_SUBMITTER, "11370303MB2858350L", "市场准入审批科"),
    DemoUser("admin", "系统管理员", roles.ADMINISTRATOR, BUREAU_USCC, "办公室"),
]


@transaction.atomic
def load_organizations() -> list[str]:
    """Create what is missing; never change what is there. Returns what was created."""
    sync_roles()
    created: list[str] = []
    by_uscc: dict[str, Organization] = {}
    for order, spec in enumerate(ORGANIZATIONS, start=1):
        parent = by_uscc.get(spec.parent_uscc) if spec.parent_uscc else None
        org, made = Organization.objects.get_or_create(
            uscc=spec.uscc,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "slug": spec.slug,
                "kind": spec.kind,
                "parent": parent,
                "is_reporting": spec.is_reporting,
                "region_code": "370303",
                "sort_order": order * 10,
                **spec.facts,
            },
        )
        if made:
            org.full_clean()
            created.append(org.name)
        by_uscc[spec.uscc] = org
        for position, name in enumerate(spec.departments, start=1):
            _, made = Department.objects.get_or_create(
                organization=org,
                name=name,
                defaults={"is_disclosure_office": position == 1, "sort_order": position * 10},
            )
            if made:
                created.append(f"{org.short_name}·{name}")
    for spec in USERS:
        if User.objects.filter(username=spec.username).exists():
            continue
        org = by_uscc[spec.organization_uscc]
        user = User.objects.create_user(
            spec.username,
            password=DEMO_PASSWORD,
            display_name=spec.display_name,
            organization=org,
            department=Department.objects.get(organization=org, name=spec.department),
        )
        grant_role(user, spec.role, by=None)
        created.append(f"user {spec.username}")
    if created:
        audit.record(
            None,
            "demo.loaded",
            by_uscc[BUREAU_USCC],
            summary=f"演示数据：新建 {len(created)} 项 / demo data: {len(created)} items created",
            created=created,
        )
    return created


def logins() -> list[tuple[str, str, str, str]]:
    """(username, password, name, role) for the README and `make run`."""
    return [(spec.username, DEMO_PASSWORD, spec.display_name, roles.ROLES[spec.role].group_name) for spec in USERS]
