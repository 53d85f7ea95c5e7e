"""Canonical values from printed ones: dates, numbers, currencies, plates, HS codes, incoterms, text."""

from __future__ import annotations

import unicodedata

import pytest

from langson.border.normalize import (
    is_canonical_number,
    normalize_currency,
    normalize_date,
    normalize_field,
    normalize_hs,
    normalize_incoterm,
    normalize_number,
    normalize_plate,
    normalize_text,
    parse_plate,
)
from langson.border.schema import DATE_FIELDS, FIELDS, LINE_FIELDS, NUMBER_FIELDS, PLATE_FIELDS

pytestmark = pytest.mark.nodb

# ------------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "printed",
    [
        "28/11/2026",
        "28.11.2026",
        "28-11-2026",
        "28 / 11 / 2026",
        "28/11/26",
        "2026-11-28",
        "2026/11/28",
        "2026.11.28",
        "20261128",
        "28112026",
        "28 Nov 2026",
        "28-Nov-2026",
        "28 November 2026",
        "28th November, 2026",
        "Nov. 28, 2026",
        "November 28th 2026",
        "NOV 28, 2026",
        "2026 Nov 28",
        "28 tháng 11 năm 2026",
        "ngày 28 tháng 11 năm 2026",
        "Ngày 28 tháng 11, 2026",
        "Lạng Sơn, ngày 28 tháng 11 năm 2026",
        "ngay 28 thang 11 nam 2026",
        "Lạng Sơn, ngày 28 tháng 11 nắm 2026",  # the mark of "năm" slipped in the OCR
        "ngày 28 thảng 11 năm 2026",
        "28 tháng Mười Một năm 2026",
        "2026年11月28日",
        "2026 年 11 月 28 日",
        "二〇二六年十一月二十八日",
        "２０２６年１１月２８日",
        "Date / Ngày: 28/11/2026",
        "28/11/2026 14:35",
        "2026-11-28T08:00:00+07:00",
    ],
)
def test_every_printed_form_of_one_date_reads_the_same(printed):
    assert normalize_date(printed) == "2026-11-28"


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("05/06/2026", "2026-06-05"),  # day first, never month first when both could be months
        ("11/28/2026", "2026-11-28"),  # month first only when day first is impossible
        ("01.02.26", "2026-02-01"),
        ("31/12/68", "2068-12-31"),  # POSIX pivot: 00–68 are 2000s
        ("01/01/69", "1969-01-01"),  # … 69–99 are 1900s
        ("29/02/2028", "2028-02-29"),
        ("1 tháng 1 năm 2027", "2027-01-01"),
        ("2027年1月5号", "2027-01-05"),
        ("Jan 5, 27", "2027-01-05"),
        ("1 Sept 2026", "2026-09-01"),
        ("28/11/2026 – 01/12/2026", "2026-11-28"),  # the first date in reading order
        ("31/02/2026 hoặc 28/02/2026", "2026-02-28"),  # an impossible date is passed over
    ],
)
def test_numeric_rules_and_other_forms(printed, expected):
    assert normalize_date(printed) == expected


@pytest.mark.parametrize(
    "printed",
    [
        "31/02/2026",
        "29/02/2025",
        "32/01/2026",
        "00/11/2026",
        "13/13/2026",
        "2026-13-01",
        "31 tháng 4 năm 2026",
        "30 Feb 2026",
        "2026年2月30日",
        "28/11/1850",
        "INV-2026/0815",
        "Declaration 12 2026",
        "No date",
        "",
        None,
    ],
)
def test_dates_that_do_not_exist_or_are_not_dates_give_none(printed):
    assert normalize_date(printed) is None


def test_canonical_dates_read_back_unchanged():
    for printed in ("28 Nov 2026", "2026年1月5日", "01/02/03"):
        once = normalize_date(printed)
        assert once is not None
        assert normalize_date(once) == once


