"""Row validation against a dataset's declared schema. Pure functions: no database, no Django.

Every rejection carries a reason in Vietnamese and English and names the column, so the sender can fix the
row and send it again; accepted rows come out typed (int, float, str, date, datetime, bool).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COLUMN_TYPES = ("integer", "number", "string", "date", "datetime", "boolean", "commune")
TRUE_WORDS = {"1", "true", "yes", "có", "co", "x"}
FALSE_WORDS = {"0", "false", "no", "không", "khong", ""}


@dataclass(frozen=True)
class Reason:
    column: str
    code: str
    vi: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"column": self.column, "code": self.code, "vi": self.vi, "en": self.en}


@dataclass
class Rejection:
    row_number: int
    data: dict[str, Any]
    reasons: list[Reason] = field(default_factory=list)


class SchemaError(ValueError):
    """The schema itself (or a whole file's header) is unusable: nothing of the batch is stored."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en


def check_schema(schema: Mapping[str, Any]) -> None:
    columns = schema.get("columns")
    if not isinstance(columns, list) or not columns:
        raise SchemaError("Lược đồ phải có danh sách cột.", "The schema needs a list of columns.")
    names = [c.get("name") for c in columns]
    if len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
        raise SchemaError("Tên cột phải có và không trùng nhau.", "Column names must be present and unique.")
    for column in columns:
        if column.get("type") not in COLUMN_TYPES:
            raise SchemaError(
                f"Cột {column['name']}: kiểu {column.get('type')!r} không được hỗ trợ.",
                f"Column {column['name']}: unsupported type {column.get('type')!r}.",
            )
    for key in schema.get("key", []):
        if key not in names:
            raise SchemaError(f"Khóa {key} không phải là một cột.", f"Key {key} is not a column.")
    time_column = schema.get("time_column")
    if time_column is not None and time_column not in names:
        raise SchemaError(
            f"Cột thời gian {time_column} không tồn tại.", f"Time column {time_column} is missing."
        )


def check_header(schema: Mapping[str, Any], header: Sequence[str]) -> None:
    missing = [c["name"] for c in schema["columns"] if c.get("required") and c["name"] not in header]
    if missing:
        raise SchemaError(
            "Tệp thiếu cột bắt buộc: " + ", ".join(missing) + ".",
            "The file lacks required columns: " + ", ".join(missing) + ".",
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if "/" in text:  # dd/mm/yyyy, as Vietnamese forms write it
        day, month, year = text.split("/")
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(text[:10] if "T" in text else text)


def _parse_datetime(value: Any) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value).strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)  # naive times are local time in Lạng Sơn
    return moment.astimezone(dt.UTC)


def _coerce(column: Mapping[str, Any], value: Any, communes: frozenset[str]) -> Any:
    kind = column["type"]
    if kind == "integer":
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            return int(value)
        return int(str(value).strip())
    if kind == "number":
        if isinstance(value, bool):
            raise ValueError
        number = float(str(value).strip()) if not isinstance(value, int | float) else float(value)
        if not math.isfinite(number):
            raise ValueError
        return number
    if kind == "date":
        return _parse_date(value)
    if kind == "datetime":
        return _parse_datetime(value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError
    if kind == "commune":
        code = str(int(str(value).strip()))  # "06184" and 6184 both mean 6184
        if code not in communes:
            raise LookupError
        return code
    return str(value).strip()


TYPE_NAMES = {
    "integer": ("số nguyên", "an integer"),
    "number": ("số", "a number"),
    "date": ("ngày (YYYY-MM-DD hoặc dd/mm/yyyy)", "a date (YYYY-MM-DD or dd/mm/yyyy)"),
    "datetime": ("thời điểm ISO 8601", "an ISO 8601 date-time"),
    "boolean": ("đúng/sai", "a boolean"),
    "commune": ("mã xã, phường", "a commune code"),
    "string": ("chuỗi", "a string"),
}


def _check_value(column: Mapping[str, Any], value: Any) -> Reason | None:
    name = column["name"]
    low, high = column.get("min"), column.get("max")
    if low is not None and value < low:
        return Reason(
            name, "below_min", f"{name} = {value} nhỏ hơn mức tối thiểu {low}.", f"{name} is below {low}."
        )
    if high is not None and value > high:
        return Reason(
            name, "above_max", f"{name} = {value} lớn hơn mức tối đa {high}.", f"{name} is above {high}."
        )
    choices = column.get("choices")
    if choices and value not in choices:
        return Reason(
            name,
            "not_in_list",
            f"{name} = {value!r} không thuộc danh mục.",
            f"{name} = {value!r} is not in the list.",
        )
    return None


def validate_rows(
    schema: Mapping[str, Any],
    rows: Iterable[Mapping[str, Any]],
    *,
    communes: frozenset[str] = frozenset(),
    first_row_number: int = 1,
) -> tuple[list[dict[str, Any]], list[Rejection]]:
    """Split rows into accepted (typed, schema columns only) and rejected (with every reason found)."""
    columns = schema["columns"]
    key = list(schema.get("key", []))
    seen_keys: dict[tuple[Any, ...], int] = {}
    accepted: list[dict[str, Any]] = []
    rejected: list[Rejection] = []
    for offset, raw in enumerate(rows):
        number = first_row_number + offset
        clean: dict[str, Any] = {}
        reasons: list[Reason] = []
        for column in columns:
            name = column["name"]
            value = raw.get(name)
            if _blank(value):
                if column.get("required"):
                    reasons.append(Reason(name, "required", f"Thiếu giá trị {name}.", f"{name} is missing."))
                clean[name] = None
                continue
            try:
                typed = _coerce(column, value, communes)
            except LookupError:
                reasons.append(
                    Reason(
                        name,
                        "unknown_commune",
                        f"{name} = {value!r} không phải mã xã, phường của tỉnh Lạng Sơn.",
                        f"{name} = {value!r} is not a Lạng Sơn commune code.",
                    )
                )
                continue
            except (ValueError, TypeError, OverflowError):
                vi_type, en_type = TYPE_NAMES[column["type"]]
                reasons.append(
                    Reason(
                        name,
                        "bad_type",
                        f"{name} = {value!r} không phải {vi_type}.",
                        f"{name} = {value!r} is not {en_type}.",
                    )
                )
                continue
            problem = _check_value(column, typed)
            if problem:
                reasons.append(problem)
            clean[name] = typed
        if not reasons and key:
            key_value = tuple(clean.get(k) for k in key)
            if key_value in seen_keys:
                reasons.append(
                    Reason(
                        ",".join(key),
                        "duplicate_key",
                        f"Trùng khóa với dòng {seen_keys[key_value]} trong cùng lô.",
                        f"Same key as row {seen_keys[key_value]} in this batch.",
                    )
                )
            else:
                seen_keys[key_value] = number
        if reasons:
            rejected.append(Rejection(number, {k: _jsonable(v) for k, v in raw.items()}, reasons))
        else:
            accepted.append(clean)
    return accepted, rejected


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value
