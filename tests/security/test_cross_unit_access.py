"""Access to another unit's objects by id: refused (403/404) and nothing of unit A in the answer.

Every API operation with an id, code or reference in its path (from ``/api/openapi.json``) and every page with
arguments (from the URL configuration) is called for unit A's object by an official of unit B holding the
same role in their own part of the tree, with a bearer key and with a session. Unit A's own official gets the
object (so the id is right and the refusal is the scope's). Operations and pages that hold nothing of a unit
are in ``NOT_OWNED`` with the reason. The world's markers are unit A's data: none may appear in B's answers.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import unquote

import pytest
from django.urls import reverse

from langson.core.models import AuditEntry
from tests.security.conftest import openapi_operations, url_routes
from tests.security.world import World, api_url, page_kwargs

pytestmark = pytest.mark.django_db

# Path template -> (unit A's official who may see it, unit B's officials who may not).
API_CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "/api/core/units/{code}": ("commune_a", ("commune_b",)),
    "/api/ioc/datasets/{code}": ("dept_a", ("dept_b", "commune_b")),
    "/api/ioc/datasets/{code}/uploads": ("dept_a", ("dept_b",)),
    "/api/ioc/datasets/{code}/batches": ("dept_a", ("dept_b",)),
    "/api/ioc/runs/{run_id}": ("dept_a", ("dept_b", "commune_b")),
    "/api/ioc/runs/{run_id}/quarantine.csv": ("dept_a", ("dept_b",)),
    "/api/ioc/indicators/{code}/values": ("dept_a", ("dept_b",)),
    "/api/ioc/alerts/{alert_id}/acknowledge": ("operator_a", ("operator_b",)),
    "/api/ioc/alerts/{alert_id}/resolve": ("operator_a", ("operator_b",)),
    "/api/ioc/reports/{report_id}": ("operator_a", ("operator_b", "commune_b")),
    "/api/ioc/reports/{report_id}/{fmt}": ("operator_a", ("operator_b", "commune_b")),
    "/api/services/dossiers/{code}": ("commune_a", ("commune_b", "citizen_b")),
    "/api/services/dossiers/{code}/actions": ("commune_a", ("commune_b", "citizen_b")),
    "/api/border/shipments/{reference}": ("business_a", ("business_b", "gate_b")),
    "/api/border/shipments/{reference}/documents": ("business_a", ("business_b", "gate_b")),
    "/api/border/shipments/{reference}/documents/{document_id}": ("business_a", ("business_b", "gate_b")),
    "/api/border/shipments/{reference}/documents/{document_id}/extraction": (
        "business_a",
        ("business_b", "gate_b"),
    ),
    "/api/border/shipments/{reference}/documents/{document_id}/corrections": (
        "business_a",
        ("business_b", "gate_b"),
    ),
    "/api/border/shipments/{reference}/issues": ("business_a", ("business_b", "gate_b")),
    "/api/border/shipments/{reference}/declaration": ("business_a", ("business_b", "gate_b")),
    "/api/border/shipments/{reference}/declaration.pdf": ("business_a", ("business_b", "gate_b")),
    "/api/border/trucks/batches/{batch_id}": ("gate_a", ("gate_b",)),
    "/api/border/trucks/gates/{code}/figures": ("gate_a", ("gate_b",)),
    "/api/border/trucks/gates/{code}/yard": ("gate_a", ("gate_b",)),
    "/api/border/trucks/gates/{code}/visits/{reference}": ("gate_a", ("gate_b",)),
    "/api/city/devices/{device_id}": ("dept_a", ("dept_b", "commune_b")),
    "/api/city/devices/{device_id}/secret": ("dept_a", ("dept_b", "commune_b")),
    # Sở Xây dựng's internal system: the owning department's keepers and the operators of other units hold
    # the same registry permissions (ops/setup_uptime.py), commune officers the view permission.
    "/api/ops/systems/{code}": ("dept_a", ("dept_b", "operator_b", "commune_b")),
    "/api/ops/systems/{code}/incidents": ("dept_a", ("dept_b", "operator_b", "commune_b")),
    "/api/ops/systems/{code}/checks": ("dept_a", ("dept_b", "operator_b", "commune_b")),
}

# Operations and pages with arguments that hold nothing of a unit.
NOT_OWNED = {
    "/api/core/calendar/{year}": "the province's working calendar, the same for every official",
    "/api/services/procedures/{code}": "the public procedure catalog",
    "/api/services/lookup/{code}": "public status lookup by code; shows no personal data (checked below)",
    "/api/city/parking/{lot_id}": "public parking occupancy",
    "ioc:sector": "a sector's page lists only what the person's scope holds (no object id)",
    "services:procedure": "the public procedure catalog",
    "services:submit": "the public procedure catalog's submission form",
}

# A body the operation accepts, so that a refusal cannot be a validation error (422) in disguise.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PATCH", "/api/core/units/{code}"): {"address": "giả mạo"},
    ("POST", "/api/ioc/datasets/{code}/batches"): {"rows": []},
    ("POST", "/api/ioc/alerts/{alert_id}/acknowledge"): {"comment": "giả mạo"},
    ("POST", "/api/ioc/alerts/{alert_id}/resolve"): {"comment": "giả mạo"},
    ("POST", "/api/services/dossiers/{code}/actions"): {"action": "claim"},
    ("POST", "/api/border/shipments/{reference}/documents/{document_id}/corrections"): {
        "field": "seller_name",
        "value": "giả mạo",
    },
    ("PATCH", "/api/city/devices/{device_id}"): {"name": "giả mạo"},
}
UPLOADS = {"/api/ioc/datasets/{code}/uploads", "/api/border/shipments/{reference}/documents"}


def call(client: Any, method: str, template: str, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    if template in UPLOADS:
        upload = io.BytesIO(b"date,commune_code,so_luong\n")
        upload.name = "gia-mao.csv"
        return getattr(client, method.lower())(url, {"file": upload})
    body = BODIES.get((method, template), {})
    return getattr(client, method.lower())(url, json.dumps(body), content_type="application/json")


def leaks(world: World, response: Any, url: str) -> list[str]:
    """Unit A's markers in the answer, but for those the URL itself carries (a 404 page may repeat it)."""
    body = response.getvalue().decode("utf-8", "replace")
    asked = unquote(url)
    return sorted(m for m in world.private_markers if m in body and m not in asked)