# ------------------------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1.250,50", "1250.5"),
        ("1,250.50", "1250.5"),
        ("1250.5", "1250.5"),
        ("1250,5", "1250.5"),
        ("USD 12,500.00", "12500"),
        ("1.062,50 USD", "1062.5"),
        ("US$1,062.50", "1062.5"),
        ("3 500 kg", "3500"),
        ("3\u00a0500,25 kg", "3500.25"),
        ("1 250 000", "1250000"),
        ("12.000 KGS", "12000"),
        ("12.500.000 đ", "12500000"),
        ("12.500.000 VNĐ", "12500000"),
        ("1,250,000.75", "1250000.75"),
        ("1.250.000,75", "1250000.75"),
        ("１２，５００．００", "12500"),
        ("１２５００元", "12500"),
        ("¥ 8,650.00", "8650"),
        ("G.W.: 12,450.5 KGS", "12450.5"),
        ("12'500.50", "12500.5"),
        ("0", "0"),
        ("0.00", "0"),
        ("-12,5", "-12.5"),
        ("−3.25", "-3.25"),
        ("RVC 40%", "40"),
        ("12.500.000.000", "12500000000"),
        ("0,0001", "0.0001"),
    ],
)
def test_numbers_from_both_conventions_and_with_units(printed, expected):
    assert normalize_number(printed) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1.250", "1250"),  # one separator, exactly three digits after, short integer part: thousands
        ("1,250", "1250"),
        ("12.000", "12000"),
        ("250.000", "250000"),
        ("1,5", "1.5"),  # otherwise it is the decimal point
        ("3,5", "3.5"),
        ("1.25", "1.25"),
        ("0,250", "0.25"),  # a leading zero is never a thousands group
        ("0.850", "0.85"),
        ("1250.500", "1250.5"),  # four digits before: decimal
        ("1.2500", "1.25"),
    ],
)
def test_the_single_separator_rule(printed, expected):
    assert normalize_number(printed) == expected


def test_a_known_convention_overrides_the_single_separator_rule():
    assert normalize_number("1.125", decimal_separator=".") == "1.125"
    assert normalize_number("1,125", decimal_separator=",") == "1.125"
    assert normalize_number("1.125", decimal_separator=",") == "1125"
    # Both separators present: the printed order decides whatever the hint says.
    assert normalize_number("1.062,50", decimal_separator=".") == "1062.5"


@pytest.mark.parametrize(
    "printed", ["", None, "abc", "USD", "0810.90.10", "1,25,000", "1.2.3", "12,50.00", "1.250,00,5", "—"]
)
def test_text_without_a_well_formed_number_gives_none(printed):
    assert normalize_number(printed) is None


def test_a_hyphen_inside_a_code_is_not_a_minus():
    assert normalize_number("INV-12") == "12"
    assert normalize_number("Số: -5") == "-5"


def test_canonical_numbers_have_no_separators_exponent_or_trailing_zeros():
    for printed in ("1.250,50", "0,0001", "12.500.000.000", "100", "1,250.00", "7.50"):
        value = normalize_number(printed)
        assert value is not None
        assert is_canonical_number(value)
        assert "e" not in value.lower() and "," not in value
    assert not is_canonical_number("1.250")  # trailing zero: a printed value, not a canonical one
    assert not is_canonical_number("1,5")


# ---------------------------------------------------------------------------------------------- currencies


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("USD", "USD"),
        ("usd", "USD"),
        ("US$", "USD"),
        ("$", "USD"),
        ("US Dollars", "USD"),
        ("đô la Mỹ", "USD"),
        ("Đô-la", "USD"),
        ("美元", "USD"),
        ("美金", "USD"),
        ("USD 12,500.00", "USD"),
        ("CNY", "CNY"),
        ("RMB", "CNY"),
        ("CNH", "CNY"),
        ("元", "CNY"),
        ("人民币", "CNY"),
        ("¥", "CNY"),
        ("￥8,650.00", "CNY"),
        ("Nhân dân tệ", "CNY"),
        ("Chinese Yuan", "CNY"),
        ("VND", "VND"),
        ("VNĐ", "VND"),
        ("đồng", "VND"),
        ("đ", "VND"),
        ("₫", "VND"),
        ("12.500.000 đ", "VND"),
        ("12.500.000đ", "VND"),
        ("Việt Nam đồng", "VND"),
        ("Vietnamese dong", "VND"),
        ("越南盾", "VND"),
        ("€", "EUR"),
        ("欧元", "EUR"),
        ("HK$", "HKD"),
        ("港币", "HKD"),
        ("日元", "JPY"),
        ("Currency / Đồng tiền: USD", "USD"),  # "đồng tiền" means "currency", not VND
        ("Loại tiền (币种): CNY", "CNY"),
        ("ＵＳＤ", "USD"),
    ],
)
def test_currencies_from_codes_symbols_and_names(printed, expected):
    assert normalize_currency(printed) == expected


