"""Stored XSS: hostile text in every free-text field that is shown back; every page checked for live markup.

The world (tests/security/world.py) stores ``<script>alert(1)</script>``, ``"><img src=x onerror=alert(1)>``
and ``javascript:alert(1)`` behind a marker naming the field, through the platform's own forms and API where a
person or a device fills the field (the online hồ sơ form, the officers' actions, the unit's contact form, the
admin, the device and telemetry API, the IOC push and upload API, the border document and truck API, the
registry of information systems; the monitor's and the backup jobs' messages are stored as they write them).
Then:

- every text field of every model (found through ``django.apps``) is either in ``SHOWN`` (with the pages that
  show it back, each checked to really show it) or in ``NOT_SHOWN`` with the reason: a new field fails
  ``test_every_text_field_is_classified`` until someone says where it is shown;
- every page the URL configuration serves, the admin's included, is fetched and parsed with ``html.parser``:
  no live ``<script>``, no ``on*=`` handler and no ``javascript:`` link may come from stored text; the PDFs
  carry no JavaScript action, and nothing but HTML is served as HTML.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from tests.security.conftest import all_pages, html_dangers, pdf_text
from tests.security.world import IMG, World

pytestmark = pytest.mark.django_db

# "app.Model.field" -> (the marker the world stores in it, the pages that show it back: route names)
SHOWN: dict[str, tuple[str, tuple[str, ...]]] = {
    "core.OrgUnit.name": ("xss-orgunit-name", ("core:units", "core:unit", "city:devices", "services:submit")),
    "core.OrgUnit.address": ("xss-orgunit-address", ("core:unit",)),
    "core.OrgUnit.phone": ("x-phone", ("core:unit",)),
    "core.User.full_name": ("xss-user-full_name", ("services:office-dossier", "services:receipt")),
    "core.User.first_name": ("x-first", ("core:audit",)),
    "core.User.last_name": ("x-last", ("core:audit",)),
    "core.User.phone": ("x-uphone", ("core:audit",)),
    # The audit log copies every audited change: its page and admin show the other fields' payloads.
    "core.AuditEntry.changes": ("xss-target-address", ("core:audit",)),
    "core.AuditEntry.object_repr": ("xss-dataset-name", ("admin:core_auditentry_changelist",)),
    "core.CalendarOverride.reason": (
        "xss-calendaroverride-reason",
        ("core:calendar", "admin:core_calendaroverride_changelist"),
    ),
    "core.ApiToken.name": ("xss-apitoken-name", ("admin:core_apitoken_changelist",)),
    "ioc.Dataset.name": ("xss-dataset-name", ("ioc:datasets", "ioc:dataset", "ioc:sector")),
    "ioc.Dataset.name_en": ("xss-dataset-name_en", ("core:audit",)),
    "ioc.Dataset.schema": ("xss-dataset-schema", ("ioc:dataset", "admin:ioc_dataset_change")),
    "ioc.QuarantinedRow.data": ("xss-quarantinedrow-data", ("ioc:run-quarantine",)),
    "ioc.DatasetToken.name": ("xss-datasettoken-name", ("core:audit",)),
    "ioc.PullSource.items_path": ("xss-pull-items", ("core:audit",)),
    "ioc.PullSource.page_param": ("x-pp", ("core:audit",)),
    "ioc.PullSource.next_path": ("xss-pull-next", ("core:audit",)),
    "ioc.PullSource.cursor_param": ("x-cp", ("core:audit",)),
    "ioc.PullSource.cursor_field": ("xss-pull-cfield", ("core:audit",)),
    "ioc.PullSource.last_cursor": ("xss-pull-last_cursor", ("admin:ioc_pullsource_change",)),
    "ioc.Alert.title": (
        "xss-alert-title",
        ("ioc:overview", "ioc:alert-feed", "ioc:report-download", "admin:ioc_notification_changelist"),
    ),
    "ioc.AlertComment.text": ("xss-alertcomment-text", ("ioc:overview", "ioc:alert-feed")),
    "ioc.NotificationTarget.name": ("xss-target-name", ("admin:ioc_notificationtarget_changelist",)),
    "ioc.NotificationTarget.address": ("xss-target-address", ("admin:ioc_notificationtarget_changelist",)),
    "ioc.Notification.last_error": ("xss-notification-last_error", ("admin:ioc_notification_change",)),
    "services.Dossier.applicant_name": (
        "xss-dossier-applicant_name",
        ("services:office-dossier", "services:receipt", "services:control-sheet"),
    ),
    "services.Dossier.applicant_address": ("xss-dossier-applicant_address", ("services:receipt",)),
    "services.Dossier.request": ("xss-dossier-request", ("services:office-dossier", "services:receipt")),
    "services.Dossier.rating_comment": ("xss-dossier-rating_comment", ("core:audit",)),
    "services.DossierDocument.name": (
        "xss-dossierdocument-name",
        ("services:my-dossier", "services:office-dossier", "services:receipt"),
    ),
    "services.DossierEvent.note": (
        "xss-dossierevent-note",
        ("services:office-dossier",),
    ),
    "services.Payment.reference": ("xss-payment-reference", ("services:office-dossier",)),
    "border.ClearanceBatch.file_name": ("xss-clearancebatch-file_name", ("border:clearance-batch",)),
    "border.TruckVisit.reference": (
        "xss-truckvisit-reference",
        ("border:clearance-gate", "border:clearance-visit"),
    ),
    "border.TruckEvent.note": ("xss-truckevent-note", ("border:clearance-visit",)),
    "border.RejectedTruckRow.data": ("xss-rejectedtruckrow-data", ("border:clearance-batch",)),
    "border.RejectedTruckRow.reasons": ("xss-rejectedtruckrow-data", ("border:clearance-batch",)),
    "border.Document.original_name": ("xss-document-original_name", ("border:shipment", "border:document")),
    "border.Document.extraction": (
        "xss-document-extraction",
        ("border:shipment", "border:document", "border:declaration-pdf"),
    ),
    "border.FieldCorrection.original": ("xss-document-extraction", ("border:document",)),
    "border.FieldCorrection.value": (
        "xss-fieldcorrection-value",
        ("border:shipment", "border:document", "border:declaration-pdf"),
    ),
    "city.Device.name": ("xss-device-name", ("city:devices", "city:device", "city:map")),
    "city.Device.attributes": ("xss-device-attributes", ("city:device", "city:device-edit")),
    "city.Reading.text": ("xss-reading-text", ("city:device", "admin:city_reading_changelist")),
    "city.LatestValue.text": ("xss-reading-text", ("city:device", "admin:city_latestvalue_changelist")),
    "city.DeadLetter.topic": ("xss-deadletter-topic", ("admin:city_deadletter_changelist",)),
    "city.DeadLetter.device_id": ("xss-dl-dev", ("admin:city_deadletter_changelist",)),
    "city.DeadLetter.reason": ("xss-deadletter-reason", ("admin:city_deadletter_changelist",)),
    # The public system's name is on ops:status too (test_cross_unit_access checks it, and nothing else, is).
    "ops.MonitoredSystem.name": (
        "xss-system-name",
        ("ops:systems", "ops:system", "ops:system-edit", "admin:ops_monitoredsystem_changelist"),
    ),
    "ops.MonitoredSystem.description": ("xss-system-description", ("ops:system",)),
    "ops.MonitoredSystem.url": ("xss-system-url", ("ops:systems", "ops:system")),
    "ops.MonitoredSystem.tls_error": ("xss-system-tls_error", ("ops:system",)),
    "ops.Check.detail": ("xss-check-detail", ("ops:system", "admin:ops_check_changelist")),
    "ops.Incident.cause": ("xss-incident-cause", ("ops:system", "admin:ops_incident_changelist")),
    "ops.BackupRun.error": ("xss-backuprun-error", ("ops:backups", "admin:ops_backuprun_change")),
    "ops.BackupRun.error_en": ("xss-backuprun-error_en", ("admin:ops_backuprun_change",)),
    "ops.DrillRun.error": ("xss-drillrun-error", ("ops:backups", "admin:ops_drillrun_change")),
    "ops.DrillRun.error_en": ("xss-drillrun-error_en", ("admin:ops_drillrun_change",)),
    "ops.DrillRun.mismatches": ("xss-drillrun-mismatches", ("ops:backups", "admin:ops_drillrun_change")),
}

CHOICES = "a choice from a fixed list (validated)"
SYSTEM = "written by the platform itself, never from a person's or a device's text"
SECRET = "a hash or secret: never displayed"
VALIDATED = "validated to a strict format that cannot hold markup"
DECLARED = "declared in code or in the shipped reference catalog; no form or API writes it"
API_ONLY = "shown back only in the API's JSON (application/json, nosniff), never in a page"

# "app.Model.field" -> why it needs no payload (not free text, or never shown back).
NOT_SHOWN: dict[str, str] = {
    "core.OrgUnit.code": VALIDATED + " (unit codes of the reference data; the admin's code is a key)",
    "core.OrgUnit.kind": CHOICES,
    "core.OrgUnit.path": SYSTEM + " (built from the codes)",
    "core.OrgUnit.email": VALIDATED + " (EmailField)",
    "core.User.password": SECRET,
    "core.User.username": VALIDATED + " (Django's username validator: letters, digits and @.+-_)",
    "core.User.email": VALIDATED + " (EmailField)",
    "core.User.role": CHOICES,
    "core.AuditEntry.actor": SYSTEM + " (the username)",
    "core.AuditEntry.channel": CHOICES,
    "core.AuditEntry.action": CHOICES,
    "core.AuditEntry.model": SYSTEM,
    "core.AuditEntry.object_pk": SYSTEM,
    "core.AuditEntry.scope_path": SYSTEM,
    "core.AuditEntry.remote_addr": SYSTEM,
    "core.AuditEntry.prev_hash": SYSTEM,
    "core.AuditEntry.hash": SYSTEM,
    "core.CalendarOverride.kind": CHOICES,
    "core.ApiToken.prefix": SYSTEM,
    "core.ApiToken.key_hash": SECRET,
    "core.WorkerHeartbeat.worker_id": SYSTEM + " (host and process id)",
    "core.Schedule.name": DECLARED,
    "core.Schedule.task_path": DECLARED,
    "ioc.Dataset.code": VALIDATED + " (SlugField)",
    "ioc.IngestionRun.source": CHOICES,
    "ioc.IngestionRun.source_detail": API_ONLY + " (the file name of an upload, 'api' or the key's prefix)",
    "ioc.IngestionRun.batch_key": API_ONLY + " (the sender's batch id)",
    "ioc.IngestionRun.status": CHOICES,
    "ioc.IngestionRun.error": SYSTEM + " (the validator's messages)",
    "ioc.QuarantinedRow.reasons": SYSTEM + " (the validator's messages, shown with the row in the CSV)",
    "ioc.LakeFile.dataset": SYSTEM,
    "ioc.LakeFile.partition": SYSTEM,
    "ioc.LakeFile.path": SYSTEM,
    "ioc.DatasetToken.prefix": SYSTEM,
    "ioc.DatasetToken.key_hash": SECRET,
    "ioc.PullSource.url": VALIDATED + " (URLField: http, https, ftp only, so no javascript:)",
    "ioc.PullSource.auth_header": SECRET + " (masked in the audit log)",
    "ioc.PullSource.pagination": CHOICES,
    "ioc.Indicator.code": DECLARED + " (the apps' IndicatorSpec)",
    "ioc.Indicator.name": DECLARED + " (the apps' IndicatorSpec)",
    "ioc.Indicator.name_en": DECLARED + " (the apps' IndicatorSpec)",
    "ioc.Indicator.unit": DECLARED + " (the apps' IndicatorSpec)",
    "ioc.Indicator.sector": CHOICES,
    "ioc.Indicator.grain": CHOICES,
    "ioc.Indicator.direction": CHOICES,
    "ioc.Indicator.definition": DECLARED + " (the apps' IndicatorSpec)",
    "ioc.Indicator.description": DECLARED + " (the apps' IndicatorSpec)",
    "ioc.IndicatorValue.commune": SYSTEM + " (a GSO code)",
    "ioc.Alert.kind": CHOICES,
    "ioc.Alert.severity": CHOICES,
    "ioc.Alert.state": CHOICES,
    "ioc.Alert.detail": SYSTEM + " ('<app>: <event kind>' or the threshold's text)",
    "ioc.Alert.commune": SYSTEM + " (a GSO code)",
    "ioc.Alert.dedup_key": SYSTEM,
    "ioc.NotificationTarget.channel": CHOICES,
    "ioc.NotificationTarget.min_severity": CHOICES,
    "ioc.NotificationTarget.sector": CHOICES,
    "ioc.NotificationTarget.secret": SECRET,
    "ioc.Notification.event": CHOICES,
    "ioc.Notification.status": CHOICES,
    "ioc.Report.kind": CHOICES,
    "services.Procedure.code": DECLARED + " (services/data/procedures.json)",
    "services.Procedure.name": DECLARED + " (services/data/procedures.json)",
    "services.Procedure.field": DECLARED + " (services/data/procedures.json)",
    "services.Procedure.level": CHOICES,
    "services.Procedure.fee_note": DECLARED + " (services/data/procedures.json)",
    "services.Procedure.documents": DECLARED + " (services/data/procedures.json)",
    "services.Procedure.steps": DECLARED + " (services/data/procedures.json)",
    "services.Procedure.online": CHOICES,
    "services.Dossier.code": SYSTEM,
    "services.Dossier.channel": CHOICES,
    "services.Dossier.status": CHOICES,
    "services.Dossier.applicant_id": VALIDATED + " (12-digit CCCD or tax code)",
    "services.Dossier.applicant_phone": VALIDATED + " (a phone number)",
    "services.Dossier.applicant_email": VALIDATED + " (EmailField)",
    "services.Dossier.outcome": CHOICES,
    "services.DossierDocument.kind": DECLARED + " (the procedure's document codes)",
    "services.DossierDocument.content_type": SYSTEM + " (sniffed from the file's first bytes)",
    "services.DossierDocument.sha256": SYSTEM,
    "services.DossierEvent.action": CHOICES,
    "services.DossierEvent.step": DECLARED + " (the procedure's step names)",
    "services.DossierEvent.outcome": CHOICES,
    "services.Payment.order_id": SYSTEM,
    "services.Payment.channel": CHOICES,
    "services.Payment.status": CHOICES,
    "services.DossierSequence.agency_id": SYSTEM,
    "services.ApplicantMessage.channel": CHOICES,
    "services.ApplicantMessage.address": VALIDATED + " (the applicant's e-mail or phone)",
    "services.ApplicantMessage.subject": SYSTEM + " (sent as plain-text e-mail or SMS; no page shows it)",
    "services.ApplicantMessage.body": SYSTEM + " (sent as plain-text e-mail or SMS; no page shows it)",
    "services.ApplicantMessage.status": CHOICES,
    "services.ApplicantMessage.error": SYSTEM,
    "border.ClearanceBatch.source": CHOICES,
    "border.ClearanceBatch.sha256": SYSTEM,
    "border.ClearanceBatch.days": SYSTEM + " (dates)",
    "border.TruckVisit.plate": VALIDATED + " (normalised plate; see the rejected row)",
    "border.TruckVisit.channel": CHOICES,
    "border.TruckVisit.flags": SYSTEM + " (flag codes)",
    "border.TruckEvent.kind": CHOICES,
    "border.TruckEvent.channel": CHOICES,
    "border.TruckEvent.source": CHOICES,
    "border.Shipment.reference": SYSTEM + " (LH + day + random letters)",
    "border.Shipment.direction": CHOICES,
    "border.Document.content_type": SYSTEM + " (sniffed from the file's first bytes)",
    "border.Document.sha256": SYSTEM,
    "border.Document.document_type": SYSTEM + " (the reader's classes)",
    "border.Document.status": CHOICES,
    "border.Document.error": SYSTEM + " (the reader's messages)",
    "border.FieldCorrection.field": VALIDATED + " (a field name of the document's schema)",
    "city.Command.payload": SYSTEM + " (built from the command form's choices)",
    "city.Command.rule": DECLARED + " (rule names)",
    "city.Command.state": CHOICES,
    "city.Command.reason": SYSTEM + " (the platform's reasons)",
    "city.RuleCondition.rule": DECLARED,
    "city.RuleCondition.device_id": SYSTEM,
    "city.RuleCondition.severity": SYSTEM,
    "city.RuleCondition.unit_code": SYSTEM,
    "city.Device.device_id": VALIDATED + " (SlugField)",
    "city.Device.type": CHOICES,
    "city.Device.secret_hash": SECRET,
    "city.Reading.device_id": VALIDATED + " (a device id)",
    "city.Reading.attribute": VALIDATED + " (an attribute name: letters, digits, _)",
    "city.LatestValue.device_id": VALIDATED + " (a device id)",
    "city.LatestValue.attribute": VALIDATED + " (an attribute name: letters, digits, _)",
    "city.DeadLetter.channel": SYSTEM + " (mqtt or http)",
    # Two-factor login and rate limits (issue 7, being written beside this suite).
    "core.RateLimitCounter.bucket": SYSTEM + " (the limit's name and the client's address)",
    "core.TwoFactorDevice.secret": SECRET,
    "core.TwoFactorDevice.recovery_hashes": SECRET,
    "ops.MonitoredSystem.code": VALIDATED + " (lower-case letters, digits and -)",
    "ops.MonitoredSystem.kind": CHOICES,
    # Kept only for the kind of check that validates them (an HTTP check's host and name are cleared).
    "ops.MonitoredSystem.host": VALIDATED + " (a TCP or DNS check's host name or address)",
    "ops.MonitoredSystem.query_name": VALIDATED + " (a DNS check's name to resolve)",
    "ops.MonitoredSystem.record_type": CHOICES,
    "ops.MonitoredSystem.state": CHOICES,
    "ops.MonitoredSystem.tls_level": CHOICES,
    "ops.MonitoredSystem.ipv4_addresses": SYSTEM + " (the resolver's addresses, parsed by ipaddress)",
    "ops.MonitoredSystem.ipv6_addresses": SYSTEM + " (the resolver's addresses, parsed by ipaddress)",
    "ops.Check.address": SYSTEM + " (the address probed, an IP literal)",
    "ops.BackupRun.target": CHOICES,
    "ops.BackupRun.status": CHOICES,
    "ops.BackupRun.trigger": CHOICES,
    "ops.BackupRun.snapshot_id": SYSTEM + " (restic's hexadecimal snapshot id)",
    "ops.BackupRun.manifest": SYSTEM + " (the backup's counts and checksums)",
    "ops.DrillRun.target": CHOICES,
    "ops.DrillRun.snapshot_id": SYSTEM + " (restic's hexadecimal snapshot id)",
}

# Pages the crawl may find closed to everybody, each for a reason.
CLOSED_BY_DESIGN = {
    "services:apology-letter": "exists only once a late hồ sơ got its apology letter; the world's is on time",
}


def text_fields() -> set[str]:
    """Every CharField, TextField and JSONField (and subclasses) of the platform's own models."""
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("langson."):
            continue
        for f in model._meta.get_fields():
            if isinstance(f, models.CharField | models.TextField | models.JSONField):
                found.add(f"{model._meta.app_label}.{model.__name__}.{f.name}")
    return found


