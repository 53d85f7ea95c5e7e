"""Border gate acceptance journey (issue 5): a declarant uploads the invoice, packing list, Form E and CMR of
one shipment → sees the extracted fields highlighted on the page images → corrects one flagged field → sees
a cross-document mismatch → downloads the declaration draft PDF.

The documents are generated (``langson.border.synth``: train layouts, clean or scanned, PNG) with one injected
disagreement between them, and read by the real OCR inside the upload request.
"""

from __future__ import annotations

import io
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LANGSON, LivePlatform

pytestmark = pytest.mark.browser

PASSWORD = "Dn-e2e-mat-khau-2026!"
DECLARANT = "dn_langson_e2e"
SETUP = f"""
from langson.core.models import User
user = User(username="{DECLARANT}", role="business", full_name="Công ty TNHH XNK Đồng Đăng (kiểm thử)")
user.set_password("{PASSWORD}")
user.full_clean()
user.save()
"""
SEED = 20261205
MISMATCH = "plate"  # the CMR's truck plate disagrees with the Form E's
MISMATCH_CODE = "vehicle_plate_mismatch"
DEGRADATIONS = {
    "commercial_invoice": "clean",
    "packing_list": "scan",
    "certificate_of_origin_form_e": "clean",
    "cmr": "scan",
}
GATE = "Cửa khẩu quốc tế Hữu Nghị"
# Seconds from the login to the PDF: a guard against a journey that hangs, not a speed target (reading speed
# is measured by `langson bench border-extract`). Measured 27 s alone on a 2-core machine of the kind
# (2026-12-07, one where plain Tesseract reads a page in 1.5–2 s); CI runs this journey in both database
# suites at once, so each gets about one core.
JOURNEY_BUDGET = 120.0


