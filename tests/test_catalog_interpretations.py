"""Policy interpretations (政策解读): a publication interprets one or more policy documents, each in a form
(文字解读, 图解, 视频, 新闻发布会); the policy's page lists its interpretations and the interpretation's page
what it interprets; the office head sees the policy documents no one has interpreted yet.

Personas of the demo bureau 张店区发展和改革局: 赵敏 (publisher), 李四 (reviewer), 钱文 (office head).
张店区人民政府 (the district government) and 张店区行政审批服务局 get their own staff where a test needs them.
"""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.catalog import services
from gongkai.catalog.models import Column, Genre, Interpretation, Publication
from gongkai.orgs import roles
from gongkai.orgs.models import Organization, User
from gongkai.orgs.services import grant_role

pytestmark = pytest.mark.django_db

Form = Interpretation.Form
DISTRICT_USCC = "113703030042240015"  # 张店区人民政府
APPROVALS_USCC = "11370303MB2858350L"  # 张店区行政审批服务局

POLICY = "张店区政府投资项目管理办法"
INTERPRETATION = "《张店区政府投资项目管理办法》政策解读"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(publisher, reviewer):
    return publisher, reviewer


def staff_of(organization: Organization, prefix: str) -> dict[str, User]:
    """A publisher, a reviewer and an office head for an organisation of the demo district."""
    people = {}
    for role in (roles.PUBLISHER, roles.REVIEWER, roles.OFFICE_HEAD):
        user = User.objects.create_user(f"{prefix}-{role}", organization=organization, display_name=f"{prefix}{role}")
        grant_role(user, role, by=None)
        people[role] = user
    return people


def draft(author, organization, title: str, *, genre: str = "normative", column: str = "regulations", **values):
    return services.create_draft(
        by=author,
        publisher=organization,
        title=title,
        issued_on=timezone.localdate() - datetime.timedelta(days=2),
        column=Column.objects.get(code=column),
        genre=Genre.objects.get(code=genre),
        **values,
    )


def publish(publication: Publication, author: User, reviewer: User) -> Publication:
    services.submit(publication, by=author)
    services.approve(publication, by=reviewer)
    return services.publish(publication, by=reviewer)


def published(author, reviewer, organization, title: str, **values) -> Publication:
    return publish(draft(author, organization, title, **values), author, reviewer)


def interpretation_draft(author, organization, title: str = INTERPRETATION) -> Publication:
    return draft(author, organization, title, genre="interpretation", column="interpretations")


def interpreting(*policies: Publication, form: str = Form.TEXT, url: str = "") -> list:
    return [services.InterpretedDocument(policy=policy, form=form, url=url) for policy in policies]


def detail_url(publication: Publication) -> str:
    return reverse("catalog:detail", args=[publication.publisher.slug, publication.pk])


def text_of(response) -> str:
    return response.content.decode()


# --- the rules ----------------------------------------------------------------------------------------


def test_an_interpretation_interprets_a_policy_and_the_audit_log_records_it(staff, bureau):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    interpretation = interpretation_draft(publisher, bureau)

    services.set_interpreted(
        interpretation, by=publisher, documents=interpreting(policy, form=Form.VIDEO, url="https://v.example.cn/1")
    )

    link = Interpretation.objects.get()
    assert (link.interpretation, link.policy, link.form, link.url) == (
        interpretation,
        policy,
        Form.VIDEO,
        "https://v.example.cn/1",
    )
    assert list(policy.interpreted_by.all()) == [interpretation]
    assert list(interpretation.interprets.all()) == [policy]
    event = AuditEvent.objects.filter(action="publication.interpreted_set").get()
    assert event.object_id == str(interpretation.pk)
    assert event.data["documents"][0]["index_no"] == policy.index_no


def test_one_interpretation_may_interpret_several_documents_and_setting_the_same_again_changes_nothing(
    staff, bureau
):
    publisher, reviewer = staff
    first = published(publisher, reviewer, bureau, POLICY)
    second = published(publisher, reviewer, bureau, "张店区企业投资项目备案管理实施细则")
    interpretation = interpretation_draft(publisher, bureau)

    services.set_interpreted(interpretation, by=publisher, documents=interpreting(first, second))
    services.set_interpreted(interpretation, by=publisher, documents=interpreting(first, second))

    assert set(interpretation.interprets.all()) == {first, second}
    assert AuditEvent.objects.filter(action="publication.interpreted_set").count() == 1


