"""BM.01 (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) and BM.05 (Phiếu kiểm soát quá trình) as real PDFs."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import pytest
import segno
from django.utils import translation
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm

from langson.core.models import OrgUnit
from langson.services import workflow
from langson.services.deadlines import LOCAL_TZ
from langson.services.models import Dossier, Procedure
from langson.services.receipt import (
    QR_QUIET_ZONE,
    centre_name,
    control_sheet_pdf,
    mask_identity,
    qr_matrix,
    receipt_pdf,
)
from langson.services.storage import Attachment

pytestmark = pytest.mark.django_db

DONG_DANG = "6184"
IDENTITY = "020090001234"
APPLICANT = {
    "applicant_name": "Hoàng Văn Pác",
    "applicant_id": IDENTITY,
    "applicant_phone": "0912345678",
    "applicant_email": "hoangpac@example.vn",
    "applicant_address": "Thôn Bản Đuốc, xã Đồng Đăng, tỉnh Lạng Sơn",
}
OFFICER = "Nông Thị Lan"
LOOKUP = "https://dichvucong.langson.gov.vn/dich-vu-cong/tra-cuu/?ma="


@pytest.fixture(autouse=True)
def files_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.DOSSIER_FILES_DIR = tmp_path / "dossiers"


@pytest.fixture
def birth() -> Procedure:
    """Đăng ký khai sinh (sample data), kept at the receiving commune."""
    return Procedure.objects.create(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        field="Hộ tịch",
        level="commune",
        deadline_days=3,
        documents=[
            {"code": "TK", "name": "Tờ khai đăng ký khai sinh", "required": True, "copies": 1},
            {"code": "GCS", "name": "Giấy chứng sinh", "required": True, "copies": 1},
            {"code": "UQ", "name": "Văn bản ủy quyền", "required": False, "copies": 1},
        ],
        steps=[
            {"name": "Tiếp nhận", "days": 0},
            {"name": "Thẩm định", "days": 2},
            {"name": "Ký", "days": 1},
            {"name": "Trả kết quả", "days": 0},
        ],
        online="full",
        anywhere=False,
    )


@pytest.fixture
def officer(make_user: Any) -> Any:
    user = make_user("lan.dongdang", "commune_officer", DONG_DANG)
    user.full_name = OFFICER
    user.save()
    return user


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=LOCAL_TZ)


def files(*kinds: str) -> list[Attachment]:
    return [Attachment(kind, f"{kind.lower()}-scan.pdf", b"%PDF-1.7\n" + kind.encode()) for kind in kinds]


@pytest.fixture
def finished(birth: Procedure, officer: Any) -> Dossier:
    """Received at the Đồng Đăng counter on Tue 01/12/2026 09:30, claimed at 10:15, Thẩm định done on 02/12
    16:00, result on 03/12 14:05."""
    dossier = workflow.submit(
        birth,
        APPLICANT,
        files("GCS", "TK", "UQ"),  # in another order than the procedure's: the receipt uses the procedure's
        channel="counter",
        received_unit=OrgUnit.objects.get(code=DONG_DANG),
        officer=officer,
        now=at(1, 9, 30),
    )
    workflow.claim(dossier, officer, now=at(1, 10, 15))
    workflow.advance(dossier, officer, now=at(2, 16))
    workflow.finish(dossier, officer, now=at(3, 14, 5))
    return dossier


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def in_order(text: str, parts: list[str]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def test_receipt_is_an_a5_page_of_real_vietnamese_text(finished: Dossier) -> None:
    data = receipt_pdf(finished, LOOKUP + finished.code)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(A5[0]), round(A5[1]))
    text = pdf_text(data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN XÃ ĐỒNG ĐĂNG" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐỒNG ĐĂNG" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {finished.code}" in text
    assert "Hoàng Văn Pác" in text and "0912345678" in text and "Thôn Bản Đuốc" in text
    assert "Thủ tục đăng ký khai sinh" in text and "1.001193" in text
    # The documents received, named by their components, in the procedure's order.
    assert in_order(text, ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Văn bản ủy quyền"])
    assert "Số lượng hồ sơ: 01 bộ" in text
    assert "03 ngày làm việc" in text
    assert "Thời gian nhận hồ sơ: 09:30 ngày 01/12/2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 17:00 ngày 04/12/2026" in text  # Tue + 3 working days
    assert "Đăng ký nhận kết quả tại: Trung tâm Phục vụ hành chính công xã Đồng Đăng" in text
    assert in_order(text, ["NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Hoàng Văn Pác", OFFICER])
    # The identity number is masked but for its last four digits, in the text and in the metadata.
    assert "********1234" in text
    assert IDENTITY not in text and IDENTITY[:8] not in text
    assert all(IDENTITY not in str(value) for value in (reader.metadata or {}).values())
    # The code is printed under the QR code, and the address is there for those who cannot scan.
    assert text.count(finished.code) >= 2
    assert (LOOKUP + finished.code) in text.replace(" ", "")


def test_receipt_stays_vietnamese_when_the_page_is_in_english(finished: Dossier) -> None:
    with translation.override("en"):
        text = pdf_text(receipt_pdf(finished, LOOKUP + finished.code))
        sheet = pdf_text(control_sheet_pdf(finished))
        assert translation.get_language() == "en"  # the page's language is given back after rendering
    assert "Trực tiếp tại Bộ phận Một cửa" in text and "Hình thức nộp" in text
    assert "Tiếp nhận" in sheet and "Trước hạn" in sheet and "Acknowledge" not in sheet


def test_receipt_of_an_online_dossier_waiting_for_reception(birth: Procedure) -> None:
    dossier = workflow.submit(
        birth,
        {"applicant_name": "Lộc Thị Mai", "applicant_id": "0101234567-001"},
        files("TK", "GCS"),
        channel="online",
        received_unit=OrgUnit.objects.get(code=DONG_DANG),
        now=at(5, 20, 45),  # a Saturday evening
    )
    text = pdf_text(receipt_pdf(dossier, LOOKUP + dossier.code))
    assert "đã nhận hồ sơ nộp trực tuyến (đang chờ tiếp nhận)" in text
    assert "Thời gian nhận hồ sơ: 20:45 ngày 05/12/2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: sẽ hẹn khi tiếp nhận" in text
    assert "*********7-001" in text and "0101234567" not in text
    assert "Điện thoại" not in text and "Địa chỉ:" not in text  # nothing to print for empty fields


def test_supplemented_files_are_marked_with_their_round(birth: Procedure, officer: Any) -> None:
    dossier = workflow.submit(
        birth,
        APPLICANT,
        files("TK", "GCS"),
        channel="counter",
        received_unit=OrgUnit.objects.get(code=DONG_DANG),
        officer=officer,
        now=at(1, 9),
    )
    workflow.request_supplement(dossier, officer, "Giấy chứng sinh bị mờ.", now=at(1, 14))
    workflow.supplement(dossier, [Attachment("GCS", "gcs-lan-2.pdf", b"%PDF-1.7\nmoi")], now=at(7, 8))
    text = pdf_text(receipt_pdf(dossier, LOOKUP + dossier.code))
    assert "gcs-lan-2.pdf (bổ sung lần 1)" in text
    assert "Thời gian nhận hồ sơ: 08:00 ngày 07/12/2026" in text  # the clock restarted at the complete hồ sơ
    assert "17:00 ngày 10/12/2026" in text


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("020090001234", "********1234"),
        (" 020090001234 ", "********1234"),
        ("0101234567", "******4567"),
        ("0101234567-001", "*********7-001"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_mask_identity(value: str, masked: str) -> None:
    assert mask_identity(value) == masked


def test_centre_names() -> None:
    assert (
        centre_name(OrgUnit.objects.get(code=DONG_DANG)) == "Trung tâm Phục vụ hành chính công xã Đồng Đăng"
    )
    province = OrgUnit.objects.get(kind=OrgUnit.Kind.PROVINCE)
    assert centre_name(province) == "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"


# --- The QR code --------------------------------------------------------------------------------------------


def segno_booleans(data: str) -> list[list[bool]]:
    return [[bool(module) for module in row] for row in segno.make(data, error="m").matrix]


def test_qr_matrix_is_segnos_full_qr_code() -> None:
    url = LOOKUP + "LS.6184-261201-0001"
    assert qr_matrix(url) == segno_booleans(url)
    # A short text never becomes a Micro QR (21 modules is the smallest full QR code), which phones misread.
    assert len(qr_matrix("LS.1")) >= 21
    assert segno.make("LS.1", error="m").is_micro


Matrix = tuple[float, float, float, float, float, float]
IDENTITY_MATRIX: Matrix = (1, 0, 0, 1, 0, 0)


def _multiply(m1: Matrix, m2: Matrix) -> Matrix:
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def filled_rectangles(data: bytes) -> dict[str, list[tuple[float, float, float, float]]]:
    """Every rectangle filled on the first page, in page coordinates (x0, y0, x1, y1), by fill colour
    ("black", "white", "other"): a small interpreter of q/Q/cm, fill colours, re and the fill operators."""
    reader = PdfReader(io.BytesIO(data))
    contents = reader.pages[0].get_contents()
    assert contents is not None
    ctm, fill = IDENTITY_MATRIX, "black"
    stack: list[tuple[Matrix, str]] = []
    pending: list[tuple[float, float, float, float]] = []
    found: dict[str, list[tuple[float, float, float, float]]] = {"black": [], "white": [], "other": []}
    for operands, operator in contents.operations:
        values = [float(v) for v in operands] if operator in (b"cm", b"re", b"rg", b"g", b"k") else []
        if operator == b"q":
            stack.append((ctm, fill))
        elif operator == b"Q":
            ctm, fill = stack.pop()
        elif operator == b"cm":
            ctm = _multiply(tuple(values), ctm)  # type: ignore[arg-type]
        elif operator in (b"rg", b"g", b"k"):
            black = values == [0, 0, 0, 1] if operator == b"k" else all(v == 0 for v in values)
            white = operator != b"k" and all(v == 1 for v in values)
            fill = "black" if black else "white" if white else "other"
        elif operator == b"re":
            x, y, w, h = values
            a, b, c, d, e, f = ctm
            assert b == c == 0  # no rotation on these pages
            x0, y0 = a * x + e, d * y + f
            x1, y1 = a * (x + w) + e, d * (y + h) + f
            pending.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        elif operator in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            found[fill] += pending
            pending = []
        elif operator in (b"n", b"S", b"s"):
            pending = []
    return found


def test_the_qr_code_drawn_on_the_receipt_is_the_lookup_urls(finished: Dossier) -> None:
    """Read the QR code back from the PDF's vector drawing: sample the black rectangles at the centre of every
    module and compare with the matrix of the URL. With ``qr_matrix`` equal to segno's encoding of the URL
    (test above), the printed symbol is segno's QR code of the URL, module for module."""
    url = LOOKUP + finished.code
    expected = qr_matrix(url)
    size = len(expected)
    black = filled_rectangles(receipt_pdf(finished, url))["black"]
    assert black
    left, bottom = min(r[0] for r in black), min(r[1] for r in black)
    right, top = max(r[2] for r in black), max(r[3] for r in black)
    # Finder patterns sit in three corners, so the black bounding box is the whole symbol.
    module = (right - left) / size
    assert (top - bottom) / size == pytest.approx(module)
    assert module >= 0.5 * mm  # printable and scannable by a phone at arm's length

    def dark(row: int, column: int) -> bool:
        x, y = left + (column + 0.5) * module, top - (row + 0.5) * module
        return any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in black)

    drawn = [[dark(row, column) for column in range(size)] for row in range(size)]
    assert drawn == expected
    # The rectangles cover exactly the dark modules (nothing else is filled black on the receipt).
    area = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in black) / module**2
    assert round(area) == sum(map(sum, expected))
    # A white square with the quiet zone of four modules lies under the symbol.
    quiet = QR_QUIET_ZONE * module
    assert any(
        x0 == pytest.approx(left - quiet)
        and y0 == pytest.approx(bottom - quiet)
        and x1 == pytest.approx(right + quiet)
        and y1 == pytest.approx(top + quiet)
        for x0, y0, x1, y1 in filled_rectangles(receipt_pdf(finished, url))["white"]
    )


