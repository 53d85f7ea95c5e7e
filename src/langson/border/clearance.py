"""Truck clearance at the border gates (thông quan xe hàng): events in, figures out.

Definitions (the tests hold a hand-checked example of each):

- A **visit** (lượt xe) is one passage of one truck through one gate, keyed by the gate and the visit
  reference (the pre-arrival registration number or the yard's ticket: the same truck comes back many times).
  Its events are pre-arrival registration (khai báo trước), arrival at the yard (vào bãi), gate in (vào cổng,
  into the customs control zone), inspection channel (phân luồng: green/yellow/red, VNACCS 1/2/3), release
  (thông quan / giải phóng hàng) and gate out (ra cổng). They may arrive in any order; the same event (visit,
  kind, time, channel) is stored once.
- Each stage's time is its earliest event; times of one stage less than ``SAME_OBSERVATION`` apart are one
  observation, farther apart they flag the visit. The channel is the latest channel event (chuyển luồng).
- **Impossible sequences** flag the visit, with the reason: gate in before arrival, gate out before arrival,
  gate in, release or pre-arrival registration. A flagged visit counts where presence matters (queue, yard,
  trucks out) but has no durations, so it is in no time figure.
- **Clearance time** = gate out − arrival at the yard. Also kept: gate out − pre-arrival registration.
  Stages: yard wait = gate in − arrival; inspection = release − gate in; exit = gate out − release. A release
  decided before the truck entered the control zone counts as at its gate in (inspection 0), so the three
  stages always add up to the clearance time.
- **Now at a gate**: waiting (hàng chờ) = arrived, not gated in, not out; inside = gated in, not out; both are
  *in the yard*, shown with the time elapsed since they arrived (or gated in, if no arrival was recorded) and
  never counted as cleared. Expected = pre-registered in the last 24 hours, not arrived yet.
- **A day's figures** at a gate (local days, Asia/Ho_Chi_Minh): trucks cleared = visits whose gate out falls
  on the day; median clearance time (the middle value, the mean of the two middle values for an even count)
  and p90 by nearest rank (the smallest value with at least 90 % of the values at or below it), over the
  cleared visits that have a clearance time; green-channel share = green / cleared visits with a channel.
- Times without an offset are Vietnam time (UTC+7 all year).

**Input.** The API takes ``{"events": [{...}, ...]}`` (at most 5,000), the CSV one row per event (UTF-8, with
or without BOM, comma, semicolon or tab, at most 5 MB and 20,000 rows). Both use the same names, English or
Vietnamese, compared without case or accents (``csv_template`` prints an example):

=========  =====================================  ==========================================================
column     also accepted                          value
=========  =====================================  ==========================================================
gate       Cửa khẩu, ma_cua_khau                  gate code (CK-HUU-NGHI) or name (Hữu Nghị); may be given
                                                  once for a whole file instead
visit      Mã lượt xe, Số đăng ký, reference      the visit reference, ≤ 60 characters
plate      Biển số, Biển số xe                    12C-123.45, 12C-1234, 桂F12345 (spaces, dots, · accepted)
event      Sự kiện                                pre_arrival/khai báo trước, arrival/vào bãi, gate_in/vào
                                                  cổng, channel/phân luồng, release/thông quan (giải phóng
                                                  hàng), gate_out/ra cổng; or "luồng xanh" / "green" …
at         Thời điểm, Thời gian, time             2026-11-28T08:15[:00][+07:00 | Z] or 28/11/2026 08:15[:00]
channel    Luồng, Phân luồng                      green/xanh/1, yellow/vàng/2, red/đỏ/3 (channel events only)
note       Ghi chú                                free text, ≤ 200 characters (optional)
=========  =====================================  ==========================================================

A row with a problem is refused with every reason (kept with the batch, ``RejectedTruckRow``); the other rows
are stored; a file that cannot be read at all stores nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import os
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from langson.border.models import ClearanceBatch, RejectedTruckRow, TruckEvent, TruckVisit
from langson.core.models import OrgUnit

logger = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Kind = TruckEvent.Kind
Channel = TruckVisit.Channel

SAME_OBSERVATION = timedelta(minutes=10)  # clocks of a camera, a yard system and a person's entry differ
FUTURE_TOLERANCE = timedelta(minutes=10)
EARLIEST = datetime(2015, 1, 1, tzinfo=UTC)
EXPECTED_WINDOW = timedelta(hours=24)
P90_PERCENT = 90
MAX_API_EVENTS = 5_000
MAX_CSV_ROWS = 20_000
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_REFERENCE = 60
MAX_NOTE = 200
STORED_VALUE_CHARS = 500  # rejected rows are kept as sent, each value cut to this length
DEFAULT_QUEUE_ALERT_TRUCKS = 100
DEFAULT_CLEARANCE_ALERT_MINUTES = 240

STAGES = (Kind.PRE_ARRIVAL, Kind.ARRIVAL, Kind.GATE_IN, Kind.RELEASE, Kind.GATE_OUT)
SEVERITY: dict[str, int] = {Channel.GREEN: 1, Channel.YELLOW: 2, Channel.RED: 3}

# (earlier stage, later stage): the later one recorded before the earlier one cannot happen.
ORDER_RULES = (
    (Kind.ARRIVAL, Kind.GATE_IN),
    (Kind.ARRIVAL, Kind.GATE_OUT),
    (Kind.GATE_IN, Kind.GATE_OUT),
    (Kind.RELEASE, Kind.GATE_OUT),
    (Kind.PRE_ARRIVAL, Kind.GATE_OUT),
)


# --- Settings -------------------------------------------------------------------------------------------


def _setting(name: str, env: str, default: int) -> int:
    """A threshold from Django settings, else the environment, else the default."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(env) or default
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        logger.error("%s=%r is not a whole number; using %s", name, value, default)
        return default


