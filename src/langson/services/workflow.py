"""The life of a hồ sơ: submission, reception, claim, supplement, refusal, apology, result, return, rating.

Every change is one transaction that also writes its line of the phiếu kiểm soát quá trình
(``DossierEvent``), and every status change is a conditional update on the status the step expects, so two
officers acting on the same hồ sơ at once cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from langson.core.contract import clear
from langson.core.models import OrgUnit
from langson.core.services import audit
from langson.core.services.calendar import calendar_for
from langson.services import deadlines
from langson.services.assignment import competent_units, propose_unit
from langson.services.codes import agency_identifier, next_code
from langson.services.models import Dossier, DossierDocument, DossierEvent, Procedure
from langson.services.storage import (
    Attachment,
    DossierError,
    Storing,
    check_files,
    store,
    store_in_background,
)

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


@contextmanager
def _submission_transaction(files: Storing) -> Iterator[None]:
    """The transaction of a submission. Its files are durable before it commits (they were written while its
    rows were prepared), and its audit entry is appended last, so the audit chain's lock is held for the
    append and the commit only. A crash leaves a whole hồ sơ or none (and maybe a file nobody refers to)."""
    try:
        with audit.atomic_audit_last():
            yield
            files.wait()
    finally:
        files.settle()


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
    files = store_in_background(attachments)  # written and fsynced by other threads meanwhile
    processing_unit = propose_unit(procedure, received_unit, now)
    counter = channel != Dossier.Channel.ONLINE
    due_at = _due(procedure, received_unit, now) if counter else None
    agency, day = agency_identifier(processing_unit), now.astimezone(deadlines.LOCAL_TZ).date()
    with _submission_transaction(files):
        dossier = Dossier.objects.create(
            code=next_code(agency, day),  # locks the agency's sequence row until commit: first statement
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
            due_at=due_at,
            step=_after_reception(procedure) if counter else 0,
            fee_vnd=procedure.fee_vnd,
            **{f: (applicant.get(f) or "").strip() for f in APPLICANT_FIELDS},
        )
        _save_files(dossier, attachments, types, 0)
        reception = _step_fields(dossier, 0, now) if counter else {}
        _event(dossier, A.RECEIVE if counter else A.SUBMIT, now, officer, to_unit=received_unit, **reception)
    return dossier


def _due(procedure: Procedure, unit: OrgUnit, received_at: datetime) -> datetime:
    return deadlines.promised_return(calendar_for(unit), received_at, procedure.deadline_days)


def _after_reception(procedure: Procedure) -> int:
    """The step a hồ sơ is at once received: the one after reception (step 0), if the procedure has one."""
    return 1 if len(procedure.steps or []) > 1 else 0


def _step_fields(dossier: Dossier, index: int, now: datetime) -> dict[str, Any]:
    """The BM.05 columns of a finished step: its name, its due time and early / on time / late."""
    steps = dossier.procedure.steps or []
    due_in_force = dossier.extended_due_at or dossier.due_at
    if not 0 <= index < len(steps) or dossier.received_at is None or due_in_force is None:
        return {}
    cal = calendar_for(dossier.received_unit)
    due = deadlines.step_due(cal, dossier.received_at, steps, index, due_in_force)
    return {
        "step": steps[index]["name"][:200],
        "step_due_at": due,
        "outcome": deadlines.outcome(cal, now, due),
    }


def step_plan(dossier: Dossier) -> list[dict[str, Any]]:
    """The internal process as the office page shows it: each step with its due time and whether it is
    done, current or still to come."""
    steps = dossier.procedure.steps or []
    due_in_force = dossier.extended_due_at or dossier.due_at
    cal = calendar_for(dossier.received_unit)
    finished = dossier.status in (S.RETURNED, S.REFUSED, S.STOPPED)
    plan = []
    for index, step in enumerate(steps):
        due = None
        if dossier.received_at is not None and due_in_force is not None:
            due = deadlines.step_due(cal, dossier.received_at, steps, index, due_in_force)
        if dossier.received_at is None:
            state = "pending"
        elif index < dossier.step or (finished and index == dossier.step):
            state = "done"
        else:
            state = "current" if index == dossier.step else "pending"
        plan.append({"index": index, "name": step["name"], "days": step["days"], "due": due, "state": state})
    return plan


def has_next_step(dossier: Dossier) -> bool:
    """Whether the current step hands over to another processing step (rather than to the result)."""
    return 0 < dossier.step < len(dossier.procedure.steps or []) - 2


DEADLINE_ALERTS = ("dossier.at_risk", "dossier.overdue")


def _deadline_changed(dossier: Dossier) -> None:
    """The hồ sơ has its result (or is refused, stopped, or has a new date): once committed, its at-risk and
    overdue alerts in the IOC are over; ``tasks.check_deadlines`` raises them again if they still hold."""
    code = dossier.code

    def clear_alerts() -> None:
        for kind in DEADLINE_ALERTS:
            clear("services", kind, key=code)

    transaction.on_commit(clear_alerts)


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
        step = _after_reception(dossier.procedure)
        _transition(dossier, [S.WAITING], status=S.RECEIVED, received_at=now, due_at=due, step=step)
        _event(
            dossier, A.RECEIVE, now, officer, to_unit=dossier.received_unit, **_step_fields(dossier, 0, now)
        )
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
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: the clock stops until the applicant brings what is missing.

    Not after an apology: the letter promised the applicant a final date, and a supplement would restart the
    count and move that date a second time, which the once-only rule forbids (decision 0009)."""
    if not reason.strip():
        raise DossierError("reason_required", "Hãy ghi rõ nội dung cần bổ sung.", "Say what must be added.")
    if dossier.extended_due_at is not None:
        raise DossierError(
            "after_apology",
            "Đã gửi phiếu xin lỗi và hẹn lại ngày trả; không yêu cầu bổ sung được nữa.",
            "The return date was already moved by an apology; no supplement can be requested now.",
        )
    now = now or timezone.now()
    with transaction.atomic():
        _transition(
            dossier,
            [S.RECEIVED, S.PROCESSING, S.WAITING],
            {"extended_due_at": None},
            status=S.SUPPLEMENT,
            paused_at=now,
        )
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
        _deadline_changed(dossier)
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
        _deadline_changed(dossier)
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
        _deadline_changed(dossier)
    return dossier


