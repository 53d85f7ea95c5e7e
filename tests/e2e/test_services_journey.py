"""One-stop acceptance journey (issue 4): a citizen submits online with attachments at Đồng Đăng; load
balancing gives the hồ sơ to an officer of another commune, who receives it and asks for a supplement; the
citizen adds it on a cheap phone; the officer approves and returns the result; the citizen opens the lookup
page from the QR code and rates the service."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LANGSON, PHONE_VIEWPORT, LivePlatform

pytestmark = pytest.mark.browser

PASSWORD = "Dvc-e2e-mat-khau-2026!"
# A procedure received anywhere, Đồng Đăng made busy with five open hồ sơ of a local procedure, a citizen,
# and an officer of the commune the load balancer will choose (printed last).
SETUP = f"""
from langson.core.models import OrgUnit, User
from langson.services import workflow
from langson.services.assignment import propose_unit
from langson.services.models import Procedure
from langson.services.storage import Attachment
docs = [{{"code": "TK", "name": "Tờ khai đăng ký khai sinh", "required": True, "copies": 1}},
        {{"code": "GCS", "name": "Giấy chứng sinh", "required": True, "copies": 1}}]
birth = Procedure.objects.create(code="E2E.0001", name="Đăng ký khai sinh (kiểm thử)", field="Hộ tịch",
    level="commune", deadline_days=3, documents=docs, online="full", anywhere=True,
    steps=[{{"name": "Tiếp nhận", "days": 0}}, {{"name": "Thẩm định", "days": 2}},
           {{"name": "Trình ký", "days": 1}}, {{"name": "Trả kết quả", "days": 0}}])
local = Procedure.objects.create(code="E2E.0002", name="Chứng thực (kiểm thử)", field="Chứng thực",
    level="commune", deadline_days=3, documents=docs[:1], online="partial", anywhere=False)
dong_dang = OrgUnit.objects.get(code="6184")
for i in range(5):
    workflow.submit(local, {{"applicant_name": f"Người {{i}}", "applicant_id": "020190000001"}},
        [Attachment("TK", "a.pdf", b"%PDF-1.7 " + bytes([i]))], channel="counter", received_unit=dong_dang)
chosen = propose_unit(birth, dong_dang)
for username, role, unit in (("nd_hoa", "citizen", None), ("cb_xu_ly", "commune_officer", chosen)):
    name = "Nông Thị Hoa" if unit is None else "Cán bộ xử lý"
    user = User(username=username, role=role, org_unit=unit, full_name=name)
    user.set_password("{PASSWORD}")
    user.save()
