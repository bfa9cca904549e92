"""Review before publication (保密审查): what the screening finds is resolved before approval, and on record.

先审核、后公开: a submitted draft is screened; every finding is masked (an attachment: a redacted version
uploaded) or dismissed with a reason; approval is refused while one is open and to the author.
"""

import datetime
import json

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.catalog import services
from gongkai.catalog.models import Attachment, Column, Publication
from gongkai.orgs import roles
from gongkai.orgs.services import grant_role
from gongkai.review import services as review
from gongkai.review.models import Finding
from tests.review_files import ID, ID_MASKED, MOBILE, OTHER_ID, docx_upload

pytestmark = pytest.mark.django_db

Resolution = Finding.Resolution


def draft(publisher, bureau, **values) -> Publication:
    values = {
        "title": "关于2026年度价格监测员补贴发放情况的公示",
        "issued_on": datetime.date(2026, 11, 2),
        "column": Column.objects.get(code="projects"),
        **values,
    }
    return services.create_draft(by=publisher, publisher=bureau, **values)


def submitted(publisher, bureau, **values) -> Publication:
    publication = draft(publisher, bureau, **values)
    return services.submit(publication, by=publisher)


def findings(publication) -> list[Finding]:
    return list(Finding.objects.about(publication).in_order())


# --- screening on submission ----------------------------------------------------------------------------


def test_submitting_a_draft_screens_it_and_approval_waits_for_every_finding(publisher, reviewer, bureau):
    publication = submitted(publisher, bureau, body=f"<p>监测员：王小明，身份证号{ID}，手机{MOBILE}。</p>")

    found = findings(publication)
    assert [(f.kind, f.field, f.resolution) for f in found] == [
        ("personal_name", "body", "open"),
        ("resident_id", "body", "open"),
        ("mobile", "body", "open"),
    ]
    assert found[1].masked == ID_MASKED and ID not in found[1].excerpt
    with pytest.raises(services.WorkflowError, match="3项筛查发现未处理"):
        services.approve(publication, by=reviewer)
    assert Publication.objects.get(pk=publication.pk).status == Publication.Status.SUBMITTED


def test_masking_replaces_the_value_in_the_body_and_approval_records_each_decision(publisher, reviewer, bureau):
    publication = submitted(
        publisher,
        bureau,
        body=f"<p>身份证号<b>{ID[:6]}</b>{ID[6:]}。</p><p>复核：{ID}。</p><p>咨询电话0533-2869859</p>",
    )
    (finding,) = findings(publication)
    assert finding.occurrences == 2

    review.mask(finding, by=reviewer)
    services.approve(publication, by=reviewer, note="已遮盖身份证号")

    publication.refresh_from_db()
    assert ID not in publication.body and ID[6:] not in publication.body
    assert f"<b>{ID[:6]}</b>********1235" in publication.body and f"复核：{ID_MASKED}" in publication.body
    assert "0533-2869859" in publication.body  # an office landline is not personal data
    assert publication.status == Publication.Status.APPROVED
    approval = AuditEvent.objects.about(publication).get(action="publication.approved")
    assert approval.actor == reviewer and approval.data["note"] == "已遮盖身份证号"
    assert [(f["kind"], f["resolution"], f["masked"], f["by"]) for f in approval.data["findings"]] == [
        ("resident_id", "masked", ID_MASKED, "reviewer")
    ]


def test_a_title_and_summary_are_masked_in_place(publisher, reviewer, bureau):
    publication = submitted(
        publisher, bureau, title=f"关于{MOBILE}号码的说明", summary=f"联系人手机{MOBILE}，身份证{OTHER_ID}"
    )
    for finding in findings(publication):
        review.mask(finding, by=reviewer)
    publication.refresh_from_db()
    assert publication.title == "关于139****1234号码的说明"
    assert publication.summary == "联系人手机139****1234，身份证370303********3012"


def test_a_dismissal_needs_a_reason_is_kept_and_is_not_asked_again_after_a_return(publisher, reviewer, bureau):
    publication = submitted(publisher, bureau, body="<p>本文件标注“内部资料”字样的部分已于2025年解密。</p>")
    (finding,) = findings(publication)
    assert finding.kind == "secret_marking"
    with pytest.raises(review.ReviewError, match="理由"):
        review.dismiss(finding, by=reviewer, reason="  ")
    review.dismiss(finding, by=reviewer, reason="引述的是解密说明，不是密级标志")
    services.return_for_changes(publication, by=reviewer, reason="请补充内容概述")
    services.update_draft(publication, by=publisher, summary="补贴发放情况")
    services.submit(publication, by=publisher)

    assert [(f.resolution, f.reason) for f in findings(publication)] == [
        ("dismissed", "引述的是解密说明，不是密级标志")
    ]
    services.approve(publication, by=reviewer)


def test_a_finding_edited_away_before_resubmission_is_closed_as_gone(publisher, reviewer, bureau):
    publication = submitted(publisher, bureau, body=f"<p>联系手机{MOBILE}</p>")
    services.return_for_changes(publication, by=reviewer, reason="请删去个人手机号")
    services.update_draft(publication, by=publisher, body="<p>联系电话0533-2869859</p>")
    services.submit(publication, by=publisher)
    assert [f.resolution for f in findings(publication)] == [Resolution.GONE]
    services.approve(publication, by=reviewer)


