"""Paper forms of a hồ sơ as PDF: BM.01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (A5 portrait) and BM.05 Phiếu
kiểm soát quá trình giải quyết hồ sơ (A4 portrait).

The forms are the TT 01/2018 family still used under Circular 03/2025/TT-VPCP (reference §6). Their text is
Vietnamese whatever the language of the page that asks for them: they are legal documents handed to the
applicant or filed with the paper hồ sơ. DejaVu Sans is embedded (``langson.core.pdf``), so the
diacritics are real, extractable text. The QR code of the receipt is drawn as vector rectangles from segno's
module matrix: sharp at any printer resolution, no image library involved.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

import segno
from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from langson.core import pdf as fonts
from langson.core.models import OrgUnit
from langson.core.pdf_forms import (
    FRAME_PADDING,
    HEADER_FILL,
    RULE,
    FormCanvas,
    field,
    form_document,
    form_styles,
    national_header,
    para,
    plain_table,
)
from langson.services.deadlines import LOCAL_TZ
from langson.services.models import Dossier, DossierEvent

K = OrgUnit.Kind
RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
CONTROL_TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
QR_QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires
QR_SIZE = 30 * mm  # with the quiet zone; a lookup URL gives version 3–5, i.e. modules of 0.6–0.8 mm
QR_MIN_MODULE = 0.5 * mm  # a longer text makes the symbol bigger rather than its modules too small to scan
APPLICANT_ACTIONS = {DossierEvent.Action.SUBMIT, DossierEvent.Action.SUPPLEMENT, DossierEvent.Action.RATE}


# --- Small formatting helpers -------------------------------------------------------------------------------


def mask_identity(value: str, keep: int = 4) -> str:
    """The số định danh with every letter or digit but the last ``keep`` replaced by "*".

    Why masked: the receipt is handed over the counter and is routinely photographed and sent on (Zalo, to a
    relative who collects the result), or left lying about; a full citizen ID number (CCCD) is personal data
    whose disclosure Decree 13/2023/NĐ-CP and the Law on Personal Data Protection forbid without need. The
    receipt does not need it: the officer who returns the result checks the person's ID card against the hồ sơ
    in the system, and the last four digits are enough for the applicant to recognise their own paper. The
    full number stays in the hồ sơ and on the internal forms. Separators (the "-" of a branch tax code) are
    kept, so the shape of the number is still recognisable. An identifier of ``keep`` characters or fewer is
    masked entirely: showing "the last four" of it would show all of it.
    """
    value = value.strip()
    total = sum(ch.isalnum() for ch in value)
    visible_from = total - keep if total > keep else total
    out: list[str] = []
    seen = 0
    for ch in value:
        if ch.isalnum():
            out.append("*" if seen < visible_from else ch)
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def format_moment(moment: datetime | None) -> str:
    """The moment as the forms write it, "hh:mm ngày dd/mm/yyyy", in Lạng Sơn time."""
    if moment is None:
        return ""
    local = moment.astimezone(LOCAL_TZ)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def format_short(moment: datetime | None) -> str:
    """The moment as "hh:mm dd/mm/yyyy", for table cells."""
    return f"{moment.astimezone(LOCAL_TZ):%H:%M %d/%m/%Y}" if moment is not None else ""


def deadline_text(days: int) -> str:
    return "Trong ngày" if days == 0 else f"{days:02d} ngày làm việc"


def _lower_first(value: str) -> str:
    return value[:1].lower() + value[1:]


def authority_name(unit: OrgUnit) -> str:
    """The administrative body of a unit: a commune, a ward or the province is its People's Committee."""
    if unit.kind in (K.COMMUNE, K.WARD, K.PROVINCE):
        return "Ủy ban nhân dân " + _lower_first(unit.name)
    return unit.name