def queue_alert_trucks() -> int:
    """Alert when more trucks than this wait at a gate (arrived, not gated in).
    ``BORDER_QUEUE_ALERT_TRUCKS`` / ``LANGSON_BORDER_QUEUE_ALERT_TRUCKS``, default 100."""
    return _setting(
        "BORDER_QUEUE_ALERT_TRUCKS", "LANGSON_BORDER_QUEUE_ALERT_TRUCKS", DEFAULT_QUEUE_ALERT_TRUCKS
    )


def clearance_alert_minutes() -> int:
    """Alert when a truck still in the yard has been there longer than this.
    ``BORDER_CLEARANCE_ALERT_MINUTES`` / ``LANGSON_BORDER_CLEARANCE_ALERT_MINUTES``, default 240."""
    return _setting(
        "BORDER_CLEARANCE_ALERT_MINUTES",
        "LANGSON_BORDER_CLEARANCE_ALERT_MINUTES",
        DEFAULT_CLEARANCE_ALERT_MINUTES,
    )


# --- Messages -------------------------------------------------------------------------------------------

ROW_MESSAGES: dict[str, Promise] = {
    "not_object": gettext_lazy("Mỗi sự kiện phải là một đối tượng JSON."),
    "type": gettext_lazy("Giá trị của cột %(column)s phải là chữ hoặc số."),
    "nul": gettext_lazy("Ký tự NUL (U+0000) không được phép."),
    "gate_missing": gettext_lazy("Thiếu mã cửa khẩu."),
    "gate_unknown": gettext_lazy("Không có cửa khẩu “%(value)s” trong phạm vi của bạn."),
    "reference_missing": gettext_lazy("Thiếu mã lượt xe (số đăng ký)."),
    "reference_long": gettext_lazy("Mã lượt xe dài quá 60 ký tự."),
    "plate_missing": gettext_lazy("Thiếu biển số xe."),
    "plate_invalid": gettext_lazy(
        "Biển số “%(value)s” không đúng dạng biển Việt Nam (12C-123.45) hoặc Trung Quốc (桂F12345)."
    ),
    "plate_mismatch": gettext_lazy(
        "Lượt xe %(reference)s tại cửa khẩu này đã ghi biển số %(plate)s, khác với %(value)s."
    ),
    "event_missing": gettext_lazy("Thiếu loại sự kiện."),
    "event_unknown": gettext_lazy(
        "Không hiểu sự kiện “%(value)s”; dùng: khai báo trước, vào bãi, vào cổng, phân luồng, thông quan, "
        "ra cổng."
    ),
    "channel_missing": gettext_lazy("Sự kiện phân luồng cần ghi luồng: xanh, vàng hoặc đỏ."),
    "channel_invalid": gettext_lazy("Không hiểu luồng “%(value)s”; dùng xanh, vàng, đỏ (hoặc 1, 2, 3)."),
    "at_missing": gettext_lazy("Thiếu thời điểm."),
    "at_invalid": gettext_lazy(
        "Thời điểm “%(value)s” không đúng dạng (28/11/2026 08:15 hoặc 2026-11-28T08:15:00+07:00)."
    ),
    "at_future": gettext_lazy("Thời điểm %(value)s ở tương lai."),
    "at_old": gettext_lazy("Thời điểm %(value)s quá cũ (trước năm 2015)."),
    "note_long": gettext_lazy("Ghi chú dài quá 200 ký tự."),
}

FLAG_MESSAGES: dict[str, Promise] = {
    "order": gettext_lazy("Mốc “%(later)s” (%(later_at)s) ghi trước mốc “%(earlier)s” (%(earlier_at)s)."),
    "repeated": gettext_lazy(
        "Mốc “%(stage)s” có %(count)s thời điểm cách nhau quá 10 phút; không biết thời điểm nào đúng."
    ),
}

FILE_MESSAGES: dict[str, Promise] = {
    "empty": gettext_lazy("Tệp trống hoặc không có dòng dữ liệu nào."),
    "too_big": gettext_lazy("Tệp lớn hơn 5 MB: hãy chia nhỏ."),
    "too_many": gettext_lazy("Có hơn %(limit)s dòng: hãy chia nhỏ."),
    "encoding": gettext_lazy("Tệp CSV phải mã hóa UTF-8 (trong Excel: lưu dạng “CSV UTF-8”)."),
    "unreadable": gettext_lazy("Không đọc được tệp CSV: %(error)s"),
    "columns_missing": gettext_lazy("Thiếu cột: %(columns)s. Xem mẫu tiêu đề trên trang thông quan."),
    "column_twice": gettext_lazy("Cột “%(column)s” có hai lần trong tiêu đề."),
}

COLUMN_LABELS: dict[str, Promise] = {
    "gate": gettext_lazy("cửa khẩu"),
    "reference": gettext_lazy("mã lượt xe"),
    "plate": gettext_lazy("biển số"),
    "event": gettext_lazy("sự kiện"),
    "at": gettext_lazy("thời điểm"),
    "channel": gettext_lazy("luồng"),
    "note": gettext_lazy("ghi chú"),
}


def _render(template: Promise, params: dict[str, Any]) -> str:
    text = str(template)
    return text % params if params else text


