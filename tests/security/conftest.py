"""Shared pieces of the security suite: the world of unit A and unit B (built once for the suite, rolled back
after it), the platform's URL patterns and API operations (discovered, never hand-written), and the HTML check
that tells escaped text from live markup."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.security.world import World, build


@pytest.fixture(scope="package")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world, shared by the suite's tests inside one transaction that is rolled back after the last of
    them (each test still runs in its own savepoint, so what a test changes is undone after it)."""
    from django.db import transaction
    from django.test.utils import override_settings

    files = tmp_path_factory.mktemp("security-files")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            DOSSIER_FILES_DIR=files / "dossiers",
            BORDER_FILES_DIR=files / "border",
            LAKE_DIR=files / "lake",
        ),
        transaction.atomic(),
    ):
        try:
            yield build()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def shared(world: World, db: Any) -> World:
    """The suite's world inside this test's own savepoint."""
    return world


# --- What the platform serves ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", the key of the suite's tables
    route: str  # the pattern as written, e.g. "dvc/ho-so/<str:code>/"
    params: tuple[str, ...]
    callback: Any

    @property
    def module(self) -> str:
        return str(getattr(self.callback, "__module__", ""))


def url_routes() -> list[Route]:
    """Every named URL pattern of the project (admin included), walked from the root resolver."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern), (*namespaces, *filter(None, [entry.namespace])))
            elif isinstance(entry, URLPattern) and entry.name:
                route = prefix + str(entry.pattern)
                names = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
                label = ":".join([n for n in namespaces if n] + [entry.name])
                found.append(Route(label, route, names, entry.callback))

    walk(get_resolver(), "", ())
    return found


def openapi_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) for every operation of /api/openapi.json."""
    return [
        (method.upper(), path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def security_schemes(operation: dict[str, Any]) -> set[str]:
    return {name for requirement in operation.get("security", []) for name in requirement}


@pytest.fixture(scope="package")
def openapi(world: World) -> dict[str, Any]:
    from django.test import Client

    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


# --- Live markup in HTML -----------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


class _DangerFinder(HTMLParser):
    """Collects what would run in a browser: a script element that is (or breaks out into) the payload, an
    event-handler attribute carrying it, the payload's <img>, and javascript: URLs in link attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dangers: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "alert(" in value:
                self.dangers.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                "javascript:"
            ):
                self.dangers.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc" and "<script" in value.lower():
                self.dangers.append(f"<{tag} srcdoc=…>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.dangers.append(f"<img {attrs!r}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            # Escaped JSON (json_script, escapejs) never holds a raw "<script"; the injected tag's own body is
            # the bare payload.
            if "<script" in data.lower() or data.strip().startswith("alert(1)"):
                self.dangers.append(f"<script>{data.strip()[:120]}</script>")
        else:
            self.text.append(data)


def html_dangers(html: str) -> tuple[list[str], str]:
    """(live payloads found, the page's visible text with entities decoded)."""
    finder = _DangerFinder()
    finder.feed(html)
    finder.close()
    return finder.dangers, " ".join(finder.text)


def pdf_text(data: bytes) -> str | None:
    """The text of a PDF, or None for bytes that are no PDF pypdf can read (an uploaded file served back)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    except PdfReadError:
        return None


def admin_pages(world: World) -> list[tuple[str, str]]:
    """(route name, URL) of every admin page for the registered models: the change list, the add form, and
    the change, history and delete pages of the newest rows (the world's rows are the newest)."""
    from django.contrib import admin
    from django.urls import reverse

    pages: list[tuple[str, str]] = []
    for model in admin.site._registry:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append((f"{label}_changelist", reverse(f"{label}_changelist")))
        pages.append((f"{label}_add", reverse(f"{label}_add")))
        for pk in model._default_manager.order_by("-pk").values_list("pk", flat=True)[:3]:
            for view in ("change", "history", "delete"):
                pages.append((f"{label}_{view}", reverse(f"{label}_{view}", args=[pk])))
    for app_label in {m._meta.app_label for m in admin.site._registry}:
        pages.append(("admin:app_list", reverse("admin:app_list", args=[app_label])))
    return pages


# Pages the crawl does not fetch, each for a reason.
PAGES_NOT_CRAWLED = {
    "ioc:alert-stream": "server-sent events that never end; the same alerts as ioc:alert-feed, as JSON data",
}


def all_pages(world: World) -> tuple[list[tuple[str, str]], list[str]]:
    """(route name, URL) of every page the platform serves, and the routes with arguments nobody filled."""
    from django.urls import reverse

    from tests.security.world import page_kwargs

    filled = page_kwargs(world)
    pages: list[tuple[str, str]] = []
    missing: list[str] = []
    for route in url_routes():
        if route.name.startswith(("admin:", "api-1.0.0:")):
            continue
        if route.name in PAGES_NOT_CRAWLED:
            continue
        if not route.params:
            pages.append((route.name, reverse(route.name)))
        elif route.name in filled:
            pages.append((route.name, reverse(route.name, kwargs=filled[route.name])))
        else:
            missing.append(route.name)
    return pages + admin_pages(world), missing
