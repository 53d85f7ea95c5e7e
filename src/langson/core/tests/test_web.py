"""The web shell: Vietnamese by default, English on request, throttled login, navigation by permission,
health and metrics endpoints, and a complete English catalogue."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_and_switches_to_english(commune_officer):
    client = Client()
    client.force_login(commune_officer)
    page = client.get("/").content.decode()
    assert '<html lang="vi">' in page and "Nền tảng tỉnh số Lạng Sơn" in page and "Đăng xuất" in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "Lạng Sơn digital province platform" in page and "Log out" in page


def test_navigation_shows_only_what_the_person_may_use(commune_officer, make_user):
    client = Client()
    client.force_login(commune_officer)
    labels = [item["label"] for item in client.get("/").context["nav_items"]]
    assert [str(label) for label in labels] == [
        "Trang chủ",
        "Điều hành",
        "Dữ liệu",
        "Báo cáo",
        "Thiết bị đô thị",
        "Không khí",
        "Bãi đỗ xe, chỗ trống",
        "Dịch vụ công",
        "Một cửa",
        "Đơn vị",
        "Lịch làm việc",
        "Hệ thống thông tin",
        "Tài liệu API",
    ]
    admin = make_user("quantri.nav", "administrator")
    client.force_login(admin)
    labels = [str(item["label"]) for item in client.get("/").context["nav_items"]]
    assert "Nhật ký thay đổi" in labels and "Quản trị" in labels
    citizen = make_user("congdan.nav", "citizen")
    client.force_login(citizen)
    labels = [str(i["label"]) for i in client.get("/").context["nav_items"]]
    # Free spaces in car parks are public: a citizen has them in the menu too.
    assert labels == ["Trang chủ", "Bãi đỗ xe, chỗ trống", "Dịch vụ công", "Hồ sơ của tôi"]


def test_login_is_throttled_after_five_failures(commune_officer):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(5):
        response = client.post("/login/", {"username": commune_officer.username, "password": "sai"})
    response = client.post(
        "/login/", {"username": commune_officer.username, "password": "mat-khau-thu-nghiem"}
    )
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_and_logout(commune_officer):
    client = Client()
    response = client.post(
        "/login/", {"username": commune_officer.username, "password": "mat-khau-thu-nghiem"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_unit_page_form_saves_and_rejects_bad_email(commune_officer):
    client = Client()
    client.force_login(commune_officer)
    bad = client.post("/core/units/6184/", {"address": "Khu 1", "phone": "0205", "email": "khong-phai-email"})
    assert bad.status_code == 200 and "email" in bad.context["form"].errors
    good = client.post(
        "/core/units/6184/",
        {"address": "Khối 1, xã Đồng Đăng", "phone": "0205 3851 000", "email": "xa@langson.gov.vn"},
    )
    assert good.status_code == 302
    from langson.core.models import OrgUnit

    assert OrgUnit.objects.get(code="6184").email == "xa@langson.gov.vn"


def test_healthz_reports_each_part(commune_officer):
    response = Client().get("/healthz")
    body = response.json()
    assert set(body["checks"]) == {"database", "lake", "worker", "broker"}
    assert body["checks"]["database"]["state"] == "ok"
    assert body["checks"]["lake"]["state"] == "ok"
    # No worker runs in this test process: degraded but still serving.
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["worker"]["state"] == "stale"


def test_healthz_is_503_when_the_lake_is_unwritable(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    with override_settings(LAKE_DIR=blocked / "lake"):
        response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["lake"]["state"] == "down"


def test_healthz_reports_an_unreachable_broker():
    with override_settings(MQTT_URL="mqtt://127.0.0.1:1"):
        body = Client().get("/healthz").json()
    assert body["checks"]["broker"]["state"] == "down"


def test_metrics_are_prometheus_text_from_loopback_only():
    response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "langson_http_requests_total" in text and "langson_audit_entries" in text
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 403
    with override_settings(METRICS_TOKEN="bi-mat"):
        assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403
        ok = Client(REMOTE_ADDR="203.0.113.9", headers={"Authorization": "Bearer bi-mat"}).get("/metrics")
        assert ok.status_code == 200


def test_admin_is_vietnamese(administrator):
    client = Client()
    client.force_login(administrator)
    page = client.get("/admin/").content.decode()
    assert "Quản trị nền tảng tỉnh số Lạng Sơn" in page and "Đơn vị" in page


def test_every_interface_string_has_an_english_translation(tmp_path):
    """Extract the strings afresh (as makemessages does) and require an English msgstr for each."""
    assert shutil.which("xgettext"), "gettext is missing: `make test` installs it (apt-get install gettext)"
    package = Path(__file__).resolve().parents[2]
    copy = tmp_path / "langson"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo", "static"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "langson.settings",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(package.parent),
            "LANGSON_DATA_DIR": str(tmp_path / "data"),
        },
    )
    po = polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], "run makemessages -l en and translate these"


def test_english_browser_still_gets_vietnamese_until_the_switch(commune_officer):
    client = Client(headers={"Accept-Language": "en-US,en;q=0.9"})
    client.force_login(commune_officer)
    assert '<html lang="vi">' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()
