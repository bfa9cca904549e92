"""Backup and restore (issue 9): the database and the uploaded files in one archive, restored into an empty instance.

An archive is a gzipped tar holding ``manifest.json``, the database (``database.sqlite3``, a consistent copy made
with SQLite's online backup; or ``database.pgdump``, PostgreSQL's ``pg_dump --format=custom``) and every file under
MEDIA_ROOT as ``media/<path>``. The manifest records the database vendor, the applied migrations, the SHA-256 of
every member and the number of rows of every table, so that a restore can prove it found everything.

`restore_backup` checks the whole archive before it writes anything (safe member names, every checksum, the same
database vendor, an empty database, no file that would be overwritten), then writes the files and the database; if
the database cannot be restored, the files it wrote are removed again. Afterwards it counts every table against the
manifest and verifies the audit log's hash chain.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why in Chinese and English."""


@dataclass
class RestoreReport:
    vendor: str
    files: int
    rows: dict[str, int]
    audit_events: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- helpers ------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _tables() -> list[str]:
    """Every table Django manages (many-to-many tables included)."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def _row_counts() -> dict[str, int]:
    """Rows of every table Django manages, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _postgresql_environment() -> tuple[list[str], dict[str, str]]:
    """``pg_dump``/``pg_restore`` connection arguments and environment for the default database."""
    database = settings.DATABASES["default"]
    args = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败 / {command[0]} failed ({result.returncode}): {result.stderr.strip()}")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# --- backup -------------------------------------------------------------------------------------------------


