"""``screen FILE...`` (``gongkai screen``): screen files for personal information and secrecy markings.

A thin shell over :mod:`gongkai.lib.screening`. Each file becomes text the way the site reads it:

- ``.txt``, ``.text``: UTF-8 (a BOM is fine), otherwise GB18030, strictly;
- ``.htm``, ``.html``: decoded the same way, then its text (tags removed, entities decoded, one line per block)
  by `gongkai.lib.html.to_text`;
- ``.pdf``, ``.docx``, ``.xlsx``: checked as an upload is (`gongkai.lib.files.check_upload`: real type from
  the content, zip-bomb guards), then read by `gongkai.lib.extract.extract_text` in a child process; a PDF's
  findings carry their page.

``screen --published [--org USCC]`` screens every published publication again (after a rule is added) and
prints each open finding in them, with the publication's id and index number; nothing is taken down: the
findings wait in the reviewers' queue (/staff/review/).

One JSON object per finding on stdout: file, kind, label (Chinese), page, offset, excerpt — the excerpt is
masked and the value itself is never printed. A file that cannot be read gives one JSON object on stderr
(file, error: "中文 / English") and the others are still screened. Exit status: 1 if anything was found,
else 2 if a file could not be read, else 0.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.lib.extract import ExtractionFailed, extract_text
from gongkai.lib.files import FileRejected, check_upload
from gongkai.lib.html import to_text
from gongkai.lib.screening import KIND_LABELS, Finding, screen_pages, screen_text

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".htm", ".html"})
EXTRACTED_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx"})

# The whole text is screened: extract_text's default cut (2 million characters, for the search index) would
# leave the end of a long attachment unread.
MAX_CHARS = 100_000_000

EXIT_FOUND = 1
EXIT_UNREADABLE = 2


class Unreadable(Exception):
    """A file whose text cannot be had; the message is "中文 / English"."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else GB18030; both strict."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("既不是UTF-8也不是GB18030编码的文字 / is neither UTF-8 nor GB18030 text")


def screen_file(path: Path) -> list[Finding]:
    """The findings in one file; raises Unreadable, FileRejected or ExtractionFailed when it cannot be read."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise Unreadable("文件不存在或不是普通文件 / does not exist or is not a regular file")
    if suffix in TEXT_SUFFIXES:
        return screen_text(decode(path.read_bytes()))
    if suffix in HTML_SUFFIXES:
        return screen_text(to_text(decode(path.read_bytes())))
    if suffix in EXTRACTED_SUFFIXES:
        with path.open("rb") as fileobj:
            kind = check_upload(fileobj, path.name)
        text = extract_text(path, kind.kind, max_chars=MAX_CHARS)
        return screen_pages(text, field="attachment", attachment=path.name)
    raise Unreadable(
        f"不支持的文件类型“{suffix or '无扩展名'}”（支持 .txt、.html、.pdf、.docx、.xlsx） / "
        f'unsupported file type "{suffix or "no extension"}" (.txt, .html, .pdf, .docx and .xlsx are supported)'
    )


class Command(BaseCommand):
    help = (
        "筛查文件中的身份证号码、手机号码、银行卡号、个人邮箱、姓名和密级标志，每处输出一行 JSON；"
        "有发现时退出码为 1，有文件无法读取时为 2。 / "
        "Screen files for resident ID, mobile and bank card numbers, personal e-mail addresses, names and "
        "secrecy markings; print one JSON line per finding; exit with status 1 if anything is found, "
        "2 if a file cannot be read."
    )
    # Files are pure computation; --published reads the database, whose checks `migrate` has run.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", metavar="FILE", help="要筛查的文件（txt、html、pdf、docx、xlsx） / files to screen"
        )
        parser.add_argument(
            "--published",
            action="store_true",
            help="重新筛查所有已发布的信息，列出待处理的发现（不会自动撤下） / "
            "screen every published publication again and list the open findings (nothing is taken down)",
        )
        parser.add_argument(
            "--org", metavar="USCC", help="只筛查这个机构发布的信息 / only this organisation's publications"
        )

    def handle(self, *args: object, files: list[str], **options: object) -> None:
        if options["published"]:
            if files:
                raise CommandError("--published 不与文件同用 / --published takes no files")
            return self.screen_published(options["org"])
        if options["org"]:
            raise CommandError("--org 只与 --published 同用 / --org goes with --published")
        found = failed = 0
        for name in files:
            try:
                findings = screen_file(Path(name))
            except (Unreadable, FileRejected, ExtractionFailed) as error:
                failed += 1
                line = json.dumps({"file": name, "error": str(error)}, ensure_ascii=False)
                self.stderr.write(line, style_func=lambda text: text)  # JSON, never coloured
                continue
            found += len(findings)
            for finding in findings:
                self.stdout.write(json.dumps(self.as_json(name, finding), ensure_ascii=False))
        if found:
            raise SystemExit(EXIT_FOUND)
        if failed:
            raise SystemExit(EXIT_UNREADABLE)

    def screen_published(self, uscc: str | None) -> None:
        from gongkai.orgs.models import Organization
        from gongkai.review import services

        organization = None
        if uscc:
            organization = Organization.objects.filter(uscc=uscc.strip().upper()).first()
            if organization is None:
                raise CommandError(f"没有统一社会信用代码为 {uscc} 的机构 / no organisation has the USCC {uscc}")
        found = 0
        for publication, _ in services.rescreen_published(organization=organization):
            for finding in publication.findings.open():
                found += 1
                self.stdout.write(
                    json.dumps(
                        {
                            "publication": publication.pk,
                            "index_no": publication.index_no,
                            "title": publication.title,
                            "kind": finding.kind,
                            "label": KIND_LABELS[finding.kind][0],
                            "field": finding.field,
                            "attachment": finding.attachment_name,
                            "page": finding.page,
                            "offset": finding.offset,
                            "excerpt": finding.excerpt,
                        },
                        ensure_ascii=False,
                    )
                )
        if found:
            raise SystemExit(EXIT_FOUND)

    @staticmethod
    def as_json(name: str, finding: Finding) -> dict[str, object]:
        return {
            "file": name,
            "kind": finding.kind,
            "label": KIND_LABELS[finding.kind][0],
            "page": finding.page,
            "offset": finding.start,
            "excerpt": finding.excerpt,
        }
