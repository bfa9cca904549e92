"""`make bench` runs `python -m bench.run`: the fast add_working_days must agree with the day-by-day loops."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_benchmark_checks_the_fast_path_against_the_loops_and_prints_the_ratios():
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--samples", "2000", "--markdown", "--only", "workdays"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "add_working_days, 2,000 random starts 2004-01-01..2026-06-30, n in 1..40"
    assert lines[1].startswith("  baseline (day-by-day loop over WorkCalendar.is_working_day): ")
    assert lines[3].startswith("  ratio: ") and lines[3].endswith("× faster")
    assert "day-by-day loop over chinese_calendar.is_workday" in done.stdout
    rows = [line for line in lines if line.startswith("| add_working_days")]
    assert len(rows) == 2
    assert " cores, Python " in rows[0]
