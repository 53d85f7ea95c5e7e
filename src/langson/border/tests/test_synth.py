"""The synthetic document generator: truths that match what is printed, layouts, degradations, files,
shipments that agree with themselves and disagree exactly where asked."""

from __future__ import annotations

import io
import json
import re
import time
from decimal import Decimal

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from langson.border.schema import DATE_FIELDS, DOCUMENT_TYPES, FIELDS, LINE_FIELDS, NUMBER_FIELDS, PDF_DPI
from langson.border.synth import (
    DEGRADATIONS,
    FILE_FORMATS,
    LAYOUTS,
    MISMATCHES,
    generate,
    generate_shipment,
    make_shipment,
    write_set,
)
from langson.border.synth.render import Canvas, font, split_runs

pytestmark = pytest.mark.nodb

ALL_LAYOUTS = [
    (t, name) for t in DOCUMENT_TYPES for split in ("train", "heldout") for name in LAYOUTS[t][split]
]
MONTH_ABBREVIATIONS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
MONTHS = {m: i for i, m in enumerate(MONTH_ABBREVIATIONS, 1)}


def cells(truth: dict) -> list[tuple[str, dict]]:
    found = list(truth["fields"].items())
    for i, item in enumerate(truth["line_items"]):
        found += [(f"line_items[{i}].{column}", cell) for column, cell in item.items()]
    return found


def read_number(text: str) -> Decimal:
    """Printed number → value, for both 1,250.50 and 1.250,50 (a separator followed by exactly three digits
    at the end groups thousands; the generator never prints three decimals)."""
    digits = re.sub(r"[^0-9.,]", "", text)
    last = max(digits.rfind("."), digits.rfind(","))
    if last >= 0 and len(digits) - last - 1 != 3:
        whole, fraction = digits[:last], digits[last + 1 :]
        return Decimal(re.sub(r"[.,]", "", whole) + "." + fraction)
    return Decimal(re.sub(r"[.,]", "", digits))


def read_date(text: str) -> str:
    upper = text.upper()
    if m := re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text):
        y, mo, d = m.groups()
    elif m := re.search(r"(\d{1,2}) THÁNG (\d{1,2}) NĂM (\d{4})", upper):
        d, mo, y = m.groups()
    elif m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        y, mo, d = m.groups()
    elif m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        d, mo, y = m.groups()
    elif m := re.fullmatch(r"(\d{1,2}) ([A-Z]{3}) (\d{4})", upper):
        d, mo, y = m.group(1), str(MONTHS[m.group(2)]), m.group(3)
    elif m := re.fullmatch(r"([A-Z]{3})\. (\d{1,2}), (\d{4})", upper):
        mo, d, y = str(MONTHS[m.group(1)]), m.group(2), m.group(3)
    else:
        raise AssertionError(f"unexpected date form {text!r}")
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


# -- layouts ------------------------------------------------------------------------------------------------


def test_every_type_has_three_train_and_two_distinct_heldout_layouts() -> None:
    assert set(LAYOUTS) == set(DOCUMENT_TYPES)
    for doc_type in DOCUMENT_TYPES:
        train, heldout = LAYOUTS[doc_type]["train"], LAYOUTS[doc_type]["heldout"]
        assert len(train) >= 3 and len(heldout) >= 2
        assert not set(train) & set(heldout)


@pytest.mark.parametrize(("document_type", "layout"), ALL_LAYOUTS)
def test_truth_fields_are_complete_inside_the_page_and_cover_ink(document_type: str, layout: str) -> None:
    for seed in (3, 55):  # 55: an eight-line shipment
        doc = generate(document_type, layout=layout, degradation="clean", seed=seed)
        facts = make_shipment(seed)
        truth = doc.truth
        assert truth["document_type"] == document_type and truth["issues"] == []
        assert set(truth["fields"]) == set(FIELDS[document_type])
        if LINE_FIELDS[document_type]:
            assert len(truth["line_items"]) == len(facts.lines)
            assert all(set(item) == set(LINE_FIELDS[document_type]) for item in truth["line_items"])
        else:
            assert truth["line_items"] == []
        grey = [np.asarray(page.convert("L")) for page in doc.pages]
        for name, cell in cells(truth):
            assert cell["confidence"] == 1.0 and 1 <= cell["page"] <= len(doc.pages)
            x0, y0, x1, y1 = cell["bbox"]
            height, width = grey[cell["page"] - 1].shape
            assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, name
            ink = (grey[cell["page"] - 1][y0:y1, x0:x1] < 128).mean()
            assert ink > 0.05, f"{layout} {name}: box {cell['bbox']} holds no text"