def finish(dossier: Dossier, officer: Any, now: datetime | None = None) -> Dossier:
    """Có kết quả: marked early, on time or late against the date in force."""
    now = now or timezone.now()
    steps = dossier.procedure.steps or []
    current = dossier.step
    if has_next_step(dossier):
        raise DossierError(
            "steps_left",
            f"Hồ sơ còn bước «{steps[current + 1]['name']}» chưa thực hiện; hãy chuyển bước trước.",
            f"The step '{steps[current + 1]['name']}' is still to be done; hand the dossier over first.",
        )
    due = dossier.extended_due_at or dossier.due_at
    result = deadlines.outcome(calendar_for(dossier.processing_unit), now, due) if due else ""
    last = max(len(steps) - 1, 0)
    with transaction.atomic():
        _transition(
            dossier,
            [S.PROCESSING],
            {"step": current},
            status=S.RESULT,
            completed_at=now,
            outcome=result,
            step=last,
        )
        if 0 < current < last:
            unit = dossier.processing_unit
            _event(
                dossier,
                A.HANDOVER,
                now,
                officer,
                from_unit=unit,
                to_unit=unit,
                **_step_fields(dossier, current, now),
            )
        _event(dossier, A.RESULT, now, officer, from_unit=dossier.processing_unit, outcome=result)
        _deadline_changed(dossier)
    return dossier


def advance(
    dossier: Dossier, officer: Any, to: Any = None, note: str = "", now: datetime | None = None
) -> Dossier:
    """Chuyển bước: the current step of the internal process is done; the hồ sơ passes to the next one,
    optionally to another officer of the unit (e.g. the leader who signs). The hand-over is a line of the
    phiếu kiểm soát marked early, on time or late against the step's due time."""
    current = dossier.step
    if not has_next_step(dossier):
        raise DossierError(
            "no_next_step",
            "Hồ sơ đang ở bước cuối của quá trình xử lý; hãy duyệt kết quả.",
            "The dossier is at the last processing step; record the result instead.",
        )
    if to is not None and (to.org_unit_id != dossier.processing_unit_id or not to.is_active):
        raise DossierError(
            "not_in_unit",
            "Chỉ chuyển cho cán bộ của đơn vị xử lý hồ sơ.",
            "The dossier can only go to an officer of the processing unit.",
        )
    now = now or timezone.now()
    changes: dict[str, Any] = {"step": current + 1}
    if to is not None:
        changes["assignee"] = to
    with transaction.atomic():
        _transition(dossier, [S.PROCESSING], {"step": current}, **changes)
        mark = _step_fields(dossier, current, now)
        unit = dossier.processing_unit
        text = note.strip()
        if to is not None:
            text = f"→ {to}" + (f": {text}" if text else "")
        _event(dossier, A.HANDOVER, now, officer, from_unit=unit, to_unit=unit, note=text[:4000], **mark)
    return dossier


def hand_back(dossier: Dossier, officer: Any, now: datetime | None = None) -> Dossier:
    """Trả kết quả at the place the applicant chose, once the fee is paid."""
    from langson.services.payments import fee_owed, vnd

    if fee_owed(dossier):
        raise DossierError(
            "fee_unpaid",
            f"Người nộp chưa nộp phí, lệ phí ({vnd(dossier.fee_vnd)}); thu phí trước khi trả kết quả.",
            "The fee is not paid yet; collect it before handing back the result.",
        )
    now = now or timezone.now()
    with transaction.atomic():
        _transition(dossier, [S.RESULT], status=S.RETURNED)
        mark = _step_fields(dossier, len(dossier.procedure.steps or []) - 1, now)
        _event(dossier, A.RETURN, now, officer, to_unit=dossier.return_unit, **mark)
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
