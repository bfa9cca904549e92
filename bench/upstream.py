"""Issue 7's figures: push throughput, the cost of the outbox in the import's transaction, and the fault run.

`python -m bench.upstream [--records N] [--rows N]` runs, for SQLite and for PostgreSQL, in a child process
with a throw-away database:

1. **Push**: N outbox items (default 20,000) sent by one worker (`services.drain`, batches of 500) to the fake
   upstream on 127.0.0.1, in records per second, beside the fake's own ingest rate measured alone in the
   same run (`bench.upstream_fake.ingest_rate`: batches posted straight over http.client). Goal: ≥ 2,000/s.
2. **Outbox cost**: the import of a file of `--rows` penalties (default 20,000), the business transaction,
   with the four upstreams enabled (one outbox item per record and upstream, written in the same
   transaction) against the same import with none enabled; best of 5 each, alternating, fresh decision
   numbers every time. Goal: ≤ 1.5×.
3. **Fault run**: 1,000 changes, 2 workers, 10 kills with SIGKILL, over a third of the requests failing
   (bench/upstream_faults.py): lost, applied twice, phantoms.

One JSON line per database on stdout; a summary on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench import run_in_child

REPO = Path(__file__).resolve().parents[1]


def _push(records: int) -> dict:
    from bench.upstream_fake import ingest_rate, penalty_fields
    from bench.upstream_faults import queue_changes
    from gongkai.upstream import services
    from gongkai.upstream.fake import FakeUpstream
    from gongkai.upstream.models import Upstream

    alone = ingest_rate(records=records, batch=500)
    with FakeUpstream(token="bench") as fake:
        upstream = Upstream.objects.create(
            code="bench", name="基准平台", endpoint=fake.url, token="bench", batch_size=500, is_enabled=True
        )
        queue_changes(
            upstream,
            range(1, records + 1),
            payload=penalty_fields,
        )
        started = time.perf_counter()
        delivered = services.drain("bench")
        seconds = time.perf_counter() - started
        applied = len(fake.state()["applied"])
        upstream.is_enabled = False
        upstream.save(update_fields=["is_enabled"])
    if delivered != records or applied != records:
        raise AssertionError(f"delivered {delivered}, applied {applied} of {records}")
    return {"records": records, "seconds": seconds, "rate": records / seconds, "fake_alone_rate": alone}


def _penalty_csv(path: Path, rows: int, run: str) -> None:
    """``rows`` penalties whose decision numbers are new in this run (so every import inserts, none replaces)."""
    import csv

    from bench.credit_data import CODES, HEADER, penalty_rows

    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for number, row in enumerate(penalty_rows(rows), start=1):
            row["CF_WSH"] = f"张发改罚〔2026〕{run}-{number}号"
            writer.writerow([row[code] for code in CODES])


def _outbox_cost(rows: int, folder: Path) -> dict:
    """The import (one transaction) with four upstreams enabled against none; best of 5 each, alternating."""
    from bench.credit_data import AUTHORITY
    from gongkai.credit import services as credit_services
    from gongkai.orgs.models import Organization
    from gongkai.upstream.models import OutboxItem, Upstream

    organization = Organization.objects.get(uscc=AUTHORITY)
    upstreams = [
        Upstream.objects.update_or_create(
            code=code, defaults={"name": code, "endpoint": "http://127.0.0.1:9", "token": "x", "is_enabled": False}
        )[0]
        for code in ("xinyong-zibo", "xinyong-shandong", "xinyong-zhongguo", "zibo-portal")
    ]
    timings: dict[str, list[float]] = {"without": [], "with": []}
    for repeat in range(5):
        for label in ("without", "with"):
            Upstream.objects.filter(pk__in=[u.pk for u in upstreams]).update(is_enabled=label == "with")
            path = folder / f"penalties-{label}-{repeat}.csv"
            _penalty_csv(path, rows, f"{label}{repeat}")
            before = OutboxItem.objects.count()
            with path.open("rb") as fileobj:
                started = time.perf_counter()
                _submission, report = credit_services.import_file(
                    fileobj, path.name, record_type="penalty", organization=organization
                )
                timings[label].append(time.perf_counter() - started)
            if report.accepted != rows:
                raise AssertionError(f"{label}: accepted {report.accepted} of {rows}: {report.errors[:3]}")
            written = OutboxItem.objects.count() - before
            expected = rows * len(upstreams) if label == "with" else 0
            if written != expected:
                raise AssertionError(f"{label}: {written} outbox items, expected {expected}")
    # The upstreams' endpoints are a closed port: take them and their items out of the fault run that follows.
    Upstream.objects.filter(pk__in=[u.pk for u in upstreams]).update(is_enabled=False)
    OutboxItem.objects.filter(upstream__in=upstreams).delete()
    without, with_ = min(timings["without"]), min(timings["with"])
    return {"rows": rows, "without": without, "with": with_, "ratio": with_ / without, "timings": timings}


PHASES = ("push", "outbox", "faults")


def child(records: int, rows: int, phases: tuple[str, ...] = PHASES) -> dict:
    sys.path.insert(0, str(REPO))
    from bench.run import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from bench.upstream_faults import fault_run
    from gongkai import demo

    demo.load_district()
    report: dict = {"vendor": connection.vendor}
    if "push" in phases:
        report["push"] = _push(records)
    if "outbox" in phases:
        with tempfile.TemporaryDirectory() as folder:
            report["outbox"] = _outbox_cost(rows, Path(folder))
    if "faults" in phases:
        faults = fault_run(changes=1_000, kills=10, workers=2, failure_rate=0.35)
        report["faults"] = {**faults.__dict__, "failure_share": faults.failure_share}
    return report


def _run_child(vendor: str, records: int, rows: int, phases: tuple[str, ...]) -> dict:
    return run_in_child(
        vendor, "bench.upstream", "--records", str(records), "--rows", str(rows), "--phases", ",".join(phases)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--vendor", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--phases", default=",".join(PHASES), help="comma-separated: push,outbox,faults (all)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    phases = tuple(phase for phase in args.phases.split(",") if phase)
    if set(phases) - set(PHASES):
        parser.error(f"--phases: one or more of {', '.join(PHASES)}")
    if args.child:
        print(json.dumps(child(args.records, args.rows, phases), ensure_ascii=False))
        return 0
    failed = False
    for vendor in args.vendor or ["sqlite", "postgresql"]:
        report = _run_child(vendor, args.records, args.rows, phases)
        print(json.dumps(report, ensure_ascii=False))
        failed |= _summary(vendor, report)
    return 1 if failed else 0


def _summary(vendor: str, report: dict) -> bool:
    """Print each phase's figures beside its goal; True when a goal was missed."""
    failed = False
    if "push" in report:
        push = report["push"]
        print(
            f"{vendor}: push {push['rate']:,.0f} records/s ({push['records']:,} in {push['seconds']:.2f} s, "
            f"batches of 500, one worker) beside the fake alone at {push['fake_alone_rate']:,.0f}/s "
            f"({push['rate'] / push['fake_alone_rate']:.2f} of it); goal ≥ 2,000/s: "
            f"{'met' if push['rate'] >= 2000 else 'NOT met'}",
            file=sys.stderr,
        )
        failed |= push["rate"] < 2000
    if "outbox" in report:
        outbox = report["outbox"]
        print(
            f"{vendor}: import of {outbox['rows']:,} penalties: {outbox['without']:.2f} s without upstreams, "
            f"{outbox['with']:.2f} s with four (one outbox item per record and upstream in the same transaction): "
            f"{outbox['ratio']:.2f}×; goal ≤ 1.5×: {'met' if outbox['ratio'] <= 1.5 else 'NOT met'}",
            file=sys.stderr,
        )
        failed |= outbox["ratio"] > 1.5
    if "faults" in report:
        faults = report["faults"]
        print(
            f"{vendor}: fault run: {faults['changes']} changes, {faults['workers']} workers, "
            f"{faults['kills']} kills, faults injected in {faults['failure_share']:.0%} of the batches meanwhile; "
            f"lost {faults['lost']}, applied twice {faults['applied_twice']}, phantoms {faults['phantoms']}, "
            "re-sent under the same key "
            f"{faults['resent']}",
            file=sys.stderr,
        )
        failed |= bool(faults["lost"] or faults["applied_twice"] or faults["phantoms"])
    return failed


if __name__ == "__main__":
    sys.exit(main())
