"""Full-text search against a `LIKE '%…%'` scan of the same text, on SQLite and on PostgreSQL.

For each database, in a child process with its own throw-away database (an SQLite file in a temporary
directory; a PostgreSQL database created on 127.0.0.1 as ``postgres`` and dropped afterwards):

1. generate ``--docs`` publications (100,000 by default) of about 2 KB each — a title, a summary and an
   HTML body drawn with a fixed seed from a vocabulary of common government words, some ASCII and a few
   rare words — and load them with raw ``executemany`` through Django's connection;
2. index them with `gongkai.search.services.rebuild_index` (the code `gongkai search rebuild` runs);
3. for a fixed set of queries — three or more characters, common and rare, and one or two characters —
   time `search_publications` (the first page of 20 with its capped count, highlighted, publications
   loaded) and the scan ``SELECT publication_id FROM search_document WHERE title_norm LIKE … OR body_norm
   LIKE … OR meta_norm LIKE …`` (every match, the way a search without an index would find them);
4. check that both find the same publications: every query's full result set must equal the scan's, and
   its count the scan's count capped at 10,000 — a disagreement fails the run.

The goals (issue 3): for queries of three or more characters, the search's p95 at most 1/100 of the
scan's p50; for one and two characters, results identical to the scan at ≤ 0.2× its time (p95 against
the scan's p50 here).

Run: ``python -m bench.run --only search [--docs N]``, or ``python -m bench.search [--docs N]``.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import random
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import Result, run_in_child

SEED = 20261125
REPO = Path(__file__).resolve().parent.parent
REPEATS = 7  # timed runs of each search (after one untimed run)
SCAN_REPEATS = 2

WORDS = """
关于 印发 通知 实施 方案 工作 推进 加强 管理 服务 建设 发展 改革 经济 社会 企业
项目 政府 部门 单位 区域 街道 社区 群众 安全 生产 环境 保护 生态 文明 城市 乡村
振兴 农业 农村 工业 信息化 数字 政务 公开 信息 办法 规定 条例 意见 决定 公告 通报
报告 计划 规划 统计 数据 财政 预算 决算 资金 专项 补贴 审计 监督 检查 行政 许可
处罚 审批 备案 登记 申请 受理 办理 答复 期限 法律 法规 政策 解读 文件 标准 规范
制度 机制 体系 教育 卫生 健康 医疗 养老 就业 社会保障 住房 交通 运输 道路 水利
能源 电力 科技 创新 人才 文化 旅游 体育 市场 监管 质量 价格 消费 商务 招商 投资
营商环境 优化 提升 完善 落实 开展 组织 领导 责任 考核 评估 整改 张店区 淄博市 山东省
人民政府 发展和改革局 委员会 办公室 局 中心 年度 季度 月份 第一 第二 第三 有关 事项
应急 防汛 消防 疫情 防控 食品 药品 特种设备 安全生产 隐患 排查 治理 宣传 培训 会议
精神 重要 讲话 部署 公共 基础设施 新型 城镇化 高质量 产业 转型 升级 新能源 材料
制造 园区 平台 合作 协调 联动 共享 开放 便民 的 和 与 及 在 对 为 按照 根据
进一步 全面 切实 认真 做好 各 级 全区 全市 各镇 各部门 要求 目标 任务 措施
""".split()  # noqa: SIM905 - a vocabulary reads better as text
ASCII_WORDS = [
    "2025年",
    "2026年",
    "GDP",
    "PM2.5",
    "5G",
    "APP",
    "ISO9001",
    "No.1",
    "A级",
    "CPI",
    "12345",
    "e-mail",
]
RARE_WORDS = [
    "瑞博",
    "齐鲁",
    "稷下",
    "鲁泰",
    "华光",
    "傅山",
    "湖田",
    "马尚",
    "铝业",
    "陶瓷",
    "琉璃",
    "蹴鞠",
    "淄河",
    "孝妇河",
]
_CUMULATIVE = list(itertools.accumulate(1.0 / (rank + 1) ** 0.7 for rank in range(len(WORDS))))

# (label, query): three or more characters, common then rare; then one and two characters.
LONG_QUERIES = [
    ("common", "营商环境"),
    ("common", "安全生产"),
    ("common", "人民政府"),
    ("common", "的工作"),
    ("common", "关于印发"),
    ("common", "发展和改革局"),
    ("common", "pm2.5"),
    ("common", "高质量发展"),
    ("rare", "孝妇河"),
    ("rare", "琉璃瓦"),
    ("rare", "铝业整改"),
    ("rare", "淄河稷下"),
    ("rare", "iso9001认证"),
    ("rare", "不存在的词语"),
    ("rare", "张店区中华人民共和国"),
]
SHORT_QUERIES = [
    ("common", "的"),
    ("common", "关于"),
    ("common", "局"),
    ("common", "安全"),
    ("common", "5g"),
    ("rare", "蹴"),
    ("rare", "淄河"),
    ("rare", "蹴鞠"),
    ("rare", "琉"),
    ("rare", "鞠蹴"),
    ("rare", "魑"),
    ("rare", "zq"),
]


def _words(rng: random.Random, count: int) -> list[str]:
    words = rng.choices(WORDS, cum_weights=_CUMULATIVE, k=count)
    for index in range(count):
        draw = rng.random()
        if draw < 0.03:
            words[index] = ASCII_WORDS[int(draw * 10_000) % len(ASCII_WORDS)]
        elif draw < 0.034:
            words[index] = RARE_WORDS[int(draw * 100_000) % len(RARE_WORDS)]
    return words


def _sentence(rng: random.Random, size: int) -> str:
    out, used = [], 0
    for word in _words(rng, size):
        out.append(word)
        used += len(word)
        if used >= size:
            break
    return "".join(out)


def generate(docs: int, seed: int = SEED):
    """``(title, summary, body_html)`` of ``docs`` publications, about 2 KB of UTF-8 each, repeatably."""
    rng = random.Random(seed)
    for _ in range(docs):
        title = _sentence(rng, rng.randint(10, 24))
        summary = _sentence(rng, 50)
        paragraphs = ["<p>" + _sentence(rng, 140) + "。</p>" for _ in range(4)]
        yield title, summary, "".join(paragraphs)


# --- the child process: one database ------------------------------------------------------------------


@dataclass
class QueryTiming:
    label: str
    query: str
    length: int
    matches: int
    search_ms: list[float]
    scan_ms: list[float]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _load(docs: int, organizations: int = 1) -> tuple[float, list[int]]:
    """Publications straight into the catalogue table, spread over ``organizations`` publishers in turn (issue
    10: a district of many organisations on one installation); returns the seconds it took and the
    publishers' ids."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.catalog.models import Column, Publication
    from gongkai.lib.identifiers import uscc_check_char
    from gongkai.orgs.models import Organization, User

    publishers = []
    for number in range(organizations):
        first17 = f"113703030042{17001 + number:05d}"
        publishers.append(
            Organization.objects.create(
                name="张店区发展和改革局" if number == 0 else f"张店区第{number}机关",
                slug=f"bench{number}",
                uscc=first17 + uscc_check_char(first17),
            )
        )
    author = User.objects.create(username="bench", organization=publishers[0])
    columns = list(Column.objects.values_list("pk", flat=True))
    table = Publication._meta.db_table
    names = [
        "publisher_id", "title", "doc_no", "issued_on", "summary", "body", "keywords", "column_id",
        "validity",
        "status", "index_no", "published_at", "author_id", "return_reason", "withdrawal_reason", "created_at",
        "updated_at",
    ]  # fmt: skip
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    started = time.perf_counter()
    rows = []
    for n, (title, summary, body) in enumerate(generate(docs)):
        published = start + datetime.timedelta(seconds=n * 1800 + n % 7)
        bureau = publishers[n % organizations]
        rows.append(
            (
                bureau.pk, title, f"张发改字〔{published.year}〕{n + 1}号", published.date(), summary, body,
                "",
                columns[n % len(columns)], "", "published", f"{bureau.uscc}/{published.year}-{n + 1:06d}",
                adapt(published), author.pk, "", "", now, now,
            )
        )  # fmt: skip
        if len(rows) == 5000:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            rows = []
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return time.perf_counter() - started, [publisher.pk for publisher in publishers]


