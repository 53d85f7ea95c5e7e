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