class ClearanceInputError(ValueError):
    """A whole input refused (file or request): nothing of it is stored."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.vi)

    def message(self) -> str:
        return _render(FILE_MESSAGES[self.code], self.params)

    @property
    def vi(self) -> str:
        with translation.override("vi"):
            return self.message()

    @property
    def en(self) -> str:
        with translation.override("en"):
            return self.message()


@dataclass(frozen=True)
class RowError:
    field: str
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def message(self) -> str:
        return _render(ROW_MESSAGES[self.code], self.params)

    def stored(self) -> dict[str, Any]:
        """As kept with the rejected row: the message in Vietnamese, code and params to render it again."""
        with translation.override("vi"):
            message = self.message()
        return {"field": self.field, "code": self.code, "params": self.params, "message": message}


def reason_message(reason: dict[str, Any]) -> str:
    """A stored reason in the current language (the stored Vietnamese text if its code is unknown)."""
    template = ROW_MESSAGES.get(str(reason.get("code", "")))
    if template is None:
        return str(reason.get("message", ""))
    try:
        return _render(template, dict(reason.get("params") or {}))
    except (KeyError, TypeError, ValueError):
        return str(reason.get("message", ""))


def flag_message(flag: dict[str, Any]) -> str:
    """A visit's flag in the current language, with stage names and local times."""
    params = dict(flag.get("params") or {})
    for key in ("later", "earlier", "stage"):
        if key in params and params[key] in Kind.values:
            params[key] = str(Kind(params[key]).label)
    for key in ("later_at", "earlier_at"):
        if key in params:
            params[key] = _local_text(datetime.fromisoformat(params[key]))
    template = FLAG_MESSAGES.get(str(flag.get("code", "")))
    return _render(template, params) if template is not None else str(flag.get("code", ""))


def format_minutes(minutes: float | None) -> str:
    """``95.5`` → "1 giờ 36 phút"; ``None`` → "—"."""
    if minutes is None:
        return "—"
    total = round(minutes)
    hours, rest = divmod(total, 60)
    if hours:
        return _("%(h)d giờ %(m)02d phút") % {"h": hours, "m": rest}
    return _("%(m)d phút") % {"m": rest}


def _local_text(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


# --- Reading values (pure) ------------------------------------------------------------------------------


def normalise_key(text: str) -> str:
    """Header names, event and channel words compared without case, accents or punctuation:
    "Biển số xe" → "bien_so_xe", "Vào bãi" → "vao_bai"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "gate": ("gate", "gate_code", "border_gate", "cua_khau", "ma_cua_khau"),
    "reference": (
        "visit",
        "visit_id",
        "reference",
        "registration",
        "registration_number",
        "ma_luot",
        "ma_luot_xe",
        "so_dang_ky",
        "so_dang_ky_truoc",
    ),
    "plate": ("plate", "truck_plate", "vehicle_plate", "bien_so", "bien_so_xe", "bks"),
    "event": ("event", "event_type", "kind", "su_kien", "loai_su_kien", "moc"),
    "at": ("at", "time", "timestamp", "event_time", "thoi_diem", "thoi_gian", "luc"),
    "channel": ("channel", "inspection_channel", "luong", "phan_luong"),
    "note": ("note", "ghi_chu"),
}
_COLUMN_OF = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
REQUIRED_COLUMNS = ("reference", "plate", "event", "at")

# The documented CSV header (the English names work as well): see ``csv_template``.
CSV_HEADER_VI = ("Cửa khẩu", "Mã lượt xe", "Biển số", "Sự kiện", "Thời điểm", "Luồng", "Ghi chú")
CSV_HEADER_EN = ("gate", "visit", "plate", "event", "at", "channel", "note")

_EVENT_WORDS: dict[str, tuple[str, str]] = {}
for _kind, _words in (
    (Kind.PRE_ARRIVAL, ("pre_arrival", "pre_registration", "khai_bao_truoc", "khai_bao", "dang_ky_truoc")),
    (Kind.ARRIVAL, ("arrival", "arrived", "yard_in", "vao_bai", "den_bai")),
    (Kind.GATE_IN, ("gate_in", "vao_cong", "qua_cong_vao", "vao_khu_kiem_soat")),
    (Kind.CHANNEL, ("channel", "inspection_channel", "phan_luong")),
    (Kind.RELEASE, ("release", "released", "clearance", "thong_quan", "giai_phong_hang")),
    (Kind.GATE_OUT, ("gate_out", "ra_cong", "qua_cua_khau")),
):
    for _word in _words:
        _EVENT_WORDS[_word] = (_kind, "")

_CHANNEL_WORDS: dict[str, str] = {}
for _channel, _words in (
    (Channel.GREEN, ("green", "xanh", "luong_xanh", "1")),
    (Channel.YELLOW, ("yellow", "vang", "luong_vang", "2")),
    (Channel.RED, ("red", "do", "luong_do", "3")),
):
    for _word in _words:
        _CHANNEL_WORDS[_word] = _channel
        if not _word.isdigit():  # "luồng xanh" / "green" as the event itself
            _EVENT_WORDS.setdefault(_word, (Kind.CHANNEL, _channel))


def parse_event(text: str) -> tuple[str, str] | None:
    """(kind, channel implied by the word or "") or None."""
    return _EVENT_WORDS.get(normalise_key(text))


def parse_channel(text: str) -> str | None:
    return _CHANNEL_WORDS.get(normalise_key(text))


_VN_PLATE = re.compile(r"(\d{2})([A-HK-NP-ZĐ]{1,2})(\d{4,5})")
_CN_PLATE = re.compile(r"([\u4e00-\u9fff])([A-HJ-NP-Z])([A-HJ-NP-Z0-9]{5,6})")


def normalise_plate(text: str) -> str | None:
    """A typed plate in its printed form, or None: "12c 123.45" → "12C-123.45", "12C1234" → "12C-1234",
    "桂F·12345" → "桂F12345". No OCR repairs: a typed O is not a 0. Series with a digit (motorbikes) are
    not trucks."""
    compact = re.sub(r"[\s.\-–·•_]", "", unicodedata.normalize("NFC", text)).upper()
    match = _VN_PLATE.fullmatch(compact)
    if match:
        province, series, number = match.groups()
        if len(number) == 5:
            return f"{province}{series}-{number[:3]}.{number[3:]}"
        return f"{province}{series}-{number}"
    match = _CN_PLATE.fullmatch(compact)
    if match:
        return "".join(match.groups())
    return None


_LOCAL_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M")


def parse_time(text: str) -> datetime | None:
    """An aware datetime from ISO 8601 (offset or Z optional) or 28/11/2026 08:15[:30]; times without an
    offset are Vietnam time. A date without a time is not a moment: None."""
    value = text.strip()
    if len(value) < 12:
        return None
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        for pattern in _LOCAL_FORMATS:
            try:
                moment = datetime.strptime(value, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return moment.replace(tzinfo=LOCAL_TZ) if moment.tzinfo is None else moment


def _cell(value: Any) -> str | None:
    """A row's value as text; None when it is neither text nor a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float):
        return str(value).strip()
    return None


# --- Gates ----------------------------------------------------------------------------------------------

_GATE_WORDS = {"cua", "khau", "quoc", "te", "chinh", "phu", "duong", "sat", "ck"}


def gate_keys(unit: OrgUnit) -> set[str]:
    """The ways a gate may be written: its code ("CK-HUU-NGHI"), its name, or the name without the kind of
    gate ("Hữu Nghị")."""
    keys = {normalise_key(unit.code), normalise_key(unit.name)}
    for text in (unit.code, unit.name):
        words = normalise_key(text).split("_")
        while words and words[0] in _GATE_WORDS:
            words.pop(0)
        if words:
            keys.add("_".join(words))
    return keys


def gate_lookup(gates: Iterable[OrgUnit]) -> dict[str, OrgUnit]:
    return {key: unit for unit in gates for key in gate_keys(unit)}


def border_gates() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.BORDER_GATE, is_active=True).order_by("code")