# --- BM.05 --------------------------------------------------------------------------------------------------


def test_control_sheet_lists_the_steps_in_order(finished: Dossier) -> None:
    data = control_sheet_pdf(finished)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(A4[0]), round(A4[1]))
    text = pdf_text(data)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {finished.code}" in text
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Thời gian hẹn trả kết quả: 17:00 ngày 04/12/2026" in text
    assert "Có kết quả (Trước hạn)" in text
    assert in_order(
        text,
        [
            "Tiếp nhận",
            "09:30 01/12/2026",
            OFFICER,
            "17:00 01/12/2026",  # the due time of the reception step (0 days)
            "Đúng hạn",
            "Phân công",
            "10:15 01/12/2026",
            "Chuyển bước",
            "Thẩm định",
            "16:00 02/12/2026",
            "17:00 03/12/2026",  # 2 working days after the receipt
            "Trước hạn",
            "Chuyển bước",
            "Ký",
            "14:05 03/12/2026",
            "17:00 04/12/2026",
            "Trước hạn",
            "Có kết quả",
            "14:05 03/12/2026",
            "Trước hạn",
            "Trang 1/1",
        ],
    )
    assert "Xã Đồng Đăng" in text  # the units that gave and took the hồ sơ
    assert IDENTITY not in text


def test_control_sheet_of_a_supplemented_dossier_shows_the_reason_and_the_applicant(
    birth: Procedure, officer: Any
) -> None:
    dossier = workflow.submit(
        birth,
        APPLICANT,
        files("TK", "GCS"),
        channel="online",
        received_unit=OrgUnit.objects.get(code=DONG_DANG),
        now=at(1, 8),
    )
    workflow.receive(dossier, officer, now=at(1, 9))
    workflow.request_supplement(dossier, officer, "Giấy chứng sinh bị mờ, chụp lại.", now=at(1, 14))
    workflow.supplement(dossier, files("GCS"), now=at(2, 8))
    text = pdf_text(control_sheet_pdf(dossier))
    assert in_order(
        text,
        [
            "Nộp trực tuyến",
            "08:00 01/12/2026",
            "Người nộp hồ sơ",
            "Tiếp nhận",
            "09:00 01/12/2026",
            "Yêu cầu bổ sung",
            "14:00 01/12/2026",
            "Giấy chứng sinh bị mờ, chụp lại.",
            "Bổ sung hồ sơ",
            "08:00 02/12/2026",
        ],
    )
