"""Row validation: every rejection says which column and why, in Vietnamese and English."""

from __future__ import annotations

import datetime as dt

import pytest

from langson.ioc.services.validation import SchemaError, check_header, check_schema, validate_rows

pytestmark = pytest.mark.nodb

SCHEMA = {
    "columns": [
        {"name": "month", "type": "date", "required": True},
        {"name": "site", "type": "string", "required": True, "choices": ["Động Tam Thanh", "Mẫu Sơn"]},
        {"name": "commune_code", "type": "commune", "required": True},
        {"name": "visitors", "type": "integer", "required": True, "min": 0},
        {"name": "share_foreign", "type": "number", "min": 0, "max": 1},
        {"name": "open", "type": "boolean"},
        {"name": "reported_at", "type": "datetime"},
    ],
    "key": ["month", "site"],
    "time_column": "month",
}
COMMUNES = frozenset({"5986", "6541"})


def reasons(row: dict) -> list[str]:
    _, rejected = validate_rows(SCHEMA, [row], communes=COMMUNES)
    return [r.code for r in rejected[0].reasons] if rejected else []


GOOD = {"month": "2026-02-01", "site": "Động Tam Thanh", "commune_code": "5986", "visitors": "41250"}


def test_a_good_row_comes_out_typed():
    accepted, rejected = validate_rows(
        SCHEMA,
        [{**GOOD, "share_foreign": "0.12", "open": "có", "reported_at": "2026-03-01T08:00:00"}],
        communes=COMMUNES,
    )
    assert rejected == []
    row = accepted[0]
    assert row["month"] == dt.date(2026, 2, 1) and row["visitors"] == 41250 and row["open"] is True
    assert row["reported_at"] == dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)  # 08:00 in Lạng Sơn
    assert row["share_foreign"] == 0.12


@pytest.mark.parametrize(
    "change,code",
    [
        ({"visitors": "-5"}, "below_min"),
        ({"visitors": "nhiều"}, "bad_type"),
        ({"visitors": "12.5"}, "bad_type"),
        ({"visitors": ""}, "required"),
        ({"commune_code": "9999"}, "unknown_commune"),
        ({"site": "Vịnh Hạ Long"}, "not_in_list"),
        ({"month": "31/02/2026"}, "bad_type"),
        ({"share_foreign": "1.5"}, "above_max"),
        ({"share_foreign": "nan"}, "bad_type"),
        ({"open": "có lẽ"}, "bad_type"),
        ({"visitors": True}, "bad_type"),
        ({"visitors": 10**20}, "bad_type"),
    ],
)
def test_each_kind_of_bad_value_is_named(change, code):
    assert reasons({**GOOD, **change}) == [code]


def test_vietnamese_date_format_and_padded_commune_codes_are_understood():
    accepted, _ = validate_rows(
        SCHEMA, [{**GOOD, "month": "01/02/2026", "commune_code": "05986"}], communes=COMMUNES
    )
    assert accepted[0]["month"] == dt.date(2026, 2, 1) and accepted[0]["commune_code"] == "5986"


def test_all_reasons_of_a_row_are_reported_with_both_languages():
    _, rejected = validate_rows(
        SCHEMA, [{"month": "x", "site": "?", "visitors": "-1"}], communes=COMMUNES, first_row_number=2
    )
    rejection = rejected[0]
    assert rejection.row_number == 2
    assert {r.column for r in rejection.reasons} == {"month", "site", "commune_code", "visitors"}
    assert all(r.vi and r.en for r in rejection.reasons)


def test_duplicate_keys_in_one_batch_are_rejected():
    accepted, rejected = validate_rows(SCHEMA, [GOOD, {**GOOD, "visitors": "1"}], communes=COMMUNES)
    assert len(accepted) == 1 and rejected[0].reasons[0].code == "duplicate_key"
    assert "dòng 1" in rejected[0].reasons[0].vi


def test_missing_required_column_in_header_rejects_the_file():
    with pytest.raises(SchemaError, match="thiếu cột bắt buộc: visitors"):
        check_header(SCHEMA, ["month", "site", "commune_code"])


@pytest.mark.parametrize(
    "schema",
    [
        {"columns": []},
        {"columns": [{"name": "a", "type": "blob"}]},
        {"columns": [{"name": "a", "type": "string"}, {"name": "a", "type": "string"}]},
        {"columns": [{"name": "a", "type": "string"}], "key": ["b"]},
        {"columns": [{"name": "a", "type": "string"}], "time_column": "t"},
    ],
)
def test_bad_schemas_are_refused(schema):
    with pytest.raises(SchemaError):
        check_schema(schema)


