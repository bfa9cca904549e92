"""Reading and checking a submitted file in a child process, rows streamed back to the importer in chunks.

A hostile spreadsheet can abort the process that parses it (python-calamine under a memory limit,
NOTES-performance.md "Reliability"), loop, or eat memory. So the file is read and every row checked by a
separate Python process (``python -I -m gongkai.credit.checking``) with an address-space limit, a CPU-time limit
and an empty environment; it imports no Django and touches no database. It also halves the import time on two
cores: the child parses and checks while the parent writes.

Protocol. The parent writes one JSON object to the child's stdin (`Job`); the child writes frames to stdout,
each a 4-byte length and a `marshal`-ed dict (plain values only, ~10× faster than JSON for a million rows):
``{"type": record_type}`` once the header is understood, ``{"rows": [row, ...]}`` for each chunk of
accepted rows (`row_of` says what a row holds; the parent checks each row's shape), and last
``{"report": {...}}``: rows, accepted, rejected, errors and file_error. A child that dies or breaks the
protocol ends in a report whose ``file_error`` says why.
Without ``accept_valid`` the child stops sending rows at the first rejected one, but checks to the end so
that the report is complete. The pipe's buffer is the only queue: memory stays flat whatever the file size.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import marshal
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from gongkai.credit import publicity
from gongkai.credit.reader import FileProblem, column_letter, read_any
from gongkai.credit.rows import check_row
from gongkai.credit.standard import SEVERITIES, SEVERITY_FIELD, STANDARDS, Requirement, Standard
from gongkai.lib.text import normalize_text

CHUNK_ROWS = 5000
MAX_REPORTED = 1000  # the report lists this many errors; the counts are always exact
MEMORY_MB = 2048  # a 1,048,576-row XLSX is held whole by calamine; a CSV stays under 100 MB
CPU_SECONDS = 900


@dataclass
class Job:
    """What the child is asked to do. ``overrides``: per record type, the administrator's required flags
    and code lists (`gongkai.credit.policy`), as JSON."""

    path: str
    name: str
    record_type: str | None  # None: from the header
    submitter_uscc: str
    today: str  # ISO date: the day dates are checked against
    accept_valid: bool = False
    publish_warnings: bool = False
    overrides: dict = field(default_factory=dict)


def overrides_of(standard: Standard) -> dict:
    """A standard's required flags and code lists as JSON (the child rebuilds it with `standard_of`)."""
    return {
        "required": {f.code: dataclasses.asdict(f.required) for f in standard.fields},
        "code_lists": {name: [list(entry) for entry in entries] for name, entries in standard.code_lists.items()},
    }


def standard_of(record_type: str, overrides: dict | None) -> Standard:
    base = STANDARDS[record_type]
    if not overrides:
        return base
    required = {
        code: Requirement(**{k: tuple(v) if isinstance(v, list) else v for k, v in rule.items()})
        for code, rule in overrides["required"].items()
    }
    code_lists = {name: tuple(tuple(entry) for entry in entries) for name, entries in overrides["code_lists"].items()}
    return base.with_overrides(required=required, code_lists=code_lists)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _amount(value) -> str | None:
    return None if value is None else format(value, "f")


def row_of(values: dict, standard: Standard, *, publish_warnings: bool) -> list:
    """The row as the importer stores it: authority USCC, decision number, name, name in search form, subject
    kind, subject USCC, decision date, status, the filled fields of the national standard as JSON, publishable;
    then a licence's category, validity from and to, or a penalty's categories, fine, confiscated amount and
    severity class (`standard.SEVERITIES`; "" when the file gives none)."""
    prefix = standard.prefix
    severity = values.pop(SEVERITY_FIELD, None)  # a Gongkai column: its own column of the record, not in data
    name = values[f"{prefix}_XDR_MC"]
    data = {code: value if type(value) is str else _text(value) for code, value in values.items() if value is not None}
    common = [
        values[standard.authority_code_field()],
        values[standard.decision_number_field()],
        name,
        normalize_text(name)[:200],
        values[f"{prefix}_XDR_LB"],
        values.get(f"{prefix}_XDR_SHXYM") or "",
        values[f"{prefix}_JDRQ"].isoformat(),
        values["XK_ZT"] if prefix == "XK" else "有效",
        json.dumps(data, ensure_ascii=False),
        publicity.is_publishable(data, standard, publish_warnings=publish_warnings),
    ]
    if prefix == "XK":
        return [*common, values["XK_XKLB"], values["XK_YXQZ"].isoformat(), values["XK_YXQZI"].isoformat()]
    return [
        *common, _text(values["CF_CFLB"]), _amount(values.get("CF_NR_FK")), _amount(values.get("CF_NR_WFFF")),
        SEVERITIES.get(severity, ""),
    ]  # fmt: skip


