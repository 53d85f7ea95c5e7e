"""Pages of a shipment's documents: who sees what, upload (kept or refused), the review page with its boxes
and flagged fields, corrections saved beside the original, the findings recomputed, and the declaration draft.

The OCR is replaced by fixed extractions here (``fake_extractor``) so that what the pages must show is known
exactly; the real extractor is used where its refusals matter (they happen before any OCR), and the browser
journey runs the whole chain on generated documents.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from langson.border import extract
from langson.border.models import Document, FieldCorrection, Shipment
from langson.border.schema import CMR, COMMERCIAL_INVOICE, FORM_E, PACKING_LIST
from langson.border.storage_documents import create_shipment, file_path, page_path
from langson.core.models import AuditEntry, OrgUnit, User
from langson.core.permissions import ROLE_PERMISSIONS

pytestmark = pytest.mark.django_db

DECLARANT_PERMISSIONS = (
    "border.view_shipment",
    "border.add_shipment",
    "border.add_document",
    "border.add_fieldcorrection",
)
PAGE_SIZE = (1240, 1754)  # an A4 page at 150 dpi


def cell(
    value: str, confidence: float = 0.96, box: tuple[int, int, int, int] = (100, 100, 400, 130)
) -> dict[str, Any]:
    return {"value": value, "confidence": confidence, "bbox": list(box), "page": 1}


def extractions() -> dict[str, dict[str, Any]]:
    """One shipment's four documents as the extractor would return them; the CMR's plate disagrees with the
    Form E's, and the invoice's incoterm was read with low confidence."""
    return {
        "hoa-don.png": {
            "document_type": COMMERCIAL_INVOICE,
            "fields": {
                "invoice_number": cell("PX-2026-1128", box=(800, 120, 1100, 150)),
                "invoice_date": cell("2026-11-28", box=(800, 160, 1000, 190)),
                "seller_name": cell("Pingxiang Youyi Trading Co., Ltd", box=(100, 220, 700, 250)),
                "buyer_name": cell("Công ty TNHH Thương mại Đồng Đăng", box=(100, 300, 700, 330)),
                "currency": cell("USD", box=(900, 900, 980, 930)),
                "total_amount": cell("13450", box=(1000, 900, 1150, 930)),
                "incoterm": cell("DAP", confidence=0.55, box=(800, 400, 880, 430)),
                "country_of_origin": cell("China", box=(800, 440, 900, 470)),
            },
            "line_items": [
                {
                    "description": cell("Táo tươi", box=(100, 600, 400, 630)),
                    "hs_code": cell("08081000", box=(420, 600, 560, 630)),
                    "quantity": cell("10000", box=(580, 600, 680, 630)),
                    "unit": cell("kg", box=(700, 600, 740, 630)),
                    "unit_price": cell("0.95", box=(760, 600, 840, 630)),
                    "amount": cell("9500", box=(860, 600, 980, 630)),
                },
                {
                    "description": cell("Lê tươi", box=(100, 640, 400, 670)),
                    "hs_code": cell("08083000", box=(420, 640, 560, 670)),
                    "quantity": cell("5000", box=(580, 640, 680, 670)),
                    "unit": cell("kg", box=(700, 640, 740, 670)),
                    "unit_price": cell("0.79", box=(760, 640, 840, 670)),
                    "amount": cell("3950", box=(860, 640, 980, 670)),
                },
            ],
            "issues": [],
        },
        "phieu-dong-goi.png": {
            "document_type": PACKING_LIST,
            "fields": {
                "packing_list_number": cell("PL-1128"),
                "packing_list_date": cell("2026-11-28"),
                "invoice_number": cell("PX-2026-1128"),
                "total_packages": cell("1500"),
                "total_gross_weight_kg": cell("16200"),
                "total_net_weight_kg": cell("15000"),
            },
            "line_items": [],
            "issues": [],
        },
        "form-e.png": {
            "document_type": FORM_E,
            "fields": {
                "certificate_number": cell("E264700ZC41091001"),
                "issue_date": cell("2026-11-29"),
                "exporter_name": cell("Pingxiang Youyi Trading Co., Ltd"),
                "importer_name": cell("Công ty TNHH Thương mại Đồng Đăng"),
                "vehicle_plate": cell("桂F12345", box=(300, 500, 460, 530)),
                "origin_criterion": cell("WO"),
                "fob_value": cell("13000"),
                "invoice_number": cell("PX-2026-1128"),
            },
            "line_items": [],
            "issues": [],
        },
        "cmr.png": {
            "document_type": CMR,
            "fields": {
                "cmr_number": cell("CMR-PX-0921"),
                "cmr_date": cell("2026-11-30"),
                "consignor_name": cell("Pingxiang Youyi Trading Co., Ltd"),
                "consignee_name": cell("Công ty TNHH Thương mại Đồng Đăng"),
                "vehicle_plate": cell("桂F12346", box=(300, 700, 460, 730)),
                "place_of_loading": cell("Pingxiang"),
                "place_of_delivery": cell("Lạng Sơn"),
                "total_packages": cell("1500"),
                "total_gross_weight_kg": cell("16200"),
            },
            "line_items": [],
            "issues": [],
        },
    }


def image_bytes(image: Image.Image, kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def png_bytes(tag: str) -> bytes:
    """A distinct small PNG per document (the files must differ: one shipment keeps a file once)."""
    image = Image.new("RGB", (64, 64), (255, 255, 255))
    image.putpixel((1, 1), (sum(tag.encode()) % 256, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """``extract_bytes`` answers the fixed extraction of the file's name (with the real document checks);
    ``page_images`` one blank page of PAGE_SIZE. The file type and size checks stay the real ones."""
    from langson.border import checks

    table = extractions()

    def fake_extract(data: bytes, filename: str = "") -> dict[str, Any]:
        extract.file_kind(data)
        result = json.loads(json.dumps(table[filename]))
        result["issues"] = checks.check_document(result)
        return result

    def fake_pages(data: bytes, filename: str = "") -> list[Image.Image]:
        return [Image.new("RGB", PAGE_SIZE, (255, 255, 255))]

    monkeypatch.setattr(extract, "extract_bytes", fake_extract)
    monkeypatch.setattr(extract, "page_images", fake_pages)
    return table


@pytest.fixture(autouse=True)
def border_files(settings: Any, tmp_path: Path) -> Path:
    settings.BORDER_FILES_DIR = tmp_path / "border"
    return Path(settings.BORDER_FILES_DIR)


@pytest.fixture(autouse=True)
def border_permissions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The grants the app gives in its AppConfig, given here so these tests do not depend on them."""
    for role, permissions in (
        (User.Role.BUSINESS, DECLARANT_PERMISSIONS),
        (User.Role.DEPARTMENT_OFFICER, ("border.view_shipment",)),
        (User.Role.LEADER, ("border.view_shipment",)),
    ):
        monkeypatch.setitem(
            ROLE_PERMISSIONS, role, ROLE_PERMISSIONS.get(role, frozenset()) | set(permissions)
        )


