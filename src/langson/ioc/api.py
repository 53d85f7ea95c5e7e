"""IOC API: datasets, file uploads, pushed batches (dataset-scoped keys), ingestion runs and quarantine."""

import csv
import io
import json
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from langson.core.api_auth import BearerToken, SessionAuth
from langson.core.errors import ApiError, forbidden, not_found
from langson.core.models import scoped
from langson.core.pagination import Pages
from langson.core.parsing import NUL_MESSAGE, InputSchema, has_nul
from langson.ioc.api_auth import DatasetBearer
from langson.ioc.models import (
    Alert,
    Dataset,
    DatasetToken,
    Indicator,
    IndicatorValue,
    IngestionRun,
    QuarantinedRow,
)
from langson.ioc.services import alerts as alerts_service
from langson.ioc.services.files import read_table
from langson.ioc.services.ingestion import ingest
from langson.ioc.services.validation import SchemaError

router = Router(tags=["ioc"])


def visible_datasets(user: Any) -> QuerySet[Dataset]:
    return scoped(Dataset.objects.select_related("owner"), user, "owner__path")


def _dataset(request: HttpRequest, code: str, perm: str = "ioc.view_dataset") -> Dataset:
    if not request.user.has_perm(perm):
        raise forbidden()
    dataset = visible_datasets(request.user).filter(code=code).first()
    if dataset is None:
        raise not_found("bộ dữ liệu", "dataset")
    return dataset


class DatasetOut(Schema):
    code: str
    name: str
    name_en: str
    owner: str
    columns: list[dict[str, Any]]
    key: list[str]
    time_column: str | None
    expected_every_hours: int
    retention_days: int = Field(description="0 = giữ mãi mãi / kept forever")
    last_received_at: datetime | None

    @staticmethod
    def resolve_owner(d: Dataset) -> str:
        return d.owner.code

    @staticmethod
    def resolve_columns(d: Dataset) -> list[dict[str, Any]]:
        return list(d.schema["columns"])

    @staticmethod
    def resolve_key(d: Dataset) -> list[str]:
        return list(d.schema.get("key", []))

    @staticmethod
    def resolve_time_column(d: Dataset) -> str | None:
        return d.schema.get("time_column")


class RejectionOut(Schema):
    row_number: int
    data: dict[str, Any]
    reasons: list[dict[str, str]]


class RunOut(Schema):
    id: int
    dataset: str
    source: str
    status: str
    batch_key: str
    rows_received: int
    rows_accepted: int
    rows_rejected: int
    duration_ms: int
    started_at: datetime
    error: str
    rejections: list[RejectionOut] = Field(
        default_factory=list, description="tối đa 100 dòng đầu / first 100"
    )

    @staticmethod
    def resolve_dataset(run: IngestionRun) -> str:
        return run.dataset.code

    @staticmethod
    def resolve_rejections(run: IngestionRun) -> list[dict[str, Any]]:
        return [
            {"row_number": q.row_number, "data": q.data, "reasons": q.reasons}
            for q in run.quarantine.all()[:100]
        ]


class BatchIn(Schema):
    """Not an InputSchema: walking 100,000 rows for NUL costs more than storing them; ``push`` checks the
    raw body instead (JSON can only carry U+0000 escaped, so a body without that escape has none)."""

    batch_id: str | None = Field(
        None, max_length=100, description="mã lô của bên gửi; gửi lại cùng mã không tạo trùng"
    )
    rows: list[dict[str, Any]] = Field(..., max_length=100_000)


@router.get("/datasets", response=list[DatasetOut], summary="Bộ dữ liệu / datasets")
@paginate(Pages)
def list_datasets(request: HttpRequest) -> QuerySet[Dataset]:
    if not request.user.has_perm("ioc.view_dataset"):
        raise forbidden()
    return visible_datasets(request.user)


@router.get("/datasets/{code}", response=DatasetOut, summary="Một bộ dữ liệu / one dataset")
def get_dataset(request: HttpRequest, code: str) -> Dataset:
    return _dataset(request, code)


