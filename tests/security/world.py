"""One small province for the security suite: two of everything (unit A and unit B), and hostile text in
every free-text field a person or a device can fill, stored through the platform's own forms and API where
they exist.

Built once for the whole suite (see conftest.py). Unit A owns the objects; unit B's officials hold the same
roles in their own part of the tree, so a refusal they get comes from the organisation scope and not from a
missing permission. Every hostile value carries a marker naming its field (``xss-<model>-<field>``): a page
that shows it proves the field reaches that page, and a body for unit B that holds a marker of A is a leak.
"""

from __future__ import annotations

import base64
import io
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PDF = b"%PDF-1.7\n% ho so bao mat\n"
PASSWORD = "Mat-khau-bao-mat-2025!"

# Unit A and unit B of each kind of organisation.
COMMUNE_A, COMMUNE_B = "6184", "5983"  # Đồng Đăng, Lương Văn Tri
DEPT_A, DEPT_B = "SO-XD", "SO-NNMT"  # Sở Xây dựng (street lights), Sở Nông nghiệp và Môi trường
GATE_A, GATE_B = "CK-HUU-NGHI", "CK-CHI-MA"
PROCEDURE = "1.004222"  # online in full, processed by the commune that receives it (not "anywhere")
DEVICE_A = "den-bao-mat-a"
DATASET_A = "bao-mat-a"
SYSTEM_A = "he-thong-bao-mat-a"  # Sở Xây dựng's information system, internal (not on the public status page)
PUBLIC_SYSTEM_A = "cong-khai-bao-mat-a"  # another of theirs, published on the public status page


def hostile(marker: str) -> str:
    """The three payloads of the brief behind a marker naming the field; short enough for 200-char fields."""
    return f"{marker} {SCRIPT} {IMG} {JS_URL}"


def hostile_short(marker: str) -> str:
    """For file names (no "/") and short fields: the marker and the event-handler payload."""
    return f"{marker} {IMG}"


@dataclass
class World:
    people: dict[str, Any]
    keys: dict[str, str]  # username -> bearer key
    objects: dict[str, Any] = field(default_factory=dict)
    markers: set[str] = field(default_factory=set)  # every marker stored, all owned by unit A
    public_markers: set[str] = field(default_factory=set)  # shown to everyone by design (not a leak)
    # The province's own records (backups, restore drills): no unit's data, seen by every operator and the
    # province's leaders by design (ops/backup/access.py); test_cross_unit_access checks nobody else does.
    province_markers: set[str] = field(default_factory=set)

    @property
    def private_markers(self) -> set[str]:
        return self.markers - self.public_markers - self.province_markers

    def session(self, who: str, *, enforce_csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=enforce_csrf)
        client.force_login(self.people[who])
        return client

    def bearer(self, who: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {self.keys[who]}"})

    def mark(self, marker: str) -> str:
        self.markers.add(marker)
        return hostile(marker)

    def mark_short(self, marker: str) -> str:
        self.markers.add(marker)
        return hostile_short(marker)

    def mark_fit(self, marker: str, max_length: int) -> str:
        """The longest hostile value that fits the field."""
        self.markers.add(marker)
        for value in (hostile(marker), hostile_short(marker)):
            if len(value) <= max_length:
                return value
        raise AssertionError(f"{marker}: no payload fits {max_length} characters")


# username -> (role, unit code or None)
PEOPLE: dict[str, tuple[str, str | None]] = {
    "admin": ("administrator", None),
    "leader": ("leader", "20"),
    "operator_a": ("operator", COMMUNE_A),
    "operator_b": ("operator", COMMUNE_B),
    "commune_a": ("commune_officer", COMMUNE_A),
    "commune_b": ("commune_officer", COMMUNE_B),
    "dept_a": ("department_officer", DEPT_A),
    "dept_b": ("department_officer", DEPT_B),
    "gate_a": ("department_officer", GATE_A),
    "gate_b": ("department_officer", GATE_B),
    "business_a": ("business", None),
    "business_b": ("business", None),
    "citizen_a": ("citizen", None),
    "citizen_b": ("citizen", None),
}


def _ok(response: Any, *statuses: int) -> Any:
    """The response, if its status is one of these; otherwise fail with the form's errors or the body."""
    if response.status_code not in statuses:
        text = response.content.decode("utf-8", "replace")
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S) + re.findall(
            r'class="error"[^>]*>(.*?)<', text, re.S
        )
        raise AssertionError(f"{response.status_code}: {errors or text[:800]}")
    return response


