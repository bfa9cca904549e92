"""Benchmarks of 双公示 (issue 6): importing penalties, and finding them by name.

Run: ``.venv/bin/python -m bench.credit import|xlsx|search|copy [--rows N]`` (``make bench`` runs the smaller
defaults). Each phase works in a temporary directory: a fresh SQLite database migrated once (or, for ``copy``,
the PostgreSQL database of ``DATABASE_URL``), with the demo district's organisations. Results go to stdout;
progress to stderr. See docs/benchmarks.md for what each phase measures and its figures.

* ``import``: a CSV of N penalty rows (`bench.credit_data`), imported end to end by ``gongkai credit import``
  in a child process (parse, check, store, index for search; peak memory of it and of its checking process
  from ``getrusage``), against the limit measured in the same run on a copy of the same empty database: the
  same rows, already parsed and checked (as the writer would store them), written by a raw ``executemany`` in
  chunks of 10,000 into the same table with its indexes, the name index filled after each chunk by
  ``INSERT … SELECT``.
* ``search`` (after ``import`` in the same run, on its database): name substrings of 3–6 characters drawn
  from random records, answered by the public search (`gongkai.credit.views.find`: page 1 and the capped
  count) against a ``LIKE`` scan answering the same question (Django's Paginator over ``name_norm LIKE``);
  substrings of 1–2 characters compared with an ``instr`` scan (first page and count: 0 mismatches wanted);
  exact USCC and decision numbers.
* ``xlsx``: an XLSX of N rows (written by openpyxl, not timed) imported end to end.
* ``copy`` (PostgreSQL): the writer's COPY path against ``executemany`` of the same pre-parsed rows.
* ``search-pg`` (PostgreSQL): N penalties loaded by the writer, then the measurements of ``search``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHUNK = 10_000


def _note(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _setup(database_url: str | None = None, data_dir: str | None = None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if data_dir:
        os.environ["GONGKAI_DATA_DIR"] = data_dir
    from bench.run import setup_django

    setup_django()


def _migrated_sqlite(folder: Path) -> Path:
    """An empty, migrated SQLite database with the demo organisations, made by a child process."""
    path = folder / "empty.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "GONGKAI_DATA_DIR": str(folder)}
    subprocess.run([sys.executable, "-m", "bench.credit", "_prepare"], cwd=REPO, env=env, check=True)
    return path


def _prepare() -> None:
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gongkai.orgs.demo import load_organizations

    load_organizations()


def _import_child(path: str, org: str) -> dict:
    """Run in a child process: ``gongkai credit import`` of one file; its time and peak memory."""
    _setup()
    from django.core.management import call_command

    started = time.perf_counter()
    out = open(os.devnull, "w")  # noqa: SIM115
    call_command("credit", "import", path, "--org", org, stdout=out)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "checking_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _run_import(database: Path, folder: Path, path: Path) -> dict:
    from bench.credit_data import AUTHORITY

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "GONGKAI_DATA_DIR": str(folder)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.credit", "_import", str(path), AUTHORITY],
        cwd=REPO, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _preparsed(path: Path) -> list[list]:
    """The rows of ``path`` as the checking process sends them (parsed and checked, not timed)."""
    import datetime

    from gongkai.credit import checking

    job = checking.Job(
        path=str(path), name=path.name, record_type="penalty", submitter_uscc="1137030300421716XM",
        today=datetime.date.today().isoformat(),  # noqa: DTZ011
    )  # fmt: skip
    rows: list[list] = []
    with open(path, "rb") as fileobj:
        for message in checking.checked(fileobj, job):
            rows.extend(message.get("rows", []))
    return rows


def _stored_rows(rows: list[list], submission_id: int, source_id: int) -> tuple[list[str], list[tuple]]:
    """The rows exactly as `bulk.Writer` stores them (columns and values), for the baseline."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from gongkai.credit import bulk, periods, policy
    from gongkai.workdays.calendar import current_calendar

    calendar = current_calendar()
    rules = policy.publicity_rules()
    today = timezone.localdate()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = list(bulk.columns("penalty"))
    due: dict[str, str] = {}
    counted: dict[tuple[str, str], tuple] = {}
    stored = []
    for row in rows:
        day, severity = row[6], row[bulk.SEVERITY] or "general"
        if day not in due:
            due[day] = calendar.add_working_days(datetime.date.fromisoformat(day), 7).date.isoformat()
        if (day, severity) not in counted:
            found = periods.periods_of(datetime.date.fromisoformat(day), severity, rules)
            counted[day, severity] = (
                found.min_until.isoformat() if found else None,
                found.max_until.isoformat() if found else None,
                periods.in_publicity(found, today),
            )
        low, high, in_publicity = counted[day, severity]
        public = row[bulk.PUBLISHABLE] and in_publicity
        stored.append(
            (*row[: bulk.PUBLISHABLE], *row[bulk.PUBLISHABLE + 1 : bulk.SEVERITY], severity, due[day], public,
             now if public else None, source_id, submission_id, now, now, 1, low, high)
        )  # fmt: skip
    return columns, stored