def changes_since(entry_id: int) -> list[tuple[str, str, str]]:
    """Audited changes after the given entry; signing the test people in is not a change."""
    return list(
        AuditEntry.objects.filter(pk__gt=entry_id)
        .exclude(action__in=["login", "logout"])
        .values_list("action", "model", "object_repr")
    )


def last_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def path_operations(openapi: dict[str, Any]) -> list[tuple[str, str]]:
    return [(method, path) for method, path, _op in openapi_operations(openapi) if "{" in path]


def test_every_operation_with_an_id_is_checked(openapi: dict[str, Any]) -> None:
    templates = {path for _method, path in path_operations(openapi)}
    unchecked = sorted(templates - set(API_CASES) - set(NOT_OWNED))
    assert not unchecked, f"add these to API_CASES (or NOT_OWNED, with the reason): {unchecked}"
    stale = sorted(set(API_CASES) - templates)
    assert not stale, f"no such operations any more: {stale}"


def test_unit_b_gets_nothing_of_unit_a_through_the_api(shared: World, openapi: dict[str, Any]) -> None:
    before = last_entry()
    wrong = []
    for method, template in path_operations(openapi):
        if template not in API_CASES:
            continue
        url = api_url(shared, template)
        assert url is not None, template
        _owner, outsiders = API_CASES[template]
        for who in outsiders:
            for how, client in (("key", shared.bearer(who)), ("session", shared.session(who))):
                response = call(client, method, template, url)
                if response.status_code not in (403, 404) or leaks(shared, response, url):
                    wrong.append(
                        f"{who} ({how}) {method} {url}: {response.status_code} {leaks(shared, response, url)}"
                    )
    assert not wrong, "\n".join(wrong)
    assert not changes_since(before), f"a refused call changed something: {changes_since(before)}"


def test_unit_a_gets_its_own_objects_through_the_api(shared: World, openapi: dict[str, Any]) -> None:
    """The ids are right: the owner's official reads each object (so B's 404 is the scope's doing)."""
    wrong = []
    for method, template in path_operations(openapi):
        if method != "GET" or template not in API_CASES:
            continue
        url = api_url(shared, template)
        owner, _outsiders = API_CASES[template]
        response = shared.bearer(owner).get(url)
        if response.status_code != 200:
            wrong.append(f"{owner} GET {url}: {response.status_code} {response.content[:200]!r}")
    assert not wrong, "\n".join(wrong)


