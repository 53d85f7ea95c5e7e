"""Row counts and content checksums of every table, and digests of files: what a snapshot's manifest
records and what a restore must give back.

A table's checksum is the SHA-256 of its rows in primary-key order, each row as the database itself prints
it: SQLite's values (int, float, text, blob, NULL) through ``repr``; PostgreSQL's ``row::text`` in a session
whose time zone, date style and byte output are fixed. Both are stable across a dump and its restore on the
same engine (a SQLite file copied back; ``pg_dump -Fc`` then ``pg_restore``), which is what the checks
compare. Rows are streamed, never loaded whole.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TableSums = dict[str, dict[str, Any]]  # table -> {"rows": n, "sha256": hex}

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _digest_rows(rows: Iterable[Any], render: Any) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(render(row).encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def open_sqlite_readonly(path: Path) -> sqlite3.Connection:
    """A copy that nobody writes: immutable, so no -wal/-shm files appear beside it."""
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)


def sqlite_tables(path: Path, *, live: bool = False) -> TableSums:
    """``live``: a database in use (its WAL counts); otherwise a copy nobody writes."""
    connection = (
        sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) if live else open_sqlite_readonly(path)
    )
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        sums: TableSums = {}
        for name in names:
            columns = connection.execute(f"PRAGMA table_info({_quote(name)})").fetchall()
            keys = [c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5]] or [c[1] for c in columns]
            order = ", ".join(_quote(k) for k in keys)
            cursor = connection.execute(f"SELECT * FROM {_quote(name)} ORDER BY {order}")  # noqa: S608
            sums[name] = _digest_rows(cursor, repr)
        return sums
    finally:
        connection.close()


def prepare_postgres_session(cursor: Any) -> None:
    """Fixed output formats, so a row prints the same in any session."""
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.execute("SET DateStyle = 'ISO, YMD'")
    cursor.execute("SET IntervalStyle = 'postgres'")
    cursor.execute("SET bytea_output = 'hex'")
    cursor.execute("SET extra_float_digits = 1")


def postgres_tables(connection: Any) -> TableSums:
    """Checksums through a psycopg connection, inside whatever transaction (snapshot) it is in."""
    with connection.cursor() as cursor:
        prepare_postgres_session(cursor)
        cursor.execute(
            "SELECT c.relname, ARRAY(SELECT a.attname FROM pg_index i "
            "  JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true "
            "  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
            "  WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.ord) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
        tables = cursor.fetchall()
    sums: TableSums = {}
    for index, (name, keys) in enumerate(tables):
        order = ", ".join(_quote(k) for k in keys) if keys else "t::text"
        with connection.cursor(name=f"langson_checksum_{index}") as cursor:
            cursor.itersize = 2000
            cursor.execute(f"SELECT t::text FROM {_quote(name)} AS t ORDER BY {order}")  # noqa: S608
            sums[name] = _digest_rows(cursor, lambda row: row[0])
    return sums


def compare_tables(expected: TableSums, found: TableSums) -> list[str]:
    """Mismatches in words (English, as they are data for the operator's tools; the page shows counts)."""
    problems = []
    for name, want in sorted(expected.items()):
        got = found.get(name)
        if got is None:
            problems.append(f"table {name}: missing")
        elif got["rows"] != want["rows"]:
            problems.append(f"table {name}: {got['rows']} rows, expected {want['rows']}")
        elif got["sha256"] != want["sha256"]:
            problems.append(f"table {name}: content differs")
    for name in sorted(set(found) - set(expected)):
        problems.append(f"table {name}: not in the manifest")
    return problems


def compare_files(expected: dict[str, dict[str, Any]], root: Path) -> list[str]:
    """Each file of the manifest present under ``root`` with its digest; and no file the manifest lacks."""
    problems = []
    for relative, want in sorted(expected.items()):
        path = root / relative
        if not path.is_file():
            problems.append(f"file {relative}: missing")
        elif path.stat().st_size != want["bytes"] or file_sha256(path) != want["sha256"]:
            problems.append(f"file {relative}: content differs")
    return problems
