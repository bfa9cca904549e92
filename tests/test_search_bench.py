"""`python -m bench.run --only search`: search against a LIKE scan on both databases, and they must agree."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_search_benchmark_runs_on_both_databases_and_checks_search_against_the_scan():
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--only", "search", "--docs", "400", "--markdown"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report, summary = done.stderr, done.stdout
    # The report, query by query, on stderr; every query was checked against the scan.
    assert "search, SQLite 3." in report and "search, PostgreSQL " in report
    assert report.count("scan p50 / search p95 = ") == 4
    assert "DISAGREEMENT" not in report
    # bench.run's summary lines and table rows on stdout.
    lines = summary.splitlines()
    assert lines[0] == "search, SQLite, 400 publications, 3+ characters (15 queries; search p95 vs scan p50)"
    for database in ("SQLite", "PostgreSQL"):
        for kind in ("3+", "1-2"):
            assert f"| search, {database}, 400 publications, {kind} characters" in summary