def test_a_document_left_out_is_no_longer_interpreted(staff, bureau):
    publisher, reviewer = staff
    first = published(publisher, reviewer, bureau, POLICY)
    second = published(publisher, reviewer, bureau, "张店区企业投资项目备案管理实施细则")
    interpretation = interpretation_draft(publisher, bureau)
    services.set_interpreted(interpretation, by=publisher, documents=interpreting(first, second))

    services.set_interpreted(interpretation, by=publisher, documents=interpreting(second, form=Form.GRAPHIC))

    assert [(link.policy, link.form) for link in interpretation.policy_links.all()] == [(second, Form.GRAPHIC)]


@pytest.mark.parametrize(
    ("target", "chinese", "english"),
    [
        ("itself", "不能解读本条信息自身", "cannot interpret itself"),
        ("interpretation", "本身是政策解读", "is itself an interpretation"),
        ("linked", "本身是政策解读", "is itself an interpretation"),
        ("twice", "选了两次", "is chosen twice"),
    ],
)
def test_it_refuses_what_cannot_be_interpreted_naming_the_field_in_both_languages(
    staff, bureau, target, chinese, english
):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    interpretation = interpretation_draft(publisher, bureau)
    # An earlier interpretation, published in the 政策解读 column; and a notice that already interprets something.
    earlier = publish(interpretation_draft(publisher, bureau, "早先的解读"), publisher, reviewer)
    notice = published(publisher, reviewer, bureau, "关于政府投资项目的通知", genre="notice", column="projects")
    services.set_interpreted(notice, by=publisher, documents=interpreting(policy))
    documents = {
        "itself": interpreting(interpretation),
        "interpretation": interpreting(earlier),
        "linked": interpreting(notice),
        "twice": interpreting(policy, policy),
    }[target]

    with pytest.raises(services.InterpretationInvalid) as refused:
        services.set_interpreted(interpretation, by=publisher, documents=documents)

    message = refused.value.errors["interprets"]
    assert message.startswith("解读的文件：")
    assert chinese in message
    assert "documents interpreted: " in message
    assert english in message
    assert not interpretation.policy_links.exists()
    # The same publication may interpret the policy itself: the refusal is about the target, not the setup.
    services.set_interpreted(interpretation, by=publisher, documents=interpreting(policy))
    assert list(interpretation.interprets.all()) == [policy]


def test_a_document_that_others_interpret_interprets_nothing_itself(staff, bureau):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    other = published(publisher, reviewer, bureau, "张店区企业投资项目备案管理实施细则")
    services.set_interpreted(interpretation_draft(publisher, bureau), by=publisher, documents=interpreting(policy))

    with pytest.raises(services.InterpretationInvalid) as refused:
        services.set_interpreted(policy, by=publisher, documents=interpreting(other))

    assert "policy document interprets nothing itself" in refused.value.errors["interprets"]


def test_a_bureau_interprets_the_district_governments_public_policy_but_not_its_draft(publisher, bureau):
    district = Organization.objects.get(uscc=DISTRICT_USCC)
    government = staff_of(district, "district")
    public_policy = published(
        government[roles.PUBLISHER], government[roles.REVIEWER], district, "张店区优化营商环境若干措施"
    )
    draft_policy = draft(government[roles.PUBLISHER], district, "张店区政府投资项目审批改革方案（征求意见稿）")
    interpretation = interpretation_draft(publisher, bureau)

    with pytest.raises(services.InterpretationInvalid) as refused:
        services.set_interpreted(interpretation, by=publisher, documents=interpreting(draft_policy))
    assert "张店区人民政府" in refused.value.errors["interprets"]
    assert "not public" in refused.value.errors["interprets"]

    services.set_interpreted(interpretation, by=publisher, documents=interpreting(public_policy))
    assert list(interpretation.interprets.all()) == [public_policy]


