"""Letters of a hồ sơ to its applicant as PDF: BM.04 Phiếu xin lỗi và hẹn lại ngày trả kết quả (A5 portrait).

The processing body writes it when the hồ sơ is expected to be late, at the latest one working day before the
due day, and moves the return date once (reference §5; ``workflow.apologise`` records it as the "apology"
event). Like the forms of ``receipt.py`` (whose page furniture, styles and formatting it shares) the letter is
Vietnamese whatever the language of the page that asks for it, and A5 as the TT 01/2018 forms are (§6).
"""

from __future__ import annotations

import io
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from langson.core import pdf as fonts
from langson.core.models import OrgUnit
from langson.core.pdf_forms import (
    FRAME_PADDING,
    FormCanvas,
    field,
    form_document,
    form_styles,
    national_header,
    para,
    plain_table,
)
from langson.services.models import Dossier, DossierEvent
from langson.services.receipt import authority_name, centre_name, format_moment, mask_identity, person_name
from langson.services.storage import DossierError

K = OrgUnit.Kind
APOLOGY_TITLE = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"


def apology_event(dossier: Dossier) -> DossierEvent | None:
    """The hồ sơ's apology (the workflow allows one; the latest wins should the trail hold more)."""
    return (
        dossier.events.filter(action=DossierEvent.Action.APOLOGY)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def issuer_lines(unit: OrgUnit) -> tuple[str, str]:
    """The top-left block of a letter signed by the head of ``unit``: the body above it and the unit itself;
    a commune, a ward or the province signs as its People's Committee, with nothing above."""
    if unit.kind in (K.COMMUNE, K.WARD, K.PROVINCE):
        return "", authority_name(unit)
    return (authority_name(unit.parent) if unit.parent is not None else "", unit.name)


def apology_letter_pdf(dossier: Dossier) -> bytes:
    """BM.04 Phiếu xin lỗi và hẹn lại ngày trả kết quả of ``dossier``, A5 portrait, Vietnamese.

    Everything comes from the hồ sơ and its apology event: the reason (the event's note), the new return
    date (its step due time), the letter's date (its time) and the officer who recorded it; the issuing
    body is the processing unit, the original appointment the hồ sơ's due time. The số định danh is masked
    as on the receipt. Raises ``DossierError`` when the hồ sơ has no apology.
    """
    event = apology_event(dossier)
    if event is None:
        raise DossierError(
            "no_apology",
            "Hồ sơ chưa có phiếu xin lỗi và hẹn lại ngày trả kết quả.",
            "The dossier has no apology letter: its return date was never moved.",
        )
    fonts.register_fonts()
    with translation.override("vi"):
        return _apology_letter(dossier, event)


def _apology_letter(dossier: Dossier, event: DossierEvent) -> bytes:
    procedure = dossier.procedure
    unit = dossier.processing_unit
    issuer = authority_name(unit)
    styles = form_styles(9)
    margin = 12 * mm
    width = A5[0] - 2 * (margin + FRAME_PADDING)
    new_due = event.step_due_at or dossier.extended_due_at
    reason = "<br/>".join(escape(line) for line in event.note.strip().splitlines())

    story: list[Any] = [
        national_header(issuer_lines(unit), event.at, styles, width),
        para(APOLOGY_TITLE, styles["title"]),
        Spacer(1, 2.5 * mm),
        Paragraph(f"Kính gửi: Ông/bà <b>{escape(dossier.applicant_name)}</b>", styles["centre"]),
        Spacer(1, 2.5 * mm),
        field("Số định danh cá nhân/tổ chức", mask_identity(dossier.applicant_id), styles["body"]),
    ]
    if dossier.applicant_address:
        story.append(field("Địa chỉ", dossier.applicant_address, styles["body"]))
    story += [
        Spacer(1, 1.5 * mm),
        para(f"{centre_name(dossier.received_unit)} đã tiếp nhận hồ sơ của Ông/bà:", styles["body"]),
        Paragraph(
            f"Thủ tục: <b>{escape(procedure.name)}</b> (mã thủ tục {escape(procedure.code)})", styles["body"]
        ),
        field("Mã số hồ sơ", dossier.code, styles["body"]),
        field("Thời gian nhận hồ sơ", format_moment(dossier.received_at), styles["body"]),
        field("Thời gian hẹn trả kết quả", format_moment(dossier.due_at), styles["body"]),
        Spacer(1, 1.5 * mm),
        para(
            f"Tuy nhiên đến nay, {issuer} chưa trả kết quả giải quyết hồ sơ của Ông/bà đúng thời hạn ghi "
            "trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
            styles["body"],
        ),
        Paragraph(f"Lý do: {reason}", styles["body"]),
        Paragraph(
            f"Sự chậm trễ này đã gây phiền hà cho Ông/bà. {escape(issuer)} xin lỗi Ông/bà và sẽ trả kết quả "
            f"giải quyết hồ sơ cho Ông/bà vào lúc <b>{escape(format_moment(new_due))}</b> tại "
            f"{escape(centre_name(dossier.return_unit))}.",
            styles["body"],
        ),
        para("Xin trân trọng cảm ơn sự hợp tác của Ông/bà./.", styles["body"]),
        Spacer(1, 3 * mm),
    ]

    centres = dict.fromkeys([centre_name(dossier.received_unit), centre_name(dossier.return_unit)])
    recipients: list[Any] = [
        para("Nơi nhận:", styles["bold"]),
        para("- Như trên;", styles["small"]),
        *(para(f"- {centre} (Bộ phận Một cửa);", styles["small"]) for centre in centres),
        para(f"- Lưu: hồ sơ {dossier.code}.", styles["small"]),
    ]
    officer = person_name(event.actor)
    if officer:
        recipients += [Spacer(1, 2 * mm), para(f"Cán bộ lập phiếu: {officer}", styles["small"])]
    signature: list[Any] = [
        para("THỦ TRƯỞNG CƠ QUAN", styles["centre_bold"]),
        para("(Ký, ghi rõ họ tên và đóng dấu; ký số đối với văn bản điện tử)", styles["small_centre"]),
        Spacer(1, 16 * mm),
    ]
    story.append(KeepTogether(plain_table([[recipients, signature]], [width * 0.5, width * 0.5], [])))

    buffer = io.BytesIO()
    document = form_document(
        buffer,
        A5,
        margin,
        title=f"{APOLOGY_TITLE.capitalize()} {dossier.code}",
        author=issuer,
        subject=procedure.name,
    )
    maker = partial(FormCanvas, footer=f"Phiếu xin lỗi · Mã hồ sơ {dossier.code}", always=False)
    document.build(story, canvasmaker=maker)
    return buffer.getvalue()


__all__ = ["APOLOGY_TITLE", "apology_event", "apology_letter_pdf", "issuer_lines"]