@pytest.fixture
def people(make_user: Callable[..., Any], settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # six people per test
    return {
        "declarant": make_user("dn.dongdang", "business"),
        "other_business": make_user("dn.khac", "business"),
        "huu_nghi": make_user("hq.huunghi", "department_officer", "CK-HUU-NGHI"),
        "tan_thanh": make_user("hq.tanthanh", "department_officer", "CK-TAN-THANH"),
        "province": make_user("ld.tinh", "leader", "20"),
        "citizen": make_user("nd.thuong", "citizen"),
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shipment(people: dict[str, Any]) -> Shipment:
    return create_shipment(people["declarant"], "import", OrgUnit.objects.get(code="CK-HUU-NGHI"))


def upload(client: Client, shipment: Shipment, *names: str, content: dict[str, bytes] | None = None) -> Any:
    files = []
    for name in names:
        data = (content or {}).get(name, png_bytes(name))
        handle = io.BytesIO(data)
        handle.name = name
        files.append(handle)
    return client.post(reverse("border:shipment", args=[shipment.reference]), {"upload": files})


FOUR = ("hoa-don.png", "phieu-dong-goi.png", "form-e.png", "cmr.png")


# --- who sees what ------------------------------------------------------------------------------------------


def test_every_page_needs_login_and_the_permission(
    client: Client, shipment: Shipment, people: dict[str, Any]
):
    urls = [
        reverse("border:shipments"),
        reverse("border:shipment", args=[shipment.reference]),
        reverse("border:declaration-pdf", args=[shipment.reference]),
        reverse("border:declaration-json", args=[shipment.reference]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
        assert client_for(people["citizen"]).get(url).status_code == 403, url


def test_a_business_creates_a_shipment_and_only_it_and_the_gates_officers_see_it(people: dict[str, Any]):
    declarant = client_for(people["declarant"])
    gate = OrgUnit.objects.get(code="CK-HUU-NGHI")
    response = declarant.post(reverse("border:shipments"), {"direction": "import", "border_gate": gate.pk})
    shipment = Shipment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/lo-hang/{shipment.reference}/")
    assert (shipment.declarant, shipment.border_gate, shipment.direction) == (
        people["declarant"],
        gate,
        "import",
    )
    url = reverse("border:shipment", args=[shipment.reference])
    for who, status in (
        ("declarant", 200),
        ("huu_nghi", 200),
        ("province", 200),
        ("other_business", 404),
        ("tan_thanh", 404),
    ):
        assert client_for(people[who]).get(url).status_code == status, who
    listing = client_for(people["other_business"]).get(reverse("border:shipments"))
    assert shipment.reference not in listing.content.decode()
    assert (
        shipment.reference in client_for(people["huu_nghi"]).get(reverse("border:shipments")).content.decode()
    )
    # Officers look; they neither create shipments nor upload to a business's shipment.
    officer = client_for(people["huu_nghi"])
    assert (
        officer.post(reverse("border:shipments"), {"direction": "import", "border_gate": gate.pk}).status_code
        == 403
    )
    assert 'data-testid="upload-form"' not in officer.get(url).content.decode()
    assert upload(officer, shipment, "cmr.png").status_code == 403


def test_only_border_gates_can_be_chosen(people: dict[str, Any]):
    commune = OrgUnit.objects.get(code="6184")
    response = client_for(people["declarant"]).post(
        reverse("border:shipments"), {"direction": "import", "border_gate": commune.pk}
    )
    assert response.status_code == 422
    assert not Shipment.objects.exists()


# --- upload -------------------------------------------------------------------------------------------------


def test_upload_reads_and_keeps_the_four_documents_and_shows_the_cross_document_mismatch(
    shipment: Shipment, people: dict[str, Any], fake_extractor: dict[str, Any]
):
    declarant = client_for(people["declarant"])
    response = upload(declarant, shipment, *FOUR)
    assert response.status_code == 302
    documents = list(shipment.documents.order_by("id"))
    assert [d.document_type for d in documents] == [COMMERCIAL_INVOICE, PACKING_LIST, FORM_E, CMR]
    for document in documents:
        assert document.status == Document.Status.EXTRACTED
        assert document.pages == 1 and document.content_type == "image/png"
        assert file_path(document.sha256).read_bytes() == png_bytes(document.original_name)
        with Image.open(page_path(document.sha256, 1)) as picture:
            assert picture.size == PAGE_SIZE  # the boxes' pixel frame
        assert document.seconds is not None
    page = declarant.get(reverse("border:shipment", args=[shipment.reference])).content.decode()
    assert 'data-code="vehicle_plate_mismatch"' in page
    assert "桂F12345" in page and "桂F12346" in page


def test_a_refused_file_shows_the_extractors_message_and_stores_nothing(
    shipment: Shipment, people: dict[str, Any], border_files: Path
):
    declarant = client_for(people["declarant"])
    landscape = Image.new("RGB", (1200, 900), (90, 140, 200))
    landscape.paste((40, 120, 60), (0, 500, 1200, 900))  # sky and a field: a photo of something else
    cases = {
        "trang-trang.png": image_bytes(Image.new("RGB", (1654, 2339), "white")),
        "anh-chup.jpg": image_bytes(landscape, "JPEG"),
        "ghi-chu.txt": b"not a document at all",
        "hong.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage",
        "rong.png": b"",
    }
    for name, data in cases.items():
        response = upload(declarant, shipment, name, content={name: data})
        assert response.status_code == 422, name
        errors = response.content.decode()
        assert 'data-testid="upload-errors"' in errors
        with pytest.raises(extract.ExtractionError) as refused:
            extract.extract_bytes(data, name)
        assert str(refused.value) in errors.replace("&quot;", '"').replace("&#x27;", "'"), name
    assert not Document.objects.exists()
    assert not border_files.exists() or not any(p.is_file() for p in border_files.rglob("*"))


def test_a_file_larger_than_the_limit_is_refused_without_reading_it_whole(
    shipment: Shipment, people: dict[str, Any], border_files: Path
):
    big = b"%PDF-1.7\n" + b"0" * (extract.MAX_FILE_BYTES + 1024)
    response = upload(client_for(people["declarant"]), shipment, "to.pdf", content={"to.pdf": big})
    assert response.status_code == 422
    assert "MB" in response.content.decode()
    assert not Document.objects.exists()


def test_an_engine_failure_keeps_the_file_and_a_failed_document_with_its_reason(
    shipment: Shipment,
    people: dict[str, Any],
    fake_extractor: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
):
    def broken(data: bytes, filename: str = "") -> dict[str, Any]:
        raise RuntimeError("tesseract crashed")

    monkeypatch.setattr(extract, "extract_bytes", broken)
    response = upload(client_for(people["declarant"]), shipment, "cmr.png")
    assert response.status_code == 302
    document = shipment.documents.get()
    assert document.status == Document.Status.FAILED
    assert "RuntimeError" in document.error
    assert file_path(document.sha256).exists()
    page = client_for(people["declarant"]).get(
        reverse("border:document", args=[shipment.reference, document.pk])
    )
    assert page.status_code == 200 and 'data-testid="failed"' in page.content.decode()
    assert 'data-testid="correction-form"' not in page.content.decode()


def test_the_same_file_twice_is_kept_once(
    shipment: Shipment, people: dict[str, Any], fake_extractor: dict[str, Any]
):
    declarant = client_for(people["declarant"])
    upload(declarant, shipment, "cmr.png")
    response = upload(declarant, shipment, "cmr.png")
    assert response.status_code == 422
    assert "đã được tải lên" in response.content.decode()
    assert shipment.documents.count() == 1


# --- review and corrections ---------------------------------------------------------------------------------


@pytest.fixture
def uploaded(
    shipment: Shipment, people: dict[str, Any], fake_extractor: dict[str, Any]
) -> dict[str, Document]:
    upload(client_for(people["declarant"]), shipment, *FOUR)
    return {d.document_type: d for d in shipment.documents.all()}


def rows_of(html: str) -> list[tuple[str, str]]:
    """(field, flagged) of the field rows, in page order."""
    import re

    return re.findall(r'data-testid="field-row" data-field="([^"]+)" data-flagged="([01])"', html)


def test_review_page_boxes_every_field_on_its_page_and_lists_flagged_fields_first(
    uploaded: dict[str, Document], people: dict[str, Any], shipment: Shipment
):
    invoice = uploaded[COMMERCIAL_INVOICE]
    page = client_for(people["declarant"]).get(
        reverse("border:document", args=[shipment.reference, invoice.pk])
    )
    html = page.content.decode()
    rows = rows_of(html)
    flags = [flag for _name, flag in rows]
    assert flags == sorted(flags, reverse=True)  # every flagged row before every other
    flagged = {name for name, flag in rows if flag == "1"}
    assert "incoterm" in flagged  # confidence 0.55
    assert "border_gate" in flagged  # not found on the page
    assert "invoice_number" not in flagged
    assert rows[0][0] == "incoterm"  # low confidence ranks before fields not found at all
    assert len(rows) == 9 + 2 * 6
    # One box per value found, in the page image's pixels.
    assert 'data-field="incoterm" data-bbox="800,400,880,430"' in html
    assert 'data-field="line_items[1].amount" data-bbox="860,640,980,670"' in html
    assert html.count('data-testid="box"') == 8 + 2 * 6
    image: Any = client_for(people["huu_nghi"]).get(
        reverse("border:document-page", args=[shipment.reference, invoice.pk, 1])
    )
    assert image["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(image.streaming_content))) as picture:
        assert picture.size == PAGE_SIZE
    for missing in (
        reverse("border:document-page", args=[shipment.reference, invoice.pk, 2]),
        reverse("border:document", args=[shipment.reference, 2**64]),
    ):
        assert client_for(people["declarant"]).get(missing).status_code == 404


def test_cross_document_fields_are_flagged_on_both_documents(
    uploaded: dict[str, Document], people: dict[str, Any], shipment: Shipment
):
    declarant = client_for(people["declarant"])
    for kind in (FORM_E, CMR):
        html = declarant.get(
            reverse("border:document", args=[shipment.reference, uploaded[kind].pk])
        ).content.decode()
        assert rows_of(html)[0] == ("vehicle_plate", "1")
        assert 'data-code="vehicle_plate_mismatch"' in html


def test_a_correction_is_saved_beside_the_original_and_the_findings_are_recomputed(
    uploaded: dict[str, Document], people: dict[str, Any], shipment: Shipment
):
    declarant = client_for(people["declarant"])
    cmr = uploaded[CMR]
    url = reverse("border:document", args=[shipment.reference, cmr.pk])
    response = declarant.post(url, {"field": "vehicle_plate", "value": "桂F·12345"})
    assert response.status_code == 302 and response["Location"].endswith("#truong-vehicle_plate")
    correction = FieldCorrection.objects.get()
    assert (correction.field, correction.value, correction.corrected_by) == (
        "vehicle_plate",
        "桂F12345",  # normalised like an extracted plate
        people["declarant"],
    )
    assert correction.original == extractions()["cmr.png"]["fields"]["vehicle_plate"]
    cmr.refresh_from_db()
    assert cmr.extraction["fields"]["vehicle_plate"]["value"] == "桂F12346"  # what was read stays
    entry = AuditEntry.objects.get(model__iendswith="fieldcorrection", object_pk=str(correction.pk))
    assert (entry.actor_id, entry.channel, entry.action) == (people["declarant"].pk, "web", "create")
    html = declarant.get(url).content.decode()
    assert ("vehicle_plate", "0") in rows_of(html)
    assert 'data-testid="corrected-mark"' in html
    shipment_page = declarant.get(reverse("border:shipment", args=[shipment.reference])).content.decode()
    assert "vehicle_plate_mismatch" not in shipment_page
    declaration = json.loads(
        declarant.get(reverse("border:declaration-json", args=[shipment.reference])).content
    )
    assert declaration["header"]["vehicle"]["value"] == "桂F12345"


def test_a_correction_of_a_line_cell_and_a_field_not_read(
    uploaded: dict[str, Document], people: dict[str, Any], shipment: Shipment
):
    declarant = client_for(people["declarant"])
    invoice = uploaded[COMMERCIAL_INVOICE]
    url = reverse("border:document", args=[shipment.reference, invoice.pk])
    assert declarant.post(url, {"field": "line_items[1].amount", "value": "3.950,00"}).status_code == 302
    assert declarant.post(url, {"field": "border_gate", "value": "Hữu  Nghị"}).status_code == 302
    values = dict(FieldCorrection.objects.values_list("field", "value"))
    assert values == {"line_items[1].amount": "3950", "border_gate": "Hữu Nghị"}
    assert FieldCorrection.objects.get(field="border_gate").original == {}


def test_invalid_corrections_are_refused_and_nothing_is_saved(
    uploaded: dict[str, Document], people: dict[str, Any], shipment: Shipment
):
    declarant = client_for(people["declarant"])
    invoice = uploaded[COMMERCIAL_INVOICE]
    url = reverse("border:document", args=[shipment.reference, invoice.pk])
    response = declarant.post(url, {"field": "invoice_date", "value": "31/02/2026"})
    assert response.status_code == 422
    assert "Ngày không hợp lệ" in response.content.decode()
    response = declarant.post(url, {"field": "cmr_number", "value": "X"})  # not an invoice field
    assert response.status_code == 422
    assert not FieldCorrection.objects.exists()
    officer = client_for(people["huu_nghi"])
    assert officer.post(url, {"field": "incoterm", "value": "CIF"}).status_code == 403
    other = client_for(people["other_business"])
    assert other.post(url, {"field": "incoterm", "value": "CIF"}).status_code == 404
    assert not FieldCorrection.objects.exists()


# --- the declaration draft ----------------------------------------------------------------------------------


def test_declaration_downloads_use_the_corrected_values(
    uploaded: dict[str, Document], people: dict[str, Any], shipment: Shipment
):
    declarant = client_for(people["declarant"])
    invoice = uploaded[COMMERCIAL_INVOICE]
    declarant.post(
        reverse("border:document", args=[shipment.reference, invoice.pk]),
        {"field": "incoterm", "value": "cif"},
    )
    response = declarant.get(reverse("border:declaration-json", args=[shipment.reference]))
    assert response["Content-Disposition"].startswith("attachment;")
    declaration = json.loads(response.content)
    assert declaration["kind"] == "IDA" and declaration["reference"] == shipment.reference
    incoterm = declaration["header"]["incoterm"]
    assert incoterm["value"] == "CIF"
    assert incoterm["source"] == {
        "document_type": COMMERCIAL_INVOICE,
        "field": "incoterm",
        "document_id": invoice.pk,
        "corrected": True,
        "confidence": 1.0,
    }
    assert [issue["code"] for issue in declaration["issues"] if issue.get("values")] == [
        "vehicle_plate_mismatch"
    ]
    pdf = client_for(people["huu_nghi"]).get(reverse("border:declaration-pdf", args=[shipment.reference]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf.content.startswith(b"%PDF-")
    page = declarant.get(reverse("border:shipment", args=[shipment.reference])).content.decode()
    assert 'data-testid="declaration-pdf"' in page


def test_a_generated_invoice_is_read_for_real_and_its_boxes_lie_on_its_page_image(
    shipment: Shipment, people: dict[str, Any]
):
    from langson.border import synth

    layout = synth.LAYOUTS[COMMERCIAL_INVOICE]["train"][0]
    document = synth.generate(
        COMMERCIAL_INVOICE, layout=layout, seed=3, degradation="clean", file_format="png"
    )
    declarant = client_for(people["declarant"])
    response = upload(declarant, shipment, "invoice.png", content={"invoice.png": document.to_bytes()})
    assert response.status_code == 302
    stored = shipment.documents.get()
    assert (stored.status, stored.document_type, stored.pages) == ("extracted", COMMERCIAL_INVOICE, 1)
    width, height = document.pages[0].size
    with Image.open(page_path(stored.sha256, 1)) as page:
        assert page.size == (width, height)
    found = {name: item for name, item in stored.extraction["fields"].items() if item.get("bbox")}
    assert len(found) >= 5
    for item in found.values():
        x0, y0, x1, y1 = item["bbox"]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    html = declarant.get(reverse("border:document", args=[shipment.reference, stored.pk])).content.decode()
    assert html.count('data-testid="box"') >= len(found)
    right = [
        n for n, item in found.items() if item["value"] == document.truth["fields"].get(n, {}).get("value")
    ]
    assert right, "no field read right at all"
