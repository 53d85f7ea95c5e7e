"""The sample procedure catalog: what it holds, that it loads idempotently, that bad entries are refused."""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from langson.core.models import AuditEntry
from langson.core.services.seed import REFERENCE_LOADERS
from langson.services.catalog import DATA_FILE, CatalogError, load_procedures, validate_entry
from langson.services.models import Procedure

GOOD: dict[str, Any] = {
    "code": "1.001193",
    "name": "Thủ tục đăng ký khai sinh",
    "field": "Hộ tịch",
    "level": "commune",
    "agency": None,
    "deadline_days": 0,
    "fee_vnd": 0,
    "fee_note": "Miễn lệ phí khi đăng ký đúng hạn.",
    "documents": [
        {"code": "TK", "name": "Tờ khai đăng ký khai sinh", "required": True, "copies": 1},
        {"code": "GCS", "name": "Giấy chứng sinh", "required": True, "copies": 1},
    ],
    "steps": [{"name": "Tiếp nhận", "days": 0}, {"name": "Trả kết quả", "days": 0}],
    "online": "full",
    "anywhere": True,
    "sample": True,
}


def bad(**changes: Any) -> dict[str, Any]:
    entry = copy.deepcopy(GOOD)
    entry.update(changes)
    return entry


def refused(entry: Any) -> str:
    with pytest.raises(CatalogError) as error:
        validate_entry(entry)
    return str(error.value)


@pytest.fixture
def loaded(db: Any) -> dict[str, int]:
    return load_procedures()


def test_the_file_says_it_is_sample_data_to_be_replaced():
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert "Dữ liệu mẫu" in data["note"] and "Quyết định công bố của Chủ tịch UBND tỉnh" in data["note"]
    assert all(entry["sample"] is True for entry in data["procedures"])


def test_loads_a_catalog_of_sample_procedures(loaded):
    assert loaded["procedures"] == loaded["created"] == Procedure.objects.count() >= 30
    procedures = list(Procedure.objects.select_related("agency"))
    assert all(p.sample and p.active for p in procedures)
    assert sum(p.level == "commune" for p in procedures) >= 10
    assert sum(p.level == "province" for p in procedures) >= 10
    assert sum(p.anywhere for p in procedures) >= 10
    assert {p.online for p in procedures} == {"full", "partial", "none"}


def test_competence_deadlines_steps_and_documents_are_consistent(loaded):
    for p in Procedure.objects.select_related("agency"):
        if p.level == "province":
            assert p.agency is not None and p.agency.kind == "department", p.code
        else:
            assert p.agency is None, p.code
        assert sum(step["days"] for step in p.steps) <= p.deadline_days, p.code
        codes = [d["code"] for d in p.documents]
        assert len(codes) == len(set(codes)) and 2 <= len(codes) <= 6, p.code
        assert any(d["required"] for d in p.documents), p.code


def test_well_known_procedures_have_their_usual_deadlines_and_fees(loaded):
    def get(name: str) -> Procedure:
        return Procedure.objects.get(name__iexact=name)

    birth = get("Thủ tục đăng ký khai sinh")
    assert (birth.deadline_days, birth.fee_vnd, birth.level, birth.anywhere) == (0, 0, "commune", True)
    copies = Procedure.objects.get(code="2.000815")
    assert copies.deadline_days == 0 and copies.fee_vnd == 2000 and "15 giờ" in copies.fee_note
    record = Procedure.objects.get(name__startswith="Cấp Phiếu lý lịch tư pháp")
    assert (record.deadline_days, record.fee_vnd) == (10, 200000)
    assert get("Đăng ký thành lập hộ kinh doanh").deadline_days == 3
    assert get("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ").deadline_days == 15
    enterprise = Procedure.objects.get(name__startswith="Đăng ký thành lập công ty")
    assert enterprise.deadline_days == 3 and enterprise.agency.code == "SO-TC"


def test_loading_twice_changes_nothing_and_writes_no_audit(loaded):
    before = (Procedure.objects.count(), AuditEntry.objects.count())
    assert load_procedures() == {"procedures": loaded["procedures"], "created": 0, "updated": 0}
    assert (Procedure.objects.count(), AuditEntry.objects.count()) == before


def test_reloading_restores_a_changed_procedure(loaded):
    birth = Procedure.objects.get(code="1.001193")
    birth.deadline_days = 9
    birth.save()
    assert load_procedures()["updated"] == 1
    birth.refresh_from_db()
    assert birth.deadline_days == 0


def test_seed_command_loads_the_catalog_with_the_reference_data(db):
    assert load_procedures in REFERENCE_LOADERS  # registered by ServicesConfig.ready()
    out = StringIO()
    call_command("seed", "--no-demo", stdout=out)
    assert "langson.services.catalog" in out.getvalue()
    assert Procedure.objects.count() >= 30


def test_a_good_entry_passes():
    validate_entry(GOOD)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (bad(deadline_days=-1), "deadline_days -1"),
        (bad(deadline_days="3"), "deadline_days '3'"),
        (bad(steps=[{"name": "Thẩm định", "days": 4}]), "steps take 4 working days, more than the deadline"),
        (bad(steps=[{"name": "Tiếp nhận", "days": 0}]), "at least the reception and the return"),
        (
            bad(documents=[{"code": "TK", "name": "Tờ khai", "required": True, "copies": 1}] * 2),
            "document code 'TK' is repeated",
        ),
        (
            bad(documents=[{"code": "TK", "name": "Tờ khai", "required": False, "copies": 1}]),
            "at least one document must be required",
        ),
        (bad(documents=[]), "'documents' must be a non-empty list"),
        (bad(level="district"), "level 'district'"),
        (bad(level="province"), "a province-level procedure needs the code of its agency"),
        (bad(agency="SO-TP"), "a commune-level procedure has no agency"),
        (bad(online="level 4"), "online 'level 4'"),
        (bad(code="KS-01"), "code 'KS-01' is not a national TTHC code"),
        (bad(deadline=3), "unknown keys: deadline"),
    ],
)
def test_a_malformed_entry_is_refused_with_a_clear_message(entry, message):
    text = refused(entry)
    assert text.startswith(f"procedure {entry['code']}:") and message in text


def test_every_problem_of_an_entry_is_reported_at_once():
    text = refused(bad(deadline_days=-2, online="?", documents=[]))
    assert "deadline_days -2" in text and "online '?'" in text and "'documents'" in text
    assert "missing keys: name" in refused({k: v for k, v in GOOD.items() if k != "name"})
    assert "must be an object" in refused(["1.001193"])


def write(tmp_path: Path, entries: list[dict[str, Any]]) -> Path:
    path = tmp_path / "procedures.json"
    path.write_text(json.dumps({"note": "test", "procedures": entries}, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_bad_file_writes_nothing(db, tmp_path):
    path = write(tmp_path, [GOOD, bad(code="2.000815", deadline_days=-1)])
    with pytest.raises(CatalogError, match=r"procedure 2\.000815: deadline_days -1"):
        load_procedures(path)
    assert not Procedure.objects.exists()
    with pytest.raises(CatalogError, match=r"procedure codes repeated: 1\.001193"):
        load_procedures(write(tmp_path, [GOOD, GOOD]))


def test_an_unknown_agency_is_refused_loudly(db, tmp_path):
    entry = bad(code="2.000488", level="province", agency="SO-KHONG-CO")
    with pytest.raises(CatalogError, match=r"unknown agency codes .*'SO-KHONG-CO' for 2\.000488"):
        load_procedures(write(tmp_path, [entry]))
    assert not Procedure.objects.exists()
