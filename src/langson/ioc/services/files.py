"""Reading uploaded files (CSV and XLSX) into a header and rows of plain values."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from langson.ioc.services.validation import SchemaError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_ROWS = 1_000_000


def read_table(name: str, content: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    if len(content) > MAX_UPLOAD_BYTES:
        raise SchemaError("Tệp lớn hơn 50 MB: hãy chia nhỏ.", "The file is larger than 50 MB: split it.")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(content)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(content)
    raise SchemaError("Chỉ nhận tệp CSV hoặc XLSX.", "Only CSV or XLSX files are accepted.")


def _read_csv(content: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    try:
        text = content.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as exc:
        raise SchemaError("Tệp CSV phải mã hóa UTF-8.", "The CSV file must be UTF-8 encoded.") from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","  # Vietnamese Excel often saves with ;
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise SchemaError("Tệp không có dòng tiêu đề.", "The file has no header row.")
    reader.fieldnames = header
    rows = []
    for row in reader:
        rows.append({k: v for k, v in row.items() if k is not None})
        if len(rows) > MAX_ROWS:
            raise SchemaError("Tệp quá 1.000.000 dòng.", "The file has more than 1,000,000 rows.")
    return header, rows


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