@pytest.mark.parametrize(("document_type", "layout"), ALL_LAYOUTS)
def test_truth_values_are_the_canonical_forms_of_what_is_printed(document_type: str, layout: str) -> None:
    doc = generate(document_type, layout=layout, degradation="clean", seed=21)
    for name, cell in doc.truth["fields"].items():
        printed = doc.printed[name]
        if name in NUMBER_FIELDS:
            assert read_number(printed) == Decimal(cell["value"]), (name, printed)
            assert re.fullmatch(r"-?\d+(\.\d*[1-9])?", cell["value"])
        elif name in DATE_FIELDS:
            assert read_date(printed) == cell["value"], (name, printed)
        elif name in ("vehicle_plate", "trailer_plate"):
            assert re.sub(r"[\s·]", "", printed).replace("-", "") == cell["value"].replace("-", "")
        elif name == "currency":
            assert cell["value"] in ("USD", "CNY", "VND")
        elif name == "incoterm":
            assert printed == cell["value"] and len(cell["value"]) == 3
        else:
            assert " ".join(printed.split()) == cell["value"], (name, printed)


def test_train_and_heldout_layouts_place_the_fields_differently() -> None:
    """For the same shipment, each held-out layout puts the fields elsewhere than every train layout."""
    for doc_type in DOCUMENT_TYPES:

        def centres(layout: str, doc_type: str = doc_type) -> np.ndarray:
            doc = generate(doc_type, layout=layout, degradation="clean", seed=8)
            boxes = [doc.truth["fields"][name]["bbox"] for name in FIELDS[doc_type]]
            return np.array([((x0 + x1) / 2 / 1654, (y0 + y1) / 2 / 2339) for x0, y0, x1, y1 in boxes])

        train = {name: centres(name) for name in LAYOUTS[doc_type]["train"]}
        for held in LAYOUTS[doc_type]["heldout"]:
            h = centres(held)
            for name, t in train.items():
                shift = np.linalg.norm(h - t, axis=1).mean()
                assert shift > 0.05, f"{held} places the fields like {name} (mean shift {shift:.3f})"


def test_mixed_script_text_is_drawn_with_a_han_font() -> None:
    assert split_runs("Người mua (Buyer): 凭祥市友谊") == [
        ("Người mua (Buyer): ", False),
        ("凭祥市友谊", True),
    ]
    canvas = Canvas(1, "dejavu_sans", (400, 80))
    box = canvas.text(10, 60, "凭祥", 40)
    drawn = np.asarray(canvas.image.convert("L"))
    tofu = Canvas(1, "dejavu_sans", (400, 80))
    tofu.draw.text((10, 60), "凭祥", font=font("dejavu_sans", 40), fill=0, anchor="ls")
    assert box is not None
    assert not np.array_equal(
        drawn, np.asarray(tofu.image.convert("L"))
    )  # not the Latin font's missing glyphs


# -- determinism, degradations, files -----------------------------------------------------------------------


def test_generation_is_deterministic_for_a_seed() -> None:
    a = generate("cmr", layout="cmr_iru_trilingual", degradation="scan", seed=7)
    b = generate("cmr", layout="cmr_iru_trilingual", degradation="scan", seed=7)
    c = generate("cmr", layout="cmr_iru_trilingual", degradation="scan", seed=8)
    assert a.truth == b.truth and a.file_format == b.file_format
    assert np.array_equal(np.asarray(a.pages[0]), np.asarray(b.pages[0]))
    assert a.to_bytes() == b.to_bytes()
    assert a.truth != c.truth