print(chosen.name)
"""

PDF = b"%PDF-1.7\n% ban scan\n"


@pytest.fixture(scope="module")
def services_platform(live_platform: LivePlatform) -> Iterator[tuple[LivePlatform, str]]:
    done = subprocess.run(
        [LANGSON, "shell", "--no-imports", "-c", SETUP],
        env=live_platform.env,
        check=True,
        capture_output=True,
        text=True,
    )
    yield live_platform, done.stdout.strip().splitlines()[-1]


def log_in(page: Page, live: LivePlatform, username: str) -> None:
    page.goto(live.url("/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button.primary[type=submit]").click()


def file(name: str, extra: bytes = b"") -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF + extra}


def test_submit_anywhere_balance_supplement_approve_lookup_by_qr_and_rate(
    chromium: Any, services_platform: tuple[LivePlatform, str]
):
    live, other_commune = services_platform
    assert other_commune != "Xã Đồng Đăng"
    citizen_ctx = chromium.new_context(viewport=PHONE_VIEWPORT, base_url=live.base_url)
    officer_ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=live.base_url)
    try:
        citizen = citizen_ctx.new_page()
        log_in(citizen, live, "nd_hoa")
        citizen.goto(live.url("/dvc/?q=khai sinh"))
        citizen.get_by_role("link", name="Đăng ký khai sinh (kiểm thử)").click()
        citizen.locator("[data-testid=submit-online]").click()
        citizen.locator("#id_applicant_id").fill("020195001234")
        citizen.locator("#id_applicant_phone").fill("0912 345 678")
        citizen.locator("#id_received_unit").select_option(label="Xã Đồng Đăng")
        citizen.locator("#id_return_unit").select_option(label="Xã Đồng Đăng")
        citizen.locator("#doc_TK").set_input_files(file("to-khai.pdf"))
        # First without the birth certificate: a clear refusal, nothing stored.
        with citizen.expect_navigation():
            citizen.locator("[data-testid=send]").click()
        expect(citizen.locator("[data-testid=error]")).to_have_text(
            "Thiếu thành phần hồ sơ bắt buộc: Giấy chứng sinh."
        )
        citizen.locator("#doc_TK").set_input_files(file("to-khai.pdf"))
        citizen.locator("#doc_GCS").set_input_files(file("giay-chung-sinh.pdf", b"mo"))
        with citizen.expect_navigation():
            citizen.locator("[data-testid=send]").click()
        code = citizen.locator("[data-testid=code]").inner_text().strip()
        expect(citizen.locator("[data-testid=status]")).to_have_text("Chờ tiếp nhận trực tuyến")
        expect(citizen.locator("[data-testid=facts]")).to_contain_text(other_commune)

        officer = officer_ctx.new_page()
        log_in(officer, live, "cb_xu_ly")
        officer.goto(live.url("/mot-cua/"))
        officer.get_by_role("link", name=code).click()
        with officer.expect_navigation():
            officer.locator("[data-testid=receive]").click()
        with officer.expect_navigation():
            officer.locator("[data-testid=claim]").click()
        officer.locator("#id_reason").fill("Giấy chứng sinh bị mờ, đề nghị chụp lại rõ nét.")
        with officer.expect_navigation():
            officer.locator("[data-testid=ask-supplement]").click()
        expect(officer.locator("[data-testid=status]")).to_have_text("Yêu cầu bổ sung")

        citizen.reload()
        expect(citizen.locator("[data-testid=supplement]")).to_contain_text("Giấy chứng sinh bị mờ")
        citizen.locator("#doc_GCS").set_input_files(file("giay-chung-sinh-ro.pdf", b"ro net"))
        with citizen.expect_navigation():
            citizen.locator("[data-testid=send-supplement]").click()
        expect(citizen.locator("[data-testid=status]")).to_have_text("Đang xử lý")

        officer.reload()
        expect(officer.locator("[data-testid=steps]")).to_contain_text("Thẩm định")
        officer.locator("#handover_note").fill("Hồ sơ đủ điều kiện, trình lãnh đạo ký.")
        with officer.expect_navigation():
            officer.locator("[data-testid=advance]").click()
        expect(officer.locator("[data-testid=events]")).to_contain_text("Chuyển bước: Thẩm định (Trước hạn)")
        with officer.expect_navigation():
            officer.locator("[data-testid=finish]").click()
        with officer.expect_navigation():
            officer.locator("[data-testid=hand-back]").click()
        events = officer.locator("[data-testid=events]")
        for step in (
            "Nộp trực tuyến",
            "Tiếp nhận",
            "Yêu cầu bổ sung",
            "Bổ sung hồ sơ",
            "Có kết quả",
            "Trả kết quả",
        ):
            expect(events).to_contain_text(step)

        # The QR code on the citizen's page leads to the public lookup, which needs no login.
        citizen.reload()
        lookup_url = citizen.locator("[data-testid=qr]").get_attribute("href")
        assert lookup_url and code in lookup_url
        anonymous = chromium.new_context(viewport=PHONE_VIEWPORT, base_url=live.base_url).new_page()
        anonymous.goto(live.url(lookup_url) if lookup_url.startswith("/") else lookup_url)
        expect(anonymous.locator("[data-testid=lookup-result]")).to_contain_text("Đã trả kết quả")
        expect(anonymous.locator("[data-testid=lookup-result]")).not_to_contain_text("Nông Thị Hoa")
        anonymous.context.close()

        citizen.get_by_label("Rất hài lòng").check()
        with citizen.expect_navigation():
            citizen.locator("[data-testid=send-rating]").click()
        expect(citizen.locator("[data-testid=rated]")).to_contain_text("5/5")
    finally:
        citizen_ctx.close()
        officer_ctx.close()