def visible_gates(user: Any) -> QuerySet[OrgUnit]:
    """The gates whose trucks the person may see: their own gate, every gate for the province."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("border.view_truckvisit"):
        return OrgUnit.objects.none()
    return border_gates().filter(pk__in=OrgUnit.objects.visible_to(user).values("pk"))


def recording_gates(user: Any) -> QuerySet[OrgUnit]:
    """The gates for which the person may record truck events."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("border.add_truckevent"):
        return OrgUnit.objects.none()
    return border_gates().filter(pk__in=OrgUnit.objects.visible_to(user).values("pk"))


# --- Validating rows (pure but for the gate lookup) ------------------------------------------------------


@dataclass(frozen=True)
class EventIn:
    row: int
    gate: OrgUnit
    reference: str
    plate: str
    kind: str
    at: datetime
    channel: str
    note: str

    @property
    def visit_key(self) -> tuple[int, str]:
        return (self.gate.pk, self.reference)


def canonical_row(raw: dict[str, Any]) -> dict[str, Any]:
    """Known columns by their canonical names (English or Vietnamese headers); other keys are ignored."""
    row: dict[str, Any] = {}
    for key, value in raw.items():
        column = _COLUMN_OF.get(normalise_key(str(key)))
        if column is not None and column not in row:
            row[column] = value
    return row


def validate_row(
    raw: Any, *, row: int, gates: dict[str, OrgUnit], default_gate: OrgUnit | None, now: datetime
) -> EventIn | list[RowError]:
    """One event, or every reason the row cannot be one."""
    if not isinstance(raw, dict):
        return [RowError("", "not_object")]
    values: dict[str, str] = {}
    errors: list[RowError] = []
    for column, value in canonical_row(raw).items():
        text = _cell(value)
        if text is None:
            errors.append(RowError(column, "type", {"column": str(COLUMN_LABELS[column])}))
        elif "\x00" in text:
            errors.append(RowError(column, "nul"))
        else:
            values[column] = text
    if errors:
        return errors

    gate = default_gate
    if values.get("gate"):
        gate = gates.get(normalise_key(values["gate"]))
        if gate is None:
            errors.append(RowError("gate", "gate_unknown", {"value": values["gate"][:60]}))
    elif gate is None:
        errors.append(RowError("gate", "gate_missing"))

    reference = values.get("reference", "")
    if not reference:
        errors.append(RowError("reference", "reference_missing"))
    elif len(reference) > MAX_REFERENCE:
        errors.append(RowError("reference", "reference_long"))

    plate = None
    if not values.get("plate"):
        errors.append(RowError("plate", "plate_missing"))
    else:
        plate = normalise_plate(values["plate"])
        if plate is None:
            errors.append(RowError("plate", "plate_invalid", {"value": values["plate"][:40]}))

    kind, channel = "", ""
    if not values.get("event"):
        errors.append(RowError("event", "event_missing"))
    else:
        parsed = parse_event(values["event"])
        if parsed is None:
            errors.append(RowError("event", "event_unknown", {"value": values["event"][:40]}))
        else:
            kind, channel = parsed
    if kind == Kind.CHANNEL and values.get("channel"):
        found = parse_channel(values["channel"])
        if found is None:
            errors.append(RowError("channel", "channel_invalid", {"value": values["channel"][:20]}))
        else:
            channel = found
    elif kind == Kind.CHANNEL and not channel:
        errors.append(RowError("channel", "channel_missing"))
    # The channel column is read on channel events only: exports often repeat it on every row of a visit.

    at = None
    if not values.get("at"):
        errors.append(RowError("at", "at_missing"))
    else:
        at = parse_time(values["at"])
        if at is None:
            errors.append(RowError("at", "at_invalid", {"value": values["at"][:40]}))
        elif at > now + FUTURE_TOLERANCE:
            errors.append(RowError("at", "at_future", {"value": _local_text(at)}))
        elif at < EARLIEST:
            errors.append(RowError("at", "at_old", {"value": values["at"][:40]}))

    note = values.get("note", "")
    if len(note) > MAX_NOTE:
        errors.append(RowError("note", "note_long"))

    if errors:
        return errors
    assert gate is not None and plate is not None and at is not None  # noqa: S101 - guarded by errors above
    return EventIn(row, gate, reference, plate, kind, at.astimezone(UTC), channel, note)