def _decode(data: bytes, file_format: str) -> list[Image.Image]:
    if file_format == "pdf":
        pdf = pdfium.PdfDocument(data)
        return [pdf[i].render(scale=PDF_DPI / 72).to_pil() for i in range(len(pdf))]
    image = Image.open(io.BytesIO(data))
    assert image.format == {"png": "PNG", "jpeg": "JPEG"}[file_format]
    return [image.convert("RGB")]


@pytest.mark.parametrize("degradation", DEGRADATIONS)
@pytest.mark.parametrize("file_format", FILE_FORMATS)
def test_degraded_documents_decode_with_boxes_on_the_text(degradation: str, file_format: str) -> None:
    doc = generate(
        "commercial_invoice", layout="ci_vn_classic", degradation=degradation, seed=4, file_format=file_format
    )
    decoded = _decode(doc.to_bytes(), file_format)
    assert len(decoded) == len(doc.pages)
    for page, image in zip(doc.pages, decoded, strict=True):
        assert abs(image.size[0] - page.size[0]) <= 1 and abs(image.size[1] - page.size[1]) <= 1
    if degradation in ("clean", "scan"):
        assert doc.pages[0].size == (1654, 2339)  # A4 at 200 dpi
    else:
        dpi = doc.pages[0].size[0] / 8.27
        assert 115 < dpi < 175  # the page at 120–150 dpi plus the desk around it
    grey = np.asarray(decoded[0].convert("L").resize(doc.pages[0].size)).astype(np.float32)
    for name, cell in cells(doc.truth):
        x0, y0, x1, y1 = cell["bbox"]
        inside = grey[y0:y1, x0:x1]
        # The text is darker than the paper around the box, even on a dim, noisy photo.
        around = grey[max(0, y0 - 12) : y1 + 12, max(0, x0 - 12) : x1 + 12]
        assert inside.min() < np.percentile(around, 90) - 60, name


def test_a_long_form_e_continues_on_a_second_page_unless_one_image_is_asked_for() -> None:
    seed = 55  # eight lines of goods
    as_pdf = generate("certificate_of_origin_form_e", layout="fe_official", seed=seed, file_format="pdf")
    assert len(as_pdf.pages) == 2 and len(pdfium.PdfDocument(as_pdf.to_bytes())) == 2
    assert as_pdf.truth["fields"]["fob_value"]["page"] == 2  # the total under the last item
    assert as_pdf.truth["fields"]["certificate_number"]["page"] == 1
    as_png = generate("certificate_of_origin_form_e", layout="fe_official", seed=seed, file_format="png")
    assert len(as_png.pages) == 1 and as_png.file_format == "png"
    assert {n: c["value"] for n, c in as_png.truth["fields"].items()} == {
        n: c["value"] for n, c in as_pdf.truth["fields"].items()
    }
    assert all(c["page"] == 1 for c in as_png.truth["fields"].values())


def test_degradations_move_boxes_with_the_page() -> None:
    clean = generate("packing_list", layout="pl_en_plain", degradation="clean", seed=12)
    for degradation in ("scan", "photo"):
        doc = generate("packing_list", layout="pl_en_plain", degradation=degradation, seed=12)
        assert doc.truth["fields"].keys() == clean.truth["fields"].keys()
        moved = [
            doc.truth["fields"][n]["bbox"] != clean.truth["fields"][n]["bbox"] for n in clean.truth["fields"]
        ]
        assert all(moved)
        assert [c["value"] for _, c in cells(doc.truth)] == [c["value"] for _, c in cells(clean.truth)]


def test_a_page_is_generated_quickly() -> None:
    generate("commercial_invoice", layout="ci_en_plain", degradation="clean", seed=1)  # fonts loaded
    start = time.perf_counter()
    for seed, degradation in enumerate(DEGRADATIONS):
        generate("packing_list", layout="pl_vn_classic", degradation=degradation, seed=seed)
    # Well under 0.5 s per page on an idle core; the bound leaves room for a busy shared machine.
    assert (time.perf_counter() - start) / 3 < 1.5


# -- shipments ----------------------------------------------------------------------------------------------