@router.post("/datasets/{code}/uploads", response={201: RunOut, 200: RunOut}, summary="Tải tệp CSV/XLSX lên")
def upload(request: HttpRequest, code: str, file: File[UploadedFile]) -> tuple[int, IngestionRun]:
    dataset = _dataset(request, code, "ioc.add_ingestionrun")
    try:
        header, rows = read_table(file.name or "", file.read())
    except SchemaError as exc:
        raise ApiError(422, "invalid_file", exc.vi, exc.en) from exc
    run = ingest(
        dataset,
        rows,
        source=IngestionRun.Source.UPLOAD,
        source_detail=file.name or "",
        header=header,
        user=request.user,
    )
    return _answer(run)


@router.post(
    "/datasets/{code}/batches",
    response={201: RunOut, 200: RunOut},
    auth=[DatasetBearer(), BearerToken(), SessionAuth()],
    summary="Hệ thống ngoài gửi một lô / push a batch",
)
def push(request: HttpRequest, code: str, batch: BatchIn) -> tuple[int, IngestionRun]:
    auth = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, DatasetToken):
        if auth.dataset.code != code:
            raise ApiError(
                403,
                "wrong_dataset",
                "Khóa này chỉ được gửi vào bộ dữ liệu khác.",
                "This key may only push to another dataset.",
            )
        dataset, user, detail = auth.dataset, None, f"token:{auth.prefix}"
    else:
        dataset, user, detail = _dataset(request, code, "ioc.add_ingestionrun"), request.user, "api"
    if b"\\u0000" in request.body and (has_nul(batch.rows) or has_nul(batch.batch_id)):
        raise ApiError(422, "nul_character", *NUL_MESSAGE.split(" / "))
    run = ingest(
        dataset,
        batch.rows,
        source=IngestionRun.Source.PUSH,
        source_detail=detail,
        batch_key=f"client:{batch.batch_id}" if batch.batch_id else None,
        user=user,
    )
    return _answer(run)


def _answer(run: IngestionRun) -> tuple[int, IngestionRun]:
    if run.status == IngestionRun.Status.FAILED:
        raise ApiError(422, "rejected_batch", run.error.split(" / ")[0], run.error, run_id=run.pk)
    return (201 if run.status == IngestionRun.Status.DONE else 200), run


def _run(request: HttpRequest, run_id: int) -> IngestionRun:
    if not request.user.has_perm("ioc.view_ingestionrun"):
        raise forbidden()
    run = (
        IngestionRun.objects.select_related("dataset")
        .filter(pk=run_id, dataset__in=visible_datasets(request.user))
        .first()
    )
    if run is None:
        raise not_found("lần nhận dữ liệu", "ingestion run")
    return run


@router.get("/runs", response=list[RunOut], summary="Các lần nhận dữ liệu / ingestion runs")
@paginate(Pages)
def list_runs(request: HttpRequest, dataset: str | None = None) -> QuerySet[IngestionRun]:
    if not request.user.has_perm("ioc.view_ingestionrun"):
        raise forbidden()
    runs = IngestionRun.objects.select_related("dataset").filter(dataset__in=visible_datasets(request.user))
    return runs.filter(dataset__code=dataset) if dataset else runs


@router.get("/runs/{run_id}", response=RunOut, summary="Một lần nhận dữ liệu / one run")
def get_run(request: HttpRequest, run_id: int) -> IngestionRun:
    return _run(request, run_id)


@router.get("/runs/{run_id}/quarantine.csv", summary="Tải các dòng bị loại / download rejected rows")
def quarantine_csv(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    return quarantine_response(run)


def quarantine_response(run: IngestionRun) -> HttpResponse:
    """CSV of rejected rows: the original columns, then the reasons (Vietnamese), ready to fix and resend."""
    rows = list(QuarantinedRow.objects.filter(run=run))
    # The schema's order first (PostgreSQL's jsonb does not keep key order), then any extra columns sent.
    columns: list[str] = [c["name"] for c in run.dataset.schema["columns"]]
    for row in rows:
        columns.extend(k for k in row.data if k not in columns)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["dong_so", *columns, "ly_do"])
    for row in rows:
        reasons = "; ".join(r["vi"] for r in row.reasons)
        writer.writerow([row.row_number, *[_cell(row.data.get(c)) for c in columns], reasons])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="quarantine-{run.dataset.code}-{run.pk}.csv"'
    return response


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# --- Indicators and alerts -------------------------------------------------------------------------