def test_the_bureaus_own_draft_policy_may_be_interpreted_while_both_are_drafted(staff, bureau):
    publisher, _ = staff
    policy = draft(publisher, bureau, POLICY)
    interpretation = interpretation_draft(publisher, bureau)

    services.set_interpreted(interpretation, by=publisher, documents=interpreting(policy))

    assert list(interpretation.interprets.all()) == [policy]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.cn/a.mp4", "not a link"])
def test_a_link_must_be_a_web_address(staff, bureau, url):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    interpretation = interpretation_draft(publisher, bureau)

    with pytest.raises(services.InterpretationInvalid) as refused:
        services.set_interpreted(interpretation, by=publisher, documents=interpreting(policy, url=url))

    assert refused.value.errors["url"].startswith("链接：")
    assert "http://" in refused.value.errors["url"]
    assert not interpretation.policy_links.exists()


def test_the_database_keeps_a_publication_from_interpreting_itself_or_a_document_twice(staff, bureau):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    interpretation = interpretation_draft(publisher, bureau)
    Interpretation.objects.create(interpretation=interpretation, policy=policy)

    with pytest.raises(IntegrityError), transaction.atomic():
        Interpretation.objects.create(interpretation=interpretation, policy=interpretation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Interpretation.objects.create(interpretation=interpretation, policy=policy, form=Form.GRAPHIC)


def test_only_a_publisher_or_the_office_head_of_the_organisation_sets_what_it_interprets(staff, bureau, head):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    interpretation = interpretation_draft(publisher, bureau)

    with pytest.raises(services.WorkflowError):
        services.set_interpreted(interpretation, by=reviewer, documents=interpreting(policy))
    publish(interpretation, publisher, reviewer)
    with pytest.raises(services.WorkflowError):
        services.set_interpreted(interpretation, by=reviewer, documents=interpreting(policy))

    services.set_interpreted(interpretation, by=head, documents=interpreting(policy))  # once public, like validity
    assert list(interpretation.interprets.all()) == [policy]


# --- the editor -------------------------------------------------------------------------------------


def editor_data(publication: Publication, rows: list[dict] | None = None) -> dict:
    data = {
        "title": publication.title,
        "no_doc_no": "on",
        "doc_no": "",
        "issued_on": publication.issued_on.isoformat(),
        "column": str(publication.column_id),
        "topic": "",
        "genre": str(publication.genre_id or ""),
        "validity": "",
        "effective_on": "",
        "expired_on": "",
        "repealed_on": "",
        "summary": "",
        "body": "<p>解读正文。</p>",
        "keywords": "",
    }
    if rows is not None:
        data.update(
            {
                "interprets-TOTAL_FORMS": str(len(rows)),
                "interprets-INITIAL_FORMS": "0",
                "interprets-MIN_NUM_FORMS": "0",
                "interprets-MAX_NUM_FORMS": "20",
            }
        )
        for number, row in enumerate(rows):
            for name in ("policy", "index_no", "form", "url"):
                data[f"interprets-{number}-{name}"] = row.get(name, "text" if name == "form" else "")
    return data


def select_html(page: str, name: str) -> str:
    start = page.index(f'<select name="{name}"')
    return page[start : page.index("</select>", start)]


def select_options(page: str, name: str) -> dict[str, str]:
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select_html(page, name)))


def edit_url(publication: Publication) -> str:
    return reverse("catalog_staff:edit", args=[publication.pk])


def test_the_editor_offers_the_organisations_public_policy_documents_and_saves_the_chosen_one(
    client, staff, bureau
):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    notice = published(publisher, reviewer, bureau, "关于开展价格监测的通知", genre="notice", column="projects")
    unpublished = draft(publisher, bureau, "张店区企业投资项目备案管理实施细则")
    interpretation = interpretation_draft(publisher, bureau)
    client.force_login(publisher)

    page = text_of(client.get(edit_url(interpretation)))
    assert '<label for="id_interprets-0-policy">本机关的政策文件</label>' in page
    choices = select_options(page, "interprets-0-policy")
    assert choices == {"": "——不选——", str(policy.pk): f"{POLICY}（{policy.index_no}）"}
    assert str(notice.pk) not in choices  # a notice is not a policy document
    assert str(unpublished.pk) not in choices

    rows = [{"policy": str(policy.pk), "form": "video", "url": "https://v.example.cn/42"}, {}]
    response = client.post(edit_url(interpretation), editor_data(interpretation, rows))

    assert response.status_code == 302
    link = interpretation.policy_links.get()
    assert (link.policy, link.form, link.url) == (policy, Form.VIDEO, "https://v.example.cn/42")
    page = text_of(client.get(edit_url(interpretation)))
    assert f'<option value="{policy.pk}" selected>' in select_html(page, "interprets-0-policy")


