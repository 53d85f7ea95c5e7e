"""The services API: the public catalog and lookup (no personal data), the officers' hồ sơ within their scope,
and the workflow actions with their refusals (409 with the workflow's code) and input errors (422)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from langson.core.models import AuditEntry, OrgUnit
from langson.services import api as services_api
from langson.services import views_office, workflow
from langson.services.models import Dossier, DossierEvent, Payment, Procedure
from langson.services.tests.test_workflow import DONG_DANG, LUONG_VAN_TRI, files

pytestmark = pytest.mark.django_db

APPLICANT = {
    "applicant_name": "Lộc Thị Mai",
    "applicant_id": "020188004321",
    "applicant_phone": "0987654321",
    "applicant_email": "loc.mai@example.vn",
    "applicant_address": "Thôn Bản Ngà, xã Đồng Đăng",
}
PERSONAL = [*APPLICANT.values(), "Bản Ngà"]


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"


@pytest.fixture
def birth() -> Procedure:
    """Đăng ký khai sinh with four steps, handled by the receiving commune, and a fee to collect."""
    return Procedure.objects.create(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field="Hộ tịch",
        level="commune",
        deadline_days=3,
        fee_vnd=8000,
        fee_note="Miễn lệ phí đăng ký khai sinh đúng hạn",
        documents=[
            {"code": "TK", "name": "Tờ khai đăng ký khai sinh", "required": True, "copies": 1},
            {"code": "GCS", "name": "Giấy chứng sinh", "required": True, "copies": 1},
        ],
        steps=[
            {"name": "Tiếp nhận", "days": 0},
            {"name": "Thẩm định", "days": 2},
            {"name": "Ký", "days": 1},
            {"name": "Trả kết quả", "days": 0},
        ],
        online="full",
        anywhere=False,
    )


@pytest.fixture
def licence() -> Procedure:
    """A province-level procedure of the Department of Justice, not online."""
    return Procedure.objects.create(
        code="2.000488",
        name="Cấp phiếu lý lịch tư pháp",
        field="Lý lịch tư pháp",
        level="province",
        agency=OrgUnit.objects.get(code="SO-TP"),
        deadline_days=10,
        documents=[{"code": "TK", "name": "Tờ khai", "required": True, "copies": 1}],
        steps=[{"name": "Tiếp nhận", "days": 0}, {"name": "Trả kết quả", "days": 10}],
        online="none",
        anywhere=True,
    )


def online_dossier(procedure: Procedure, unit_code: str = DONG_DANG) -> Dossier:
    return workflow.submit(
        procedure,
        APPLICANT,
        files("TK", "GCS"),
        channel="online",
        received_unit=OrgUnit.objects.get(code=unit_code),
    )


def post(client: Client, code: str, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/services/dossiers/{code}/actions", data=json.dumps(body), content_type="application/json"
    )


# --- Public ------------------------------------------------------------------------------------------------


def test_the_catalog_is_public_and_filters(birth, licence):
    client = Client()
    body = client.get("/api/services/procedures").json()
    codes = [p["code"] for p in body["items"]]
    assert body["count"] >= 2 and {"1.001193", "2.000488"} <= set(codes)
    commune = client.get("/api/services/procedures", {"level": "commune", "limit": 1000}).json()
    assert all(p["level"] == "commune" for p in commune["items"]) and "2.000488" not in [
        p["code"] for p in commune["items"]
    ]
    by_field = client.get("/api/services/procedures", {"field": "Lý lịch tư pháp"}).json()
    assert [p["code"] for p in by_field["items"]] == ["2.000488"]
    search = client.get("/api/services/procedures", {"q": "khai sinh"}).json()
    assert "1.001193" in [p["code"] for p in search["items"]]
    assert client.get("/api/services/procedures", {"level": "galaxy"}).status_code == 422


def test_a_procedure_shows_documents_steps_deadline_and_fees(birth, licence):
    client = Client()
    detail = client.get("/api/services/procedures/1.001193").json()
    assert detail["deadline_days"] == 3 and detail["fee_vnd"] == 8000
    assert detail["fee_note"].startswith("Miễn lệ phí")
    assert [d["code"] for d in detail["documents"]] == ["TK", "GCS"] and detail["documents"][0]["required"]
    assert [s["name"] for s in detail["steps"]] == ["Tiếp nhận", "Thẩm định", "Ký", "Trả kết quả"]
    assert (detail["online"], detail["online_label"], detail["anywhere"]) == ("full", "Toàn trình", False)
    assert detail["agency"] is None and detail["level_label"] == "Cấp xã"
    province = client.get("/api/services/procedures/2.000488").json()
    assert (province["agency"], province["anywhere"], province["online"]) == ("SO-TP", True, "none")
    Procedure.objects.filter(pk=licence.pk).update(active=False)
    gone = client.get("/api/services/procedures/2.000488")
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"
    assert "2.000488" not in [p["code"] for p in client.get("/api/services/procedures").json()["items"]]


def test_the_lookup_is_public_and_shows_no_personal_data(birth):
    dossier = online_dossier(birth)
    officer_view_fields = {"applicant", "request", "events", "documents"}
    answer = Client().get(f"/api/services/lookup/{dossier.code}")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {
        "code",
        "procedure_code",
        "procedure_name",
        "status",
        "status_label",
        "current_step",
        "submitted_at",
        "due_at",
        "processing_unit",
        "return_unit",
    }
    assert not officer_view_fields & set(body)
    assert (body["status"], body["status_label"]) == ("waiting", "Chờ tiếp nhận trực tuyến")
    assert body["processing_unit"] == "Xã Đồng Đăng" and body["due_at"] is None
    text = answer.content.decode()
    assert not [value for value in PERSONAL if value in text]
    # Typed the way people type codes: lower case, with spaces around.
    assert Client().get(f"/api/services/lookup/%20{dossier.code.lower()}%20").json()["code"] == dossier.code
    missing = Client().get("/api/services/lookup/KHONG-CO")
    assert missing.status_code == 404 and missing.json()["detail"] == "Không tìm thấy hồ sơ."


# --- Officers: authentication and scope --------------------------------------------------------------------


def test_officer_endpoints_refuse_anonymous_callers(birth):
    dossier = online_dossier(birth)
    client = Client()
    for answer in (
        client.get("/api/services/dossiers"),
        client.get(f"/api/services/dossiers/{dossier.code}"),
        post(client, dossier.code, {"action": "receive"}),
    ):
        assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated"
    assert Dossier.objects.get(pk=dossier.pk).status == "waiting"


def test_citizens_are_not_officers(birth, make_user, api_client):
    dossier = online_dossier(birth)
    citizen = api_client(make_user("nguoidan.api", "citizen"))
    assert citizen.get("/api/services/dossiers").status_code == 403
    assert citizen.get(f"/api/services/dossiers/{dossier.code}").json()["code"] == "forbidden"
    assert post(citizen, dossier.code, {"action": "receive"}).status_code == 403


def test_an_officer_sees_only_the_dossiers_of_their_part_of_the_tree(birth, licence, make_user, api_client):
    here = online_dossier(birth)
    elsewhere = online_dossier(birth, LUONG_VAN_TRI)
    mine = api_client(make_user("cb.dd.api", "commune_officer", DONG_DANG))
    other = api_client(make_user("cb.lvt.api", "commune_officer", LUONG_VAN_TRI))

    listed = mine.get("/api/services/dossiers").json()
    assert [d["code"] for d in listed["items"]] == [here.code] and listed["count"] == 1
    assert listed["items"][0]["processing_unit"] == DONG_DANG
    assert [d["code"] for d in other.get("/api/services/dossiers").json()["items"]] == [elsewhere.code]
    # Outside the scope answers exactly like a code that does not exist: nothing leaks.
    hidden = other.get(f"/api/services/dossiers/{here.code}")
    absent = other.get("/api/services/dossiers/LS.000-260101-9999")
    assert hidden.status_code == absent.status_code == 404 and hidden.json() == absent.json()
    assert other.get(f"/api/services/dossiers/{here.code}?x=1").status_code == 404
    refused = post(other, here.code, {"action": "receive"})
    assert refused.status_code == 404 and Dossier.objects.get(pk=here.pk).status == "waiting"
    # A unit filter naming somebody else's unit shows nothing either.
    assert other.get("/api/services/dossiers", {"unit": DONG_DANG}).json()["count"] == 0
    # The province's leader sees both; the administrator everything.
    leader = api_client(make_user("ld.tinh.api", "leader", "20"))
    assert leader.get("/api/services/dossiers").json()["count"] == 2


def test_a_leader_reads_but_does_not_act(birth, make_user, api_client):
    dossier = online_dossier(birth)
    leader = api_client(make_user("ld.xem.api", "leader", "20"))
    assert leader.get(f"/api/services/dossiers/{dossier.code}").status_code == 200
    answer = post(leader, dossier.code, {"action": "receive"})
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert Dossier.objects.get(pk=dossier.pk).status == "waiting"


# --- Officers: the workflow through the API ----------------------------------------------------------------


def test_a_dossier_from_reception_to_return_through_the_api(birth, make_user, api_client):
    dossier = online_dossier(birth)
    officer = make_user("cb.xuly.api", "commune_officer", DONG_DANG)
    signer = make_user("ld.ky.api", "commune_officer", DONG_DANG)
    client = api_client(officer)

    received = post(client, dossier.code, {"action": "receive"})
    assert received.status_code == 200
    body = received.json()
    assert (body["status"], body["step"], body["current_step"]) == ("received", 1, "Thẩm định")
    assert body["due_at"] is not None and body["applicant"]["name"] == "Lộc Thị Mai"
    claimed = post(client, dossier.code, {"action": "claim"}).json()
    assert claimed["status"] == "processing" and claimed["assignee"]["username"] == "cb.xuly.api"
    assert claimed["next_step"] is True

    # Two steps are still to be done: the result is refused with the workflow's code, in both languages.
    early = post(client, dossier.code, {"action": "finish"})
    assert early.status_code == 409
    assert early.json()["code"] == "steps_left" and "Thẩm định" not in early.json()["detail"]
    assert "«Ký»" in early.json()["detail"] and "'Ký'" in early.json()["detail_en"]

    advanced = post(
        client, dossier.code, {"action": "advance", "officer": "ld.ky.api", "note": "Đủ điều kiện."}
    ).json()
    assert (advanced["step"], advanced["assignee"]["username"], advanced["next_step"]) == (
        2,
        "ld.ky.api",
        False,
    )
    handover = advanced["events"][-1]
    assert handover["action"] == "handover" and handover["step"] == "Thẩm định"
    assert handover["note"] == "→ Ld.Ky.Api: Đủ điều kiện." and handover["actor"] == "cb.xuly.api"
    assert handover["outcome"] == "early"

    signing = api_client(signer)
    done = post(signing, dossier.code, {"action": "finish"}).json()
    assert (done["status"], done["outcome"], done["fee_owed"]) == ("result", "early", 8000)

    unpaid = post(signing, dossier.code, {"action": "hand_back"})
    assert unpaid.status_code == 409 and unpaid.json()["code"] == "fee_unpaid"
    assert "8.000 đồng" in unpaid.json()["detail"]
    paid = post(signing, dossier.code, {"action": "collect_fee", "receipt_number": "BL-0001234"}).json()
    assert paid["fee_owed"] == 0
    assert Payment.objects.get(dossier=dossier).recorded_by == signer
    returned = post(signing, dossier.code, {"action": "hand_back"}).json()
    assert returned["status"] == "returned" and returned["status_label"] == "Đã trả kết quả"
    assert [p["state"] for p in returned["plan"]] == ["done", "done", "done", "done"]

    actions = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert actions == ["submit", "receive", "assign", "handover", "handover", "result", "pay", "return"]
    detail = client.get(f"/api/services/dossiers/{dossier.code}").json()
    assert [e["action"] for e in detail["events"]] == actions
    assert [d["kind"] for d in detail["documents"]] == ["TK", "GCS"]
    assert detail["documents"][0]["url"].startswith(f"/dvc/ho-so/{dossier.code}/tep/")
    # Audited as on the office page: each change with the person who made it, here through the API.
    entries = AuditEntry.objects.filter(model="services.dossier", object_pk=str(dossier.pk), channel="api")
    assert set(entries.values_list("actor", flat=True)) == {"cb.xuly.api", "ld.ky.api"}
    assert entries.count() >= 5
    assert AuditEntry.objects.filter(model="services.payment", actor="ld.ky.api", channel="api").exists()


def test_assign_reassign_supplement_and_stop(birth, make_user, api_client):
    Procedure.objects.filter(pk=birth.pk).update(anywhere=True)
    birth.refresh_from_db()
    dossier = online_dossier(birth)
    unit = dossier.processing_unit.code
    chief = api_client(make_user("cb.truong.api", "commune_officer", unit))
    colleague = make_user("cb.dongnghiep.api", "commune_officer", unit)
    make_user("cb.xa.khac.api", "commune_officer", LUONG_VAN_TRI)

    moved = post(chief, dossier.code, {"action": "reassign", "unit": LUONG_VAN_TRI, "reason": "Gần nhà hơn."})
    assert moved.status_code == 200 and moved.json()["processing_unit"]["code"] == LUONG_VAN_TRI
    # The receiving commune keeps following it, but no longer works on it.
    assert chief.get(f"/api/services/dossiers/{dossier.code}").status_code == 200
    assert post(chief, dossier.code, {"action": "receive"}).status_code == 403

    there = api_client(make_user("cb.lvt.nhan", "commune_officer", LUONG_VAN_TRI))
    assert post(there, dossier.code, {"action": "receive"}).json()["status"] == "received"
    wrong_unit = post(there, dossier.code, {"action": "assign", "officer": colleague.username})
    assert wrong_unit.status_code == 422 and wrong_unit.json()["code"] == "not_in_unit"
    assigned = post(there, dossier.code, {"action": "assign", "officer": "cb.xa.khac.api"}).json()
    assert assigned["assignee"]["username"] == "cb.xa.khac.api" and assigned["status"] == "processing"

    asked = post(there, dossier.code, {"action": "supplement_request", "reason": "Giấy chứng sinh bị mờ."})
    assert asked.json()["status"] == "supplement"
    stopped = post(there, dossier.code, {"action": "stop", "reason": "Người nộp rút hồ sơ."}).json()
    assert stopped["status"] == "stopped" and stopped["events"][-1]["note"] == "Người nộp rút hồ sơ."
    again = post(there, dossier.code, {"action": "refuse", "reason": "Không đủ điều kiện."})
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_conflicting_actions_answer_409_with_the_workflow_code(birth, make_user, api_client):
    dossier = online_dossier(birth)
    first = api_client(make_user("cb.mot.api", "commune_officer", DONG_DANG))
    second = api_client(make_user("cb.hai.api", "commune_officer", DONG_DANG))
    post(first, dossier.code, {"action": "receive"})
    assert post(first, dossier.code, {"action": "claim"}).status_code == 200
    taken = post(second, dossier.code, {"action": "claim"})
    assert taken.status_code == 409
    body = taken.json()
    assert (
        body["code"] == "conflict" and dossier.code in body["detail"] and "someone else" in body["detail_en"]
    )
    assert Dossier.objects.get(pk=dossier.pk).assignee.username == "cb.mot.api"

    sorry = post(first, dossier.code, {"action": "apologise", "reason": "Chờ xác minh.", "extra_days": 2})
    assert sorry.status_code == 200 and sorry.json()["extended_due_at"] is not None
    late = post(first, dossier.code, {"action": "supplement_request", "reason": "Thiếu giấy."})
    assert late.status_code == 409 and late.json()["code"] == "after_apology"
    twice = post(first, dossier.code, {"action": "apologise", "reason": "Lần nữa.", "extra_days": 1})
    assert twice.status_code == 409 and twice.json()["code"] == "already_extended"
    waiting_again = post(first, dossier.code, {"action": "receive"})
    assert waiting_again.status_code == 409 and waiting_again.json()["code"] == "conflict"


def test_bad_actions_and_parameters_get_clear_errors_and_change_nothing(birth, make_user, api_client):
    dossier = online_dossier(birth)
    client = api_client(make_user("cb.sai.api", "commune_officer", DONG_DANG))

    unknown = post(client, dossier.code, {"action": "delete_everything"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_action"
    assert "receive" in unknown.json()["actions"] and "delete_everything" in unknown.json()["detail"]
    missing = post(client, dossier.code, {"action": "refuse"})
    assert missing.status_code == 422
    assert (missing.json()["code"], missing.json()["parameters"]) == ("missing_parameter", ["reason"])
    assert "reason" in missing.json()["detail"] and "needs: reason" in missing.json()["detail_en"]
    blank = post(client, dossier.code, {"action": "refuse", "reason": "   "})
    assert (
        blank.status_code == 422 and blank.json()["code"] == "invalid" and "reason" in blank.json()["errors"]
    )
    too_long = post(client, dossier.code, {"action": "refuse", "reason": "x" * 2001})
    assert too_long.status_code == 422 and "reason" in too_long.json()["errors"]
    extra = post(client, dossier.code, {"action": "receive", "reason": "thừa"})
    assert extra.status_code == 422 and extra.json()["code"] == "unexpected_parameter"
    misspelt = post(client, dossier.code, {"action": "refuse", "reasons": "sai tên"})
    assert misspelt.status_code == 422 and misspelt.json()["code"] == "invalid"
    no_action = post(client, dossier.code, {"reason": "thiếu việc"})
    assert no_action.status_code == 422 and no_action.json()["detail_en"] == "The request data is invalid."
    nul = post(client, dossier.code, {"action": "refuse", "reason": "có\u0000NUL"})
    assert nul.status_code == 422

    post(client, dossier.code, {"action": "receive"})
    days = post(client, dossier.code, {"action": "apologise", "reason": "Chậm.", "extra_days": 99})
    assert days.status_code == 422 and "extra_days" in days.json()["errors"]
    word = post(client, dossier.code, {"action": "apologise", "reason": "Chậm.", "extra_days": "ba"})
    assert word.status_code == 422
    nobody = post(client, dossier.code, {"action": "assign", "officer": "khong.ai"})
    assert nobody.status_code == 422 and nobody.json()["code"] == "unknown_officer"
    no_unit = post(client, dossier.code, {"action": "reassign", "unit": "KHONG-CO", "reason": "Thử."})
    assert no_unit.status_code == 422 and no_unit.json()["code"] == "unknown_unit"
    no_receipt = post(client, dossier.code, {"action": "collect_fee", "receipt_number": "  "})
    assert no_receipt.status_code == 422 and no_receipt.json()["code"] == "receipt_required"
    broken = client.post(
        f"/api/services/dossiers/{dossier.code}/actions",
        data="{không phải JSON",
        content_type="application/json",
    )
    assert broken.status_code == 400

    after = Dossier.objects.get(pk=dossier.pk)
    assert (after.status, after.assignee, after.extended_due_at) == ("received", None, None)
    assert not Payment.objects.exists()


def test_the_api_offers_exactly_the_office_pages_actions():
    assert set(services_api.ACTION_TABLE) == set(views_office.ACTIONS)


# --- Officers: filters ---------------------------------------------------------------------------------


def test_filters_by_status_procedure_unit_and_overdue(birth, licence, make_user, api_client):
    officer = make_user("cb.loc.api", "commune_officer", DONG_DANG)
    late, fresh, waiting = online_dossier(birth), online_dossier(birth), online_dossier(birth)
    for dossier in (late, fresh):
        workflow.receive(dossier, officer)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    client = api_client(officer)

    def codes(**query: Any) -> list[str]:
        answer = client.get("/api/services/dossiers", query)
        assert answer.status_code == 200, answer.content
        return sorted(d["code"] for d in answer.json()["items"])

    assert codes() == sorted([late.code, fresh.code, waiting.code])
    assert codes(status="waiting") == [waiting.code]
    assert codes(status="received") == sorted([late.code, fresh.code])
    assert codes(overdue="true") == [late.code]
    assert codes(overdue="false") == sorted([fresh.code, waiting.code])
    assert codes(procedure="1.001193", unit=DONG_DANG) == sorted([late.code, fresh.code, waiting.code])
    assert codes(procedure="2.000488") == []
    items = client.get("/api/services/dossiers", {"overdue": "true"}).json()["items"]
    assert items[0]["overdue"] is True and items[0]["status_label"] == "Mới tiếp nhận"
    page = client.get("/api/services/dossiers", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert client.get("/api/services/dossiers", {"status": "lost"}).status_code == 422
    assert client.get("/api/services/dossiers", {"limit": 10**20}).status_code == 422


@pytest.mark.parametrize(
    "value",
    [
        "' OR '1'='1",
        "1.001193' OR 1=1 --",
        "x'); DROP TABLE services_dossier; --",
        '" OR ""="',
        "%",
        "_",
        "\\",
        "6184/../",
    ],
)
def test_injection_like_filters_are_harmless(value, birth, make_user, api_client):
    dossier = online_dossier(birth)
    client = api_client(make_user("cb.tiem.api", "commune_officer", LUONG_VAN_TRI))
    for field in ("procedure", "unit"):
        answer = client.get("/api/services/dossiers", {field: value})
        assert answer.status_code == 200 and answer.json()["count"] == 0
    assert client.get("/api/services/dossiers", {"status": value}).status_code == 422
    assert client.get(f"/api/services/dossiers/{value}").status_code == 404
    public = Client()
    assert public.get("/api/services/procedures", {"q": value}).status_code == 200
    assert public.get("/api/services/procedures", {"field": value}).json()["count"] == 0
    assert public.get(f"/api/services/lookup/{value}").status_code == 404
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_the_endpoints_are_in_the_openapi_schema():
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {
        "/api/services/procedures",
        "/api/services/procedures/{code}",
        "/api/services/lookup/{code}",
        "/api/services/dossiers",
        "/api/services/dossiers/{code}",
        "/api/services/dossiers/{code}/actions",
    } <= set(paths)
    assert "security" not in paths["/api/services/lookup/{code}"]["get"]
    assert paths["/api/services/dossiers"]["get"]["security"]
