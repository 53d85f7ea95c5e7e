"""The life of a hồ sơ: submission, reception, claim, supplement, refusal, apology, result, return, rating.

Every change is one transaction that also writes its line of the phiếu kiểm soát quá trình
(``DossierEvent``), and every status change is a conditional update on the status the step expects, so two
officers acting on the same hồ sơ at once cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from langson.core.models import OrgUnit
from langson.core.services.calendar import calendar_for
from langson.services import deadlines
from langson.services.assignment import competent_units, propose_unit
from langson.services.codes import agency_identifier, next_code
from langson.services.models import Dossier, DossierDocument, DossierEvent, Procedure
from langson.services.storage import Attachment, DossierError, check_files, store

S = Dossier.Status
A = DossierEvent.Action
APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)


def _required_missing(procedure: Procedure, kinds: Iterable[str]) -> list[str]:
    given = set(kinds)
    return [d["name"] for d in procedure.documents if d.get("required") and d["code"] not in given]


def check_documents(procedure: Procedure, attachments: list[Attachment], *, first: bool = True) -> list[str]:
    """Content types of the files, or a DossierError: unknown component, missing required one, bad file."""
    known = {d["code"] for d in procedure.documents}
    unknown = sorted({a.kind for a in attachments} - known)
    if unknown:
        raise DossierError(
            "unknown_document",
            "Thành phần hồ sơ không có trong thủ tục: " + ", ".join(unknown) + ".",
            "Document kinds not in the procedure: " + ", ".join(unknown) + ".",
        )
    missing = _required_missing(procedure, (a.kind for a in attachments)) if first else []
    if missing:
        raise DossierError(
            "missing_documents",
            "Thiếu thành phần hồ sơ bắt buộc: " + "; ".join(missing) + ".",
            "Required documents are missing: " + "; ".join(missing) + ".",
        )
    return check_files(attachments)


def _event(dossier: Dossier, action: str, at: datetime, actor: Any = None, **fields: Any) -> DossierEvent:
    person = actor if getattr(actor, "is_authenticated", False) else None
    return DossierEvent.objects.create(dossier=dossier, action=action, at=at, actor=person, **fields)


def _save_files(dossier: Dossier, attachments: list[Attachment], types: list[str], round_: int) -> None:
    DossierDocument.objects.bulk_create(
        DossierDocument(
            dossier=dossier,
            kind=a.kind,
            name=a.name[:200],
            content_type=t,
            size=len(a.content),
            sha256=a.sha256,
            round=round_,
        )
        for a, t in zip(attachments, types, strict=True)
    )


def submit(
    procedure: Procedure,
    applicant: dict[str, str],
    attachments: list[Attachment],
    *,
    channel: str,
    received_unit: OrgUnit,
    return_unit: OrgUnit | None = None,
    request: str = "",
    officer: Any = None,
    account: Any = None,
    now: datetime | None = None,
) -> Dossier:
    """Nộp hồ sơ: online (waits for an officer to receive it) or at a counter (received at once).

    Everything is checked before anything is stored; the hồ sơ, its files' rows and its first event are one
    transaction, so a crash leaves a whole hồ sơ or none.
    """
    now = now or timezone.now()
    if not procedure.active:
        raise DossierError(
            "inactive_procedure", "Thủ tục này đã ngừng áp dụng.", "This procedure is no longer in use."
        )
    if channel == Dossier.Channel.ONLINE and procedure.online == Procedure.Online.NONE:
        raise DossierError(
            "not_online",
            "Thủ tục này chưa nộp trực tuyến được.",
            "This procedure cannot be submitted online.",
        )
    missing = [f for f in ("applicant_name", "applicant_id") if not (applicant.get(f) or "").strip()]
    if missing:
        raise DossierError(
            "missing_applicant",
            "Thiếu họ tên hoặc số định danh của người nộp.",
            "The applicant's name or identity number is missing.",
        )
    types = check_documents(procedure, attachments)
    for attachment in attachments:
        store(attachment)
    processing_unit = propose_unit(procedure, received_unit, now)
    counter = channel != Dossier.Channel.ONLINE
    with transaction.atomic():
        dossier = Dossier.objects.create(
            code=next_code(agency_identifier(processing_unit), now.astimezone(deadlines.LOCAL_TZ).date()),
            procedure=procedure,
            channel=channel,
            status=S.RECEIVED if counter else S.WAITING,
            request=request,
            received_unit=received_unit,
            processing_unit=processing_unit,
            return_unit=return_unit or received_unit,
            submitted_at=now,
            submitted_by=account if getattr(account, "is_authenticated", False) else None,
            received_at=now if counter else None,
            due_at=_due(procedure, received_unit, now) if counter else None,
            **{f: (applicant.get(f) or "").strip() for f in APPLICANT_FIELDS},
        )
        _save_files(dossier, attachments, types, 0)
        _event(
            dossier,
            A.RECEIVE if counter else A.SUBMIT,
            now,
            officer,
            to_unit=received_unit,
            step_due_at=dossier.due_at,
        )
    return dossier


def _due(procedure: Procedure, unit: OrgUnit, received_at: datetime) -> datetime:
    return deadlines.promised_return(calendar_for(unit), received_at, procedure.deadline_days)


def _transition(
    dossier: Dossier, expected: Iterable[str], where: dict[str, Any] | None = None, **changes: Any
) -> None:
    """Change the hồ sơ only if it is still in an expected status (and matches ``where``), under a row lock:
    of two officers acting at once, the second sees the first one's change and is refused. Saved through
    the model, so the change is in the audit log. Call inside a transaction."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if locked.status not in set(expected) or any(getattr(locked, k) != v for k, v in (where or {}).items()):
        dossier.refresh_from_db()
        raise DossierError(
            "conflict",
            f"Hồ sơ {dossier.code} đã được xử lý bởi người khác hoặc không ở bước này "
            f"(trạng thái: {locked.get_status_display()}).",
            f"Dossier {dossier.code} was handled by someone else or is not at this step.",
        )
    for name, value in changes.items():
        setattr(locked, name, value)
        setattr(dossier, name, value)
    locked.save()