def test_another_organisations_public_document_is_chosen_by_its_index_number(client, staff, bureau):
    publisher, _ = staff
    district = Organization.objects.get(uscc=DISTRICT_USCC)
    government = staff_of(district, "district")
    policy = published(government[roles.PUBLISHER], government[roles.REVIEWER], district, "张店区优化营商环境若干措施")
    interpretation = interpretation_draft(publisher, bureau, "《张店区优化营商环境若干措施》图解")
    client.force_login(publisher)

    rows = [{"index_no": f"  {policy.index_no} ", "form": "graphic"}]
    response = client.post(edit_url(interpretation), editor_data(interpretation, rows))

    assert response.status_code == 302
    assert [(link.policy, link.form) for link in interpretation.policy_links.all()] == [(policy, Form.GRAPHIC)]


def test_an_unknown_index_number_is_named_in_the_error_and_nothing_is_saved(client, staff, bureau):
    publisher, _ = staff
    interpretation = interpretation_draft(publisher, bureau)
    client.force_login(publisher)
    data = editor_data(interpretation, [{"index_no": "113703030042240015/2026-99999"}])
    data["title"] = "改过的标题"

    response = client.post(edit_url(interpretation), data)

    assert response.status_code == 400
    assert "索引号“113703030042240015/2026-99999”没有对应的政府信息" in text_of(response)
    interpretation.refresh_from_db()
    assert interpretation.title == INTERPRETATION


def test_a_refused_document_leaves_the_draft_unsaved_and_says_why_above_the_rows(client, staff, bureau):
    publisher, reviewer = staff
    earlier = publish(interpretation_draft(publisher, bureau, "早先的解读"), publisher, reviewer)
    interpretation = interpretation_draft(publisher, bureau)
    client.force_login(publisher)
    data = editor_data(interpretation, [{"index_no": earlier.index_no}])
    data["title"] = "改过的标题"

    response = client.post(edit_url(interpretation), data)

    assert response.status_code == 400
    assert "“早先的解读”本身是政策解读，不能再被解读" in text_of(response)
    interpretation.refresh_from_db()
    assert interpretation.title == INTERPRETATION  # the metadata and the links are saved together or not at all
    assert not interpretation.policy_links.exists()


def test_clearing_a_row_removes_the_link_and_a_post_without_rows_keeps_it(client, staff, bureau):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    interpretation = interpretation_draft(publisher, bureau)
    services.set_interpreted(interpretation, by=publisher, documents=interpreting(policy))
    client.force_login(publisher)

    assert client.post(edit_url(interpretation), editor_data(interpretation)).status_code == 302
    assert interpretation.policy_links.exists()

    assert client.post(edit_url(interpretation), editor_data(interpretation, [{}])).status_code == 302
    assert not interpretation.policy_links.exists()


def test_a_new_draft_can_name_what_it_interprets(client, staff, bureau):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    template = Publication(
        title=INTERPRETATION,
        issued_on=timezone.localdate(),
        column=Column.objects.get(code="interpretations"),
        genre=Genre.objects.get(code="interpretation"),
    )
    client.force_login(publisher)

    response = client.post(reverse("catalog_staff:new"), editor_data(template, [{"policy": str(policy.pk)}]))

    assert response.status_code == 302
    assert list(Publication.objects.get(title=INTERPRETATION).interprets.all()) == [policy]


# --- the public pages ---------------------------------------------------------------------------------


