"""`gongkai backup` and `gongkai restore` (issue 9): the demo district backed up from one instance and restored into an
empty one finds every row of every table, every uploaded file and a verifiable audit chain — on the database these
tests run on (SQLite, or PostgreSQL when DATABASE_URL names it). A restore that cannot be complete writes nothing."""

import hashlib
import io
import json
import os
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest

from tests.conftest import GONGKAI, REPO

COUNTS = "import json; from gongkai.backup import _row_counts; print(json.dumps(_row_counts()))"


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class Instance:
    """A Gongkai installation of its own: a data directory, and a database (an SQLite file there, or a new
    PostgreSQL database on the tests' server)."""

    def __init__(self, root: Path, name: str) -> None:
        self.data_dir = root / name
        self.data_dir.mkdir()
        self.env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        self.env.update({"GONGKAI_DATA_DIR": str(self.data_dir), "GONGKAI_ENV_FILE": "/dev/null"})
        self.database = None
        if server := _server_url():
            self.database = f"gongkai_backup_{name}_{uuid.uuid4().hex[:8]}"
            _admin(server, f'CREATE DATABASE "{self.database}"')
            self.env["DATABASE_URL"] = server.rsplit("/", 1)[0] + "/" + self.database

    def __call__(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        return subprocess.run([GONGKAI, *args], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=timeout)

    def counts(self) -> dict[str, int]:
        result = self("shell", "--no-imports", "-c", COUNTS)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def files(self) -> dict[str, str]:
        media = self.data_dir / "media"
        return {
            path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(media.rglob("*"))
            if path.is_file()
        }

    def drop(self) -> None:
        if self.database:
            _admin(_server_url(), f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    made = []

    def make(name: str) -> Instance:
        made.append(Instance(root, name))
        return made[-1]

    make.root = root
    yield make
    for instance in made:
        instance.drop()


@pytest.fixture(scope="module")
def source(instances):
    """An instance with the demo district: publications, requests, reports, 双公示 records and their files."""
    instance = instances("source")
    for args in (("migrate", "--noinput"), ("demo",)):
        result = instance(*args)
        assert result.returncode == 0, result.stderr
    return instance


@pytest.fixture(scope="module")
def archive(source, instances):
    path = instances.root / "gongkai.tar.gz"
    result = source("backup", str(path))
    assert result.returncode == 0, result.stderr
    assert "已备份 / backed up" in result.stdout
    return path


def test_a_backup_restored_into_an_empty_instance_has_every_row_file_and_a_verifiable_audit_chain(
    source, archive, instances
):
    target = instances("target")

    restored = target("restore", str(archive))

    assert restored.returncode == 0, restored.stderr
    assert "核对通过" in restored.stdout and "every check passed" in restored.stdout
    counts = target.counts()
    assert counts == source.counts()
    assert counts["catalog_publication"] > 30 and counts["audit_auditevent"] > 100  # the demo, not an empty shell
    files = target.files()
    assert files == source.files() and files  # every uploaded file, byte for byte
    verified = target("audit", "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("OK "), verified.stderr
    assert target("check").returncode == 0  # the restored instance runs: its migrations are all there
    plan = target("migrate", "--plan")
    assert "No planned migration operations." in plan.stdout


def test_a_restore_into_an_instance_that_has_data_is_refused_and_changes_nothing(source, archive):
    before = source.counts(), source.files()

    refused = source("restore", str(archive))

    assert refused.returncode != 0
    assert "目标数据库不是空的" in refused.stderr and "not empty" in refused.stderr
    assert (source.counts(), source.files()) == before


def test_a_damaged_archive_is_refused_before_anything_is_written(archive, instances):
    damaged = instances.root / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as original, tarfile.open(damaged, "w:gz") as copy:
        members = original.getmembers()
        last_file = max(index for index, member in enumerate(members) if member.name.startswith("media/"))
        for index, member in enumerate(members):
            data = original.extractfile(member).read()
            if index == last_file:
                data = data[:-1] + bytes([data[-1] ^ 0xFF])  # one flipped byte in the last uploaded file
            copy.addfile(member, io.BytesIO(data))
    target = instances("damaged")

    refused = target("restore", str(damaged))

    assert refused.returncode != 0 and "校验和不符" in refused.stderr and "checksum mismatch" in refused.stderr
    assert target.files() == {}
    tables = "from django.db import connection; print(connection.introspection.table_names())"
    result = target("shell", "--no-imports", "-c", tables)
    assert result.stdout.strip() == "[]"


def test_an_archive_with_a_path_outside_the_instance_is_refused(instances):
    evil = instances.root / "evil.tar.gz"
    manifest = json.dumps({"format": 1, "vendor": "sqlite", "members": {"../escape.txt": "0" * 64}}).encode()
    with tarfile.open(evil, "w:gz") as archive:
        for name, data in (("manifest.json", manifest), ("../escape.txt", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    target = instances("evil")

    refused = target("restore", str(evil))

    assert refused.returncode != 0 and "不安全" in refused.stderr and "unsafe member" in refused.stderr
    assert not (instances.root / "escape.txt").exists()