def test_every_text_field_is_classified() -> None:
    fields = text_fields()
    unclassified = sorted(fields - set(SHOWN) - set(NOT_SHOWN))
    assert not unclassified, f"say where these are shown (SHOWN) or why not (NOT_SHOWN): {unclassified}"
    assert not set(SHOWN) & set(NOT_SHOWN)
    stale = sorted((set(SHOWN) | set(NOT_SHOWN)) - fields)
    assert not stale, f"no such fields any more: {stale}"


def test_the_world_holds_each_payload_in_its_field(shared: World) -> None:
    """The SHOWN table is true: each field really holds its hostile value, so the pages test that field."""
    empty = []
    for label, (marker, _pages) in SHOWN.items():
        app_label, model_name, field_name = label.split(".")
        model = apps.get_model(app_label, model_name)
        values = model._default_manager.values_list(field_name, flat=True)
        if not any(
            marker in (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for v in values
        ):
            empty.append(label)
    assert not empty, f"the world stores no payload in {empty}"


@dataclass(frozen=True)
class Fetched:
    route: str
    url: str
    viewer: str
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]
    dangers: tuple[str, ...]
    text: str  # what a reader sees: HTML text with entities decoded, a PDF's text, or the raw body


# Who may look at A's objects, tried in this order until one gets the page.
VIEWERS = ("admin", "commune_a", "citizen_a", "business_a", "dept_a", "gate_a", "operator_a")