@pytest.fixture
def linked(staff, bureau):
    """The bureau's policy, interpreted by its text interpretation and by the district government's video."""
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    text = interpretation_draft(publisher, bureau)
    services.set_interpreted(text, by=publisher, documents=interpreting(policy))
    publish(text, publisher, reviewer)
    district = Organization.objects.get(uscc=DISTRICT_USCC)
    government = staff_of(district, "district")
    video = interpretation_draft(government[roles.PUBLISHER], district, "区政府新闻发布会：解读政府投资项目管理办法")
    services.set_interpreted(
        video,
        by=government[roles.PUBLISHER],
        documents=interpreting(policy, form=Form.PRESS_CONFERENCE, url="https://tv.example.cn/press/7"),
    )
    publish(video, government[roles.PUBLISHER], government[roles.REVIEWER])
    return policy, text, video


def test_the_policy_page_lists_its_published_interpretations_with_their_form_and_link(client, linked):
    policy, text, video = linked

    page = text_of(client.get(detail_url(policy)))

    section = page[page.index('id="interpretations-heading"') :]
    assert f'<a href="{detail_url(text)}">{INTERPRETATION}</a>' in section
    assert "文字解读" in section
    assert f'<a href="{detail_url(video)}">区政府新闻发布会：解读政府投资项目管理办法</a>' in section
    assert "新闻发布会" in section and "张店区人民政府" in section
    assert 'href="https://tv.example.cn/press/7" rel="noopener noreferrer external"' in section


def test_the_interpretation_page_links_to_what_it_interprets(client, linked):
    policy, text, _ = linked

    page = text_of(client.get(detail_url(text)))

    assert "解读的文件" in page
    assert f'<a href="{detail_url(policy)}">{POLICY}</a>' in page
    assert 'id="interpretations-heading"' not in page


def test_a_withdrawn_interpretation_leaves_the_policy_page(client, linked, publisher):
    policy, text, video = linked

    services.withdraw(text, by=publisher, reason="内容需更新")

    page = text_of(client.get(detail_url(policy)))
    assert detail_url(text) not in page
    assert detail_url(video) in page


def test_a_withdrawn_policy_leaves_the_interpretation_page(client, linked, publisher):
    policy, text, _ = linked

    services.withdraw(policy, by=publisher, reason="已修订")

    page = text_of(client.get(detail_url(text)))
    assert detail_url(policy) not in page
    assert "解读的文件" not in page


def test_an_interpretation_not_yet_published_is_not_shown(client, staff, bureau):
    publisher, reviewer = staff
    policy = published(publisher, reviewer, bureau, POLICY)
    services.set_interpreted(interpretation_draft(publisher, bureau), by=publisher, documents=interpreting(policy))

    page = text_of(client.get(detail_url(policy)))

    assert 'id="interpretations-heading"' not in page
    assert INTERPRETATION not in page


def test_the_api_detail_carries_the_links_both_ways(client, linked):
    policy, text, _ = linked

    body = client.get(f"/api/v1/publications/{policy.pk}/").json()
    assert body["interprets"] == []
    assert [(row["title"], row["form"], row["link"]) for row in body["interpretations"]] == [
        ("区政府新闻发布会：解读政府投资项目管理办法", "press_conference", "https://tv.example.cn/press/7"),
        (INTERPRETATION, "text", ""),
    ]
    body = client.get(f"/api/v1/publications/{text.pk}/").json()
    assert [(row["id"], row["index_no"], row["form_name"]) for row in body["interprets"]] == [
        (policy.pk, policy.index_no, "文字解读")
    ]
    assert body["interprets"][0]["url"].endswith(detail_url(policy))
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    link = schema["components"]["schemas"]["InterpretationLink"]
    assert set(link["properties"]) == {"id", "index_no", "title", "publisher", "form", "form_name", "link", "url"}


# --- the office head's list of policy documents awaiting interpretation ------------------------------

UNINTERPRETED = reverse("catalog_staff:uninterpreted")


def listed(response) -> list[str]:
    return [publication.title for publication in response.context["page"].object_list]


