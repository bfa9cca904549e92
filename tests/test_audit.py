"""The audit log is append-only and hash-chained: any change to an event shows when the chain is verified."""

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from gongkai import audit
from gongkai.audit.models import AppendOnlyError, AuditEvent
from gongkai.audit.services import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_events(bureau):
    from gongkai.orgs.models import User

    handler = User.objects.get(username="handler")
    existing = AuditEvent.objects.count()
    for n in range(3):
        audit.record(handler, "request.noted", bureau, summary=f"第{n}条", n=n, note="申请人来电")
    return AuditEvent.objects.order_by("seq")[existing:]


def test_each_event_links_to_the_hash_of_the_one_before(three_events):
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[0].prev_hash == "0" * 64
    for before, after in pairwise(events):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1


def test_an_event_records_actor_organization_object_and_data(three_events, bureau):
    event = three_events[2]
    assert event.actor.username == "handler"
    assert event.actor_label == "张三 (handler)"
    assert event.organization == bureau
    assert (event.object_type, event.object_id) == ("orgs.organization", str(bureau.pk))
    assert event.data == {"n": 2, "note": "申请人来电"}


def test_verify_passes_on_an_untouched_chain(three_events, capsys):
    report = verify_chain()
    assert report.ok
    assert report.count == AuditEvent.objects.count()
    call_command("audit", "verify")
    assert f"OK {report.count} events" in capsys.readouterr().out


def test_the_orm_refuses_to_update_or_delete_events(three_events):
    event = three_events[0]
    event.summary = "改过的"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="改过的")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert verify_chain().ok


def _tamper(sql: str, params: list) -> None:
    """What an intruder with database rights would do: switch off the guard trigger and edit a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def test_verify_names_the_first_event_changed_by_raw_sql(three_events, capsys):
    target = three_events[1]
    _tamper("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["已篡改", target.pk])

    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == target.seq
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert f"#{target.seq}" in capsys.readouterr().err


def test_verify_notices_a_removed_event(three_events):
    target = three_events[1]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == target.seq + 1


def test_verify_notices_events_cut_from_the_end(three_events):
    last = three_events[2]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    report = verify_chain()
    assert not report.ok
    assert "removed from the end" in report.reason


def test_verify_notices_a_changed_data_field(three_events):
    target = three_events[0]
    _tamper("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99, "note": "申请人来电"}', target.pk])
    assert verify_chain().broken_seq == target.seq


@pytest.mark.postgresql
def test_postgresql_refuses_update_and_delete_by_raw_sql(three_events):
    from django.db import DatabaseError

    target = three_events[0]
    for sql in (
        "UPDATE audit_auditevent SET summary = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [target.pk])
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    """Eight threads append at once; every event still links to the one before it."""
    import threading

    from django.db import connections

    errors = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                audit.record(None, "test.concurrent", summary=f"{n}-{i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert report.ok, report.reason
    assert report.count == 80
