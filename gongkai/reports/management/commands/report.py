"""`gongkai report …`: annual reports from the command line, a thin shell over `parse`, `checks` and `compare`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.reports import checks, compare, parse

EXIT_STATUS = """退出状态 / exit status:
  0  读取完整，勾稽关系全部成立 / read completely and every identity holds
  1  有不成立的勾稽关系，或有内容无法读取 / an identity fails, or part of the report could not be read
  2  不能作为年度报告读取（没有找到统计表） / not readable as an annual report (no tables found)"""


class Command(BaseCommand):
    help = "政府信息公开工作年度报告 / Annual reports: check FILE [--last FILE], compare EARLIER LATER."
    requires_system_checks = []  # reads files only

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
            "--last", metavar="FILE", help="上一年度的报告：核对上年结转 / last year's report: check 上年结转 against it"
        )
        p.add_argument("--json", action="store_true", help="每行一个JSON对象 / one JSON object a line")

        p = sub.add_parser(
            "compare",
            help="同一机关相邻两年的报告对照：变化的数字、上年结转与上年结转下年度 / two consecutive years side by "
            "side: the figures that changed, and 上年结转 against last year's 结转下年度",
            epilog=EXIT_STATUS.replace("勾稽关系全部成立", "上年结转一致").replace("every identity holds", "the "
                                       "carried-over figures agree"),  # fmt: skip
            formatter_class=RawDescriptionHelpFormatter,
        )
        p.add_argument("earlier", metavar="EARLIER_FILE")
        p.add_argument("later", metavar="LATER_FILE")
        p.add_argument("--json", action="store_true", help="每行一个JSON对象 / one JSON object a line")

    def handle(self, *args, **options):
        # One method per action: a new subcommand is one more `add_parser` and one `run_<action>`.
        return getattr(self, f"run_{options['action']}")(options)

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
        if options["json"]:
            self._line(type="earlier", **self._facts(earlier))
            self._line(type="later", **self._facts(later))
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
        years = (earlier.year or "前 / earlier", later.year or "后 / later")
        width = max(len(change.cell) for change in changes)
        self.stdout.write(f"  {'':{width}}  {years[0]!s:>8}  {years[1]!s:>8}")
        for change in changes:
            self.stdout.write(f"  {change.cell:{width}}  {change.earlier!s:>8}  {change.later!s:>8}")

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
