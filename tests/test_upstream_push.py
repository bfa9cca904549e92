"""Pushing the outbox to an upstream: batches, answers of every kind, retries, claims, reconciliation.

Against the fake upstream (gongkai.upstream.fake) on 127.0.0.1. The guarantees of issue 7 item 6 with
workers killed and faults injected are in tests/test_upstream_guarantees.py.
"""

import datetime
import io
import random

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from bench.upstream_faults import queue_changes
from gongkai.upstream import services
from gongkai.upstream.fake import FakeUpstream
from gongkai.upstream.models import Attempt, AttemptItem, OutboxItem, Upstream
from gongkai.upstream.outbox import idempotency_key

pytestmark = pytest.mark.django_db

Status = OutboxItem.Status
TOKEN = "test-token"
REAL_BACKOFF = services.http.backoff_delay  # before no_backoff replaces it


@pytest.fixture
def fake():
    with FakeUpstream(token=TOKEN) as upstream:
        yield upstream


@pytest.fixture
def upstream(fake):
    return Upstream.objects.create(
        code="fake", name="测试平台", endpoint=fake.url, token=TOKEN, batch_size=3, timeout_seconds=1.0, is_enabled=True
    )


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    """Retries are due at once (backoff itself is tested in test_upstream_http.py)."""
    monkeypatch.setattr(services.http, "backoff_delay", lambda attempts, **kwargs: 0.0)


def queue(upstream, count: int, *, first: int = 1, data: dict | None = None) -> list[OutboxItem]:
    fields = (
        (lambda number: data)
        if data
        else (lambda number: {"CF_WSH": f"张发改罚〔2026〕{number}号", "CF_XDR_MC": f"淄博某某有限公司{number}"})
    )
    return queue_changes(upstream, range(first, first + count), payload=fields)


def statuses() -> list[str]:
    return list(OutboxItem.objects.order_by("id").values_list("status", flat=True))


def test_items_go_in_batches_and_each_gets_its_receipt(upstream, fake):
    queue(upstream, 7)
    assert services.drain("w1") == 7
    assert statuses() == [Status.DELIVERED] * 7
    state = fake.state()
    assert set(state["applied"].values()) == {1} and len(state["applied"]) == 7
    for item in OutboxItem.objects.all():
        assert item.receipt == state["receipts"][item.idempotency_key]
    assert list(Attempt.objects.order_by("id").values_list("records", "delivered")) == [(3, 3), (3, 3), (1, 1)]
    assert AttemptItem.objects.filter(outcome="accepted").count() == 7


def test_a_claim_takes_a_dead_workers_items_first_then_pending_ones_in_the_order_they_fell_due(upstream):
    upstream.batch_size = 2
    upstream.save()
    first, second, third, fourth = queue(upstream, 4)
    now = timezone.now()
    OutboxItem.objects.filter(pk=first.pk).update(next_attempt_at=now + datetime.timedelta(minutes=1))  # backing off
    OutboxItem.objects.filter(pk=fourth.pk).update(next_attempt_at=now - datetime.timedelta(minutes=1))
    OutboxItem.objects.filter(pk=third.pk).update(
        status=Status.SENDING, claimed_by="dead", claimed_at=now - services.lease() - datetime.timedelta(seconds=1)
    )

    claimed = services.claim(upstream, "w1", now=now)

    assert {item.pk for item in claimed} == {third.pk, fourth.pk}
    assert {item.claimed_by for item in claimed} == {"w1"}
    assert {item.pk for item in services.claim(upstream, "w2", now=now)} == {second.pk}


