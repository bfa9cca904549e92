"""The review screens: findings in context on the publication's page, the reviewer's answers, four eyes, the queue."""

import datetime

import pytest
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.models import Column, Publication
from gongkai.lib.files import FileRejected
from gongkai.review import services as review
from gongkai.review.models import Finding
from tests.review_files import ID, ID_MASKED, MOBILE, docx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name: str, *args) -> str:
    return reverse(f"catalog_staff:{name}", args=args)


def submitted(publisher, bureau, body: str, title: str = "补贴发放情况的公示", **values) -> Publication:
    publication = services.create_draft(
        by=publisher,
        publisher=bureau,
        title=title,
        issued_on=datetime.date(2026, 11, 2),
        column=Column.objects.get(code="projects"),
        body=body,
        **values,
    )
    return services.submit(publication, by=publisher)


def test_the_reviewer_sees_each_finding_in_its_context_and_may_mask_or_dismiss_it(client, publisher, reviewer, bureau):
    publication = submitted(publisher, bureau, body=f"<p>监测员身份证号：{ID}，补贴1200元。</p>")
    client.force_login(reviewer)
    page = client.get(url("detail", publication.pk)).content.decode()
    assert f"监测员身份证号：<mark>{ID}</mark>，补贴1200元。" in page
    assert url("finding_mask", publication.pk, publication.findings.get().pk) in page
    assert "还有 1 项筛查发现未处理" in page and url("approve", publication.pk) not in page


def test_the_author_sees_the_findings_but_cannot_resolve_them(client, publisher, bureau):
    publication = submitted(publisher, bureau, body=f"<p>{ID}</p>")
    finding = publication.findings.get()
    client.force_login(publisher)
    page = client.get(url("detail", publication.pk)).content.decode()
    assert "身份证号码" in page and "待处理" in page
    assert url("finding_mask", publication.pk, finding.pk) not in page
    assert client.post(url("finding_mask", publication.pk, finding.pk)).status_code == 403
    assert client.post(url("finding_dismiss", publication.pk, finding.pk), {"reason": "x"}).status_code == 403
    assert Finding.objects.get(pk=finding.pk).is_open


def test_masking_and_dismissing_through_the_page(client, publisher, reviewer, bureau):
    publication = submitted(publisher, bureau, body=f"<p>{ID}</p><p>值班手机{MOBILE}</p>")
    id_finding, mobile_finding = Finding.objects.about(publication).in_order()
    client.force_login(reviewer)

    response = client.post(url("finding_mask", publication.pk, id_finding.pk))
    assert response.status_code == 302 and response.url.endswith("#findings")
    empty = client.post(
        url("finding_dismiss", publication.pk, mobile_finding.pk), {f"dismiss-{mobile_finding.pk}-reason": ""}
    )
    assert empty.status_code == 400 and "请写明不属敏感信息的理由" in empty.content.decode()
    client.post(
        url("finding_dismiss", publication.pk, mobile_finding.pk),
        {f"dismiss-{mobile_finding.pk}-reason": "单位值班手机，已公开多年"},
    )
    assert client.post(url("approve", publication.pk)).status_code == 302

    publication.refresh_from_db()
    assert publication.status == Publication.Status.APPROVED and ID_MASKED in publication.body
    history = client.get(url("detail", publication.pk)).content.decode()
    assert "遮盖敏感信息" in history and "单位值班手机，已公开多年" in history


def test_approving_through_the_page_with_an_open_finding_is_refused(client, publisher, reviewer, bureau):
    publication = submitted(publisher, bureau, body=f"<p>{MOBILE}</p>")
    client.force_login(reviewer)
    response = client.post(url("approve", publication.pk), follow=True)
    assert "1项筛查发现未处理" in response.content.decode()
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.SUBMITTED


def test_the_publisher_uploads_a_redacted_attachment_from_the_page(client, publisher, reviewer, bureau):
    publication = services.create_draft(
        by=publisher,
        publisher=bureau,
        title="名单",
        issued_on=datetime.date(2026, 11, 2),
        column=Column.objects.get(code="projects"),
    )
    attachment = services.add_attachment(
        publication, by=publisher, upload=docx_upload("名单.docx", f"身份证号 {ID}"), name="名单.docx"
    )
    services.submit(publication, by=publisher)
    client.force_login(publisher)
    page = client.get(url("detail", publication.pk)).content.decode()
    assert url("attachment_redacted", publication.pk, attachment.pk) in page

    response = client.post(
        url("attachment_redacted", publication.pk, attachment.pk),
        {"file": docx_upload("名单-遮盖.docx", f"身份证号 {ID_MASKED}")},
    )
    assert response.status_code == 302
    assert [a.original_name for a in publication.attachments.all()] == ["名单-遮盖.docx"]
    assert review.open_count(publication) == 0


def test_an_attachment_too_long_to_screen_whole_is_refused(publisher, bureau, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_CHARS", 50)
    publication = services.create_draft(
        by=publisher, publisher=bureau, title="长文件", issued_on=datetime.date(2026, 11, 2),
        column=Column.objects.get(code="projects"),
    )  # fmt: skip
    with pytest.raises(FileRejected, match="无法完整筛查"):
        services.add_attachment(publication, by=publisher, upload=docx_upload("长.docx", "字" * 60), name="长.docx")
    assert publication.attachments.count() == 0


def test_the_queue_counts_open_findings_and_lists_public_items_that_a_rescreening_flagged(
    client, publisher, reviewer, bureau
):
    waiting = submitted(publisher, bureau, body=f"<p>{ID}</p>", title="待审的一条")
    public = submitted(publisher, bureau, body="<p>无</p>", title="已发布的一条")
    services.publish(services.approve(public, by=reviewer), by=reviewer)
    Publication.objects.filter(pk=public.pk).update(summary=f"联系手机{MOBILE}")
    list(review.rescreen_published())

    client.force_login(reviewer)
    page = client.get(url("review")).content.decode()
    assert "待审的一条" in page and "已发布信息复查发现" in page
    assert f"{url('detail', public.pk)}#findings" in page
    assert waiting.findings.open().count() == 1


def test_the_review_screens_in_english_have_no_untranslated_text(
    client, publisher, reviewer, bureau, latin_names, untranslated
):
    for user in (publisher, reviewer):
        user.refresh_from_db()
    publication = submitted(publisher, bureau, body=f"<p>Duty phone {MOBILE}; ID {ID}</p>", title="Grant list")
    first = Finding.objects.about(publication).in_order().first()
    review.dismiss(first, by=reviewer, reason="The office duty phone.")
    client.force_login(reviewer)
    for page_url in (url("detail", publication.pk), url("review")):
        response = client.get(page_url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert untranslated(response.content.decode()) == [], page_url


def test_the_public_page_shows_neither_the_review_nor_the_masked_value(client, publisher, reviewer, bureau):
    publication = submitted(publisher, bureau, body=f"<p>身份证号{ID}</p><p>值班手机{MOBILE}</p>")
    id_finding, mobile_finding = Finding.objects.about(publication).in_order()
    review.mask(id_finding, by=reviewer)
    review.dismiss(mobile_finding, by=reviewer, reason="本局值班手机，长期公开")
    services.publish(services.approve(publication, by=reviewer, note="同意公开"), by=reviewer)

    page = client.get(reverse("catalog:detail", args=[bureau.slug, publication.pk])).content.decode()
    assert ID_MASKED in page and ID not in page and MOBILE in page
    for secret in ("长期公开", "同意公开", "李四", "审核", "筛查"):
        assert secret not in page
