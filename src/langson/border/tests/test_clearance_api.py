"""The truck clearance API: authentication, idempotent batches, bad rows, CSV upload, the gate's scope."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DATA = Path(__file__).parent / "data"
EVENTS = "/api/border/trucks/events"


def event(visit: str, kind: str, at: str, gate: str = "CK-HUU-NGHI", plate: str = "12C-123.45", **extra):
    return {"gate": gate, "visit": visit, "plate": plate, "event": kind, "at": at, **extra}


def post(client: Client, events: list) -> tuple[int, dict]:
    answer = client.post(EVENTS, data=json.dumps({"events": events}), content_type="application/json")
    return answer.status_code, answer.json()


@pytest.fixture
def huu_nghi_officer(make_user):
    return make_user("canbo.huunghi", "department_officer", "CK-HUU-NGHI")


@pytest.fixture
def tan_thanh_officer(make_user):
    return make_user("canbo.tanthanh", "department_officer", "CK-TAN-THANH")


def test_the_api_requires_authentication():
    status, body = post(Client(), [event("A1", "arrival", "2026-11-28T07:00")])
    assert status == 401 and body["code"] == "unauthenticated"
    assert Client().get("/api/border/trucks/figures").status_code == 401
    assert Client().get("/api/border/trucks/gates/CK-HUU-NGHI/yard").status_code == 401


def test_a_batch_is_idempotent_and_resending_it_stores_nothing_twice(huu_nghi_officer, api_client):
    from langson.border.models import ClearanceBatch, TruckEvent, TruckVisit

    client = api_client(huu_nghi_officer)
    batch = [
        event("HN-1", "vào bãi", "2026-11-28T07:00:00+07:00"),
        event("HN-1", "gate_in", "2026-11-28T07:40"),
        event("HN-1", "channel", "2026-11-28T07:45", channel="xanh"),
        event("HN-1", "release", "2026-11-28T01:10:00Z"),
        event("HN-1", "gate_out", "2026-11-28T08:30"),
        event("HN-1", "gate_out", "2026-11-28T08:30"),  # twice in the same batch
    ]
    status, body = post(client, batch)
    assert status == 201
    assert (body["received"], body["stored"], body["duplicates"], body["rejected"]) == (6, 5, 1, 0)
    status, again = post(client, batch)
    assert status == 200 and (again["stored"], again["duplicates"]) == (0, 6)
    assert TruckEvent.objects.count() == 5 and TruckVisit.objects.count() == 1
    assert ClearanceBatch.objects.filter(recorded_by=huu_nghi_officer, source="api").count() == 2
    visit = TruckVisit.objects.get()
    assert (visit.clearance_minutes, visit.channel) == (90, "green")  # 07:00 → 08:30
    # Out of order: the arrival sent afterwards for another visit is accepted and completes it.
    post(client, [event("HN-2", "gate_out", "2026-11-28T10:00", plate="12C-999.88")])
    post(client, [event("HN-2", "arrival", "2026-11-28T09:15", plate="12C-999.88")])
    assert TruckVisit.objects.get(reference="HN-2").clearance_minutes == 45

    answer = client.get("/api/border/trucks/gates/CK-HUU-NGHI/visits/HN-1").json()
    assert [e["kind"] for e in answer["events"]] == ["arrival", "gate_in", "channel", "release", "gate_out"]
    assert answer["events"][0]["recorded_by"] == "canbo.huunghi" and answer["events"][0]["source"] == "api"
    assert (answer["yard_wait_minutes"], answer["inspection_minutes"], answer["exit_minutes"]) == (40, 30, 20)


def test_bad_rows_are_refused_with_reasons_and_kept(huu_nghi_officer, api_client):
    from langson.border.models import RejectedTruckRow, TruckEvent

    client = api_client(huu_nghi_officer)
    status, body = post(
        client,
        [
            event("HN-1", "arrival", "2026-11-28T07:00"),
            event("HN-1", "bốc xếp", "2026-11-28T07:10"),
            event("TT-1", "arrival", "2026-11-28T07:00", gate="CK-TAN-THANH"),  # not this officer's gate
            event("HN-3", "arrival", "2026-11-31T07:00"),
        ],
    )
    assert status == 201 and (body["stored"], body["rejected"]) == (1, 3)
    rejections = {r["row"]: r["reasons"] for r in body["rejections"]}
    assert [x["code"] for x in rejections[2]] == ["event_unknown"]
    assert rejections[3] == [
        {
            "field": "gate",
            "code": "gate_unknown",
            "message": "Không có cửa khẩu “CK-TAN-THANH” trong phạm vi của bạn.",
        }
    ]
    assert rejections[4][0]["field"] == "at"
    assert RejectedTruckRow.objects.count() == 3
    assert RejectedTruckRow.objects.get(row_number=3).data["gate"] == "CK-TAN-THANH"

    # Nothing valid at all: 422, yet the rows are kept with their reasons.
    status, body = post(client, [event("HN-4", "arrival", "không rõ"), {"gate": "CK-HUU-NGHI"}])
    assert status == 422 and body["code"] == "all_rejected"
    assert body["detail"] == "Không dòng nào hợp lệ; các dòng bị loại đã được lưu cùng lý do."
    assert body["batch"]["rejected"] == 2 and RejectedTruckRow.objects.count() == 5
    assert TruckEvent.objects.count() == 1
    kept = client.get(f"/api/border/trucks/batches/{body['batch']['id']}").json()
    assert [r["row"] for r in kept["rejections"]] == [1, 2]

    # A request that is not a batch at all, or too big, stores nothing.
    answer = client.post(EVENTS, data=json.dumps({"rows": []}), content_type="application/json")
    assert answer.status_code == 422 and answer.json()["code"] == "invalid"
    status, body = post(client, [])
    assert status == 422 and body["code"] == "empty"
    status, body = post(client, [event("X", "arrival", "2026-11-28T07:00")] * 5001)
    assert status == 422 and body["code"] == "too_many"


def test_recording_needs_the_permission(make_user, api_client):
    leader = make_user("lanhdao.tinh", "leader", "20")
    citizen = make_user("nguoidan", "citizen")
    status, body = post(api_client(leader), [event("A", "arrival", "2026-11-28T07:00")])
    assert status == 403 and body["code"] == "forbidden"
    status, _ = post(api_client(citizen), [event("A", "arrival", "2026-11-28T07:00")])
    assert status == 403
    assert api_client(citizen).get("/api/border/trucks/figures").status_code == 403


def test_csv_upload_through_the_api(make_user, api_client):
    board = make_user("canbo.bqlkkt", "department_officer", "BQL-KKT")
    client = api_client(board)
    content = (DATA / "truck-events.csv").read_bytes()
    answer = client.post("/api/border/trucks/csv", {"file": _file("truck-events.csv", content)})
    assert answer.status_code == 201
    body = answer.json()
    assert (body["received"], body["stored"], body["duplicates"], body["rejected"]) == (64, 61, 1, 2)
    assert [r["row"] for r in body["rejections"]] == [38, 39]
    again = client.post("/api/border/trucks/csv", {"file": _file("truck-events.csv", content)})
    assert again.status_code == 200 and again.json()["stored"] == 0

    # Without a gate column, the gate is given once for the file.
    no_gate = "Mã lượt xe,Biển số,Sự kiện,Thời điểm\nCM-1,12C-700.01,vào bãi,28/11/2026 07:00\n".encode()
    missing = client.post("/api/border/trucks/csv", {"file": _file("cm.csv", no_gate)})
    assert missing.status_code == 422 and missing.json()["code"] == "columns_missing"
    ok = client.post("/api/border/trucks/csv?gate=CK-CHI-MA", {"file": _file("cm.csv", no_gate)})
    assert ok.status_code == 201 and ok.json()["stored"] == 1
    unreadable = client.post("/api/border/trucks/csv", {"file": _file("x.csv", "ô".encode("utf-16"))})
    assert unreadable.status_code == 422 and unreadable.json()["code"] == "encoding"

    figures = {row["gate"]: row for row in client.get("/api/border/trucks/figures?day=2026-11-28").json()}
    # As in test_clearance: Hữu Nghị 6 out, median 105, p90 270, 60 % green; Tân Thanh 90 / 490 / 80 %;
    # all gates of the board together 11 out (Chi Ma's truck is still in the yard), median 97.5.
    assert (figures["CK-HUU-NGHI"]["cleared"], figures["CK-HUU-NGHI"]["median_minutes"]) == (6, 105)
    assert (figures["CK-HUU-NGHI"]["p90_minutes"], figures["CK-HUU-NGHI"]["green_share"]) == (270, 60)
    assert (figures["CK-TAN-THANH"]["median_minutes"], figures["CK-TAN-THANH"]["p90_minutes"]) == (90, 490)
    assert (figures[""]["cleared"], figures[""]["median_minutes"], figures[""]["green_share"]) == (
        11,
        97.5,
        70,
    )


def test_another_gates_officer_is_refused(huu_nghi_officer, tan_thanh_officer, api_client):
    post(api_client(huu_nghi_officer), [event("HN-1", "arrival", "2026-11-28T07:00")])
    stranger = api_client(tan_thanh_officer)
    for url in (
        "/api/border/trucks/gates/CK-HUU-NGHI/yard",
        "/api/border/trucks/gates/CK-HUU-NGHI/figures",
        "/api/border/trucks/gates/CK-HUU-NGHI/visits/HN-1",
    ):
        answer = stranger.get(url)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", url
    assert [row["gate"] for row in stranger.get("/api/border/trucks/figures").json()] == ["CK-TAN-THANH"]
    own = api_client(huu_nghi_officer).get("/api/border/trucks/gates/CK-HUU-NGHI/yard").json()
    assert (own["waiting"], own["trucks"][0]["reference"], own["trucks"][0]["status"]) == (
        1,
        "HN-1",
        "waiting",
    )
    batch_id = api_client(huu_nghi_officer).get("/api/border/trucks/gates/CK-HUU-NGHI/visits/HN-1").json()
    assert stranger.get(f"/api/border/trucks/batches/{batch_id['events'][0]['batch']}").status_code == 404


def test_session_clients_need_csrf_to_post(huu_nghi_officer):
    from langson.border.models import TruckEvent

    client = Client(enforce_csrf_checks=True)
    client.force_login(huu_nghi_officer)
    body = json.dumps({"events": [event("HN-1", "arrival", "2026-11-28T07:00")]})
    assert client.post(EVENTS, data=body, content_type="application/json").status_code == 403
    client.get("/")  # the page sets the CSRF cookie, as a browser would receive it
    token = client.cookies["csrftoken"].value
    accepted = client.post(EVENTS, data=body, content_type="application/json", headers={"X-CSRFToken": token})
    assert accepted.status_code == 201 and TruckEvent.objects.get().source == "api"


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_times_are_returned_as_instants(huu_nghi_officer, api_client):
    client = api_client(huu_nghi_officer)
    post(client, [event("HN-9", "arrival", "28/11/2026 07:00")])
    visit = client.get("/api/border/trucks/gates/CK-HUU-NGHI/visits/HN-9").json()
    assert datetime.fromisoformat(visit["arrived_at"]) == datetime(2026, 11, 28, 7, tzinfo=VN)
