"""Text of an attachment, for the search index and for screening, read in a child process.

Parsers of hostile files fail in ways Python cannot catch: python-calamine aborts the process on a crafted
XLSX under a memory limit (NOTES-performance.md, "Reliability"), a parser can loop for minutes or run out
of memory. So :func:`extract_text` runs this very file as a separate Python process (``python -I
extract.py``) with an address-space limit, a CPU-time limit and no core dumps, and waits for it at most
`timeout` seconds. The child imports only the parsers, never Django, and gets an empty environment so
that no secret reaches a process that reads untrusted input.

Child protocol: argv is ``KIND PATH MEMORY_MB CHAR_LIMIT CPU_SECONDS``; the text goes to stdout as UTF-8;
exit status 0 is success, 2 an unreadable file (reason on stderr), 3 out of memory, 4 an encrypted PDF.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["PAGE_SEPARATOR", "ExtractionFailed", "extract_text"]

logger = logging.getLogger(__name__)

PAGE_SEPARATOR = "\n\f\n"
_IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})
_TEXT_KINDS = frozenset({"pdf", "docx", "xlsx"})

_EXIT_UNREADABLE = 2
_EXIT_MEMORY = 3
_EXIT_ENCRYPTED = 4


class ExtractionFailed(ValueError):
    """The text of a file could not be read. The message is Chinese first, then English, and names the file."""

    def __init__(self, message: str, *, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


def _failed(name: str, chinese: str, english: str) -> ExtractionFailed:
    return ExtractionFailed(
        f'无法读取文件“{name}”的文字：{chinese}。 / Could not read the text of the file "{name}": {english}.',
        name=name,
    )


def extract_text(
    path: str | Path,
    kind: str,
    *,
    timeout: float = 30,
    memory_mb: int = 512,
    max_chars: int = 2_000_000,
    name: str | None = None,
) -> str:
    """The plain text of a PDF, DOCX or XLSX file; "" for an image.

    PDF: every page's text, pages separated by :data:`PAGE_SEPARATOR`. DOCX: the body's paragraphs and
    table cells in document order (cells joined by tabs), then headers and footers. XLSX: every worksheet,
    hidden ones included, as its name on a line then rows of tab-joined cells.

    The parser runs in a child process limited to `memory_mb` of address space and `timeout` seconds; any
    failure, crash or limit raises :class:`ExtractionFailed` naming `name` (default: the file's name). The
    text is cut to `max_chars` for the search index, with a warning in the log.
    """
    if kind in _IMAGE_KINDS:
        return ""
    if kind not in _TEXT_KINDS:
        raise ValueError(f"extract_text: unknown kind {kind!r}")
    path = Path(path)
    shown = name or path.name
    if not path.is_file():
        raise FileNotFoundError(path)
    cpu_seconds = math.ceil(timeout) + 1
    command = [
        sys.executable,
        "-I",  # isolated: no PYTHON* variables, no user site-packages, no current directory on sys.path
        str(Path(__file__).resolve()),
        kind,
        str(path.resolve()),
        str(memory_mb),
        str(max_chars + 1),
        str(cpu_seconds),
    ]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            env={"LANG": "C.UTF-8"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _failed(
            shown,
            f"解析超过{timeout:g}秒仍未完成，已中止",
            f"parsing took longer than {timeout:g} s and was stopped",
        ) from None
    if done.returncode != 0:
        raise _explain_failure(shown, done.returncode, done.stderr, memory_mb)
    if done.stderr:
        logger.debug("extract_text(%s): %s", shown, done.stderr.decode("utf-8", "replace")[:2000])
    text = done.stdout.decode("utf-8", "replace").replace("\x00", "")
    if len(text) > max_chars:
        logger.warning(
            "extract_text(%s): text cut to %d characters for the search index (it has more)", shown, max_chars
        )
        text = text[:max_chars]
    return text


def _explain_failure(name: str, returncode: int, stderr: bytes, memory_mb: int) -> ExtractionFailed:
    detail = stderr.decode("utf-8", "replace").strip().splitlines()
    reason = detail[-1][:300] if detail else ""
    if returncode == _EXIT_ENCRYPTED:
        return _failed(
            name, "PDF已加密，请取消密码后重新上传", "the PDF is encrypted; remove the password and upload again"
        )
    if returncode == _EXIT_MEMORY:
        return _failed(name, f"解析超出了{memory_mb} MB的内存上限", f"parsing exceeded the {memory_mb} MB memory limit")
    if returncode == _EXIT_UNREADABLE:
        return _failed(
            name,
            f"文件已损坏或格式不受支持（{reason}）",
            f"the file is damaged or in an unsupported form ({reason})",
        )
    if returncode < 0:
        try:
            signal_name = signal.Signals(-returncode).name
        except ValueError:
            signal_name = f"signal {-returncode}"
        if -returncode == signal.SIGXCPU:
            return _failed(name, "解析用时超出了CPU时间上限", "parsing exceeded its CPU time limit")
        return _failed(
            name,
            f"解析程序异常终止（{signal_name}），可能是超出了{memory_mb} MB的内存上限",
            f"the parser crashed ({signal_name}), probably over the {memory_mb} MB memory limit",
        )
    return _failed(
        name,
        f"解析程序异常退出（状态{returncode}：{reason}）",
        f"the parser exited with status {returncode} ({reason})",
    )


# --- the child process -------------------------------------------------------------------------------


class _Collector:
    """Pieces of text, stopping once `limit` characters are gathered."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0

    @property
    def full(self) -> bool:
        return self.size >= self.limit

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def text(self, separator: str) -> str:
        return separator.join(self.parts)[: self.limit]


def _pdf_text(path: str, limit: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        # Only an empty user password is tried: many published PDFs restrict printing but open freely.
        raise _Encrypted
    pages = _Collector(limit)
    for number, page in enumerate(reader.pages, start=1):
        try:
            pages.add(page.extract_text() or "")
        except MemoryError:
            raise
        except Exception as error:
            # One unreadable page should not refuse a document that viewers open; note it and go on.
            sys.stderr.write(f"page {number}: {type(error).__name__}: {error}\n")
            pages.add("")
        if pages.full:
            break
    return pages.text(PAGE_SEPARATOR)


def _docx_blocks(container) -> Iterator[str]:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_rows(block)
        else:
            yield block.text


def _table_rows(table) -> Iterator[str]:
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(part for part in _docx_blocks(cell) if part))
        yield "\t".join(cells)


def _docx_text(path: str, limit: int) -> str:
    import docx

    document = docx.Document(path)
    lines = _Collector(limit)
    for line in _docx_blocks(document):
        if line.strip():
            lines.add(line)
        if lines.full:
            return lines.text("\n")
    seen: set[str] = set()
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            text = "\n".join(_docx_blocks(part)).strip()
            if text and text not in seen:
                seen.add(text)
                lines.add(text)
                if lines.full:
                    break
    return lines.text("\n")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _xlsx_text(path: str, limit: int) -> str:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    workbook = CalamineWorkbook.from_path(path)
    lines = _Collector(limit)
    for sheet_meta in workbook.sheets_metadata:
        if sheet_meta.typ != SheetTypeEnum.WorkSheet:
            continue
        lines.add(sheet_meta.name)
        for row in workbook.get_sheet_by_name(sheet_meta.name).iter_rows():
            line = "\t".join(_cell_text(value) for value in row).rstrip("\t")
            if line.strip():
                lines.add(line)
            if lines.full:
                return lines.text("\n")
    return lines.text("\n")


class _Encrypted(Exception):
    pass


_PARSERS: dict[str, Callable[[str, int], str]] = {"pdf": _pdf_text, "docx": _docx_text, "xlsx": _xlsx_text}


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    import resource

    def lower(limit: int, value: int) -> None:
        hard = resource.getrlimit(limit)[1]  # an unprivileged process cannot raise its hard limit
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(limit, (value, value))

    lower(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    lower(resource.RLIMIT_CPU, cpu_seconds)
    lower(resource.RLIMIT_CORE, 0)
    lower(resource.RLIMIT_FSIZE, 0)  # parsers read; nothing may write a file


def _child(argv: list[str]) -> int:
    kind, path, memory_mb, limit, cpu_seconds = argv
    _limit_resources(int(memory_mb), int(cpu_seconds))
    try:
        text = _PARSERS[kind](path, int(limit))
    except MemoryError:
        return _EXIT_MEMORY
    except _Encrypted:
        return _EXIT_ENCRYPTED
    except Exception as error:
        sys.stderr.write(f"{type(error).__name__}: {error}\n")
        return _EXIT_UNREADABLE
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    # os._exit skips interpreter teardown, which can itself run out of memory after a MemoryError.
    code = _child(sys.argv[1:])
    sys.stderr.flush()
    os._exit(code)
