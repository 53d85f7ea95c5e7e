"""Public parking API (no login, for citizens and their apps): each car park's free spaces and forecast.

GET /api/city/parking lists the active lots (optionally of one commune), GET /api/city/parking/{lot_id} gives
one. Only what a driver needs: no spot sensors, owners, secrets or personal data. Figures are explained in
``city.parking``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from langson.city import parking
from langson.core.errors import not_found

router = Router(tags=["city"])


class LotOut(Schema):
    lot_id: str = Field(description="mã bãi đỗ / car park id")
    name: str
    commune_code: str = Field(description="mã xã, phường (GSO) / commune code")
    commune_name: str
    latitude: float
    longitude: float
    capacity: int | None = Field(description="tổng số chỗ / total spaces")
    free: int | None = Field(description="số chỗ trống đã biết / spaces known to be free")
    occupied: int | None
    unknown: int = Field(description="số cảm biến chưa rõ trạng thái / spot sensors without a current state")
    occupancy_pct: float | None = Field(description="tỷ lệ lấp đầy, % / occupancy, %")
    status: str = Field(description="spacesAvailable | almostFull | full | unknown (FIWARE)")
    source: str = Field(description="spots | counter | none")
    updated_at: datetime | None
    forecast_at: datetime = Field(description="thời điểm dự báo (sau 1 giờ) / forecast for (in one hour)")
    forecast_occupancy_pct: float | None
    forecast_free: int | None
    forecast_basis: str = Field(
        description="history: theo lịch sử cùng giờ trong tuần / same hour of week; "
        "current: theo mức hiện tại (chưa đủ lịch sử) / current level, too little history; none: không có"
    )
    forecast_weeks: int = Field(description="số tuần lịch sử đã dùng / past weeks used")


class LotFilter(Schema):
    commune: str | None = Field(None, max_length=10, description="mã xã, phường / commune code")


@router.get(
    "/parking",
    response=list[LotOut],
    auth=None,
    summary="Bãi đỗ xe: chỗ trống và dự báo / car parks: free spaces and forecast",
)
def list_lots(request: HttpRequest, filters: Query[LotFilter]) -> list[dict[str, Any]]:
    commune = (filters.commune or "").strip().replace("\x00", "")
    return [parking.as_public_dict(lot) for lot in parking.public_lots(commune or None)[1]]


@router.get(
    "/parking/{lot_id}",
    response=LotOut,
    auth=None,
    summary="Một bãi đỗ xe / one car park",
)
def get_lot(request: HttpRequest, lot_id: str) -> dict[str, Any]:
    lot = None if "\x00" in lot_id else parking.lot_by_id(lot_id[:64])
    if lot is None:
        raise not_found("bãi đỗ xe", "car park")
    return parking.as_public_dict(lot)
