"""Reading trade documents end to end: refusals of bad files, the fields of every type and degradation on
generated train documents, boxes on the printed values, and `langson border extract`."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from PIL import Image, ImageDraw, ImageFont

from langson.border import evaluate, extract, synth
from langson.border.schema import DOCUMENT_TYPES, FIELDS, LINE_FIELDS

pytestmark = pytest.mark.nodb

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def refusal(data: bytes, name: str = "file") -> extract.ExtractionError:
    with pytest.raises(extract.ExtractionError) as caught:
        extract.extract_bytes(data, name)
    message = str(caught.value)
    assert message and message == str(caught.value.args[0])
    return caught.value


# --- bad files ---------------------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "empty_file"


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path):
    started = time.perf_counter()
    assert refusal(b"%PDF-1.7\n" + b"\0" * (50 * 1024 * 1024)).code == "too_large"
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(extract.ExtractionError) as caught:
        extract.extract_file(big)
    assert caught.value.code == "too_large" and "20 MB" in str(caught.value)
    assert time.perf_counter() - started < 2


def test_a_corrupt_pdf_is_refused():
    assert refusal(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF", "hoa-don.pdf").code == "corrupt_pdf"


def test_the_type_comes_from_the_bytes_not_the_name():
    assert refusal(b"GIF89a\x01\x00\x01\x00", "invoice.pdf").code == "unsupported_type"
    assert refusal(b"PK\x03\x04 a zip", "invoice.png").code == "unsupported_type"
    assert extract.file_kind(png(Image.new("L", (10, 10)))) == "png"


def test_a_decompression_bomb_is_refused_without_decoding_it():
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 Mpx, a few kilobytes
    started = time.perf_counter()
    assert refusal(buffer.getvalue(), "bomb.png").code == "too_many_pixels"
    assert time.perf_counter() - started < 1


def test_a_truncated_image_is_refused():
    data = png(Image.new("RGB", (400, 300), "white"))
    assert refusal(data[: len(data) // 2], "cut.png").code == "corrupt_image"


def test_a_blank_page_is_refused():
    assert refusal(png(Image.new("L", (1654, 2339), 250)), "blank.png").code == "blank_page"


def test_a_photo_of_something_else_is_refused():
    image = Image.new("RGB", (1200, 900), (120, 160, 200))
    draw = ImageDraw.Draw(image)
    for k in range(25):
        x, y = (k * 137) % 1100, (k * 89) % 800
        draw.ellipse((x, y, x + 90, y + 60), fill=((k * 40) % 255, 120, 60))
    draw.text(
        (80, 820), "Happy birthday, see you at the lake", font=ImageFont.truetype(FONT, 36), fill="black"
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    error = refusal(buffer.getvalue(), "photo.jpg")
    assert error.code == "not_a_trade_document"
    assert "hóa đơn thương mại" in str(error)


# --- generated documents ---------------------------------------------------------------------------------

# One document per type and degradation, train layouts in turn (never the held-out ones). The floors below
# were measured on the first train layouts; the later ones (written to find what the rules miss) are
# measured by `langson bench border-extract`, so they do not move these cases.
FIRST_TRAIN_LAYOUTS = {
    "commercial_invoice": ("ci_cn_bilingual", "ci_en_plain", "ci_vn_classic"),
    "packing_list": (
        "pl_cn_bilingual",
        "pl_en_plain",
        "pl_sheet_export",
        "pl_vn_classic",
        "pl_vn_summary",
        "pl_zh_grid",
    ),
    "certificate_of_origin_form_e": ("fe_customs", "fe_official", "fe_serif"),
    "cmr": ("cmr_cn_side_by_side", "cmr_cn_waybill", "cmr_iru_trilingual", "cmr_vi_en", "cmr_vn_table"),
}
CASES = [
    (document_type, FIRST_TRAIN_LAYOUTS[document_type][(i + j) % len(FIRST_TRAIN_LAYOUTS[document_type])], d)
    for i, document_type in enumerate(DOCUMENT_TYPES)
    for j, d in enumerate(synth.DEGRADATIONS)
]


@pytest.fixture(scope="module")
def readings() -> dict[tuple[str, str, str], tuple[Any, dict[str, Any]]]:
    out = {}
    for document_type, layout, degradation in CASES:
        document = synth.generate(document_type, layout=layout, degradation=degradation, seed=21)
        out[(document_type, layout, degradation)] = (
            document,
            extract.extract_bytes(document.to_bytes(), f"document.{document.extension}"),
        )
    return out


def accuracy(predicted: dict[str, Any], truth: dict[str, Any]) -> float:
    outcomes = evaluate.compare(predicted, truth)
    right = sum(o.tally.tp for o in outcomes)
    return right / max(1, sum(1 for o in outcomes if o.truth is not None))


def test_every_type_and_degradation_is_read_into_the_schema_shape(readings: dict[Any, Any]):
    for (document_type, _layout, _degradation), (_document, result) in readings.items():
        assert set(result) == {"document_type", "fields", "line_items", "issues"}
        assert result["document_type"] == document_type
        assert set(result["fields"]) <= set(FIELDS[document_type])
        for entry in [
            *result["fields"].values(),
            *(c for item in result["line_items"] for c in item.values()),
        ]:
            assert set(entry) == {"value", "confidence", "bbox", "page"}
            assert 0.0 <= entry["confidence"] <= 1.0 and entry["page"] >= 1
            x0, y0, x1, y1 = entry["bbox"]
            assert 0 <= x0 < x1 and 0 <= y0 < y1
        for item in result["line_items"]:
            assert set(item) <= set(LINE_FIELDS[document_type])
        for issue in result["issues"]:
            assert {"field", "code", "message"} <= set(issue)


def test_fields_are_read_right_on_every_type_and_degradation(readings: dict[Any, Any]):
    scores = {key: accuracy(result, document.truth) for key, (document, result) in readings.items()}
    by_degradation = {
        d: np.mean([score for (_t, _l, dd), score in scores.items() if dd == d]) for d in synth.DEGRADATIONS
    }
    # Measured on this machine: clean and scanned pages about nine fields in ten, photos about seven.
    assert by_degradation["clean"] >= 0.75, scores
    assert by_degradation["scan"] >= 0.65, scores
    assert by_degradation["photo"] >= 0.55, scores
    # The weakest page measured (2026-12-05) reads 2 fields in 10: a floor against a page read as nothing,
    # not a target (issue 5's target, F1 ≥ 0.95 on held-out layouts, is measured by `langson bench
    # border-extract` and not met yet).
    assert min(scores.values()) >= 0.2, scores
    for document_type in DOCUMENT_TYPES:  # every type is read, not just some
        assert max(s for (t, _l, _d), s in scores.items() if t == document_type) >= 0.75, scores


def test_the_values_are_canonical(readings: dict[Any, Any]):
    for (_t, _l, _d), (_document, result) in readings.items():
        for name, entry in result["fields"].items():
            if name.endswith("_date"):
                assert len(entry["value"]) == 10 and entry["value"][4] == "-"
            if name.startswith("total_") or name == "fob_value":
                float(entry["value"])
                assert "," not in entry["value"]


def test_boxes_point_at_the_printed_values(readings: dict[Any, Any]):
    checked, wrong = 0, []
    for (_t, _l, _d), (document, result) in readings.items():
        for outcome in evaluate.compare(result, document.truth):
            if outcome.bbox_ok is not None:
                checked += 1
                if not outcome.bbox_ok:
                    wrong.append((outcome.name, outcome.truth))
    # A right value read at the wrong place happens when two fields hold the same text (a packing list
    # numbered like its invoice); it must stay rare.
    assert checked > 50
    assert len(wrong) <= 0.03 * checked, wrong


def test_line_items_follow_the_table(readings: dict[Any, Any]):
    document, result = readings[("packing_list", "pl_en_plain", "clean")]
    truth = document.truth["line_items"]
    assert len(result["line_items"]) == len(truth)
    for item, expected in zip(result["line_items"], truth, strict=True):
        assert item["packages"]["value"] == expected["packages"]["value"]
        assert item["gross_weight_kg"]["value"] == expected["gross_weight_kg"]["value"]


# --- the command -----------------------------------------------------------------------------------------


def test_the_command_prints_the_extraction_as_json(tmp_path: Path):
    document = synth.generate("commercial_invoice", layout="ci_vn_classic", degradation="scan", seed=8)
    path = tmp_path / f"hoa-don.{document.extension}"
    path.write_bytes(document.to_bytes())
    out = io.StringIO()
    call_command("border", "extract", str(path), "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["document_type"] == "commercial_invoice"
    assert result["fields"]["invoice_number"]["value"] == document.truth["fields"]["invoice_number"]["value"]
    assert {"value", "confidence", "bbox", "page"} == set(result["fields"]["invoice_number"])
    assert isinstance(result["line_items"], list) and isinstance(result["issues"], list)
    text = io.StringIO()
    call_command("border", "extract", str(path), "--format", "text", stdout=text)
    assert text.getvalue().startswith("commercial_invoice")


def test_the_command_reports_a_refusal_in_vietnamese(tmp_path: Path):
    empty = tmp_path / "rong.png"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="Tệp rỗng"):
        call_command("border", "extract", str(empty))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("border", "extract", str(tmp_path / "khong-co.pdf"))