@pytest.mark.parametrize(
    "printed", ["", None, "Hợp đồng số 12", "Đồng Đăng, Lạng Sơn", "Khu đô thị", "12500", "kg", "ABC"]
)
def test_words_that_only_look_like_currencies_give_none(printed):
    assert normalize_currency(printed) is None


def test_the_first_currency_named_wins():
    assert normalize_currency("USD 12,500 (≈ 316.000.000 VND)") == "USD"
    assert normalize_currency("Hợp đồng số 5 — thanh toán bằng CNY") == "CNY"


# -------------------------------------------------------------------------------------------------- plates


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("12C-123.45", "12C-123.45"),
        ("12C 123.45", "12C-123.45"),
        ("12C12345", "12C-123.45"),
        ("12c-123.45", "12C-123.45"),
        ("12C-1234", "12C-1234"),
        ("12R-004.56", "12R-004.56"),
        ("12R 00456", "12R-004.56"),
        ("12LD-123.45", "12LD-123.45"),
        ("29KT-001.23", "29KT-001.23"),
        ("12MĐ-123.45", "12MĐ-123.45"),
        ("12-B1 123.45", "12B1-123.45"),
        ("12C\n123.45", "12C-123.45"),  # two-row plate
        ("１２Ｃ－１２３．４５", "12C-123.45"),
        ("Biển số / Plate No.: 12C-123.45", "12C-123.45"),
        ("12C-123.45 / 12R-004.56", "12C-123.45"),
        ("BY TRUCK NO. 12C-123.45", "12C-123.45"),
        ("桂F·12345", "桂F12345"),
        ("桂F 12345", "桂F12345"),
        ("桂F12345", "桂F12345"),
        ("桂F•1234挂", "桂F1234挂"),
        ("桂P·A1234", "桂PA1234"),
        ("粤B·D12345", "粤BD12345"),
        ("车牌: 桂F·12345", "桂F12345"),
        # The dot after the letter read as a 1: one character too many.
        ("桂N 17956挂", "桂N7956挂"),
        ("桂 N 12613挂", "桂N2613挂"),
        ("桂F14W636", "桂F4W636"),
        ("桂F12345", "桂F12345"),  # the right count: a 1 of the number stays
        ("桂F1234挂", "桂F1234挂"),
        ("桂AD12345", "桂AD12345"),  # six for a new-energy plate (D or F first or last)
        ("桂A12345D", "桂A12345D"),
    ],
)
def test_plates_in_canonical_form(printed, expected):
    assert normalize_plate(printed) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("12C-1O3.45", "12C-103.45"),  # O in the number part
        ("12C-I23.45", "12C-123.45"),
        ("12CO1234", "12C-012.34"),  # O cannot be a series letter, so the number starts there
        ("I2C-123.45", "12C-123.45"),  # the province code holds digits only
        ("12C-12S.4B", "12C-125.48"),  # after a digit, only digits can follow
        ("桂FO2345", "桂F02345"),  # Chinese plates never use O or I
        ("桂FI234挂", "桂F1234挂"),
    ],
)
def test_ocr_confusions_are_repaired_where_the_format_leaves_no_doubt(printed, expected):
    assert normalize_plate(printed) == expected


def test_ambiguous_letters_are_not_repaired():
    # "12CB1234" is the valid two-letter series CB, not 12C-812.34.
    assert normalize_plate("12CB1234") == "12CB-1234"
    # "12CDB345": after a full two-letter series, a B could be a misread 8 or not a plate at all.
    assert normalize_plate("12CDB345") is None
    # A series digit is read only with five digits after it: 12B11234 is a car plate.
    assert normalize_plate("12B11234") == "12B-112.34"


@pytest.mark.parametrize(
    "printed",
    [
        "",
        None,
        "hello",
        "12345678",
        "12I-123.45",  # I, J, O, Q, W are never series letters
        "12J-123.45",
        "12W-123.45",
        "12Q-123.45",
        "09C-123.45",  # no province code below 11
        "12C-12",
        "12C-1234567",
        "CMR-LS-0921",
        "0810.90.10",
        "1.062,50 USD",
        "桂12345",
        "桂F·123",
        "A12345",
    ],
)
def test_what_is_not_a_plate_gives_none(printed):
    assert normalize_plate(printed) is None


