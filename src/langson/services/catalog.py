"""The procedure catalog (danh mục thủ tục hành chính), loaded from ``data/procedures.json`` as reference
data.

The shipped file is SAMPLE data (every entry ``"sample": true``) until the province's official list,
published by decision of the Chairman of the Provincial People's Committee, replaces it. Loading validates
the whole file first, then upserts by procedure code: re-loading an unchanged file writes nothing (and no
audit entry). Procedures that disappear from the file are left as they are; deactivate them in the admin.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, TypeGuard

from django.db import transaction

from langson.core.models import OrgUnit
from langson.core.services.seed import upsert
from langson.services.models import Procedure

DATA_FILE = Path(__file__).resolve().parent / "data" / "procedures.json"

# National TTHC database codes: "1.001193", "2.000908", "1.014465.H12".
CODE = re.compile(r"\d\.\d{6}(\.[A-Z0-9]+)?")
# Document codes become form field names (``doc_<code>``) and file kinds.
DOCUMENT_CODE = re.compile(r"[A-Za-z0-9_]{1,40}")

REQUIRED_KEYS = {
    "code",
    "name",
    "field",
    "level",
    "agency",
    "deadline_days",
    "documents",
    "steps",
    "online",
    "anywhere",
}
# "basis" (legal basis, for the people checking the sample against the official list) is not stored.
OPTIONAL_KEYS = {"fee_vnd", "fee_note", "sample", "active", "basis"}


class CatalogError(ValueError):
    """The catalog file is malformed; the message says which procedure and what is wrong."""


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(entry: dict[str, Any], key: str, limit: int, problems: list[str], *, blank: bool = False) -> None:
    value = entry.get(key)
    if not isinstance(value, str) or (not blank and not value.strip()):
        problems.append(f"{key!r} must be a non-empty string" if not blank else f"{key!r} must be a string")
    elif len(value) > limit:
        problems.append(f"{key!r} is longer than {limit} characters")


def _check_documents(documents: Any, problems: list[str]) -> None:
    if not isinstance(documents, list) or not documents:
        problems.append("'documents' must be a non-empty list")
        return
    seen: set[str] = set()
    for i, document in enumerate(documents):
        where = f"documents[{i}]"
        if not isinstance(document, dict) or set(document) != {"code", "name", "required", "copies"}:
            problems.append(f"{where} must have exactly the keys code, name, required, copies")
            continue
        code = document["code"]
        if not isinstance(code, str) or not DOCUMENT_CODE.fullmatch(code):
            problems.append(f"{where}: code {code!r} must be 1–40 letters, digits or '_'")
        elif code in seen:
            problems.append(f"{where}: document code {code!r} is repeated")
        else:
            seen.add(code)
        if not isinstance(document["name"], str) or not document["name"].strip():
            problems.append(f"{where}: name must be a non-empty string")
        if not isinstance(document["required"], bool):
            problems.append(f"{where}: required must be true or false")
        if not _is_int(document["copies"]) or document["copies"] < 1:
            problems.append(f"{where}: copies must be a whole number >= 1")
    if not any(isinstance(d, dict) and d.get("required") is True for d in documents):
        problems.append("at least one document must be required")


def _check_steps(steps: Any, deadline: Any, problems: list[str]) -> None:
    if not isinstance(steps, list):
        problems.append("'steps' must be a list")
        return
    if len(steps) < 2:
        # The first step is the reception and the last the return of the result (workflow.step_plan).
        problems.append("'steps' needs at least the reception and the return of the result")
    total = 0
    for i, step in enumerate(steps):
        where = f"steps[{i}]"
        if not isinstance(step, dict) or set(step) != {"name", "days"}:
            problems.append(f"{where} must have exactly the keys name, days")
            continue
        if not isinstance(step["name"], str) or not step["name"].strip():
            problems.append(f"{where}: name must be a non-empty string")
        if not _is_int(step["days"]) or step["days"] < 0:
            problems.append(f"{where}: days must be a whole number >= 0")
        else:
            total += step["days"]
    if _is_int(deadline) and total > deadline:
        problems.append(f"the steps take {total} working days, more than the deadline of {deadline}")


def validate_entry(entry: Any) -> None:
    """Raise :class:`CatalogError` listing every problem of one catalog entry."""
    if not isinstance(entry, dict):
        raise CatalogError(f"catalog entry must be an object, not {type(entry).__name__}")
    label = entry.get("code") if isinstance(entry.get("code"), str) else "?"
    problems: list[str] = []
    missing = REQUIRED_KEYS - set(entry)
    if missing:
        problems.append("missing keys: " + ", ".join(sorted(missing)))
    unknown = set(entry) - REQUIRED_KEYS - OPTIONAL_KEYS
    if unknown:
        problems.append("unknown keys: " + ", ".join(sorted(unknown)))
    code = entry.get("code")
    if not isinstance(code, str) or not CODE.fullmatch(code) or len(code) > 40:
        problems.append(f"code {code!r} is not a national TTHC code such as '1.001193'")
    _text(entry, "name", 400, problems)
    _text(entry, "field", 120, problems)
    if "fee_note" in entry:
        _text(entry, "fee_note", 300, problems, blank=True)
    level, agency = entry.get("level"), entry.get("agency")
    if level not in Procedure.Level.values:
        problems.append(f"level {level!r} must be one of {', '.join(Procedure.Level.values)}")
    elif level == Procedure.Level.PROVINCE and (not isinstance(agency, str) or not agency):
        problems.append("a province-level procedure needs the code of its agency ('agency': 'SO-TP'...)")
    elif level == Procedure.Level.COMMUNE and agency is not None:
        problems.append("a commune-level procedure has no agency (every commune handles it): use null")
    deadline = entry.get("deadline_days")
    if not _is_int(deadline) or deadline < 0 or deadline > 32767:
        problems.append(f"deadline_days {deadline!r} must be a whole number of working days >= 0")
    fee = entry.get("fee_vnd", 0)
    if not _is_int(fee) or fee < 0:
        problems.append(f"fee_vnd {fee!r} must be a whole number of đồng >= 0")
    _check_documents(entry.get("documents"), problems)
    _check_steps(entry.get("steps"), deadline, problems)
    if entry.get("online") not in Procedure.Online.values:
        problems.append(f"online {entry.get('online')!r} must be one of {', '.join(Procedure.Online.values)}")
    for key in ("anywhere", "sample", "active"):
        if key in entry and not isinstance(entry[key], bool):
            problems.append(f"{key!r} must be true or false")
    if "basis" in entry and not isinstance(entry["basis"], str):
        problems.append("'basis' must be a string")
    if problems:
        raise CatalogError(f"procedure {label}: " + "; ".join(problems))


def read_catalog(path: Path | None = None) -> list[dict[str, Any]]:
    """The validated entries of the catalog file (the whole file is checked before anything is written)."""
    path = path or DATA_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogError(f"cannot read the procedure catalog {path}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
        raise CatalogError(f"{path}: expected an object with a 'procedures' list")
    entries: list[dict[str, Any]] = data["procedures"]
    problems = []
    for entry in entries:
        try:
            validate_entry(entry)
        except CatalogError as error:
            problems.append(str(error))
    codes = [entry["code"] for entry in entries if isinstance(entry, dict) and "code" in entry]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        problems.append("procedure codes repeated: " + ", ".join(repeated))
    if problems:
        raise CatalogError(f"{path}:\n  " + "\n  ".join(problems))
    return entries


def _values(entry: dict[str, Any], agency: OrgUnit | None) -> dict[str, Any]:
    return {
        "name": entry["name"],
        "field": entry["field"],
        "level": entry["level"],
        "agency": agency,
        "deadline_days": entry["deadline_days"],
        "fee_vnd": entry.get("fee_vnd", 0),
        "fee_note": entry.get("fee_note", ""),
        "documents": [
            {"code": d["code"], "name": d["name"], "required": d["required"], "copies": d["copies"]}
            for d in entry["documents"]
        ],
        "steps": [{"name": s["name"], "days": s["days"]} for s in entry["steps"]],
        "online": entry["online"],
        "anywhere": entry["anywhere"],
        "sample": entry.get("sample", True),
        "active": entry.get("active", True),
    }


@transaction.atomic
def load_procedures(path: Path | None = None) -> dict[str, int]:
    """Upsert the catalog by procedure code; agencies are OrgUnit codes of the reference data."""
    entries = read_catalog(path)
    wanted = {entry["agency"] for entry in entries if entry["agency"]}
    agencies = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=wanted)}
    unknown = sorted(wanted - set(agencies))
    if unknown:
        uses = {code: [e["code"] for e in entries if e["agency"] == code] for code in unknown}
        raise CatalogError(
            "unknown agency codes in the procedure catalog (not an OrgUnit; is the reference data loaded?): "
            + "; ".join(f"{code!r} for {', '.join(codes)}" for code, codes in uses.items())
        )
    existing = {p.code: p for p in Procedure.objects.filter(code__in=[e["code"] for e in entries])}
    created = updated = 0
    for entry in entries:
        values = _values(entry, agencies.get(entry["agency"]) if entry["agency"] else None)
        before = existing.get(entry["code"])
        if before is not None and any(getattr(before, name) != value for name, value in values.items()):
            updated += 1
        _, new = upsert(Procedure, {"code": entry["code"]}, values)
        created += new
    return {"procedures": len(entries), "created": created, "updated": updated}