# --- One visit's times and durations (pure) ---------------------------------------------------------------


@dataclass
class Summary:
    times: dict[str, datetime | None]
    channel: str
    flags: list[dict[str, Any]]
    clearance_minutes: float | None = None
    from_registration_minutes: float | None = None
    yard_wait_minutes: float | None = None
    inspection_minutes: float | None = None
    exit_minutes: float | None = None


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


def summarise(events: Iterable[tuple[str, datetime, str]]) -> Summary:
    """The stage times, channel, flags and durations of one visit from its events (kind, at, channel)."""
    seen: dict[str, list[datetime]] = defaultdict(list)
    channels: list[tuple[datetime, int, str]] = []
    for kind, at, channel in events:
        if kind == Kind.CHANNEL:
            channels.append((at, SEVERITY.get(channel, 0), channel))  # same moment: the stricter channel
        else:
            seen[kind].append(at)
    times: dict[str, datetime | None] = {stage: min(seen[stage]) if seen[stage] else None for stage in STAGES}
    flags: list[dict[str, Any]] = []
    for stage in STAGES:
        moments = seen[stage]
        if moments and max(moments) - min(moments) > SAME_OBSERVATION:
            flags.append({"code": "repeated", "params": {"stage": str(stage), "count": len(set(moments))}})
    for earlier, later in ORDER_RULES:
        first, second = times[earlier], times[later]
        if first is not None and second is not None and second < first:
            flags.append(
                {
                    "code": "order",
                    "params": {
                        "earlier": str(earlier),
                        "later": str(later),
                        "earlier_at": first.isoformat(),
                        "later_at": second.isoformat(),
                    },
                }
            )
    summary = Summary(times=times, channel=max(channels)[2] if channels else "", flags=flags)
    if flags:
        return summary  # an impossible sequence: no duration of this visit can be trusted
    arrival, gate_in = times[Kind.ARRIVAL], times[Kind.GATE_IN]
    release, gate_out = times[Kind.RELEASE], times[Kind.GATE_OUT]
    effective_release = max(release, gate_in) if release is not None and gate_in is not None else release
    summary.clearance_minutes = _minutes(arrival, gate_out)
    summary.from_registration_minutes = _minutes(times[Kind.PRE_ARRIVAL], gate_out)
    summary.yard_wait_minutes = _minutes(arrival, gate_in)
    summary.inspection_minutes = _minutes(gate_in, effective_release) if gate_in is not None else None
    summary.exit_minutes = _minutes(effective_release, gate_out)
    return summary


# --- Statistics (pure) ------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def nearest_rank(values: Sequence[float], percent: int) -> float | None:
    """The smallest value with at least ``percent`` % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent * len(ordered) / 100))
    return float(ordered[rank - 1])


@dataclass(frozen=True)
class VisitFigures:
    """What a day's figures need of one visit."""

    clearance_minutes: float | None
    from_registration_minutes: float | None
    yard_wait_minutes: float | None
    inspection_minutes: float | None
    exit_minutes: float | None
    channel: str
    flagged: bool


@dataclass(frozen=True)
class DayFigures:
    day: date
    arrived: int
    cleared: int
    timed: int
    flagged: int
    median_minutes: float | None
    p90_minutes: float | None
    median_from_registration: float | None
    median_yard_wait: float | None
    median_inspection: float | None
    median_exit: float | None
    green: int
    yellow: int
    red: int
    green_share: float | None  # percent, 2 decimals

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _present(values: Iterable[float | None]) -> list[float]:
    return [v for v in values if v is not None]


def day_figures_of(day: date, arrived: int, cleared: Sequence[VisitFigures]) -> DayFigures:
    """A day's figures from the visits that went out that day and the count of arrivals."""
    clearance = _present(v.clearance_minutes for v in cleared)
    counts = {c: sum(1 for v in cleared if v.channel == c) for c in Channel.values}
    with_channel = sum(counts.values())
    return DayFigures(
        day=day,
        arrived=arrived,
        cleared=len(cleared),
        timed=len(clearance),
        flagged=sum(1 for v in cleared if v.flagged),
        median_minutes=median(clearance),
        p90_minutes=nearest_rank(clearance, P90_PERCENT),
        median_from_registration=median(_present(v.from_registration_minutes for v in cleared)),
        median_yard_wait=median(_present(v.yard_wait_minutes for v in cleared)),
        median_inspection=median(_present(v.inspection_minutes for v in cleared)),
        median_exit=median(_present(v.exit_minutes for v in cleared)),
        green=counts[Channel.GREEN],
        yellow=counts[Channel.YELLOW],
        red=counts[Channel.RED],
        green_share=round(100.0 * counts[Channel.GREEN] / with_channel, 2) if with_channel else None,
    )


# --- Reading CSV ------------------------------------------------------------------------------------------


def read_csv(content: bytes, *, gate_required: bool = True) -> list[tuple[int, dict[str, str]]]:
    """(line number, row by the file's own header) for every non-blank data row; the header is line 1.
    Refuses the whole file when it cannot be read or lacks a required column."""
    if len(content) > MAX_CSV_BYTES:
        raise ClearanceInputError("too_big")
    try:
        text = content.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as exc:
        raise ClearanceInputError("encoding") from exc
    if "\x00" in text:
        raise ClearanceInputError("unreadable", error="NUL")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)  # Vietnamese Excel often saves with ;
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise ClearanceInputError("unreadable", error=str(exc)) from exc
    if not records or not any(cell.strip() for cell in records[0]):
        raise ClearanceInputError("empty")
    header = [cell.strip() for cell in records[0]]
    columns: dict[str, str] = {}
    for name in header:
        column = _COLUMN_OF.get(normalise_key(name))
        if column is None:
            continue  # extra columns are allowed and ignored
        if column in columns:
            raise ClearanceInputError("column_twice", column=name)
        columns[column] = name
    required = (*REQUIRED_COLUMNS, "gate") if gate_required else REQUIRED_COLUMNS
    missing = [c for c in required if c not in columns]
    if missing:
        raise ClearanceInputError(
            "columns_missing", columns=", ".join(str(COLUMN_LABELS[c]) for c in missing)
        )
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append(
            (number, {name: record[i] if i < len(record) else "" for i, name in enumerate(header) if name})
        )
    if not rows:
        raise ClearanceInputError("empty")
    if len(rows) > MAX_CSV_ROWS:
        raise ClearanceInputError("too_many", limit=f"{MAX_CSV_ROWS:,}".replace(",", "."))
    return rows


