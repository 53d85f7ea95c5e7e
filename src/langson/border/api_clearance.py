"""Truck clearance API under /api/border/trucks/: events in (JSON batch or CSV), the yard, a day's figures.

Authentication is the platform's (an API key ``Authorization: Bearer ls_…`` or the session with CSRF).
Recording needs ``border.add_truckevent`` and is limited to the gates in the person's part of the
organisation tree (a row for another gate is refused as unknown); reading needs ``border.view_truckvisit``,
and a gate outside the person's scope is a 404, as if it did not exist.

A batch answers 201 when it stored at least one new event, 200 when everything was already there (resending
is harmless), 422 ``all_rejected`` when no row was valid (the rows are kept with their reasons all the same),
and 422 with the reason when the request or file as a whole cannot be read (nothing is stored).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from langson.border import clearance
from langson.border.models import ClearanceBatch, TruckVisit
from langson.core.errors import ApiError, forbidden, not_found
from langson.core.models import OrgUnit, scoped

router = Router(tags=["border"])


# --- Schemas ----------------------------------------------------------------------------------------------


class EventsIn(Schema):
    """Rows are read one by one (a bad row is refused with its reason, the others are stored), so they are
    plain objects here: ``gate``, ``visit``, ``plate``, ``event``, ``at``, ``channel``, ``note`` (the CSV
    header's names, English or Vietnamese). Each must be an object: anything else makes the batch malformed
    (422) rather than a row to keep."""

    events: list[dict[str, Any]] = Field(
        ...,
        description=(
            "sự kiện: {gate, visit, plate, event, at, channel?, note?}; event: pre_arrival | arrival | "
            "gate_in | channel | release | gate_out (hoặc tên tiếng Việt); at: ISO 8601, không có múi giờ "
            "thì là giờ Việt Nam; channel: green | yellow | red (xanh, vàng, đỏ, 1, 2, 3)"
        ),
    )


class ReasonOut(Schema):
    field: str
    code: str
    message: str


class RejectionOut(Schema):
    row: int = Field(description="số thứ tự trong lô (API, từ 1) hoặc số dòng của tệp (tiêu đề là dòng 1)")
    data: Any
    reasons: list[ReasonOut]


class BatchOut(Schema):
    id: int
    source: str
    file_name: str
    received: int
    stored: int
    duplicates: int
    rejected: int
    created_at: datetime
    rejections: list[RejectionOut]


class FiguresOut(Schema):
    day: date
    gate: str = Field(description="mã cửa khẩu; rỗng: mọi cửa khẩu trong phạm vi gộp lại")
    gate_name: str
    arrived: int = Field(description="xe vào bãi trong ngày")
    cleared: int = Field(description="xe ra cổng trong ngày")
    timed: int = Field(description="xe ra cổng có thời gian thông quan (đủ mốc, không bất thường)")
    flagged: int = Field(description="xe ra cổng có mốc bất thường (không tính thời gian)")
    median_minutes: float | None
    p90_minutes: float | None = Field(description="phân vị 90, hạng gần nhất")
    median_from_registration: float | None
    median_yard_wait: float | None
    median_inspection: float | None
    median_exit: float | None
    green: int
    yellow: int
    red: int
    green_share: float | None = Field(description="% luồng xanh trên số xe ra cổng đã phân luồng")


class YardTruckOut(Schema):
    reference: str
    plate: str
    status: str = Field(description="waiting (chờ vào cổng) | inside (trong khu kiểm soát) | released")
    since: datetime
    elapsed_minutes: float
    stage_minutes: float
    channel: str
    flagged: bool


class YardOut(Schema):
    gate: str
    now: datetime
    waiting: int
    inside: int
    expected: int = Field(description="đã khai báo trước trong 24 giờ qua, chưa đến")
    trucks: list[YardTruckOut]


class FlagOut(Schema):
    code: str
    message: str


class EventOut(Schema):
    kind: str
    at: datetime
    channel: str
    source: str
    note: str
    recorded_by: str | None
    batch: int


class VisitOut(Schema):
    gate: str
    reference: str
    plate: str
    channel: str
    pre_registered_at: datetime | None
    arrived_at: datetime | None
    gated_in_at: datetime | None
    released_at: datetime | None
    gated_out_at: datetime | None
    clearance_minutes: float | None
    from_registration_minutes: float | None
    yard_wait_minutes: float | None
    inspection_minutes: float | None
    exit_minutes: float | None
    flags: list[FlagOut]
    events: list[EventOut]


class DayQuery(Schema):
    day: date | None = Field(None, description="ngày (giờ Việt Nam), mặc định hôm nay")


# --- Helpers ----------------------------------------------------------------------------------------------


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def batch_body(batch: ClearanceBatch) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "source": batch.source,
        "file_name": batch.file_name,
        "received": batch.received,
        "stored": batch.stored,
        "duplicates": batch.duplicates,
        "rejected": batch.rejected,
        "created_at": batch.created_at,
        "rejections": [
            {
                "row": r.row_number,
                "data": r.data,
                "reasons": [
                    {
                        "field": x.get("field", ""),
                        "code": x.get("code", ""),
                        "message": clearance.reason_message(x),
                    }
                    for x in r.reasons
                ],
            }
            for r in batch.rejected_rows.all()
        ],
    }


def _answer(batch: ClearanceBatch) -> Status[dict[str, Any]]:
    body = batch_body(batch)
    if batch.stored == 0 and batch.duplicates == 0:
        body["created_at"] = body["created_at"].isoformat()
        raise ApiError(
            422,
            "all_rejected",
            "Không dòng nào hợp lệ; các dòng bị loại đã được lưu cùng lý do.",
            "No row was valid; the rejected rows are kept with their reasons.",
            batch=body,
        )
    return Status(201 if batch.stored else 200, body)


def _input_error(exc: clearance.ClearanceInputError) -> ApiError:
    return ApiError(422, exc.code, exc.vi, exc.en)


def _recording(request: HttpRequest) -> QuerySet[OrgUnit]:
    if not request.user.has_perm("border.add_truckevent"):
        raise forbidden()
    return clearance.recording_gates(request.user)


def _viewable(request: HttpRequest) -> QuerySet[OrgUnit]:
    if not request.user.has_perm("border.view_truckvisit"):
        raise forbidden()
    return clearance.visible_gates(request.user)


def _gate(request: HttpRequest, code: str) -> OrgUnit:
    gate = _viewable(request).filter(code=code).first()
    if gate is None:
        raise not_found("cửa khẩu", "border gate")
    return gate


def figures_body(figures: clearance.DayFigures, gate: OrgUnit | None) -> dict[str, Any]:
    body = figures.as_dict()
    for key, value in body.items():
        if isinstance(value, float):
            body[key] = _round(value)
    body["gate"] = gate.code if gate else ""
    body["gate_name"] = gate.name if gate else ""
    return body


def visit_body(visit: TruckVisit) -> dict[str, Any]:
    events = visit.events.select_related("recorded_by").order_by("at", "id")
    return {
        "gate": visit.gate.code,
        "reference": visit.reference,
        "plate": visit.plate,
        "channel": visit.channel,
        "pre_registered_at": visit.pre_registered_at,
        "arrived_at": visit.arrived_at,
        "gated_in_at": visit.gated_in_at,
        "released_at": visit.released_at,
        "gated_out_at": visit.gated_out_at,
        "clearance_minutes": _round(visit.clearance_minutes),
        "from_registration_minutes": _round(visit.from_registration_minutes),
        "yard_wait_minutes": _round(visit.yard_wait_minutes),
        "inspection_minutes": _round(visit.inspection_minutes),
        "exit_minutes": _round(visit.exit_minutes),
        "flags": [{"code": f.get("code", ""), "message": clearance.flag_message(f)} for f in visit.flags],
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "channel": e.channel,
                "source": e.source,
                "note": e.note,
                "recorded_by": e.recorded_by.get_username() if e.recorded_by else None,
                "batch": e.batch_id,
            }
            for e in events
        ],
    }


# --- Endpoints --------------------------------------------------------------------------------------------


@router.post(
    "/trucks/events",
    response={201: BatchOut, 200: BatchOut},
    summary="Gửi một lô sự kiện xe / post a batch of truck events",
)
def post_events(request: HttpRequest, payload: EventsIn) -> Status[dict[str, Any]]:
    gates = _recording(request)
    if len(payload.events) > clearance.MAX_API_EVENTS:
        raise ApiError(
            422,
            "too_many",
            f"Một lô tối đa {clearance.MAX_API_EVENTS} sự kiện: hãy chia nhỏ.",
            f"A batch holds at most {clearance.MAX_API_EVENTS} events: split it.",
        )
    try:
        batch = clearance.ingest(
            list(enumerate(payload.events, start=1)),
            source=ClearanceBatch.Source.API,
            user=request.user,
            gates=gates,
        )
    except clearance.ClearanceInputError as exc:
        raise _input_error(exc) from exc
    return _answer(batch)


@router.post(
    "/trucks/csv",
    response={201: BatchOut, 200: BatchOut},
    summary="Tải tệp CSV sự kiện xe lên / upload a CSV of truck events",
)
def post_csv(
    request: HttpRequest,
    file: File[UploadedFile],
    gate: str | None = Query(None, max_length=40, description="cửa khẩu cho các dòng không ghi cửa khẩu"),
) -> Status[dict[str, Any]]:
    gates = _recording(request)
    default_gate = None
    if gate:
        default_gate = gates.filter(code=gate).first()
        if default_gate is None:
            raise not_found("cửa khẩu", "border gate")
    if (file.size or 0) > clearance.MAX_CSV_BYTES:
        raise _input_error(clearance.ClearanceInputError("too_big"))
    content = file.read()
    try:
        batch = clearance.ingest_csv(
            content, user=request.user, gates=gates, default_gate=default_gate, file_name=file.name or ""
        )
    except clearance.ClearanceInputError as exc:
        raise _input_error(exc) from exc
    return _answer(batch)


@router.get("/trucks/batches/{batch_id}", response=BatchOut, summary="Một lô sự kiện xe / one batch")
def get_batch(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    if not request.user.has_perm("border.view_clearancebatch"):
        raise forbidden()
    batches = scoped(ClearanceBatch.objects.all(), request.user, "recorded_by__org_unit__path")
    batch = batches.filter(pk=batch_id).first()
    if batch is None:
        raise not_found("lô sự kiện", "batch")
    return batch_body(batch)


@router.get(
    "/trucks/figures",
    response=list[FiguresOut],
    summary="Số liệu thông quan trong ngày theo cửa khẩu / a day's figures per gate",
)
def all_figures(request: HttpRequest, query: Query[DayQuery]) -> list[dict[str, Any]]:
    """One row per gate in the person's scope, then their total (``gate`` empty: medians over all trucks)."""
    gates = list(_viewable(request))
    day = query.day or clearance.local_today()
    rows = [figures_body(clearance.day_figures([g], day), g) for g in gates]
    if len(gates) > 1:
        rows.append(figures_body(clearance.day_figures(gates, day), None))
    return rows


@router.get(
    "/trucks/gates/{code}/figures",
    response=FiguresOut,
    summary="Số liệu thông quan trong ngày của một cửa khẩu / a gate's figures of a day",
)
def gate_figures(request: HttpRequest, code: str, query: Query[DayQuery]) -> dict[str, Any]:
    gate = _gate(request, code)
    return figures_body(clearance.day_figures([gate], query.day or clearance.local_today()), gate)


@router.get(
    "/trucks/gates/{code}/yard",
    response=YardOut,
    summary="Xe đang trong bãi / trucks in the yard now",
)
def gate_yard(request: HttpRequest, code: str) -> dict[str, Any]:
    gate = _gate(request, code)
    state = clearance.yard([gate], timezone.now())
    return {
        "gate": gate.code,
        "now": state.now,
        "waiting": len(state.waiting),
        "inside": len(state.inside),
        "expected": state.expected,
        "trucks": [
            {
                "reference": t.visit.reference,
                "plate": t.visit.plate,
                "status": t.status,
                "since": t.since,
                "elapsed_minutes": round(t.elapsed_minutes, 1),
                "stage_minutes": round(t.stage_minutes, 1),
                "channel": t.visit.channel,
                "flagged": bool(t.visit.flags),
            }
            for t in state.trucks
        ],
    }


@router.get(
    "/trucks/gates/{code}/visits/{path:reference}",
    response=VisitOut,
    summary="Một lượt xe và các sự kiện / one visit and its events",
)
def get_visit(request: HttpRequest, code: str, reference: str) -> dict[str, Any]:
    gate = _gate(request, code)
    visit = TruckVisit.objects.select_related("gate").filter(gate=gate, reference=reference).first()
    if visit is None:
        raise not_found("lượt xe", "truck visit")
    return visit_body(visit)
