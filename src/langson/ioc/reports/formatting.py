"""Vietnamese labels and number, date and change formatting shared by the PDF and XLSX renderers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone

from langson.ioc.reports.data import STATUS_UNKNOWN, STATUSES, IndicatorLine

# Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset needs no tz database.
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

NO_DATA = "Không có dữ liệu"
DASH = "—"

STATUS_LABELS: dict[str, str] = {
    "ok": "Đạt",
    "warning": "Cảnh báo",
    "critical": "Nghiêm trọng",
    "unknown": "Chưa có số liệu",
}
# Mirrors Indicator.Sector, Alert.Severity and Alert.State of langson.ioc.models (copied: no Django import).
SECTOR_LABELS: dict[str, str] = {
    "ioc": "Điều hành chung",
    "services": "Dịch vụ công",
    "border": "Cửa khẩu",
    "city": "Đô thị thông minh",
    "education": "Giáo dục",
    "health": "Y tế",
    "tourism": "Du lịch",
    "community": "Cộng đồng",
    "security": "An ninh mạng",
    "environment": "Môi trường",
}
SEVERITY_LABELS: dict[str, str] = {"critical": "Nghiêm trọng", "warning": "Cảnh báo"}
STATE_LABELS: dict[str, str] = {"open": "Mới", "acknowledged": "Đã tiếp nhận", "resolved": "Đã xử lý"}

_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def text(value: str) -> str:
    """Composed (NFC) text: the embedded font has the precomposed Vietnamese letters, not shaping."""
    return unicodedata.normalize("NFC", value)


def status_of(line: IndicatorLine) -> str:
    status = line.status.strip().lower()
    return status if status in STATUSES else STATUS_UNKNOWN


def label(labels: dict[str, str], code: str) -> str:
    """The Vietnamese label of a known code, else the text itself (the caller may pass labels)."""
    return labels.get(code.strip().lower(), text(code))


def finite(value: float | None) -> float | None:
    """The value as a float, or ``None`` when missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def format_number(value: float | None, max_decimals: int = 2) -> str:
    """Vietnamese style: ``.`` groups thousands, ``,`` marks decimals, trailing zeros dropped (12.345,6)."""
    number = finite(value)
    if number is None:
        return DASH
    rounded = round(number, max_decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    body = f"{abs(rounded):,.{max_decimals}f}"
    if "." in body:
        body = body.rstrip("0").rstrip(".")
    body = body.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"-{body}" if rounded < 0 else body


def with_unit(number_text: str, unit: str) -> str:
    unit = text(unit.strip())
    if not unit or number_text == DASH:
        return number_text
    return f"{number_text}{unit}" if unit == "%" else f"{number_text} {unit}"


def format_value(value: float | None, unit: str) -> str:
    return with_unit(format_number(value), unit)


def signed(value: float, max_decimals: int = 2) -> str:
    body = format_number(value, max_decimals)
    return body if body.startswith("-") or body == "0" else f"+{body}"


def change(value: float | None, previous: float | None) -> tuple[float | None, float | None]:
    """Absolute change and relative change (a fraction, ``None`` when the previous value is 0)."""
    current, before = finite(value), finite(previous)
    if current is None or before is None:
        return None, None
    delta = round(current - before, 9)  # 12345.6 - 11020.4 is 1325.2000000000007 in binary floating point
    return delta, (delta / abs(before) if before else None)


def format_change(value: float | None, previous: float | None, unit: str) -> str:
    """``+1.234 (+5,2%)``; for a percentage indicator the change is in points: ``+1,5 điểm %``."""
    delta, ratio = change(value, previous)
    if delta is None:
        return DASH
    if unit.strip() == "%":
        return f"{signed(delta)} điểm %"
    if ratio is None:
        return signed(delta)
    return f"{signed(delta)} ({signed(ratio * 100, 1)}%)"


def trend_arrow(value: float | None, previous: float | None) -> str:
    delta, _ = change(value, previous)
    if delta is None:
        return ""
    return "▲" if delta > 0 else "▼" if delta < 0 else "▶"


def target_ratio(value: float | None, target: float | None) -> float | None:
    current, goal = finite(value), finite(target)
    if current is None or not goal:
        return None
    return current / goal


def local(moment: datetime) -> datetime:
    """Naive Vietnam time (aware datetimes converted; naive ones taken as already in Vietnam time)."""
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        return moment.astimezone(VIETNAM_TZ).replace(tzinfo=None)
    return moment.replace(tzinfo=None)


def format_datetime(moment: datetime) -> str:
    return local(moment).strftime("%d/%m/%Y %H:%M")


def period_dates(period_label: str) -> tuple[date, date] | None:
    """The first and last dates of a label such as ``23/11/2026 – 29/11/2026``, when it has two."""
    found: list[date] = []
    for day, month, year in _DATE_RE.findall(period_label):
        try:
            found.append(date(int(year), int(month), int(day)))
        except ValueError:
            return None
    if len(found) != 2:
        return None
    return found[0], found[1]


def by_sector(indicators: Iterable[IndicatorLine]) -> list[tuple[str, list[IndicatorLine]]]:
    """Indicators grouped by sector, sectors and lines in the order they first appear."""
    groups: dict[str, list[IndicatorLine]] = {}
    for line in indicators:
        groups.setdefault(line.sector.strip(), []).append(line)
    return list(groups.items())


def history_values(history: Sequence[float | None]) -> list[float | None]:
    return [finite(point) for point in history]