def receive(dossier: Dossier, officer: Any, now: datetime | None = None) -> Dossier:
    """Tiếp nhận an online hồ sơ: the clock starts now."""
    now = now or timezone.now()
    with transaction.atomic():
        due = _due(dossier.procedure, dossier.received_unit, now)
        _transition(dossier, [S.WAITING], status=S.RECEIVED, received_at=now, due_at=due)
        _event(dossier, A.RECEIVE, now, officer, to_unit=dossier.received_unit, step_due_at=due)
    return dossier


def claim(dossier: Dossier, officer: Any, now: datetime | None = None) -> Dossier:
    """An officer of the processing unit takes the hồ sơ; of two at once exactly one wins."""
    now = now or timezone.now()
    with transaction.atomic():
        _transition(dossier, [S.RECEIVED], {"assignee_id": None}, status=S.PROCESSING, assignee=officer)
        _event(dossier, A.ASSIGN, now, officer, to_unit=dossier.processing_unit, step_due_at=dossier.due_at)
    return dossier


def reassign(
    dossier: Dossier, officer: Any, to_unit: OrgUnit, reason: str, now: datetime | None = None
) -> Dossier:
    """Manual override of the proposed unit: another competent unit takes the hồ sơ, with the reason.

    Only before anyone works on it (waiting or received); the new unit's officers then receive or claim it.
    """
    if not reason.strip():
        raise DossierError("reason_required", "Hãy ghi rõ lý do chuyển.", "Give the reason for the transfer.")
    allowed = {u.pk for u in competent_units(dossier.procedure, dossier.received_unit)}
    if to_unit.pk not in allowed or to_unit.pk == dossier.processing_unit_id:
        raise DossierError(
            "not_competent",
            f"{to_unit.name} không có thẩm quyền giải quyết thủ tục này hoặc đang xử lý hồ sơ.",
            f"{to_unit.name} is not competent for this procedure or already has the dossier.",
        )
    now = now or timezone.now()
    before = dossier.processing_unit
    with transaction.atomic():
        _transition(dossier, [S.WAITING, S.RECEIVED], {"assignee_id": None}, processing_unit=to_unit)
        _event(dossier, A.HANDOVER, now, officer, from_unit=before, to_unit=to_unit, note=reason.strip())
    return dossier


def assign(dossier: Dossier, officer: Any, to: Any, now: datetime | None = None) -> Dossier:
    """Phân công: the unit's officer in charge gives the hồ sơ to one of its officers (the proposal is the
    least loaded one, ``assignment.propose_officer``; the person may choose another)."""
    if to is None or to.org_unit_id != dossier.processing_unit_id or not to.is_active:
        raise DossierError(
            "not_in_unit",
            "Chỉ phân công cho cán bộ của đơn vị xử lý hồ sơ.",
            "Only an officer of the processing unit can be assigned.",
        )
    now = now or timezone.now()
    with transaction.atomic():
        _transition(dossier, [S.RECEIVED], {"assignee_id": None}, status=S.PROCESSING, assignee=to)
        _event(dossier, A.ASSIGN, now, officer, to_unit=dossier.processing_unit, note=str(to))
    return dossier


