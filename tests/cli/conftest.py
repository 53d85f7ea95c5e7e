"""Real processes (`langson ...`) against a database of their own: SQLite in a temporary data directory, or
a fresh PostgreSQL database when the suite runs with a PostgreSQL DATABASE_URL."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

LANGSON = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "langson")


@dataclass
class Platform:
    env: dict[str, str]
    data_dir: Path

    def run(
        self, *args: str, check: bool = True, extra_env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [LANGSON, *args],
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            check=check,
            timeout=timeout,
        )

    def popen(self, *args: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [LANGSON, *args],
            env={**self.env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def python(self, code: str) -> str:
        """Run ORM code inside the platform's own environment and return what it prints."""
        return self.run("shell", "--no-imports", "-c", code).stdout.strip()

    def sql(self, statement: str) -> None:
        self.python(
            f"from django.db import connection\nwith connection.cursor() as c:\n    c.execute({statement!r})"
        )


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env["LANGSON_DATA_DIR"] = str(tmp_path / "data")
    base_url = os.environ.get("DATABASE_URL", "")
    dbname = None
    if base_url.startswith("postgres"):
        import psycopg

        dbname = f"langson_cli_{uuid.uuid4().hex[:10]}"
        admin_url = base_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = base_url.rsplit("/", 1)[0] + f"/{dbname}"
    else:
        env.pop("DATABASE_URL", None)
    platform = Platform(env=env, data_dir=tmp_path / "data")
    platform.run("migrate", "--verbosity", "0")
    try:
        yield platform
    finally:
        if dbname:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
