"""Acceptance journeys, as a person does them in Chromium on a 360-px phone against the real server."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LivePlatform

pytestmark = pytest.mark.browser

DONG_DANG = "Xã Đồng Đăng"
DONG_DANG_ONE_STOP = "Trung tâm Phục vụ hành chính công xã Đồng Đăng"
LUONG_VAN_TRI = "Phường Lương Văn Tri"
SO_Y_TE = "Sở Y tế"


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def log_in(page: Page, live: LivePlatform, username: str, password: str | None = None) -> None:
    """Fill the login form (the page must already show it) and submit it."""
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(live.passwords[username] if password is None else password)
    with page.expect_navigation():
        page.locator("form button.primary[type=submit]").click()


def open_and_log_in(page: Page, live: LivePlatform, username: str) -> None:
    page.goto(live.url("/login/"))
    log_in(page, live, username)
    assert path_of(page) == "/", f"login of {username} failed: {page.url}"


def unit_codes_listed(page: Page) -> list[str]:
    return [
        c.strip() for c in page.locator("[data-testid=unit-table] tbody tr td:first-child").all_inner_texts()
    ]


def scroll_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_commune_officer_journey(browser_page: Page, live_platform: LivePlatform) -> None:
    page, live = browser_page, live_platform

    # Not signed in: the home page sends the person to the login form, remembering where they were going.
    page.goto(live.url("/"))
    assert path_of(page) == "/login/"
    assert parse_qs(urlsplit(page.url).query).get("next") == ["/"]
    # The browser asks for English, the platform still answers in Vietnamese.
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    log_in(page, live, "cb_dongdang")

    # Home page in Vietnamese.
    assert path_of(page) == "/"
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nền tảng tỉnh số Lạng Sơn")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Đơn vị", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Trang chủ", exact=True)).to_be_visible()
    expect(page.get_by_test_id("logout")).to_have_text("Đăng xuất")

    # Switch to English with the button; the same page comes back in English.
    with page.expect_navigation():
        page.get_by_test_id("lang-en").click()
    assert path_of(page) == "/"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lạng Sơn digital province platform")
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_visible()
    expect(page.get_by_test_id("logout")).to_have_text("Log out")
    expect(page.get_by_test_id("lang-vi")).to_be_visible()

    # The unit list shows the officer's own commune subtree and nothing else.
    nav.get_by_role("link", name="Units", exact=True).click()
    page.wait_for_url("**/core/units/")
    table = page.get_by_test_id("unit-table")
    expect(table.get_by_role("link", name=DONG_DANG, exact=True)).to_be_visible()
    expect(table.get_by_role("link", name=DONG_DANG_ONE_STOP, exact=True)).to_be_visible()
    expect(table.get_by_text(LUONG_VAN_TRI)).to_have_count(0)
    expect(table.get_by_text(SO_Y_TE)).to_have_count(0)
    assert sorted(unit_codes_listed(page)) == ["6184", "6184-TTPVHCC"]

    # Their commune's own page.
    table.get_by_role("link", name=DONG_DANG, exact=True).click()
    page.wait_for_url("**/core/units/6184/")
    expect(page.get_by_role("heading", level=1)).to_have_text(DONG_DANG)

    # Another commune's page does not exist for them (404, not 403: its existence is not disclosed).
    response = page.goto(live.url("/core/units/5983/"))
    assert response is not None and response.status == 404
    response = page.goto(live.url("/core/units/SO-YT/"))
    assert response is not None and response.status == 404

    # Log out with the button: back on the login page, and the pages are closed again.
    page.goto(live.url("/"))
    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    assert path_of(page) == "/login/"
    expect(page.locator("#id_username")).to_be_visible()
    page.goto(live.url("/core/units/"))
    assert path_of(page) == "/login/"
    assert parse_qs(urlsplit(page.url).query).get("next") == ["/core/units/"]


def test_api_refuses_another_commune_with_the_session(
    browser_page: Page, live_platform: LivePlatform
) -> None:
    page, live = browser_page, live_platform
    open_and_log_in(page, live, "cb_dongdang")
    api = page.context.request  # shares the browser's session cookie

    other = api.get(live.url("/api/core/units/5983"))
    assert other.status == 404
    body = other.json()
    assert body["code"] == "not_found"
    assert body["detail"] == "Không tìm thấy đơn vị."

    own = api.get(live.url("/api/core/units/6184"))
    assert own.status == 200
    unit = own.json()
    assert (unit["code"], unit["name"], unit["kind"]) == ("6184", DONG_DANG, "commune")

    listed = api.get(live.url("/api/core/units?limit=100"))
    assert listed.status == 200
    assert sorted(u["code"] for u in listed.json()["items"]) == ["6184", "6184-TTPVHCC"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_horizontal_scroll_on_a_360px_phone(
    browser_page: Page, live_platform: LivePlatform, language: str
) -> None:
    page, live = browser_page, live_platform
    open_and_log_in(page, live, "cb_dongdang")
    if language == "en":
        with page.expect_navigation():
            page.get_by_test_id("lang-en").click()
    for path in ("/", "/core/units/", "/core/units/6184/"):
        response = page.goto(live.url(path))
        assert response is not None and response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert scroll_width(page) <= 360, f"{path} ({language}) scrolls sideways: {scroll_width(page)} px"


def test_officer_edits_the_phone_number_and_the_change_is_audited(
    browser_page: Page, live_platform: LivePlatform
) -> None:
    page, live = browser_page, live_platform
    status, before_unit = live.api("/api/core/units/6184")
    assert status == 200
    old_phone = before_unit["phone"]
    new_phone = f"0205 385 {secrets.randbelow(9000) + 1000}"
    assert new_phone != old_phone

    open_and_log_in(page, live, "cb_dongdang")
    page.goto(live.url("/core/units/6184/"))
    page.locator("#id_phone").fill(new_phone)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu", exact=True).click()
    assert path_of(page) == "/core/units/6184/"
    expect(page.locator(".messages li.success")).to_have_text("Đã lưu thông tin đơn vị.")
    expect(page.locator("#id_phone")).to_have_value(new_phone)
    expect(page.locator(".facts")).to_contain_text(new_phone)

    status, after_unit = live.api("/api/core/units/6184")
    assert status == 200 and after_unit["phone"] == new_phone
    # Only the phone changed: the form must not clobber the other contact fields.
    for key in ("address", "email", "saturday_reception", "name", "kind", "parent_code"):
        assert after_unit[key] == before_unit[key], key

    pk = live.unit_pks["6184"]
    status, audit = live.api(f"/api/core/audit?model=core.orgunit&object_pk={pk}")
    assert status == 200, audit
    updates: list[dict[str, Any]] = [
        e for e in audit["items"] if e["action"] == "update" and "phone" in e["changes"].get("after", {})
    ]
    assert updates, f"no audited phone update among {audit['items']}"
    entry = updates[0]  # newest first
    assert entry["changes"]["before"]["phone"] == old_phone
    assert entry["changes"]["after"]["phone"] == new_phone
    assert set(entry["changes"]["after"]) == {"phone"}
    assert entry["actor"] == "cb_dongdang"
    assert entry["channel"] == "web"
    assert entry["model"] == "core.orgunit" and entry["object_pk"] == str(pk)
    assert entry["object_repr"] == DONG_DANG


def test_login_is_throttled_after_five_wrong_passwords(
    browser_page: Page, live_platform: LivePlatform
) -> None:
    page, live = browser_page, live_platform
    for attempt in range(1, 6):
        page.goto(live.url("/login/"))
        log_in(page, live, "cb_lvt", password=f"sai-mat-khau-{attempt}")
        assert path_of(page) == "/login/", f"attempt {attempt} let the person in: {page.url}"
        if attempt < 5:
            expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")

    # Now even the right password is refused, with the Vietnamese lock-out message.
    page.goto(live.url("/login/"))
    page.locator("#id_username").fill("cb_lvt")
    page.locator("#id_password").fill(live.passwords["cb_lvt"])
    with page.expect_response(lambda r: r.request.method == "POST" and "/login/" in r.url) as answer:
        page.locator("form button.primary[type=submit]").click()
    page.wait_for_load_state()
    assert answer.value.status == 429
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("alert")).to_contain_text("tạm khóa")
    expect(page.get_by_test_id("logout")).to_have_count(0)

    # Not signed in.
    page.goto(live.url("/"))
    assert path_of(page) == "/login/"


def test_api_docs_render_offline_for_an_administrator(
    browser_page: Page, live_platform: LivePlatform
) -> None:
    page, live = browser_page, live_platform
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    open_and_log_in(page, live, "qt_e2e")

    with (
        page.expect_response(lambda r: r.url == live.url("/static/ninja/swagger-ui-bundle.js")) as bundle,
        page.expect_response(lambda r: r.url == live.url("/api/openapi.json")) as spec,
    ):
        response = page.goto(live.url("/api/docs"))
    assert response is not None and response.status == 200
    assert bundle.value.status == 200
    assert spec.value.status == 200
    expect(page.locator("#swagger-ui")).to_have_count(1)
    # Swagger UI actually ran and rendered the operations from the spec.
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    expect(page.locator("#swagger-ui")).to_contain_text("/api/core/units/{code}")
    page.wait_for_load_state("networkidle")

    network = [u for u in requested if not u.startswith(("data:", "blob:"))]
    outside = [u for u in network if not u.startswith(live.base_url + "/")]
    assert not outside, f"requests left the loopback server: {outside}"


def test_odd_input_in_the_unit_pages_is_answered_not_crashed(
    browser_page: Page, live_platform: LivePlatform
) -> None:
    """A NUL character pasted into the search or the address bar is refused or matches nothing (400/404),
    never a server error: PostgreSQL cannot hold U+0000, so it must be stopped before the ORM
    (src/langson/core/views.py unit_list `q`, unit_detail `code` pass request input to queries).
    """
    page, live = browser_page, live_platform
    open_and_log_in(page, live, "cb_dongdang")
    search = page.goto(live.url("/core/units/?q=%00"))
    assert search is not None and search.status in (200, 400), (
        f"search with U+0000: {search and search.status}"
    )
    unit = page.goto(live.url("/core/units/%00/"))
    assert unit is not None and unit.status in (400, 404), f"unit code U+0000: {unit and unit.status}"
    found = page.goto(live.url("/core/units/?q=%C4%90%E1%BB%93ng%20%C4%90%C4%83ng"))  # "Đồng Đăng"
    assert found is not None and found.status == 200
    expect(page.get_by_test_id("unit-table").get_by_role("link", name=DONG_DANG, exact=True)).to_be_visible()