def centre_name(unit: OrgUnit) -> str:
    """The one-stop section (Bộ phận Một cửa) that receives or returns at ``unit``.

    Since 01/07/2025 the one-stop section of a commune, a ward or the province is its Trung tâm Phục vụ hành
    chính công (reference §2); the seeded centre of a commune is used when there is one.
    """
    if unit.kind == K.ONE_STOP:
        return unit.name
    if unit.kind in (K.COMMUNE, K.WARD):
        centre = (
            OrgUnit.objects.filter(kind=K.ONE_STOP, commune=unit, is_active=True).order_by("code").first()
        )
        if centre is not None:
            return centre.name
    if unit.kind in (K.COMMUNE, K.WARD, K.PROVINCE):
        return "Trung tâm Phục vụ hành chính công " + _lower_first(unit.name)
    return f"Bộ phận Một cửa - {unit.name}"


def _header_lines(unit: OrgUnit) -> tuple[str, str]:
    """The two lines of the top-left block: the governing body and the receiving section."""
    if unit.kind == K.ONE_STOP:
        return (authority_name(unit.parent) if unit.parent is not None else "", unit.name)
    if unit.kind in (K.COMMUNE, K.WARD, K.PROVINCE):
        return authority_name(unit), centre_name(unit)
    return unit.name, "Bộ phận Một cửa"


def person_name(user: Any) -> str:
    return str(user) if user is not None else ""


# --- QR code ------------------------------------------------------------------------------------------------


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of the QR code of ``data``, row by row from the top, True = dark; no quiet zone.

    Error correction M (15 % of the symbol may be lost: a creased or stamped receipt still scans), boosted by
    segno when the same version allows more. Never a Micro QR, which most phone cameras do not read.
    """
    code = segno.make(data, error="m", micro=False)
    return [[bool(module) for module in row] for row in code.matrix]


def _runs(row: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """(start, length) of each horizontal run of dark modules."""
    start: int | None = None
    for column, dark in enumerate([*row, False]):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            yield start, column - start
            start = None


class QrCode(Flowable):
    """A QR code drawn as one vector path of black rectangles (a rectangle per horizontal run of dark modules)
    on a white square that includes the quiet zone. One fill operation: no hairline seams between modules."""

    def __init__(self, data: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.matrix = qr_matrix(data)
        modules = len(self.matrix) + 2 * QR_QUIET_ZONE
        self.width = self.height = max(size, modules * QR_MIN_MODULE)
        self.module = self.width / modules

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        module = self.module
        canvas.saveState()
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        path = canvas.beginPath()
        for row_number, row in enumerate(self.matrix):
            y = self.height - (QR_QUIET_ZONE + row_number + 1) * module
            for start, length in _runs(row):
                path.rect((QR_QUIET_ZONE + start) * module, y, length * module, module)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


# --- BM.01 --------------------------------------------------------------------------------------------------


def _documents_received(dossier: Dossier) -> list[tuple[str, list[str]]]:
    """(component name, file names) of the files of the hồ sơ, in the procedure's order of components; a
    supplement's files are marked with their round."""
    names = {d["code"]: d["name"] for d in dossier.procedure.documents}
    order = {code: position for position, code in enumerate(names)}
    grouped: dict[str, list[str]] = {}
    for document in dossier.documents.all():
        label = document.name + (f" (bổ sung lần {document.round})" if document.round else "")
        grouped.setdefault(document.kind, []).append(label)
    kinds = sorted(grouped, key=lambda kind: (order.get(kind, len(order)), kind))
    return [(names.get(kind, kind), grouped[kind]) for kind in kinds]