class _Seen:
    """The decision numbers of the file so far, on disk: a million of them in a dict would take 150 MB, and
    memory must not grow with the file. A temporary SQLite database with a small page cache costs ~4 µs a row."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # "": a private on-disk database, deleted when closed
        self.db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -16000;"
            "CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER) WITHOUT ROWID;"
        )

    def first_row(self, key: str, row: int) -> int:
        """The row where ``key`` was first seen, or 0 (and it is noted at ``row``) if this is the first time."""
        try:
            self.db.execute("INSERT INTO seen VALUES (?, ?)", (key, row))
        except sqlite3.IntegrityError:
            return self.db.execute("SELECT row FROM seen WHERE key = ?", (key,)).fetchone()[0]
        return 0


class _Report:
    def __init__(self) -> None:
        self.rows = self.accepted = self.rejected = 0
        self.errors: list[dict] = []
        self.file_error = ""

    def add(self, row: int, column: str, field_code: str, value: str, message: str) -> None:
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(
                {"row": row, "column": column, "field": field_code, "value": (value or "")[:200], "message": message}
            )

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "errors": self.errors,
            "file_error": self.file_error,
        }


def checked(fileobj: BinaryIO, job: Job) -> Iterator[dict]:
    """The messages of the protocol, for one file (this runs in the child; tests may call it directly)."""
    report = _Report()
    today = datetime.date.fromisoformat(job.today)
    try:
        types = [job.record_type] if job.record_type else list(STANDARDS)
        candidates = {rt: standard_of(rt, job.overrides.get(rt)) for rt in types}
        record_type, raw_rows = read_any(fileobj, job.name, candidates)
        yield {"type": record_type}
        standard = candidates[record_type]
        number_field = standard.decision_number_field()
        authority_field = standard.authority_code_field()
        source_field = "XK_LYDWDM" if standard.prefix == "XK" else "CF_SJLYDM"
        seen = _Seen()
        chunk: list[list] = []
        for raw in raw_rows:
            report.rows += 1
            result = check_row(raw.cells, standard, today=today)
            problems = [("", "", problem) for problem in raw.problems]
            problems += [(error.field, error.value, error.message) for error in result.errors]
            values = result.values
            if not problems and job.submitter_uscc and values.get(source_field) != job.submitter_uscc:
                problems.append(
                    (
                        source_field,
                        values.get(source_field) or "",
                        f"数据来源单位应为报送单位（{job.submitter_uscc}） / the source must be the submitter",
                    )
                )
            first = seen.first_row(f"{values.get(authority_field)}|{values.get(number_field)}", raw.number)
            if not problems and first:
                number = values[number_field]
                problems.append((number_field, number, f"决定文书号“{number}”与第{first}行重复 / repeats row {first}"))
            if problems:
                report.rejected += 1
                for code, value, message in problems:
                    column = column_letter(raw.columns[code]) if code in raw.columns else ""
                    report.add(raw.number, column, code, value, message)
                continue
            report.accepted += 1
            if report.rejected and not job.accept_valid:
                continue  # the file will be returned whole: only the report matters now
            chunk.append(row_of(values, standard, publish_warnings=job.publish_warnings))
            if len(chunk) >= CHUNK_ROWS:
                yield {"rows": chunk}
                chunk = []
        if chunk and not (report.rejected and not job.accept_valid):
            yield {"rows": chunk}
    except FileProblem as problem:
        report.file_error = str(problem)
    yield {"report": report.as_json()}


# -- The parent's side -------------------------------------------------------------------------------------------


def _explain(returncode: int, stderr: bytes, memory_mb: int) -> str:
    if returncode == -signal.SIGXCPU or returncode == -signal.SIGKILL:
        return "读取文件用时超出上限，已中止 / reading the file took too long and was stopped"
    detail = stderr.decode("utf-8", "replace").strip().splitlines()
    if returncode in (-signal.SIGABRT, -signal.SIGSEGV) or any("memory" in line.lower() for line in detail):
        return (
            f"文件过大或已损坏，读取时超出了{memory_mb} MB的内存上限 / "
            f"the file is too large or damaged: reading it exceeded the {memory_mb} MB memory limit"
        )
    reason = detail[-1][:300] if detail else f"exit status {returncode}"
    return f"无法读取该文件（{reason}） / the file cannot be read ({reason})"


_PLAIN = (str, bool, type(None))
_WIDTHS = (13, 14)  # the length of a row of `row_of`: a licence's, a penalty's


def _frames(stream) -> Iterator[dict]:
    """The child's messages; stops at the end of the stream or at a frame that is not a message."""
    while header := stream.read(4):
        size = int.from_bytes(header, "big")
        body = stream.read(size)
        if len(header) < 4 or len(body) < size:
            return
        message = marshal.loads(body)  # a dict of plain values: marshal builds objects, it runs no code
        if not isinstance(message, dict):
            return
        rows = message.get("rows")
        if rows is not None and not all(
            type(row) is list and len(row) in _WIDTHS and all(type(value) in _PLAIN for value in row) for row in rows
        ):
            return
        yield message


def check_file(job: Job, *, memory_mb: int | None = None, cpu_seconds: int | None = None) -> Iterator[dict]:
    """Run the child on ``job`` and yield its messages. The last one is always ``{"report": ...}``: if the
    child fails, a report whose ``file_error`` says why (the rows it sent before must then be discarded).
    The limits default to `MEMORY_MB` and `CPU_SECONDS`."""
    memory_mb, cpu_seconds = memory_mb or MEMORY_MB, cpu_seconds or CPU_SECONDS
    process = subprocess.Popen(
        [sys.executable, "-I", "-m", "gongkai.credit.checking", str(memory_mb), str(cpu_seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"LANG": "C.UTF-8", "PATH": os.environ.get("PATH", "")},
    )
    try:
        process.stdin.write(json.dumps(dataclasses.asdict(job)).encode())
        process.stdin.close()
        last = None
        for message in _frames(process.stdout):
            last = message
            yield message
        stderr = process.stderr.read()
        returncode = process.wait()
        if last is None or "report" not in last or returncode != 0:
            failed = _Report()
            failed.file_error = _explain(returncode, stderr, memory_mb)
            yield {"report": failed.as_json()}
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            stream.close()


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> None:
    _limit(int(sys.argv[1]), int(sys.argv[2]))
    job = Job(**json.loads(sys.stdin.buffer.read()))
    out = sys.stdout.buffer
    with open(job.path, "rb") as fileobj:
        for message in checked(fileobj, job):
            body = marshal.dumps(message)
            out.write(len(body).to_bytes(4, "big"))
            out.write(body)
    out.flush()


if __name__ == "__main__":
    main()
