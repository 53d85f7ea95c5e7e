"""A hồ sơ from submission to rating, with the refusals the rules require and the races they forbid."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from langson.core.models import AuditEntry, OrgUnit
from langson.services import workflow
from langson.services.codes import CODE
from langson.services.deadlines import LOCAL_TZ
from langson.services.models import Dossier, DossierDocument, DossierEvent, Procedure
from langson.services.storage import MAX_FILE_BYTES, Attachment, DossierError, path_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% to khai\n"
JPEG = b"\xff\xd8\xff\xe0" + b"anh chup giay to"
DONG_DANG, LUONG_VAN_TRI = "6184", "5983"
APPLICANT = {
    "applicant_name": "Hoàng Văn Pác",
    "applicant_id": "020090001234",
    "applicant_phone": "0912345678",
}


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"


@pytest.fixture
def birth() -> Procedure:
    """Đăng ký khai sinh, received anywhere in the province (sample data)."""
    return Procedure.objects.create(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field="Hộ tịch",
        level="commune",
        deadline_days=3,
        documents=[
            {"code": "TK", "name": "Tờ khai đăng ký khai sinh", "required": True, "copies": 1},
            {"code": "GCS", "name": "Giấy chứng sinh", "required": True, "copies": 1},
            {"code": "UQ", "name": "Văn bản ủy quyền", "required": False, "copies": 1},
        ],
        steps=[
            {"name": "Tiếp nhận", "days": 0},
            {"name": "Thẩm định", "days": 2},
            {"name": "Ký", "days": 1},
            {"name": "Trả kết quả", "days": 0},
        ],
        online="full",
        anywhere=True,
    )


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def files(*kinds: str) -> list[Attachment]:
    return [Attachment(kind, f"{kind}.pdf", PDF + kind.encode()) for kind in kinds]


def at(d: int, hh: int = 9) -> datetime:
    return datetime(2026, 12, d, hh, tzinfo=LOCAL_TZ)


def submit(procedure: Procedure, **kwargs: Any) -> Dossier:
    options: dict[str, Any] = {
        "channel": "online",
        "received_unit": unit(DONG_DANG),
        "now": at(1),
        **kwargs,
    }
    return workflow.submit(procedure, APPLICANT, options.pop("attachments", files("TK", "GCS")), **options)


def busy(commune: str, n: int) -> None:
    """Give a commune n open hồ sơ due in three working days, so that load balancing has work to weigh."""
    local, _ = Procedure.objects.get_or_create(
        code="2.000908",
        defaults={
            "name": "Chứng thực bản sao từ bản chính",
            "field": "Chứng thực",
            "level": "commune",
            "deadline_days": 3,
            "documents": [{"code": "BC", "name": "Bản chính", "required": True, "copies": 1}],
            "online": "partial",
            "anywhere": False,
        },
    )
    for _ in range(n):
        workflow.submit(
            local, APPLICANT, files("BC"), channel="counter", received_unit=unit(commune), now=at(1)
        )


def test_citizen_journey_online_to_another_commune_supplement_result_rating(birth, make_user):
    busy(DONG_DANG, 2)  # Đồng Đăng has work; the other communes none
    dossier = submit(birth, return_unit=unit(DONG_DANG))
    assert CODE.fullmatch(dossier.code) and dossier.code.endswith("-261201-0001")
    assert dossier.status == "waiting" and dossier.due_at is None  # the clock waits for reception
    assert dossier.received_unit.code == DONG_DANG
    assert dossier.processing_unit.code != DONG_DANG  # sent where there is less work
    officer = make_user("cb.khac", "commune_officer", dossier.processing_unit.code)

    workflow.receive(dossier, officer, now=at(1, 10))
    assert dossier.due_at == datetime(2026, 12, 4, 17, tzinfo=LOCAL_TZ)  # Tue 01/12 + 3 working days
    workflow.claim(dossier, officer, now=at(1, 11))
    workflow.request_supplement(dossier, officer, "Giấy chứng sinh bị mờ, chụp lại.", now=at(2))
    assert dossier.status == "supplement" and dossier.paused_at is not None
    workflow.supplement(dossier, [Attachment("GCS", "gcs-lan-2.jpg", JPEG)], now=at(7, 8))
    assert dossier.status == "processing" and dossier.paused_at is None
    assert dossier.due_at == datetime(2026, 12, 10, 17, tzinfo=LOCAL_TZ)  # Mon 07/12 + 3 working days
    assert list(dossier.documents.values_list("kind", "round")) == [("TK", 0), ("GCS", 0), ("GCS", 1)]
    workflow.advance(dossier, officer, now=at(9, 15))
    workflow.finish(dossier, officer, now=at(9, 15))
    assert (dossier.status, dossier.outcome) == ("result", "early")
    workflow.hand_back(dossier, officer, now=at(10))
    workflow.rate(dossier, 5, "Cán bộ nhiệt tình.", now=at(10, 10))
    with pytest.raises(DossierError) as again:
        workflow.rate(dossier, 1)
    assert again.value.code == "conflict"
    actions = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert actions == [
        "submit",
        "receive",
        "assign",
        "supplement_request",
        "supplement",
        "handover",
        "handover",
        "result",
        "return",
        "rate",
    ]
    assert DossierEvent.objects.get(dossier=dossier, action="return").to_unit.code == DONG_DANG
    # Every change of the hồ sơ is in the audit log, with the officer where one acted.
    assert AuditEntry.objects.filter(model="services.dossier", object_pk=str(dossier.pk)).count() >= 8


def test_a_procedure_not_allowed_anywhere_stays_with_the_receiving_commune(birth):
    busy(DONG_DANG, 3)
    Procedure.objects.filter(pk=birth.pk).update(anywhere=False)
    birth.refresh_from_db()
    assert submit(birth).processing_unit.code == DONG_DANG


def test_the_receiving_commune_wins_a_tie_and_loses_to_a_lighter_one(birth):
    from langson.services.assignment import loads, propose_unit

    communes = list(OrgUnit.objects.filter(kind__in=["commune", "ward"]))
    assert len(communes) == 65
    # Nobody has work: the receiving commune keeps it.
    assert propose_unit(birth, unit(DONG_DANG), at(1)).code == DONG_DANG
    busy(DONG_DANG, 1)
    owed = loads(communes, at(1))
    assert owed[unit(DONG_DANG).pk] == 4  # one hồ sơ due Fri 04/12: 3 working days left + 1
    assert propose_unit(birth, unit(DONG_DANG), at(1)).code != DONG_DANG


def test_two_officers_claiming_the_same_dossier_exactly_one_wins(birth, make_user):
    dossier = submit(birth, channel="counter")
    first = make_user("cb.a", "commune_officer", dossier.processing_unit.code)
    second = make_user("cb.b", "commune_officer", dossier.processing_unit.code)
    seen_by_second = Dossier.objects.get(pk=dossier.pk)  # loaded before the first claim
    workflow.claim(dossier, first)
    with pytest.raises(DossierError) as lost:
        workflow.claim(seen_by_second, second)
    assert lost.value.code == "conflict" and "người khác" in lost.value.vi
    assert Dossier.objects.get(pk=dossier.pk).assignee == first


@pytest.mark.parametrize(
    "attachments,code",
    [
        (files("TK"), "missing_documents"),
        ([Attachment("TK", "to-khai.docx", b"PK\x03\x04word"), *files("GCS")], "bad_file_type"),
        ([Attachment("TK", "to-khai.pdf", PDF + b"x" * MAX_FILE_BYTES), *files("GCS")], "file_too_large"),
        ([Attachment("TK", "rong.pdf", b""), *files("GCS")], "empty_file"),
        ([*files("TK", "GCS"), Attachment("XYZ", "la.pdf", PDF)], "unknown_document"),
    ],
)
def test_bad_submissions_are_refused_in_vietnamese_and_nothing_is_stored(birth, attachments, code, settings):
    with pytest.raises(DossierError) as refused:
        submit(birth, attachments=attachments)
    assert refused.value.code == code and refused.value.vi and refused.value.en
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()
    assert not (settings.DOSSIER_FILES_DIR).exists() or not any(settings.DOSSIER_FILES_DIR.rglob("*"))


def test_missing_documents_are_named(birth):
    with pytest.raises(DossierError) as refused:
        submit(birth, attachments=files("TK"))
    assert refused.value.vi == "Thiếu thành phần hồ sơ bắt buộc: Giấy chứng sinh."


def test_a_crash_inside_the_transaction_leaves_no_dossier(birth, monkeypatch):
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("máy chủ dừng giữa chừng")

    monkeypatch.setattr(workflow, "_save_files", crash)
    with pytest.raises(RuntimeError):
        submit(birth)
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    # The files written before the transaction are kept by content; a retry reuses them.
    monkeypatch.undo()
    dossier = submit(birth)
    assert all(path_of(d.sha256).exists() for d in dossier.documents.all())
    assert dossier.code.endswith("-0001")  # the failed attempt's number was given back with its transaction


def test_the_apology_is_allowed_once_and_not_on_the_due_day(birth, make_user):
    dossier = submit(birth, channel="counter", now=at(1))
    officer = make_user("cb.xl", "commune_officer", dossier.processing_unit.code)
    workflow.claim(dossier, officer, now=at(1))
    assert dossier.due_at == datetime(2026, 12, 4, 17, tzinfo=LOCAL_TZ)
    with pytest.raises(DossierError) as late:
        workflow.apologise(dossier, officer, "Chờ xác minh", 2, now=at(4))
    assert late.value.code == "apology_too_late"
    workflow.apologise(dossier, officer, "Chờ xác minh nơi cư trú", 2, now=at(3))
    assert dossier.extended_due_at == datetime(2026, 12, 8, 17, tzinfo=LOCAL_TZ)
    with pytest.raises(DossierError) as twice:
        workflow.apologise(dossier, officer, "Lần nữa", 2, now=at(3))
    assert twice.value.code == "already_extended"
    workflow.advance(dossier, officer, now=at(7, 16))
    workflow.finish(dossier, officer, now=at(7, 16))
    assert dossier.outcome == "early"  # Mon 07/12 16:00, before the new date Tue 08/12 17:00


def test_refusal_needs_a_reason(birth, make_user):
    dossier = submit(birth, channel="counter")
    officer = make_user("cb.tc", "commune_officer", dossier.processing_unit.code)
    with pytest.raises(DossierError):
        workflow.refuse(dossier, officer, "  ")
    workflow.refuse(dossier, officer, "Không thuộc thẩm quyền")
    assert dossier.status == "refused" and dossier.completed_at is not None


def test_manual_transfer_to_another_competent_commune_needs_a_reason(birth, make_user):
    dossier = submit(birth, channel="counter")
    home = dossier.processing_unit
    officer = make_user("cb.chuyen", "commune_officer", home.code)
    other = unit(LUONG_VAN_TRI) if home.code != LUONG_VAN_TRI else unit(DONG_DANG)
    with pytest.raises(DossierError) as no_reason:
        workflow.reassign(dossier, officer, other, " ")
    assert no_reason.value.code == "reason_required"
    workflow.reassign(dossier, officer, other, "Cán bộ hộ tịch nghỉ phép, chuyển xã bạn hỗ trợ.")
    assert dossier.processing_unit == other
    event = DossierEvent.objects.get(dossier=dossier, action="handover")
    assert (event.from_unit, event.to_unit) == (home, other) and "nghỉ phép" in event.note
    # Not for a procedure that only the receiving commune may handle.
    local = Procedure.objects.create(
        code="L.000001",
        name="Thủ tục tại chỗ",
        field="Hộ tịch",
        level="commune",
        deadline_days=1,
        documents=birth.documents,
        online="partial",
        anywhere=False,
    )
    stays = workflow.submit(
        local, APPLICANT, files("TK", "GCS"), channel="counter", received_unit=unit(DONG_DANG)
    )
    with pytest.raises(DossierError) as refused:
        workflow.reassign(stays, officer, unit(LUONG_VAN_TRI), "Thử")
    assert refused.value.code == "not_competent"


def test_assignment_to_an_officer_of_the_unit_only(birth, make_user):
    dossier = submit(birth, channel="counter")
    lead = make_user("cb.truong", "commune_officer", dossier.processing_unit.code)
    colleague = make_user("cb.dong.nghiep", "commune_officer", dossier.processing_unit.code)
    stranger = make_user(
        "cb.xa.khac",
        "commune_officer",
        LUONG_VAN_TRI if dossier.processing_unit.code != LUONG_VAN_TRI else DONG_DANG,
    )
    with pytest.raises(DossierError) as wrong:
        workflow.assign(dossier, lead, stranger)
    assert wrong.value.code == "not_in_unit"
    workflow.assign(dossier, lead, colleague)
    assert (dossier.status, dossier.assignee) == ("processing", colleague)
    with pytest.raises(DossierError):
        workflow.claim(dossier, lead)  # already taken


def test_every_hand_over_between_steps_is_marked_against_the_steps_due_time(birth, make_user):
    """Phiếu kiểm soát quá trình (BM.05): Thẩm định (2 days) is due Thu 03/12, Ký (1 day) Fri 04/12, the
    return at the promised time; each hand-over is early, on time or late against its own step."""
    dossier = submit(birth, channel="counter", now=at(1, 9))  # Tue 01/12 09:00, due Fri 04/12 17:00
    officer = make_user("cb.td", "commune_officer", dossier.processing_unit.code)
    leader = make_user("ld.ky", "commune_officer", dossier.processing_unit.code)
    stranger = make_user("cb.xa.khac", "commune_officer", LUONG_VAN_TRI)
    assert dossier.step == 1  # reception is done at the counter
    workflow.claim(dossier, officer, now=at(1, 10))
    with pytest.raises(DossierError) as early_result:
        workflow.finish(dossier, officer, now=at(2))
    assert early_result.value.code == "steps_left" and "Ký" in early_result.value.vi
    with pytest.raises(DossierError) as outsider:
        workflow.advance(dossier, officer, to=stranger, now=at(3))
    assert outsider.value.code == "not_in_unit"

    workflow.advance(dossier, officer, to=leader, note="Đủ điều kiện, trình ký.", now=at(3, 18))  # late
    assert (dossier.step, dossier.assignee) == (2, leader)
    with pytest.raises(DossierError) as no_more:
        workflow.advance(dossier, leader, now=at(4))
    assert no_more.value.code == "no_next_step"
    workflow.finish(dossier, leader, now=at(4, 11))  # Ký done on its day
    workflow.hand_back(dossier, officer, now=at(4, 16))

    rows = list(
        DossierEvent.objects.filter(dossier=dossier)
        .exclude(step="")
        .values_list("action", "step", "step_due_at", "outcome")
    )
    assert rows == [
        ("receive", "Tiếp nhận", datetime(2026, 12, 1, 17, tzinfo=LOCAL_TZ), "on_time"),
        ("handover", "Thẩm định", datetime(2026, 12, 3, 17, tzinfo=LOCAL_TZ), "late"),
        ("handover", "Ký", datetime(2026, 12, 4, 17, tzinfo=LOCAL_TZ), "on_time"),
        ("return", "Trả kết quả", datetime(2026, 12, 4, 17, tzinfo=LOCAL_TZ), "on_time"),
    ]
    handover = DossierEvent.objects.get(dossier=dossier, action="handover", step="Thẩm định")
    assert handover.note == f"→ {leader}: Đủ điều kiện, trình ký." and handover.actor == officer
    assert dossier.outcome == "on_time"  # the hồ sơ as a whole: result on the due day


def test_a_step_finished_a_day_early_is_early_and_two_officers_cannot_both_hand_over(birth, make_user):
    dossier = submit(birth, channel="counter", now=at(1, 9))
    officer = make_user("cb.a", "commune_officer", dossier.processing_unit.code)
    workflow.claim(dossier, officer, now=at(1, 10))
    stale = Dossier.objects.get(pk=dossier.pk)  # a second officer's page, opened before the hand-over
    workflow.advance(dossier, officer, now=at(2, 10))  # Thẩm định due Thu 03/12: done Wed, early
    assert DossierEvent.objects.get(dossier=dossier, action="handover").outcome == "early"
    with pytest.raises(DossierError) as conflict:
        workflow.advance(stale, officer, now=at(2, 11))
    assert conflict.value.code == "conflict"
    assert DossierEvent.objects.filter(dossier=dossier, action="handover").count() == 1
