"""Reading uploaded files (CSV and XLSX) into a header and a batch for ``validation.validate``.

CSV is read by Arrow's multi-threaded reader into text columns (a table); a file it cannot read
(rows of uneven length, a header with repeated names) is read again by Python's csv module, row by row,
so that every row still reaches validation and a bad row is quarantined instead of failing the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, TypeAlias

import pyarrow as pa
import pyarrow.csv as pa_csv

from langson.ioc.services.validation import SchemaError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000


Batch: TypeAlias = "pa.Table | list[dict[str, Any]]"


def read_table(name: str, content: bytes) -> tuple[list[str], Batch]:
    if len(content) > MAX_UPLOAD_BYTES:
        raise SchemaError("Tệp lớn hơn 50 MB: hãy chia nhỏ.", "The file is larger than 50 MB: split it.")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(content)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(content)
    raise SchemaError("Chỉ nhận tệp CSV hoặc XLSX.", "Only CSV or XLSX files are accepted.")


def _read_csv(content: bytes) -> tuple[list[str], Batch]:
    try:
        text = content.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as exc:
        raise SchemaError("Tệp CSV phải mã hóa UTF-8.", "The CSV file must be UTF-8 encoded.") from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","  # Vietnamese Excel often saves with ;
    first_line = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
    header = [h.strip() for h in first_line]
    if not header or not any(header):
        raise SchemaError("Tệp không có dòng tiêu đề.", "The file has no header row.")
    if len(set(header)) == len(header) and all(header):
        body = content[3:] if content.startswith(b"\xef\xbb\xbf") else content
        table = _read_csv_columns(body, header, delimiter)
        if table is not None:
            if table.num_rows > MAX_ROWS:
                raise SchemaError("Tệp quá 1.000.000 dòng.", "The file has more than 1,000,000 rows.")
            return header, table
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    reader.fieldnames = header
    next(reader, None)  # the header row itself
    rows = []
    for row in reader:
        rows.append({k: v for k, v in row.items() if k is not None})
        if len(rows) > MAX_ROWS:
            raise SchemaError("Tệp quá 1.000.000 dòng.", "The file has more than 1,000,000 rows.")
    return header, rows


def _read_csv_columns(content: bytes, header: list[str], delimiter: str) -> pa.Table | None:
    """Every column as text, exactly as written (validation decides what it means); None if Arrow balks."""
    try:
        return pa_csv.read_csv(
            io.BytesIO(content),
            read_options=pa_csv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        return None


def _read_xlsx(content: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a corrupt file
        raise SchemaError("Không đọc được tệp XLSX.", "The XLSX file cannot be read.") from exc
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    first = next(rows_iter, None)
    if not first:
        raise SchemaError("Tệp không có dòng tiêu đề.", "The file has no header row.")
    header = [str(h).strip() if h is not None else "" for h in first]
    rows = []
    for values in rows_iter:
        if values is None or all(v is None for v in values):
            continue
        rows.append({h: _cell(v) for h, v in zip(header, values, strict=False) if h})
        if len(rows) > MAX_ROWS:
            raise SchemaError("Tệp quá 1.000.000 dòng.", "The file has more than 1,000,000 rows.")
    book.close()
    return [h for h in header if h], rows


def _cell(value: Any) -> Any:
    # Excel stores dates as datetimes at midnight; keep them as dates so date columns read naturally.
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