def _database_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def _scan(query: str, publisher: int | None = None) -> set[int]:
    from django.db import connection

    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    only = "" if publisher is None else f"publisher_id = {int(publisher)} AND "
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT publication_id FROM search_document WHERE {only}(title_norm LIKE %s ESCAPE '\\' "
            "OR body_norm LIKE %s ESCAPE '\\' OR meta_norm LIKE %s ESCAPE '\\')",
            [pattern, pattern, pattern],
        )
        return {row[0] for row in cursor.fetchall()}


def child(docs: int, organizations: int = 1) -> dict:
    sys.path.insert(0, str(REPO))
    from bench.run import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.catalog.filters import CatalogFilters
    from gongkai.search import services

    call_command("migrate", verbosity=0)
    load_seconds, publishers = _load(docs, organizations)
    started = time.perf_counter()
    indexed = services.rebuild_index()
    index_seconds = time.perf_counter() - started
    if indexed != docs:
        raise AssertionError(f"rebuild_index indexed {indexed} of {docs} publications")

    timings, disagreements = [], []
    # District-wide, then (with more than one organisation) within one organisation's publications.
    scopes = [("district", None)] + ([("organisation", publishers[1])] if organizations > 1 else [])
    for (scope, publisher), (label, query) in itertools.product(scopes, [*LONG_QUERIES, *SHORT_QUERIES]):
        filters = CatalogFilters(publisher_ids=(publisher,)) if publisher else None
        services.search_publications(query, filters)  # once untimed: the first query pays for the cold cache
        search_ms = []
        for _ in range(REPEATS):
            began = time.perf_counter()
            page = services.search_publications(query, filters)
            search_ms.append((time.perf_counter() - began) * 1000)
        scan_ms, scanned = [], set()
        for _ in range(SCAN_REPEATS):
            began = time.perf_counter()
            scanned = _scan(query, publisher)
            scan_ms.append((time.perf_counter() - began) * 1000)
        every = services.matching_publication_ids(query, filters)
        if set(every) != scanned or len(every) != len(set(every)):
            repeated = sorted(pk for pk, times in collections.Counter(every).items() if times > 1)
            disagreements.append(
                f"{scope} {query}: search {len(every)} vs scan {len(scanned)}; found twice {repeated[:10]}, "
                f"only by the search {sorted(set(every) - scanned)[:10]}, "
                f"only by the scan {sorted(scanned - set(every))[:10]}"
            )
        if (page.count, page.count_capped) != (min(len(scanned), 10_000), len(scanned) > 10_000):
            disagreements.append(f"{scope} {query}: count {page.count} vs scan {len(scanned)}")
        if len(page.hits) != min(20, len(scanned)):
            disagreements.append(f"{scope} {query}: {len(page.hits)} hits on page 1 vs scan {len(scanned)}")
        timing = asdict(QueryTiming(label, query, len(query), len(scanned), search_ms, scan_ms))
        timings.append(timing | {"scope": scope})
    return {
        "vendor": connection.vendor,
        "version": connection.Database.sqlite_version if connection.vendor == "sqlite" else connection.pg_version,
        "docs": docs,
        "organizations": organizations,
        "load_seconds": load_seconds,
        "index_seconds": index_seconds,
        "database_bytes": _database_size(),
        "timings": timings,
        "disagreements": disagreements,
    }