def csv_template() -> str:
    """The documented header with example rows (Vietnamese names; the English ones work the same)."""
    lines = [
        ",".join(CSV_HEADER_VI),
        "CK-HUU-NGHI,HN-2026-000123,12C-123.45,khai báo trước,28/11/2026 06:30,,",
        "CK-HUU-NGHI,HN-2026-000123,12C-123.45,vào bãi,28/11/2026 07:00,,",
        "CK-HUU-NGHI,HN-2026-000123,12C-123.45,vào cổng,28/11/2026 07:40,,",
        "CK-HUU-NGHI,HN-2026-000123,12C-123.45,phân luồng,28/11/2026 07:45,xanh,",
        "CK-HUU-NGHI,HN-2026-000123,12C-123.45,thông quan,2026-11-28T01:10:00Z,,giờ UTC",
        "CK-HUU-NGHI,HN-2026-000123,12C-123.45,ra cổng,28/11/2026 08:30,,",
    ]
    return "\n".join(lines) + "\n"


# --- Ingestion --------------------------------------------------------------------------------------------


def _stored_data(raw: Any) -> Any:
    """A rejected row as sent, storable on every database (no NUL, values cut to a sane length)."""
    if isinstance(raw, dict):
        return {str(k).replace("\x00", "\ufffd")[:100]: _stored_data(v) for k, v in list(raw.items())[:50]}
    if isinstance(raw, list):
        return [_stored_data(v) for v in raw[:50]]
    if isinstance(raw, str):
        return raw.replace("\x00", "\ufffd")[:STORED_VALUE_CHARS]
    if raw is None or isinstance(raw, bool | int | float):
        return raw
    return str(raw)[:STORED_VALUE_CHARS]


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(LOCAL_TZ).date() if moment is not None else None


def _apply(visit: TruckVisit, summary: Summary) -> None:
    visit.pre_registered_at = summary.times[Kind.PRE_ARRIVAL]
    visit.arrived_at = summary.times[Kind.ARRIVAL]
    visit.gated_in_at = summary.times[Kind.GATE_IN]
    visit.released_at = summary.times[Kind.RELEASE]
    visit.gated_out_at = summary.times[Kind.GATE_OUT]
    visit.channel = summary.channel
    visit.flags = summary.flags
    visit.clearance_minutes = summary.clearance_minutes
    visit.from_registration_minutes = summary.from_registration_minutes
    visit.yard_wait_minutes = summary.yard_wait_minutes
    visit.inspection_minutes = summary.inspection_minutes
    visit.exit_minutes = summary.exit_minutes


DERIVED_FIELDS = [
    "pre_registered_at",
    "arrived_at",
    "gated_in_at",
    "released_at",
    "gated_out_at",
    "channel",
    "flags",
    "clearance_minutes",
    "from_registration_minutes",
    "yard_wait_minutes",
    "inspection_minutes",
    "exit_minutes",
    "updated_at",
]


def ingest(
    rows: Sequence[tuple[int, Any]],
    *,
    source: str,
    user: Any,
    gates: Iterable[OrgUnit],
    default_gate: OrgUnit | None = None,
    file_name: str = "",
    content: bytes | None = None,
    now: datetime | None = None,
) -> ClearanceBatch:
    """Store a batch of events given as (row number, raw row): every valid new event, each rejected row with
    its reasons, in one transaction. ``gates`` are those the sender may record for (other gates are refused
    as unknown). Returns the batch with its counts; its ``rejected_rows`` hold the refusals."""
    if not rows:
        raise ClearanceInputError("empty")
    now = now or timezone.now()
    lookup = gate_lookup(gates)
    accepted: list[EventIn] = []
    rejected: list[tuple[int, Any, list[RowError]]] = []
    for number, raw in rows:
        result = validate_row(raw, row=number, gates=lookup, default_gate=default_gate, now=now)
        if isinstance(result, EventIn):
            accepted.append(result)
        else:
            rejected.append((number, raw, result))

    with transaction.atomic():
        keys = sorted({e.visit_key for e in accepted})
        visits = _visits(keys, lock=True)
        plates = {key: visit.plate for key, visit in visits.items()}
        known: set[tuple[int, str, str, datetime, str]] = set()
        key_of = {visit.pk: key for key, visit in visits.items()}
        for chunk in _chunks(list(key_of)):
            for visit_id, kind, at, channel in TruckEvent.objects.filter(visit_id__in=chunk).values_list(
                "visit_id", "kind", "at", "channel"
            ):
                known.add((*key_of[visit_id], kind, at, channel))
        raw_of = dict(rows)
        new: list[EventIn] = []
        duplicates = 0
        for event in accepted:
            plate = plates.setdefault(event.visit_key, event.plate)
            if plate != event.plate:
                params = {"reference": event.reference, "plate": plate, "value": event.plate}
                rejected.append((event.row, raw_of[event.row], [RowError("plate", "plate_mismatch", params)]))
                continue
            key = (*event.visit_key, event.kind, event.at, event.channel)
            if key in known:
                duplicates += 1
                continue
            known.add(key)
            new.append(event)
        rejected.sort(key=lambda item: item[0])
        batch = ClearanceBatch.objects.create(
            source=source,
            file_name=file_name[:255],
            sha256=hashlib.sha256(content).hexdigest() if content is not None else "",
            received=len(rows),
            stored=len(new),
            duplicates=duplicates,
            rejected=len(rejected),
            recorded_by=user if getattr(user, "pk", None) else None,
        )
        missing = [key for key in {e.visit_key for e in new} if key not in visits]
        gate_of = {e.gate.pk: e.gate for e in new}
        TruckVisit.objects.bulk_create(
            [TruckVisit(gate=gate_of[g], reference=r, plate=plates[(g, r)]) for g, r in missing],
            ignore_conflicts=True,  # a concurrent batch may create the same visit: it is the same visit
        )
        visits.update(_visits(missing, lock=True))
        TruckEvent.objects.bulk_create(
            [
                TruckEvent(
                    visit=visits[e.visit_key],
                    kind=e.kind,
                    at=e.at,
                    channel=e.channel,
                    source=source,
                    note=e.note,
                    batch=batch,
                    recorded_by=batch.recorded_by,
                )
                for e in new
            ],
            ignore_conflicts=True,
        )
        RejectedTruckRow.objects.bulk_create(
            [
                RejectedTruckRow(
                    batch=batch,
                    row_number=number,
                    data=_stored_data(raw),
                    reasons=[e.stored() for e in errors],
                )
                for number, raw, errors in rejected
            ]
        )
        touched = {e.visit_key: visits[e.visit_key] for e in new}
        batch.days = sorted(d.isoformat() for d in _refresh(list(touched.values())))
        batch.save(update_fields=["days"])
        transaction.on_commit(_wake_alerts, robust=True)
    return batch


