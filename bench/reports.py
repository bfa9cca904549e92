"""Issue 8's figure: counting a year's annual report from 100,000 requests and 1,000,000 credit records.

`python -m bench.reports [--requests N] [--records N]` runs in a child process with a throw-away SQLite
database: the demo district's organisations, then N requests of the bureau received over 2024–2026 (each
applicant kind and outcome, one in fifty still open, a remedy for one in fifty), N credit records (half
licences, half penalties) decided over 2024–2026 by twenty authorities, the bureau one of them, each with a
~400-byte ``data`` like an imported record's, and 5,000 publications, written by ``INSERT … SELECT`` over a
recursive counter. Then `gongkai.reports.figures.count(bureau, 2025)` (all three tables, every query), best
of 5, beside one ``COUNT(*)`` over each of the same tables (requests, licences, penalties) in the same run.
Goal: ≤ 2 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench import run_in_child

REPO = Path(__file__).resolve().parents[1]
AUTHORITIES = 20
FILLER = "（行政处罚事由、依据、结果等内容，按实际报送的长度填充）" * 6


def _fill(requests: int, records: int) -> None:
    from django.db import connection

    from gongkai.catalog.models import Column, Genre
    from gongkai.credit.models import Submission
    from gongkai.orgs.demo import BUREAU_USCC
    from gongkai.orgs.models import Organization, User
    from gongkai.requests import outcomes

    bureau = Organization.objects.get(uscc=BUREAU_USCC)
    submission = Submission.objects.create(
        organization=bureau, file_name="bench.csv", record_type="penalty", outcome="accepted"
    )
    codes = [o.code for o in outcomes.OUTCOMES]
    kinds = ["natural", "commercial", "research", "public_interest", "legal_services", "other"]
    authorities = [BUREAU_USCC] + [f"11370303BENCH{n:04d}X" for n in range(1, AUTHORITIES)]
    counter = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
    pick = "CASE i %% {size} " + "{whens} END"

    def case(values: list[str], size: int) -> str:
        whens = " ".join(f"WHEN {index} THEN '{value}'" for index, value in enumerate(values))
        return pick.format(size=size, whens=whens)

    with connection.cursor() as cursor:
        for table, extra_columns, extra_values in (
            ("credit_licence", "category, valid_from, valid_to", "'普通', date('2024-01-01'), date('2030-01-01')"),
            ("credit_penalty", "categories, fine, confiscated", "'罚款', 5000, NULL"),
        ):
            cursor.execute(
                counter + f"INSERT INTO {table} (authority_uscc, decision_number, subject_name, name_norm, "
                "subject_kind, subject_uscc, decision_date, status, data, publicity_due, is_public, created_at, "
                f"updated_at, source_id, submission_id, version, {extra_columns}) "
                f"SELECT {case(authorities, AUTHORITIES)}, 'BENCH' || i || '号', '淄博某某商贸有限公司' || i, "
                "'淄博某某商贸有限公司' || i, '法人及非法人组织', '', "
                "date('2024-01-01', '+' || (i %% 1000) || ' days'), "
                "CASE WHEN i %% 97 = 0 THEN '撤销' ELSE '有效' END, json_object('WSH', 'BENCH' || i, 'NR', %s), "
                "date('2024-01-01'), 0, datetime('now'), datetime('now'), %s, %s, 1, "
                f"{extra_values} FROM n",
                [records // 2, FILLER, bureau.pk, submission.pk],
            )
        cursor.execute(
            counter + "INSERT INTO disclosure_requests_disclosurerequest (tracking_code, channel, received_on, "
            "receipt_evidence, applicant_kind, applicant_name, identity_number, contact_person, phone, email, "
            "address, postcode, description, document_number, form_wanted, delivery, outcome, reasons, closed_on, "
            "delivered_on, delivery_method, submitted_from, created_at, organization_id) "
            "SELECT 'BENCH' || i, 'online', date('2024-01-01', '+' || (i %% 1095) || ' days'), '', "
            f"{case(kinds, len(kinds))}, '申请人', 'x', '', '13905330000', '', '', '', '……', '', 'electronic', "
            f"'email', CASE WHEN i %% 50 = 0 THEN '' ELSE {case(codes, len(codes))} END, '', "
            "CASE WHEN i %% 50 = 0 THEN NULL ELSE date('2024-01-01', '+' || (i %% 1095 + 15) || ' days') END, "
            "NULL, '', '', datetime('now'), %s FROM n",
            [requests, bureau.pk],
        )
        cursor.execute(
            "INSERT INTO disclosure_requests_remedy (kind, filed_on, result, decided_on, note, request_id) "
            "SELECT CASE id % 3 WHEN 0 THEN 'reconsideration' WHEN 1 THEN 'direct_litigation' "
            "ELSE 'after_reconsideration' END, date(received_on, '+40 days'), "
            "CASE id % 4 WHEN 0 THEN 'upheld' WHEN 1 THEN 'corrected' WHEN 2 THEN 'other' ELSE 'pending' END, "
            "CASE WHEN id % 4 = 3 THEN NULL ELSE date(received_on, '+100 days') END, '', id "
            "FROM disclosure_requests_disclosurerequest WHERE id % 50 = 1"
        )
        cursor.execute(
            counter + "INSERT INTO catalog_publication (publisher_id, title, doc_no, issued_on, summary, body, "
            "keywords, column_id, genre_id, validity, status, author_id, return_reason, withdrawal_reason, "
            "created_at, updated_at, published_at) "
            "SELECT %s, '文件' || i, '', date('2020-01-01', '+' || (i %% 2400) || ' days'), '', '<p>正文</p>', '', "
            "%s, %s, 'valid', 'published', %s, '', '', datetime('now'), datetime('now'), datetime('now') FROM n",
            [
                5_000,
                bureau.pk,
                Column.objects.get(code="regulations").pk,
                Genre.objects.filter(report_category="normative").first().pk,
                User.objects.get(username="publisher").pk,
            ],
        )
        cursor.execute("ANALYZE")


def child(requests: int, records: int) -> dict:
    sys.path.insert(0, str(REPO))
    from bench.run import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from gongkai import demo
    from gongkai.orgs.demo import BUREAU_USCC
    from gongkai.orgs.models import Organization
    from gongkai.reports import checks, figures

    demo.load_district()
    started = time.perf_counter()
    _fill(requests, records)
    filled = time.perf_counter() - started
    bureau = Organization.objects.get(uscc=BUREAU_USCC)

    def timed(work) -> float:
        started = time.perf_counter()
        work()
        return time.perf_counter() - started

    def count_star() -> None:
        with connection.cursor() as cursor:
            for table in ("disclosure_requests_disclosurerequest", "credit_licence", "credit_penalty"):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                cursor.fetchone()

    baseline = min(timed(count_star) for _ in range(5))
    counted = {}
    report = min(timed(lambda: counted.update(figures.count(bureau, 2025))) for _ in range(5))
    return {
        "vendor": connection.vendor,
        "requests": requests,
        "records": records,
        "fill_seconds": filled,
        "report_seconds": report,
        "count_star_seconds": baseline,
        "new": counted["table3"]["new"][-1],
        "licences": counted["table2"]["licence"],
        "penalties": counted["table2"]["penalty"],
        "failures": len(checks.check(counted)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.requests, args.records), ensure_ascii=False))
        return 0
    report = run_in_child("sqlite", "bench.reports", "--requests", str(args.requests), "--records", str(args.records))
    print(json.dumps(report, ensure_ascii=False))
    seconds, baseline = report["report_seconds"], report["count_star_seconds"]
    print(
        f"sqlite: annual report figures for 2025 from {report['requests']:,} requests and {report['records']:,} "
        f"credit records: {seconds:.3f} s (best of 5) beside COUNT(*) over the three tables {baseline:.3f} s "
        f"({seconds / baseline:.1f}×); {report['new']:,} received, {report['licences']:,} licences and "
        f"{report['penalties']:,} penalties counted, {report['failures']} identity failures; "
        f"goal ≤ 2 s: {'met' if seconds <= 2 else 'NOT met'}",
        file=sys.stderr,
    )
    return 0 if seconds <= 2 and report["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