# --- the parent: one child per database ---------------------------------------------------------------


def _run_child(vendor: str, docs: int, organizations: int = 1) -> dict:
    return run_in_child(vendor, "bench.search", "--docs", str(docs), "--organizations", str(organizations))


@dataclass(frozen=True)
class Summary:
    vendor: str
    kind: str  # "3+" or "1-2"
    scope: str  # "district" (every organisation) or "organisation" (one of them)
    queries: int
    search_p50_ms: float
    search_p95_ms: float
    scan_p50_ms: float

    @property
    def ratio(self) -> float:
        """The scan's p50 over the search's p95."""
        return self.scan_p50_ms / self.search_p95_ms

    @property
    def goal(self) -> float:
        return 100.0 if self.kind == "3+" else 5.0

    @property
    def met(self) -> bool:
        return self.ratio >= self.goal


def summarise(report: dict) -> list[Summary]:
    out = []
    kinds = (("3+", lambda n: n >= 3), ("1-2", lambda n: n <= 2))
    scopes = sorted({row.get("scope", "district") for row in report["timings"]}, key=("district", "organisation").index)
    for scope, (kind, wanted) in itertools.product(scopes, kinds):
        rows = [row for row in report["timings"] if wanted(row["length"]) and row.get("scope", "district") == scope]
        search = [ms for row in rows for ms in row["search_ms"]]
        scans = [statistics.median(row["scan_ms"]) for row in rows]
        out.append(
            Summary(
                vendor=report["vendor"],
                kind=kind,
                scope=scope,
                queries=len(rows),
                search_p50_ms=statistics.median(search),
                search_p95_ms=_percentile(search, 0.95),
                scan_p50_ms=statistics.median(scans),
            )
        )
    return out