def _baseline_sqlite(database: Path, folder: Path, path: Path) -> float:
    """executemany of the pre-parsed rows into credit_penalty, the name index by INSERT … SELECT per chunk."""
    _setup(f"sqlite:///{database}", str(folder))
    from django.db import connection, transaction

    from gongkai.credit import search
    from gongkai.credit.models import Penalty, Submission
    from gongkai.orgs.models import Organization

    rows = _preparsed(path)
    organization = Organization.objects.get(uscc="1137030300421716XM")
    submission = Submission.objects.create(organization=organization, file_name="baseline", outcome="accepted")
    columns, stored = _stored_rows(rows, submission.pk, organization.pk)
    del rows
    sql = f"INSERT INTO credit_penalty ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(stored), CHUNK):
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM credit_penalty")
            (last,) = cursor.fetchone()
            cursor.executemany(sql, stored[start : start + CHUNK])
            search.index(Penalty, "t.id > %s", [last])
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def import_phase(rows: int, folder: Path) -> dict:
    from bench.credit_data import write_csv

    empty = _migrated_sqlite(folder)
    path = folder / "penalties.csv"
    _note(f"credit import: writing {rows:,} rows to {path.name}")
    write_csv(path, rows)
    ours_db, base_db = folder / "import.sqlite3", folder / "baseline.sqlite3"
    shutil.copy(empty, ours_db)
    shutil.copy(empty, base_db)
    _note("credit import: baseline (executemany + INSERT … SELECT into the name index)")
    env = {**os.environ}
    done = subprocess.run(
        [sys.executable, "-m", "bench.credit", "_baseline", str(base_db), str(folder), str(path)],
        cwd=REPO, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    baseline = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
    _note(f"  baseline {baseline:.1f} s ({rows / baseline:,.0f} rows/s)")
    _note("credit import: gongkai credit import")
    ours = _run_import(ours_db, folder, path)
    _note(f"  import {ours['seconds']:.1f} s ({rows / ours['seconds']:,.0f} rows/s)")
    return {
        "rows": rows,
        "file_mb": path.stat().st_size / 1e6,
        "baseline_seconds": baseline,
        "baseline_rows_per_s": rows / baseline,
        "import_seconds": ours["seconds"],
        "import_rows_per_s": rows / ours["seconds"],
        "ratio_to_limit": baseline / ours["seconds"],
        "peak_mb": ours["peak_mb"],
        "checking_peak_mb": ours["checking_peak_mb"],
        "database": str(ours_db),
    }


def xlsx_phase(rows: int, folder: Path) -> dict:
    from bench.credit_data import write_xlsx

    empty = _migrated_sqlite(folder)
    path = folder / "penalties.xlsx"
    _note(f"credit xlsx: writing {rows:,} rows to {path.name} (openpyxl)")
    write_xlsx(path, rows)
    database = folder / "xlsx.sqlite3"
    shutil.copy(empty, database)
    ours = _run_import(database, folder, path)
    _note(f"  import {ours['seconds']:.1f} s")
    return {"rows": rows, "file_mb": path.stat().st_size / 1e6, **ours}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def search_phase(database: Path, folder: Path) -> dict:
    _setup(f"sqlite:///{database}", str(folder))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return measure_search()


@contextlib.contextmanager
def _postgres(folder: Path, rows: int, phase: str):
    """A throw-away PostgreSQL database with the demo organisations, a CSV of ``rows`` penalties, and a
    submission to write them under: yields (path, organization, submission)."""
    from bench.credit_data import write_csv

    _setup(data_dir=str(folder))
    from django.db import connection

    from gongkai.credit.models import Submission
    from gongkai.orgs.demo import load_organizations
    from gongkai.orgs.models import Organization

    assert connection.vendor == "postgresql", f"{phase}: set DATABASE_URL to a PostgreSQL database"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "gongkai_bench_credit"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        load_organizations()
        path = folder / "penalties.csv"
        _note(f"credit {phase}: writing {rows:,} rows")
        write_csv(path, rows)
        organization = Organization.objects.get(uscc="1137030300421716XM")
        submission = Submission.objects.create(organization=organization, file_name=phase, outcome="accepted")
        yield path, organization, submission
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def load_penalties(path: Path, organization, submission) -> float:
    """Write the penalties of the CSV at ``path`` through the import's checks and writer (COPY on PostgreSQL),
    public at once, in one transaction; returns the seconds it took."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from gongkai.credit import bulk, checking, policy
    from gongkai.credit.models import Penalty
    from gongkai.workdays.calendar import current_calendar

    job = checking.Job(
        path=str(path), name=path.name, record_type="penalty", submitter_uscc=organization.uscc,
        today=datetime.date.today().isoformat(),  # noqa: DTZ011
    )  # fmt: skip
    started = time.perf_counter()
    with transaction.atomic(), open(path, "rb") as fileobj:
        writer = bulk.Writer(
            Penalty, submission=submission, calendar=current_calendar(), hold=False, now=timezone.now(),
            today=timezone.localdate(), rules=policy.publicity_rules(),
        )  # fmt: skip
        for message in checking.checked(fileobj, job):
            if "rows" in message:
                writer.write(message["rows"])
        writer.close()
    return time.perf_counter() - started


def search_pg_phase(rows: int, folder: Path) -> dict:
    """PostgreSQL: N penalties written by the import's writer (COPY), then the same measurements."""
    with _postgres(folder, rows, "search-pg") as (path, organization, submission):
        from django.db import connection

        _note(f"  loaded in {load_penalties(path, organization, submission):.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE credit_penalty")
        return measure_search()


def measure_search(queries: int = 200, seed: int = 20261126) -> dict:
    """Name, short-name and exact searches over the penalties of the current database (see the docstring)."""
    from django.core.paginator import Paginator
    from django.db import connection, transaction

    from gongkai.credit.models import Penalty
    from gongkai.credit.search import NAME_COUNT_CAP
    from gongkai.credit.views import PER_PAGE, find

    position = "strpos" if connection.vendor == "postgresql" else "instr"
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM credit_penalty")
        (top,) = cursor.fetchone()
    rng = random.Random(seed)

    def sample(lengths) -> list[str]:
        found = []
        while len(found) < queries:
            record = Penalty.objects.filter(pk=rng.randrange(1, top + 1)).values_list("name_norm", flat=True).first()
            size = rng.choice(lengths)
            if record and len(record) >= size:
                start = rng.randrange(len(record) - size + 1)
                found.append(record[start : start + size])
        return found

    def capped_count(count: int) -> tuple[int, bool]:
        return min(count, NAME_COUNT_CAP), count > NAME_COUNT_CAP

    def timed(work) -> float:
        started = time.perf_counter()
        work()
        return time.perf_counter() - started

    def ours(term: str):
        found, rows, _errors = find("penalty", {"type": "penalty", "q": term})
        return [r.pk for r in rows], found.pager.count, found.pager.count_capped

    def scan(term: str):
        """A LIKE scan: on PostgreSQL with index scans switched off (pg_trgm would otherwise answer it)."""
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                        cursor.execute("SELECT set_config(%s, 'off', true)", [setting])
            matching = Penalty.objects.public().filter(name_norm__contains=term).order_by("-decision_date", "-id")
            page = Paginator(matching, PER_PAGE).page(1)
            return [r.pk for r in page.object_list], page.paginator.count

    long_terms = sample((3, 4, 5, 6))
    _note(f"credit search: {len(long_terms)} names of 3–6 characters")
    ours_times = [timed(lambda t=t: ours(t)) for t in long_terms]
    scan_times = [timed(lambda t=t: scan(t)) for t in long_terms[: max(20, queries // 10)]]
    mismatches = 0
    for term in long_terms[:50]:
        ids, count, capped = ours(term)
        scan_ids, scan_count = scan(term)
        mismatches += ids != scan_ids or capped_count(scan_count) != (count, capped)
    short_terms = sample((1, 2))
    short_times, short_mismatches = [], 0
    for term in short_terms:
        short_times.append(timed(lambda t=term: ours(t)))
        ids, count, capped = ours(term)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM credit_penalty WHERE is_public AND {position}(name_norm, %s) > 0 "
                "ORDER BY decision_date DESC, id DESC LIMIT %s",
                [term, PER_PAGE],
            )
            scan_ids = [pk for (pk,) in cursor.fetchall()]
            cursor.execute(
                f"SELECT count(*) FROM credit_penalty WHERE is_public AND {position}(name_norm, %s) > 0", [term]
            )
            (scan_count,) = cursor.fetchone()
        short_mismatches += ids != scan_ids or capped_count(scan_count) != (count, capped)
    exact = list(
        Penalty.objects.filter(pk__in=[rng.randrange(1, top + 1) for _ in range(queries)]).values_list(
            "subject_uscc", "decision_number"
        )
    )
    exact_terms = [uscc for uscc, _number in exact if uscc] + [number for _uscc, number in exact]
    exact_times = [timed(lambda t=t: ours(t)) for t in exact_terms]
    scan_p50 = statistics.median(scan_times)
    p95 = _percentile(ours_times, 0.95)
    return {
        "records": top,
        "long_queries": len(long_terms),
        "long_p50_ms": statistics.median(ours_times) * 1000,
        "long_p95_ms": p95 * 1000,
        "scan_p50_ms": scan_p50 * 1000,
        "scan_over_p95": scan_p50 / p95,
        "long_mismatches_of_50": mismatches,
        "short_queries": len(short_terms),
        "short_p50_ms": statistics.median(short_times) * 1000,
        "short_p95_ms": _percentile(short_times, 0.95) * 1000,
        "short_mismatches": short_mismatches,
        "exact_queries": len(exact_terms),
        "exact_p95_ms": _percentile(exact_times, 0.95) * 1000,
    }


def copy_phase(rows: int, folder: Path) -> dict:
    """PostgreSQL: the writer (COPY straight in, or into a staging table) against executemany."""
    with _postgres(folder, rows, "copy") as (path, organization, submission):
        from django.db import connection, transaction
        from django.utils import timezone

        from gongkai.credit import bulk, policy
        from gongkai.credit.models import Penalty
        from gongkai.workdays.calendar import current_calendar

        parsed = _preparsed(path)
        columns, stored = _stored_rows(parsed, submission.pk, organization.pk)
        sql = f"INSERT INTO credit_penalty ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"

        def executemany() -> float:
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                for start in range(0, len(stored), CHUNK):
                    cursor.executemany(sql, stored[start : start + CHUNK])
            return time.perf_counter() - started

        def writer() -> float:
            started = time.perf_counter()
            with transaction.atomic():
                write = bulk.Writer(
                    Penalty, submission=submission, calendar=current_calendar(), hold=False, now=timezone.now(),
                    today=timezone.localdate(), rules=policy.publicity_rules(),
                )  # fmt: skip
                for start in range(0, len(parsed), CHUNK):
                    write.write(parsed[start : start + CHUNK])
                write.close()
            return time.perf_counter() - started

        def empty() -> None:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE credit_penalty, credit_recordversion")
                cursor.execute("VACUUM ANALYZE credit_penalty")

        times = {"executemany": [], "copy": []}
        for _round in range(2):
            empty()
            times["executemany"].append(executemany())
            empty()
            times["copy"].append(writer())
        base, ours = min(times["executemany"]), min(times["copy"])
        return {
            "rows": rows,
            "executemany_seconds": base,
            "copy_seconds": ours,
            "ratio": base / ours,
            "executemany_rows_per_s": rows / base,
            "copy_rows_per_s": rows / ours,
        }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_prepare":
        _prepare()
        return 0
    if argv and argv[0] == "_import":
        print(json.dumps(_import_child(argv[1], argv[2])))
        return 0
    if argv and argv[0] == "_baseline":
        print(json.dumps({"seconds": _baseline_sqlite(Path(argv[1]), Path(argv[2]), Path(argv[3]))}))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=["import", "xlsx", "search", "search-pg", "copy"])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="gongkai-bench-credit-"))
    try:
        if args.phase == "import":
            result = import_phase(args.rows, folder)
        elif args.phase == "search":
            imported = import_phase(args.rows, folder)
            result = {"import": imported, "search": search_phase(Path(imported["database"]), folder)}
        elif args.phase == "search-pg":
            result = search_pg_phase(args.rows, folder)
        elif args.phase == "xlsx":
            result = xlsx_phase(args.rows, folder)
        else:
            result = copy_phase(args.rows, folder)
        print(json.dumps(result, ensure_ascii=False, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