def ingest_csv(
    content: bytes, *, user: Any, gates: Iterable[OrgUnit], default_gate: OrgUnit | None, file_name: str
) -> ClearanceBatch:
    """A CSV file of events as one batch (the upload page and the API): rows without a gate column take
    ``default_gate``; ``ClearanceInputError`` when the file itself cannot be read."""
    rows = read_csv(content, gate_required=default_gate is None)
    return ingest(
        rows,
        source=ClearanceBatch.Source.CSV,
        user=user,
        gates=gates,
        default_gate=default_gate,
        file_name=file_name,
        content=content,
    )


def _visits(keys: Sequence[tuple[int, str]], *, lock: bool = False) -> dict[tuple[int, str], TruckVisit]:
    found: dict[tuple[int, str], TruckVisit] = {}
    wanted = set(keys)
    for chunk in _chunks(list(keys)):
        query = TruckVisit.objects.filter(
            gate_id__in={gate for gate, _ref in chunk}, reference__in={ref for _gate, ref in chunk}
        ).select_related("gate")
        if lock:
            query = query.select_for_update(of=("self",))
        for visit in query:
            key = (visit.gate_id, visit.reference)
            if key in wanted:
                found[key] = visit
    return found


def _refresh(visits: list[TruckVisit]) -> set[date]:
    """Recompute the visits' derived fields from all their events; the local days whose figures changed."""
    days: set[date] = set()
    events: dict[int, list[tuple[str, datetime, str]]] = defaultdict(list)
    for chunk in _chunks([v.pk for v in visits]):
        for visit_id, kind, at, channel in TruckEvent.objects.filter(visit_id__in=chunk).values_list(
            "visit_id", "kind", "at", "channel"
        ):
            events[visit_id].append((kind, at, channel))
    now = timezone.now()
    for visit in visits:
        before = (_local_day(visit.gated_out_at), _local_day(visit.arrived_at))
        _apply(visit, summarise(events[visit.pk]))
        visit.updated_at = now
        days.update(d for d in (*before, _local_day(visit.gated_out_at), _local_day(visit.arrived_at)) if d)
    for chunk in _chunks(visits):
        TruckVisit.objects.bulk_update(chunk, DERIVED_FIELDS)
    return days


def _wake_alerts() -> None:
    from langson.border.tasks import check_clearance

    check_clearance.enqueue()


# --- Figures from the database ----------------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=LOCAL_TZ)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL_TZ)