def build() -> World:
    from langson.core.api_auth import issue_token
    from langson.core.models import OrgUnit, User

    people = {}
    keys = {}
    for username, (role, unit_code) in PEOPLE.items():
        unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
        user = User(username=username, role=role, org_unit=unit, full_name=username.replace("_", " ").title())
        user.set_password(PASSWORD)
        user.save()
        people[username] = user
        keys[username] = issue_token(user, "bảo mật")[1]
    world = World(people=people, keys=keys)
    _core(world)
    _services(world)
    _city(world)
    _ioc(world)
    _border(world)
    _ops(world)
    _admin_and_machine_text(world)
    return world


def _core(world: World) -> None:
    """The commune's contact address through its page, a calendar day off and an API key through the admin,
    and an official's name (set by an administrator)."""
    from langson.core.models import OrgUnit

    commune_a = world.session("commune_a")
    _ok(
        commune_a.post(
            f"/core/units/{COMMUNE_A}/",
            {
                "address": world.mark("xss-orgunit-address"),
                "phone": world.mark_fit("x-phone", 40),
                "email": "",
            },
        ),
        302,
    )
    admin = world.session("admin")
    _ok(
        admin.post(
            "/admin/core/calendaroverride/add/",
            {
                "date": "2026-12-24",
                "kind": "extra_day_off",
                "unit": OrgUnit.objects.get(code=COMMUNE_A).pk,
                "reason": world.mark("xss-calendaroverride-reason"),
            },
        ),
        302,
    )
    officer = world.people["commune_a"]
    officer.full_name = world.mark("xss-user-full_name")[:150]
    officer.save()


def _services(world: World) -> None:
    """A citizen of A submits a hồ sơ through the online form; the commune's officer asks for more papers."""
    from langson.core.models import OrgUnit
    from langson.services.catalog import load_procedures
    from langson.services.models import Dossier

    load_procedures()  # the province's catalog (reference data the test database does not load by itself)
    unit = OrgUnit.objects.get(code=COMMUNE_A).pk
    citizen = world.session("citizen_a")
    answer = _ok(
        citizen.post(
            f"/dvc/thu-tuc/{PROCEDURE}/nop/",
            {
                "applicant_name": world.mark("xss-dossier-applicant_name"),
                "applicant_id": "020195001234",
                "applicant_phone": "0912345678",
                "applicant_email": "",
                "applicant_address": world.mark("xss-dossier-applicant_address"),
                "received_unit": unit,
                "return_unit": unit,
                "request": world.mark("xss-dossier-request"),
                "doc_CT01": SimpleUploadedFile(
                    world.mark_short("xss-dossierdocument-name") + ".pdf",
                    PDF + b"1",
                    content_type="application/pdf",
                ),
                "doc_CNCH": SimpleUploadedFile("cnch.pdf", PDF + b"2", content_type="application/pdf"),
            },
        ),
        302,
    )
    dossier = Dossier.objects.get(submitted_by=world.people["citizen_a"])
    assert answer["Location"] == f"/dvc/ho-so/{dossier.code}/"
    officer = world.session("commune_a")
    for action in ("receive", "claim"):
        _ok(officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": action}), 302)
    _ok(
        officer.post(
            f"/mot-cua/ho-so/{dossier.code}/",
            {"action": "supplement_request", "reason": world.mark("xss-dossierevent-note")},
        ),
        302,
    )
    dossier.refresh_from_db()
    assert dossier.status == "supplement", dossier.status
    # The citizen adds the paper, the commune finishes and hands back, and the citizen rates with a comment.
    _ok(
        citizen.post(
            f"/dvc/ho-so/{dossier.code}/",
            {"action": "supplement", "doc_CT01": SimpleUploadedFile("ct01-ky.pdf", PDF + b"3")},
        ),
        302,
    )
    steps = len(dossier.procedure.steps or [])
    for _step in range(max(steps - 1, 0)):  # through every step of the procedure, with a handover note
        note = world.mark("xss-dossierevent-handover_note")
        answer = officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "advance", "handover_note": note})
        if answer.status_code != 302:
            break
    _ok(officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "finish"}), 302)
    if dossier.fee_vnd:
        fee = {"action": "collect_fee", "receipt_number": world.mark_short("xss-payment-reference")}
        _ok(officer.post(f"/mot-cua/ho-so/{dossier.code}/", fee), 302)
    _ok(officer.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "hand_back"}), 302)
    _ok(
        citizen.post(
            f"/dvc/ho-so/{dossier.code}/",
            {"action": "rate", "rating": "2", "comment": world.mark("xss-dossier-rating_comment")},
        ),
        302,
    )
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.rating == 2, dossier.status
    world.objects["dossier"] = dossier
    world.objects["dossier_document"] = dossier.documents.order_by("pk").first()