@pytest.fixture(scope="module")
def declarant(live_platform: LivePlatform) -> Iterator[LivePlatform]:
    subprocess.run(
        [LANGSON, "shell", "--no-imports", "-c", SETUP],
        env=live_platform.env,
        check=True,
        capture_output=True,
        text=True,
    )
    yield live_platform


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The four files of one shipment and what each should read as (its ground truth)."""
    from langson.border import synth

    facts = synth.make_shipment(SEED, mismatch=MISMATCH)
    folder = tmp_path_factory.mktemp("border-journey")
    out: dict[str, Any] = {}
    for document_type, degradation in DEGRADATIONS.items():
        document = synth.generate(
            document_type, degradation=degradation, seed=SEED, shipment=facts, file_format="png"
        )
        path = folder / f"{document_type}.png"
        path.write_bytes(document.to_bytes())
        out[document_type] = {"path": path, "truth": document.truth}
    return out


def log_in(page: Page, live: LivePlatform) -> None:
    page.goto(live.url("/login/"))
    page.locator("#id_username").fill(DECLARANT)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button.primary[type=submit]").click()


def pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.get_textpage().get_text_range() for page in document).split())


def test_upload_review_correct_mismatch_and_declaration_pdf(
    browser_page: Page, declarant: LivePlatform, documents: dict[str, Any], tmp_path: Path
):
    """On the cheap phone of conftest (360 px): declarants photograph and send their papers from the yard."""
    live, page = declarant, browser_page
    page.set_default_timeout(60_000)  # waits, not budgets: the whole journey is bounded by JOURNEY_BUDGET
    started = time.monotonic()
    log_in(page, live)
    page.goto(live.url("/cua-khau/lo-hang/"))
    page.get_by_label("Nhập khẩu").check()
    page.locator("#id_border_gate").select_option(label=GATE)
    with page.expect_navigation():
        page.locator("[data-testid=create-shipment]").click()
    reference = page.locator("[data-testid=reference]").inner_text().strip()
    assert reference.startswith("LH")

    # 1. Upload the four documents at once; each is read in the request.
    page.locator("input[name=upload]").set_input_files([str(d["path"]) for d in documents.values()])
    with page.expect_navigation(timeout=60_000):
        page.locator("[data-testid=upload]").click(timeout=60_000)  # the four are read in the request
    rows = page.locator("[data-testid=document-row]")
    expect(rows).to_have_count(4)
    expect(page.locator("[data-testid=document-row][data-status=extracted]")).to_have_count(4)
    for document_type in DEGRADATIONS:
        expect(page.locator(f"[data-testid=document-row][data-type={document_type}]")).to_have_count(1)

    # 2. The CMR's page with each field boxed over the image, flagged fields first.
    page.locator("[data-testid=open-cmr]").click()
    expect(page.locator("[data-testid=document-type]")).to_have_text("Vận đơn đường bộ (CMR)")
    image = page.locator("[data-testid=page-image]").first
    expect(image).to_be_visible()
    boxes = page.locator("[data-testid=box]")
    expect(boxes.first).to_be_visible()  # placed once the image's natural size is known
    assert boxes.count() >= 6
    # Each box covers its value's pixels: bbox scaled from the image's natural size to its shown size.
    natural = image.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    frame = image.bounding_box()
    assert frame
    for i in range(boxes.count()):
        x0, y0, x1, y1 = (float(v) for v in (boxes.nth(i).get_attribute("data-bbox") or "").split(","))
        shown = boxes.nth(i).bounding_box()
        assert shown
        scale_x, scale_y = frame["width"] / natural[0], frame["height"] / natural[1]
        assert abs(shown["x"] - (frame["x"] + x0 * scale_x)) < 2
        assert abs(shown["y"] - (frame["y"] + y0 * scale_y)) < 2
        # (a box is never drawn narrower than its two 2-px borders)
        assert abs(shown["width"] - max((x1 - x0) * scale_x, 4)) < 2
        assert abs(shown["height"] - max((y1 - y0) * scale_y, 4)) < 2
    expect(page.locator(".box.flagged").first).to_be_visible()
    field_rows = page.locator("[data-testid=field-row]")
    assert field_rows.first.get_attribute("data-flagged") == "1"

    # 3. Correct the first flagged field that is printed on the page to what the page says.
    truth = documents["cmr"]["truth"]["fields"]
    flagged = page.locator("[data-testid=field-row][data-flagged='1']")
    names = [flagged.nth(i).get_attribute("data-field") for i in range(flagged.count())]
    field = next(name for name in names if name in truth)
    expected = truth[field]["value"]
    row = page.locator(f"[data-testid=field-row][data-field='{field}']")
    row.locator("[data-testid=pick-field]").click()
    expect(page.locator("#id_field")).to_have_value(field)
    page.locator("#id_value").fill(expected)
    with page.expect_navigation():
        page.locator("[data-testid=save-correction]").click()
    row = page.locator(f"[data-testid=field-row][data-field='{field}']")
    expect(row.locator("[data-testid=field-value]")).to_have_text(expected)
    expect(row.locator("[data-testid=corrected-mark]")).to_be_visible()
    expect(page.locator("[data-testid=corrections]")).to_contain_text(expected)

    # 4. The shipment shows the disagreement between the CMR and the Form E.
    page.locator("[data-testid=back-to-shipment]").click()
    issue = page.locator(f"[data-testid=shipment-issues] [data-code={MISMATCH_CODE}]")
    expect(issue).to_be_visible()
    expect(issue).to_contain_text(re.compile("vận đơn", re.IGNORECASE))
    expect(issue).to_contain_text("C/O mẫu E")

    # 5. The declaration draft as PDF.
    with page.expect_download() as download_info:
        page.locator("[data-testid=declaration-pdf]").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF-")
    text = pdf_text(saved)
    assert "TỜ KHAI HÀNG HÓA NHẬP KHẨU" in text
    assert reference in text
    assert "A11" in text
    assert "Cần sửa" in text  # the mismatch is printed among the findings
    elapsed = time.monotonic() - started
    assert elapsed < JOURNEY_BUDGET, f"the journey took {elapsed:.1f} s"
