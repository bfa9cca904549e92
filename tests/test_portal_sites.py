"""站群: every organisation of the district has its own 政府信息公开 site under /gongkai/<slug>/ — its header, contact
facts, site menu and SiteIDCode — and an administrator of the district creates organisations and so their sites."""

import re

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.orgs.models import Organization, OrganizationKind
from gongkai.requests import inquiries

pytestmark = pytest.mark.django_db

SITE_PAGES = [
    ("portal:organization", []),
    ("portal:organization_requests", []),
    ("portal:organization_questions", []),
    ("catalog:guide", []),
    ("catalog:organization_catalog", []),
    ("catalog:column", ["statutory"]),
    ("catalog:column", ["annual-reports"]),
]


def meta(html: str, name: str) -> str:
    return re.search(rf'<meta name="{name}" content="([^"]*)"', html).group(1)


def header_of(html: str) -> str:
    match = re.search(r'<div class="org-site-header">(.*?)</nav>\s*</div>', html, re.S)
    return match.group(1) if match else ""


@pytest.fixture
def street(demo):
    street = Organization.objects.get(slug="zdqtycjdbsc")
    street.site_id_code, street.phone, street.address = "3703030099", "0533-2180000", "张店区体育场街道华光路1号"
    street.save()
    return street


@pytest.mark.parametrize(("name", "extra"), SITE_PAGES)
def test_each_page_of_an_organisation_site_carries_its_header_menu_and_site_code(client, street, name, extra):
    html = client.get(reverse(name, args=[street.slug, *extra])).content.decode()
    header = header_of(html)
    assert "体育场街道办事处" in header and "电话：0533-2180000" in header and "华光路1号" in header
    menu = re.findall(r'<li><a href="([^"]+)"', header)
    assert menu[0] == reverse("portal:organization", args=[street.slug])
    assert reverse("catalog:organization_catalog", args=[street.slug]) in menu
    assert reverse("portal:organization_questions", args=[street.slug]) in menu
    assert all(f"/gongkai/{street.slug}/" in url for url in menu)
    assert meta(html, "SiteIDCode") == "3703030099"


def test_the_menu_marks_the_page_being_shown(client, street):
    html = client.get(reverse("catalog:guide", args=[street.slug])).content.decode()
    assert re.search(rf'href="{reverse("catalog:guide", args=[street.slug])}" aria-current="page"', header_of(html))


def test_an_organisation_without_its_own_site_code_shows_the_hosts(client, demo):
    from gongkai.portal.models import SiteSettings

    government = Organization.objects.get(slug="zdqrmzf")
    assert not government.site_id_code
    html = client.get(reverse("portal:organization", args=[government.slug])).content.decode()
    assert meta(html, "SiteIDCode") == SiteSettings.current().host.site_id_code


def test_the_district_pages_have_no_organisation_header(client, demo):
    for name in ("portal:home", "portal:disclosure", "catalog:catalog", "catalog:search", "portal:requests"):
        assert header_of(client.get(reverse(name)).content.decode()) == "", name


def test_the_request_page_of_a_site_opens_the_form_with_the_organisation_chosen(client, street):
    html = client.get(reverse("portal:organization_requests", args=[street.slug])).content.decode()
    assert f'href="{reverse("requests:apply")}?org={street.slug}"' in html
    form = client.get(f"{reverse('requests:apply')}?org={street.slug}").content.decode()
    assert re.search(rf'<option value="{street.pk}" selected>', form)


def test_a_sites_questions_are_its_own(client, street, bureau, head):
    def asked(org, subject):
        inquiry, _ = inquiries.ask(
            organization=org, submission_key=subject, client_address="127.0.0.1", name="王某", contact="13800000000",
            subject=subject, question="请问……",
        )  # fmt: skip
        return inquiry

    ours, theirs = asked(street, "街道的问题"), asked(bureau, "发改局的问题")
    for inquiry in (ours, theirs):
        inquiry.answer, inquiry.answered_at = "答复如下。", inquiry.asked_at
        inquiry.published_at = inquiry.asked_at
        inquiry.save()
    html = client.get(reverse("portal:organization_questions", args=[street.slug])).content.decode()
    assert "街道的问题" in html and "发改局的问题" not in html
    assert f'href="{reverse("requests:ask")}?org={street.slug}"' in html


def test_an_unknown_or_inactive_organisation_has_no_site(client, demo):
    Organization.objects.filter(slug="zdqtycjdbsc").update(is_active=False)
    for name in ("portal:organization_requests", "portal:organization_questions", "portal:organization"):
        assert client.get(reverse(name, args=["zdqtycjdbsc"])).status_code == 404
        assert client.get(reverse(name, args=["nowhere"])).status_code == 404


def test_the_district_administrator_creates_an_organisation_and_its_site_is_there(client, demo):
    from gongkai.orgs.models import User

    client.force_login(User.objects.get(username="admin"))
    response = client.post(
        reverse("admin:orgs_organization_add"),
        {
            "name": "张店区教育和体育局", "short_name": "区教体局", "slug": "zdqjytyj",
            "kind": OrganizationKind.DEPARTMENT, "sort_order": 50, "is_active": "on", "uscc": "11370303004224327T",
            "region_code": "370303",
            "phone": "0533-2288000", "site_id_code": "3703030055",
            "departments-TOTAL_FORMS": "1", "departments-INITIAL_FORMS": "0",
            "departments-0-name": "办公室", "departments-0-is_disclosure_office": "on", "departments-0-sort_order": 100,
        },
    )  # fmt: skip
    assert response.status_code == 302
    created = Organization.objects.get(slug="zdqjytyj")
    event = AuditEvent.objects.about(created).get()
    assert event.action == "organization.created"
    client.logout()
    for name, extra in SITE_PAGES:
        response = client.get(reverse(name, args=[created.slug, *extra]))
        assert response.status_code == 200, (name, extra)
        assert "张店区教育和体育局" in header_of(response.content.decode())
    assert "张店区教育和体育局" in client.get(reverse("portal:disclosure")).content.decode()
    assert re.search(rf'<option value="{created.pk}"', client.get(reverse("requests:apply")).content.decode())


def test_an_organisation_cannot_take_a_district_pages_path(client, demo):
    from gongkai.orgs.models import User

    client.force_login(User.objects.get(username="admin"))
    response = client.post(
        reverse("admin:orgs_organization_add"),
        {
            "name": "某局", "slug": "catalog", "kind": OrganizationKind.DEPARTMENT, "sort_order": 50, "is_active": "on",
            "uscc": "11370303004224327T", "region_code": "370303",
            "departments-TOTAL_FORMS": "0", "departments-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "已被全区页面使用" in response.content.decode()
    assert not Organization.objects.filter(slug="catalog").exists()
