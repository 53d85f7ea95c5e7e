"""SQL-injection strings in every filter: harmless (no server error, nothing beyond the caller's scope, every
table still there).

The filters are discovered: the query parameters of every GET operation of ``/api/openapi.json``, the
``request.GET`` names each page's view module reads, and the admin's search box on every change list. Each
takes each string of ``INJECTIONS`` alone, as the administrator and as an official of unit B, whose answers
must hold nothing of unit A (the world's markers).
"""

from __future__ import annotations

import ast
import inspect
import re
from typing import Any
from urllib.parse import quote, unquote

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from langson.core.models import User
from tests.security.conftest import PAGES_NOT_CRAWLED, openapi_operations, url_routes
from tests.security.world import World, api_url, page_kwargs

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "' OR 1=1--",
    "1; DROP TABLE core_user;--",
    "%' --",
    "') OR ('1'='1",
    '" OR ""="',
    "1 UNION SELECT password, username FROM core_user--",
    "%",  # a LIKE wildcard must match itself, not everything
    "\u02bc OR 1=1--",  # modifier letter apostrophe, folded to ' by careless normalisation
    "\uff07 OR 1=1--",  # fullwidth apostrophe
    "\U0001d54f' OR 1=1--",  # outside the Basic Multilingual Plane
    "\u0000' OR 1=1--",  # NUL: refused before any query (PostgreSQL cannot store it)
]
# Django's own admin search: the classic strings only, to keep the suite fast.
ADMIN_INJECTIONS = [INJECTIONS[0], INJECTIONS[1], INJECTIONS[2], "\uff07 OR 1=1--", "\u0000' OR 1=1--"]
RAW_QUERY = "%FF%FE%27%20OR%201%3D1--"  # bytes that are no UTF-8, sent as they are

# Who of unit B asks, by the API's first path segment: an official with the app's permissions.
B_BY_APP = {
    "core": "commune_b",
    "ioc": "dept_b",
    "services": "commune_b",
    "border": "gate_b",
    "city": "dept_b",
    "ops": "dept_b",
}


def with_query(url: str, name: str, value: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{quote(name)}={quote(value, safe='')}"


def leaks(world: World, body: bytes, url: str) -> list[str]:
    text = body.decode("utf-8", "replace")
    return sorted(m for m in world.private_markers if m in text and m not in unquote(url))


def check(world: World, client: Any, url: str, who: str, problems: list[str]) -> None:
    response = client.get(url)
    body = response.getvalue()
    if response.status_code >= 500:
        problems.append(f"{who} {url}: {response.status_code}")
    elif "%00" in url and response.status_code not in (400, 404, 422):
        problems.append(f"{who} {url}: NUL answered {response.status_code}, not refused")
    elif who != "admin" and leaks(world, body, url):
        problems.append(f"{who} {url}: unit A's {leaks(world, body, url)}")


def tables_intact() -> None:
    tables = set(connection.introspection.table_names())
    missing = [
        m._meta.db_table for m in apps.get_models() if m._meta.managed and m._meta.db_table not in tables
    ]
    assert not missing, f"tables gone: {missing}"


def test_api_filters(shared: World, openapi: dict[str, Any]) -> None:
    users = User.objects.count()
    problems: list[str] = []
    checked = 0
    for method, path, operation in openapi_operations(openapi):
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        if method != "GET" or not names:
            continue
        url = api_url(shared, path)
        assert url is not None, f"{path}: no arguments in world.api_path_values"
        outsider = B_BY_APP.get(path.split("/")[2], "commune_b")
        clients = {"admin": shared.bearer("admin"), outsider: shared.bearer(outsider)}
        for name in names:
            for value in INJECTIONS:
                for who, client in clients.items():
                    check(shared, client, with_query(url, name, value), who, problems)
            for who, client in clients.items():
                check(shared, client, f"{url}?{quote(name)}={RAW_QUERY}", who, problems)
            checked += 1
    assert checked >= 25, checked  # the discovery found the API's filters
    assert not problems, "\n".join(problems)
    assert User.objects.count() == users
    tables_intact()


GET_NAME = re.compile(r"""request\.GET\.get\(\s*["']([^"']+)["']|\(request,\s*["']([\w-]+)["']\)""")


def query_names(callback: Any) -> set[str]:
    """The query parameters a view reads (``request.GET.get("x")``, or a helper given the request and the
    name), in its own body and in the functions of its module it calls, found in the module's syntax tree."""
    module = inspect.getmodule(callback)
    if module is None:
        return set()
    source = inspect.getsource(module)
    functions = {node.name: node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)}
    names: set[str] = set()
    todo, seen = [callback.__name__], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        node = functions[name]
        names |= {a or b for a, b in GET_NAME.findall(ast.get_source_segment(source, node) or "")}
        todo += [
            c.func.id for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
        ]
    return names


def test_page_filters(shared: World) -> None:
    users = User.objects.count()
    filled = page_kwargs(shared)
    clients = {"admin": shared.session("admin"), "commune_b": shared.session("commune_b")}
    problems: list[str] = []
    checked = 0
    for route in url_routes():
        if route.name.startswith(("admin:", "api-1.0.0:")):
            continue
        if route.name in PAGES_NOT_CRAWLED or route.name in ("logout", "set_language"):
            continue
        names = query_names(route.callback)
        if not names:
            continue
        url = reverse(route.name, kwargs=filled[route.name] if route.params else None)
        for name in sorted(names):
            for value in INJECTIONS:
                for who, client in clients.items():
                    check(shared, client, with_query(url, name, value), who, problems)
            checked += 1
    assert checked >= 20, checked
    assert not problems, "\n".join(problems)
    assert User.objects.count() == users
    tables_intact()


def test_admin_search(shared: World) -> None:
    """The admin's search box and a made-up lookup on every change list (the admin answers an unknown lookup
    with a redirect carrying ?e=1, never an error)."""
    client = shared.session("admin")
    problems: list[str] = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for value in ADMIN_INJECTIONS:
            check(shared, client, with_query(url, "q", value), "admin", problems)
            check(shared, client, with_query(url, "pk__in", value), "admin", problems)
    assert not problems, "\n".join(problems)
    tables_intact()


def test_no_filter_returns_rows_beyond_the_scope(shared: World) -> None:
    """The 'always true' string in the unit list's search gives B no more units than B's own list."""
    client = shared.bearer("commune_b")
    own = client.get("/api/core/units?limit=500").json()
    for value in ("' OR 1=1--", "%", "_"):
        found = client.get(with_query("/api/core/units?limit=500", "q", value)).json()
        assert found["count"] <= own["count"], value
        assert {u["code"] for u in found["items"]} <= {u["code"] for u in own["items"]}, value
