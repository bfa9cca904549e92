"""Files are read and checked in a child process with limits; whatever the file does, the import ends in a clear
report and leaves nothing half-written."""

import io
import os
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from credit_files import HEADER, csv_file, licence
from openpyxl import Workbook

from gongkai.credit import checking, services
from gongkai.credit.models import Licence, Submission

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def submit(bureau, data: bytes, name: str, **options):
    return services.import_file(io.BytesIO(data), name, organization=bureau, today=TODAY, **options)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def nothing_stored(submission) -> bool:
    return submission.outcome == "rejected" and not Licence.objects.exists()


def test_a_child_that_runs_out_of_memory_gives_a_clear_reason(tmp_path):
    path = tmp_path / "licences.csv"
    path.write_bytes(csv_file(licence(1)).getvalue())
    job = checking.Job(path=str(path), name="licences.csv", record_type=None, submitter_uscc="", today="2026-11-26")
    messages = list(checking.check_file(job, memory_mb=30))
    assert messages[-1]["report"]["file_error"].startswith("文件过大或已损坏，读取时超出了30 MB的内存上限 / ")


def test_a_checking_process_stopped_midway_leaves_nothing_behind(bureau, monkeypatch):
    """The child sends the first chunks, which are written, then runs out of CPU time: all is rolled back."""
    monkeypatch.setattr(checking, "CPU_SECONDS", 1)
    data = csv_file(*[licence(number) for number in range(1, 60_001)]).getvalue()
    written = []
    real_write = services.bulk.Writer.write
    monkeypatch.setattr(
        services.bulk.Writer, "write", lambda self, rows: written.append(len(rows)) or real_write(self, rows)
    )
    submission, report = submit(bureau, data, "licences.csv")
    assert written, "some rows were written before the child stopped"
    assert "用时超出上限" in report.file_error and report.accepted == 0
    assert nothing_stored(submission) and Submission.objects.get() == submission


def test_formulas_in_cells_are_refused_naming_the_cells(bureau):
    row = licence(1)
    row[HEADER.index("许可决定日期")] = "=TODAY()"
    _s, report = submit(bureau, xlsx([HEADER, row]), "licences.xlsx")
    assert report.file_error.startswith("单元格I2是公式") and not Licence.objects.exists()


def test_a_formula_written_by_another_program_is_found_too():
    sheet = (
        b'<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="2"><x:c s="1" r="C2" t="str"><x:f>A2&amp;B2</x:f><x:v>ab</x:v></x:c></x:row>'
        b"</x:sheetData></x:worksheet>"
    )
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas'
            '.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="a" sheetId="1" '
            'r:id="rId7"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId7" Type="worksheet" Target="/xl/worksheets/data.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/data.xml", sheet)
    from gongkai.credit.reader import xlsx_formula_cells

    assert xlsx_formula_cells(book) == ["C2"]


def test_a_million_formatted_empty_rows_are_passed_over(bureau):
    """Excel writes a row element for every formatted row; a whole-sheet format gives 1,048,576 of them."""
    good = xlsx([HEADER, licence(1)])
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    empty_rows = "".join(f'<row r="{number}" s="1" customFormat="1"/>' for number in range(3, 1_048_577))
    members["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", empty_rows + "</sheetData>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    submission, report = submit(bureau, out.getvalue(), "licences.xlsx")
    assert (report.rows, report.accepted, report.file_error) == (1, 1, "")
    assert submission.outcome == "accepted" and Licence.objects.count() == 1


def test_a_10_mb_cell_is_refused_and_named(bureau):
    huge = "违" * 10_000_000
    _s, report = submit(bureau, xlsx([HEADER, licence(1, 许可内容=huge), licence(2)]), "licences.xlsx")
    assert report.errors[0]["row"] == 2 and report.errors[0]["field"] == "XK_NR"
    assert "超过4000个字" in report.errors[0]["message"] and len(report.errors[0]["value"]) == 200
    assert not Licence.objects.exists()
    _s, report = submit(bureau, csv_file(licence(1, 许可内容=huge)).getvalue(), "licences.csv")
    assert report.file_error.startswith("第2行无法读取") and not Licence.objects.exists()


def test_merged_header_cells_end_in_a_clear_report(bureau):
    workbook = Workbook()
    workbook.active.append(["行政相对人名称", "", *HEADER[2:]])
    workbook.active.merge_cells("A1:B1")
    workbook.active.append(licence(1))
    out = io.BytesIO()
    workbook.save(out)
    submission, report = submit(bureau, out.getvalue(), "licences.xlsx")
    assert "表头第2列为空（合并的表头单元格请拆开）" in report.file_error and nothing_stored(submission)


def test_a_frame_that_is_not_a_message_ends_the_stream():
    import marshal

    good = marshal.dumps({"type": "licence"})
    bad = marshal.dumps({"rows": [["too short"]]})
    stream = io.BytesIO(len(good).to_bytes(4, "big") + good + len(bad).to_bytes(4, "big") + bad)
    assert list(checking._frames(stream)) == [{"type": "licence"}]


def _writing_licences(connection) -> bool:
    """Whether another connection has written licences it has not committed."""
    if connection.vendor == "sqlite":
        wal = Path(f"{connection.settings_dict['NAME']}-wal")
        return wal.exists() and wal.stat().st_size > 2_000_000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'credit_licence' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def _database_url(connection) -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


GONGKAI = str(Path(sys.executable).parent / "gongkai")


def _importing(connection, path: Path) -> subprocess.Popen:
    """`gongkai credit import` of ``path`` on the tests' database, once it has written rows it has not committed."""
    child = subprocess.Popen(
        [GONGKAI, "credit", "import", str(path), "--org", "1137030300421716XM"],
        env={**os.environ, "DATABASE_URL": _database_url(connection)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while child.poll() is None and not _writing_licences(connection) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert child.poll() is None, child.stderr.read().decode()  # still importing, with rows written
    return child


def _licences_file(tmp_path, count: int) -> Path:
    path = tmp_path / "licences.csv"
    path.write_bytes(csv_file(*[licence(number) for number in range(1, count + 1)]).getvalue())
    return path


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_while_writing_leaves_nothing_behind(demo, tmp_path):
    """`gongkai credit import` is killed (SIGKILL) while it writes a large file: no record, no submission."""
    from django.db import connection

    child = _importing(connection, _licences_file(tmp_path, 200_000))
    child.kill()
    child.wait()
    assert not Licence.objects.exists() and not Submission.objects.exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_database_connection_drops_says_so_stores_nothing_and_can_be_run_again(demo, tmp_path):
    """Fault test (issue 9): PostgreSQL drops the import's connection while it writes (what a restart of the
    database does to it: pg_terminate_backend, here for that one connection, so the other tests keep theirs). The
    person running it reads that nothing was stored and to import again; nothing was; the second run stores every
    record once."""
    from django.db import connection

    path = _licences_file(tmp_path, 100_000)
    child = _importing(connection, path)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
    _out, err = child.communicate(timeout=120)

    assert child.returncode != 0
    message = err.decode()
    assert "导入时数据库出错（连接中断或数据库不可用），本次导入未保存任何记录" in message
    assert "nothing was stored" in message
    assert not Licence.objects.exists() and not Submission.objects.exists()
    again = subprocess.run(
        [GONGKAI, "credit", "import", str(path), "--org", "1137030300421716XM"],
        env={**os.environ, "DATABASE_URL": _database_url(connection)},
        capture_output=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert Licence.objects.count() == 100_000 and Submission.objects.count() == 1