def fetch(client: Any, route: str, url: str, viewer: str) -> Fetched:
    response = client.get(url)
    body = response.getvalue()
    content_type = response.get("Content-Type", "")
    dangers: list[str] = []
    if "html" in content_type:
        dangers, text = html_dangers(body.decode("utf-8", "replace"))
    elif "pdf" in content_type:
        text = pdf_text(body) or ""
    else:
        text = body.decode("utf-8", "replace")
    headers = {k.lower(): v for k, v in response.headers.items()}
    return Fetched(
        route, url, viewer, response.status_code, content_type, body, headers, tuple(dangers), text
    )


@pytest.fixture(scope="module")
def crawl(world: World) -> dict[str, list[Fetched]]:
    """Every page, fetched by the first person who may see unit A's object on it (pages of the admin: by
    the administrator). Routes map to every URL fetched for them."""
    pages, missing = all_pages(world)
    assert not missing, (
        f"pages with arguments the suite does not know how to fill (world.page_kwargs): {missing}"
    )
    clients = {who: world.session(who) for who in VIEWERS}
    fetched: dict[str, list[Fetched]] = {}
    for route, url in pages:
        result = None
        for who in ("admin",) if route.startswith("admin:") else VIEWERS:
            result = fetch(clients[who], route, url, who)
            if result.status not in (403, 404):
                break
        assert result is not None
        fetched.setdefault(route, []).append(result)
    return fetched


