"""Mã số hồ sơ: ``<agency e-identifier>-<YYMMDD>-<sequence, at least 4 digits>``.

The pattern is the one Circular 03/2025/TT-VPCP Art. 13 practice shows (reference §4); the daily sequence is
per agency and never reused. Agency e-identifiers (Decision 20/2020/QĐ-TTg: groups of 0-9 A-Z separated by
dots, at most 35 characters) must come from the province's official list; until then ``agency_identifier``
derives a SAMPLE identifier from the unit (``LS.`` + the unit's code), marked as such in the README.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import connection

from langson.core.models import OrgUnit
from langson.services.models import DossierSequence

IDENTIFIER = re.compile(r"[0-9A-Z]+(\.[0-9A-Z]+)*")
CODE = re.compile(r"(?P<agency>[0-9A-Z.]{1,35})-(?P<day>\d{6})-(?P<seq>\d{4,})")


def agency_identifier(unit: OrgUnit) -> str:
    """SAMPLE e-identifier of a unit until the official list is loaded (see the module docstring)."""
    base = str(unit.gso_code) if unit.gso_code else unit.code
    identifier = "LS." + re.sub(r"[^0-9A-Z]+", ".", base.upper()).strip(".")
    if not IDENTIFIER.fullmatch(identifier) or len(identifier) > 35:
        raise ValueError(f"cannot derive an e-identifier for unit {unit.code!r}")
    return identifier


def next_code(agency: str, day: date) -> str:
    """The next free code of the agency for the day. Call inside the transaction that stores the hồ sơ:
    if it rolls back, the number is given back (the sequence row is part of the same transaction).

    The agency's row stays locked until that transaction ends, so two submissions to the same agency take
    their numbers one after the other: call it as late as the transaction allows. One statement in the usual
    case (an increment that returns the number), two on an agency's first hồ sơ of the day (an insert that
    becomes an increment if another submission inserted the row meanwhile).
    """
    if not IDENTIFIER.fullmatch(agency) or len(agency) > 35:
        raise ValueError(f"not an agency e-identifier: {agency!r}")
    qn = connection.ops.quote_name
    table, last = qn(DossierSequence._meta.db_table), qn("last")
    agency_col, day_col = qn("agency_id"), qn("day")
    key = (agency, day)
    with connection.cursor() as cursor:
        # Our own table and column names only; the values are parameters.
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 "  # noqa: S608
            f"WHERE {agency_col} = %s AND {day_col} = %s RETURNING {last}",
            key,
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(
                f"INSERT INTO {table} ({agency_col}, {day_col}, {last}) VALUES (%s, %s, 1) "  # noqa: S608
                f"ON CONFLICT ({agency_col}, {day_col}) "
                f"DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
                key,
            )
            row = cursor.fetchone()
    return f"{agency}-{day:%y%m%d}-{row[0]:04d}"
