"""The backup part of the operations API (mounted at /api/ops/), read-only: the state of the backups
(``/backups/status``), the runs (``/backups/runs``) and the drills (``/backups/drills``). The same people as
the page (``backup.access``): others get 403. Errors carry a code and Vietnamese and English messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from langson.core.errors import forbidden
from langson.ops.backup import access, status
from langson.ops.models import BackupRun, DrillRun

router = Router(tags=["ops"])


class RunOut(Schema):
    id: int
    target: str = Field(description="local | remote")
    status: str = Field(description="running | succeeded | failed")
    trigger: str = Field(description="schedule | command")
    started_at: datetime
    finished_at: datetime | None
    data_time: datetime | None = Field(description="thời điểm dữ liệu (điểm nhất quán) / consistency point")
    snapshot_id: str
    files: int
    bytes_total: int
    bytes_added: int
    error: str
    error_en: str


class DrillOut(Schema):
    id: int
    target: str
    started_at: datetime
    finished_at: datetime | None
    snapshot_id: str
    data_time: datetime | None
    verified: bool
    rpo_seconds: float | None = Field(description="tuổi dữ liệu khi diễn tập / age of the data at the drill")
    rto_seconds: float | None = Field(
        description="thời gian đến khi bản khôi phục chạy / time to a working copy"
    )
    mismatches: list[str]
    error: str
    error_en: str


class TargetOut(Schema):
    target: str
    last_good: RunOut | None
    last_run: RunOut | None
    age_seconds: float | None
    stale: bool


class ScheduleOut(Schema):
    name: str
    interval_seconds: int | None
    next_run_at: datetime | None
    enabled: bool


class RetentionOut(Schema):
    keep_hourly: int
    keep_daily: int
    keep_monthly: int


class StatusOut(Schema):
    targets: list[TargetOut]
    interval_seconds: int
    runs: list[RunOut]
    last_drill: DrillOut | None
    schedules: list[ScheduleOut]
    retention: RetentionOut


class ListQuery(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


class RunQuery(ListQuery):
    target: str | None = Field(None, pattern="^(local|remote)$")
    status: str | None = Field(None, pattern="^(running|succeeded|failed)$")


class RunListOut(Schema):
    count: int
    items: list[RunOut]


class DrillListOut(Schema):
    count: int
    items: list[DrillOut]


def _check(request: HttpRequest) -> None:
    if not access.may_view(request.user):
        raise forbidden()


@router.get("/backups/status", response=StatusOut, summary="Tình trạng sao lưu / backup status")
def backup_status(request: HttpRequest) -> dict[str, Any]:
    _check(request)
    return status.summary()


@router.get("/backups/runs", response=RunListOut, summary="Các lần sao lưu / backup runs")
def backup_runs(request: HttpRequest, query: Query[RunQuery]) -> dict[str, Any]:
    _check(request)
    runs = BackupRun.objects.order_by("-started_at", "-id")
    if query.target:
        runs = runs.filter(target=query.target)
    if query.status:
        runs = runs.filter(status=query.status)
    page = runs[query.offset : query.offset + query.limit]
    return {"count": runs.count(), "items": [run.as_dict() for run in page]}


@router.get("/backups/drills", response=DrillListOut, summary="Các lần diễn tập khôi phục / restore drills")
def backup_drills(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    _check(request)
    drills = DrillRun.objects.order_by("-started_at", "-id")
    page = drills[query.offset : query.offset + query.limit]
    return {"count": drills.count(), "items": [drill.as_dict() for drill in page]}