def test_no_page_serves_live_markup_from_stored_text(crawl: dict[str, list[Fetched]]) -> None:
    problems = [
        f"{f.route} {f.url} ({f.viewer}): {f.status}"
        if f.status >= 500
        else f"{f.route} {f.url}: {f.dangers}"
        for pages in crawl.values()
        for f in pages
        if f.status >= 500 or f.dangers
    ]
    assert not problems, "\n".join(problems)


def test_every_page_was_really_seen(crawl: dict[str, list[Fetched]]) -> None:
    """The crawl is not blind: each page answered someone (a redirect or 405 for action-only URLs)."""
    unseen = [
        f"{f.route} {f.url}: {f.status}"
        for pages in crawl.values()
        for f in pages
        if f.status in (403, 404) and f.route not in CLOSED_BY_DESIGN and not read_only_admin(f)
    ]
    assert not unseen, "\n".join(unseen)


def test_non_html_answers_are_not_sniffed_as_html(crawl: dict[str, list[Fetched]]) -> None:
    """Files, CSV, JSON and PDFs carry user text too: they are served with their own type and nosniff, so no
    browser renders them as a page; PDFs hold no JavaScript action and no javascript: link."""
    problems = []
    for f in (f for pages in crawl.values() for f in pages if f.status == 200):
        if f.headers.get("x-content-type-options") != "nosniff":
            problems.append(f"{f.route}: no X-Content-Type-Options: nosniff")
        if "pdf" in f.content_type and any(s in f.body for s in (b"/JavaScript", b"/JS ", b"javascript:")):
            problems.append(f"{f.route}: JavaScript in the PDF")
    assert not problems, "\n".join(problems)