def visible_indicators(user: Any) -> QuerySet[Indicator]:
    return scoped(Indicator.objects.select_related("owner"), user, "owner__path")


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    unit: str
    sector: str
    grain: str
    by_commune: bool
    owner: str
    target: float | None
    direction: str
    description: str

    @staticmethod
    def resolve_owner(i: Indicator) -> str:
        return i.owner.code


class ValueOut(Schema):
    period: date
    commune: str
    value: float


class ValuesQuery(InputSchema):
    commune: str = Field("", max_length=10, description="mã xã, phường; để trống: toàn tỉnh")
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")


class AlertOut(Schema):
    id: int
    kind: str
    severity: str
    state: str
    title: str
    detail: str
    indicator: str | None
    period: date | None
    commune: str
    value: float | None
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    assignee: str | None
    comments: list[dict[str, Any]]

    @staticmethod
    def resolve_indicator(a: Alert) -> str | None:
        return a.indicator.code if a.indicator else None

    @staticmethod
    def resolve_assignee(a: Alert) -> str | None:
        return a.assignee.username if a.assignee else None

    @staticmethod
    def resolve_comments(a: Alert) -> list[dict[str, Any]]:
        return [
            {"author": c.author.username, "text": c.text, "created_at": c.created_at.isoformat()}
            for c in a.comments.select_related("author")
        ]


class CommentIn(InputSchema):
    comment: str = Field("", max_length=4000)


@router.get("/indicators", response=list[IndicatorOut], summary="Danh mục chỉ số / indicator catalog")
@paginate(Pages)
def list_indicators(request: HttpRequest, sector: str | None = None) -> QuerySet[Indicator]:
    if not request.user.has_perm("ioc.view_indicator"):
        raise forbidden()
    indicators = visible_indicators(request.user)
    return indicators.filter(sector=sector) if sector else indicators


@router.get(
    "/indicators/{code}/values", response=list[ValueOut], summary="Giá trị theo kỳ / values by period"
)
@paginate(Pages)
def indicator_values(request: HttpRequest, code: str, query: Query[ValuesQuery]) -> QuerySet[IndicatorValue]:
    if not request.user.has_perm("ioc.view_indicator"):
        raise forbidden()
    indicator = visible_indicators(request.user).filter(code=code).first()
    if indicator is None:
        raise not_found("chỉ số", "indicator")
    values = IndicatorValue.objects.filter(indicator=indicator, commune=query.commune).order_by("period")
    if query.start:
        values = values.filter(period__gte=query.start)
    if query.end:
        values = values.filter(period__lte=query.end)
    return values


def visible_alerts(user: Any) -> QuerySet[Alert]:
    return scoped(Alert.objects.select_related("indicator", "assignee"), user, "unit__path")


@router.get("/alerts", response=list[AlertOut], summary="Cảnh báo / alerts")
@paginate(Pages)
def list_alerts(request: HttpRequest, state: str | None = None) -> QuerySet[Alert]:
    if not request.user.has_perm("ioc.view_alert"):
        raise forbidden()
    alerts = visible_alerts(request.user)
    return alerts.filter(state=state) if state else alerts


def _alert_action(request: HttpRequest, alert_id: int, action: Any, comment: str) -> Alert:
    if not request.user.has_perm("ioc.change_alert"):
        raise forbidden()
    alert = visible_alerts(request.user).filter(pk=alert_id).first()
    if alert is None:
        raise not_found("cảnh báo", "alert")
    try:
        return action(alert, request.user, comment)
    except alerts_service.TransitionError as exc:
        raise ApiError(409, "invalid_transition", exc.vi, exc.en) from exc


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut, summary="Tiếp nhận cảnh báo / acknowledge")
def acknowledge_alert(request: HttpRequest, alert_id: int, body: CommentIn) -> Alert:
    return _alert_action(request, alert_id, alerts_service.acknowledge, body.comment)


@router.post("/alerts/{alert_id}/resolve", response=AlertOut, summary="Xử lý xong cảnh báo / resolve")
def resolve_alert(request: HttpRequest, alert_id: int, body: CommentIn) -> Alert:
    return _alert_action(request, alert_id, alerts_service.resolve, body.comment)