TRICKY = {
    "integer": [
        "0x10",
        "0b101",
        "1",
        "-5",
        "+5",
        "007",
        " 12 ",
        "1.0",
        "12.5",
        "1e3",
        "abc",
        "",
        "99999999999999999999",
        "١٢",
        "1_000",
        "-0",
    ],
    "number": [
        "0x10",
        "Infinity",
        "1_000.5",
        "0.12",
        "1e3",
        "1E-2",
        ".5",
        "5.",
        "-0.0",
        "nan",
        "inf",
        "1,5",
        "abc",
        "1e400",
        "+3.5",
        " 2 ",
    ],
    "date": [
        "2026-02-01",
        "01/02/2026",
        "1/2/2026",
        "31/02/2026",
        "2026-02-30",
        "2026-2-3",
        "2026-02-01T10:00:00",
        "x",
        "32/01/2026",
        "2024-02-29",
        "29/02/2025",
    ],
    "datetime": [
        "2026-03-01T08:00:00",
        "2026-03-01 08:00:00",
        "2026-03-01T08:00:00+07:00",
        "2026-03-01T08:00:00Z",
        "2026-03-01T08:00:00.5",
        "2026-02-30T08:00:00",
        "2026-03-01",
        "x",
        "2026-03-01T08:00",
        "2026-03-01T23:30:00-05:00",
    ],
    "boolean": ["có", "Có", "x", "X", "1", "0", "true", "FALSE", "không", "maybe", " yes "],
    "commune": ["5986", "05986", "6541", "9999", "abc", "5986.0", " 6541 "],
    "string": [" Mẫu Sơn ", "x", "Động Tam Thanh"],
}


@pytest.mark.parametrize("kind", sorted(TRICKY))
def test_the_arrow_fast_paths_agree_with_the_python_definition(kind):
    """Every cell through Arrow's kernels (a text column, as from a CSV file) gives the same value or the
    same reason as the same cell through ``_coerce`` alone (a list, as from mixed-type JSON)."""
    import pyarrow as pa

    from langson.ioc.services.validation import _check_column

    column = {"name": "v", "type": kind, "required": True}
    values = TRICKY[kind] * 3  # repeated so that the few-distinct-values path is taken too
    # Whole lists (some cell always fails the one-cast shortcut) and each value alone (it may not).
    for batch in (values, values[: len(TRICKY[kind])], *([v] * 5 for v in TRICKY[kind])):
        fast = _check_column(column, pa.array(batch, type=pa.string()), len(batch), COMMUNES)
        careful = _check_column(column, list(batch), len(batch), COMMUNES)
        assert fast.typed.to_pylist() == careful.typed.to_pylist()
        assert {i: r.code for i, r in fast.reasons.items()} == {i: r.code for i, r in careful.reasons.items()}
        assert {i: r.vi for i, r in fast.reasons.items()} == {i: r.vi for i, r in careful.reasons.items()}


def test_json_values_of_native_types_agree_with_the_python_definition():
    from langson.ioc.services.validation import _check_column, columns_of_rows

    cases = {
        "integer": [1, -5, 2.0, 2.5, float("nan"), True, None],
        "number": [1, 2.5, float("inf"), False, None],
        "date": ["2026-01-01", None],
        "commune": [5986, 6541, 9999, None],
        "boolean": [True, False, None],
    }
    for kind, batch in cases.items():
        column = (
            {"name": "v", "type": kind, "min": 0}
            if kind in ("integer", "number")
            else {"name": "v", "type": kind}
        )
        arrow = columns_of_rows([{"v": v} for v in batch], ["v"])["v"]
        fast = _check_column(column, arrow, len(batch), COMMUNES)
        careful = _check_column(column, list(batch), len(batch), COMMUNES)
        assert fast.typed.to_pylist() == careful.typed.to_pylist(), kind
        assert {i: r.code for i, r in fast.reasons.items()} == {i: r.code for i, r in careful.reasons.items()}


def test_a_csv_table_and_the_same_rows_as_dicts_give_the_same_result():
    import pyarrow as pa

    from langson.ioc.services.validation import validate

    rows = [
        GOOD,
        {**GOOD, "site": "Mẫu Sơn", "visitors": "-1"},
        {**GOOD, "month": "01/03/2026", "commune_code": "06541"},
        {**GOOD, "month": "01/03/2026", "commune_code": "6541"},  # same key as the row before
        {**GOOD, "month": "2026-04-01", "visitors": "x", "commune_code": "1"},
    ]
    table = pa.table({name: pa.array([r.get(name, "") for r in rows], pa.string()) for name in GOOD})
    from_table, rejected_table = validate(SCHEMA, table, communes=COMMUNES)
    from_rows, rejected_rows = validate(SCHEMA, rows, communes=COMMUNES)
    assert from_table.to_pylist() == from_rows.to_pylist()
    assert [(r.row_number, [x.code for x in r.reasons]) for r in rejected_table] == [
        (2, ["below_min"]),
        (4, ["duplicate_key"]),
        (5, ["unknown_commune", "bad_type"]),
    ]
    assert [(r.row_number, [x.code for x in r.reasons]) for r in rejected_rows] == [
        (2, ["below_min"]),
        (4, ["duplicate_key"]),
        (5, ["unknown_commune", "bad_type"]),
    ]


def test_true_among_numbers_is_not_taken_for_one():
    _, rejected = validate_rows(
        SCHEMA, [GOOD | {"visitors": 5}, GOOD | {"visitors": True, "site": "Mẫu Sơn"}], communes=COMMUNES
    )
    assert [(r.row_number, r.reasons[0].code) for r in rejected] == [(2, "bad_type")]