def create_backup(target: Path) -> dict:
    """Write an archive of the database and the uploaded files to ``target``; returns its manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"文件已存在，不会覆盖 / {target} exists and is not overwritten")
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"不支持的数据库 / unsupported database: {vendor}")
    with tempfile.TemporaryDirectory(prefix="gongkai-backup-") as work:
        dump = Path(work) / DATABASE_MEMBERS[vendor]
        counts, migrations = _dump_database(dump)
        media_root = Path(settings.MEDIA_ROOT)
        files = {f"{MEDIA_PREFIX}{path.relative_to(media_root).as_posix()}": path for path in _media_files()}
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "vendor": vendor,
            "migrations": migrations,
            "rows": counts,
            "members": {dump.name: _sha256(dump)} | {name: _sha256(path) for name, path in files.items()},
        }
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=dump.name)
                for name, path in files.items():
                    archive.add(path, arcname=name)
            partial.replace(target)  # a crash leaves a .partial file, never a truncated archive under the name
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _dump_database(dump: Path) -> tuple[dict[str, int], list[str]]:
    """The database into ``dump``; the row counts and migrations of exactly what was dumped."""
    if connection.vendor == "sqlite":
        # One snapshot: the counts are taken from the copy, not from the live database.
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        copy = sqlite3.connect(dump)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return _sqlite_counts(dump)
    args, env = _postgresql_environment()
    # REPEATABLE READ: the counts and the dump see the same snapshot (pg_dump's own snapshot is exported to it).
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            dump_command = ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", "--file", str(dump)]
            _run([*dump_command, *args], env)
            counts, migrations = _row_counts(), _migrations()
        finally:
            cursor.execute("ROLLBACK")
    return counts, migrations


def _sqlite_counts(path: Path) -> tuple[dict[str, int], list[str]]:
    database = sqlite3.connect(path)
    try:
        counts = {table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in _tables()}
        applied = database.execute("SELECT app, name FROM django_migrations")
        migrations = sorted(f"{app}.{name}" for app, name in applied)
    finally:
        database.close()
    return counts, migrations


# --- restore ------------------------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _read_archive(source: Path, work: Path) -> dict:
    """Extract ``source`` into ``work`` after checking every member; returns the manifest."""
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below, once it is known to open
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"无法读取备份文件 / cannot read the archive {source}: {error}") from error
    with archive:
        members = archive.getmembers()
        names = [member.name for member in members]
        if MANIFEST not in names:
            raise BackupError(f"备份文件中没有 {MANIFEST} / the archive has no {MANIFEST}")
        for member in members:
            if not member.isfile() or not _safe_name(member.name):
                raise BackupError(f"备份文件含有不安全的条目 / unsafe member in the archive: {member.name!r}")
        manifest = json.loads(archive.extractfile(MANIFEST).read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"不认识的备份格式 / unknown archive format: {manifest.get('format')!r}")
        expected = manifest["members"]
        unexpected = set(names) - set(expected) - {MANIFEST}
        missing = set(expected) - set(names)
        if unexpected or missing:
            raise BackupError(
                f"备份文件与清单不符 / the archive does not match its manifest: "
                f"missing {sorted(missing)[:5]}, unlisted {sorted(unexpected)[:5]}"
            )
        archive.extractall(work, members=[m for m in members if m.name != MANIFEST], filter="data")
    for name, digest in expected.items():
        if _sha256(work / name) != digest:
            raise BackupError(f"校验和不符，备份文件已损坏 / checksum mismatch, the archive is damaged: {name}")
    return manifest


def _database_is_empty() -> bool:
    return not (set(connection.introspection.table_names()) & {"django_migrations", "audit_auditevent"})


def restore_backup(source: Path) -> RestoreReport:
    """Restore the archive ``source`` into this instance's database and MEDIA_ROOT, which must be empty."""
    vendor = connection.vendor
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-", dir=media_root.parent) as work_dir:
        work = Path(work_dir)
        manifest = _read_archive(Path(source), work)
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"备份来自 {manifest['vendor']}，本实例使用 {vendor} / the archive is of a {manifest['vendor']} "
                f"database, this instance uses {vendor}"
            )
        if not _database_is_empty():
            raise BackupError("目标数据库不是空的，不会覆盖 / the target database is not empty and is not overwritten")
        files = [name for name in manifest["members"] if name.startswith(MEDIA_PREFIX)]
        clashes = [name for name in files if (media_root / name.removeprefix(MEDIA_PREFIX)).exists()]
        if clashes:
            raise BackupError(
                f"上传文件目录中已有同名文件，不会覆盖 / files exist and are not overwritten: {clashes[:5]}"
            )
        written = []
        try:
            for name in files:
                destination = media_root / name.removeprefix(MEDIA_PREFIX)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(work / name, destination)
                written.append(destination)
            _load_database(work / DATABASE_MEMBERS[vendor])
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    return _check(manifest, media_root)


def _load_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        target = settings.DATABASES["default"]["NAME"]
        connections.close_all()
        source = sqlite3.connect(dump)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # page by page into the (empty) database, as one write
        finally:
            copy.close()
            source.close()
        return
    args, env = _postgresql_environment()
    connections.close_all()
    restore_command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    _run([*restore_command, *args, str(dump)], env)


def _check(manifest: dict, media_root: Path) -> RestoreReport:
    from gongkai.audit.services import verify_chain

    problems = []
    rows = _row_counts()
    for table, count in manifest["rows"].items():
        if rows.get(table) != count:
            problems.append(f"表 {table}：备份 {count} 行，恢复后 {rows.get(table)} 行 / rows differ in {table}")
    files = [name for name in manifest["members"] if name.startswith(MEDIA_PREFIX)]
    for name in files:
        path = media_root / name.removeprefix(MEDIA_PREFIX)
        if not path.is_file() or _sha256(path) != manifest["members"][name]:
            problems.append(f"文件 {name} 缺失或不符 / file missing or different: {name}")
    chain = verify_chain()
    if not chain.ok:
        problems.append(f"审计日志哈希链断裂 / the audit chain is broken at #{chain.broken_seq}: {chain.reason}")
    return RestoreReport(connection.vendor, len(files), rows, chain.count, problems)
