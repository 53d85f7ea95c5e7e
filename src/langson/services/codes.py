"""Mã số hồ sơ: ``<agency e-identifier>-<YYMMDD>-<sequence, at least 4 digits>``.

The pattern is the one Circular 03/2025/TT-VPCP Art. 13 practice shows (reference §4); the daily sequence is
per agency and never reused. Agency e-identifiers (Decision 20/2020/QĐ-TTg: groups of 0-9 A-Z separated by
dots, at most 35 characters) must come from the province's official list; until then ``agency_identifier``
derives a SAMPLE identifier from the unit (``LS.`` + the unit's code), marked as such in the README.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

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
    if it rolls back, the number is given back (the sequence row is part of the same transaction)."""
    if not IDENTIFIER.fullmatch(agency) or len(agency) > 35:
        raise ValueError(f"not an agency e-identifier: {agency!r}")
    with transaction.atomic():
        updated = DossierSequence.objects.filter(agency_id=agency, day=day).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    DossierSequence.objects.create(agency_id=agency, day=day, last=1)
            except IntegrityError:  # created meanwhile by another submission
                DossierSequence.objects.filter(agency_id=agency, day=day).update(last=F("last") + 1)
        last = DossierSequence.objects.get(agency_id=agency, day=day).last
    return f"{agency}-{day:%y%m%d}-{last:04d}"
