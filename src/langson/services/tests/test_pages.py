"""The one-stop pages through Django's test client: public catalog and lookup, a citizen's submission and
follow-up, the officers' inbox and actions, and who may see what."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from langson.core.models import OrgUnit
from langson.services.models import Dossier, DossierDocument, Procedure
from langson.services.tests.test_workflow import DONG_DANG, LUONG_VAN_TRI, PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"


@pytest.fixture
def marriage() -> Procedure:
    return Procedure.objects.create(
        code="1.000894",
        name="Thủ tục đăng ký kết hôn",
        field="Hộ tịch",
        level="commune",
        deadline_days=0,
        documents=[
            {"code": "TK", "name": "Tờ khai đăng ký kết hôn", "required": True, "copies": 1},
            {"code": "XNHN", "name": "Giấy xác nhận tình trạng hôn nhân", "required": True, "copies": 1},
        ],
        online="full",
        anywhere=False,
    )


def login(make_user: Any, username: str, role: str, unit: str | None = None) -> Client:
    client = Client()
    client.force_login(make_user(username, role, unit))
    return client


def form(**changes: Any) -> dict[str, Any]:
    unit = OrgUnit.objects.get(code=DONG_DANG).pk
    return {
        "applicant_name": "Nông Thị Hoa",
        "applicant_id": "020195001234",
        "applicant_phone": "0912 345 678",
        "applicant_email": "",
        "applicant_address": "Thôn Pò Đứa, xã Đồng Đăng",
        "received_unit": unit,
        "return_unit": unit,
        "request": "",
        "doc_TK": SimpleUploadedFile("to-khai.pdf", PDF + b"1", content_type="application/pdf"),
        "doc_XNHN": SimpleUploadedFile("xac-nhan.pdf", PDF + b"2", content_type="application/pdf"),
        **changes,
    }


def test_the_catalog_and_a_procedure_are_public(marriage):
    client = Client()
    page = client.get("/dvc/?q=kết hôn")
    assert page.status_code == 200 and "Thủ tục đăng ký kết hôn" in page.content.decode()
    detail = client.get(f"/dvc/thu-tuc/{marriage.code}/").content.decode()
    assert "Giấy xác nhận tình trạng hôn nhân" in detail and "bắt buộc" in detail
    assert client.get(f"/dvc/thu-tuc/{marriage.code}/nop/").status_code == 302  # submitting needs login


def test_a_citizen_submits_follows_and_an_officer_processes(marriage, make_user):
    citizen = login(make_user, "nguoidan.hoa", "citizen")
    answer = citizen.post(f"/dvc/thu-tuc/{marriage.code}/nop/", form())
    dossier = Dossier.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/dvc/ho-so/{dossier.code}/"
    assert dossier.status == "waiting" and dossier.applicant_phone == "0912345678"
    mine = citizen.get(f"/dvc/ho-so/{dossier.code}/").content.decode()
    assert dossier.code in mine and "Chờ tiếp nhận trực tuyến" in mine

    officer = login(make_user, "cb.dongdang", "commune_officer", DONG_DANG)
    assert dossier.code in officer.get("/mot-cua/").content.decode()
    for action in ("receive", "claim"):
        assert officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": action}).status_code == 302
    officer.post(
        f"/mot-cua/ho-so/{dossier.code}/", {"action": "supplement_request", "reason": "Tờ khai thiếu chữ ký."}
    )
    dossier.refresh_from_db()
    assert dossier.status == "supplement"
    page = citizen.get(f"/dvc/ho-so/{dossier.code}/").content.decode()
    assert "Tờ khai thiếu chữ ký." in page
    citizen.post(
        f"/dvc/ho-so/{dossier.code}/",
        {"action": "supplement", "doc_TK": SimpleUploadedFile("to-khai-ky.pdf", PDF + b"3")},
    )
    dossier.refresh_from_db()
    assert dossier.status == "processing" and dossier.documents.filter(round=1).count() == 1
    officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "finish"})
    officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "hand_back"})
    citizen.post(f"/dvc/ho-so/{dossier.code}/", {"action": "rate", "rating": "5", "comment": "Nhanh"})
    dossier.refresh_from_db()
    assert (dossier.status, dossier.rating) == ("returned", 5)
    sheet = officer.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "Yêu cầu bổ sung" in sheet and "Bổ sung hồ sơ" in sheet and "Trả kết quả" in sheet


def test_missing_document_is_refused_in_vietnamese_and_nothing_is_stored(marriage, make_user):
    citizen = login(make_user, "nguoidan.thieu", "citizen")
    page = citizen.post(f"/dvc/thu-tuc/{marriage.code}/nop/", form(doc_XNHN=""))
    assert page.status_code == 200
    assert "Thiếu thành phần hồ sơ bắt buộc: Giấy xác nhận tình trạng hôn nhân." in page.content.decode()
    bad_id = citizen.post(f"/dvc/thu-tuc/{marriage.code}/nop/", form(applicant_id="12345"))
    assert "12 chữ số" in bad_id.content.decode()
    word = SimpleUploadedFile("to-khai.docx", b"PK\x03\x04", content_type="application/msword")
    wrong_type = citizen.post(f"/dvc/thu-tuc/{marriage.code}/nop/", form(doc_TK=word))
    assert "không phải PDF, JPEG hay PNG" in wrong_type.content.decode()
    assert not Dossier.objects.exists() and not DossierDocument.objects.exists()


def test_lookup_is_public_and_shows_no_personal_data(marriage, make_user):
    citizen = login(make_user, "nguoidan.tracuu", "citizen")
    citizen.post(f"/dvc/thu-tuc/{marriage.code}/nop/", form())
    dossier = Dossier.objects.get()
    page = Client().get(f"/dvc/tra-cuu/?ma={dossier.code}").content.decode()
    assert dossier.code in page and "Chờ tiếp nhận trực tuyến" in page
    assert "Nông Thị Hoa" not in page and "020195001234" not in page and "0912345678" not in page
    assert "Không tìm thấy" in Client().get("/dvc/tra-cuu/?ma=KHONG-CO").content.decode()


def test_others_cannot_see_a_dossier(marriage, make_user):
    owner = login(make_user, "nguoidan.a", "citizen")
    owner.post(f"/dvc/thu-tuc/{marriage.code}/nop/", form())
    dossier = Dossier.objects.get()
    stranger = login(make_user, "nguoidan.b", "citizen")
    assert stranger.get(f"/dvc/ho-so/{dossier.code}/").status_code == 404
    assert stranger.get("/mot-cua/").status_code == 403
    document = dossier.documents.first()
    assert stranger.get(f"/dvc/ho-so/{dossier.code}/tep/{document.pk}/").status_code == 404
    other_commune = login(make_user, "cb.lvt.xem", "commune_officer", LUONG_VAN_TRI)
    assert dossier.code not in other_commune.get("/mot-cua/").content.decode()
    assert other_commune.get(f"/mot-cua/ho-so/{dossier.code}/").status_code == 404
    assert owner.get(f"/dvc/ho-so/{dossier.code}/tep/{document.pk}/").status_code == 200


def test_counter_reception_on_behalf_of_the_applicant(marriage, make_user):
    officer = login(make_user, "cb.quay", "commune_officer", DONG_DANG)
    page = officer.post(
        f"/mot-cua/tiep-nhan/?thu-tuc={marriage.code}", {**form(), "procedure": marriage.code}
    )
    dossier = Dossier.objects.get()
    assert page.status_code == 302 and dossier.channel == "counter" and dossier.status == "received"
    assert dossier.due_at is not None and dossier.events.get().actor.username == "cb.quay"


def test_a_leader_sees_the_dossiers_but_does_not_act_on_them(marriage, make_user):
    officer = login(make_user, "cb.quay2", "commune_officer", DONG_DANG)
    officer.post(f"/mot-cua/tiep-nhan/?thu-tuc={marriage.code}", {**form(), "procedure": marriage.code})
    dossier = Dossier.objects.get()
    leader = login(make_user, "ld.tinh", "leader", "20")
    assert dossier.code in leader.get("/mot-cua/").content.decode()
    assert leader.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "claim"}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.assignee is None


def test_the_dossier_page_proposes_the_least_loaded_officer_and_a_transfer(marriage, make_user):
    officer = login(make_user, "cb.phan.cong", "commune_officer", DONG_DANG)
    make_user("cb.ranh", "commune_officer", DONG_DANG)
    officer.post(f"/mot-cua/tiep-nhan/?thu-tuc={marriage.code}", {**form(), "procedure": marriage.code})
    dossier = Dossier.objects.get()
    page = officer.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "đề xuất: ít việc nhất" in page and "Phân công cho" in page
    assert "Chuyển đơn vị khác giải quyết" not in page  # this procedure stays with its commune
    from langson.core.models import User

    colleague = User.objects.get(username="cb.ranh")
    officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "assign", "officer": colleague.pk})
    dossier.refresh_from_db()
    assert dossier.assignee == colleague and dossier.status == "processing"


def test_a_dossier_is_stopped_at_the_applicants_request_with_the_reason(marriage, make_user):
    officer = login(make_user, "cb.dung", "commune_officer", DONG_DANG)
    officer.post(f"/mot-cua/tiep-nhan/?thu-tuc={marriage.code}", {**form(), "procedure": marriage.code})
    dossier = Dossier.objects.get()
    officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "stop", "reason": ""})
    dossier.refresh_from_db()
    assert dossier.status == "received"  # no reason, no stop
    officer.post(
        f"/mot-cua/ho-so/{dossier.code}/",
        {"action": "stop", "reason": "Người nộp rút hồ sơ (đơn ngày 28/11)."},
    )
    dossier.refresh_from_db()
    assert dossier.status == "stopped" and dossier.completed_at is not None
    assert "Dừng xử lý" in Client().get(f"/dvc/tra-cuu/?ma={dossier.code}").content.decode()


def test_the_officer_hands_the_dossier_over_step_by_step_on_the_page(marriage, make_user):
    Procedure.objects.filter(pk=marriage.pk).update(
        deadline_days=3,
        steps=[
            {"name": "Tiếp nhận, kiểm tra hồ sơ", "days": 0},
            {"name": "Kiểm tra điều kiện kết hôn", "days": 2},
            {"name": "Trình ký", "days": 1},
            {"name": "Trả kết quả", "days": 0},
        ],
    )
    officer = login(make_user, "cb.buoc", "commune_officer", DONG_DANG)
    leader = make_user("ld.buoc", "commune_officer", DONG_DANG)
    officer.post("/mot-cua/tiep-nhan/", form(procedure=marriage.code))
    dossier = Dossier.objects.get()
    url = f"/mot-cua/ho-so/{dossier.code}/"
    officer.post(url, {"action": "claim"})
    page = officer.get(url).content.decode()
    assert 'data-testid="steps"' in page and 'data-testid="advance"' in page
    assert 'data-testid="finish"' not in page  # Trình ký is still to come
    assert officer.post(url, {"action": "finish"}).status_code == 200  # refused with the reason
    assert "chưa thực hiện" in officer.post(url, {"action": "finish"}).content.decode()

    answer = officer.post(
        url, {"action": "advance", "next_officer": leader.pk, "handover_note": "Đủ điều kiện."}
    )
    assert answer.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.step, dossier.assignee) == (2, leader)
    page = officer.get(url).content.decode()
    assert "Chuyển bước: Kiểm tra điều kiện kết hôn (Trước hạn)" in page
    assert 'data-testid="finish"' in page and 'data-testid="advance"' not in page
