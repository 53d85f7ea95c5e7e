"""Row validation against a dataset's declared schema. Pure functions: no database.

Every rejection carries a reason in Vietnamese and English and names the column, so the sender can fix the
row and send it again; accepted rows come out typed, as an Arrow table.

Validation is columnar: each column is converted by Arrow kernels for the common, unambiguous forms
(``41250``, ``0.12``, ``2026-02-01``, ``01/02/2026``, ``2026-03-01T08:00:00+07:00``...). Only the cells those
forms do not cover go through ``_coerce``, the one Python definition of what a value means, which either
accepts them or says why not. A batch of clean rows therefore never runs Python per value, and a batch with a
few bad rows runs it for those cells only, with the same result as checking every cell in Python.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from langson.core.services.workdays import LOCAL_TZ

COLUMN_TYPES = ("integer", "number", "string", "date", "datetime", "boolean", "commune")
TRUE_WORDS = {"1", "true", "yes", "có", "co", "x"}
FALSE_WORDS = {"0", "false", "no", "không", "khong", ""}
NUMERIC_TYPES = ("integer", "number")
ARROW_TYPES: dict[str, pa.DataType] = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "boolean": pa.bool_(),
    "commune": pa.string(),
}
VIETNAM_OFFSET_US = 7 * 3600 * 1_000_000  # UTC+7 all year, no daylight saving


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
        if column["type"] not in NUMERIC_TYPES and (
            column.get("min") is not None or column.get("max") is not None
        ):
            raise SchemaError(
                f"Cột {column['name']}: chỉ cột số mới có mức tối thiểu, tối đa.",
                f"Column {column['name']}: only numeric columns take a minimum or maximum.",
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
        if isinstance(value, float) and not value.is_integer():
            raise ValueError
        whole = int(value) if isinstance(value, float) else int(str(value).strip())
        if not -(2**63) <= whole < 2**63:
            raise OverflowError  # the lake stores 64-bit integers
        return whole
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


def _reason_bad(column: Mapping[str, Any], value: Any, unknown_commune: bool) -> Reason:
    name = column["name"]
    if unknown_commune:
        return Reason(
            name,
            "unknown_commune",
            f"{name} = {value!r} không phải mã xã, phường của tỉnh Lạng Sơn.",
            f"{name} = {value!r} is not a Lạng Sơn commune code.",
        )
    vi_type, en_type = TYPE_NAMES[column["type"]]
    return Reason(
        name, "bad_type", f"{name} = {value!r} không phải {vi_type}.", f"{name} = {value!r} is not {en_type}."
    )


def _reason_range(column: Mapping[str, Any], value: Any, code: str) -> Reason:
    name = column["name"]
    if code == "below_min":
        low = column["min"]
        return Reason(name, code, f"{name} = {value} nhỏ hơn mức tối thiểu {low}.", f"{name} is below {low}.")
    if code == "above_max":
        high = column["max"]
        return Reason(name, code, f"{name} = {value} lớn hơn mức tối đa {high}.", f"{name} is above {high}.")
    return Reason(
        name, code, f"{name} = {value!r} không thuộc danh mục.", f"{name} = {value!r} is not in the list."
    )


# --- Arrow fast paths: each returns the typed column with nulls where it is not sure (never a wrong value).

Column: TypeAlias = "pa.Array | list[Any]"  # a list when the sender mixed types in one column (JSON)

_INTEGER = r"^-?\d{1,18}$"
_DECIMAL = r"^[+-]?(\d{1,30}\.?\d{0,30}|\.\d{1,30})([eE][+-]?\d{1,3})?$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_VN_DATE = r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"
_ISO_MOMENT = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?"


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _where(mask: pa.Array, values: pa.Array) -> pa.Array:
    return pc.if_else(mask, values, pa.scalar(None, values.type))


def _cast_or_none(values: pa.Array, kind: pa.DataType) -> pa.Array | None:
    try:
        return pc.cast(values, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # one odd value spoils a cast: let every cell go through the careful path


def _iso_dates(text: pa.Array) -> pa.Array | None:
    candidates = _where(pc.match_substring_regex(text, _ISO_DATE), text)
    parsed = pc.strptime(candidates, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls 30 February over into March: keep only dates that print back as written.
    exact = pc.fill_null(pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), candidates), False)
    return _cast_or_none(_where(exact, parsed), pa.date32())


def _fast_text(kind: str, text: pa.Array, communes: frozenset[str]) -> pa.Array | None:
    if kind == "string":
        return text
    if kind == "integer":
        # Most columns are clean: one strict cast of all cells (blanks as nulls) settles them; a single
        # odd cell makes the cast fail, and then only the cells of the plain form are converted here.
        direct = _cast_or_none(_where(pc.not_equal(text, ""), text), pa.int64())
        if direct is not None:
            # Arrow also reads "0x10" as 16, which Python does not: keep the cells that print back as
            # written; the rest ("007", "0x10") are left to the careful path.
            return _where(pc.fill_null(pc.equal(direct.cast(pa.string()), text), False), direct)
        return _cast_or_none(_where(pc.match_substring_regex(text, _INTEGER), text), pa.int64())
    if kind == "number":
        number = _cast_or_none(_where(pc.not_equal(text, ""), text), pa.float64())
        if number is None:
            number = _cast_or_none(_where(pc.match_substring_regex(text, _DECIMAL), text), pa.float64())
        return None if number is None else _where(pc.fill_null(pc.is_finite(number), False), number)
    if kind == "date":
        parts = pc.extract_regex(text, _VN_DATE)
        iso = pc.binary_join_element_wise(
            parts.field("y"),
            pc.utf8_lpad(parts.field("m"), width=2, padding="0"),
            pc.utf8_lpad(parts.field("d"), width=2, padding="0"),
            "-",
        )
        iso_text = pc.coalesce(_where(pc.is_valid(parts), iso), text)
        return _iso_dates(iso_text)
    if kind == "datetime":
        shaped = pc.match_substring_regex(text, _ISO_MOMENT)
        zoned = pc.match_substring_regex(text, _ISO_MOMENT + r"(Z|[+-]\d{2}:\d{2})$")
        naive = pc.match_substring_regex(text, _ISO_MOMENT + "$")
        aware = _cast_or_none(_where(pc.and_(shaped, zoned), text), ARROW_TYPES["datetime"])
        local = _cast_or_none(_where(pc.and_(shaped, naive), text), pa.timestamp("us"))
        if aware is None or local is None:
            return None
        # Naive times are Lạng Sơn's wall clock: shift to UTC.
        shifted = pc.subtract(local.cast(pa.int64()), VIETNAM_OFFSET_US).cast(ARROW_TYPES["datetime"])
        return pc.coalesce(aware, shifted)
    if kind == "boolean":
        lower = pc.utf8_lower(text)
        yes = pc.is_in(lower, value_set=pa.array(sorted(TRUE_WORDS)))
        no = pc.is_in(lower, value_set=pa.array(sorted(FALSE_WORDS)))
        return pc.if_else(yes, True, pc.if_else(no, pa.scalar(False), pa.scalar(None, pa.bool_())))
    if kind == "commune":
        digits = _cast_or_none(_where(pc.match_substring_regex(text, r"^\d{1,9}$"), text), pa.int64())
        return None if digits is None else digits.cast(pa.string())
    return None


def _fast(kind: str, values: pa.Array, communes: frozenset[str]) -> pa.Array | None:
    """Typed values by Arrow kernels, null where undecided; None when no fast path applies at all."""
    source = values.type
    if pa.types.is_integer(source):
        if kind in NUMERIC_TYPES:
            return _cast_or_none(values, ARROW_TYPES[kind])
        if kind == "commune":
            return values.cast(pa.int64()).cast(pa.string())
    if pa.types.is_floating(source) and kind in NUMERIC_TYPES:
        finite = pc.fill_null(pc.is_finite(values), False)
        if kind == "number":
            return _where(finite, values.cast(pa.float64()))
        whole = pc.and_(finite, pc.equal(pc.floor(values), values))
        safe = pc.and_(whole, pc.less(pc.abs(values), 2.0**62))
        return _cast_or_none(_where(safe, values), pa.int64())
    if pa.types.is_boolean(source) and kind == "boolean":
        return values
    if pa.types.is_date32(source) and kind == "date":
        return values
    return None


def _text_column(kind: str, values: pa.Array, communes: frozenset[str]) -> tuple[np.ndarray, pa.Array | None]:
    """Blank cells and fast-path values of a text column (CSV cells, JSON strings)."""
    from langson.ioc.lake.common import few_distinct

    text = values.cast(pa.string())
    few = few_distinct(text)
    # Few distinct values (dates, gates, communes): convert each once, then spread by index.
    encoded = pc.dictionary_encode(text) if few else None
    trimmed = pc.utf8_trim_whitespace(text if encoded is None else encoded.dictionary)
    empty = pc.equal(pc.utf8_length(trimmed), 0)
    fast = _fast_text(kind, trimmed, communes)
    if encoded is not None:
        empty = empty.take(encoded.indices)
        fast = None if fast is None else fast.take(encoded.indices)
    blank = np.asarray(pc.fill_null(empty, True))  # a null index is a null cell
    return blank, fast


def _blank_mask(values: Column) -> np.ndarray:
    if isinstance(values, list):
        return np.array([_blank(v) for v in values], dtype=bool)
    if pa.types.is_null(values.type):
        return np.ones(len(values), dtype=bool)
    blank = pc.is_null(values)
    if _is_text(values.type):
        blank = pc.or_(blank, pc.equal(pc.utf8_trim_whitespace(values.cast(pa.string())), ""))
    return np.asarray(pc.fill_null(blank, True))


@dataclass
class _Checked:
    """One column after conversion and checks: typed values and the reasons of the cells that failed."""

    typed: pa.Array
    reasons: dict[int, Reason]


def _check_column(
    column: Mapping[str, Any], values: Column | None, n: int, communes: frozenset[str]
) -> _Checked:
    kind = column["type"]
    arrow_type = ARROW_TYPES[kind]
    reasons: dict[int, Reason] = {}
    if values is None:
        values = pa.nulls(n)
    if not isinstance(values, list) and _is_text(values.type):
        blank, fast = _text_column(kind, values, communes)
    else:
        blank = _blank_mask(values)
        fast = None if isinstance(values, list) else _fast(kind, values, communes)
    if column.get("required"):
        for i in np.flatnonzero(blank).tolist():
            name = column["name"]
            reasons[i] = Reason(name, "required", f"Thiếu giá trị {name}.", f"{name} is missing.")

    if fast is None:
        fast = pa.nulls(n, type=arrow_type)
    undecided = ~blank & np.asarray(pc.is_null(fast))
    positions = np.flatnonzero(undecided).tolist()
    if positions:
        # The careful path: the one Python definition of each type, for the cells the kernels left open.
        originals = [values[i] for i in positions] if isinstance(values, list) else values.take(positions)
        raw_values = originals if isinstance(originals, list) else originals.to_pylist()
        fixed_at, fixed = [], []
        for i, value in zip(positions, raw_values, strict=True):
            try:
                fixed.append(_coerce(column, value, communes))
                fixed_at.append(i)
            except LookupError:
                reasons[i] = _reason_bad(column, value, unknown_commune=True)
            except (ValueError, TypeError, OverflowError, ArithmeticError):
                reasons[i] = _reason_bad(column, value, unknown_commune=False)
        if fixed_at:
            mask = np.zeros(n, dtype=bool)
            mask[fixed_at] = True
            fast = pc.replace_with_mask(fast, pa.array(mask), pa.array(fixed, type=arrow_type))
    typed = fast.cast(arrow_type)
    if kind == "commune":
        known = np.asarray(pc.fill_null(pc.is_in(typed, value_set=pa.array(sorted(communes))), True))
        for i in np.flatnonzero(~known & ~blank).tolist():
            if i not in reasons:
                reasons[i] = _reason_bad(column, _original(values, i), unknown_commune=True)
        typed = _where(pa.array(known), typed)
    _check_ranges(column, typed, reasons)
    return _Checked(typed, reasons)


def _original(values: Column, i: int) -> Any:
    return values[i] if isinstance(values, list) else values[i].as_py()


def _check_ranges(column: Mapping[str, Any], typed: pa.Array, reasons: dict[int, Reason]) -> None:
    checks: list[tuple[str, pa.Array]] = []
    if column.get("min") is not None:
        checks.append(("below_min", pc.less(typed, column["min"])))
    if column.get("max") is not None:
        checks.append(("above_max", pc.greater(typed, column["max"])))
    if column.get("choices"):
        try:
            allowed = pa.array(column["choices"], type=typed.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
            allowed = pa.array([], type=typed.type)  # no choice can match this column's type
        checks.append(("not_in_list", pc.invert(pc.is_in(typed, value_set=allowed))))
    for code, failed in checks:
        for i in np.flatnonzero(np.asarray(pc.fill_null(failed, False))).tolist():
            if i not in reasons:
                reasons[i] = _reason_range(column, typed[i].as_py(), code)


def columns_of_rows(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> dict[str, Column]:
    """Rows as dicts → one column per name: an Arrow array when the values share a type, else a list."""
    try:
        structs = pa.array(rows)  # one pass in C++ infers every column's type
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, OverflowError):
        structs = None  # some column mixes types: find which, column by column
    columns: dict[str, Column] = {}
    for name in names:
        inferred = structs is not None and pa.types.is_struct(structs.type)
        array = structs.field(name) if inferred and structs.type.get_field_index(name) >= 0 else None
        if array is None:
            values = [row.get(name) for row in rows]
            try:
                array = pa.array(values)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
                columns[name] = values
                continue
        # Arrow reads true as 1.0 in a column of numbers; a boolean is not a number here, so such a
        # column keeps its Python values and the careful path decides cell by cell.
        numeric = pa.types.is_integer(array.type) or pa.types.is_floating(array.type)
        if numeric and any(type(row.get(name)) is bool for row in rows):
            columns[name] = [row.get(name) for row in rows]
        else:
            columns[name] = array
    return columns


def validate(
    schema: Mapping[str, Any],
    batch: pa.Table | Sequence[Mapping[str, Any]],
    *,
    communes: frozenset[str] = frozenset(),
    first_row_number: int = 1,
) -> tuple[pa.Table, list[Rejection]]:
    """Split a batch into accepted rows (an Arrow table of the schema's columns, typed) and rejections.

    ``batch`` is a table of raw columns (a CSV file) or a list of rows (JSON, XLSX). Every reason of a row
    is reported; a row whose key repeats an earlier accepted row of the batch is rejected as a duplicate.
    """
    columns = schema["columns"]
    if isinstance(batch, pa.Table):
        n = batch.num_rows
        raw: Mapping[str, Column] = {name: batch.column(name).combine_chunks() for name in batch.column_names}
    else:
        n = len(batch)
        raw = columns_of_rows(batch, [c["name"] for c in columns])
    checked = {c["name"]: _check_column(c, raw.get(c["name"]), n, communes) for c in columns}
    bad_rows = sorted({i for result in checked.values() for i in result.reasons})
    ok = np.ones(n, dtype=bool)
    ok[bad_rows] = False
    typed = pa.table({name: result.typed for name, result in checked.items()})
    duplicates = _duplicate_keys(typed, list(schema.get("key", [])), ok, first_row_number)
    ok[list(duplicates)] = False

    rejected_at = np.flatnonzero(~ok).tolist()
    originals = _rows_at(batch, rejected_at)
    rejected = []
    for i, original in zip(rejected_at, originals, strict=True):
        reasons = [checked[c["name"]].reasons[i] for c in columns if i in checked[c["name"]].reasons]
        if i in duplicates:
            reasons.append(duplicates[i])
        rejected.append(
            Rejection(first_row_number + i, {k: _jsonable(v) for k, v in original.items()}, reasons)
        )
    accepted = typed if not rejected_at else typed.filter(pa.array(ok))
    return accepted, rejected


def _rows_at(batch: pa.Table | Sequence[Mapping[str, Any]], positions: list[int]) -> list[Mapping[str, Any]]:
    if not positions:
        return []
    if isinstance(batch, pa.Table):
        return batch.take(positions).to_pylist()
    return [batch[i] for i in positions]


def _duplicate_keys(typed: pa.Table, key: list[str], ok: np.ndarray, first_number: int) -> dict[int, Reason]:
    """Rows (among those still accepted) whose key an earlier row of the batch already has."""
    if not key or not ok.any():
        return {}
    candidates = np.flatnonzero(ok)
    keys = typed.select(key).take(pa.array(candidates))
    # A 64-bit hash per key: distinct hashes prove distinct keys, which is the usual case; only rows whose
    # hash repeats are compared by value.
    hashes = _key_hashes(keys)
    if pc.count_distinct(pa.array(hashes)).as_py() == len(hashes):
        return {}
    unique, counts = np.unique(hashes, return_counts=True)
    repeated = np.isin(hashes, unique[counts > 1])
    suspects = np.flatnonzero(repeated).tolist()
    values = keys.take(pa.array(suspects)).to_pylist()
    first_at: dict[tuple[Any, ...], int] = {}
    found: dict[int, Reason] = {}
    for position, row in zip(suspects, values, strict=True):
        value = tuple(row[k] for k in key)
        i = int(candidates[position])
        if value in first_at:
            number = first_number + first_at[value]
            found[i] = Reason(
                ",".join(key),
                "duplicate_key",
                f"Trùng khóa với dòng {number} trong cùng lô.",
                f"Same key as row {number} in this batch.",
            )
        else:
            first_at[value] = i
    return found


def _key_hashes(keys: pa.Table) -> np.ndarray:
    from langson.ioc.lake.common import scratch_duckdb

    con = scratch_duckdb()
    con.register("batch_keys", keys)
    try:
        columns = ", ".join(f'"{name}"' for name in keys.column_names)
        result = con.sql(f"SELECT hash({columns}) AS h FROM batch_keys").to_arrow_table()  # noqa: S608
    finally:
        con.unregister("batch_keys")
    return result.column("h").to_numpy()


def validate_rows(
    schema: Mapping[str, Any],
    rows: pa.Table | Sequence[Mapping[str, Any]],
    *,
    communes: frozenset[str] = frozenset(),
    first_row_number: int = 1,
) -> tuple[list[dict[str, Any]], list[Rejection]]:
    """``validate`` with the accepted rows as dicts (for callers and tests that read values one by one)."""
    accepted, rejected = validate(schema, rows, communes=communes, first_row_number=first_row_number)
    return accepted.to_pylist(), rejected


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value