def _receiving_officer(dossier: Dossier) -> str:
    event = (
        dossier.events.filter(action=DossierEvent.Action.RECEIVE)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return person_name(event.actor) if event is not None else ""


def receipt_pdf(dossier: Dossier, lookup_url: str) -> bytes:
    """BM.01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả, A5 portrait, Vietnamese, with a QR code of
    ``lookup_url`` (the public lookup page of the hồ sơ) and the code printed under it.

    The số định danh is printed masked but for its last four digits (see ``mask_identity``). An online hồ sơ
    still waiting for reception shows its submission time and "sẽ hẹn khi tiếp nhận" for the return date:
    the legal clock starts at reception.
    """
    fonts.register_fonts()
    with translation.override("vi"):
        return _receipt(dossier, lookup_url)


def _receipt(dossier: Dossier, lookup_url: str) -> bytes:
    procedure = dossier.procedure
    styles = form_styles(8.5)
    margin = 11 * mm
    width = A5[0] - 2 * (margin + FRAME_PADDING)
    waiting = dossier.status == Dossier.Status.WAITING or dossier.received_at is None
    received = dossier.submitted_at if waiting else dossier.received_at
    centre = centre_name(dossier.received_unit)

    story: list[Any] = [
        national_header(_header_lines(dossier.received_unit), received, styles, width),
        para(RECEIPT_TITLE, styles["title"]),
        Paragraph(f"Mã hồ sơ: <b>{escape(dossier.code)}</b>", styles["centre"]),
        Spacer(1, 2.5 * mm),
    ]
    if waiting:
        pending = " (đang chờ tiếp nhận)" if dossier.status == Dossier.Status.WAITING else ""
        intro = f"{centre} đã nhận hồ sơ nộp trực tuyến{pending} của:"
    else:
        intro = f"{centre} đã tiếp nhận hồ sơ của:"
    story.append(para(intro, styles["body"]))
    story.append(field("Ông/bà", dossier.applicant_name, styles["body"]))
    story.append(field("Số định danh cá nhân/tổ chức", mask_identity(dossier.applicant_id), styles["body"]))
    contact = [("Điện thoại", dossier.applicant_phone), ("Thư điện tử", dossier.applicant_email)]
    contact_text = "; ".join(f"{escape(k)}: <b>{escape(v)}</b>" for k, v in contact if v)
    if contact_text:
        story.append(Paragraph(contact_text, styles["body"]))
    if dossier.applicant_address:
        story.append(field("Địa chỉ", dossier.applicant_address, styles["body"]))
    story.append(
        Paragraph(
            f"Nội dung yêu cầu giải quyết: <b>{escape(procedure.name)}</b> "
            f"(mã thủ tục {escape(procedure.code)})",
            styles["body"],
        )
    )
    if dossier.request.strip():
        story.append(para(dossier.request.strip(), styles["small"]))
    story.append(field("Hình thức nộp", dossier.get_channel_display(), styles["body"]))

    story.append(para("1. Thành phần hồ sơ nộp gồm:", styles["body"]))
    received_documents = _documents_received(dossier)
    if received_documents:
        rows: list[list[Any]] = [
            [
                para(f"{number}.", styles["cell"]),
                [para(name, styles["cell"]), para(", ".join(files), styles["small"])],
            ]
            for number, (name, files) in enumerate(received_documents, start=1)
        ]
        story.append(
            plain_table(
                rows,
                [7 * mm, width - 7 * mm],
                [("LEFTPADDING", (0, 0), (0, -1), 3 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)],
            )
        )
    else:
        story.append(para("(không có thành phần hồ sơ điện tử)", styles["small"]))
    story.append(field("2. Số lượng hồ sơ", "01 bộ", styles["body"]))
    story.append(
        field(
            "3. Thời gian giải quyết hồ sơ theo quy định",
            deadline_text(procedure.deadline_days),
            styles["body"],
        )
    )
    story.append(field("4. Thời gian nhận hồ sơ", format_moment(received), styles["body"]))
    due = "sẽ hẹn khi tiếp nhận" if waiting or dossier.due_at is None else format_moment(dossier.due_at)
    story.append(field("5. Thời gian trả kết quả giải quyết hồ sơ", due, styles["body"]))
    if dossier.extended_due_at is not None:
        story.append(
            field(
                "Hẹn lại ngày trả kết quả (Phiếu xin lỗi)",
                format_moment(dossier.extended_due_at),
                styles["body"],
            )
        )
    story.append(field("6. Đăng ký nhận kết quả tại", centre_name(dossier.return_unit), styles["body"]))
    story.append(Spacer(1, 2 * mm))

    qr = QrCode(lookup_url)
    qr_block = [qr, para(dossier.code, styles["small_centre"])]
    lookup_text = [
        para("Tra cứu tình trạng hồ sơ:", styles["bold"]),
        para("quét mã QR bên cạnh, hoặc mở địa chỉ", styles["small"]),
        para(lookup_url, styles["small"]),
        para("Vui lòng giữ giấy này và mang theo giấy tờ tùy thân khi nhận kết quả.", styles["small"]),
    ]
    qr_width = qr.width + 4 * mm
    story.append(
        KeepTogether(
            plain_table(
                [[lookup_text, qr_block]],
                [width - qr_width, qr_width],
                [("VALIGN", (0, 0), (0, 0), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "CENTER")],
            )
        )
    )
    story.append(Spacer(1, 3 * mm))
    officer = "" if waiting else _receiving_officer(dossier)
    signatures = [
        [
            para("NGƯỜI NỘP HỒ SƠ", styles["centre_bold"]),
            para("NGƯỜI TIẾP NHẬN HỒ SƠ", styles["centre_bold"]),
        ],
        [
            para("(Ký và ghi rõ họ tên)", styles["small_centre"]),
            para("(Ký và ghi rõ họ tên)", styles["small_centre"]),
        ],
        [Spacer(1, 14 * mm), Spacer(1, 14 * mm)],
        [para(dossier.applicant_name, styles["centre_bold"]), para(officer, styles["centre_bold"])],
    ]
    story.append(KeepTogether(plain_table(signatures, [width / 2, width / 2], [])))

    buffer = io.BytesIO()
    document = form_document(
        buffer,
        A5,
        margin,
        title=f"{RECEIPT_TITLE.capitalize()} {dossier.code}",
        author=centre,
        subject=procedure.name,
    )
    maker = partial(FormCanvas, footer=f"Mã hồ sơ {dossier.code}", always=False)
    document.build(story, canvasmaker=maker)
    return buffer.getvalue()


# --- BM.05 --------------------------------------------------------------------------------------------------

# STT, việc, giao → nhận, thời gian, cán bộ, hạn của bước, kết quả; the note takes the rest of the width.
CONTROL_COLUMNS = (8 * mm, 28 * mm, 36 * mm, 24.5 * mm, 24 * mm, 24.5 * mm, 16 * mm)


def _units(event: DossierEvent) -> str:
    giver = event.from_unit.name if event.from_unit is not None else ""
    taker = event.to_unit.name if event.to_unit is not None else ""
    if giver and taker:
        return f"{giver} → {taker}"
    if taker:
        return f"→ {taker}"
    return f"{giver} →" if giver else ""


def _actor(event: DossierEvent) -> str:
    if event.actor is not None:
        return person_name(event.actor)
    return "Người nộp hồ sơ" if event.action in APPLICANT_ACTIONS else ""


def control_sheet_pdf(dossier: Dossier) -> bytes:
    """BM.05 Phiếu kiểm soát quá trình giải quyết hồ sơ, A4 portrait (an A5 page cannot hold eight readable
    columns): one row per ``DossierEvent`` in time order, with the units that gave and took the hồ sơ, the
    time, the officer, the step's due time and its result (trước hạn / đúng hạn / quá hạn) where judged.

    Circular 03/2025 lets the trail be kept automatically by the system and shown on the electronic form,
    so the rows carry no hand signatures; the sheet says so.
    """
    fonts.register_fonts()
    with translation.override("vi"):
        return _control_sheet(dossier)


def _control_sheet(dossier: Dossier) -> bytes:
    styles = form_styles(9.5)
    margin = 10 * mm
    width = A4[0] - 2 * (margin + FRAME_PADDING)
    waiting = dossier.received_at is None
    received = dossier.submitted_at if waiting else dossier.received_at
    story: list[Any] = [
        national_header(_header_lines(dossier.received_unit), received, styles, width),
        para(CONTROL_TITLE, styles["title"]),
        Paragraph(f"Mã hồ sơ: <b>{escape(dossier.code)}</b>", styles["centre"]),
        para(
            f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã số {dossier.code})", styles["small_centre"]
        ),
        Spacer(1, 3 * mm),
        Paragraph(
            f"Thủ tục: <b>{escape(dossier.procedure.name)}</b> (mã thủ tục {escape(dossier.procedure.code)})",
            styles["body"],
        ),
        field("Người nộp hồ sơ", dossier.applicant_name, styles["body"]),
        field("Nơi tiếp nhận", centre_name(dossier.received_unit), styles["body"]),
        field("Cơ quan, đơn vị chủ trì giải quyết", dossier.processing_unit.name, styles["body"]),
        field(
            "Thời gian nộp" if waiting else "Thời gian nhận hồ sơ",
            format_moment(received),
            styles["body"],
        ),
        field(
            "Thời gian hẹn trả kết quả",
            format_moment(dossier.due_at) if dossier.due_at else "sẽ hẹn khi tiếp nhận",
            styles["body"],
        ),
    ]
    if dossier.extended_due_at is not None:
        story.append(
            field("Hẹn lại ngày trả kết quả", format_moment(dossier.extended_due_at), styles["body"])
        )
    status = dossier.get_status_display()
    if dossier.outcome:
        status += f" ({dossier.get_outcome_display()})"
    story.append(field("Trạng thái", status, styles["body"]))
    story.append(Spacer(1, 3 * mm))

    head = [
        "STT",
        "Việc / bước",
        "Giao → nhận hồ sơ",
        "Thời gian",
        "Cán bộ",
        "Hạn của bước",
        "Kết quả",
        "Ghi chú",
    ]
    rows: list[list[Any]] = [[para(label, styles["cell_head"]) for label in head]]
    events = dossier.events.select_related("actor", "from_unit", "to_unit").order_by("at", "id")
    for number, event in enumerate(events, start=1):
        action: list[Any] = [para(event.get_action_display(), styles["cell"])]
        if event.step:
            action.append(para(event.step, styles["small"]))
        rows.append(
            [
                para(str(number), styles["cell"]),
                action,
                para(_units(event), styles["cell"]),
                para(format_short(event.at), styles["cell"]),
                para(_actor(event), styles["cell"]),
                para(format_short(event.step_due_at), styles["cell"]),
                para(event.get_outcome_display() if event.outcome else "", styles["cell"]),
                para(event.note, styles["cell"]),
            ]
        )
    if len(rows) == 1:
        rows.append([para("Chưa có bước xử lý nào.", styles["cell"])] + [""] * (len(head) - 1))
    table = Table(rows, colWidths=[*CONTROL_COLUMNS, width - sum(CONTROL_COLUMNS)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 2 * mm))
    story.append(
        para(
            "Việc lưu vết được thực hiện tự động theo chức năng của Hệ thống thông tin giải quyết thủ tục "
            "hành chính; phiếu được lập từ nhật ký xử lý hồ sơ.",
            styles["small"],
        )
    )
    buffer = io.BytesIO()
    document = form_document(
        buffer,
        A4,
        margin,
        title=f"{CONTROL_TITLE.capitalize()} {dossier.code}",
        author=centre_name(dossier.received_unit),
        subject=dossier.procedure.name,
    )
    maker = partial(FormCanvas, footer=f"Phiếu kiểm soát · Mã hồ sơ {dossier.code}", always=True)
    document.build(story, canvasmaker=maker)
    return buffer.getvalue()


__all__ = [
    "FormCanvas",
    "QrCode",
    "authority_name",
    "centre_name",
    "control_sheet_pdf",
    "deadline_text",
    "field",
    "form_document",
    "form_styles",
    "format_moment",
    "mask_identity",
    "national_header",
    "para",
    "person_name",
    "plain_table",
    "qr_matrix",
    "receipt_pdf",
]
