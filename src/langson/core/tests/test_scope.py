"""Permissions follow the organisation: own unit and below, never a sibling's, in pages, API and admin."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from langson.core.models import OrgUnit, User
from langson.core.permissions import in_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role,unit,sees,hidden",
    [
        ("commune_officer", "6184", ["6184", "6184-TTPVHCC"], ["5983", "SO-YT", "20", "5983-TTPVHCC"]),
        ("department_officer", "SO-YT", ["SO-YT"], ["6184", "SO-GDDT", "20"]),
        ("leader", "20", ["20", "6184", "5983", "SO-YT", "CK-HUU-NGHI"], []),
        ("operator", "5983", ["5983", "5983-TTPVHCC"], ["6184"]),
        ("citizen", None, [], ["20", "6184", "5983"]),
        ("business", None, [], ["20", "6184"]),
    ],
)
def test_visible_units_follow_the_tree(make_user, role, unit, sees, hidden):
    user = make_user(f"u_{role}", role, unit)
    visible = set(OrgUnit.objects.visible_to(user).values_list("code", flat=True))
    assert set(sees) <= visible
    assert not visible & set(hidden)


def test_administrator_sees_everything(administrator):
    assert OrgUnit.objects.visible_to(administrator).count() == OrgUnit.objects.count()


def test_inactive_user_sees_nothing(commune_officer):
    commune_officer.is_active = False
    commune_officer.save()
    assert not OrgUnit.objects.visible_to(commune_officer).exists()


def test_change_permission_is_scoped(commune_officer, make_user):
    own, other = OrgUnit.objects.get(code="6184"), OrgUnit.objects.get(code="5983")
    assert commune_officer.has_perm("core.change_orgunit", own)
    assert not commune_officer.has_perm("core.change_orgunit", other)
    assert in_scope(commune_officer, OrgUnit.objects.get(code="6184-TTPVHCC"))
    leader = make_user("lanhdao.test", "leader", "20")
    assert leader.has_perm("core.view_orgunit", other) and not leader.has_perm("core.change_orgunit", other)


def test_pages_show_own_commune_and_404_for_another(commune_officer):
    client = Client()
    client.force_login(commune_officer)
    listing = client.get("/core/units/")
    assert listing.status_code == 200
    names = listing.content.decode()
    assert "Xã Đồng Đăng" in names and "Phường Lương Văn Tri" not in names and "Sở Y tế" not in names
    assert client.get("/core/units/6184/").status_code == 200
    assert client.get("/core/units/5983/").status_code == 404
    assert client.post("/core/units/5983/", {"phone": "1"}).status_code == 404


def test_api_lists_own_scope_and_404s_another(commune_officer):
    client = Client()
    client.force_login(commune_officer)
    body = client.get("/api/core/units?limit=100").json()
    assert {item["code"] for item in body["items"]} == {"6184", "6184-TTPVHCC"}
    assert client.get("/api/core/units/6184").status_code == 200
    response = client.get("/api/core/units/5983")
    assert response.status_code == 404
    assert response.json()["detail"] == "Không tìm thấy đơn vị."
    assert response.json()["detail_en"] == "The unit was not found."


def test_leader_may_read_but_not_change(make_user, api_client):
    client = api_client(make_user("lanhdao.api", "leader", "20"))
    assert client.get("/api/core/units/5983").status_code == 200
    response = client.patch(
        "/api/core/units/5983", data=json.dumps({"phone": "1"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Bạn không có quyền thực hiện thao tác này."


def test_officer_cannot_patch_another_commune(commune_officer, api_client):
    response = api_client(commune_officer).patch(
        "/api/core/units/5983", data=json.dumps({"phone": "1"}), content_type="application/json"
    )
    assert response.status_code == 404


def test_citizen_gets_403_on_internal_pages_and_api(make_user):
    citizen = make_user("congdan.test", "citizen")
    client = Client()
    client.force_login(citizen)
    assert client.get("/core/units/").status_code == 403
    assert client.get("/api/core/units").status_code == 403
    assert client.get("/").status_code == 200


def test_admin_is_scoped_for_a_commune_operator(make_user):
    operator = make_user("vanhanh.xa", "operator", "5983")
    assert operator.is_staff
    client = Client()
    client.force_login(operator)
    own, other = OrgUnit.objects.get(code="5983"), OrgUnit.objects.get(code="6184")
    listing = client.get("/admin/core/orgunit/?all=")
    assert listing.status_code == 200
    assert "Phường Lương Văn Tri" in listing.content.decode()
    assert "Xã Đồng Đăng" not in listing.content.decode()
    assert client.get(f"/admin/core/orgunit/{own.pk}/change/").status_code == 200
    # Django admin answers an object outside the queryset with a redirect and a "does not exist" message.
    response = client.get(f"/admin/core/orgunit/{other.pk}/change/")
    assert response.status_code == 302 and response.url == "/admin/"


def test_officers_have_no_admin(commune_officer):
    client = Client()
    client.force_login(commune_officer)
    assert not User.objects.get(pk=commune_officer.pk).is_staff
    assert client.get("/admin/").status_code == 302


def test_anonymous_is_sent_to_login_and_api_says_401():
    client = Client()
    response = client.get("/core/units/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert client.get("/api/core/units").status_code == 401