def _city(world: World) -> None:
    """Sở Xây dựng registers a street light in Đồng Đăng through the API; the light reports text readings."""
    from langson.city.api_ingest import store
    from langson.city.models import Device

    store().forget()
    created = _ok(
        world.bearer("dept_a").post(
            "/api/city/devices",
            {
                "device_id": DEVICE_A,
                "name": world.mark("xss-device-name"),
                "type": "Streetlight",
                "commune": COMMUNE_A,
                "owner": DEPT_A,
                "latitude": 21.9560,
                "longitude": 106.6980,
                "attributes": {"powerConsumption": 90, "note": world.mark("xss-device-attributes")},
            },
            content_type="application/json",
        ),
        201,
    )
    secret = created.json()["secret"]
    token = base64.b64encode(f"{DEVICE_A}:{secret}".encode()).decode()
    now_ms = int(timezone.now().timestamp() * 1000)
    body = {"ts": now_ms, "data": {"powerState": "on", "firmware": world.mark("xss-reading-text")}}
    _ok(
        Client(headers={"Authorization": f"Basic {token}"}).post(
            "/api/city/telemetry", json.dumps(body), content_type="application/json"
        ),
        200,
    )
    store().flush() if hasattr(store(), "flush") else None
    world.objects["device"] = Device.objects.get(device_id=DEVICE_A)