def test_canonical_plates_read_back_unchanged_and_parse_into_parts():
    for printed in ("12C 123.45", "12R-004.56", "桂F·12345", "桂F1234挂", "12-B1 123.45", "12C-1234"):
        once = normalize_plate(printed)
        assert once is not None
        assert normalize_plate(once) == once
    assert parse_plate("12R-004.56") == {
        "plate": "12R-004.56",
        "country": "VN",
        "province": "12",
        "series": "R",
        "trailer": "1",
    }
    assert parse_plate("桂F1234挂") == {
        "plate": "桂F1234挂",
        "country": "CN",
        "province": "桂F",
        "series": "F",
        "trailer": "1",
    }
    truck = parse_plate("12C-123.45")
    assert truck is not None
    assert truck["trailer"] == ""
    assert parse_plate("no plate") is None


# --------------------------------------------------------------------------------------- codes and text


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("0810.90.10", "08109010"),
        ("08109010", "08109010"),
        ("0810 90 10", "08109010"),
        ("HS: 0810.90", "081090"),
        ("HS 0810.9O.10", "08109010"),  # O between digits read as 0
        ("０８１０．９０．１０", "08109010"),
        ("0810909000", "0810909000"),
        ("0810.90.10 / 0810.90.92", "08109010"),  # the first code only
        ("", ""),
        (None, ""),
        ("N/M", ""),
    ],
)
def test_hs_codes_are_digits_only(printed, expected):
    assert normalize_hs(printed) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("FOB", "FOB"),
        ("fob Pingxiang", "FOB"),
        ("CIF Hà Nội", "CIF"),
        ("DAP Cửa khẩu Hữu Nghị", "DAP"),
        ("Incoterms 2020: CPT", "CPT"),
        ("C&F", "CFR"),
        ("CNF", "CFR"),
        ("F0B", "FOB"),
        ("C1F", "CIF"),
        ("", None),
        ("XYZ", None),
        ("Điều kiện", None),
    ],
)
def test_incoterms(printed, expected):
    assert normalize_incoterm(printed) == expected


def test_text_is_nfc_with_whitespace_collapsed():
    decomposed = unicodedata.normalize("NFD", "Công ty TNHH Thương mại Đồng Đăng")
    assert decomposed != "Công ty TNHH Thương mại Đồng Đăng"
    assert (
        normalize_text("  " + decomposed.replace(" ", " \n\t ") + "\u200b ")
        == "Công ty TNHH Thương mại Đồng Đăng"
    )
    assert (
        normalize_text("凭祥市友谊进出口贸易有限公司\u00a0 (Buyer)") == "凭祥市友谊进出口贸易有限公司 (Buyer)"
    )
    assert normalize_text(None) == ""


# --------------------------------------------------------------------------------------------- dispatch


def test_normalize_field_dispatches_on_the_kind_of_field():
    assert normalize_field("invoice_date", "28 Nov 2026") == "2026-11-28"
    assert normalize_field("total_amount", "1.062,50 USD") == "1062.5"
    assert normalize_field("unit_price", "USD 1.25") == "1.25"
    assert normalize_field("vehicle_plate", "12C 123.45") == "12C-123.45"
    assert normalize_field("trailer_plate", "桂F·1234挂") == "桂F1234挂"
    assert normalize_field("currency", "人民币") == "CNY"
    assert normalize_field("hs_code", "0810.90.10") == "08109010"
    assert normalize_field("incoterm", "fob") == "FOB"
    assert normalize_field("seller_name", " Công  ty\nABC ") == "Công ty ABC"
    assert normalize_field("invoice_number", "INV-2026/0815") == "INV-2026/0815"
    assert normalize_field("origin_criterion", "RVC 40%") == "RVC 40%"
    # nothing readable is None, never an empty string
    assert normalize_field("seller_name", "   ") is None
    assert normalize_field("hs_code", "N/M") is None
    assert normalize_field("invoice_date", "31/02/2026") is None
    assert normalize_field("total_amount", None) is None


def test_every_schema_field_has_a_canonical_form_that_is_stable():
    samples = {"date": "28/11/2026", "number": "1.250,50", "plate": "12C 123.45"}
    names = {n for fields in FIELDS.values() for n in fields} | {
        n for cols in LINE_FIELDS.values() for n in cols
    }
    for name in sorted(names):
        kind = (
            "date"
            if name in DATE_FIELDS
            else "number"
            if name in NUMBER_FIELDS
            else "plate"
            if name in PLATE_FIELDS
            else None
        )
        printed = samples.get(kind or "", "CIF 0810.90.10 USD Công ty")
        once = normalize_field(name, printed)
        assert once is not None, name
        assert normalize_field(name, once) == once, name