def local_today(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(LOCAL_TZ).date()


def day_figures(gates: Iterable[OrgUnit], day: date, *, arrivals: bool = True) -> DayFigures:
    """The day's figures over the given gates together (one gate, or all of them for the province).
    Without ``arrivals`` the arrivals are not counted (0): one query less for the IOC's figures."""
    start, end = day_bounds(day)
    visits = TruckVisit.objects.filter(gate__in=list(gates))
    arrived = visits.filter(arrived_at__gte=start, arrived_at__lt=end).count() if arrivals else 0
    cleared = [
        VisitFigures(*row[:6], flagged=bool(row[6]))
        for row in visits.filter(gated_out_at__gte=start, gated_out_at__lt=end).values_list(
            "clearance_minutes",
            "from_registration_minutes",
            "yard_wait_minutes",
            "inspection_minutes",
            "exit_minutes",
            "channel",
            "flags",
        )
    ]
    return day_figures_of(day, arrived, cleared)


def in_yard(gates: Iterable[OrgUnit], now: datetime) -> QuerySet[TruckVisit]:
    """Visits arrived or gated in by ``now`` and not out by then."""
    return (
        TruckVisit.objects.filter(gate__in=list(gates))
        .filter(Q(gated_out_at__isnull=True) | Q(gated_out_at__gt=now))
        .filter(Q(arrived_at__lte=now) | Q(gated_in_at__lte=now))
    )


def waiting(gates: Iterable[OrgUnit], now: datetime) -> QuerySet[TruckVisit]:
    """The queue: arrived, not gated in, not out."""
    return in_yard(gates, now).filter(arrived_at__lte=now).exclude(gated_in_at__lte=now)


@dataclass(frozen=True)
class YardTruck:
    visit: TruckVisit
    status: str  # waiting | inside | released
    since: datetime
    elapsed_minutes: float
    stage_minutes: float  # in the current stage


@dataclass(frozen=True)
class Yard:
    now: datetime
    waiting: list[YardTruck]
    inside: list[YardTruck]
    expected: int

    @property
    def trucks(self) -> list[YardTruck]:
        return sorted(self.waiting + self.inside, key=lambda t: -t.elapsed_minutes)


def yard(gates: Iterable[OrgUnit], now: datetime | None = None) -> Yard:
    """The trucks in the yard of the gates at ``now`` with their elapsed times, longest first."""
    now = now or timezone.now()
    gates = list(gates)
    waiting_list: list[YardTruck] = []
    inside_list: list[YardTruck] = []
    for visit in in_yard(gates, now).select_related("gate"):
        starts = [t for t in (visit.arrived_at, visit.gated_in_at) if t is not None and t <= now]
        since = min(starts)
        elapsed = (now - since).total_seconds() / 60
        gated_in, released = visit.gated_in_at, visit.released_at
        if gated_in is not None and gated_in <= now:
            status, stage_start = "inside", gated_in
            if released is not None and released <= now:
                status, stage_start = "released", max(released, gated_in)
            stage = (now - stage_start).total_seconds() / 60
            inside_list.append(YardTruck(visit, status, since, elapsed, stage))
        else:
            waiting_list.append(YardTruck(visit, "waiting", since, elapsed, elapsed))
    expected = (
        TruckVisit.objects.filter(
            gate__in=gates, pre_registered_at__gt=now - EXPECTED_WINDOW, pre_registered_at__lte=now
        )
        .exclude(arrived_at__lte=now)
        .exclude(gated_in_at__lte=now)
        .exclude(gated_out_at__lte=now)
        .count()
    )
    waiting_list.sort(key=lambda t: -t.elapsed_minutes)  # the longest wait first
    inside_list.sort(key=lambda t: -t.elapsed_minutes)
    return Yard(now, waiting_list, inside_list, expected)


# --- Alerts to the IOC ------------------------------------------------------------------------------------

QUEUE_EVENT = "gate.queue_long"
SLOW_EVENT = "truck.clearance_slow"


def _slow_key(visit: TruckVisit) -> str:
    return f"{visit.gate.code}/{visit.reference}"


def evaluate_alerts(now: datetime | None = None) -> dict[str, int]:
    """Emit an event to the IOC for each gate whose queue is longer than the threshold and each truck in the
    yard for longer than the threshold; clear them when the condition is over (queue back at or below the
    threshold, truck out). Idempotent: the IOC keeps one live alert per gate or visit."""
    from langson.core.contract import clear, emit

    now = now or timezone.now()
    queue_limit = queue_alert_trucks()
    minutes_limit = clearance_alert_minutes()
    counts = {"queues": 0, "slow_trucks": 0, "cleared": 0}
    for gate in border_gates():
        length = waiting([gate], now).count()
        if length > queue_limit:
            emit(
                "border",
                QUEUE_EVENT,
                f"Hàng chờ tại {gate.name}: {length} xe chưa vào cổng (ngưỡng {queue_limit} xe)",
                unit_code=gate.code,
                key=gate.code,
                waiting=length,
            )
            counts["queues"] += 1
        else:
            clear("border", QUEUE_EVENT, key=gate.code, reason=f"{length} xe chờ")

    cutoff = now - timedelta(minutes=minutes_limit)
    slow = (
        in_yard(border_gates(), now)
        .filter(Q(arrived_at__lt=cutoff) | Q(gated_in_at__lt=cutoff))
        .select_related("gate")
    )
    slow_ids = []
    for visit in slow:
        since = min(t for t in (visit.arrived_at, visit.gated_in_at) if t is not None)
        hours, minutes = divmod(int((now - since).total_seconds() // 60), 60)
        emit(
            "border",
            SLOW_EVENT,
            f"Xe {visit.plate} ({visit.reference}) tại {visit.gate.name} chưa qua cửa khẩu sau {hours} giờ "
            f"{minutes:02d} phút (ngưỡng {minutes_limit} phút)",
            unit_code=visit.gate.code,
            key=_slow_key(visit),
            plate=visit.plate,
        )
        slow_ids.append(visit.pk)
    counts["slow_trucks"] = len(slow_ids)
    TruckVisit.objects.filter(pk__in=slow_ids, slow_alert=False).update(slow_alert=True)
    over = TruckVisit.objects.filter(slow_alert=True).exclude(pk__in=slow_ids).select_related("gate")
    for visit in over:
        clear("border", SLOW_EVENT, key=_slow_key(visit), reason="ra cổng hoặc dưới ngưỡng")
        counts["cleared"] += 1
    over.update(slow_alert=False)
    return counts


# --- For the IOC's indicators -----------------------------------------------------------------------------

# The IOC computes every 15 minutes: two days of batches cover a worker stopped for a day and more. Each day
# to recompute costs one small indexed query per indicator, so a CSV of a year's history is about 7,300
# queries per run, for the two days it stays in the window.
RECOMPUTE_LOOKBACK = timedelta(days=2)


def days_to_recompute(now: datetime | None = None) -> list[date]:
    """Today, yesterday, and every day a batch of the last two days changed (a late CSV changes old days)."""
    now = now or timezone.now()
    today = local_today(now)
    days = {today, today - timedelta(days=1)}
    for changed in ClearanceBatch.objects.filter(created_at__gte=now - RECOMPUTE_LOOKBACK).values_list(
        "days", flat=True
    ):
        days.update(date.fromisoformat(d) for d in changed or [])
    return sorted(d for d in days if d <= today)
