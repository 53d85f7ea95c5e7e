"""Cost of the audit log: an audited save (snapshot, diff, hash-chained append) against a plain save of
the same model, and how fast `langson audit verify` walks the chain.

Peer: the same ORM save without auditing, measured side by side in the same run. Targets are for the
embedded SQLite set-up on a 2-core machine: an officer's save must stay well under a millisecond-scale
budget, and the nightly verification of a year of changes (about 1 M entries) must take minutes, not hours.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction

from langson.core.models import AuditEntry, OrgUnit
from langson.core.services import audit


def run(quick: bool) -> dict[str, Any]:
    n = 300 if quick else 3000
    province = OrgUnit.objects.create(code="20", name="Tỉnh Lạng Sơn", kind="province")
    unit = OrgUnit.objects.create(code="BENCH", name="Đơn vị đo", kind="unit", parent=province)

    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            # The peer: Django's own save, no snapshot, no audit entry.
            OrgUnit.objects.filter(pk=unit.pk).update(phone=f"0205 {i:06d}")
    plain = n / (time.perf_counter() - started)

    started = time.perf_counter()
    for i in range(n):
        unit.phone = f"0206 {i:06d}"
        unit.save()
    audited = n / (time.perf_counter() - started)

    entries = AuditEntry.objects.count()
    started = time.perf_counter()
    result = audit.verify()
    verify_rate = entries / (time.perf_counter() - started)
    if not result.ok:
        raise RuntimeError(f"audit chain broken at {result.bad_id}")

    return {
        "metrics": {
            "audited_saves_per_s": round(audited, 1),
            "audit_overhead_ratio": round(plain / audited, 2),
            "verify_entries_per_s": round(verify_rate, 1),
            "entries": entries,
        },
        "baseline": {
            "plain_saves_per_s": round(plain, 1),
            "peer": "Django ORM update without audit, same run",
        },
        "targets": [
            {"metric": "audited_saves_per_s", "min": 200},
            {"metric": "verify_entries_per_s", "min": 10000},
        ],
    }