def test_the_public_lookup_shows_no_personal_data(shared: World) -> None:
    url = api_url(shared, "/api/services/lookup/{code}")
    assert url is not None
    for client in (shared.bearer("citizen_b"), shared.session("commune_b")):
        response = client.get(url)
        assert response.status_code == 200 and not leaks(shared, response, url)


# Page route -> (unit A's person who may see it, unit B's people who may not).
PAGE_CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "core:unit": ("commune_a", ("commune_b",)),
    "core:two-factor-reset": ("admin", ("operator_b", "commune_b")),
    "ioc:alert-action": ("operator_a", ("operator_b", "commune_b")),
    "ioc:dataset": ("dept_a", ("dept_b", "commune_b")),
    "ioc:run-quarantine": ("dept_a", ("dept_b",)),
    "ioc:indicator": ("dept_a", ("dept_b",)),
    "ioc:indicator-csv": ("dept_a", ("dept_b",)),
    "ioc:indicator-xlsx": ("dept_a", ("dept_b",)),
    "ioc:report-download": ("operator_a", ("operator_b", "commune_b")),
    "services:my-dossier": ("citizen_a", ("citizen_b", "commune_b")),
    "services:receipt": ("citizen_a", ("citizen_b", "commune_b")),
    "services:apology-letter": ("citizen_a", ("citizen_b", "commune_b")),
    "services:document": ("citizen_a", ("citizen_b", "commune_b")),
    "services:pay": ("citizen_a", ("citizen_b", "commune_b")),
    "services:payment-return": ("citizen_a", ("citizen_b", "commune_b")),
    "services:office-dossier": ("commune_a", ("commune_b", "citizen_b")),
    "services:control-sheet": ("commune_a", ("commune_b", "citizen_b")),
    "border:shipment": ("business_a", ("business_b", "gate_b")),
    "border:declaration-json": ("business_a", ("business_b", "gate_b")),
    "border:declaration-pdf": ("business_a", ("business_b", "gate_b")),
    "border:document": ("business_a", ("business_b", "gate_b")),
    "border:document-file": ("business_a", ("business_b", "gate_b")),
    "border:document-page": ("business_a", ("business_b", "gate_b")),
    "border:clearance-batch": ("gate_a", ("gate_b",)),
    "border:clearance-gate": ("gate_a", ("gate_b",)),
    "border:clearance-record": ("gate_a", ("gate_b",)),
    "border:clearance-visit": ("gate_a", ("gate_b",)),
    "city:device": ("dept_a", ("dept_b", "commune_b")),
    "city:device-live": ("dept_a", ("dept_b", "commune_b")),
    "city:device-edit": ("dept_a", ("dept_b", "commune_b")),
    "city:device-active": ("dept_a", ("dept_b", "commune_b")),
    "city:device-secret": ("dept_a", ("dept_b", "commune_b")),
    "city:device-command": ("dept_a", ("dept_b", "commune_b")),
    "ops:system": ("dept_a", ("dept_b", "operator_b", "commune_b")),
    "ops:system-edit": ("dept_a", ("dept_b", "operator_b", "commune_b")),
}
# What the owner's GET answers when it is not the page itself.
OWNER_ANSWERS = {
    "core:two-factor-reset": {405},  # POST only
    "ioc:alert-action": {405},  # POST only
    "services:apology-letter": {404},  # the world's hồ sơ is on time: no letter (see test_stored_xss)
    "services:pay": {405},  # POST only
    "services:payment-return": {302},
    "border:clearance-record": {405},
    "city:device-active": {405},
    "city:device-secret": {405},
    "city:device-command": {405},
}


def page_routes_with_arguments() -> set[str]:
    return {r.name for r in url_routes() if r.params and not r.name.startswith(("admin:", "api-1.0.0:"))}


def test_every_page_with_an_id_is_checked() -> None:
    routes = page_routes_with_arguments()
    unchecked = sorted(routes - set(PAGE_CASES) - set(NOT_OWNED))
    assert not unchecked, f"add these to PAGE_CASES (or NOT_OWNED, with the reason): {unchecked}"
    assert not set(PAGE_CASES) - routes, "no such pages any more"


