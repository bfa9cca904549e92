"""Run every benchmark and print its timings: `make bench` (`python -m bench.run`).

Django is set up as the tests set it up (gongkai.settings; a throw-away SECRET_KEY and HTTPS off when
unset) so that benchmarks may use the app code; the working-day benchmark needs no database.
Each result is printed as a line and, with --markdown, as a row for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from datetime import UTC, datetime

BENCHMARKS = ("workdays", "catalog", "search", "credit", "screening")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-" + "x" * 20)
    os.environ.setdefault("GONGKAI_HTTPS", "false")
    import django

    django.setup()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def ratio_text(ratio: float) -> str:
    """How a result compares: "7.0× faster", or "102× the baseline's time" when the baseline does less work
    (screening against one plain pattern)."""
    return f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:.0f}× the baseline's time"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gongkai benchmarks")
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--markdown", action="store_true", help="also print table rows for docs/benchmarks.md")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run only these (repeatable)")
    parser.add_argument("--docs", type=int, help="publications in the search benchmark (default: --samples)")
    args = parser.parse_args(argv)
    setup_django()

    from bench import catalog, screening, search, workdays

    only = set(args.only or BENCHMARKS)
    results = [
        *(workdays.run(samples=args.samples) if "workdays" in only else []),
        *(catalog.run(rows=args.samples) if "catalog" in only else []),
        *(search.run(docs=args.docs or args.samples) if "search" in only else []),
        *(screening.run() if "screening" in only else []),  # ~20 MB of text, whatever --samples says
    ]
    if "credit" in only:  # its own processes and databases, and its own report (JSON)
        import subprocess

        for phase in ("search", "xlsx"):
            subprocess.run([sys.executable, "-m", "bench.credit", phase, "--rows", str(args.samples)], check=True)
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    for result in results:
        print(result.name)
        print(f"  baseline ({result.baseline}): {result.baseline_seconds * 1000:.1f} ms")
        print(f"  result: {result.seconds * 1000:.1f} ms ({result.seconds / result.samples * 1e6:.2f} µs per call)")
        print(f"  ratio: {ratio_text(result.ratio)}")
    if args.markdown:
        print()
        for result in results:
            print(
                f"| {result.name} | {result.baseline}: {result.baseline_seconds * 1000:.1f} ms "
                f"| {result.seconds * 1000:.1f} ms | "
                f"{f'{result.ratio:.1f}×' if result.ratio >= 1 else ratio_text(result.ratio)} | {machine()} | {when} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
