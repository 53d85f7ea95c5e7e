"""The core API: authentication, listing, validation with Vietnamese errors, calendar, audit access."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from langson.core.api_auth import issue_token
from langson.core.models import OrgUnit

pytestmark = pytest.mark.django_db


def patch(client: Client, path: str, body: object) -> object:
    return client.patch(path, data=json.dumps(body), content_type="application/json")


def test_index_and_schema_are_public():
    client = Client()
    assert client.get("/api/").json()["openapi"] == "/api/openapi.json"
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/core/units/{code}" in schema["paths"]


def test_me_describes_role_scope_and_permissions(commune_officer, api_client):
    body = api_client(commune_officer).get("/api/core/me").json()
    assert body["role"] == "commune_officer" and body["role_label"] == "Cán bộ xã, phường"
    assert body["org_unit"]["code"] == "6184" and body["org_unit"]["name"] == "Xã Đồng Đăng"
    assert "core.change_orgunit" in body["permissions"]


def test_units_filter_and_paginate(make_user, api_client):
    client = api_client(make_user("lanhdao.list", "leader", "20"))
    body = client.get("/api/core/units?kind=ward&limit=10").json()
    assert body["count"] == 4
    assert sorted(u["name"] for u in body["items"]) == [
        "Phường Kỳ Lừa",
        "Phường Lương Văn Tri",
        "Phường Tam Thanh",
        "Phường Đông Kinh",
    ]
    page = client.get("/api/core/units?kind=commune&limit=20&offset=40").json()
    assert page["count"] == 61 and len(page["items"]) == 20
    search = client.get("/api/core/units", {"q": "Hữu Nghị"}).json()
    assert [u["code"] for u in search["items"]] == ["CK-HUU-NGHI"]
    assert search["items"][0]["commune_code"] == "6184"


def test_bad_input_gets_a_vietnamese_error_and_changes_nothing(commune_officer, api_client):
    client = api_client(commune_officer)
    before = OrgUnit.objects.get(code="6184")
    bad_email = patch(client, "/api/core/units/6184", {"email": "khong-phai-email", "phone": "0205 111"})
    assert bad_email.status_code == 422
    assert bad_email.json()["detail"] == "Dữ liệu không hợp lệ." and "email" in bad_email.json()["errors"]
    bad_phone = patch(client, "/api/core/units/6184", {"phone": "gọi tôi"})
    assert bad_phone.status_code == 422 and bad_phone.json()["detail_en"] == "The request data is invalid."
    wrong_type = patch(client, "/api/core/units/6184", {"saturday_reception": "có lẽ"})
    assert wrong_type.status_code == 422
    after = OrgUnit.objects.get(code="6184")
    assert (after.email, after.phone, after.saturday_reception) == (
        before.email,
        before.phone,
        before.saturday_reception,
    )


def test_revoked_and_unknown_keys_are_refused(commune_officer):
    token, key = issue_token(commune_officer, "thu-hoi")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/core/me").status_code == 200
    token.revoked = True
    token.save()
    assert client.get("/api/core/me").status_code == 401
    assert Client(headers={"Authorization": "Bearer ls_khong-co"}).get("/api/core/me").status_code == 401


def test_session_writes_need_csrf(commune_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(commune_officer)
    assert client.get("/api/core/units/6184").status_code == 200
    refused = patch(client, "/api/core/units/6184", {"phone": "0205 222"})
    assert refused.status_code == 403
    client.get("/")  # the page sets the CSRF cookie, as a browser would receive it
    token = client.cookies["csrftoken"].value
    accepted = client.patch(
        "/api/core/units/6184",
        data=json.dumps({"phone": "0205 222"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 200


@pytest.mark.parametrize(
    "received_at,days,expected",
    [
        ("2026-02-13T14:59:00+07:00", 0, "2026-02-13"),
        ("2026-02-13T15:01:00+07:00", 0, "2026-02-23"),
        ("2025-01-20T09:00:00+07:00", 10, "2025-02-10"),
        ("2026-08-21T10:00:00+07:00", 1, "2026-08-22"),
    ],
)
def test_due_date_endpoint(commune_officer, api_client, received_at, days, expected):
    body = (
        api_client(commune_officer)
        .get(
            "/api/core/calendar/due-date", {"received_at": received_at, "working_days": days, "unit": "6184"}
        )
        .json()
    )
    assert body["due_date"] == expected


def test_due_date_rejects_absurd_input(commune_officer, api_client):
    client = api_client(commune_officer)
    assert (
        client.get(
            "/api/core/calendar/due-date", {"received_at": "1900-01-01T09:00", "working_days": 1}
        ).status_code
        == 422
    )
    assert (
        client.get(
            "/api/core/calendar/due-date", {"received_at": "2026-01-05T09:00", "working_days": -1}
        ).status_code
        == 422
    )
    assert (
        client.get("/api/core/calendar/due-date", {"received_at": "hôm qua", "working_days": 1}).status_code
        == 422
    )


def test_calendar_year_lists_holidays_and_makeup_days(commune_officer, api_client):
    days = api_client(commune_officer).get("/api/core/calendar/2026").json()
    by_date = {d["date"]: d for d in days}
    assert by_date["2026-02-17"]["reason"] == "Tết Nguyên Đán" and not by_date["2026-02-17"]["working_day"]
    assert by_date["2026-08-22"]["working_day"] is True
    assert by_date["2026-11-24"]["reason"] == "Ngày Văn hóa Việt Nam"


def test_audit_endpoint_needs_permission_and_is_scoped(commune_officer, make_user, api_client):
    assert api_client(commune_officer).get("/api/core/audit").status_code == 403
    patch(api_client(commune_officer), "/api/core/units/6184", {"phone": "0205 333"})
    patch(
        api_client(make_user("cb.lvt", "commune_officer", "5983")),
        "/api/core/units/5983",
        {"phone": "0205 444"},
    )
    operator = make_user("vanhanh.dd", "operator", "6184")
    entries = api_client(operator).get("/api/core/audit?model=core.orgunit&limit=100").json()["items"]
    touched = {e["object_repr"] for e in entries}
    assert "Xã Đồng Đăng" in touched and "Phường Lương Văn Tri" not in touched


def test_nul_characters_are_refused_everywhere(commune_officer, api_client):
    client = api_client(commune_officer)
    assert patch(client, "/api/core/units/6184", {"address": "Số 1\x00"}).status_code == 422
    assert client.get("/api/core/units/61%0084").status_code == 400
    assert client.get("/api/core/units", {"q": "Đồng\x00"}).status_code == 400
    assert OrgUnit.objects.get(code="6184").address == ""


def test_pagination_is_bounded(commune_officer, api_client):
    client = api_client(commune_officer)
    assert client.get("/api/core/units?limit=6594457755015966621696").status_code == 422
    assert client.get("/api/core/units?offset=99999999999999999999").status_code == 422
    assert client.get("/api/core/units?limit=1000").status_code == 200


def test_due_date_refuses_the_ends_of_time(commune_officer, api_client):
    client = api_client(commune_officer)
    for moment in ("9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+14:00"):
        assert (
            client.get("/api/core/calendar/due-date", {"received_at": moment, "working_days": 1}).status_code
            == 422
        )