def test_unit_b_gets_nothing_of_unit_a_through_the_pages(shared: World) -> None:
    filled = page_kwargs(shared)
    before = last_entry()
    wrong = []
    for route, (owner, outsiders) in PAGE_CASES.items():
        url = reverse(route, kwargs=filled[route])
        got = shared.session(owner).get(url).status_code
        if got not in OWNER_ANSWERS.get(route, {200}):
            wrong.append(f"owner {owner} GET {url}: {got}")
        for who in outsiders:
            client = shared.session(who)
            answers = [client.get(url), client.post(url, {"action": "claim", "reason": "giả mạo"})]
            statuses = [a.status_code for a in answers]
            refused = all(s in (403, 404, 405) for s in statuses) and any(s in (403, 404) for s in statuses)
            leaked = sorted({m for a in answers for m in leaks(shared, a, url)})
            if not refused or leaked:
                wrong.append(f"{who} {url}: {statuses} {leaked}")
    assert not wrong, "\n".join(wrong)
    assert not changes_since(before), f"a refused request changed something: {changes_since(before)}"


OUTSIDERS = ("commune_b", "dept_b", "gate_b", "operator_b", "business_b", "citizen_b")


def test_unit_b_lists_show_nothing_of_unit_a(shared: World, openapi: dict[str, Any]) -> None:
    """Lists have no id to guess, but they must be scoped too: every page and API list without arguments,
    read by each of unit B's people, holds nothing of unit A (e.g. the calendar's days off of A)."""
    pages = [
        reverse(r.name)
        for r in url_routes()
        if not r.params
        and not r.name.startswith(("admin:", "api-1.0.0:"))
        and r.name not in ("logout", "ioc:alert-stream")
    ]
    lists = [path for method, path, _op in openapi_operations(openapi) if method == "GET" and "{" not in path]
    wrong = []
    for who in OUTSIDERS:
        session, bearer = shared.session(who), shared.bearer(who)
        for url, client in [(u, session) for u in pages] + [(p, bearer) for p in lists]:
            response = client.get(url)
            if response.status_code >= 500 or leaks(shared, response, url):
                wrong.append(f"{who} {url}: {response.status_code} {leaks(shared, response, url)}")
    assert not wrong, "\n".join(wrong)


def test_the_public_status_shows_published_names_only(shared: World) -> None:
    """The public status page and its JSON, read by anyone (no login), show the published system's name and
    nothing internal: not the internal system, nor the published one's description, checks' details,
    incidents' causes or address."""
    from django.test import Client

    for url in (reverse("ops:status"), "/api/ops/status"):
        response = Client().get(url)
        body = response.getvalue().decode("utf-8", "replace")
        assert response.status_code == 200, url
        assert "xss-publicsystem-name" in body, url
        assert not leaks(shared, response, url), f"{url}: {leaks(shared, response, url)}"
        assert shared.objects["system"].code not in body and "cong-khai-a.example" not in body, url


# The backups page and API hold the province's own records (no unit's): operators and the province's leaders
# read them (ops/backup/access.py); every other official, and the public roles, get 403 and none of them.
BACKUP_URLS = (
    "/van-hanh/sao-luu/",
    "/api/ops/backups/status",
    "/api/ops/backups/runs",
    "/api/ops/backups/drills",
)


def test_backups_are_for_operators_and_the_province_leaders_only(shared: World) -> None:
    wrong = []
    for who in ("operator_a", "operator_b", "leader", "admin"):
        for url in BACKUP_URLS:
            client = shared.session(who) if url.startswith("/van-hanh/") else shared.bearer(who)
            if (status := client.get(url).status_code) != 200:
                wrong.append(f"{who} {url}: {status}, not 200")
    for who in ("commune_a", "commune_b", "dept_a", "dept_b", "gate_b", "business_b", "citizen_b"):
        for url in BACKUP_URLS:
            page = url.startswith("/van-hanh/")
            for client in (shared.session(who),) if page else (shared.session(who), shared.bearer(who)):
                response = client.get(url)
                body = response.getvalue().decode("utf-8", "replace")
                seen = sorted(m for m in shared.province_markers if m in body)
                if response.status_code != 403 or seen:
                    wrong.append(f"{who} {url}: {response.status_code} {seen}")
    assert not wrong, "\n".join(wrong)
