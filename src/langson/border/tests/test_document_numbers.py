"""Document numbers (invoice, packing list, certificate, consignment note) and dates: slips in their
separators and month names, and numbers near a generic label ("Số", "No.") that belong to something else."""

from __future__ import annotations

import pytest

from langson.border import extract
from langson.border.ocr import PageText
from langson.border.tests.test_extract_repairs import _line, _values, words


@pytest.mark.parametrize(
    ("read", "number"),
    [
        ("KLI25I6845", "KL/25/6845"),  # both slashes read as letters
        ("KLI26l4621", "KL/26/4621"),
        ("XTWLI26/1081", "XTWL/26/1081"),  # one slash read as I, the other right
        ("KL/25/6845", "KL/25/6845"),
        ("HLI2026", "HLI2026"),  # no number after a year: the I is the series'
        ("INV-2611", "INV-2611"),
    ],
)
def test_slashes_read_as_letters_between_series_year_and_number(read: str, number: str) -> None:
    assert extract.parse_value("cmr_number", words((read, 100, 260)))[0] == number


@pytest.mark.parametrize("date", ["2026-07-02", "26.06.2026", "02/07/2026"])
def test_a_date_is_no_document_number(date: str) -> None:
    assert extract.parse_value("cmr_number", words((date, 100, 240))) is None
    # …but a number with a date's pieces in it is one.
    found = extract.parse_value("certificate_number", words(("VN-CN", 20, 90), ("26/02/16428", 100, 260)))
    assert found is not None and found[0] == "VN-CN 26/02/16428"


def test_a_forms_template_number_and_a_drivers_licence_are_not_the_documents_number() -> None:
    """A Vietnamese transport company's note prints "Mẫu số: 01/GVC-QT" (the template of the form) at its top
    and "Số GPLX: 577495335016" (the driver's licence) with the vehicle: neither is the note's "Số"."""
    template = _line(0, 220, ("Mẫu", 1109), ("số:", 1151), ("01/GVC-QT", 1178))
    number = _line(1, 300, ("Số:", 110), ("LS-5146/26", 160))
    licence = _line(2, 946, ("Số", 878), ("GPLX:", 906), ("577495335016", 976))
    page = PageText(1, 1654, 2339, [*template, *licence])
    assert "cmr_number" not in _values(extract.extract_typed("cmr", [page]))
    page = PageText(1, 1654, 2339, [*template, *number, *licence])
    assert _values(extract.extract_typed("cmr", [page]))["cmr_number"] == "LS-5146/26"


@pytest.mark.parametrize(
    ("read", "date"),
    [
        (("4", "Jui", "2026"), "2026-07-04"),  # l read as i
        (("12", "0ct", "2025"), "2025-10-12"),  # O read as 0
        (("12", "0ct.", "2025"), "2025-10-12"),
        (("Jui", "2026"), None),  # no day: not a date
    ],
)
def test_a_month_name_misread_by_a_usual_slip_still_dates(read: tuple[str, ...], date: str | None) -> None:
    found = extract.parse_value(
        "packing_list_date", words(*[(t, 100 * k, 100 * k + 60) for k, t in enumerate(read)])
    )
    assert (found[0] if found else None) == date


def test_an_invoices_reference_is_its_number_and_a_bank_account_is_not() -> None:
    """A trading house's invoice prints its number as "Số chứng từ / Ref. No." (or "票据编号 / Inv. Ref. No.")
    and, at its foot, the seller's bank account as "Số tài khoản (A/C No.)" or "账号 / A/C No:". The
    account's "No." is no label of the invoice's number, whatever its figures."""
    reference = _line(0, 491, ("Số", 957), ("chứng", 988), ("từ", 1057), ("/", 1084), ("Ref.", 1098))
    reference += _line(0, 491, ("No.:", 1144), ("103/2026/VH-XK", 1209))
    account = _line(1, 1265, ("Số", 932), ("tài", 963), ("khoản", 996), ("(A/C", 1064), ("No.):", 1115))
    account += _line(1, 1265, ("2458106178860", 1180))
    page = PageText(1, 1654, 2339, [*account])
    assert "invoice_number" not in _values(extract.extract_typed("commercial_invoice", [page]))
    page = PageText(1, 1654, 2339, [*reference, *account])
    assert _values(extract.extract_typed("commercial_invoice", [page]))["invoice_number"] == "103/2026/VH-XK"
    chinese = _line(0, 118, ("票据编号", 1031), ("/", 1103), ("Inv.", 1112), ("Ref", 1146), ("No.", 1180))
    chinese += _line(0, 118, ("PXYY-2507/0186", 1240))
    bank = _line(1, 1339, ("开户银行", 120), ("/", 200), ("Bank:", 212), ("中国工商银行南宁分行账号／", 265))
    bank += _line(1, 1339, ("/A/C", 521), ("No:", 567), ("248368125858", 607))
    page = PageText(1, 1654, 2339, [*chinese, *bank])
    assert _values(extract.extract_typed("commercial_invoice", [page]))["invoice_number"] == "PXYY-2507/0186"


@pytest.mark.parametrize(
    ("read", "number"),
    [
        ("_INV-JHFZ-2500976", "INV-JHFZ-2500976"),  # a rule's remnant against the number
        ("|PXYY-2507/0186", "PXYY-2507/0186"),
        ("广西南宁市江南区星光大道218号", None),  # an address with its house number: no document's number
    ],
)
def test_specks_around_a_document_number_go_and_an_address_is_none(read: str, number: str | None) -> None:
    found = extract.parse_value("invoice_number", words((read, 100, 100 + 14 * len(read))))
    assert (found[0] if found else None) == number
