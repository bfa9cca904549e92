"""`gongkai report …`: annual reports from the command line, a thin shell over `parse`, `checks` and `compare`."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.reports import checks, compare, export, layout, parse

EXPORTS = {"html": export.to_html, "docx": export.to_docx, "xlsx": export.to_xlsx, "json": export.to_json}

EXIT_STATUS = """退出状态 / exit status:
  0  读取完整，勾稽关系全部成立 / read completely and every identity holds
  1  有不成立的勾稽关系，或有内容无法读取 / an identity fails, or part of the report could not be read
  2  不能作为年度报告读取（没有找到统计表） / not readable as an annual report (no tables found)"""

COMPARE_EXIT_STATUS = """退出状态 / exit status:
  0  读取完整，上年结转与上一年的结转下年度一致 / read completely and the carried-over figures agree
  1  上年结转不一致，或有内容无法读取 / the carried-over figures differ, or part of a report could not be read
  2  有一份不能作为年度报告读取（没有找到统计表） / a file is not readable as an annual report (no tables found)"""


class Command(BaseCommand):
    help = (
        "政府信息公开工作年度报告 / Annual reports: annual --org USCC --year Y --format F -o FILE, "
        "check FILE [--last FILE], compare EARLIER LATER."
    )
    requires_system_checks = []  # check and compare read files only; annual reads the database

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        kwargs.setdefault("epilog", EXIT_STATUS)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        from argparse import RawDescriptionHelpFormatter

        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser(
            "check",
            help="读取一份报告（HTML、DOCX或文本），列出无法读取的内容和不成立的勾稽关系 / read a report (HTML, DOCX "
            "or text) and list what could not be read and each identity that fails",
            epilog=EXIT_STATUS,
            formatter_class=RawDescriptionHelpFormatter,
        )
        p.add_argument("file", metavar="FILE")
        p.add_argument(
            "--last",
            metavar="FILE",
            help="上一年度的报告：核对上年结转 / last year's report: check 上年结转 against it",
        )
        p.add_argument("--json", action="store_true", help="每行一个JSON对象 / one JSON object a line")

        p = sub.add_parser(
            "compare",
            help="同一机关相邻两年的报告对照：变化的数字、上年结转与上年结转下年度 / two consecutive years side by "
            "side: the figures that changed, and 上年结转 against last year's 结转下年度",
            epilog=COMPARE_EXIT_STATUS,
            formatter_class=RawDescriptionHelpFormatter,
        )
        p.add_argument("earlier", metavar="EARLIER_FILE")
        p.add_argument("later", metavar="LATER_FILE")
        p.add_argument("--json", action="store_true", help="每行一个JSON对象 / one JSON object a line")

        p = sub.add_parser(
            "annual",
            help="导出本系统中一个机关的年度报告（尚未编制的，按系统数据即时统计，不保存） / export an organisation's "
            "report from the system (one not yet prepared is counted from the data now, not saved)",
        )
        p.add_argument("--org", required=True, metavar="USCC", help="机关的统一社会信用代码 / the organisation's USCC")
        p.add_argument("--year", required=True, type=int, help="年度 / the year reported on")
        p.add_argument("--format", required=True, choices=sorted(EXPORTS), help="导出格式 / export format")
        p.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="输出文件，- 为标准输出 / output file, - for stdout"
        )

    def handle(self, *args, **options):
        # One method per action: a new subcommand is one more `add_parser` and one `run_<action>`.
        return getattr(self, f"run_{options['action']}")(options)

    # --- annual --------------------------------------------------------------------------------------------

    def run_annual(self, options) -> None:
        from gongkai.lib import identifiers
        from gongkai.orgs.models import Organization
        from gongkai.reports import services
        from gongkai.reports.models import AnnualReport

        uscc = identifiers.normalize(options["org"])
        organization = Organization.objects.filter(uscc=uscc).first()
        if organization is None:
            raise CommandError(f"没有统一社会信用代码为 {uscc} 的机构。 No organisation has the USCC {uscc}.")
        report = AnnualReport.objects.for_year(organization, options["year"])
        if report is not None and report.format != layout.FORMAT_2021:
            raise CommandError(
                f"{report.title}是导入的{report.format}格式报告，只能导出2021年格式的报告。 "
                f"This is an imported report in the {report.format} format: only 2021-format reports are exported."
            )
        if report is None:
            report = services.counted_now(organization, options["year"])
            self.stderr.write(
                f"{organization.name}尚未编制{options['year']}年度报告：以下按系统数据即时统计 / no report prepared: "
                "counted from the data now"
            )
        content = EXPORTS[options["format"]](services.document_of(report))
        if options["output"] != "-":
            Path(options["output"]).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            self.stderr.write(options["output"])
        elif isinstance(content, str):
            self.stdout.write(content)
        else:
            raise CommandError(f"{options['format']} 须写入文件（-o FILE） / {options['format']} needs -o FILE")
        failures = services.problems(report)
        for failure in failures:
            self.stderr.write(f"勾稽关系不成立 / identity fails: {failure.message}")
        if failures:
            raise SystemExit(1)

    # --- check ---------------------------------------------------------------------------------------------

    def run_check(self, options) -> None:
        report = self._read(options["file"], json_lines=options["json"])
        last = self._read(options["last"], json_lines=options["json"]) if options["last"] else None
        failures = checks.check(report.figures, last_year=last.figures if last else None)
        if options["json"]:
            self._line(type="report", **self._facts(report))
            for problem in report.problems:
                self._line(type="problem", message=problem)
            for failure in failures:
                self._line(type="failure", **failure.as_json())
        else:
            self.stdout.write(self._heading(report))
            self._problems(report.problems)
            if failures:
                self.stdout.write(f"不成立的勾稽关系 {len(failures)} 项 / {len(failures)} identities fail:")
                for failure in failures:
                    self.stdout.write(f"  [{failure.identity}] {'、'.join(failure.cells)}")
                    self.stdout.write(f"      {failure.left} ≠ {failure.right}")
                    self.stdout.write(f"      {failure.message}")
            elif not report.problems:
                self.stdout.write("勾稽关系全部成立 / every identity holds")
        if failures or report.problems:
            raise SystemExit(1)

    # --- compare -------------------------------------------------------------------------------------------

    def run_compare(self, options) -> None:
        earlier = self._read(options["earlier"], json_lines=options["json"])
        later = self._read(options["later"], json_lines=options["json"])
        result = compare.comparison(earlier.figures, later.figures)
        warnings = []
        if earlier.year and later.year and later.year != earlier.year + 1:
            warnings.append(f"两份报告不是相邻年度（{earlier.year}、{later.year}） / the reports are not of "
                            f"consecutive years ({earlier.year}, {later.year})")  # fmt: skip
        if earlier.organization and later.organization and earlier.organization != later.organization:
            warnings.append(f"两份报告的机关不同（{earlier.organization}、{later.organization}） / the reports are "
                            "of different organisations")  # fmt: skip
        if options["json"]:
            self._line(type="earlier", **self._facts(earlier))
            self._line(type="later", **self._facts(later))
            for warning in warnings:
                self._line(type="warning", message=warning)
            for which, report in (("earlier", earlier), ("later", later)):
                for problem in report.problems:
                    self._line(type="problem", report=which, message=problem)
            for change in result.changes:
                self._line(type="change", **change.as_json())
            for name in result.only_earlier:
                self._line(type="only_earlier", cell=name)
            for name in result.only_later:
                self._line(type="only_later", cell=name)
            for failure in result.carried_over:
                self._line(type="failure", **failure.as_json())
        else:
            self.stdout.write(f"前 / earlier: {self._heading(earlier)}")
            self.stdout.write(f"后 / later:   {self._heading(later)}")
            for warning in warnings:
                self.stdout.write(f"注意 / note: {warning}")
            for which, report in (("前 / earlier", earlier), ("后 / later", later)):
                if report.problems:
                    self.stdout.write(which)
                    self._problems(report.problems)
            self._changes(result.changes, earlier, later)
            for names, chinese, english in (
                (result.only_earlier, "只在前一份报告中", "only in the earlier report"),
                (result.only_later, "只在后一份报告中", "only in the later report"),
            ):
                if names:
                    self.stdout.write(f"{chinese} / {english}:")
                    for name in names:
                        self.stdout.write(f"  {name}")
            if result.carried_over:
                self.stdout.write("上年结转与上一年的结转下年度不一致 / carried over ≠ last year's carried forward:")
                for failure in result.carried_over:
                    self.stdout.write(f"  {failure.message}")
            else:
                self.stdout.write("上年结转与上一年的结转下年度一致 / carried over = last year's carried forward")
        if result.carried_over or earlier.problems or later.problems:
            raise SystemExit(1)

    def _changes(self, changes: list[compare.Change], earlier, later) -> None:
        if not changes:
            self.stdout.write("数字没有变化 / no figure changed")
            return
        self.stdout.write(f"变化的数字 {len(changes)} 个 / {len(changes)} figures changed:")
        years = (str(earlier.year or "前 / earlier"), str(later.year or "后 / later"))
        width = max(_width(change.cell) for change in changes)
        self.stdout.write(f"  {_pad('', width)}  {years[0]:>8}  {years[1]:>8}")
        for change in changes:
            self.stdout.write(f"  {_pad(change.cell, width)}  {change.earlier!s:>8}  {change.later!s:>8}")

    # --- shared --------------------------------------------------------------------------------------------

    def _read(self, name: str, *, json_lines: bool) -> parse.ParsedReport:
        """The parsed report; exit status 2, after saying why, when the file is not readable as a report."""
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。 No file {path}.", returncode=2)
        report = parse.read_report(path.read_bytes(), path.name)
        if not report.readable:
            if json_lines:
                self._line(type="unreadable", file=str(path), problems=report.problems)
            raise CommandError(
                f"{path} 不能作为年度报告读取 / {path} could not be read as an annual report: "
                + "；".join(report.problems),
                returncode=2,
            )
        return report

    def _facts(self, report: parse.ParsedReport) -> dict:
        return {"format": report.format, "title": report.title, "organization": report.organization,
                "year": report.year}  # fmt: skip

    def _heading(self, report: parse.ParsedReport) -> str:
        return f"{report.title or '（无标题 / untitled）'}（{report.format} 格式 / format）"

    def _problems(self, problems: list[str]) -> None:
        if problems:
            self.stdout.write(f"无法读取的内容 {len(problems)} 处 / {len(problems)} things could not be read:")
            for problem in problems:
                self.stdout.write(f"  {problem}")

    def _line(self, **fields) -> None:
        self.stdout.write(json.dumps(fields, ensure_ascii=False))


def _width(text: str) -> int:
    """Columns on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
