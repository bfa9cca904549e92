"""What the credit changes queue for the upstream platforms, in their own transactions (issue 7, item 3)."""

import pytest

from gongkai.credit import services
from gongkai.credit.models import Licence, Submission
from gongkai.upstream.models import OutboxItem, Upstream
from tests.credit_files import BUREAU, csv_file, licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def upstreams(demo):
    Upstream.objects.all().delete()
    return [
        Upstream.objects.create(code=code, name=code, endpoint="http://127.0.0.1:9", token="t", is_enabled=enabled)
        for code, enabled in (("city", True), ("province", True), ("off", False))
    ]


def imported(*rows, **options) -> Submission:
    from gongkai.orgs.models import Organization

    submission, _report = services.import_file(
        csv_file(*rows), "licences.csv", organization=Organization.objects.get(uscc=BUREAU), **options
    )
    return submission


def keys() -> list[tuple[str, str]]:
    return sorted((item.upstream.code, item.idempotency_key) for item in OutboxItem.objects.select_related("upstream"))


def test_an_import_queues_each_record_once_for_each_enabled_upstream(upstreams):
    imported(licence(1), licence(2))
    first, second = Licence.objects.order_by("id").values_list("id", flat=True)
    assert keys() == sorted(
        (code, f"gongkai:licence:{pk}:1:upsert") for code in ("city", "province") for pk in (first, second)
    )
    assert OutboxItem.objects.filter(record_id=first).first().payload is None  # read when it is sent


def test_each_version_is_sent_with_its_own_fields_even_after_a_later_one_replaced_it(upstreams):
    from gongkai.credit.models import RecordVersion
    from gongkai.upstream import services as upstream_services

    imported(licence(1))
    imported(licence(1, 许可内容="变更后的许可内容"))
    record = Licence.objects.get()
    items = list(OutboxItem.objects.of(upstreams[0]).order_by("version"))
    upstream_services.fill_payloads(items)
    first = RecordVersion.objects.get(record_type="licence", record_id=record.pk, version=1).data
    assert [item.payload for item in items] == [first, record.data]
    assert first != record.data and "变更后的许可内容" in str(record.data)


def test_a_new_version_is_a_new_change_and_a_withdrawal_is_pushed_as_one(upstreams):
    imported(licence(1))
    imported(licence(1, 许可内容="变更后的许可内容"))
    withdrawn = licence(1, 当前状态="撤销")
    imported(withdrawn)
    record = Licence.objects.get()
    assert record.version == 3 and not record.is_public
    assert [key for code, key in keys() if code == "city"] == [
        f"gongkai:licence:{record.pk}:1:upsert",
        f"gongkai:licence:{record.pk}:2:upsert",
        f"gongkai:licence:{record.pk}:3:withdraw",
    ]


def test_an_import_that_fails_queues_nothing(upstreams):
    imported(licence(1), licence(2, 统一社会信用代码="not a uscc"))  # all or nothing: refused
    assert not Licence.objects.exists() and not OutboxItem.objects.exists()


def test_a_held_submission_is_pushed_when_it_is_released(upstreams, credit):
    from gongkai.credit.models import CreditSettings
    from gongkai.orgs.models import Organization

    CreditSettings.objects.update_or_create(
        organization=Organization.objects.get(uscc=BUREAU), defaults={"hold_for_review": True}
    )
    submission = imported(licence(1))
    assert not OutboxItem.objects.exists()
    services.release(submission, by=credit)
    assert [key.split(":")[3:] for _, key in keys()] == [["1", "upsert"], ["1", "upsert"]]


def test_records_published_while_an_upstream_was_off_are_listed_and_queued_by_reconciliation(upstreams, capsys):
    import json

    from django.core.management import call_command

    from gongkai.upstream import services as upstream_services

    imported(licence(1), licence(2))
    imported(licence(3, 当前状态="撤销"))  # never public: nothing to tell anyone
    off = Upstream.objects.get(code="off")
    off.is_enabled = True
    off.save()
    first, second = Licence.objects.public().order_by("id").values_list("id", flat=True)

    with pytest.raises(SystemExit):
        call_command("credit", "reconcile", "--upstream", "off")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["problem"], line["record_id"], line["version"]) for line in lines] == [
        ("not_queued", first, 1),
        ("not_queued", second, 1),
    ]

    with pytest.raises(SystemExit):
        call_command("credit", "reconcile", "--upstream", "off", "--resend")
    assert [key for code, key in keys() if code == "off"] == sorted(
        [f"gongkai:licence:{first}:1:upsert", f"gongkai:licence:{second}:1:upsert"]
    )
    assert all(not records.exists() for records in upstream_services.unqueued(off).values())
    call_command("credit", "reconcile", "--upstream", "off")  # nothing left: exit 0
    # The upstreams that were on had them all along.
    assert all(not records.exists() for records in upstream_services.unqueued(upstreams[0]).values())


def test_the_reconciliation_screen_queues_what_an_upstream_never_received(client, upstreams, credit):
    imported(licence(1))
    off = Upstream.objects.get(code="off")
    off.is_enabled = True
    off.save()
    client.force_login(credit)
    page = client.get("/staff/credit/upstream/off/")
    assert "1 条公示中的记录在这个平台停用期间产生或变更，从未报送。" in page.content.decode()
    client.post("/staff/credit/upstream/off/unqueued/")
    assert OutboxItem.objects.of(off).count() == 1
    assert "从未报送" not in client.get("/staff/credit/upstream/off/").content.decode()
    off.is_enabled = False
    off.save()
    assert client.post("/staff/credit/upstream/off/unqueued/").status_code == 404