def request_supplement(dossier: Dossier, officer: Any, reason: str, now: datetime | None = None) -> Dossier:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: the clock stops until the applicant brings what is missing."""
    if not reason.strip():
        raise DossierError("reason_required", "Hãy ghi rõ nội dung cần bổ sung.", "Say what must be added.")
    now = now or timezone.now()
    with transaction.atomic():
        _transition(dossier, [S.RECEIVED, S.PROCESSING, S.WAITING], status=S.SUPPLEMENT, paused_at=now)
        _event(dossier, A.SUPPLEMENT_REQUEST, now, officer, note=reason.strip())
    return dossier


def supplement(dossier: Dossier, attachments: list[Attachment], now: datetime | None = None) -> Dossier:
    """The applicant adds what was asked: the dossier is complete now, so the count starts again in full."""
    if not attachments:
        raise DossierError("no_files", "Chưa có tệp bổ sung nào.", "No files were added.")
    types = check_documents(dossier.procedure, attachments, first=False)
    for attachment in attachments:
        store(attachment)
    now = now or timezone.now()
    with transaction.atomic():
        round_ = 1 + max(dossier.documents.values_list("round", flat=True), default=0)
        due = _due(dossier.procedure, dossier.received_unit, now)
        status = S.PROCESSING if dossier.assignee_id else S.RECEIVED
        _transition(dossier, [S.SUPPLEMENT], status=status, paused_at=None, received_at=now, due_at=due)
        _save_files(dossier, attachments, types, round_)
        _event(dossier, A.SUPPLEMENT, now, None, to_unit=dossier.processing_unit, step_due_at=due)
    return dossier


def refuse(dossier: Dossier, officer: Any, reason: str, now: datetime | None = None) -> Dossier:
    """Phiếu từ chối tiếp nhận, giải quyết hồ sơ, with its reason."""
    if not reason.strip():
        raise DossierError("reason_required", "Hãy ghi rõ lý do từ chối.", "Give the reason for the refusal.")
    now = now or timezone.now()
    with transaction.atomic():
        _transition(
            dossier, [S.WAITING, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT], status=S.REFUSED, completed_at=now
        )
        _event(dossier, A.REFUSE, now, officer, note=reason.strip())
    return dossier


def stop(dossier: Dossier, officer: Any, reason: str, now: datetime | None = None) -> Dossier:
    """Dừng giải quyết hồ sơ (Decree 118/2025 Art. 21): at the applicant's request, while there is no result
    yet; the Thông báo dừng giải quyết hồ sơ carries the reason."""
    if not reason.strip():
        raise DossierError(
            "reason_required", "Hãy ghi rõ lý do dừng (theo đề nghị của người nộp).", "Give the reason."
        )
    now = now or timezone.now()
    with transaction.atomic():
        _transition(
            dossier, [S.WAITING, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT], status=S.STOPPED, completed_at=now
        )
        _event(dossier, A.STOP, now, officer, note=reason.strip())
    return dossier


def apologise(
    dossier: Dossier, officer: Any, reason: str, extra_working_days: int, now: datetime | None = None
) -> Dossier:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: at most once, at the latest one working day before the
    due day."""
    now = now or timezone.now()
    if dossier.extended_due_at is not None:
        raise DossierError(
            "already_extended",
            "Hồ sơ đã hẹn lại một lần; không được hẹn lại lần nữa.",
            "The return date was already moved once; it cannot move again.",
        )
    if not reason.strip() or dossier.due_at is None:
        raise DossierError("reason_required", "Hãy ghi rõ lý do chậm.", "Give the reason for the delay.")
    cal = calendar_for(dossier.processing_unit)
    if now.astimezone(deadlines.LOCAL_TZ).date() > deadlines.latest_apology_day(cal, dossier.due_at):
        raise DossierError(
            "apology_too_late",
            "Văn bản xin lỗi phải gửi chậm nhất 01 ngày làm việc trước ngày hẹn trả.",
            "The apology must be sent at least one working day before the due date.",
        )
    new_due = deadlines.extended_return(cal, dossier.due_at, extra_working_days)
    with transaction.atomic():
        _transition(dossier, [S.RECEIVED, S.PROCESSING], {"extended_due_at": None}, extended_due_at=new_due)
        _event(dossier, A.APOLOGY, now, officer, note=reason.strip(), step_due_at=new_due)
    return dossier


def finish(dossier: Dossier, officer: Any, now: datetime | None = None) -> Dossier:
    """Có kết quả: marked early, on time or late against the date in force."""
    now = now or timezone.now()
    due = dossier.extended_due_at or dossier.due_at
    result = deadlines.outcome(calendar_for(dossier.processing_unit), now, due) if due else ""
    with transaction.atomic():
        _transition(dossier, [S.PROCESSING], status=S.RESULT, completed_at=now, outcome=result)
        _event(dossier, A.RESULT, now, officer, from_unit=dossier.processing_unit, outcome=result)
    return dossier


def hand_back(dossier: Dossier, officer: Any, now: datetime | None = None) -> Dossier:
    """Trả kết quả at the place the applicant chose."""
    now = now or timezone.now()
    with transaction.atomic():
        _transition(dossier, [S.RESULT], status=S.RETURNED)
        _event(dossier, A.RETURN, now, officer, to_unit=dossier.return_unit)
    return dossier


def rate(dossier: Dossier, rating: int, comment: str = "", now: datetime | None = None) -> Dossier:
    """The applicant's satisfaction (1–5), once, after the result."""
    if rating not in range(1, 6):
        raise DossierError("bad_rating", "Mức hài lòng từ 1 đến 5.", "The rating is from 1 to 5.")
    now = now or timezone.now()
    with transaction.atomic():
        _transition(
            dossier,
            [S.RESULT, S.RETURNED, S.REFUSED],
            {"rating": None},
            rating=rating,
            rating_comment=comment.strip()[:1000],
        )
        _event(dossier, A.RATE, now, None, note=str(rating))
    return dossier