def test_a_server_error_is_retried_and_the_record_delivered_once(upstream, fake):
    queue(upstream, 2)
    fake.set_faults(error500=1, when="after")  # applied, then 500: the re-send is a duplicate
    services.drain("w1")
    assert statuses() == [Status.DELIVERED] * 2
    assert set(fake.state()["applied"].values()) == {1}
    outcomes = list(AttemptItem.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["failed", "failed", "duplicate", "duplicate"]
    failed = Attempt.objects.order_by("id").first()
    assert (failed.http_status, failed.failure) == (500, "transient")


def test_a_timeout_after_the_upstream_applied_the_batch_is_a_duplicate_when_sent_again(upstream, fake):
    queue(upstream, 1)
    fake.set_faults(timeout=1, hold_seconds=3, when="after")
    services.drain("w1")
    item = OutboxItem.objects.get()
    assert (item.status, item.attempts, item.acceptances) == (Status.DELIVERED, 1, 0)
    assert item.receipt == fake.state()["receipts"][item.idempotency_key]
    assert fake.state()["applied"] == {item.idempotency_key: 1}


def test_a_partial_answer_delivers_what_it_names_and_the_rest_is_sent_again(upstream, fake):
    queue(upstream, 3)
    fake.set_faults(partial=1)
    first = services.push("w1")
    assert [(p.sent, p.delivered) for p in first] == [(3, 1)]
    assert statuses() == [Status.DELIVERED, Status.PENDING, Status.PENDING]
    services.drain("w1")
    assert statuses() == [Status.DELIVERED] * 3


def test_a_duplicate_acknowledgement_counts_once(upstream, fake):
    queue(upstream, 2)
    fake.set_faults(duplicate_ack=1)
    services.drain("w1")
    assert list(OutboxItem.objects.values_list("acceptances", flat=True)) == [1, 1]
    assert services.problems(upstream) == []


@pytest.mark.parametrize("fault", ["garbage", "html", "error_in_200"])
def test_an_answer_that_is_not_a_valid_acknowledgement_is_never_counted_as_delivered(upstream, fake, fault):
    queue(upstream, 1)
    fake.set_faults(**{fault: 1, "when": "before"})
    services.push("w1")
    item = OutboxItem.objects.get()
    assert item.status == Status.PENDING and item.error
    attempt = Attempt.objects.get()
    assert (attempt.http_status, attempt.failure, attempt.delivered) == (200, "transient", 0)
    assert attempt.body  # the text is stored
    services.drain("w1")
    assert OutboxItem.objects.get().status == Status.DELIVERED


def test_a_permanent_error_stops_the_batch_and_reconciliation_lists_it_for_a_resend(upstream, fake, credit):
    queue(upstream, 2)
    fake.set_faults(status={"code": 400, "count": 1})
    services.drain("w1")
    assert statuses() == [Status.FAILED] * 2
    found = services.problems(upstream)
    assert [problem for _, problem in found] == [services.Problem.FAILED] * 2
    assert services.resend([item for item, _ in found], by=credit) == 2
    services.drain("w1")
    assert statuses() == [Status.DELIVERED] * 2


def test_a_record_the_upstream_rejects_stops_with_its_reason(upstream, fake):
    queue(upstream, 1, data={"CF_WSH": "x", "__reject__": "CF_XDR_MC 为空"})
    queue(upstream, 1, first=2)
    services.drain("w1")
    rejected, delivered = OutboxItem.objects.order_by("id")
    assert (rejected.status, rejected.error) == (Status.REJECTED, "CF_XDR_MC 为空")
    assert delivered.status == Status.DELIVERED
    assert [problem for _, problem in services.problems(upstream)] == [services.Problem.REJECTED]


def test_transient_failures_stop_after_the_upstreams_limit(upstream, fake):
    upstream.max_attempts = 3
    upstream.save()
    queue(upstream, 1)
    fake.set_faults(error503=10, when="before")
    services.drain("w1")
    item = OutboxItem.objects.get()
    assert (item.status, item.attempts) == (Status.FAILED, 3)


def test_an_unreachable_upstream_is_a_transient_failure(db):
    upstream = Upstream.objects.create(
        code="down", name="停机", endpoint="http://127.0.0.1:9", token="x", timeout_seconds=0.5, is_enabled=True
    )
    queue(upstream, 1)
    services.push("w1")
    item = OutboxItem.objects.get()
    assert (item.status, item.attempts) == (Status.PENDING, 1)
    assert Attempt.objects.get().http_status is None


def test_an_upstream_down_for_an_hour_is_retried_with_backoff_and_then_gets_everything_once(fake, monkeypatch):
    """Fault test (issue 9): the upstream platform refuses connections for an hour of simulated time while a worker
    pushes every minute. The changes wait (pending, with the error of each attempt), tried less and less often (1 s,
    2 s, 4 s … with jitter), never given up within the hour; after an hour the credit office's reconciliation lists
    them as not acknowledged. When the upstream is back, each change is delivered and applied exactly once."""
    monkeypatch.setattr(services.http, "backoff_delay", REAL_BACKOFF)
    random.seed(20261127)  # the jitter, reproducibly
    upstream = Upstream.objects.create(
        code="down", name="停机的平台", endpoint="http://127.0.0.1:9", token=TOKEN, batch_size=3, timeout_seconds=0.5,
        is_enabled=True, ack_within_hours=1,
    )  # fmt: skip
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        queue(upstream, 5)
        for _minute in range(61):
            services.push("w1")
            clock.shift(datetime.timedelta(minutes=1))

        waiting = list(OutboxItem.objects.order_by("id"))
        assert {item.status for item in waiting} == {Status.PENDING}
        attempts = sorted(item.attempts for item in waiting)
        assert attempts[0] >= 5 and attempts[-1] < 30, attempts  # backed off: far fewer tries than 61 rounds
        assert all(item.error for item in waiting)
        late = services.problems(upstream)
        assert [problem for _item, problem in late] == [services.Problem.NOT_ACKNOWLEDGED] * 5

        upstream.endpoint = fake.url
        upstream.save(update_fields=["endpoint"])
        clock.shift(datetime.timedelta(hours=1))  # past the longest wait (the cap is an hour)
        delivered = services.drain("w1")

    assert delivered == 5 and set(statuses()) == {Status.DELIVERED}
    assert len(fake.state()["applied"]) == 5  # each change applied once
    assert services.problems(upstream) == []


def test_a_batch_claimed_by_a_worker_that_died_is_taken_back_after_the_lease(upstream, fake, settings):
    settings.GONGKAI_UPSTREAM_LEASE_SECONDS = 60
    queue(upstream, 3)
    claimed = services.claim(upstream, "dead-worker")  # …and the worker dies before sending
    assert len(claimed) == 3 and services.claim(upstream, "w2") == []
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert services.drain("w2") == 3
    assert statuses() == [Status.DELIVERED] * 3
    assert set(fake.state()["applied"].values()) == {1}


def test_a_late_answer_does_not_undo_a_delivery(upstream, fake):
    queue(upstream, 1)
    items = services.claim(upstream, "slow-worker")
    services.send(upstream, items, worker="slow-worker")
    fake.set_faults(error500=1, when="before")
    services.send(upstream, items, worker="slow-worker")  # the same claim answered again, badly
    assert OutboxItem.objects.get().status == Status.DELIVERED


def test_a_change_that_rolls_back_leaves_nothing_to_send(upstream, fake):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(upstream, 2)
        raise RuntimeError("the business change failed")
    assert services.drain("w1") == 0
    assert fake.state()["received"] == {}


def test_reconciliation_lists_what_is_late_and_what_was_accepted_twice(upstream, fake):
    upstream.is_enabled = False  # nothing is sent
    upstream.ack_within_hours = 2
    upstream.save()
    queue(upstream, 1)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
        queue(upstream, 1, first=2)
        twice = queue(upstream, 1, first=3)[0]
        OutboxItem.objects.filter(pk=twice.pk).update(status=Status.DELIVERED, acceptances=2)
        found = [(item.record_id, problem) for item, problem in services.problems(upstream)]
    assert found == [(1, services.Problem.NOT_ACKNOWLEDGED), (3, services.Problem.ACCEPTED_TWICE)]


def test_the_problems_screen_sends_the_chosen_items_again_and_ignores_values_that_are_not_items(
    client, upstream, fake, credit
):
    first, _ = queue(upstream, 2)
    fake.set_faults(status={"code": 400, "count": 1})
    services.drain("w1")
    client.force_login(credit)

    response = client.post("/staff/credit/upstream/fake/", {"item": [str(first.pk), "abc", "²", "-1", ""]})

    assert response.status_code == 302
    services.drain("w1")
    assert statuses() == [Status.DELIVERED, Status.FAILED]


def test_the_status_screen_and_a_records_history(client, upstream, fake, credit):
    queue(upstream, 2)
    fake.set_faults(error500=1, when="before")
    services.drain("w1")
    client.force_login(credit)
    page = client.get("/staff/credit/upstream/").content.decode()
    assert "测试平台" in page
    history = client.get("/staff/credit/upstream/records/penalty/1/").content.decode()
    assert "发送失败" in history and "已接收" in history
    assert fake.state()["receipts"][idempotency_key("penalty", 1, 1, "upsert")] in history


def test_only_the_credit_office_sees_the_upstream_screens(client, publisher):
    client.force_login(publisher)
    assert client.get("/staff/credit/upstream/").status_code == 403


def test_the_worker_sends_the_outbox_on_every_round(upstream, fake):
    from django.core.management import call_command

    queue(upstream, 5)
    call_command("worker", "--once", "--name", "w-test", stdout=io.StringIO())
    assert statuses() == [Status.DELIVERED] * 5
    assert set(Attempt.objects.values_list("worker", flat=True)) == {"w-test"}


def test_gongkai_credit_reconcile_lists_the_problems_and_sends_them_again(upstream, fake, capsys):
    import json

    from django.core.management import call_command

    queue(upstream, 1, data={"CF_WSH": "张发改罚〔2026〕1号", "__reject__": "字段不全"})
    services.drain("w1")
    with pytest.raises(SystemExit) as exit_:
        call_command("credit", "reconcile", "--upstream", "fake", "--resend")
    assert exit_.value.code == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line) | {"created_at": None} == {
        "upstream": "fake", "problem": "rejected", "record_type": "penalty", "record_id": 1,
        "decision_number": "张发改罚〔2026〕1号", "version": 1, "action": "upsert", "status": "rejected",
        "attempts": 0, "created_at": None, "error": "字段不全",
    }  # fmt: skip
    assert OutboxItem.objects.get().status == Status.PENDING  # queued again
