"""Browser journeys of the hardening: an official turns on two-factor sign-in and signs in with a real
TOTP code; and every page of the platform runs under the Content-Security-Policy without a violation
(Chromium enforces the policy and reports each refusal on the console)."""

from __future__ import annotations

import re
import subprocess
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import LANGSON, LivePlatform

pytestmark = pytest.mark.browser

USERNAME, PASSWORD = "cb_haylop", "Hl-e2e-mat-khau-2025!"

CREATE = f"""
from langson.core.models import OrgUnit, TwoFactorDevice, User
TwoFactorDevice.objects.filter(user__username={USERNAME!r}).delete()
user = User.objects.filter(username={USERNAME!r}).first() or User(username={USERNAME!r})
user.role, user.full_name = "commune_officer", "Cán bộ hai lớp"
user.org_unit = OrgUnit.objects.get(code="6184")
user.set_password({PASSWORD!r})
user.save()
"""


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


class ConsoleWatch:
    """Collects what Chromium says about refused content (CSP) and uncaught script errors."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: script error {error}"))
        self.page = page

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.problems.append(f"{self.page.url}: {text}")


def sign_in_with_password(page: Page, live: LivePlatform, username: str, password: str) -> None:
    page.goto(live.url("/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form button.primary[type=submit]").click()


def test_an_official_turns_on_two_factor_and_signs_in_with_a_code(
    browser_page: Page, live_platform: LivePlatform
) -> None:
    page, live = browser_page, live_platform
    subprocess.run(
        [LANGSON, "shell", "--no-imports", "-c", CREATE],
        env=live.env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    watch = ConsoleWatch(page)
    sign_in_with_password(page, live, USERNAME, PASSWORD)
    assert path_of(page) == "/"

    # From the name in the top bar to the account page, then to two-factor.
    page.get_by_test_id("account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản")
    page.get_by_test_id("two-factor-link").click()
    expect(page.get_by_test_id("two-factor-state")).to_contain_text("đang tắt")
    page.get_by_test_id("start").click()
    qr = page.get_by_role("img", name=re.compile("Mã QR"))
    expect(qr).to_be_visible()
    assert int(qr.evaluate("img => img.naturalWidth")) > 0  # the data: URI image loaded under the policy
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.locator("#id_code").fill(totp.now())
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("recovery-codes").locator("code")).to_have_count(10)
    expect(page.get_by_test_id("two-factor-state")).to_contain_text("đang bật")
    spare = page.get_by_test_id("recovery-codes").locator("code").first.inner_text()

    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    assert path_of(page) == "/login/"

    # The password alone is not enough: the code page comes next, and a wrong code is refused.
    page.goto(live.url("/core/units/"))
    assert path_of(page) == "/login/"
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button.primary[type=submit]").click()
    assert path_of(page) == "/login/ma-xac-thuc/"
    page.goto(live.url("/"))
    assert path_of(page) == "/login/"  # not signed in between the two steps
    page.go_back()
    assert path_of(page) == "/login/ma-xac-thuc/"
    page.locator("#id_code").fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("code-error")).to_contain_text("Mã xác thực không đúng")

    # A recovery code signs in once (the TOTP code of this 30-s step was spent on enrolment), and the
    # person lands where they were going before the password.
    page.locator("#id_code").fill(spare)
    with page.expect_navigation():
        page.get_by_test_id("verify").click()
    assert path_of(page) == "/core/units/"
    expect(page.get_by_test_id("logout")).to_be_visible()
    assert watch.problems == []


# Pages beyond the menu that a person reaches: their account, the API documentation, the admin.
EXTRA_PAGES = [
    "/core/tai-khoan/",
    "/core/tai-khoan/doi-mat-khau/",
    "/core/tai-khoan/xac-thuc-hai-lop/",
    "/core/tai-khoan/xac-thuc-hai-lop/dat-lai/",
    "/api/docs",
    "/admin/",
    "/admin/core/user/",
    "/admin/core/user/add/",
    "/admin/core/orgunit/",
]


def test_no_page_breaks_the_content_security_policy(browser_page: Page, live_platform: LivePlatform) -> None:
    page, live = browser_page, live_platform
    watch = ConsoleWatch(page)
    # The watch hears a refusal: an inline script slipped into a page is blocked and reported.
    page.goto(live.url("/login/"))
    page.evaluate("""() => { const s = document.createElement("script");
        s.textContent = "window.ran = true"; document.body.appendChild(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.ran === undefined")
    assert any("Content Security Policy" in problem for problem in watch.problems)
    watch.problems.clear()
    page.goto(live.url("/healthz"))
    sign_in_with_password(page, live, "qt_e2e", live.passwords["qt_e2e"])
    assert path_of(page) == "/"
    menu = page.get_by_role("navigation").get_by_role("link")
    paths: list[str] = [
        urlsplit(str(href)).path for href in menu.evaluate_all("links => links.map(a => a.href)")
    ]
    visited: list[tuple[str, Any]] = []

    def visit(path: str) -> None:
        try:
            response = page.goto(live.url(path))
        except PlaywrightError as exc:
            if "Download is starting" in str(exc):  # a file (PDF, XLSX): no page to check
                return
            raise
        page.wait_for_load_state("load")
        visited.append((path, response.status if response else None))

    for path in [*paths, *EXTRA_PAGES]:
        visit(path)
        # One level deeper: the first record of each list (a unit, a dossier, a device...), not a file.
        links = page.locator("main table tbody tr td a[href^='/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        record = next(
            (href for href in links if not re.search(r"\.[a-z0-9]{2,5}$", href.split("?")[0])), None
        )
        if record:
            visit(record)
    page.goto(live.url("/api/docs"))
    expect(page.locator(".swagger-ui .info")).to_be_visible()  # Swagger UI ran under the policy
    assert len(visited) > 15
    assert [item for item in visited if item[1] is None or item[1] >= 500] == []
    assert watch.problems == []
