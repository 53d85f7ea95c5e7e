"""IOC acceptance journey: an officer uploads a CSV with 3 bad rows and sees why they were rejected; the
indicator updates; a threshold alert reaches the leader's open overview by server push; the leader
acknowledges and resolves it with comments."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LANGSON, PHONE_VIEWPORT, LivePlatform

pytestmark = pytest.mark.browser

PASSWORD = "Ioc-e2e-mat-khau-2026!"
SETUP = f"""
from langson.core.models import OrgUnit, User
from langson.ioc.models import Dataset, Indicator
owner = OrgUnit.objects.get(code="SO-YT")
schema = {{"columns": [
    {{"name": "date", "type": "date", "required": True}},
    {{"name": "commune_code", "type": "commune", "required": True}},
    {{"name": "visits", "type": "integer", "required": True, "min": 0}}],
    "key": ["date", "commune_code"], "time_column": "date"}}
Dataset.objects.create(code="health-visits", name="Lượt khám ngoại trú", owner=owner, schema=schema)
Indicator.objects.create(code="health-visits-monthly", name="Lượt khám ngoại trú",
    name_en="Outpatient visits", unit="lượt", sector="health", grain="month", by_commune=True, owner=owner,
    critical_above=1000,
    definition={{"dataset": "health-visits", "measure": "sum", "column": "visits", "by": "commune_code"}})
for username, role, unit in (("cb_soyte", "department_officer", "SO-YT"), ("ld_tinh", "leader", "20")):
    user = User(username=username, role=role, org_unit=OrgUnit.objects.get(code=unit), full_name=username)
    user.set_password("{PASSWORD}")
    user.save()
"""

CSV = """date,commune_code,visits
2026-11-02,6184,320
2026-11-09,6184,410
2026-11-16,6184,-3
2026-11-02,5983,290
2026-11-09,5983,350
2026-11-16,9999,300
2026-11-23,5983,nhiều
2026-11-16,5983,280
2026-11-23,6184,150
2026-11-30,6184,120
"""


@pytest.fixture(scope="module")
def ioc_platform(live_platform: LivePlatform) -> Iterator[LivePlatform]:
    """The live platform with a health dataset, a thresholded indicator, two people, and a running worker."""
    subprocess.run(
        [LANGSON, "shell", "--no-imports", "-c", SETUP],
        env=live_platform.env,
        check=True,
        capture_output=True,
    )
    worker = subprocess.Popen(
        [LANGSON, "worker", "--interval", "0.3"],
        env=live_platform.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield live_platform
    finally:
        worker.terminate()
        worker.wait(timeout=20)


def log_in(page: Page, live: LivePlatform, username: str) -> None:
    page.goto(live.url("/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button.primary[type=submit]").click()


def wait_for(check: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_upload_rejections_indicator_live_alert_and_its_resolution(chromium: Any, ioc_platform: LivePlatform):
    live = ioc_platform
    leader_ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=live.base_url)
    officer_ctx = chromium.new_context(viewport=PHONE_VIEWPORT, base_url=live.base_url)
    try:
        leader = leader_ctx.new_page()
        log_in(leader, live, "ld_tinh")
        leader.goto(live.url("/ioc/"))
        expect(leader.locator("[data-testid=alert-list]")).to_contain_text("Không có cảnh báo nào đang mở.")
        leader.evaluate("window.__notReloaded = true")

        officer = officer_ctx.new_page()
        log_in(officer, live, "cb_soyte")
        officer.goto(live.url("/ioc/datasets/health-visits/"))
        officer.locator("#file").set_input_files(
            {"name": "luot-kham-thang-11.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
        )
        with officer.expect_navigation():
            officer.locator("form button.primary[type=submit]").click()
        expect(officer.locator("[data-testid=run-result]")).to_contain_text(
            "Nhận 10 dòng: 7 hợp lệ, 3 bị loại."
        )
        reasons = officer.locator("[data-testid=rejections] tbody tr")
        expect(reasons).to_have_count(3)
        expect(reasons.nth(0)).to_contain_text("visits = -3 nhỏ hơn mức tối thiểu 0.")
        expect(reasons.nth(1)).to_contain_text("không phải mã xã, phường của tỉnh Lạng Sơn")
        expect(reasons.nth(2)).to_contain_text("visits = 'nhiều' không phải số nguyên.")

        # The worker recomputes the indicator: 320+410+290+350+280+150+120 = 1,920 visits in November.
        values = wait_for(
            lambda: live.api("/api/ioc/indicators/health-visits-monthly/values")[1].get("items")
        )
        assert values == [{"period": "2026-11-01", "commune": "", "value": 1920.0}]

        # The alert arrives on the leader's open page by server push, without a reload.
        alert = leader.locator("[data-testid=alert-list] li.alert")
        expect(alert).to_contain_text("Lượt khám ngoại trú: 1.920,0 lượt (01/11/2026)", timeout=30_000)
        assert leader.evaluate("window.__notReloaded === true")

        alert_id = alert.first.get_attribute("data-alert-id")
        leader.locator(f"#c-{alert_id}").fill("Đã giao Sở Y tế kiểm tra số liệu")
        with leader.expect_navigation():
            leader.locator(f"[data-testid=ack-{alert_id}]").click()
        expect(leader.locator(f"li[data-alert-id='{alert_id}']")).to_contain_text("Đã tiếp nhận")
        leader.locator(f"#c-{alert_id}").fill("Mùa cúm: đã bố trí thêm bàn khám")
        with leader.expect_navigation():
            leader.locator(f"[data-testid=resolve-{alert_id}]").click()
        expect(leader.locator("[data-testid=alert-list]")).not_to_contain_text("1.920,0")

        _, body = live.api("/api/ioc/alerts?state=resolved")
        resolved = next(a for a in body["items"] if str(a["id"]) == alert_id)
        assert [c["text"] for c in resolved["comments"]] == [
            "Đã giao Sở Y tế kiểm tra số liệu",
            "Mùa cúm: đã bố trí thêm bàn khám",
        ]
        assert resolved["assignee"] == "ld_tinh"
    finally:
        leader_ctx.close()
        officer_ctx.close()
