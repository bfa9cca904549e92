"""Administrators edit the catalogue's reference data in the admin; publications there are read-only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.catalog import services
from gongkai.catalog.models import Column, Guide, IndexNumberPolicy, IndexNumberScope, Publication
from gongkai.orgs.models import Organization, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, bureau):
    superuser = get_user_model().objects.create_superuser(
        "root", "root@example.com", "x", display_name="管理员", organization=bureau
    )
    client.force_login(superuser)
    return client


def published(bureau) -> Publication:
    publisher, reviewer = User.objects.get(username="publisher"), User.objects.get(username="reviewer")
    publication = services.create_draft(
        by=publisher,
        publisher=bureau,
        title="张店区2026年重点项目建设计划",
        issued_on=datetime.date(2026, 1, 5),
        column=Column.objects.get(code="projects"),
    )
    services.submit(publication, by=publisher)
    services.approve(publication, by=reviewer)
    return services.publish(publication, by=reviewer)


def test_publications_can_be_seen_but_not_changed_added_or_deleted_in_the_admin(admin_client, bureau):
    publication = published(bureau)
    change = reverse("admin:catalog_publication_change", args=[publication.pk])

    assert publication.title in admin_client.get(reverse("admin:catalog_publication_changelist")).content.decode()
    page = admin_client.get(change)
    assert page.status_code == 200
    assert publication.index_no in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(change, {"title": "改过", "status": "draft"}).status_code == 403
    assert admin_client.get(reverse("admin:catalog_publication_add")).status_code == 403
    assert admin_client.post(reverse("admin:catalog_publication_delete", args=[publication.pk])).status_code == 403
    publication.refresh_from_db()
    assert publication.title == "张店区2026年重点项目建设计划"
    assert publication.status == Publication.Status.PUBLISHED


def column_data(**overrides) -> dict:
    data = {
        "section": "disclosure",
        "parent": str(Column.objects.get(code="statutory").pk),
        "code": "rural",
        "name": "乡村振兴",
        "column_type": "信息公开目录",
        "description": "",
        "sort_order": "200",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_an_administrator_adds_a_column_and_it_is_recorded(admin_client):
    response = admin_client.post(reverse("admin:catalog_column_add"), column_data())

    assert response.status_code == 302
    column = Column.objects.get(code="rural")
    assert column.parent.code == "statutory"
    event = AuditEvent.objects.about(column).get()
    assert event.action == "catalog.column_added"
    assert event.actor_label.startswith("管理员")


def test_a_column_cannot_be_made_its_own_grandparent(admin_client):
    statutory = Column.objects.get(code="statutory")
    projects = Column.objects.get(code="projects")

    response = admin_client.post(
        reverse("admin:catalog_column_change", args=[statutory.pk]),
        column_data(code="statutory", name=statutory.name, parent=str(projects.pk)),
    )

    assert response.status_code == 200
    assert "栏目不能成环" in response.content.decode()
    statutory.refresh_from_db()
    assert statutory.parent is None


def test_columns_are_switched_off_not_deleted(admin_client):
    column = Column.objects.get(code="fees")

    assert admin_client.post(reverse("admin:catalog_column_delete", args=[column.pk])).status_code == 403
    assert Column.objects.filter(code="fees").exists()


def test_the_guides_text_is_sanitised_when_saved(admin_client, bureau):
    response = admin_client.post(
        reverse("admin:catalog_guide_add"),
        {
            "organization": str(bureau.pk),
            "text": '<p onmouseover="x()">办公时间另行通知。</p><script>alert(1)</script>',
        },
    )

    assert response.status_code == 302
    text = Guide.objects.get(organization=bureau).text
    assert "办公时间另行通知。" in text
    assert "<script" not in text
    assert "onmouseover" not in text


def test_the_index_number_scope_cannot_change_once_the_year_has_numbers(admin_client, bureau):
    published(bureau)
    policy = IndexNumberPolicy.objects.get(organization=bureau)

    response = admin_client.post(
        reverse("admin:catalog_indexnumberpolicy_change", args=[policy.pk]),
        {"serial_width": "5", "scope": IndexNumberScope.ORGANIZATION},
    )

    assert response.status_code == 200
    assert "年内改变编号范围会产生重复的索引号" in response.content.decode()
    policy.refresh_from_db()
    assert policy.scope == IndexNumberScope.ORGANIZATION_YEAR


def test_the_index_number_policy_of_an_organisation_without_numbers_this_year_can_change(admin_client):
    organization = Organization.objects.get(uscc="11370303MB2858350L")

    response = admin_client.post(
        reverse("admin:catalog_indexnumberpolicy_add"),
        {"organization": str(organization.pk), "serial_width": "7", "scope": IndexNumberScope.SITE},
    )

    assert response.status_code == 302
    policy = IndexNumberPolicy.objects.get(organization=organization)
    assert (policy.scope, policy.serial_width) == (IndexNumberScope.SITE, 7)
    assert AuditEvent.objects.about(policy).get().action == "catalog.indexnumberpolicy_added"


def test_a_serial_width_out_of_range_is_refused_naming_it(admin_client):
    organization = Organization.objects.get(uscc="11370303MB2858350L")

    response = admin_client.post(
        reverse("admin:catalog_indexnumberpolicy_add"),
        {
            "organization": str(organization.pk),
            "serial_width": "30",
            "scope": IndexNumberScope.ORGANIZATION_YEAR,
        },
    )

    assert response.status_code == 200
    assert "序号位数须在1到12之间，而不是30" in response.content.decode()
    assert not IndexNumberPolicy.objects.filter(organization=organization).exists()
