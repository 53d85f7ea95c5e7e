"""CSRF: a request riding on a signed-in person's session cookie, without the CSRF token, changes nothing.

Discovered, not listed: every URL pattern of the project (the admin's included) is sent POST, PUT, PATCH and
DELETE from a session with ``Client(enforce_csrf_checks=True)``, and every unsafe operation of the API's own
``/api/openapi.json`` is called the same way. The few exceptions are in ``CSRF_EXEMPT`` with their reason and
what protects them instead. A bearer key is no cookie, so API calls with a key need no CSRF token: shown too.
The audit log proves nothing was changed by the refused requests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from langson.core.models import AuditEntry, OrgUnit
from tests.security.conftest import openapi_operations, security_schemes, url_routes
from tests.security.world import COMMUNE_A, World, api_url, page_kwargs

pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")

# Pages that accept unsafe requests without a CSRF token, and what protects them instead.
CSRF_EXEMPT = {
    "services:payment-ipn": "the payment gateway's server-to-server call; an HMAC signature authenticates it",
}


def page_urls(world: World) -> list[tuple[str, str]]:
    """Every URL pattern with its arguments filled (unit A's objects; an admin object id 1 is enough here,
    since the CSRF check runs before the view looks anything up)."""
    filled = page_kwargs(world)
    urls = []
    for route in url_routes():
        if route.name.startswith("api-1.0.0:"):
            continue
        if route.name.startswith("admin:") and route.params:
            kwargs: dict[str, Any] = {p: "core" if p == "app_label" else "1" for p in route.params}
        else:
            kwargs = filled.get(route.name, {}) if route.params else {}
            if route.params and not kwargs:
                pytest.fail(f"{route.name}: no arguments in world.page_kwargs")
        urls.append((route.name, reverse(route.name, kwargs=kwargs)))
    return urls


def is_csrf_refusal(response: Any) -> bool:
    return response.status_code == 403 and b"CSRF" in response.content


def test_every_page_refuses_unsafe_requests_without_the_token(shared: World) -> None:
    client = shared.session("admin", enforce_csrf=True)
    entries = AuditEntry.objects.count()
    accepted = []
    urls = page_urls(shared)
    assert len(urls) > 100  # the admin's pages included: the discovery found the whole URL configuration
    for name, url in urls:
        if name in CSRF_EXEMPT:
            continue
        for method in UNSAFE:
            response = getattr(client, method)(url, data={"action": "receive", "address": "giả mạo"})
            if not is_csrf_refusal(response):
                accepted.append(f"{method.upper()} {url} ({name}): {response.status_code}")
    assert not accepted, "answered without a CSRF token:\n" + "\n".join(accepted)
    assert AuditEntry.objects.count() == entries, "a refused request changed something"


def test_the_exempt_pages_refuse_an_unsigned_request(shared: World) -> None:
    """The gateway's confirmation answers 200 with a code, as gateways expect: an unsigned one is refused
    with "97" (invalid signature), whoever's session rides along, and no payment changes."""
    from langson.services.models import Payment

    assert set(CSRF_EXEMPT) == {"services:payment-ipn"}
    client = shared.session("admin", enforce_csrf=True)
    before = list(Payment.objects.values_list("pk", "status"))
    response = client.post(reverse("services:payment-ipn"), {"order_id": "LS-1", "amount": "20000"})
    assert response.status_code == 200 and response.json()["code"] == "97", response.content
    assert list(Payment.objects.values_list("pk", "status")) == before


def test_the_same_form_with_the_token_goes_through(shared: World) -> None:
    """The refusals above are the CSRF check's: the same session with its token changes the unit's page."""
    client = shared.session("commune_a", enforce_csrf=True)
    url = reverse("core:unit", kwargs={"code": COMMUNE_A})
    assert client.get(url).status_code == 200
    token = client.cookies["csrftoken"].value
    data = {
        "address": "Số 1 đường Hữu Nghị",
        "phone": "0205 3851 234",
        "email": "",
        "csrfmiddlewaretoken": token,
    }
    assert is_csrf_refusal(client.post(url, {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}))
    assert client.post(url, data).status_code == 302
    assert OrgUnit.objects.get(code=COMMUNE_A).address == "Số 1 đường Hữu Nghị"


def unsafe_operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for m, p, op in openapi_operations(openapi) if m.lower() in UNSAFE]


def call(client: Client, method: str, url: str, **extra: Any) -> Any:
    return getattr(client, method.lower())(url, data=json.dumps({}), content_type="application/json", **extra)


def test_every_session_api_operation_refuses_unsafe_calls_without_the_token(
    shared: World, openapi: dict[str, Any]
) -> None:
    """Operations that accept the session answer 403 (CSRF); those that do not accept it answer 401."""
    client = shared.session("admin", enforce_csrf=True)
    operations = unsafe_operations(openapi)
    assert len(operations) >= 15
    entries = AuditEntry.objects.count()
    wrong = []
    for method, path, operation in operations:
        url = api_url(shared, path)
        assert url is not None, f"{path}: no arguments in world.api_path_values"
        response = call(client, method, url)
        if "SessionAuth" in security_schemes(operation):
            ok = is_csrf_refusal(response)
        else:  # devices' and machines' operations: the session is no credential there at all
            ok = response.status_code == 401
        if not ok:
            wrong.append(f"{method} {path}: {response.status_code} {response.content[:200]!r}")
    assert not wrong, "\n".join(wrong)
    assert AuditEntry.objects.count() == entries


def test_bearer_keys_need_no_csrf_token_and_the_session_passes_with_it(
    shared: World, openapi: dict[str, Any]
) -> None:
    """A bearer key is sent by the client on purpose, never by the browser on its own: no CSRF token is
    needed. The session passes with its token. Neither call is refused as CSRF."""
    bearer = shared.bearer("admin")
    session = shared.session("admin", enforce_csrf=True)
    session.get(reverse("core:unit", kwargs={"code": COMMUNE_A}))
    token = session.cookies["csrftoken"].value
    refused = []
    for method, path, operation in unsafe_operations(openapi):
        url = api_url(shared, path)
        assert url is not None
        if "BearerToken" in security_schemes(operation):
            response = call(bearer, method, url)
            if is_csrf_refusal(response) or response.status_code == 401:
                refused.append(f"bearer {method} {path}: {response.status_code}")
        if "SessionAuth" in security_schemes(operation):
            response = call(session, method, url, HTTP_X_CSRFTOKEN=token)
            if is_csrf_refusal(response) or response.status_code == 401:
                refused.append(f"session+token {method} {path}: {response.status_code}")
    assert not refused, "\n".join(refused)


def test_safe_requests_change_nothing(shared: World) -> None:
    """CSRF protection covers unsafe methods only, so GET must never change data: every page fetched as
    the administrator leaves the audit log as it was."""
    client = shared.session("admin")
    entries = AuditEntry.objects.count()
    for name, url in page_urls(shared):
        if name in ("logout", "admin:logout") or name.endswith("alert-stream"):
            continue  # GET does not log out (405 since Django 5); the alert stream never ends
        client.get(url)
    changed = list(AuditEntry.objects.order_by("pk")[entries:].values_list("action", "model", "object_repr"))
    assert not changed, changed