def _by_type(docs: list) -> dict[str, dict]:
    return {doc.document_type: doc.truth for doc in docs}


def _values(truth: dict, name: str) -> str:
    return truth["fields"][name]["value"]


def _agreements(t: dict[str, dict]) -> dict[str, bool]:
    inv, pl, fe, cmr = (t[k] for k in DOCUMENT_TYPES)
    return {
        "invoice_number": _values(inv, "invoice_number")
        == _values(pl, "invoice_number")
        == _values(fe, "invoice_number"),
        "gross_weight": _values(pl, "total_gross_weight_kg") == _values(cmr, "total_gross_weight_kg"),
        "plate": _values(fe, "vehicle_plate") == _values(cmr, "vehicle_plate"),
        "packages": _values(pl, "total_packages") == _values(cmr, "total_packages"),
        "fob_value": _values(fe, "fob_value") == _values(inv, "total_amount"),
        "goods": [i["description"]["value"] for i in inv["line_items"]]
        == [i["description"]["value"] for i in pl["line_items"]],
        "line_total": sum(Decimal(i["amount"]["value"]) for i in inv["line_items"])
        == Decimal(_values(inv, "total_amount")),
        "gross_net": all(
            Decimal(i["gross_weight_kg"]["value"]) >= Decimal(i["net_weight_kg"]["value"])
            for i in pl["line_items"]
        ),
    }


def test_a_shipment_gives_four_consistent_documents() -> None:
    docs = generate_shipment(31, split="train")
    assert [d.document_type for d in docs] == list(DOCUMENT_TYPES)
    assert all(d.split == "train" and d.layout in LAYOUTS[d.document_type]["train"] for d in docs)
    t = _by_type(docs)
    assert all(_agreements(t).values()), _agreements(t)
    inv, pl = t["commercial_invoice"], t["packing_list"]
    assert sum(int(i["packages"]["value"]) for i in pl["line_items"]) == int(_values(pl, "total_packages"))
    for item in inv["line_items"]:  # amounts are quantity × unit price, to the cent
        product = Decimal(item["quantity"]["value"]) * Decimal(item["unit_price"]["value"])
        assert abs(product - Decimal(item["amount"]["value"])) <= Decimal("0.005")
    held = generate_shipment(31, split="heldout")
    assert all(d.layout in LAYOUTS[d.document_type]["heldout"] for d in held)
    assert all(_agreements(_by_type(held)).values())


@pytest.mark.parametrize("mismatch", MISMATCHES)
def test_an_injected_mismatch_breaks_exactly_that_agreement(mismatch: str) -> None:
    for seed in (2, 9):
        facts = make_shipment(seed, mismatch=mismatch)
        assert facts.mismatch == mismatch and facts.mismatch_document in DOCUMENT_TYPES
        docs = [
            generate(t, layout=LAYOUTS[t]["train"][seed % 3], degradation="clean", seed=seed, shipment=facts)
            for t in DOCUMENT_TYPES
        ]
        agreements = _agreements(_by_type(docs))
        assert agreements.pop(mismatch) is False
        assert all(agreements.values()), agreements


def test_write_set_writes_files_with_their_truth(tmp_path: object) -> None:
    from pathlib import Path

    out = Path(str(tmp_path))
    written = write_set(out, count=1, split="heldout", seed=3)
    assert written == 4
    metas = sorted(out.glob("*.json"))
    assert len(metas) == 4
    for meta_path in metas:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        assert meta["split"] == "heldout" and meta["degradation"] in DEGRADATIONS
        assert meta["layout"] in LAYOUTS[meta["truth"]["document_type"]]["heldout"]
        stem = meta_path.stem
        assert stem.split("-", 1)[1].startswith(
            f"{meta['truth']['document_type']}-{meta['layout']}-{meta['degradation']}"
        )
        (data_path,) = [p for p in out.glob(stem + ".*") if p.suffix != ".json"]
        assert _decode(
            data_path.read_bytes(), {".png": "png", ".jpg": "jpeg", ".pdf": "pdf"}[data_path.suffix]
        )
