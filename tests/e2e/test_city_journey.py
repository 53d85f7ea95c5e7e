"""Smart-city acceptance journey (issue 6): a technician sees a faulty lamp on the map, opens it, sends a dim
command, and sees the lamp's new state without reloading the page.

The test plays the lamp over HTTP with the lamp's own credentials, as a real one does without an MQTT broker
(`make run`): it reports "on" at 0 W (a dead lamp) with ``POST /api/city/telemetry``, fetches its commands
with ``GET /api/city/commands``, and reports the new dimming level. The technician works on the 360-px phone
of conftest. A commune officer of another commune can neither see nor command the lamp.
"""

from __future__ import annotations

import base64
import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LANGSON, PHONE_VIEWPORT, LivePlatform

pytestmark = pytest.mark.browser

TECHNICIAN = "kt_soxd_e2e"
PASSWORD = "Kt-e2e-mat-khau-2026!"
LAMP = "den-e2e-lvt-01"
LAMP_SECRET = "bi-mat-den-e2e-2026"
OTHER_OFFICER = "cb_dongdang"  # conftest: commune officer of Đồng Đăng (6184); the lamp stands in 5983
SETUP = f"""
from langson.city.ingest.broker import hash_password
from langson.city.models import Device
from langson.core.models import OrgUnit, User
user = User(username="{TECHNICIAN}", role="department_officer", full_name="Kỹ thuật viên chiếu sáng",
            org_unit=OrgUnit.objects.get(code="SO-XD"))
user.set_password("{PASSWORD}")
user.full_clean()
user.save()
Device(device_id="{LAMP}", name="Đèn đường Lê Lợi 01", type="Streetlight",
       commune=OrgUnit.objects.get(code="5983"), owner=OrgUnit.objects.get(code="SO-XD"),
       latitude=21.848, longitude=106.756, attributes={{"powerConsumption": 120}},
       secret_hash=hash_password("{LAMP_SECRET}")).save()
"""


@pytest.fixture(scope="module")
def city(live_platform: LivePlatform) -> Iterator[LivePlatform]:
    subprocess.run(
        [LANGSON, "shell", "--no-imports", "-c", SETUP],
        env=live_platform.env,
        check=True,
        capture_output=True,
        text=True,
    )
    yield live_platform


def lamp_call(live: LivePlatform, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """The lamp speaks to the platform: HTTP Basic with its id and secret."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(live.url(path), data=data, method=method)  # noqa: S310 - loopback
    token = base64.b64encode(f"{LAMP}:{LAMP_SECRET}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
        return response.status, json.loads(response.read() or b"null")


def lamp_reports(live: LivePlatform, **data: Any) -> None:
    status, answer = lamp_call(
        live, "POST", "/api/city/telemetry", {"ts": int(time.time() * 1000), "data": data}
    )
    assert status == 200 and answer["accepted"] == 1, answer


def log_in(page: Page, live: LivePlatform, username: str, password: str) -> None:
    page.goto(live.url("/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form button.primary[type=submit]").click()


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"], (
        f"{page.url} is {width} px wide on a {PHONE_VIEWPORT['width']}-px phone"
    )


def test_technician_sees_a_faulty_lamp_dims_it_and_sees_its_new_state(browser_page: Page, city: LivePlatform):
    live, page = city, browser_page
    # The lamp's controller says "on" but the lamp draws nothing: a dead lamp.
    lamp_reports(live, powerState="on", dimmingLevel=100, powerConsumption=0.0)

    log_in(page, live, TECHNICIAN, PASSWORD)
    page.goto(live.url("/do-thi/ban-do/"))
    marker = page.locator(f"[data-testid=marker][data-device={LAMP}]")
    expect(marker).to_have_attribute("data-kind", "faulty")  # a red triangle with "!", not a colour only
    expect(marker.locator("text")).to_have_text("!")
    expect(page.locator(f"[data-testid=faulty-row][data-device={LAMP}]")).to_be_visible()
    fits_the_phone(page)
    # The city centre's lamps are dense: zoom to the ward and the lamp is still marked faulty there.
    page.locator("#xa").select_option("5983")
    with page.expect_navigation():
        page.locator("form.map-controls button[type=submit]").click()
    expect(page.locator(f"[data-testid=marker][data-device={LAMP}][data-kind=faulty]")).to_have_count(1)

    # Open the lamp from the list under the map.
    with page.expect_navigation():
        page.locator(f"[data-testid=faulty-row][data-device={LAMP}] a").first.click()
    expect(page.locator("[data-testid=device-id]")).to_have_text(LAMP)
    expect(page.locator("[data-testid=lamp-faulty]")).to_be_visible()
    expect(page.locator("[data-testid=lamp-power-state]")).to_have_attribute("data-value", "on")
    fits_the_phone(page)

    # Dim to 50 %.
    page.locator("#id_level").fill("50")
    with page.expect_navigation():
        page.locator("[data-testid=command-dim]").click()
    first_command = page.locator("[data-testid=command-row]").first
    expect(first_command).to_have_attribute("data-state", "pending")
    expect(first_command).to_contain_text("50 %")
    page.evaluate("window.__notReloaded = true")

    # The lamp fetches its command, applies it and reports; a new lamp is fitted, it draws power again.
    status, commands = lamp_call(live, "GET", "/api/city/commands")
    assert status == 200 and len(commands) == 1
    assert commands[0]["dimmingLevel"] == 50 and commands[0]["powerState"] == "on"
    lamp_reports(live, powerState="on", dimmingLevel=50, powerConsumption=58.5)

    # The page shows it by itself (polling), without a reload.
    expect(page.locator("[data-testid=lamp-dimming]")).to_have_attribute("data-value", "50", timeout=20_000)
    expect(first_command).to_have_attribute("data-state", "applied", timeout=20_000)
    expect(page.locator("[data-testid=lamp-faulty]")).to_have_count(0)
    assert page.evaluate("window.__notReloaded === true")
    fits_the_phone(page)


def test_an_officer_of_another_commune_cannot_see_or_command_the_lamp(browser_page: Page, city: LivePlatform):
    live, page = city, browser_page
    log_in(page, live, OTHER_OFFICER, live.passwords[OTHER_OFFICER])
    answer = page.goto(live.url(f"/do-thi/thiet-bi/{LAMP}/"))
    assert answer is not None and answer.status == 404
    page.goto(live.url("/do-thi/ban-do/"))
    expect(page.locator("[data-testid=device-map]")).to_be_visible()
    expect(page.locator(f"[data-testid=marker][data-device={LAMP}]")).to_have_count(0)
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    command = page.request.post(
        live.url(f"/do-thi/thiet-bi/{LAMP}/lenh/"),
        form={"action": "off"},
        headers={"X-CSRFToken": csrf, "Referer": live.url(f"/do-thi/thiet-bi/{LAMP}/")},
    )
    assert command.status == 404
    assert page.request.get(live.url(f"/api/city/devices/{LAMP}")).status == 404
    status, commands = lamp_call(live, "GET", "/api/city/commands")
    assert status == 200 and all(c.get("powerState") != "off" for c in commands)