def test_the_author_cannot_resolve_findings_or_approve_even_with_the_reviewer_role(publisher, reviewer, bureau):
    grant_role(publisher, roles.REVIEWER, by=None)
    publication = submitted(publisher, bureau, body=f"<p>{ID}</p>")
    (finding,) = findings(publication)
    with pytest.raises(review.ReviewError, match="撰稿人不能处理"):
        review.mask(finding, by=publisher)
    with pytest.raises(review.ReviewError, match="撰稿人不能处理"):
        review.dismiss(finding, by=publisher, reason="不是")
    review.mask(finding, by=reviewer)
    with pytest.raises(services.WorkflowError, match="撰稿人不能审核"):
        services.approve(publication, by=publisher)


def test_a_finding_once_resolved_cannot_be_resolved_again(publisher, reviewer, bureau):
    publication = submitted(publisher, bureau, body=f"<p>{MOBILE}</p>")
    (finding,) = findings(publication)
    review.dismiss(finding, by=reviewer, reason="单位值班手机")
    with pytest.raises(review.ReviewError, match="已经处理过"):
        review.mask(finding, by=reviewer)


# --- attachments -------------------------------------------------------------------------------------------


def test_an_attachment_is_redacted_by_the_publisher_and_screened_again(publisher, reviewer, bureau):
    publication = draft(publisher, bureau)
    original = services.add_attachment(
        publication, by=publisher, upload=docx_upload("名单.docx", "补贴名单", f"王小明 {ID}"), name="名单.docx"
    )
    services.submit(publication, by=publisher)
    found = findings(publication)
    assert [(f.kind, f.field, f.attachment_name) for f in found] == [
        ("personal_name", "attachment", "名单.docx"),
        ("resident_id", "attachment", "名单.docx"),
    ]
    with pytest.raises(review.ReviewError, match="上传遮盖后的版本"):
        review.mask(found[1], by=reviewer)
    with pytest.raises(services.WorkflowError):
        services.replace_attachment(original, by=reviewer, upload=docx_upload("x.docx", "x"), name="x.docx")

    still = services.replace_attachment(
        original, by=publisher, upload=docx_upload("名单-遮盖.docx", f"王* {ID_MASKED}", MOBILE), name="名单-遮盖.docx"
    )
    assert not Attachment.objects.filter(pk=original.pk).exists()
    assert {(f.kind, f.resolution, f.attachment_name) for f in findings(publication)} == {
        ("mobile", "open", "名单-遮盖.docx"),
        ("personal_name", "redacted", "名单.docx"),
        ("resident_id", "redacted", "名单.docx"),
    }
    clean = services.replace_attachment(
        still, by=publisher, upload=docx_upload("名单-终稿.docx", f"王* {ID_MASKED}"), name="名单-终稿.docx"
    )
    assert clean.findings.count() == 0 and review.open_count(publication) == 0
    services.approve(publication, by=reviewer)
    actions = list(AuditEvent.objects.about(publication).values_list("action", flat=True))
    assert actions.count("publication.attachment_redacted") == 2


# --- re-screening what is public -------------------------------------------------------------------------


def published(publisher, reviewer, bureau, **values) -> Publication:
    publication = submitted(publisher, bureau, **values)
    services.approve(publication, by=reviewer)
    return services.publish(publication, by=reviewer)


def test_rescreening_lists_findings_in_public_items_without_taking_them_down(publisher, reviewer, bureau):
    public = published(publisher, reviewer, bureau, body="<p>联系邮箱：zdfgj@zibo.gov.cn</p>")
    Publication.objects.filter(pk=public.pk).update(body=f"<p>联系人手机 {MOBILE}</p>")  # e.g. a rule added since

    results = list(review.rescreen_published())
    again = list(review.rescreen_published())

    assert [(p.pk, r.new) for p, r in results] == [(public.pk, 1)]
    assert [(p.pk, r.new, r.open) for p, r in again] == [(public.pk, 0, 1)]
    (finding,) = findings(public)
    assert (finding.kind, finding.stage, finding.resolution) == ("mobile", "rescreen", "open")
    public.refresh_from_db()
    assert public.is_published()
    review.mask(finding, by=reviewer)
    public.refresh_from_db()
    assert "139****1234" in public.body


def test_gongkai_screen_published_prints_the_findings_and_exits_1(publisher, reviewer, bureau, capsys):
    from django.core.management import call_command

    public = published(publisher, reviewer, bureau, body="<p>无</p>")
    Publication.objects.filter(pk=public.pk).update(summary=f"身份证{ID}")
    with pytest.raises(SystemExit) as exit_:
        call_command("screen", "--published")
    assert exit_.value.code == 1
    (line,) = capsys.readouterr().out.splitlines()
    printed = json.loads(line)
    assert printed["publication"] == public.pk and printed["index_no"] == public.index_no
    assert printed["kind"] == "resident_id" and printed["field"] == "summary"
    assert ID not in line and ID_MASKED in printed["excerpt"]
