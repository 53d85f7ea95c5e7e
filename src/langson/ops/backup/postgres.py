"""PostgreSQL for backups: connections from the Django settings, ``pg_dump -Fc`` of an exported snapshot,
``pg_restore``, and scratch databases for drills. The password goes to the client tools as PGPASSWORD in their
environment, never on the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings

from langson.ops.backup.config import BackupError, database


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            "pg_tools_missing",
            f"Thiếu {name}: cài gói postgresql-client (`apt-get install postgresql-client`).",
            f"{name} is missing: install postgresql-client (`apt-get install postgresql-client`).",
        )
    return found


def connect_kwargs(dbname: str | None = None) -> dict[str, Any]:
    db = database()
    kwargs: dict[str, Any] = {"dbname": dbname or db["NAME"]}
    for key, option in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if db.get(key):
            kwargs[option] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        kwargs["sslmode"] = sslmode
    return kwargs


def connect(dbname: str | None = None, *, autocommit: bool = False) -> Any:
    import psycopg

    return psycopg.connect(**connect_kwargs(dbname), autocommit=autocommit)


def conninfo(dbname: str | None = None) -> str:
    """libpq connection string without the password (which travels as PGPASSWORD)."""
    kwargs = connect_kwargs(dbname)
    kwargs.pop("password", None)
    return " ".join(f"{k}='{str(v).replace(chr(39), '')}'" for k, v in kwargs.items())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    password = database().get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def _run(args: list[str], what_vi: str, what_en: str) -> None:
    result = subprocess.run(  # noqa: S603 - our arguments; the password is in the environment
        args, env=_env(), capture_output=True, text=True, timeout=settings.BACKUP_TIMEOUT_SECONDS, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["?"])[-1][:300]
        if "No space left" in result.stderr:
            raise BackupError(
                "disk_full", f"Hết chỗ trên đĩa khi {what_vi}.", f"No space left while {what_en}."
            )
        raise BackupError(
            "database_failed", f"Lỗi khi {what_vi}: {detail}", f"Failed while {what_en}: {detail}"
        )


def dump(path: Path, snapshot: str) -> None:
    """``pg_dump -Fc`` of the exported snapshot: exactly the data the checksums are computed from."""
    _run(
        [
            _tool("pg_dump"),
            "-Fc",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            "-f",
            str(path),
            "--dbname",
            conninfo(),
        ],
        "sao lưu cơ sở dữ liệu (pg_dump)",
        "dumping the database (pg_dump)",
    )


def restore(path: Path, dbname: str | None = None, *, clean: bool) -> None:
    """``pg_restore`` in one transaction: the database gets the whole dump or stays as it was."""
    args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    if clean:
        args += ["--clean", "--if-exists"]
    _run(
        [*args, "--dbname", conninfo(dbname), str(path)], "khôi phục cơ sở dữ liệu", "restoring the database"
    )


def _admin_connection() -> Any:
    return connect("postgres", autocommit=True)


def create_database(name: str) -> None:
    from psycopg import sql

    with _admin_connection() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    from psycopg import sql

    with _admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url(dbname: str) -> str:
    """A DATABASE_URL for a process serving a scratch database (the password is in its environment only)."""
    from urllib.parse import quote

    db = database()
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = str(db.get("HOST") or "")
    host = f"[{host}]" if ":" in host else host
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(dbname, safe='')}"