def print_report(report: dict, summaries: list[Summary], out=None) -> None:
    """The figures of one database, query by query, and the goals (to stderr: ``bench.run`` prints the
    summary lines of every benchmark to stdout, in its own format)."""
    out = out or sys.stderr

    def line(text: str) -> None:
        print(text, file=out)

    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[report["vendor"]]
    line(
        f"search, {name} {report['version']}, {report['docs']:,} publications of "
        f"{report.get('organizations', 1)} organisation(s)"
    )
    line(
        f"  load {report['docs'] / report['load_seconds']:,.0f} publications/s; index (rebuild_index) "
        f"{report['index_seconds']:.1f} s ({report['docs'] / report['index_seconds']:,.0f}/s); "
        f"database {report['database_bytes'] / 1e6:,.0f} MB"
    )
    for row in report["timings"]:
        line(
            f"  {row.get('scope', 'district'):<12} {row['query']!r:<24} {row['label']:<6} "
            f"{row['matches']:>7,} matches  "
            f"search p50 {statistics.median(row['search_ms']):7.2f} ms  "
            f"scan {statistics.median(row['scan_ms']):8.1f} ms"
        )
    district = {summary.kind: summary for summary in summaries if summary.scope == "district"}
    for summary in summaries:
        verdict = "met" if summary.met else "NOT MET"
        # A search within one organisation, also against the scan of the whole district's text it searches in.
        also = (
            f"; district scan p50 / search p95 = {district[summary.kind].scan_p50_ms / summary.search_p95_ms:.0f}×"
            if summary.scope != "district" and summary.kind in district
            else ""
        )
        line(
            f"  {summary.scope}, {summary.kind} characters ({summary.queries} queries): "
            f"search p50 {summary.search_p50_ms:.2f} ms, "
            f"p95 {summary.search_p95_ms:.2f} ms; scan p50 {summary.scan_p50_ms:.1f} ms; "
            f"scan p50 / search p95 = {summary.ratio:.0f}× (goal ≥ {summary.goal:.0f}×): {verdict}{also}"
        )
    for disagreement in report["disagreements"]:
        line(f"  DISAGREEMENT {disagreement}")


def run(
    docs: int = 100_000, vendors: tuple[str, ...] = ("sqlite", "postgresql"), organizations: int = 1
) -> list[Result]:
    results = []
    failures = []
    for vendor in vendors:
        report = _run_child(vendor, docs, organizations)
        summaries = summarise(report)
        print_report(report, summaries)
        failures += report["disagreements"]
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[vendor]
        for summary in summaries:
            district = f" of {organizations} organisations, {summary.scope}" if organizations > 1 else ""
            results.append(
                Result(
                    name=f"search, {name}, {docs:,} publications{district}, {summary.kind} characters "
                    f"({summary.queries} queries; search p95 vs scan p50)",
                    samples=1,  # seconds is the time of one search (its p95)
                    baseline="LIKE '%…%' scan p50",
                    baseline_seconds=summary.scan_p50_ms / 1000,
                    seconds=summary.search_p95_ms / 1000,
                )
            )
    if failures:
        raise AssertionError(f"search and the LIKE scan disagree: {failures}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument(
        "--organizations", type=int, default=1, help="publishers the documents are spread over (issue 10: 50)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--vendor", action="append", choices=["sqlite", "postgresql"])
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.docs, args.organizations)))
        return 0
    run(args.docs, tuple(args.vendor or ("sqlite", "postgresql")), args.organizations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