def _ioc(world: World) -> None:
    """A dataset of Sở Xây dựng, a pushed batch with hostile rows (kept in quarantine), an alert an app raised
    for Đồng Đăng with hostile text in its title, and an operator's comment on it."""
    from langson.core.contract import emit
    from langson.core.models import OrgUnit
    from langson.ioc.models import Alert, Dataset, Indicator, IngestionRun, Report

    dataset = Dataset(
        code=DATASET_A,
        name=world.mark("xss-dataset-name"),
        name_en=world.mark("xss-dataset-name_en"),
        owner=OrgUnit.objects.get(code=DEPT_A),
        schema={
            "columns": [
                {"name": "date", "type": "date", "required": True},
                {"name": "commune_code", "type": "commune", "required": True},
                {"name": "ghi_chu", "type": "string", "required": False},
                {"name": "so_luong", "type": "integer", "required": True, "min": 0},
                {"name": world.mark_short("xss-dataset-schema"), "type": "string", "required": False},
            ],
            "key": ["date", "commune_code"],
            "time_column": "date",
        },
    )
    dataset.save()
    today = timezone.localdate()
    rows = [
        {"date": today.isoformat(), "commune_code": COMMUNE_A, "ghi_chu": "ổn", "so_luong": 3},
        {
            "date": (today - timedelta(days=1)).isoformat(),
            "commune_code": world.mark("xss-quarantinedrow-data")[:60],
            "ghi_chu": world.mark("xss-quarantinedrow-data"),
            "so_luong": -1,
        },
    ]
    pushed = _ok(
        world.bearer("dept_a").post(
            f"/api/ioc/datasets/{DATASET_A}/batches",
            {"batch_id": world.mark_fit("xss-run-batch_key", 100), "rows": rows},
            content_type="application/json",
        ),
        200,
        201,
    )
    world.objects["dataset"] = dataset
    world.objects["run"] = IngestionRun.objects.get(pk=pushed.json()["id"])
    upload = io.BytesIO(f"date,commune_code,so_luong\n{today.isoformat()},{COMMUNE_B},4\n".encode())
    upload.name = world.mark_short("xss-run-source_detail") + ".csv"
    _ok(world.bearer("dept_a").post(f"/api/ioc/datasets/{DATASET_A}/uploads", {"file": upload}), 200, 201)

    emit(
        "city",
        "device.offline",
        world.mark("xss-alert-title"),
        unit_code=COMMUNE_A,
        severity="critical",
        device_id=DEVICE_A,
        key=DEVICE_A,
    )
    alert = Alert.objects.filter(unit__code=COMMUNE_A).order_by("-pk").first()
    assert alert is not None, "the IOC made no alert of the event"
    _ok(
        world.bearer("operator_a").post(
            f"/api/ioc/alerts/{alert.pk}/acknowledge",
            {"comment": world.mark("xss-alertcomment-text")},
            content_type="application/json",
        ),
        200,
    )
    alert.refresh_from_db()
    world.objects["alert"] = alert

    # An indicator of Sở Xây dựng (the catalog comes from the apps' declarations, not from people) and a
    # weekly report of Đồng Đăng, which lists the commune's alerts.
    world.objects["indicator"] = Indicator.objects.create(
        code="bao-mat-a-chi-so",
        name="Chỉ số bảo mật A",
        name_en="Security indicator A",
        unit="lượt",
        sector="city",
        grain="day",
        by_commune=True,
        owner=OrgUnit.objects.get(code=DEPT_A),
        definition={"dataset": DATASET_A, "measure": "sum", "column": "so_luong", "by": "commune_code"},
    )
    report = _ok(
        world.bearer("operator_a").post(
            "/api/ioc/reports/", {"kind": "weekly", "day": today.isoformat()}, content_type="application/json"
        ),
        201,
        200,
    )
    world.objects["report"] = Report.objects.get(pk=report.json()["id"])


