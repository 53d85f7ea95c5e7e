"""The documents API at /api/border/: shipments, upload and extraction, corrections, findings, declaration."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from langson.border import extract
from langson.border.models import Document, FieldCorrection, Shipment
from langson.border.schema import CMR, COMMERCIAL_INVOICE, FIELDS, FORM_E
from langson.border.tests.test_document_pages import (  # noqa: F401 - fixtures
    FOUR,
    border_files,
    border_permissions,
    fake_extractor,
    people,
    png_bytes,
)

pytestmark = pytest.mark.django_db

BASE = "/api/border"


@pytest.fixture
def api(api_client: Any, people: dict[str, Any]) -> dict[str, Client]:  # noqa: F811
    return {who: api_client(user) for who, user in people.items()}


def create(client: Client, gate: str = "CK-HUU-NGHI", direction: str = "import") -> Any:
    return client.post(
        f"{BASE}/shipments", {"direction": direction, "border_gate": gate}, content_type="application/json"
    )


def send(client: Client, reference: str, name: str, data: bytes | None = None) -> Any:
    handle = io.BytesIO(png_bytes(name) if data is None else data)
    handle.name = name
    return client.post(f"{BASE}/shipments/{reference}/documents", {"file": handle})


@pytest.fixture
def shipment(api: dict[str, Client], fake_extractor: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    reference = create(api["declarant"]).json()["reference"]
    ids = {}
    for name in FOUR:
        response = send(api["declarant"], reference, name)
        assert response.status_code == 201, response.content
        ids[response.json()["document_type"]] = response.json()["id"]
    return {"reference": reference, "ids": ids}


def test_the_api_needs_a_key_and_the_permission(client: Client, api: dict[str, Client]):
    assert client.get(f"{BASE}/shipments").status_code == 401
    assert api["citizen"].get(f"{BASE}/shipments").status_code == 403
    assert create(api["huu_nghi"]).status_code == 403  # officers do not declare


def test_create_a_shipment(api: dict[str, Client], people: dict[str, Any]):  # noqa: F811
    response = create(api["declarant"], direction="export")
    assert response.status_code == 201
    body = response.json()
    shipment = Shipment.objects.get(reference=body["reference"])
    assert (shipment.direction, shipment.border_gate.code, shipment.declarant) == (
        "export",
        "CK-HUU-NGHI",
        people["declarant"],
    )
    assert body["border_gate_name"] == "Cửa khẩu quốc tế Hữu Nghị" and body["documents"] == []
    refused = create(api["declarant"], gate="6184")  # a commune, not a gate
    assert refused.status_code == 422 and refused.json()["code"] == "unknown_border_gate"
    bad = create(api["declarant"], direction="transit")
    assert bad.status_code == 422
    assert Shipment.objects.count() == 1


def test_upload_returns_the_extraction_in_the_schema_shape(shipment: dict[str, Any], api: dict[str, Client]):
    reference = shipment["reference"]
    body = api["declarant"].get(f"{BASE}/shipments/{reference}").json()
    assert [d["document_type"] for d in body["documents"]] == [
        COMMERCIAL_INVOICE,
        "packing_list",
        FORM_E,
        CMR,
    ]
    assert {d["status"] for d in body["documents"]} == {"extracted"}
    extraction = (
        api["declarant"]
        .get(f"{BASE}/shipments/{reference}/documents/{shipment['ids'][CMR]}/extraction")
        .json()
    )
    assert set(extraction) == {"document_type", "fields", "line_items", "issues"}
    assert extraction["document_type"] == CMR
    assert set(extraction["fields"]) <= set(FIELDS[CMR])
    plate = extraction["fields"]["vehicle_plate"]
    assert plate == {"value": "桂F12346", "confidence": 0.96, "bbox": [300, 700, 460, 730], "page": 1}


def test_refused_uploads_answer_the_extractors_code_and_message_and_store_nothing(
    api: dict[str, Client],
):
    reference = create(api["declarant"]).json()["reference"]
    for name, data, code in (
        ("ghi-chu.txt", b"hello", "unsupported_type"),
        ("hong.pdf", b"%PDF-1.4\n%%EOF broken", "corrupt_pdf"),
        ("to.pdf", b"%PDF-1.4\n" + b"0" * (extract.MAX_FILE_BYTES + 1), "too_large"),
    ):
        response = send(api["declarant"], reference, name, data)
        assert response.status_code == 422, name
        body = response.json()
        assert body["code"] == code
        with pytest.raises(extract.ExtractionError) as refused:
            extract.extract_bytes(data[: extract.MAX_FILE_BYTES + 1], name)
        assert body["detail"] == str(refused.value)
        assert body["detail_en"]
    assert not Document.objects.exists()


def test_the_same_file_twice_is_a_conflict(shipment: dict[str, Any], api: dict[str, Client]):
    response = send(api["declarant"], shipment["reference"], "cmr.png")
    assert response.status_code == 409 and response.json()["code"] == "duplicate"


def test_a_correction_changes_the_extraction_and_the_findings_but_keeps_the_original(
    shipment: dict[str, Any],
    api: dict[str, Client],
    people: dict[str, Any],  # noqa: F811
):
    reference, cmr = shipment["reference"], shipment["ids"][CMR]
    declarant = api["declarant"]
    issues = declarant.get(f"{BASE}/shipments/{reference}/issues").json()
    mismatch = [i for i in issues["shipment"] if i["code"] == "vehicle_plate_mismatch"]
    assert mismatch and set(mismatch[0]["documents"]) == {FORM_E, CMR}
    assert mismatch[0]["values"] == {FORM_E: "桂F12345", CMR: "桂F12346"}
    assert set(issues["documents"]) == {str(pk) for pk in shipment["ids"].values()}

    url = f"{BASE}/shipments/{reference}/documents/{cmr}/corrections"
    response = declarant.post(
        url, {"field": "vehicle_plate", "value": "桂F 12345"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["field"], body["value"], body["corrected_by"]) == (
        "vehicle_plate",
        "桂F12345",
        "dn.dongdang",
    )
    assert body["original"]["value"] == "桂F12346"

    document = declarant.get(f"{BASE}/shipments/{reference}/documents/{cmr}").json()
    assert document["extraction"]["fields"]["vehicle_plate"]["value"] == "桂F12345"
    assert document["extraction"]["fields"]["vehicle_plate"]["corrected"] is True
    assert document["original_extraction"]["fields"]["vehicle_plate"]["value"] == "桂F12346"
    assert [c["value"] for c in document["corrections"]] == ["桂F12345"]
    issues = declarant.get(f"{BASE}/shipments/{reference}/issues").json()
    assert not [i for i in issues["shipment"] if i["code"] == "vehicle_plate_mismatch"]
    assert FieldCorrection.objects.get().corrected_by == people["declarant"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("vehicle_plate", "not a plate", "invalid_value"),
        ("cmr_date", "32/13/2026", "invalid_value"),
        ("total_packages", "many", "invalid_value"),
        ("invoice_number", "X", "unknown_field"),
        ("line_items[0].amount", "1", "unknown_field"),
        ("vehicle_plate", "   ", "empty_value"),
    ],
)
def test_invalid_corrections_are_refused(
    shipment: dict[str, Any], api: dict[str, Client], field: str, value: str, code: str
):
    url = f"{BASE}/shipments/{shipment['reference']}/documents/{shipment['ids'][CMR]}/corrections"
    response = api["declarant"].post(url, {"field": field, "value": value}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert not FieldCorrection.objects.exists()


def test_only_the_declarant_corrects_and_strangers_do_not_see_the_shipment(
    shipment: dict[str, Any], api: dict[str, Client]
):
    reference, cmr = shipment["reference"], shipment["ids"][CMR]
    url = f"{BASE}/shipments/{reference}/documents/{cmr}/corrections"
    payload = {"field": "vehicle_plate", "value": "桂F12345"}
    assert api["huu_nghi"].get(f"{BASE}/shipments/{reference}/documents/{cmr}").status_code == 200
    assert api["huu_nghi"].post(url, payload, content_type="application/json").status_code == 403
    assert send(api["huu_nghi"], reference, "x.png").status_code == 403
    for stranger in ("other_business", "tan_thanh"):
        assert api[stranger].get(f"{BASE}/shipments/{reference}").status_code == 404
        assert api[stranger].post(url, payload, content_type="application/json").status_code == 404
        listed = api[stranger].get(f"{BASE}/shipments").json()
        assert reference not in {item["reference"] for item in listed["items"]}
    assert reference in {
        item["reference"] for item in api["province"].get(f"{BASE}/shipments").json()["items"]
    }
    for missing in ("999999", str(2**64)):
        assert api["declarant"].get(f"{BASE}/shipments/{reference}/documents/{missing}").status_code == 404


def test_declaration_as_json_and_pdf(shipment: dict[str, Any], api: dict[str, Client]):
    reference = shipment["reference"]
    declaration = api["huu_nghi"].get(f"{BASE}/shipments/{reference}/declaration").json()
    assert declaration["kind"] == "IDA" and declaration["header"]["type_code"]["value"] == "A11"
    assert declaration["header"]["bill_number"]["value"] == "CMR-PX-0921"
    assert declaration["header"]["bill_number"]["source"]["document_id"] == shipment["ids"][CMR]
    assert [line["hs_code"]["value"] for line in declaration["lines"]] == ["08081000", "08083000"]
    assert any(issue["code"] == "vehicle_plate_mismatch" for issue in declaration["issues"])
    pdf = api["declarant"].get(f"{BASE}/shipments/{reference}/declaration.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