def read_only_admin(page: Fetched) -> bool:
    """The admin refuses adding and deleting on its read-only models (the audit log, telemetry...)."""
    return page.route.startswith("admin:") and page.route.endswith(("_add", "_delete")) and page.status == 403


def shown_on() -> dict[str, set[str]]:
    pages: dict[str, set[str]] = {}
    for marker, routes in SHOWN.values():
        for route in routes:
            pages.setdefault(route, set()).add(marker)
    return pages


@pytest.mark.parametrize("route", sorted(shown_on()))
def test_each_page_shows_its_fields_as_text(crawl: dict[str, list[Fetched]], route: str) -> None:
    """The page really shows the hostile values (so the check above had something to find), and shows them as
    text: the payload's <img> tag is in what a reader sees, not in the markup."""
    assert route in crawl, f"{route} was not crawled"
    # PDFs wrap lines and some headings are upper case: compare without case and runs of spaces.
    text = re.sub(r"\s+", " ", " ".join(f.text for f in crawl[route])).lower()
    missing = sorted(m for m in shown_on()[route] if m not in text)
    assert not missing, f"{route} does not show {missing}"
    assert IMG[2:-1] in text, f"{route}: the payload's <img> is not shown as text"


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("html", "live"),
    [
        ("<p><script>alert(1)</script></p>", True),
        ('<p>x"><img src=x onerror=alert(1)></p>', True),
        ('<a href=" javascript:alert(1)">x</a>', True),
        ('<script>var t = "</script><script>alert(1)</script>";</script>', True),
        ("<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>", False),
        ('<a href="/do-thi/?q=javascript:alert(1)">x</a>', False),
        (
            '<script type="application/json">'
            '{"t": "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E"}</script>',
            False,
        ),
    ],
)
def test_the_checker_tells_live_markup_from_text(html: str, live: bool) -> None:
    """The check the crawl relies on can fail: it finds each payload live, and passes it escaped."""
    dangers, _text = html_dangers(html)
    assert bool(dangers) is live, dangers
