"""The gate officers' clearance pages: who sees which gate, the yard with elapsed times, the day's figures,
CSV upload with its rejected rows, one event entered by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from langson.border import clearance

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 28, 16, 0, tzinfo=VN)
DATA = Path(__file__).parent / "data"
HOME = "/cua-khau/thong-quan/"
HN_PAGE = "/cua-khau/thong-quan/CK-HUU-NGHI/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(make_user):
    return {
        "hn": make_user("canbo.huunghi", "department_officer", "CK-HUU-NGHI"),
        "tt": make_user("canbo.tanthanh", "department_officer", "CK-TAN-THANH"),
        "board": make_user("canbo.bqlkkt", "department_officer", "BQL-KKT"),
        "leader": make_user("lanhdao.tinh", "leader", "20"),
        "health": make_user("canbo.soyte", "department_officer", "SO-YT"),
        "citizen": make_user("nguoidan", "citizen"),
    }


@pytest.fixture
def loaded(people):
    content = (DATA / "truck-events.csv").read_bytes()
    user = people["board"]
    clearance.ingest(
        clearance.read_csv(content), source="csv", user=user, gates=clearance.recording_gates(user), now=NOW
    )


def test_access_follows_the_organisation(people, loaded):
    assert Client().get(HOME).status_code == 302  # to the login page
    assert signed_in(people["citizen"]).get(HOME).status_code == 403
    assert signed_in(people["health"]).get(HOME).status_code == 403  # an officer without any gate
    # A gate officer goes straight to their gate and is refused another gate's pages.
    hn = signed_in(people["hn"])
    assert hn.get(HOME)["Location"] == HN_PAGE
    tt = signed_in(people["tt"])
    assert tt.get(HN_PAGE).status_code == 404
    assert tt.get(HN_PAGE + "xe/HN-001/").status_code == 404
    refused = tt.post(
        HN_PAGE + "ghi/", {"reference": "X", "plate": "12C-123.45", "event": "arrival", "at": "x"}
    )
    assert refused.status_code == 404
    # The board and the province see every gate; the leader looks but does not record.
    board = signed_in(people["board"]).get(HOME)
    assert board.status_code == 200
    names = [row["gate"].code for row in board.context["rows"]]
    assert names == ["CK-CHI-MA", "CK-GA-DONG-DANG", "CK-HUU-NGHI", "CK-TAN-THANH"]
    leader = signed_in(people["leader"]).get(HOME)
    assert leader.status_code == 200 and not leader.context["may_record"]
    assert b"clearance-upload" not in leader.content
    assert signed_in(people["leader"]).get(HN_PAGE).status_code == 200


def test_the_gate_page_shows_the_yard_with_elapsed_times_and_the_days_figures(people, loaded, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    page = signed_in(people["hn"]).get(HN_PAGE, {"ngay": "2026-11-28"})
    assert page.status_code == 200
    html = page.content.decode()
    # In the yard at 16:00 (see test_clearance): HN-007 waiting 2 h, HN-008 50 min, HN-006 inside for 3 h.
    rows = [(r["visit"].reference, r["elapsed"]) for r in page.context["waiting_rows"]]
    assert rows == [("HN-007", "2 giờ 00 phút"), ("HN-008", "50 phút")]
    assert [(r["visit"].reference, r["elapsed"], r["stage"]) for r in page.context["inside_rows"]] == [
        ("HN-006", "3 giờ 00 phút", "1 giờ 30 phút")
    ]
    assert "2 giờ 00 phút" in html and "Chờ vào cổng" in html
    # Trucks still in the yard are not among the cleared.
    cleared = [v.reference for v, _ in page.context["cleared"]]
    assert sorted(cleared) == ["HN-001", "HN-002", "HN-003", "HN-004", "HN-005", "HN-010"]
    figures = page.context["figures"]
    assert (figures["f"].cleared, figures["median"], figures["p90"]) == (6, "1 giờ 45 phút", "4 giờ 30 phút")
    assert figures["f"].green_share == 60.0
    # HN-010 went out before it gated in: listed with its reason.
    [(flagged, reasons)] = page.context["flagged"]
    assert flagged.reference == "HN-010" and "Ra cổng" in reasons[0]

    visit = signed_in(people["hn"]).get(HN_PAGE + "xe/HN-006/")
    assert visit.status_code == 200 and visit.context["elapsed"] == "3 giờ 00 phút"


def test_csv_upload_on_the_page_keeps_the_rejected_rows_with_reasons(people):
    client = signed_in(people["hn"])
    content = (DATA / "truck-events.csv").read_bytes()
    answer = client.post(
        "/cua-khau/thong-quan/tai-len/",
        {"file": SimpleUploadedFile("truck-events.csv", content), "gate": "", "next": HN_PAGE},
    )
    assert answer.status_code == 302
    batch = client.get(answer["Location"])
    assert batch.status_code == 200
    html = batch.content.decode()
    # The Hữu Nghị officer may record for Hữu Nghị only: the 26 Tân Thanh rows are refused as well as the
    # two bad rows of Hữu Nghị (lines 38 and 39).
    counts = (
        batch.context["batch"].stored,
        batch.context["batch"].duplicates,
        batch.context["batch"].rejected,
    )
    assert counts == (35, 1, 28)
    assert "Thời điểm “31/11/2026 08:00” không đúng dạng" in html
    assert "Không có cửa khẩu “Tân Thanh” trong phạm vi của bạn." in html
    # Another officer does not see this batch.
    assert signed_in(people["tt"]).get(answer["Location"]).status_code == 404

    broken = client.post(
        "/cua-khau/thong-quan/tai-len/",
        {"file": SimpleUploadedFile("x.csv", b"bien so;su kien\n12C-123.45;vao bai\n"), "next": HN_PAGE},
        follow=True,
    )
    assert "Thiếu cột" in broken.content.decode()


def test_one_event_by_hand_is_recorded_and_audited(people):
    from langson.border.models import TruckEvent
    from langson.core.models import AuditEntry

    client = signed_in(people["hn"])
    answer = client.post(
        HN_PAGE + "ghi/",
        {"reference": "HN-100", "plate": "12c 765.43", "event": "arrival", "at": "2026-11-28T07:05"},
        follow=True,
    )
    assert "Đã ghi sự kiện của xe" in answer.content.decode()
    event = TruckEvent.objects.get()
    assert (event.source, event.recorded_by, event.visit.plate) == ("manual", people["hn"], "12C-765.43")
    assert event.at == datetime(2026, 11, 28, 7, 5, tzinfo=VN)
    assert AuditEntry.objects.filter(model__endswith="clearancebatch", actor="canbo.huunghi").exists()
    again = client.post(
        HN_PAGE + "ghi/",
        {"reference": "HN-100", "plate": "12C-765.43", "event": "arrival", "at": "2026-11-28T07:05"},
        follow=True,
    )
    assert "đã được ghi trước đó" in again.content.decode() and TruckEvent.objects.count() == 1
    bad = client.post(
        HN_PAGE + "ghi/",
        {"reference": "HN-101", "plate": "12C-765.43", "event": "channel", "at": "2026-11-28T07:05"},
        follow=True,
    )
    assert "Sự kiện phân luồng cần ghi luồng" in bad.content.decode()


def test_the_csv_template_is_accepted_as_it_is(people):
    answer = signed_in(people["board"]).get("/cua-khau/thong-quan/mau-su-kien-xe.csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    rows = clearance.read_csv(answer.content)
    user = people["board"]
    batch = clearance.ingest(rows, source="csv", user=user, gates=clearance.recording_gates(user))
    assert (batch.stored, batch.rejected) == (6, 0)
