"""What the border gate publishes to the IOC: trucks cleared per day, median and p90 clearance time,
green-channel share and the queue, for each road gate and for the province (all gates together).

The IOC stores one value per period and commune, and a gate is not a commune (nor does its code fit that
column), so each gate has its own indicators, owned by the gate: a gate's officers see their gate's, the
economic-zone board (BQL-KKT) and the province see all. Definitions are those of ``border.clearance``: a day
is a local day (Asia/Ho_Chi_Minh) and a truck counts on the day of its gate out. The days recomputed at each
run are today, yesterday and those changed by the batches of the last two days (``days_to_recompute``).
Alerts on the queue and on a truck's time in the yard are events (``clearance.evaluate_alerts``), not
thresholds here, so that they end when the condition does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from django.utils import timezone

from langson.border import clearance
from langson.core.contract import IndicatorSpec, Value
from langson.core.models import OrgUnit
from langson.core.services.seed import BORDER_GATES

OWNER = "BQL-KKT"  # Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn, over the gates
# Trucks cross at the road gates; Ga Đồng Đăng is a railway crossing.
ROAD_GATES = ("CK-HUU-NGHI", "CK-TAN-THANH", "CK-CHI-MA")
GATE_NAMES = {code: name for code, name, _ in BORDER_GATES}
GATE_NAMES_EN = {
    "CK-HUU-NGHI": "Huu Nghi international border gate",
    "CK-TAN-THANH": "Tan Thanh border gate",
    "CK-CHI-MA": "Chi Ma border gate",
}


def _gates(gate: str | None) -> list[OrgUnit]:
    gates = clearance.border_gates()
    return list(gates.filter(code=gate) if gate else gates)


def _daily(
    gate: str | None, pick: Callable[[clearance.DayFigures], float | None], now: datetime | None
) -> list[Value]:
    units = _gates(gate)
    if not units:
        return []
    values: list[Value] = []
    for day in clearance.days_to_recompute(now):
        value = pick(clearance.day_figures(units, day, arrivals=False))
        if value is not None:
            values.append((day, "", round(float(value), 2)))
    return values


def trucks_cleared(gate: str | None = None, now: datetime | None = None) -> list[Value]:
    """Trucks out through the gate(s) each day; zero included, so a recount that fell is stored."""
    return _daily(gate, lambda f: f.cleared, now)


def median_minutes(gate: str | None = None, now: datetime | None = None) -> list[Value]:
    return _daily(gate, lambda f: f.median_minutes, now)


def p90_minutes(gate: str | None = None, now: datetime | None = None) -> list[Value]:
    return _daily(gate, lambda f: f.p90_minutes, now)


def green_share(gate: str | None = None, now: datetime | None = None) -> list[Value]:
    return _daily(gate, lambda f: f.green_share, now)


def queue_length(gate: str | None = None, now: datetime | None = None) -> list[Value]:
    """Trucks waiting now (arrived, not gated in), stored as today's value: each run overwrites it."""
    now = now or timezone.now()
    units = _gates(gate)
    if not units:
        return []
    return [(clearance.local_today(now), "", float(clearance.waiting(units, now).count()))]


MEASURES: tuple[tuple[str, str, str, str, str, Callable[..., list[Value]], str], ...] = (
    (
        "border-trucks-cleared",
        "Số xe qua cửa khẩu trong ngày",
        "Trucks cleared per day",
        "xe",
        "up",
        trucks_cleared,
        "Số lượt xe hàng đã ra cổng trong ngày (giờ Việt Nam), kể cả lượt có mốc thời gian bất thường. Xe "
        "còn trong bãi không tính.",
    ),
    (
        "border-clearance-median",
        "Thời gian thông quan trung vị",
        "Median clearance time",
        "phút",
        "down",
        median_minutes,
        "Trung vị của thời gian từ lúc xe vào bãi đến lúc ra cổng, trên các xe ra cổng trong ngày có đủ hai "
        "mốc và không có mốc bất thường (số lượng chẵn: trung bình hai giá trị giữa).",
    ),
    (
        "border-clearance-p90",
        "Thời gian thông quan P90",
        "90th percentile of clearance time",
        "phút",
        "down",
        p90_minutes,
        "Phân vị 90 (hạng gần nhất) của thời gian từ lúc xe vào bãi đến lúc ra cổng, trên các xe ra cổng "
        "trong ngày: 90% số xe thông quan trong thời gian này trở xuống.",
    ),
    (
        "border-green-share",
        "Tỷ lệ xe luồng xanh",
        "Green-channel share",
        "%",
        "up",
        green_share,
        "Số xe luồng xanh chia cho số xe ra cổng trong ngày đã có kết quả phân luồng (xanh, vàng, đỏ).",
    ),
    (
        "border-queue",
        "Số xe đang chờ vào cổng",
        "Trucks waiting to enter",
        "xe",
        "down",
        queue_length,
        "Số xe đã vào bãi nhưng chưa vào cổng, đếm tại lần tính gần nhất trong ngày.",
    ),
)


def _specs() -> list[IndicatorSpec]:
    specs = []
    for gate in (None, *ROAD_GATES):
        for code, name, name_en, unit, direction, compute, description in MEASURES:
            specs.append(
                IndicatorSpec(
                    code=f"{code}-{gate.lower()}" if gate else code,
                    name=f"{name} — {GATE_NAMES[gate]}" if gate else f"{name} (toàn tỉnh)",
                    name_en=f"{name_en} — {GATE_NAMES_EN[gate]}" if gate else f"{name_en} (province)",
                    unit=unit,
                    sector="border",
                    grain="day",
                    owner=gate or OWNER,
                    compute=partial(compute, gate),
                    direction=direction,
                    description=description
                    + (
                        ""
                        if gate
                        else " Toàn tỉnh: gộp tất cả các cửa khẩu, không phải trung bình các cửa khẩu."
                    ),
                )
            )
    return specs


INDICATORS = _specs()
