"""Benchmarks: `make bench` (`python -m bench.run`). Each module has `run(samples) -> list[Result]`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    samples: int
    baseline: str
    baseline_seconds: float
    seconds: float

    @property
    def ratio(self) -> float:
        """How many times faster than the baseline."""
        return self.baseline_seconds / self.seconds


def run_in_child(vendor: str, module: str, *args: str) -> dict:
    """Run ``python -m <module> --child <args>`` with a throw-away database and data directory; its last
    stdout line, as JSON. ``vendor`` "postgresql" creates a database on 127.0.0.1 and drops it afterwards."""
    import json
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    admin_url = "host=127.0.0.1 user=postgres dbname=postgres"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GONGKAI_ENV_FILE")}
    with tempfile.TemporaryDirectory(prefix=f"gongkai-{module.replace('.', '-')}-") as data_dir:
        env["GONGKAI_DATA_DIR"] = data_dir
        env["GONGKAI_ENV_FILE"] = str(Path(data_dir) / "none.env")
        database = None
        if vendor == "postgresql":
            import psycopg

            database = f"gongkai_{module.replace('.', '_')}_{os.getpid()}"
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {database}")
                admin.execute(f"CREATE DATABASE {database}")
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
        try:
            done = subprocess.run(
                [sys.executable, "-m", module, "--child", *args],
                cwd=Path(__file__).resolve().parent.parent,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            if database:
                import psycopg

                with psycopg.connect(admin_url, autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    if done.returncode != 0:
        raise RuntimeError(f"the {vendor} run of {module} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