def test_the_office_head_sees_the_public_policy_documents_in_force_that_no_one_interprets(client, staff, bureau, head):
    publisher, reviewer = staff
    waiting = published(publisher, reviewer, bureau, "张店区企业投资项目备案管理实施细则")
    interpreted = published(publisher, reviewer, bureau, POLICY, genre="regulation")
    text = interpretation_draft(publisher, bureau)
    services.set_interpreted(text, by=publisher, documents=interpreting(interpreted))
    publish(text, publisher, reviewer)
    only_drafted = published(publisher, reviewer, bureau, "张店区价格调节基金管理办法")
    services.set_interpreted(interpretation_draft(publisher, bureau, "调节基金解读（草稿）"), by=publisher,
                             documents=interpreting(only_drafted))  # fmt: skip
    repealed = published(publisher, reviewer, bureau, "张店区价格监测工作规程")
    services.set_validity(repealed, by=publisher, validity=Publication.Validity.REPEALED, on=timezone.localdate())
    published(publisher, reviewer, bureau, "关于开展价格监测的通知", genre="notice", column="projects")
    draft(publisher, bureau, "张店区社会信用体系建设行动方案（草稿）")
    client.force_login(head)

    response = client.get(UNINTERPRETED)

    assert response.status_code == 200
    assert listed(response) == [only_drafted.title, waiting.title]
    assert response.context["page"].paginator.count == 2
    assert '<strong class="count">2</strong>' in text_of(response)


def test_which_genres_count_as_policy_documents_is_data(client, staff, bureau, head):
    publisher, reviewer = staff
    plan = published(publisher, reviewer, bureau, "张店区十五五规划纲要", genre="plan", column="plans")
    client.force_login(head)
    assert plan.title not in listed(client.get(UNINTERPRETED))

    Genre.objects.filter(code="plan").update(needs_interpretation=True)

    assert plan.title in listed(client.get(UNINTERPRETED))
    assert set(Genre.objects.filter(needs_interpretation=True).values_list("code", flat=True)) == {
        "regulation",
        "normative",
        "plan",
    }


def test_each_office_head_sees_only_their_organisation_and_the_administrator_sees_all(client, staff, bureau, head):
    publisher, reviewer = staff
    ours = published(publisher, reviewer, bureau, "张店区企业投资项目备案管理实施细则")
    approvals = Organization.objects.get(uscc=APPROVALS_USCC)
    people = staff_of(approvals, "approvals")
    theirs = published(
        people[roles.PUBLISHER], people[roles.REVIEWER], approvals, "张店区投资项目审批告知承诺制实施办法"
    )

    client.force_login(head)
    assert listed(client.get(UNINTERPRETED)) == [ours.title]
    client.force_login(people[roles.OFFICE_HEAD])
    assert listed(client.get(UNINTERPRETED)) == [theirs.title]
    client.force_login(User.objects.get(username="admin"))
    response = client.get(UNINTERPRETED)
    assert set(listed(response)) == {ours.title, theirs.title}
    assert f"<td>{approvals.display_name}</td>" in text_of(response)  # several organisations: the publisher shown


def test_the_list_is_for_the_office_head_and_the_administrator_only(client, staff, head):
    publisher, reviewer = staff
    assert client.get(UNINTERPRETED).status_code == 302  # to the login page
    for someone in (publisher, reviewer):
        client.force_login(someone)
        assert client.get(UNINTERPRETED).status_code == 403
    client.force_login(head)
    assert client.get(UNINTERPRETED).status_code == 200


def test_the_staff_catalogue_links_to_the_list_for_the_office_head_only(client, publisher, head):
    link = f'<a href="{UNINTERPRETED}">尚未解读的政策文件</a>'
    client.force_login(head)
    assert link in text_of(client.get(reverse("catalog_staff:list")))
    client.force_login(publisher)
    assert link not in text_of(client.get(reverse("catalog_staff:list")))


# --- the demo ----------------------------------------------------------------------------------------


def test_the_demo_links_its_interpretation_to_the_policy_and_loading_twice_adds_nothing(client, bureau):
    from gongkai.catalog.demo import load_publications

    load_publications()
    second = load_publications()

    policy = Publication.objects.get(publisher=bureau, title=POLICY)
    interpretation = Publication.objects.get(publisher=bureau, title=INTERPRETATION)
    assert second == []
    assert list(policy.interpreted_by.all()) == [interpretation]
    assert Interpretation.objects.count() == 1
    assert f'<a href="{detail_url(interpretation)}">{INTERPRETATION}</a>' in text_of(client.get(detail_url(policy)))
