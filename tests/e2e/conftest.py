"""The real platform for the browser journeys and the API fuzzing: `langson serve` in a subprocess.

Nothing here touches the ORM in the pytest process (so pytest-django's database blocker never fires):
the platform is migrated, seeded and given its test people by `langson` subprocesses, and the tests
talk to it over HTTP only.

Set LANGSON_E2E_DATABASE_URL (a PostgreSQL URL naming a throw-away database) to run the same journeys
on PostgreSQL; otherwise the platform uses SQLite in a temporary LANGSON_DATA_DIR.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
LANGSON = str(REPO_DIR / ".venv" / "bin" / "langson")
ARTIFACTS_DIR = REPO_DIR / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}  # a cheap phone
STARTUP_TIMEOUT = 60.0

# username -> (role, unit code or None, full name, password)
PEOPLE: dict[str, tuple[str, str | None, str, str]] = {
    "qt_e2e": ("administrator", None, "Quản trị E2E", "Qt-e2e-mat-khau-2025!"),
    "cb_dongdang": ("commune_officer", "6184", "Cán bộ Đồng Đăng", "Dd-e2e-mat-khau-2025!"),
    "cb_lvt": ("commune_officer", "5983", "Cán bộ Lương Văn Tri", "Lvt-e2e-mat-khau-2025!"),
}

CREATE_PEOPLE = """
import json
from langson.core.models import OrgUnit, User
people = json.loads({people!r})
for username, (role, unit_code, full_name, password) in people.items():
    unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
    user = User(username=username, role=role, org_unit=unit, full_name=full_name)
    user.set_password(password)
    user.full_clean()
    user.save()
print(json.dumps({{u.code: u.pk for u in OrgUnit.objects.filter(code__in=["6184", "5983"])}}))
"""


@dataclass(frozen=True)
class LivePlatform:
    base_url: str
    data_dir: Path
    env: dict[str, str] = field(repr=False)  # the subprocesses' environment: kept out of failure output
    passwords: dict[str, str] = field(repr=False)
    admin_key: str = field(repr=False)
    unit_pks: dict[str, int] = field(default_factory=dict)  # unit code -> primary key (audit object_pk)

    def url(self, path: str) -> str:
        return self.base_url + path

    def api(self, path: str, *, key: str | None = None) -> tuple[int, Any]:
        """GET an API path as a machine client would (the admin key unless told); returns status and JSON."""
        request = urllib.request.Request(self.url(path), headers={"Accept": "application/json"})  # noqa: S310
        bearer = self.admin_key if key is None else key
        if bearer:
            request.add_header("Authorization", f"Bearer {bearer}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            body = exc.read()
            try:
                return exc.code, json.loads(body or b"null")
            except ValueError:
                return exc.code, body.decode("utf-8", "replace")


def _langson(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    result = subprocess.run(
        [LANGSON, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"`langson {' '.join(args[:2])}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fresh_postgres(url: str) -> tuple[str, str, str]:
    """Drop and re-create the e2e database (per xdist worker); returns (url, maintenance url, name)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.search(r"e2e|test", name):
        pytest.fail(
            f"LANGSON_E2E_DATABASE_URL must name a throw-away database (with 'e2e' or 'test' in its name): "
            f"it is dropped and re-created. Got {name!r}.",
            pytrace=False,
        )
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker:
        name = f"{name}_{worker}"
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), maintenance, name


def _drop_postgres(maintenance: str, name: str) -> None:
    import psycopg

    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_until_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(errors="replace")[-4000:]
            pytest.fail(f"`langson serve` exited with {server.returncode}:\n{tail}", pytrace=False)
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}: {exc.read()[:500]!r}"
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.2)
    pytest.fail(
        f"/healthz did not answer 200 within {STARTUP_TIMEOUT:.0f} s (last: {last}):\n"
        f"{log.read_text(errors='replace')[-4000:]}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def live_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivePlatform]:
    """Migrated, seeded (`--no-demo`) platform served by `langson serve` on a free loopback port."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.pop("DATABASE_URL", None)
    env["LANGSON_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    pg: tuple[str, str] | None = None
    e2e_database_url = os.environ.get("LANGSON_E2E_DATABASE_URL", "")
    if e2e_database_url:
        env["DATABASE_URL"], maintenance, name = _fresh_postgres(e2e_database_url)
        pg = (maintenance, name)
    server: subprocess.Popen[bytes] | None = None
    try:
        _langson(env, "migrate", "--verbosity", "0")
        _langson(env, "seed", "--no-demo")
        created = _langson(
            env, "shell", "--no-imports", "-c", CREATE_PEOPLE.format(people=json.dumps(PEOPLE))
        )
        unit_pks = {code: int(pk) for code, pk in json.loads(created.strip().splitlines()[-1]).items()}
        admin_key = _langson(env, "token", "create", "qt_e2e", "e2e").strip().splitlines()[-1]
        port = _free_port()
        log = data_dir / "serve.log"
        with log.open("wb") as out:
            server = subprocess.Popen(
                [LANGSON, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(base_url, server, log)
        yield LivePlatform(
            base_url=base_url,
            data_dir=data_dir,
            env=env,
            passwords={username: person[3] for username, person in PEOPLE.items()},
            admin_key=admin_key,
            unit_pks=unit_pks,
        )
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
        if pg is not None:
            _drop_postgres(*pg)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; one per test module so no event loop outlives it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser journeys drive Debian's Chromium. "
            "Run `make test` (it installs the `chromium` package) or `apt-get install chromium`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium: Any, live_platform: LivePlatform, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh context (no cookies) per test on a 360-px phone; a screenshot is kept when the test fails.

    The browser asks for English (Accept-Language en-US), as many officials' browsers do: the platform
    must still answer in Vietnamese until the person switches language.
    """
    context = chromium.new_context(viewport=PHONE_VIEWPORT, locale="en-US", base_url=live_platform.base_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "_e2e_report_call", None)
        if report is not None and report.failed:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            try:
                page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                print(f"screenshot failed: {exc!r}")
        context.close()