def _png(tag: str) -> bytes:
    """A small page with a few printed words (the reader refuses a blank page)."""
    from PIL import ImageDraw, ImageFont

    image = Image.new("RGB", (900, 300), (255, 255, 255))
    font = ImageFont.load_default(size=36)
    ImageDraw.Draw(image).text((40, 60), f"COMMERCIAL INVOICE {tag}", fill=(0, 0, 0), font=font)
    ImageDraw.Draw(image).text((40, 140), "Invoice No: PX-2026-1128", fill=(0, 0, 0), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _border(world: World) -> None:
    """A business of A declares a shipment at Hữu Nghị and uploads a document whose file name is hostile; what
    the document reader found is hostile too (the reader copies text from the document: its author controls
    it), and the business corrects a field with hostile text. The gate's officer records a truck."""
    from langson.border.models import Document, Shipment

    business = world.bearer("business_a")
    created = _ok(
        business.post(
            "/api/border/shipments",
            {"direction": "import", "border_gate": GATE_A},
            content_type="application/json",
        ),
        201,
    )
    shipment = Shipment.objects.get(reference=created.json()["reference"])
    handle = io.BytesIO(_png("a"))
    handle.name = world.mark_short("xss-document-original_name") + ".png"
    uploaded = _ok(
        business.post(f"/api/border/shipments/{shipment.reference}/documents", {"file": handle}), 201, 200
    )
    document = Document.objects.get(pk=uploaded.json()["id"])
    cell = {"confidence": 0.5, "bbox": [10, 10, 50, 30], "page": 1}
    document.extraction = {
        **(document.extraction or {}),
        "document_type": "commercial_invoice",
        "fields": {
            "seller_name": {**cell, "value": world.mark("xss-document-extraction")},
            "invoice_number": {**cell, "value": "PX-1"},
        },
        "line_items": [{"description": {**cell, "value": world.mark("xss-document-extraction")}}],
        "issues": [],
    }
    document.document_type = "commercial_invoice"
    document.status = Document.Status.EXTRACTED
    document.save()
    _ok(
        business.post(
            f"/api/border/shipments/{shipment.reference}/documents/{document.pk}/corrections",
            {"field": "seller_name", "value": world.mark("xss-fieldcorrection-value")},
            content_type="application/json",
        ),
        201,
    )
    world.objects["shipment"] = shipment
    world.objects["border_document"] = document

    at = timezone.localtime() - timedelta(hours=2)
    visit = world.mark_short("xss-truckvisit-reference")
    events = [
        {
            "gate": GATE_A,
            "visit": visit,
            "plate": "12C-345.67",
            "event": "arrival",
            "at": at.isoformat(),
            "note": world.mark("xss-truckevent-note"),
        },
        {  # refused (the plate is no plate): kept with its reasons, which quote the value
            "gate": GATE_A,
            "visit": "XE-BAO-MAT-2",
            "plate": world.mark_short("xss-rejectedtruckrow-data"),
            "event": "arrival",
            "at": at.isoformat(),
        },
    ]
    gate = world.bearer("gate_a")
    batch = _ok(
        gate.post("/api/border/trucks/events", {"events": events}, content_type="application/json"), 201
    )
    assert batch.json()["stored"] == 1 and batch.json()["rejected"] == 1, batch.json()
    rows = f"{GATE_A},XE-BAO-MAT-3,12C-345.68,arrival,{at.isoformat()}\n"
    rows += (
        f"{GATE_A},XE-BAO-MAT-4,{world.mark_short('xss-rejectedtruckrow-data')},arrival,{at.isoformat()}\n"
    )
    csv_file = io.BytesIO(f"gate,visit,plate,event,at\n{rows}".encode())
    csv_file.name = world.mark_short("xss-clearancebatch-file_name") + ".csv"
    uploaded_csv = _ok(gate.post(f"/api/border/trucks/csv?gate={GATE_A}", {"file": csv_file}), 201)
    world.objects["truck_batch"] = batch.json()
    world.objects["truck_csv_batch"] = uploaded_csv.json()
    world.objects["truck_visit"] = visit


def _ops(world: World) -> None:
    """Sở Xây dựng registers two information systems through the registry's form: an internal one, with
    hostile text in every free-text field a person types (a host and a name to resolve are not free text:
    validated for the TCP and DNS checks that use them, not kept for an HTTP check), and a public one, whose
    name the public status page shows by design (its description is internal: never on the public page).
    The checks, incidents, certificate errors, backups and drills are written by the monitor and the backup
    jobs: stored directly, as they would."""
    from langson.ops.models import BackupRun, Check, DrillRun, Incident, MonitoredSystem

    keeper = world.session("dept_a")
    common = {
        "owner": DEPT_A,
        "kind": "http",
        "port": "",
        "record_type": "A",
        "expected_status": "200",
        "interval_seconds": "60",
        "timeout_seconds": "10",
        "active": "on",
    }
    _ok(
        keeper.post(
            "/van-hanh/he-thong/them/",
            {
                **common,
                "code": SYSTEM_A,
                "name": world.mark_fit("xss-system-name", 200),
                "url": "https://he-thong-a.example.invalid/?q=" + world.mark("xss-system-url"),
                "host": "",
                "query_name": "",
                "description": world.mark_fit("xss-system-description", 500),
            },
        ),
        302,
    )
    _ok(
        keeper.post(
            "/van-hanh/he-thong/them/",
            {
                **common,
                "code": PUBLIC_SYSTEM_A,
                "name": world.mark_fit("xss-publicsystem-name", 200),
                "url": "https://cong-khai-a.example.invalid/",
                "host": "",
                "query_name": "",
                "public": "on",
                "description": world.mark_fit("xss-publicsystem-description", 500),
            },
        ),
        302,
    )
    world.public_markers.add("xss-publicsystem-name")  # the public status page lists published systems
    system = MonitoredSystem.objects.get(code=SYSTEM_A)
    published = MonitoredSystem.objects.get(code=PUBLIC_SYSTEM_A)
    now = timezone.now()
    # The certificate's verification error quotes the remote server's certificate: its owner controls it.
    system.tls_not_after = now + timedelta(days=5)
    system.tls_verified = False
    system.tls_level = MonitoredSystem.TlsLevel.WARNING
    system.tls_error = world.mark_fit("xss-system-tls_error", 300)
    system.save(update_fields=["tls_not_after", "tls_verified", "tls_level", "tls_error"])
    for monitored in (system, published):
        # A probe's detail and an incident's cause quote what the remote server answered.
        Check.objects.create(
            system=monitored,
            at=now - timedelta(minutes=1),
            family=4,
            address="192.0.2.10",
            ok=False,
            status_code=503,
            detail=world.mark_fit("xss-check-detail", 300),
        )
        Incident.objects.create(
            system=monitored,
            started_at=now - timedelta(hours=1),
            cause=world.mark_fit("xss-incident-cause", 300),
        )
    world.objects["system"] = system
    world.objects["public_system"] = published

    # A failed backup and a failed drill: restic's and the verifier's messages quote file names (the lake's
    # and the uploads', which people name).
    BackupRun.objects.create(
        target="local",
        status=BackupRun.Status.FAILED,
        trigger=BackupRun.Trigger.SCHEDULE,
        started_at=now - timedelta(minutes=30),
        finished_at=now - timedelta(minutes=29),
        error=world.mark("xss-backuprun-error"),
        error_en=world.mark("xss-backuprun-error_en"),
    )
    DrillRun.objects.create(
        target="local",
        started_at=now - timedelta(minutes=20),
        finished_at=now - timedelta(minutes=10),
        verified=False,
        mismatches=[world.mark("xss-drillrun-mismatches")],
        error=world.mark("xss-drillrun-error"),
        error_en=world.mark("xss-drillrun-error_en"),
    )
    world.province_markers |= {
        "xss-backuprun-error",
        "xss-backuprun-error_en",
        "xss-drillrun-mismatches",
        "xss-drillrun-error",
        "xss-drillrun-error_en",
    }


def page_kwargs(world: World) -> dict[str, dict[str, Any]]:
    """The URL arguments of unit A's objects for every page with arguments (admin pages aside: the suite
    fills those from the admin's own registry). A page with arguments missing here fails the suites that
    crawl the pages, so a new page cannot go unchecked."""
    dossier = world.objects["dossier"]
    shipment = world.objects["shipment"].reference
    document = world.objects["border_document"].pk
    device = {"device_id": DEVICE_A}
    return {
        "core:unit": {"code": COMMUNE_A},
        "core:two-factor-reset": {"user_id": world.people["commune_a"].pk},
        "ioc:alert-action": {"alert_id": world.objects["alert"].pk, "action": "resolve"},
        "ioc:dataset": {"code": DATASET_A},
        "ioc:run-quarantine": {"run_id": world.objects["run"].pk},
        "ioc:indicator": {"code": world.objects["indicator"].code},
        "ioc:indicator-csv": {"code": world.objects["indicator"].code},
        "ioc:indicator-xlsx": {"code": world.objects["indicator"].code},
        "ioc:sector": {"sector": "city"},
        "ioc:report-download": {"report_id": world.objects["report"].pk, "fmt": "pdf"},
        "services:procedure": {"code": PROCEDURE},
        "services:submit": {"code": PROCEDURE},
        "services:my-dossier": {"code": dossier.code},
        "services:receipt": {"code": dossier.code},
        "services:apology-letter": {"code": dossier.code},
        "services:document": {"code": dossier.code, "document_id": world.objects["dossier_document"].pk},
        "services:pay": {"code": dossier.code},
        "services:payment-return": {"code": dossier.code},
        "services:office-dossier": {"code": dossier.code},
        "services:control-sheet": {"code": dossier.code},
        "border:shipment": {"reference": shipment},
        "border:declaration-json": {"reference": shipment},
        "border:declaration-pdf": {"reference": shipment},
        "border:document": {"reference": shipment, "document_id": document},
        "border:document-file": {"reference": shipment, "document_id": document},
        "border:document-page": {"reference": shipment, "document_id": document, "number": 1},
        "border:clearance-batch": {"pk": world.objects["truck_csv_batch"]["id"]},
        "border:clearance-gate": {"code": GATE_A},
        "border:clearance-record": {"code": GATE_A},
        "border:clearance-visit": {"code": GATE_A, "reference": world.objects["truck_visit"]},
        "city:device": device,
        "city:device-live": device,
        "city:device-edit": device,
        "city:device-active": device,
        "city:device-secret": device,
        "city:device-command": device,
        "ops:system": {"code": SYSTEM_A},
        "ops:system-edit": {"code": SYSTEM_A},
    }


def _admin_and_machine_text(world: World) -> None:
    """Text only an administrator types in the Django admin, or that a remote system or device sends (a pull
    source's cursor, a webhook's error, an MQTT topic): stored directly, as the admin form or the worker
    would, and checked on the admin pages and wherever else the pages show it."""
    from langson.city.models import DeadLetter
    from langson.core.api_auth import issue_token
    from langson.core.models import OrgUnit
    from langson.ioc.models import DatasetToken, Notification, NotificationTarget, PullSource

    unit = OrgUnit.objects.get(code=COMMUNE_A)
    unit.name = world.mark_fit("xss-orgunit-name", 200)
    unit.save()
    world.public_markers.add("xss-orgunit-name")  # unit names are public: every form lists them
    officer = world.people["commune_a"]
    officer.first_name = world.mark_fit("x-first", 150)
    officer.last_name = world.mark_fit("x-last", 150)
    officer.phone = world.mark_fit("x-uphone", 40)
    officer.save()
    issue_token(world.people["operator_a"], world.mark_fit("xss-apitoken-name", 100))
    dataset = world.objects["dataset"]
    DatasetToken.objects.create(
        dataset=dataset, name=world.mark_fit("xss-datasettoken-name", 100), prefix="ds_xss", key_hash="0" * 64
    )
    PullSource.objects.create(
        dataset=dataset,
        url="https://du-lieu.example.invalid/api",
        items_path=world.mark_fit("xss-pull-items", 100),
        page_param=world.mark_fit("x-pp", 50),
        next_path=world.mark_fit("xss-pull-next", 100),
        cursor_param=world.mark_fit("x-cp", 50),
        cursor_field=world.mark_fit("xss-pull-cfield", 100),
        last_cursor=world.mark_fit("xss-pull-last_cursor", 200),
    )
    target = NotificationTarget.objects.create(
        name=world.mark_fit("xss-target-name", 200),
        channel=NotificationTarget.Channel.WEBHOOK,
        address=world.mark_fit("xss-target-address", 300),
        unit=unit,
    )
    Notification.objects.create(
        alert=world.objects["alert"],
        target=target,
        event=Notification.Event.values[0],
        status=Notification.Status.values[0],
        last_error=world.mark("xss-notification-last_error"),
    )
    DeadLetter.objects.create(
        received_at=timezone.now(),
        payload=world.mark("xss-deadletter-payload").encode(),
        channel="mqtt",
        topic=world.mark_fit("xss-deadletter-topic", 200),
        device_id=world.mark_fit("xss-dl-dev", 64),
        reason=world.mark_fit("xss-deadletter-reason", 200),
    )


def api_path_values(world: World) -> dict[str, dict[str, Any]]:
    """The path arguments of unit A's objects for every API operation with arguments, by path template.
    A template missing here fails the suites that call every operation."""
    shipment = world.objects["shipment"].reference
    document = world.objects["border_document"].pk
    run = world.objects["run"].pk
    return {
        "/api/core/units/{code}": {"code": COMMUNE_A},
        "/api/core/calendar/{year}": {"year": 2026},
        "/api/ioc/datasets/{code}": {"code": DATASET_A},
        "/api/ioc/datasets/{code}/uploads": {"code": DATASET_A},
        "/api/ioc/datasets/{code}/batches": {"code": DATASET_A},
        "/api/ioc/runs/{run_id}": {"run_id": run},
        "/api/ioc/runs/{run_id}/quarantine.csv": {"run_id": run},
        "/api/ioc/indicators/{code}/values": {"code": world.objects["indicator"].code},
        "/api/ioc/alerts/{alert_id}/acknowledge": {"alert_id": world.objects["alert"].pk},
        "/api/ioc/alerts/{alert_id}/resolve": {"alert_id": world.objects["alert"].pk},
        "/api/ioc/reports/{report_id}": {"report_id": world.objects["report"].pk},
        "/api/ioc/reports/{report_id}/{fmt}": {"report_id": world.objects["report"].pk, "fmt": "pdf"},
        "/api/services/procedures/{code}": {"code": PROCEDURE},
        "/api/services/lookup/{code}": {"code": world.objects["dossier"].code},
        "/api/services/dossiers/{code}": {"code": world.objects["dossier"].code},
        "/api/services/dossiers/{code}/actions": {"code": world.objects["dossier"].code},
        "/api/border/shipments/{reference}": {"reference": shipment},
        "/api/border/shipments/{reference}/documents": {"reference": shipment},
        "/api/border/shipments/{reference}/documents/{document_id}": {
            "reference": shipment,
            "document_id": document,
        },
        "/api/border/shipments/{reference}/documents/{document_id}/extraction": {
            "reference": shipment,
            "document_id": document,
        },
        "/api/border/shipments/{reference}/documents/{document_id}/corrections": {
            "reference": shipment,
            "document_id": document,
        },
        "/api/border/shipments/{reference}/issues": {"reference": shipment},
        "/api/border/shipments/{reference}/declaration": {"reference": shipment},
        "/api/border/shipments/{reference}/declaration.pdf": {"reference": shipment},
        "/api/border/trucks/batches/{batch_id}": {"batch_id": world.objects["truck_batch"]["id"]},
        "/api/border/trucks/gates/{code}/figures": {"code": GATE_A},
        "/api/border/trucks/gates/{code}/yard": {"code": GATE_A},
        "/api/border/trucks/gates/{code}/visits/{reference}": {"code": GATE_A, "reference": "XE-BAO-MAT-3"},
        "/api/city/devices/{device_id}": {"device_id": DEVICE_A},
        "/api/city/devices/{device_id}/secret": {"device_id": DEVICE_A},
        "/api/city/parking/{lot_id}": {"lot_id": 1},
        "/api/ops/systems/{code}": {"code": SYSTEM_A},
        "/api/ops/systems/{code}/incidents": {"code": SYSTEM_A},
        "/api/ops/systems/{code}/checks": {"code": SYSTEM_A},
    }


def api_url(world: World, template: str) -> str | None:
    """The operation's URL for unit A's object, or None when the suite has no values for its arguments."""
    from urllib.parse import quote

    if "{" not in template:
        return template
    values = api_path_values(world).get(template)
    if values is None:
        return None
    return re.sub(r"\{(\w+)\}", lambda m: quote(str(values[m.group(1)]), safe=""), template)
