"""The hot path of a submission: what it locks and when, its codes, its files' durability (decision 0010)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from langson.core.models import AuditEntry, OrgUnit
from langson.core.services import audit
from langson.services import storage, workflow
from langson.services.assignment import propose_unit
from langson.services.deadlines import LOCAL_TZ
from langson.services.models import Dossier, DossierDocument, DossierEvent, Procedure
from langson.services.storage import Attachment, path_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% giay to\n"
APPLICANT = {"applicant_name": "Lộc Thị Hoa", "applicant_id": "020190004321"}


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"


@pytest.fixture
def copy_cert() -> Procedure:
    return Procedure.objects.create(
        code="2.000815",
        name="Chứng thực bản sao (thử)",
        field="Chứng thực",
        level="commune",
        deadline_days=1,
        documents=[
            {"code": "BC", "name": "Bản chính", "required": True, "copies": 1},
            {"code": "BS", "name": "Bản sao", "required": False, "copies": 1},
        ],
        online="partial",
        anywhere=False,
    )


def at(day: int) -> datetime:
    return datetime(2026, 12, day, 9, tzinfo=LOCAL_TZ)


def counter(procedure: Procedure, unit_code: str = "6184", day: int = 1, **kwargs: Any) -> Dossier:
    attachments = kwargs.pop("attachments", [Attachment("BC", "ban-chinh.pdf", PDF + os.urandom(8))])
    return workflow.submit(
        procedure,
        APPLICANT,
        attachments,
        channel="counter",
        received_unit=OrgUnit.objects.get(code=unit_code),
        now=at(day),
        **kwargs,
    )


def test_the_code_is_taken_first_and_the_audit_entry_is_the_last_write(copy_cert):
    """Both locks a submission takes (its agency's sequence row, the audit chain) are held to the commit,
    so they are taken as late as the rows allow: the code by the transaction's first statement (the hồ sơ's
    row needs it), the chain's lock by its last ones."""
    with CaptureQueriesContext(connection) as captured:
        dossier = counter(copy_cert)
    sql = [q["sql"] for q in captured.captured_queries]

    def first(table: str, verb: str = "INSERT") -> int:
        return next(i for i, s in enumerate(sql) if s.startswith(verb) and f'"{table}"' in s)

    writes = [i for i, s in enumerate(sql) if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    sequence = min(first("services_dossiersequence", "UPDATE"), first("services_dossiersequence"))
    assert sequence == writes[0] < first("services_dossier") < first("services_dossierdocument")
    assert first("services_dossierdocument") < first("services_dossierevent") < first("core_auditentry")
    assert writes[-1] == first("core_auditentry")
    if connection.vendor == "postgresql":
        chain_lock = next(i for i, s in enumerate(sql) if "pg_advisory_xact_lock" in s)
        assert chain_lock > first("services_dossierevent")
    entry = AuditEntry.objects.get(model="services.dossier", object_pk=str(dossier.pk))
    assert entry.action == "create" and dossier.code in entry.changes
    assert audit.verify().ok


def test_codes_follow_each_agency_s_daily_sequence(copy_cert):
    dong_dang = [counter(copy_cert).code for _ in range(3)]
    assert [c[-4:] for c in dong_dang] == ["0001", "0002", "0003"]
    assert dong_dang[0].startswith("LS.") and "-261201-" in dong_dang[0]
    assert counter(copy_cert, unit_code="5983").code.endswith("-261201-0001")  # another agency
    assert counter(copy_cert, day=2).code.endswith("-261202-0001")  # another day


def test_a_file_that_cannot_be_written_stops_the_submission_and_gives_the_number_back(
    copy_cert, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    settings.DOSSIER_FILES_DIR = blocker / "dossiers"
    with pytest.raises(OSError):
        counter(copy_cert)
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()
    assert not DossierEvent.objects.exists()
    assert not AuditEntry.objects.filter(model="services.dossier").exists()
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"
    assert counter(copy_cert).code.endswith("-0001")
    assert audit.verify().ok


def test_the_same_scan_given_twice_is_stored_once(copy_cert):
    scan = PDF + b"cung mot ban quet"
    dossier = counter(
        copy_cert, attachments=[Attachment("BC", "a.pdf", scan), Attachment("BS", "b.pdf", scan)]
    )
    documents = list(dossier.documents.all())
    assert len(documents) == 2 and documents[0].sha256 == documents[1].sha256
    folder = path_of(documents[0].sha256).parent
    assert [p.name for p in folder.iterdir()] == [documents[0].sha256]  # no temporary file left behind


def test_a_file_and_its_name_are_durable_before_the_dossier_s_last_statement(copy_cert, monkeypatch):
    """Written by another thread meanwhile, but fsynced, renamed and its folder fsynced before the audit entry
    (the transaction's last statement, then the commit): never a hồ sơ row without its file after a crash."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        events.append(("rename", str(dst)))

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith("INSERT") and "core_auditentry" in sql:
            events.append(("audit entry", ""))
        return execute(sql, params, many, context)

    monkeypatch.setattr(storage.os, "fsync", fsync)
    monkeypatch.setattr(storage.os, "replace", replace)
    scan = Attachment("BC", "ban-chinh.pdf", PDF + b"ben vung")
    with connection.execute_wrapper(watch):
        counter(copy_cert, attachments=[scan])
    final = path_of(scan.sha256)
    renamed = events.index(("rename", str(final)))
    temp = str(final.parent / f".{final.name}.")
    assert any(kind == "fsync" and path.startswith(temp) for kind, path in events[:renamed])
    folder_synced = events.index(("fsync", str(final.parent)), renamed)
    assert folder_synced < events.index(("audit entry", ""))


def test_a_warm_load_cache_proposes_a_commune_without_a_query(copy_cert):
    Procedure.objects.filter(pk=copy_cert.pk).update(anywhere=True)
    copy_cert.refresh_from_db()
    dong_dang = OrgUnit.objects.get(code="6184")
    first = propose_unit(copy_cert, dong_dang, at(1))
    with CaptureQueriesContext(connection) as captured:
        second = propose_unit(copy_cert, dong_dang, at(1))
    assert captured.captured_queries == []
    assert first.code == "6184" and second.code != "6184"  # its own assignment counts at once
