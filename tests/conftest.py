import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

REPO = Path(__file__).resolve().parent.parent
GONGKAI = str(Path(sys.executable).parent / "gongkai")  # the console command of this virtual environment

# Speed is measured in bench/, not in tests: no per-example deadline, which a loaded machine (CI runs the
# SQLite and PostgreSQL suites side by side) would trip without anything being wrong.
hypothesis_settings.register_profile("gongkai", deadline=None)
hypothesis_settings.load_profile("gongkai")


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are deselected, not skipped, on SQLite (CI runs the suite on both)."""
    from django.db import connection

    wants_postgresql = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    if wants_postgresql != (connection.vendor == "postgresql"):
        raise pytest.UsageError(f"DATABASE_URL asks for PostgreSQL but the tests run on {connection.vendor}")
    if connection.vendor == "postgresql":
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgresql") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The demo's accounts would otherwise be hashed with PBKDF2: seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a page kept by an earlier test (whose database changes were rolled
    back, generation and all) must not be served to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the site's language: a request in English must not leave English behind for the next."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def demo(db):
    """The demo district (张店区发展和改革局 and its neighbours, one user per role)."""
    from gongkai import demo as demo_module

    demo_module.load_district()


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker):
    """Load the whole demo once for this module (it extracts attachment text and imports 100 双公示 files: about
    20 s on SQLite)."""
    with django_db_blocker.unblock():
        from gongkai import demo

        demo.load()
        yield
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def bureau(demo):
    from gongkai.orgs.models import Organization

    return Organization.objects.get(uscc="1137030300421716XM")


@pytest.fixture
def publisher(bureau):
    """赵敏, the bureau's publisher."""
    from gongkai.orgs.models import User

    return User.objects.get(username="publisher")


@pytest.fixture
def submitter(demo):
    """周晓, who submits 双公示 data for 张店区行政审批服务局 (报送单位填报员)."""
    from gongkai.orgs.models import User

    return User.objects.get(username="submitter")


@pytest.fixture
def credit(demo):
    """孙倩, the bureau's credit officer (信用管理员), who works for the whole district."""
    from gongkai.orgs.models import User

    return User.objects.get(username="credit")


@pytest.fixture
def reviewer(bureau):
    """李四, the bureau's reviewer."""
    from gongkai.orgs.models import User

    return User.objects.get(username="reviewer")


@pytest.fixture
def handler(bureau):
    """张三, the bureau's request handler (依申请公开经办人)."""
    from gongkai.orgs.models import User

    return User.objects.get(username="handler")


@pytest.fixture
def head(bureau):
    """钱文, the head of the bureau's disclosure office (公开办负责人)."""
    from gongkai.orgs.models import User

    return User.objects.get(username="head")


@pytest.fixture
def latin_names(demo):
    """The demo district with its names in Latin letters: then any Chinese on an English page is untranslated."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from gongkai.catalog.models import Column, Genre, Topic
    from gongkai.orgs.models import Department, Organization, User
    from gongkai.portal.models import SiteSettings

    Organization.objects.update(
        name=Concat(Value("Org "), "id"),
        short_name="",
        address="226 Xincun West Road",
        office_hours="8:30-17:30",
        icp_record="ICP 05004876",
        police_record="PSB 37030302000123",
    )
    Department.objects.update(name=Concat(Value("Office "), "id"))
    User.objects.update(display_name=Concat(Value("User "), "id"))
    SiteSettings.objects.update(name="Zhangdian", credit_site_name="Credit")
    for model in (Column, Topic, Genre):
        model.objects.update(name=Concat(Value(model.__name__ + " "), "id"))


def _chinese_in_body(html: str) -> list[str]:
    body = html[html.index("<body") :].replace('lang="zh-hans">简体中文</button>', "")
    return re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+", body)


@pytest.fixture
def untranslated():
    """untranslated(html): the Chinese in a page's body, apart from the language switch's own 简体中文."""
    return _chinese_in_body


@pytest.fixture
def run_gongkai():
    """Run the `gongkai` console command in a child process with the test environment."""

    def run(*args: str, env: dict | None = None, check: bool = False) -> subprocess.CompletedProcess:
        child_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [str(Path(sys.executable).parent / "gongkai"), *args],
            cwd=REPO,
            env=child_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=check,
        )

    return run


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failing test."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; skipped tests fail in CI.", red=True)
        session.exitstatus = 1


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    """A Gongkai installation of its own for the `gongkai` console command: a temporary data directory with a
    migrated SQLite database. Call it with the command's arguments."""
    data_dir = tmp_path_factory.mktemp("gongkai-data")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({"GONGKAI_DATA_DIR": str(data_dir), "GONGKAI_ENV_FILE": "/dev/null"})

    def gongkai(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
        return subprocess.run([GONGKAI, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)

    migrated = gongkai("migrate", "--noinput", timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    gongkai.env = env
    gongkai.data_dir = data_dir
    return gongkai
