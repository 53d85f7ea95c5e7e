"""Repairs of typical OCR slips that the document itself proves: impossible dates, split document numbers,
box numbers of forms, legal-form words of company names, a line's own arithmetic."""

from __future__ import annotations

import pytest

from langson.border import extract
from langson.border.ocr import PageText, Row, Word, _possible_date
from langson.border.ocr import rows as ocr_rows


def words(*specs: tuple[str, int, int]) -> list[Word]:
    """Words on one line, each (text, x0, x1), 20 px high."""
    return [Word(text, 0.9, (x0, 100, x1, 120), (x0, 100, x1, 120)) for text, x0, x1 in specs]


@pytest.mark.parametrize(
    ("text", "possible"),
    [
        ("2026-04-02", True),
        ("28/11/2026", True),
        ("2026-94-02", False),  # month 94: a 0 read as 9
        ("2826-04-02", False),  # year 2826
        ("31/13/2026", False),
        ("on 2026-04-02", True),
        ("12/05/26", None),  # two-digit year: not judged
        ("INV-2026", None),
    ],
)
def test_impossible_dates_are_told_from_real_ones(text: str, possible: bool | None) -> None:
    assert _possible_date(text) is possible


def test_document_number_pieces_are_joined() -> None:
    assert extract.parse_value("invoice_number", words(("VTHN-", 0, 60), ("2507/0628", 64, 160)))[0] == (
        "VTHN-2507/0628"
    )
    assert extract.parse_value("invoice_number", words(("XSSG20261107", 0, 150), ("-857", 153, 200)))[0] == (
        "XSSG20261107-857"
    )
    # The series glued to its label by the OCR ("No.CMR 917060") stays with the number.
    assert extract.parse_value("cmr_number", words(("No.CMR", 0, 70), ("917060", 80, 160)))[0] == "CMR 917060"
    # A series in small capitals, a wide space before the number.
    found = [Word("VN-CN", 0.9, (1021, 102, 1094, 118)), Word("26/02/16428", 0.9, (1112, 100, 1274, 118))]
    assert extract.parse_value("certificate_number", found)[0] == "VN-CN 26/02/16428"
    # A label word is not a series.
    assert extract.parse_value("invoice_number", words(("NO", 0, 30), ("12345", 40, 100)))[0] == "12345"
    # Far apart: two things, not one number.
    far = words(("VTHN-", 0, 60), ("2507/0628", 200, 300))
    assert extract.parse_value("invoice_number", far)[0] == "2507/0628"


def test_a_form_box_number_is_not_the_figure() -> None:
    # "8 Đóng gói 1,397": the 8 numbers the box, 1,397 is the value.
    found = extract.parse_value("total_packages", words(("8", 0, 10), ("Đóng", 18, 60), ("1,397", 200, 260)))
    assert found is not None and found[0] == "1397"
    # A small figure standing alone is a figure.
    found = extract.parse_value("total_packages", words(("8", 0, 10), ("CTNS", 60, 110)))
    assert found is not None and found[0] == "8"


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        (
            "BAC GIANG AGRICULTURAL MACHINERY COMPANY LIMTITED",
            "BAC GIANG AGRICULTURAL MACHINERY COMPANY LIMITED",
        ),
        ("NANNING JINHUA TEXTILES C0., LTD.", "NANNING JINHUA TEXTILES CO., LTD."),
        ("NANNING HUAXIN ELECTRONIC TECHNOLOGY co., LTD.", "NANNING HUAXIN ELECTRONIC TECHNOLOGY CO., LTD."),
        ("NANNING HUAXIN ELECTRONIC TECHNOLOGY CO.., LTD.", "NANNING HUAXIN ELECTRONIC TECHNOLOGY CO., LTD."),
        ("GUANGXI CHONGZUO NONGFENG FERTILIZER CO., LTO.", "GUANGXI CHONGZUO NONGFENG FERTILIZER CO., LTD."),
        ("PINGXIANG NANJIANG FRUIT & VEGETABLE CO., LYD.", "PINGXIANG NANJIANG FRUIT & VEGETABLE CO., LTD."),
        # An I read as "!", a speck read as a dot inside a word.
        (
            "PINGXIANG YOUY! IMPORT & EXPORT TRADING CO., LTD.",
            "PINGXIANG YOUYI IMPORT & EXPORT TRADING CO., LTD.",
        ),
        ("NANNING HUAXIN ELECTRONIC TECHNOL.OGY CO., LTD.", "NANNING HUAXIN ELECTRONIC TECHNOLOGY CO., LTD."),
        ("S.A.R.L. ABC", "S.A.R.L. ABC"),
        # chi_sim's full-width stops, a lost comma, and a name's last word two slips from its legal form.
        ("CHONGZUO BORDER TRADE CO。 LTD.", "CHONGZUO BORDER TRADE CO., LTD."),
        ("CHONGZUO BORDER TRADE CO,， LTD.", "CHONGZUO BORDER TRADE CO., LTD."),
        ("PINGXIANG NANJIANG TRADING CO. LTD.", "PINGXIANG NANJIANG TRADING CO., LTD."),
        ("TAY NINH GREEN TAPIOCA STARCH COMPANY LTMTTED", "TAY NINH GREEN TAPIOCA STARCH COMPANY LIMITED"),
        (
            "GUANGX!I CHONGZUO FERTILIZER CO., LTD.",
            "GUANGXI CHONGZUO FERTILIZER CO., LTD.",
        ),  # a place, once "!" is I
        ("Công ty TNHH Tinh bột，Tây Ninh", "Công ty TNHH Tinh bột，Tây Ninh"),  # not a Latin name: kept
        (
            "CHONGZUO BORDER TRADE SUPPLY CHAIN MANAGEMENT CO,, LTD.",
            "CHONGZUO BORDER TRADE SUPPLY CHAIN MANAGEMENT CO., LTD.",
        ),
        # Vietnamese names: the tone marks of their common words, in the case printed.
        (
            "Công ty Cố phần Xuất nhập khấu Nông sản Lạng Sơn",
            "Công ty Cổ phần Xuất nhập khẩu Nông sản Lạng Sơn",
        ),
        ("Công ty TNHH Tỉnh bột sắn Tây Ninh Xanh", "Công ty TNHH Tinh bột sắn Tây Ninh Xanh"),
        ("CÔNG TY CỐ PHẦN DỆT MAY PHÚ THỊNH", "CÔNG TY CỔ PHẦN DỆT MAY PHÚ THỊNH"),
        ("Công ty TNHH Máy nông nghiệp Bắc Giang", "Công ty TNHH Máy nông nghiệp Bắc Giang"),
        # Only in a company's name: "Tỉnh" (province) stays elsewhere.
        ("Tỉnh bột Lạng Sơn", "Tỉnh bột Lạng Sơn"),
        # Words that are right stay: both forms are real words.
        ("TAN THANH GREEN AGRICULTURE COMPANY LIMITED", "TAN THANH GREEN AGRICULTURE COMPANY LIMITED"),
        (
            "PHU THINH TEXTILE AND GARMENT JOINT STOCK COMPANY",
            "PHU THINH TEXTILE AND GARMENT JOINT STOCK COMPANY",
        ),
        # Proper names are never touched, nor names not in capitals.
        ("PINGXIANG NANHANG FRUIT", "PINGXIANG NANHANG FRUIT"),
        # … except a pinyin word one or two of the OCR's slips (T for I, 0 for O) away from pinyin.
        ("NANNING HUAXTN ELECTRONIC TECHNOLOGY CO., LTD.", "NANNING HUAXIN ELECTRONIC TECHNOLOGY CO., LTD."),
        (
            "PINGXIANG Y0UYT IMPORT & EXPORT TRADING CO., LTD.",
            "PINGXIANG YOUYI IMPORT & EXPORT TRADING CO., LTD.",
        ),
        ("EAST PORT FAST TRADING CO., LTD.", "EAST PORT FAST TRADING CO., LTD."),
        # Common words of company names read with a slip, digits inside a word of capitals.
        ("VIET SOUTH FRUTT COMPANY LIMITED", "VIET SOUTH FRUIT COMPANY LIMITED"),
        ("GUANGXI NONGFENG FERTTLTZER CO., LTD.", "GUANGXI NONGFENG FERTILIZER CO., LTD."),
        ("PHU THINH GARMENT J0TNT STOCK COMPANY", "PHU THINH GARMENT JOINT STOCK COMPANY"),
        ("Công ty TNHH Điện tử Việt Hưng", "Công ty TNHH Điện tử Việt Hưng"),
    ],
)
def test_legal_form_words_of_company_names(read: str, printed: str) -> None:
    assert extract.company_words(read) == printed


def item(quantity: str, price: str, amount: str) -> dict[str, dict[str, object]]:
    return {
        "quantity": {"value": quantity, "confidence": 0.9},
        "unit_price": {"value": price, "confidence": 0.9},
        "amount": {"value": amount, "confidence": 0.9},
    }


def test_a_line_sum_puts_back_a_lost_decimal_point() -> None:
    line = item("610", "133", "811.3")  # 1.33 read without its point
    extract._repair_by_arithmetic(line)
    assert line["unit_price"]["value"] == "1.33"
    assert line["unit_price"]["confidence"] <= 0.6  # recovered, not read: flagged for review
    line = item("1000", "1418", "1180")  # the point read as a 4
    extract._repair_by_arithmetic(line)
    assert line["unit_price"]["value"] == "1.18"


def test_a_line_sum_completes_a_cut_quantity_only_from_its_own_digits() -> None:
    line = item("39", "0.2", "7900")  # 39500 cut short
    extract._repair_by_arithmetic(line)
    assert line["quantity"]["value"] == "39500"
    line = item("41", "0.2", "7900")  # 41 is not the start of 39500: left as read, the check will say so
    extract._repair_by_arithmetic(line)
    assert line["quantity"]["value"] == "41"
    line = item("610", "1.33", "811.3")  # right already
    extract._repair_by_arithmetic(line)
    assert line["unit_price"] == {"value": "1.33", "confidence": 0.9}


@pytest.mark.parametrize(
    ("name", "read", "kept"),
    [
        # A box's printed caption, even misread, is not the name or place written in the box.
        ("place_of_delivery", "Nơi gao hàng", False),
        ("place_of_loading", "Nơi và ngày nhận", False),
        ("consignee_name", "ự. name coưtry", False),
        ("consignee_name", "24 Người nhận hàng", False),
        # Real values, some made of label words too.
        ("place_of_delivery", "Dong Dang, Lang Son, Vietnam", True),
        ("place_of_delivery", "Cửa khẩu Tân Thanh", True),
        ("buyer_name", "Công ty TNHH Thương mại Đông Dương", True),
        ("consignor_name", "PINGXIANG YOUYI IMPORT & EXPORT TRADING CO., LTD.", True),
    ],
)
def test_captions_are_not_read_as_names_or_places(name: str, read: str, kept: bool) -> None:
    phrase = words(*((text, 100 * i, 100 * i + 80) for i, text in enumerate(read.split())))
    assert (extract.parse_value(name, phrase) is not None) == kept


def test_a_table_line_the_ocr_cut_in_two_rows_is_one_item() -> None:
    """A slanted photo: the description and the prices of an item sit a little higher and taller than its
    code and quantity, so the OCR gives two rows; they overlap, hold different columns, and are one item."""

    def line(number: int, top: int, bottom: int, *cells: tuple[str, int]) -> list[Word]:
        return [Word(text, 0.9, (x, top, x + 12 * len(text), bottom), line=number) for text, x in cells]

    header = line(
        0, 691, 712, ("Item", 128), ("HS", 207), ("Code", 241), ("Description", 375), ("of", 488),
        ("Goods", 513), ("Quantity", 919), ("Unit", 1023), ("Unit", 1206), ("Price", 1253), ("Amount", 1458),
    )  # fmt: skip
    codes = line(1, 743, 762, ("1", 151), ("85395200", 204), ("13317", 939), ("PCS", 1023))
    goods = line(2, 739, 790, ("LED", 375), ("lamps", 430), ("1.08", 1262), ("14,382.36", 1441))
    codes2 = line(3, 820, 839, ("2", 151), ("54075200", 204), ("20586", 939), ("MTR", 1023))
    goods2 = line(4, 816, 867, ("Polyester", 375), ("fabric", 490), ("1.05", 1262), ("21,615.30", 1441))
    page = PageText(1, 1654, 2339, [*header, *codes, *goods, *codes2, *goods2])
    items = [
        {name: entry["value"] for name, entry in item.items()}
        for item in extract.extract_typed("commercial_invoice", [page])["line_items"]
    ]
    assert items == [
        {"description": "LED lamps", "hs_code": "85395200", "quantity": "13317", "unit": "PCS",
         "unit_price": "1.08", "amount": "14382.36"},
        {"description": "Polyester fabric", "hs_code": "54075200", "quantity": "20586", "unit": "MTR",
         "unit_price": "1.05", "amount": "21615.3"},
    ]  # fmt: skip


def test_a_ruled_column_of_labels_has_its_values_in_the_next_cell() -> None:
    """Labels stacked in one ruled cell (no rules between their lines), values in the cell to the right;
    one label's Han half read as junk ("BI Date"), another followed by a generic word ("Invoice No.")."""

    def line(number: int, top: int, *cells: tuple[str, int]) -> list[Word]:
        return [Word(text, 0.9, (x, top, x + 14 * len(text), top + 22), line=number) for text, x in cells]

    page = PageText(
        1,
        1654,
        2339,
        [
            *line(
                0, 268, ("PACKING", 110), ("LIST", 275), ("编号", 911), ("No", 960), ("XSSG-2610/0142", 1163)
            ),
            *line(1, 327, ("BI", 914), ("Date", 960), ("22/10/2026", 1162)),
            *line(2, 379, ("发票号Invoice", 911), ("No.", 1053), ("XSSG-2610/0143", 1162)),
        ],
        vertical_rules=[(900, 252, 422), (1150, 252, 422), (1543, 252, 422)],
    )
    fields = extract.extract_typed("packing_list", [page])["fields"]
    assert {name: fields[name]["value"] for name in fields} == {
        "packing_list_number": "XSSG-2610/0142",
        "packing_list_date": "2026-10-22",
        "invoice_number": "XSSG-2610/0143",
    }


def test_clear_labels_of_another_type_outweigh_a_misread_title() -> None:
    """A title read as "COMMERCIAL INVOICE" over a page whose own labels are a packing list's: the labels
    decide (a title is a few words the OCR may misread; the labels are many)."""

    def line(number: int, top: int, height: int, *cells: tuple[str, int]) -> list[Word]:
        return [Word(text, 0.9, (x, top, x + 14 * len(text), top + height), line=number) for text, x in cells]

    page = PageText(
        1,
        1654,
        2339,
        [
            *line(0, 100, 48, ("COMMERCIAL", 500), ("INVOICE", 900)),
            *line(1, 220, 22, ("Packing", 100), ("list", 210), ("No.:", 270), ("PL-2026/118", 400)),
            *line(2, 270, 22, ("Packing", 100), ("list", 210), ("date:", 270), ("28/11/2026", 400)),
            *line(3, 320, 22, ("Total", 100), ("net", 180), ("weight:", 240), ("900", 400), ("kg", 460)),
            *line(4, 370, 22, ("Total", 100), ("gross", 180), ("weight:", 270), ("1,000", 400), ("kg", 480)),
        ],
    )
    assert extract.extract_pages([page])["document_type"] == "packing_list"


@pytest.mark.parametrize(
    ("read", "rule"),
    [
        ("EOB", "FOB"),
        ("FOB", "FOB"),
        ("EXV", "EXW"),
        ("DAR", None),  # DAP or DAT: ambiguous
        ("CIA", None),
        ("THE", None),
        ("F0B", "FOB"),
    ],
)
def test_an_incoterm_one_letter_off_right_of_its_label(read: str, rule: str | None) -> None:
    found = extract.parse_value("incoterm", words((read, 0, 60)))
    assert (found[0] if found else None) == rule


@pytest.mark.parametrize(
    ("cells", "unit"),
    [
        ((("2,536", 947), ("KGS", 1021)), "KGS"),
        ((("2,536", 947), ("kg", 1021)), "kg"),  # any case
        ((("2,536kg", 947),), "kg"),  # glued to the quantity, in the quantity's cell
        ((("2,536", 947), ("CTNS", 1021)), None),  # a kind of package is no unit of measure
    ],
)
def test_a_unit_code_in_an_item_row_is_its_unit_when_the_heading_was_misread(
    cells: tuple[tuple[str, int], ...], unit: str | None
) -> None:
    def line(number: int, top: int, *cells: tuple[str, int]) -> list[Word]:
        return [Word(text, 0.9, (x, top, x + 12 * len(text), top + 22), line=number) for text, x in cells]

    page = PageText(
        1,
        1654,
        2339,
        [
            *line(0, 715, ("Item", 121), ("HS", 200), ("Code", 236), ("Description", 370), ("of", 485),
                  ("Goods", 509), ("Quantity", 917), ("hit", 1021), ("Unit", 1205), ("Price", 1251),
                  ("Amount", 1457)),
            *line(1, 769, ("1", 146), ("08109010", 201), ("Fresh", 371), ("longan", 440), *cells,
                  ("1.36", 1260), ("3,448.96", 1451)),
        ],
    )  # fmt: skip
    (item,) = extract.extract_typed("commercial_invoice", [page])["line_items"]
    assert item.get("unit", {}).get("value") == unit and item["quantity"]["value"] == "2536"


# --- lessons of the train layouts pl_vn_summary, pl_zh_grid and cmr_vn_table -----------------------------


def _line(number: int, top: int, *cells: tuple[str, int], conf: float = 0.9) -> list[Word]:
    """Words of one printed line, each (text, x0), 22 px high, 14 px per character (an unskewed page: the
    cleaned image's box is the page image's)."""
    boxes = [(x, top, x + 14 * len(text), top + 22) for text, x in cells]
    return [Word(text, conf, box, box, line=number) for (text, _x), box in zip(cells, boxes, strict=True)]


def _layout(page: PageText) -> extract.Layout:
    return extract.Layout(ocr_rows(page), {1: page.vertical_rules}, {1: page.horizontal_rules})


def _values(extraction: dict[str, object]) -> dict[str, str]:
    fields = extraction["fields"]
    assert isinstance(fields, dict)
    return {name: entry["value"] for name, entry in fields.items()}


def test_a_colon_ends_a_label() -> None:
    """ "Số: PL-0321" is the label "Số" and the number PL-0321, not the label "Số PL" with "-0321" glued to
    it; "Kèm theo hóa đơn thương mại số:" names the invoice the packing list goes with."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 300, ("Số:", 700), ("PL-XSSG-2511/0321", 760)),
            *_line(1, 360, ("Kèm", 110), ("theo", 170), ("hóa", 240), ("đơn", 300), ("thương", 360),
                   ("mại", 460), ("số:", 520), ("XSSG-2511/0321", 580)),
        ],
    )  # fmt: skip
    assert _values(extract.extract_typed("packing_list", [page])) == {
        "packing_list_number": "PL-XSSG-2511/0321",
        "invoice_number": "XSSG-2511/0321",
    }


def test_totals_told_in_sentences_and_weight_columns_headed_kl() -> None:
    """A Vietnamese packing list: columns "KL cả bì (kg)" and "KL tịnh (kg)" (khối lượng), the row numbers
    under "TT" partly unread (junk words where a digit was), totals in sentences under the table."""
    header = _line(0, 700, ("TT", 120), ("Tên", 190), ("hàng", 243), ("hóa", 312), ("Số", 762),
                   ("lượng", 799), ("kiện", 877), ("KL", 1159), ("cả", 1200), ("bì", 1235), ("(kg)", 1269),
                   ("KL", 1384), ("tịnh", 1425), ("(kg)", 1486))  # fmt: skip
    first = _line(1, 745, ("Vải", 190), ("dệt", 236), ("thoi", 281), ("104", 889), ("2.258,9", 1231),
                  ("2.196,5", 1448))  # fmt: skip
    junk = _line(2, 790, ("Gi", 116), ("fo", 140), conf=0.1)
    second = _line(2, 790, ("Vòng", 190), ("bi", 256), ("51", 903), ("805,8", 1253), ("765", 1493))
    packages = _line(3, 900, ("Tổng", 113), ("số", 183), ("kiện:", 219), ("155", 293), ("kiện", 355))
    gross = _line(4, 945, ("Tổng", 113), ("khối", 184), ("lượng", 244), ("cả", 319), ("bì:", 356),
                  ("3.064,7", 401), ("kg", 530))  # fmt: skip
    net = _line(5, 990, ("Tổng", 113), ("khối", 184), ("lượng", 244), ("tịnh:", 320), ("2.961,5", 390),
                ("kg", 519))  # fmt: skip
    totals = [*packages, *gross, *net]
    page = PageText(1, 1654, 2339, [*header, *first, *junk, *second, *totals])
    extraction = extract.extract_typed("packing_list", [page])
    assert _values(extraction) == {
        "total_packages": "155",
        "total_gross_weight_kg": "3064.7",
        "total_net_weight_kg": "2961.5",
    }
    items = [{name: entry["value"] for name, entry in item.items()} for item in extraction["line_items"]]
    assert items == [
        {
            "description": "Vải dệt thoi",
            "packages": "104",
            "gross_weight_kg": "2258.9",
            "net_weight_kg": "2196.5",
        },
        {"description": "Vòng bi", "packages": "51", "gross_weight_kg": "805.8", "net_weight_kg": "765"},
    ]


def test_junk_words_never_continue_a_description() -> None:
    header = _line(0, 700, ("Description", 190), ("Packages", 760), ("Gross", 1000), ("weight", 1080),
                   ("Net", 1300), ("weight", 1360))  # fmt: skip
    item = _line(1, 745, ("Fresh", 190), ("longan", 280), ("45", 790), ("481.5", 1030), ("450", 1330))
    stamp = _line(2, 790, ("li", 190), ("ĐA", 230), ("EM", 280), conf=0.05)
    page = PageText(1, 1654, 2339, [*header, *item, *stamp])
    (only,) = extract.extract_typed("packing_list", [page])["line_items"]
    assert only["description"]["value"] == "Fresh longan"


def test_a_generic_quantity_heading_names_the_packages_column() -> None:
    """A "Qty" heading on a packing list counts its packages, unless another column says so outright."""
    header = _line(0, 700, ("Description", 190), ("Qty", 760), ("Gross", 1000), ("weight", 1080),
                   ("Net", 1300), ("weight", 1360))  # fmt: skip
    cells = [("Fresh", 190), ("longan", 280), ("45", 790), ("481.5", 1030), ("450", 1330)]
    page = PageText(1, 1654, 2339, [*header, *_line(1, 745, *cells)])
    (item,) = extract.extract_typed("packing_list", [page])["line_items"]
    assert item["packages"]["value"] == "45"
    both = Row(
        1, _line(0, 700, ("Description", 190), ("Qty", 600), ("Unit", 660), ("Cartons", 760), ("Net", 1300))
    )
    spans = extract._header_spans(both, extract.COLUMNS["packing_list"])
    assert spans["packages"] == (760, 760 + 14 * len("Cartons"))


@pytest.mark.parametrize("total", [("合计", "TOTAL"), ("合计TOTAL",)])
def test_a_total_row_is_no_evidence_of_an_invoice(total: tuple[str, ...]) -> None:
    """A packing list whose labels are shared with other types ("收货人 Consignee") and whose total row starts
    "合计 TOTAL": the title decides, the total row does not make it an invoice."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 100, ("PACKING", 600), ("LIST", 800)),
            *_line(1, 300, ("收货人", 110), ("Consignee", 200), ("凭祥市南疆果蔬贸易有限公司", 400)),
            *_line(
                2,
                350,
                ("出口商", 110),
                ("Exporter", 200),
                ("TAN", 400),
                ("THANH", 460),
                ("CO.,", 550),
                ("LTD", 610),
            ),
            *_line(
                3,
                400,
                ("Description", 190),
                ("Pkg", 700),
                ("Net", 900),
                ("Weight", 960),
                ("Gross", 1200),
                ("Weight", 1280),
            ),
            *_line(4, 445, ("Fresh", 190), ("longan", 280), ("45", 700), ("450", 900), ("481.5", 1200)),
            *_line(5, 490, *zip(total, (110, 160), strict=False), ("45", 700), ("450", 900), ("481.5", 1200)),
        ],
    )
    assert extract.type_by_labels([page]) != "commercial_invoice"
    assert extract.extract_pages([page])["document_type"] == "packing_list"


def test_a_scanned_rule_in_pieces_still_bounds_a_cell() -> None:
    layout = extract.Layout([], {}, {1: [(473, 110, 160), (473, 175, 240), (473, 250, 300)]})
    assert layout.hbarrier(1, 460, 480, 100, 310)  # 165 of 210 px ruled, in three pieces
    assert not layout.hbarrier(1, 460, 480, 100, 500)  # under half of a wider span
    assert not layout.hbarrier(1, 480, 500, 100, 310)  # not between the heights asked


def test_a_label_over_another_types_caption_has_its_value_in_the_next_cell() -> None:
    """A ruled grid of label | value cells whose horizontal rules the scan lost: the line under "发票号码
    Invoice No." is "收货人 Consignee", a caption (of a field a packing list does not carry), so the invoice
    number is in the next cell, not under its label."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 432, ("发票号码", 110), ("Invoice", 196), ("No.", 270), ("TTX26605839", 377)),
            *_line(1, 490, ("收货人Consignee", 110), ("凭祥市祥顺水果进出口有限公司", 377)),
        ],
        vertical_rules=[(101, 400, 530), (370, 400, 530), (1537, 400, 530)],
    )
    assert _values(extract.extract_typed("packing_list", [page])) == {"invoice_number": "TTX26605839"}


@pytest.mark.parametrize(
    ("read", "number"),
    [
        ("TTx26605839", "TTX26605839"),  # x and X differ in size only
        ("PL-2026/o18", "PL-2026/O18"),
        ("Inv-2026/118", "Inv-2026/118"),  # real small letters (n) are kept as printed
        ("ab12345", "ab12345"),  # no capitals to go by
    ],
)
def test_a_small_letter_among_capitals_of_a_number_is_a_capital(read: str, number: str) -> None:
    parsed = extract.parse_value("invoice_number", words((read, 0, 150)))
    assert parsed is not None and parsed[0] == number


def test_a_caption_line_under_a_label_is_skipped_even_misread() -> None:
    """A waybill's box: the label "Consignee / Người nhận", under it the printed caption "名称、地址、国家
    name, Address, country" misread ("名稳", "courftry"), then the name. Two Han captions make a caption."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 400, ("2", 110), ("Consignee", 150), ("/", 290), ("Người", 310), ("nhận", 400)),
            *_line(1, 440, ("名稳", 110), ("、", 150), ("地址", 165), ("、", 205), ("国家", 220),
                   ("name,", 260), ("Address,", 340), ("courftry", 470)),
            *_line(2, 480, ("DONG", 115), ("DUONG", 197), ("TRADING", 296), ("COMPANY", 415),
                   ("LIMITED", 540)),
        ],
    )  # fmt: skip
    assert (
        _values(extract.extract_typed("cmr", [page]))["consignee_name"]
        == "DONG DUONG TRADING COMPANY LIMITED"
    )


@pytest.mark.parametrize(
    ("read", "vehicle", "trailer"),
    [
        (("12C-123.45/12R-012.34",), "12C-123.45", "12R-012.34"),  # one word for both
        (("12C-123.45", "/", "12R-012.34"), "12C-123.45", "12R-012.34"),
        (("12R-012.34,", "12C-123.45"), "12C-123.45", "12R-012.34"),  # the trailer first
        (("桂F12345/桂F1234挂",), "桂F12345", "桂F1234挂"),
        (("12R-808,54",), None, "12R-808.54"),  # a dot read as a comma; a trailer's is never the vehicle's
        (("桂A", "#G044", "桂N2613挂"), None, "桂N2613挂"),  # the vehicle's misread: not the trailer's taken
        (("98C-762.36", "/", "12K-934.43"), "98C-762.36", None),  # the trailer's misread: not the vehicle's
    ],
)
def test_plates_printed_together_go_each_to_its_field(
    read: tuple[str, ...], vehicle: str | None, trailer: str | None
) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(read)])
    assert (extract.parse_value("vehicle_plate", found) or [None])[0] == vehicle
    assert (extract.parse_value("trailer_plate", found) or [None])[0] == trailer


def test_a_labelled_figure_cut_in_pieces_is_read_whole() -> None:
    # A group of thousands printed (or read) apart, a decimal point followed by a gap: one figure.
    assert extract.parse_value("total_amount", words(("1", 0, 14), ("250,50", 22, 100)))[0] == "1250.5"
    assert extract.parse_value("fob_value", words(("62,937.", 0, 90), ("64", 96, 124)))[0] == "62937.64"
    # Two figures far apart stay two: the first is the value.
    assert extract.parse_value("total_packages", words(("770", 0, 42), ("2,500.00", 200, 300)))[0] == "770"


@pytest.mark.parametrize(
    ("cells", "gate"),
    [
        ((("Border", 110), ("Gate:", 210), ("Tan", 320), ("Thanh", 380), ("Border", 470), ("Gate", 570)),
         "Tan Thanh Border Gate"),
        ((("Cửa", 110), ("khẩu:", 170), ("Cửa", 320), ("khẩu", 380), ("Hữu", 460), ("Nghị", 520)),
         "Cửa khẩu Hữu Nghị"),
        ((("Border", 110), ("Gate:", 210), ("Chi", 320), ("Ma", 380)), "Chi Ma"),
    ],
)  # fmt: skip
def test_a_gate_named_with_its_label_words(cells: tuple[tuple[str, int], ...], gate: str) -> None:
    page = PageText(1, 1654, 2339, _line(0, 500, *cells))
    assert _values(extract.extract_typed("commercial_invoice", [page]))["border_gate"] == gate


@pytest.mark.parametrize(
    ("printed", "place"),
    [
        ("Đồng Đăng, Lạng Sơn, Việt Nam, 28/11/2026", "Đồng Đăng, Lạng Sơn, Việt Nam"),
        ("Bằng Tường, Trung Quốc - 28.11.2026", "Bằng Tường, Trung Quốc"),
        ("Dong Dang, Lang Son, Vietnam on 28 Nov 2026", "Dong Dang, Lang Son, Vietnam"),
        ("Đồng Đăng, Lạng Sơn ngày 28/11/2026", "Đồng Đăng, Lạng Sơn"),
        ("凭祥 2026年11月28日", "凭祥"),
        ("Km 5, Quốc lộ 1A, Lạng Sơn", "Km 5, Quốc lộ 1A, Lạng Sơn"),  # figures that are no date stay
        # Dates in words: the Vietnamese long form, the month's name first.
        ("Đồng Đăng, Lạng Sơn, ngày 28 tháng 11 năm 2026", "Đồng Đăng, Lạng Sơn"),
        ("Pingxiang, Guangxi, China, Nov 28, 2026", "Pingxiang, Guangxi, China"),
        ("May Tower, Hanoi", "May Tower, Hanoi"),  # a month's name that opens no date
        ("凭祥市2026年11月28日", "凭祥市"),  # Chinese prints the two without a space
        ("28/11/2026, Đồng Đăng, Lạng Sơn", "Đồng Đăng, Lạng Sơn"),  # the date first
    ],
)
def test_a_place_is_read_without_the_date_printed_after_it(printed: str, place: str) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(printed.split())])
    assert extract.parse_value("place_of_loading", found)[0] == place


@pytest.mark.parametrize(
    ("read", "value"),
    [
        (("#4£#", "720"), "720"),  # a stamp's junk around a digit is no figure
        (("Ô8", "625", "CTNS"), "625"),
        (("US$1,250.50",), "1250.5"),
        (("15.221KGS",), "15221"),
        (("(1,250.50)",), "1250.5"),
        (("1.250,-",), "1250"),
        (("USD", "62,937.64"), "62937.64"),
    ],
)
def test_only_words_shaped_like_figures_are_read_as_figures(read: tuple[str, ...], value: str) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(read)])
    assert extract.parse_value("total_gross_weight_kg", found)[0] == value  # a weight: fractions allowed


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("tname sddress", None),  # the box's caption "name, address", misread
        ("name Address HUAXIN ELECTRONIC", None),
        ("NANNING HUAXIN ELECTRONIC TECHNOLOGY CO., LTD.", "NANNING HUAXIN ELECTRONIC TECHNOLOGY CO., LTD."),
        ("Công ty TNHH Nông sản Xanh Tân Thanh", "Công ty TNHH Nông sản Xanh Tân Thanh"),
    ],
)
def test_a_party_box_caption_is_no_company_name(read: str, name: str | None) -> None:
    found = extract.parse_value(
        "consignee_name", words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(read.split())])
    )
    assert (found[0] if found else None) == name


def test_of_a_total_found_about_as_well_in_several_places_the_largest_is_taken() -> None:
    # Each line's "FOB USD …" and the total's line, whose "TOTAL" the OCR misread: the total is the largest.
    lines = [
        _line(0, 900, ("CARTONS", 110), ("FOB", 300), ("USD", 370), ("43.654,68", 440)),
        _line(1, 960, ("CARTONS", 110), ("FOB", 300), ("USD", 370), ("5.987,52", 440)),
        _line(2, 1020, ("TOTIAI.", 110), ("FOB", 300), ("USD", 370), ("49.642,20", 440)),
    ]
    page = PageText(1, 1654, 2339, [w for line in lines for w in line])
    assert _values(extract.extract_typed("certificate_of_origin_form_e", [page]))["fob_value"] == "49642.2"


def test_a_document_number_is_printed_tight_around_its_joiners() -> None:
    page = PageText(
        1, 1654, 2339, _line(0, 300, ("Invoice", 110), ("No.:", 220), ("INV-HL", 300), ("-2600060", 400))
    )
    assert _values(extract.extract_typed("commercial_invoice", [page]))["invoice_number"] == "INV-HL-2600060"
    # A series and its number keep their space.
    page = PageText(
        1, 1654, 2339, _line(0, 300, ("Reference", 110), ("No.", 260), ("VN-CN", 330), ("26/02/16428", 420))
    )
    assert _values(extract.extract_typed("certificate_of_origin_form_e", [page]))["certificate_number"] == (
        "VN-CN 26/02/16428"
    )


def test_an_unsure_word_inside_a_company_name_is_kept() -> None:
    # "THỊNH" read with confidence 0.21 between two sure words of the name: a word, not a stamp's junk.
    found = [
        Word("PHU", 0.88, (106, 100, 155, 120)),
        Word("THỊNH", 0.21, (163, 100, 237, 120)),
        Word("TEXTILE", 0.9, (247, 100, 341, 120)),
        Word("COMPANY", 0.9, (350, 100, 480, 120)),
    ]
    # (An English name: the marks the vie model put on it are dropped, "THỊNH" → THINH.)
    assert extract.parse_value("consignor_name", found)[0] == "PHU THINH TEXTILE COMPANY"
    # Junk marks stay out, and an unsure word at the name's end too.
    found[1] = Word("#ä£", 0.21, (163, 100, 237, 120))
    assert extract.parse_value("consignor_name", found)[0] == "PHU TEXTILE COMPANY"


def test_a_name_under_its_caption_keeps_the_words_left_of_the_captions_column() -> None:
    # The OCR cut "广西" off the name; the caption is set further right than the name's start.
    caption = [
        Word("收货人", 0.95, (164, 420, 230, 442), line=1),
        Word("Consignee", 0.95, (240, 420, 360, 442), line=1),
    ]
    name = [
        Word("广西", 0.97, (101, 487, 125, 511), line=2),
        Word("南宁宏远机械设备有限公司", 0.93, (164, 483, 449, 521), line=2),
    ]
    page = PageText(1, 1654, 2339, [*caption, *name])
    assert _values(extract.extract_typed("cmr", [page]))["consignee_name"] == "广西南宁宏远机械设备有限公司"


def test_weights_headed_per_package_and_per_line_are_read_from_the_line_columns() -> None:
    """A wide packing list: "N.W. | G.W." under "Each", then again under "Total"; a "Quantity" column beside
    "Pkgs". An item's weights are its line totals (the columns printed last), its packages the "Pkgs"."""
    over = _line(0, 640, ("EACH", 900), ("(kg)", 980), ("TOTAL", 1190), ("(kg)", 1280))
    header = _line(1, 690, ("Description", 300), ("Quantity", 546), ("Pkgs", 690), ("N.W.", 885),
                   ("G.W.", 1005), ("Total", 1123), ("N.W.", 1190), ("Total", 1296),
                   ("G.W.", 1370))  # fmt: skip
    item = _line(2, 760, ("Fresh", 216), ("longan", 290), ("1,470", 553), ("147", 720), ("10.00", 906),
                 ("10.70", 1026), ("1,470.00", 1168), ("1,572.90", 1340))  # fmt: skip
    page = PageText(1, 1654, 2339, [*over, *header, *item])
    (only,) = extract.extract_typed("packing_list", [page])["line_items"]
    assert {name: entry["value"] for name, entry in only.items()} == {
        "description": "Fresh longan",
        "packages": "147",
        "net_weight_kg": "1470",
        "gross_weight_kg": "1572.9",
    }
    # Two headings of one field side by side stay two columns: the specific one names it.
    row = Row(
        1, _line(0, 700, ("Số", 546), ("lượng", 576), ("Số", 678), ("kiện", 708), ("Cả", 1003), ("bì", 1033))
    )
    assert extract._header_spans(row, extract.COLUMNS["packing_list"])["packages"] == (678, 708 + 14 * 4)


def test_a_table_headed_on_two_lines_with_its_own_columns_keeps_a_packing_list_a_packing_list() -> None:
    """Its title says PACKING LIST; "Sold to:", "Cửa khẩu" and "Trade terms" are an invoice's labels too. The
    table's own columns, headed over two lines ("Số kiện", "Tịnh / N.W.", "Cả bì / G.W."), none of its lines
    naming all three, weigh
    for the packing list."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 100, ("PACKING", 100), ("LIST", 330)),
            *_line(1, 160, ("Số", 100), ("/", 130), ("P/L", 150), ("No.:", 200), ("PL2602178", 300)),
            *_line(2, 220, ("Sold", 100), ("to:", 170), ("PINGXIANG", 230), ("FRUIT", 400), ("CO.", 490)),
            *_line(3, 270, ("Cửa", 100), ("khẩu:", 160), ("Hữu", 260), ("Nghị", 320)),
            *_line(4, 320, ("Trade", 100), ("terms:", 180), ("DAF", 290)),
            *_line(
                5,
                640,
                ("Description", 300),
                ("Số", 690),
                ("kiện", 730),
                ("Tịnh", 1150),
                ("Cả", 1320),
                ("bì", 1350),
            ),
            *_line(6, 668, ("N.W.", 1150), ("G.W.", 1320)),
            *_line(7, 740, ("Fresh", 216), ("longan", 290), ("147", 720), ("1,470", 1168), ("1,572.9", 1340)),
        ],
    )
    assert extract.extract_pages([page])["document_type"] == "packing_list"


def test_a_gate_named_with_its_label_words_under_its_label() -> None:
    """ "Cửa khẩu xuất (Border gate of exit)" over "Cửa khẩu Chi Ma": the line under the label is the gate,
    not a second line of the label; "Xuất xứ hàng hóa (Origin of goods)" is all label, its value under it."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                700,
                ("Cửa", 931),
                ("khẩu", 975),
                ("xuất", 1040),
                ("(Border", 1110),
                ("gate", 1220),
                ("of", 1290),
                ("exit)", 1330),
            ),
            *_line(1, 740, ("Cửa", 951), ("khẩu", 1008), ("Chi", 1090), ("Ma", 1150)),
            *_line(
                2,
                795,
                ("Xuất", 930),
                ("xứ", 1000),
                ("hàng", 1040),
                ("hóa", 1110),
                ("(Origin", 1170),
                ("of", 1280),
                ("goods)", 1320),
            ),
            *_line(3, 835, ("Việt", 950), ("Nam", 1020)),
        ],
    )
    values = _values(extract.extract_typed("commercial_invoice", [page]))
    assert values["border_gate"] == "Cửa khẩu Chi Ma"
    assert values["country_of_origin"] == "Việt Nam"


def test_a_heading_centred_in_its_ruled_cell_has_the_whole_cell_below_it() -> None:
    """A route table: "Điểm đi (Nơi xếp hàng)" centred over its cell, the place printed from the cell's left
    rule, starting well left of the heading."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                1040,
                ("Điểm", 340),
                ("đi", 420),
                ("(Nơi", 460),
                ("xếp", 530),
                ("hàng)", 590),
                ("Điểm", 1050),
                ("đến", 1130),
                ("(Nơi", 1190),
                ("giao", 1260),
                ("hàng)", 1340),
            ),
            *_line(
                1,
                1120,
                ("Nam", 131),
                ("Ninh,", 190),
                ("Quảng", 270),
                ("Tây,", 360),
                ("Trung", 430),
                ("Quốc", 520),
                ("Đình", 960),
                ("Trám,", 1030),
                ("Bắc", 1120),
                ("Ninh", 1180),
            ),
        ],
        vertical_rules=[(120, 1020, 1180), (900, 1020, 1180), (1560, 1020, 1180)],
    )
    values = _values(extract.extract_typed("cmr", [page]))
    assert values["place_of_loading"] == "Nam Ninh, Quảng Tây, Trung Quốc"
    assert values["place_of_delivery"] == "Đình Trám, Bắc Ninh"


def test_a_header_three_lines_high_names_every_column() -> None:
    """Headings of three lines in a grey header: "单价" alone on the line above the Chinese headings (its
    neighbour "金额" unread), "U/Price" misread on a line where "Amount" is the only heading read; each line
    joins the header and names its column."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 905, ("单价", 1160)),
            *_line(1, 940, ("品名及规格", 391), ("HS编码", 702), ("数量", 890), ("单位", 1012)),
            *_line(2, 975, ("UlPrice", 1147), ("Amount", 1375)),
            *_line(3, 1010, ("Description", 339), ("HS", 694), ("Code", 740), ("Qty", 884), ("Unit", 1013)),
            *_line(
                4,
                1070,
                ("Mango", 200),
                ("0804.50.20", 678),
                ("6,776", 913),
                ("kg", 1020),
                ("0.87", 1226),
                ("5,895.12", 1420),
            ),
        ],
    )
    tables = extract.find_tables("commercial_invoice", _layout(page))
    assert [c.name for c in tables[0].columns if c.name != "other"] == [
        "description", "hs_code", "quantity", "unit", "unit_price", "amount"
    ]  # fmt: skip


def test_a_weight_headed_per_package_on_one_line_and_per_line_on_the_next_keeps_the_line_column() -> None:
    """ "净重 毛重 总净重 总毛重" then "N.W. G.W. N.W. G.W." under them: the line's weights are the later
    columns."""
    spans: dict[str, tuple[float, float]] = {"net_weight_kg": (887, 924), "gross_weight_kg": (1007, 1044)}
    extract._add_headings(spans, {"net_weight_kg": (1151, 1193), "gross_weight_kg": (1323, 1365)}, 20)
    assert spans == {"net_weight_kg": (1151, 1193), "gross_weight_kg": (1323, 1365)}
    extract._add_headings(spans, {"net_weight_kg": (1140, 1200)}, 20)  # the same heading's second line
    assert spans["net_weight_kg"] == (1140, 1200)


def test_a_total_under_its_caption_is_a_figure_with_its_unit_not_a_caption() -> None:
    """A waybill's totals strip: "件数合计 Total packages | 毛重合计 Total gross weight" over "922 件 |
    25,455.8 kg", under a goods grid whose columns are headed "Packages" and "Gross weight (kg)" with no total
    row. The strip's figures are the totals, not the first figures of the grid's columns."""
    assert not extract._caption_like(_line(0, 100, ("25,455.8", 468), ("kg", 599)))
    assert extract._caption_like(_line(0, 100, ("24", 90), ("Người", 130), ("nhận", 210), ("hàng", 280)))
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                960,
                ("Description", 367),
                ("of", 530),
                ("goods", 570),
                ("Packages", 962),
                ("Gross", 1153),
                ("weight", 1240),
                ("(kg)", 1340),
            ),
            *_line(
                1, 1040, ("Switching", 268), ("power", 420), ("supplies", 500), ("139", 1043), ("1,390", 1268)
            ),
            *_line(2, 1086, ("LED", 264), ("lamps", 316), ("783", 1043), ("24,065.8", 1230)),
            *_line(
                3,
                1494,
                ("件数合计", 88),
                ("Total", 166),
                ("packages", 240),
                ("毛重合计", 461),
                ("Total", 539),
                ("gross", 620),
                ("weight", 700),
            ),
            *_line(4, 1536, ("922", 95), ("件", 150), ("25,455.8", 468), ("kg", 599)),
        ],
        vertical_rules=[(81, 957, 2008), (1574, 957, 2008), (453, 1486, 1589), (827, 1486, 1709)],
        horizontal_rules=[(1486, 81, 1576), (1589, 81, 1576)],
    )
    values = _values(extract.extract_typed("cmr", [page]))
    assert values["total_packages"] == "922"
    assert values["total_gross_weight_kg"] == "25455.8"


def test_words_glued_to_the_next_label_far_right_are_no_name() -> None:
    """ "Bên bán (Seller):" with its name on the next line; far right on its line "Số HĐ (Invoice No.):" whose
    Vietnamese half no vocabulary names. "Số HĐ" is that label's, not the seller."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                414,
                ("Bên", 111),
                ("bán", 163),
                ("(Seller):", 230),
                ("Số", 974),
                ("HĐ", 1010),
                ("(Invoice", 1050),
                ("No.):", 1170),
                ("NSLS26241970", 1250),
            ),
            *_line(
                1,
                457,
                ("Công", 139),
                ("ty", 212),
                ("Cổ", 250),
                ("phần", 290),
                ("Nông", 370),
                ("sản", 440),
                ("Lạng", 500),
                ("Sơn", 570),
            ),
        ],
    )
    values = _values(extract.extract_typed("commercial_invoice", [page]))
    assert values["seller_name"] == "Công ty Cổ phần Nông sản Lạng Sơn"
    assert values["invoice_number"] == "NSLS26241970"


def test_a_caption_word_cut_in_two_is_still_the_label() -> None:
    """ "卖方 Sell er / 出口商 Exporter" (a small caption the OCR cut) over the seller's name."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 269, ("卖方", 121), ("Sell", 164), ("er", 218), ("/出口商", 250), ("Exporter", 350)),
            *_line(
                1, 311, ("BAC", 124), ("GIANG", 185), ("MACHINERY", 280), ("COMPANY", 430), ("LIMITED", 560)
            ),
        ],
        vertical_rules=[(83, 262, 480), (990, 262, 480)],
    )
    assert _values(extract.extract_typed("commercial_invoice", [page]))["seller_name"] == (
        "BAC GIANG MACHINERY COMPANY LIMITED"
    )


def test_a_signature_caption_names_no_party() -> None:
    """ "ĐẠI DIỆN BÊN GỬI HÀNG" over a signature: the sender's words end the caption "đại diện"; the sender
    is the name under "1. Bên gửi hàng / Chủ hàng:"."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                513,
                ("1.", 122),
                ("Bên", 145),
                ("gửi", 191),
                ("hàng", 240),
                ("/", 300),
                ("Chủ", 320),
                ("hàng:", 370),
            ),
            *_line(
                1, 554, ("NANNING", 157), ("JINHUA", 278), ("TEXTILES", 373), ("CO.,", 500), ("LTD.", 560)
            ),
            *_line(
                2,
                1694,
                ("ĐẠI", 220),
                ("DIỆN", 266),
                ("BÊN", 340),
                ("GỬI", 392),
                ("HÀNG", 444),
                ("LÁI", 789),
                ("XE", 834),
            ),
            *_line(3, 1732, ("(Ký,", 245), ("ghi", 310), ("rõ", 360), ("họ", 400), ("tên)", 440)),
        ],
    )
    assert (
        _values(extract.extract_typed("cmr", [page]))["consignor_name"] == "NANNING JINHUA TEXTILES CO., LTD."
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ((("Bằng", 545), ("Tường,", 620), ("Quảng", 720), ("Tây,", 810)), (("Trung", 545), ("Quốc", 630))),
        # Wrapped inside the name of a place: "Trung" over "Quốc" are one name.
        ((("Bằng", 545), ("Tường,", 620), ("Quảng", 720), ("Tây,", 810), ("Trung", 875)), (("Quốc", 545),)),
    ],
)
def test_a_place_wrapped_in_its_box_is_read_whole(
    first: tuple[tuple[str, int], ...], second: tuple[tuple[str, int], ...]
) -> None:
    """ "Bằng Tường, Quảng Tây," over "Trung Quốc" under "Nơi giao hàng"; a Chinese place over two lines."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0, 524, ("5.", 540), ("Nơi", 568), ("giao", 620), ("hàng", 690), ("/", 760), ("交货地点", 780)
            ),
            *_line(1, 570, *first),
            *_line(2, 600, *second),
            *_line(
                3, 524, ("4.", 100), ("Nơi", 126), ("xếp", 180), ("hàng", 240), ("/", 310), ("装货地点", 330)
            ),
            *_line(4, 570, ("中国广西壮族自治区", 105)),
            *_line(5, 600, ("凭祥市", 105)),
        ],
        vertical_rules=[(90, 510, 700), (530, 510, 700), (970, 510, 700)],
    )
    values = _values(extract.extract_typed("cmr", [page]))
    assert values["place_of_delivery"] == "Bằng Tường, Quảng Tây, Trung Quốc"
    assert values["place_of_loading"] == "中国广西壮族自治区凭祥市"


def test_a_company_name_wrapped_beside_another_box_is_read_whole() -> None:
    """The importer's name over two lines in box 2, a line of box 4 (ruled apart, to the right) between."""

    def small(number: int, top: int, *cells: tuple[str, int]) -> list[Word]:
        boxes = [(x, top, x + 12 * len(text), top + 14) for text, x in cells]
        return [Word(text, 0.9, box, box, line=number) for (text, _x), box in zip(cells, boxes, strict=True)]

    page = PageText(
        1,
        1654,
        2339,
        [
            *small(0, 561, ("2.", 91), ("Goods", 110), ("consigned", 165), ("to", 300)),
            *small(1, 601, ("口", 625), ("Preferential", 751), ("Treatment", 942), ("Given", 1100)),
            *small(
                2, 617, ("PINGXIANG", 168), ("XIANGSHUN", 288), ("FRUIT", 408), ("IMPORT", 480), ("AND", 564)
            ),
            *small(
                3, 633, ("口", 625), ("Preferential", 751), ("Treatment", 942), ("Not", 1050), ("Given", 1100)
            ),
            *small(4, 649, ("EXPORT", 168), ("CO.,", 252), ("LTD.", 312)),
            *small(5, 685, ("NO.", 95), ("18", 150), ("ZONE", 190), ("A,", 260), ("PUZHAI", 300)),
        ],
        vertical_rules=[(80, 540, 760), (615, 540, 760), (1560, 540, 760)],
    )
    values = _values(extract.extract_typed("certificate_of_origin_form_e", [page]))
    assert values["importer_name"] == "PINGXIANG XIANGSHUN FRUIT IMPORT AND EXPORT CO., LTD."


def test_a_wrapped_description_under_top_aligned_figures_stays_whole() -> None:
    """A packing list whose marks cell reads "C/No. 1-93" on the description's second line, and whose total
    row starts "共计": digits of an unnamed cell make no item, and the total row ends the items."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                640,
                ("Ref.", 169),
                ("Description", 364),
                ("Packages", 700),
                ("Gross", 1000),
                ("weight", 1080),
                ("Net", 1188),
                ("weight", 1240),
            ),
            *_line(
                1,
                685,
                ("HL-HXDZ", 169),
                ("Phụ", 364),
                ("tùng", 420),
                ("máy", 490),
                ("gặt", 550),
                ("93", 742),
                ("4.966,2", 1002),
                ("4.854,6", 1188),
            ),
            *_line(2, 718, ("C/No.", 168), ("1-93", 240), ("đập", 364), ("liên", 420), ("hợp", 480)),
            *_line(3, 790, ("共计", 363), ("93", 742), ("4.966,2", 1002), ("4.854,6", 1188)),
            *_line(4, 820, ("Sum", 364)),
        ],
    )
    extraction = extract.extract_typed("packing_list", [page])
    (item,) = extraction["line_items"]
    assert item["description"]["value"] == "Phụ tùng máy gặt đập liên hợp"
    assert _values(extraction)["total_packages"] == "93"


def test_no_space_is_kept_between_two_han_characters() -> None:
    from langson.border.normalize import normalize_text

    assert normalize_text("中国广西壮族自治区 凭祥市") == "中国广西壮族自治区凭祥市"
    assert normalize_text("尿素 Urea") == "尿素 Urea"  # a Chinese name and its translation keep their space


def test_a_total_row_whose_head_was_misread_is_no_item() -> None:
    """ "共计" read as junk ("#tit") on the total row: its weights add up the items above (one item's packages
    misread too), so it is the table's total, not a third item."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                640,
                ("Description", 364),
                ("Packages", 700),
                ("Net", 1000),
                ("weight", 1060),
                ("Gross", 1188),
                ("weight", 1270),
            ),
            *_line(
                1, 700, ("Combine", 364), ("parts", 480), ("8", 760), ("3.099,6", 1027), ("3.198,0", 1213)
            ),
            *_line(2, 760, ("Ball", 364), ("bearings", 430), ("55", 751), ("679,8", 1040), ("723,8", 1226)),
            *_line(3, 830, ("#tit", 380), ("137", 751), ("3779,4", 1027), ("3921,8", 1213)),
        ],
    )
    items = extract.extract_typed("packing_list", [page])["line_items"]
    assert [item["description"]["value"] for item in items] == ["Combine parts", "Ball bearings"]


@pytest.mark.parametrize(
    ("second_line", "name"),
    [
        (("CO.,", "LTD,"), "CHONGZUO BORDER TRADE SUPPLY CHAIN MANAGEMENT CO., LTD."),  # "." read ","
        (("C0.,", "LTD."), "CHONGZUO BORDER TRADE SUPPLY CHAIN MANAGEMENT CO., LTD."),  # "O" read "0"
        (("MANAGEMENT", "CO,,", "LTD."), "CHONGZUO BORDER TRADE SUPPLY CHAIN MANAGEMENT CO., LTD."),
    ],
)
def test_a_name_wrapped_before_its_legal_form_is_read_whole(second_line: tuple[str, ...], name: str) -> None:
    """The last line of a wrapped name holds its legal form, misread with commas or a zero: not an address
    (two commas, a digit), the end of the name. The address under it stays out."""
    first = ("CHONGZUO", "BORDER", "TRADE", "SUPPLY", "CHAIN", "MANAGEMENT")
    if second_line[0] == "MANAGEMENT":
        first = first[:-1]

    def cells(texts: tuple[str, ...]) -> list[tuple[str, int]]:
        out, x = [], 105
        for text in texts:
            out.append((text, x))
            x += 14 * len(text) + 12
        return out

    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0, 420, ("2", 101), ("Consignee", 126), ("(name,", 270), ("address,", 360), ("country)", 480)
            ),
            *_line(1, 452, *cells(first)),
            *_line(2, 484, *cells(second_line)),
            *_line(3, 516, *cells(("Room", "301,", "Administration", "Building,", "Pingxiang"))),
        ],
    )
    assert _values(extract.extract_typed("cmr", [page]))["consignee_name"] == name


def test_an_invoice_whose_price_and_amount_headings_were_misread() -> None:
    """Both headings misread ("Đơn p", "Kn"): the two unnamed figure columns are named by quantity × unit
    price = amount, and the total is the amount column's figure on the total row, not the first figure
    right of the total row's label (the packages)."""
    rules = [(x, 690, 960) for x in (111, 173, 419, 555, 713, 883, 975, 1151, 1545)]
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 100, ("HÓA", 600), ("ĐƠN", 670), ("THƯƠNG", 740), ("MẠI", 850)),
            *_line(1, 140, ("COMMERCIAL", 600), ("INVOICE", 760)),
            *_line(
                2,
                703,
                ("STT", 124),
                ("Tên", 251),
                ("hàng", 292),
                ("Mã", 590),
                ("số", 624),
                ("HS", 652),
                ("Số", 756),
                ("lượng", 786),
                ("ĐVT", 908),
                ("Đơn", 1025),
                ("p", 1080),
                ("Kn", 1295),
            ),
            *_line(
                3,
                739,
                ("No.", 126),
                ("Description", 237),
                ("H.S.", 588),
                ("code", 634),
                ("Quantity", 756),
                ("Unit", 909),
                ("(USD)", 1035),
                ("(USD)", 1320),
            ),
            *_line(
                4,
                793,
                ("1", 137),
                ("Nhân", 182),
                ("hạt", 241),
                ("điều", 279),
                ("167", 437),
                ("thùng", 479),
                ("0801.32.00", 577),
                ("3.841", 817),
                ("kg", 918),
                ("5,54", 1098),
                ("21.279,14", 1400),
            ),
            *_line(
                5,
                858,
                ("2", 136),
                ("Sầu", 182),
                ("riêng", 227),
                ("665", 436),
                ("thùng", 479),
                ("0810.60.00", 577),
                ("12.635", 790),
                ("kg", 918),
                ("3,39", 1098),
                ("42.832,65", 1400),
            ),
            *_line(
                6,
                918,
                ("Cộng", 181),
                ("tiền", 244),
                ("hàng", 296),
                ("832", 430),
                ("thùng", 477),
                ("16.476", 790),
                ("64.111,79", 1400),
            ),
        ],
        vertical_rules=rules,
    )
    extraction = extract.extract_typed("commercial_invoice", [page])
    items = [{k: v["value"] for k, v in item.items()} for item in extraction["line_items"]]
    assert [(i.get("unit_price"), i.get("amount")) for i in items] == [
        ("5.54", "21279.14"),
        ("3.39", "42832.65"),
    ]
    assert _values(extraction)["total_amount"] == "64111.79"


def test_a_per_package_group_heading_names_no_packages_column() -> None:
    """ "PER PACKAGE" over the per-package weights is a group heading: the packages are under "Pkgs (No.)"."""

    def row(number: int, top: int, text: str) -> list[Word]:
        return _line(number, top, *[(cell.split("@")[0], int(cell.split("@")[1])) for cell in text.split()])

    page = PageText(
        1,
        1654,
        2339,
        [
            *row(0, 100, "PACKING@600 LIST@720"),
            *row(1, 685, "PER@901 PACKAGE@944 TOTAL@1186 WEIGHT@1254"),
            *row(2, 698, "Marks@112 &@177 Description@305 Quantity@546 Pkgs@690 Pkg@787 Meas.@1467"),
            *row(
                3,
                720,
                "Nos.@131 of@317 Goods@343 (No.)@689 Type@782 N.W.@885 G.W.@1005 Total@1123 N.W.@1177 "
                "Total@1296 G.W.@1349 (CBM)@1466",
            ),
            *row(4, 744, "(kgs)@882 (kgs)@1002 (kgs)@1148 (kgs)@1320"),
            *row(
                5,
                784,
                "HL/BMGY@109 Fresh@214 durian@281 8.810@552 KGM@613 881@719 CTNS@780 10,00@906 10,90@1026 "
                "8.810,00@1167 9.602,90@1339 39,65@1497",
            ),
            *row(
                6,
                851,
                "Fresh@215 mangoes@258 10.545@541 KGM@613 555@719 CTNS@780 19,00@906 20,50@1025 "
                "10.545,00@1156 11.377,50@1328 24,98@1497",
            ),
            *row(7, 887, "TOTAL:@214 1.436@696 19.355,00@1146 20.980,40@1317 64,63@1491"),
        ],
    )
    extraction = extract.extract_typed("packing_list", [page])
    items = [{k: v["value"] for k, v in item.items()} for item in extraction["line_items"]]
    assert [i.get("packages") for i in items] == ["881", "555"]
    assert [i.get("net_weight_kg") for i in items] == ["8810", "10545"]
    assert _values(extraction)["total_packages"] == "1436"


@pytest.mark.parametrize(
    ("read", "value"),
    [
        (("nguyên", "kiện.", "Đồng", "Đăng,", "ngày", "30", "tháng", "5", "năm", "2026"), None),
        (("2026", "年", "5", "月"), None),
        (("Cộng", "180", "kiện"), "180"),
    ],
)
def test_a_day_month_or_year_of_a_date_is_no_count(read: tuple[str, ...], value: str | None) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(read)])
    assert (extract.parse_value("total_packages", found) or [None])[0] == value


@pytest.mark.parametrize(
    ("cells", "gate"),
    [
        ((("Cửa", 944), ("khẩu", 1002), ("Hữu", 1072), ("Nghị", 1134)), "Cửa khẩu Hữu Nghị"),  # one name
        ((("Cửa", 944), ("khẩu:", 1002), ("Hữu", 1090), ("Nghị", 1152)), "Hữu Nghị"),  # a colon: a label
        ((("Cửa", 700), ("khẩu", 758), ("Hữu", 1072), ("Nghị", 1134)), "Hữu Nghị"),  # a value set apart
    ],
)
def test_a_gate_printed_with_the_words_cua_khau(cells: tuple[tuple[str, int], ...], gate: str) -> None:
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 100, ("HÓA", 600), ("ĐƠN", 670), ("THƯƠNG", 740), ("MẠI", 850)),
            *_line(1, 140, ("COMMERCIAL", 600), ("INVOICE", 760)),
            *_line(2, 719, ("Tax", 132), ("ID:", 170), ("91451481MA5P3H8Y6Q", 202), *cells),
        ],
    )
    assert _values(extract.extract_typed("commercial_invoice", [page]))["border_gate"] == gate


@pytest.mark.parametrize(
    ("read", "value"),
    [
        (("54/2026/HĐMB-DD", "INV-DD-2600657"), "INV-DD-2600657"),  # a sales contract's number: skipped
        (("27/2028/HDMB-HL",), None),  # its Đ read as D
        (("34/2026/HĐVC-DDL",), None),  # a transport contract's
        (("HL-2611/0952",), "HL-2611/0952"),
        (("INV-HDMBX-2600005",), "INV-HDMBX-2600005"),  # letters that only begin like one
    ],
)
def test_a_contract_number_is_no_document_number(read: tuple[str, ...], value: str | None) -> None:
    found = words(*[(text, 300 * k, 300 * k + 250) for k, text in enumerate(read)])
    assert (extract.parse_value("invoice_number", found) or [None])[0] == value


@pytest.mark.parametrize(
    ("read", "value"), [("PL~INV-TBS-2500281", "PL-INV-TBS-2500281"), ("INV–HL–2600060", "INV-HL-2600060")]
)
def test_a_hyphen_read_as_a_tilde_or_a_dash_in_a_document_number(read: str, value: str) -> None:
    assert extract.parse_value("packing_list_number", words((read, 100, 400)))[0] == value


def test_a_form_e_total_fob_value_beats_an_items_fob_value() -> None:
    """Each item states its own "FOB VALUE: USD …"; the certificate's FOB value is the "TOTAL FOB VALUE:",
    printed on the line under its label."""

    def row(number: int, top: int, text: str) -> list[Word]:
        return _line(number, top, *[(cell.split("@")[0], int(cell.split("@")[1])) for cell in text.split()])

    page = PageText(
        1,
        1654,
        2339,
        [
            *row(0, 100, "CERTIFICATE@500 OF@680 ORIGIN@720 FORM@850 E@930"),
            *row(1, 1201, "CHONGZUO@181 PALLETS;@510 FOB@1031 VALUE:@1079 USD@1159 3.509,22@1209"),
            *row(2, 1273, "CARTONS;@611 FOB@1031 VALUE:@1079 USD@1159 4.573,80@1208"),
            *row(3, 1373, "PACKAGES@480 ONLY)@604 TOTAL@1030 FOB@1106 VALUE:@1156"),
            *row(4, 1402, "USD@1031 8.083,02@1084"),
        ],
    )
    assert _values(extract.extract_typed("certificate_of_origin_form_e", [page]))["fob_value"] == "8083.02"


def _packing_list_lines(
    *description_lines: tuple[int, tuple[tuple[str, int], ...]], opened: bool = False
) -> PageText:
    """A packing list with two items (figures at y 685 and 790; the first's description opens a bracket when
    ``opened``) and the given description lines without figures, each (top, cells)."""
    header = _line(0, 640, ("Description", 364), ("Packages", 700), ("Gross", 1000), ("weight", 1080),
                   ("Net", 1188), ("weight", 1240))  # fmt: skip
    bracket = (("(Woven", 540),) if opened else ()
    first = _line(1, 685, ("Vải", 364), ("dệt", 420), ("thoi", 480), *bracket, ("24", 742), ("25,24", 1002),
                  ("24,64", 1188))  # fmt: skip
    wrapped = [_line(2 + k, top, *cells) for k, (top, cells) in enumerate(description_lines)]
    second = _line(9, 790, ("Vòng", 364), ("bi", 440), ("99", 742), ("17,24", 1002), ("16,44", 1188))
    total = _line(10, 840, ("TOTAL", 364), ("123", 742), ("42,48", 1002), ("41,08", 1188))
    return PageText(1, 1654, 2339, [*header, *first, *(w for line in wrapped for w in line), *second, *total])


def test_a_description_wrapped_on_three_lines_keeps_its_last_line() -> None:
    """The third line of a description stands nearer the next item's line than its own figures' line, but
    right under its second line: it ends this description, it does not open the next one."""
    page = _packing_list_lines(
        (718, (("polyester", 364), ("Woven", 500))), (750, (("filament", 364), ("fabric", 500)))
    )
    first, second = extract.extract_typed("packing_list", [page])["line_items"]
    assert first["description"]["value"] == "Vải dệt thoi polyester Woven filament fabric"
    assert second["description"]["value"] == "Vòng bi"


def test_a_line_closing_the_bracket_above_ends_that_description() -> None:
    """ "… (Fresh red-flesh dragon" over "fruit)": the line closes the bracket the item above left open, so
    it is that description's end even standing nearer the next item."""
    page = _packing_list_lines((745, (("polyester", 364), ("fabric)", 500))), opened=True)
    first, second = extract.extract_typed("packing_list", [page])["line_items"]
    assert first["description"]["value"] == "Vải dệt thoi (Woven polyester fabric)"
    assert second["description"]["value"] == "Vòng bi"


def test_an_invoice_whose_descriptions_stand_three_lines_above_their_figures() -> None:
    """Figures centred in tall cells: the first item's description takes three lines before its figures
    come. The table still has its items, and the total label stacked under the totals ("合计" read as
    "2t", the figures, "TOTAL" on three rows) makes the figures' row the total row, not an item."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                713,
                ("Commodity", 260),
                ("HS", 639),
                ("Qty", 819),
                ("Unit", 947),
                ("Price", 1077),
                ("Amount", 1328),
            ),
            *_line(1, 755, ("(USD)", 1073), ("(USD)", 1339)),
            *_line(2, 797, ("Phụ", 183), ("tùng", 224), ("máy", 278), ("gặt", 326)),
            *_line(3, 827, ("đập", 183), ("liên", 224), ("hợp", 280)),
            *_line(
                4,
                845,
                ("8433.90.90", 615),
                ("3,000", 855),
                ("PCS", 956),
                ("27.23", 1123),
                ("81,690.00", 1400),
            ),
            *_line(5, 870, ("(Parts", 182), ("of", 270), ("combine", 300)),
            *_line(6, 900, ("harvesters)", 183)),
            *_line(7, 950, ("Vải", 181), ("dệt", 230), ("thoi", 280)),
            *_line(
                8,
                985,
                ("5407.52.00", 615),
                ("22,880", 843),
                ("MTR", 956),
                ("1.25", 1137),
                ("28,600.00", 1400),
            ),
            *_line(9, 1020, ("(Woven", 182), ("fabric)", 290)),
            *_line(10, 1064, ("2t", 182), conf=0.4),
            *_line(11, 1080, ("110,290.00", 1386)),
            *_line(12, 1095, ("TOTAL", 181)),
        ],
    )
    extraction = extract.extract_typed("commercial_invoice", [page])
    first, second = extraction["line_items"]
    assert first["description"]["value"] == "Phụ tùng máy gặt đập liên hợp (Parts of combine harvesters)"
    assert (first["quantity"]["value"], first["amount"]["value"]) == ("3000", "81690")
    assert second["description"]["value"] == "Vải dệt thoi (Woven fabric)"
    assert _values(extraction)["total_amount"] == "110290"


def test_a_marks_line_between_two_description_lines_is_not_the_next_item() -> None:
    """ "Xoài tươi" with its figures, "(Fresh mangoes)" under it, and the marks column's "C/No.14-451" just
    below that: the mark's line opens no item, so the English line stays with its Vietnamese one."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(
                0,
                640,
                ("Marks", 168),
                ("Description", 364),
                ("Packages", 700),
                ("N.W.", 1000),
                ("G.W.", 1188),
            ),
            *_line(
                1,
                700,
                ("BMGY", 168),
                ("Dưa", 364),
                ("hấu", 420),
                ("13", 742),
                ("6.149", 1002),
                ("6.383", 1188),
            ),
            *_line(2, 730, ("(Fresh", 364), ("watermelons)", 460)),
            *_line(3, 750, ("C/No.1-13", 168)),
            *_line(
                4,
                800,
                ("BMGY", 168),
                ("Xoài", 364),
                ("tươi", 430),
                ("438", 742),
                ("5.256", 1002),
                ("5.606,4", 1188),
            ),
            *_line(5, 830, ("(Fresh", 364), ("mangoes)", 460)),
            *_line(6, 850, ("C/No.14-451", 168)),
            *_line(7, 900, ("TOTAL", 364), ("451", 742), ("11.405", 1002), ("11.989,4", 1188)),
        ],
    )
    first, second = extract.extract_typed("packing_list", [page])["line_items"]
    assert first["description"]["value"] == "Dưa hấu (Fresh watermelons)"
    assert second["description"]["value"] == "Xoài tươi (Fresh mangoes)"


def test_a_total_read_with_its_point_elsewhere_is_the_sum_of_the_items() -> None:
    """ "72.439,6" read as "72.4396": the same digits as the items' sum, the point misread. The sum is the
    total, flagged for review; a total whose digits differ is left as read."""
    items = [{"gross_weight_kg": {"value": v, "confidence": 0.9}} for v in ("15108.5", "57331.1")]
    fields = {"total_gross_weight_kg": {"value": "72.4396", "confidence": 0.9}}
    extract._repair_by_total("packing_list", items, fields)
    assert fields["total_gross_weight_kg"]["value"] == "72439.6"
    assert fields["total_gross_weight_kg"]["confidence"] <= 0.6
    other = {"total_gross_weight_kg": {"value": "72.4397", "confidence": 0.9}}
    extract._repair_by_total("packing_list", items, other)
    assert other["total_gross_weight_kg"]["value"] == "72.4397"


@pytest.mark.parametrize(
    ("name", "read", "value"),
    [
        # A consignment note's "Documents attached: Invoice INV-…; C/O form E VN-CN …" or its plates.
        ("cmr_number", ("INV-XSSG-2600755",), None),
        ("cmr_number", ("VN-CN", "26/14/56884"), None),
        ("cmr_number", ("98C-327.18",), None),
        ("cmr_number", ("91451481MA5P3H8Y6Q",), None),  # a Chinese company's tax code
        ("cmr_number", ("LS-5193/26",), "LS-5193/26"),
        # A packing list may carry its invoice's number as its own.
        ("packing_list_number", ("INV-NFHF-2500105",), "INV-NFHF-2500105"),
        ("invoice_number", ("VN-CN", "26/14/56884"), None),
        ("invoice_number", ("PL-2026/018",), "PL-2026/018"),  # "PL" may be a company's initials
    ],
)
def test_another_documents_number_is_not_this_ones(
    name: str, read: tuple[str, ...], value: str | None
) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(read)])
    assert (extract.parse_value(name, found) or [None])[0] == value


def test_a_misread_heading_over_a_named_one_is_that_column() -> None:
    """ "毛重（公斤）" over "G.W(KGS)" read "6.W(KGS)": the misread heading covers the Han one, so it is the
    gross weight's column too, and the figures right-aligned under it are the gross weights."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 590, ("品名", 447), ("件数", 766), ("毛重", 1033), ("净重", 1232)),
            *_line(1, 622, ("Description", 410), ("Packages", 739), ("6.W(KGS)", 1028), ("N.W(KGS)", 1229)),
            *_line(2, 670, ("Sầu", 240), ("riêng", 300), ("142", 790), ("2.627", 1080), ("2.414", 1280)),
            *_line(3, 715, ("Nhãn", 240), ("tươi", 310), ("340", 790), ("8.092", 1080), ("7.820", 1280)),
            *_line(4, 760, ("TOTAL", 240), ("482", 790), ("10.719", 1066), ("10.234", 1266)),
        ],
    )
    extraction = extract.extract_typed("packing_list", [page])
    assert [item["gross_weight_kg"]["value"] for item in extraction["line_items"]] == ["2627", "8092"]
    assert _values(extraction)["total_gross_weight_kg"] == "10719"


def test_a_figure_read_with_its_point_elsewhere_is_put_right_by_its_line_or_its_column() -> None:
    """ "77.780,5" read as "77.7805": the line's quantity × unit price has those very digits, so it is the
    amount. In a packing list, "2.230,2" read as "22302": the column's printed total says which item."""
    line = item("10450", "7.45", "77.8525")
    extract._repair_by_arithmetic(line)
    assert line["amount"]["value"] == "77852.5" and line["amount"]["confidence"] <= 0.6
    items = [{"net_weight_kg": {"value": v, "confidence": 0.9}} for v in ("1318.1", "22302", "600")]
    fields = {"total_net_weight_kg": {"value": "4148.3", "confidence": 0.9}}
    extract._repair_by_total("packing_list", items, fields)
    assert [i["net_weight_kg"]["value"] for i in items] == ["1318.1", "2230.2", "600"]


@pytest.mark.parametrize(
    ("read", "value"),
    [
        (("Việt", "Nam"), "Việt Nam"),
        (("VIET", "NAM"), "VIET NAM"),
        (("People's", "Republic", "of", "China"), "People's Republic of China"),
        (("中国",), "中国"),
        (("rhRl",), None),  # "中国" read as letters by the Vietnamese model
        (("bàng", "hóa"), None),  # the rest of the label "Xuất xứ hàng hóa"
        (("County", "of"), None),  # "Country of …", the label cut short
        (("Republic", "of", "Korea"), "Republic of Korea"),
    ],
)
def test_a_country_of_origin_is_a_name_of_a_country_in_shape(
    read: tuple[str, ...], value: str | None
) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(read)])
    assert (extract.parse_value("country_of_origin", found) or [None])[0] == value


@pytest.mark.parametrize(
    ("read", "value"),
    [
        (("Cửa", "khẩu", "quốc", "tế", "Hữu", "Nghị"), "Cửa khẩu quốc tế Hữu Nghị"),
        (("Chi", "Ma", "Border", "Gate"), "Chi Ma Border Gate"),
        (("友谊关口岸",), "友谊关口岸"),
        (("Port", "of", "ExiUEntry"), None),  # "Port of Exit/Entry", the label's own words misread
        (("*xìã%",), None),
        (("G",), None),  # a letter is no name
        (("3.", "唛头", "Shipping", "marks"), None),  # the next box's number and caption
    ],
)
def test_a_border_gate_is_a_name_in_shape(read: tuple[str, ...], value: str | None) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(read)])
    assert (extract.parse_value("border_gate", found) or [None])[0] == value


@pytest.mark.parametrize(
    ("read", "value"),
    [
        (
            ("Xã", "Tân", "Phước,", "tỉnh", "Đồng", "Tháp,", "Việt", "Nam"),
            "Xã Tân Phước, tỉnh Đồng Tháp, Việt Nam",
        ),
        (("PHO", "NOI", "A", "IP,", "HUNG", "YEN,", "VIETNAM"), "PHO NOI A IP, HUNG YEN, VIETNAM"),
        (("中国广西崇左市",), "中国广西崇左市"),
        (("fiace", "of"), None),  # "Place of …", the label misread in a scan
        (("Chứng", "từ", "kèm", "theo", "/", "Documents"), None),  # the next box's label
        (("12.", "Cước", "phí", "/", "/运费"), None),  # the next box's number and caption
        (("18", "Trần", "Đăng", "Ninh,", "Lạng", "Sơn"), "18 Trần Đăng Ninh, Lạng Sơn"),  # a house number
    ],
)
def test_a_place_is_a_name_in_shape(read: tuple[str, ...], value: str | None) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(read)])
    assert (extract.parse_value("place_of_loading", found) or [None])[0] == value


def test_specks_at_the_ends_of_a_description_are_dropped() -> None:
    """ "ˆ Fresh mangoes" (a speck read as a mark) and "MU Fresh watermelons" (two unsure letters a rule
    made): the description is the goods' words; a sure short word and a bracket stay."""
    page = _packing_list_lines()
    page.words = [w for w in page.words if w.line not in (1, 9)]
    page.words += _line(1, 685, ("ˆ", 330), ("Fresh", 364), ("mangoes", 440), ("24", 742), ("25,24", 1002),
                        ("24,64", 1188))  # fmt: skip
    page.words += _line(9, 790, ("MU", 300), ("Urea", 364), ("(N)", 440), ("99", 742), ("17,24", 1002),
                        ("16,44", 1188))  # fmt: skip
    page.words[-6].conf = 0.31
    first, second = extract.extract_typed("packing_list", [page])["line_items"]
    assert first["description"]["value"] == "Fresh mangoes"
    assert second["description"]["value"] == "Urea (N)"


def test_a_packing_lists_packages_stated_in_its_total_sentence() -> None:
    """ "TOTAL: 3,276 PACKAGES, GROSS WEIGHT 70,611.40 KGS, NET WEIGHT 67,395.00 KGS.": the figure before the
    package word is the packages, not the weight after the next label."""
    page = PageText(
        1,
        1654,
        2339,
        _line(0, 1172, ("TOTAL:", 110), ("3,276", 203), ("PACKAGES,", 287), ("GROSS", 428), ("WEIGHT", 520),
              ("70,611.40", 626), ("KGS,", 769), ("NET", 833), ("WEIGHT", 888), ("67,395.00", 994),
              ("KGS.", 1138)),
    )  # fmt: skip
    assert _values(extract.extract_typed("packing_list", [page]))["total_packages"] == "3276"


HEADING_OVER_CARTON_NUMBERS = (
    "Số@100 thùng@130 Tên@300 hàng@345 Số@700 lượng@730 Số@900 kiện@930 Cả@1300 bì@1330"
)


def test_carton_numbers_headed_like_packages_are_not_the_packages_column() -> None:
    """ "Số thùng" over "C/No." heads the carton numbers (1-234), "Số kiện" over "Pkgs" the packages; joined
    into one heading, the packages took the quantity printed between them."""

    def row(number: int, top: int, text: str) -> list[Word]:
        return _line(number, top, *[(cell.split("@")[0], int(cell.split("@")[1])) for cell in text.split()])

    page = PageText(
        1,
        1654,
        2339,
        [
            *row(0, 100, "PACKING@600 LIST@720"),
            *row(1, 682, HEADING_OVER_CARTON_NUMBERS),
            *row(2, 718, "C/No.@100 Description@300 Quantity@700 Pkgs@900 G.W.@1300"),
            *row(3, 773, "1-234@100 Cashew@300 kernels@400 5148@700 kg@770 234@900 thùng@960 5335.20@1300"),
            *row(4, 850, "235-686@100 Fresh@300 durian@380 8136@700 kg@770 452@900 thùng@960 8814.00@1300"),
        ],
    )
    items = extract.extract_typed("packing_list", [page])["line_items"]
    assert [item["packages"]["value"] for item in items] == ["234", "452"]
    assert [item["gross_weight_kg"]["value"] for item in items] == ["5335.2", "8814"]


@pytest.mark.parametrize(
    ("printed", "gate"),
    [
        ("Cửa khẩu quốc tế Hữu Nghị.", "Cửa khẩu quốc tế Hữu Nghị"),  # the end of "… via Cửa khẩu …."
        ("Chi Ma.", "Chi Ma"),
        ("Lang Son Prov.", "Lang Son Prov."),  # an abbreviation keeps its point
    ],
)
def test_a_gate_ending_a_sentence_is_read_without_its_full_stop(printed: str, gate: str) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(printed.split())])
    assert extract.parse_value("border_gate", found)[0] == gate


def _page_of(*lines: str, top: int = 100, step: int = 60) -> PageText:
    """A page of lines written "word@x word@x …", ``step`` px apart from ``top``."""
    words: list[Word] = []
    for number, text in enumerate(lines):
        cells = [(cell.rsplit("@", 1)[0], int(cell.rsplit("@", 1)[1])) for cell in text.split()]
        words += _line(number, top + step * number, *cells)
    return PageText(1, 1654, 2339, words)


def test_goods_lines_naming_cartons_and_weights_are_no_packing_list_table() -> None:
    """A certificate of origin describes each item in one line ("398 CARTONS … G.W. 4.736,20 KGS N.W. …"):
    lines with figures are goods, not a table's headings, and do not outweigh its title and labels."""
    page = _page_of(
        "Reference@1100 No.@1250 E265960@1350",
        "ASEAN-CHINA@500 FREE@700 TRADE@800 AREA@900",
        "CERTIFICATE@500 OF@700 ORIGIN@780 FORM@950 E@1050",
        "1@100 NJGS@150 398@300 CARTONS@380 FRESH@520 FRUIT@620 G.W.@800 4.736,20@880 KGS@1000 N.W.@1080 "
        "4.378,00@1160 KGS@1280",
        "2@100 NJGS@150 47@300 CARTONS@380 LONGAN@520 G.W.@800 606,30@880 KGS@1000 N.W.@1080 564,00@1160",
        "3@100 NJGS@150 378@300 CARTONS@380 DURIAN@520 G.W.@800 8.996,40@880 KGS@1000 N.W.@1080 "
        "8.100,00@1160 KGS@1280",
    )
    assert extract.type_by_labels([page]) != "packing_list"
    assert extract.extract_pages([page])["document_type"] == "certificate_of_origin_form_e"


def test_labels_every_type_prints_are_no_evidence_of_one() -> None:
    """ "收货人签收 / 发货人" under a packing list are the receiver's and the shipper's signatures,
    captions of every type (a buyer, an importer, a consignee): they do not make it an invoice."""
    page = _page_of(
        "PHIẾU@300 ĐÓNG@420 GÓI@540 HÀNG@620 PACKING@900 LIST@1060",
        "Ký@100 mã@140 hiệu@190 Tên@400 hàng@460 Số@800 kiện@840 Cả@1000 bì@1040 Tịnh@1200",
        "JHFZ@100 Fresh@400 longan@480 845@800 8.196,5@1000 7.605@1200",
        "MADE@100 IN@180 VIETNAM@230",
        "Tổng@100 trọng@170 lượng@260 tịnh@350 7.605@500 kg@600",
        "收货人签收@100 发货人@900",
        "发货人@900 承运人各执一份@1100",
    )
    assert extract.type_by_labels([page]) in (None, "packing_list")


def test_both_weights_of_a_line_in_one_cell_are_told_apart_by_size() -> None:
    """ "KL cả bì / tịnh (kg)" over one cell per line, "8.365,7 / 7.733": the gross is the larger figure, the
    net the smaller, whichever heading the column was given; the second figure may stand past the
    heading's span."""
    page = _page_of(
        "PACKING@600 LIST@720",
        "Tên@300 hàng@360 Số@800 kiện@840 KL@1100 cả@1140 bì@1180 /@1220 tịnh@1250",
        "Fresh@300 longan@380 703@800 8.365,7@1100 /@1220 7.733@1250",
        "Tapioca@300 starch@410 612@800 30.722,4@1100 /@1240 30.600@1270",
        "Watermelons@300 36@800 16.020/@1100 15.372@1210",
    )
    items = extract.extract_typed("packing_list", [page])["line_items"]
    assert [(i["gross_weight_kg"]["value"], i["net_weight_kg"]["value"]) for i in items] == [
        ("8365.7", "7733"),
        ("30722.4", "30600"),
        ("16020", "15372"),
    ]


def test_a_labelled_specification_under_a_description_is_not_part_of_it() -> None:
    """ "Quy cách: 50 kg/bao", "Packing: 10-20 PCE/carton", "规格：10-12公斤/箱" printed under the goods'
    name label their own line; a wrapped line without such a label continues the description."""
    page = _page_of(
        "COMMERCIAL@600 INVOICE@800",
        "Description@300 Quantity@800 Unit@950 Price@1100 Amount@1300",
        "Phân@300 urê@380 21.350@800 kg@950 0,39@1100 8.326,50@1300",
        "Quy@300 cách:@345 50@420 kg/bao.@450",
        "Steel@300 ball@380 bearings@450 25,245@800 PCE@950 2.85@1100 71,948.25@1300",
        "Packing:@300 100-200@400 PCE/carton@470",
        "Fresh@300 longan@380 10@800 kg@950 1.00@1100 10.00@1300",
        "规格：10-12公斤/箱@300",
        "Parts@300 of@380 combine@420 10@800 PCE@950 2.00@1100 20.00@1300",
        "harvesters@300",
        "Fresh@300 durian@380 5@800 kg@950 3.00@1100 15.00@1300",
        "Packing-@300 bulk@420 cartons@480",  # its colon read as a dash
    )
    items = extract.extract_typed("commercial_invoice", [page])["line_items"]
    assert [i["description"]["value"] for i in items] == [
        "Phân urê",
        "Steel ball bearings",
        "Fresh longan",
        "Parts of combine harvesters",
        "Fresh durian",
    ]


def test_a_heading_over_a_group_of_columns_names_none_of_them() -> None:
    """ "Trị giá / Value (CNY)" over "Đơn giá | Thành tiền": a group heading, not centred over the amount
    column; the price stays under "Đơn giá"."""
    page = _page_of(
        "Trị@1240 giá@1265 /@1295 Value@1304 (CNY)@1353",
        "Description@300 HS@700 code@740 Quantity@870 Unit@1030 Đơn@1160 giá@1200 Thành@1380 tiền@1430",
        "Steel@300 bearings@380 84821000@700 25,245@870 PCE@1030 2.85@1240 71,948.25@1400",
        "Cameras@300 85258990@700 741@870 PCE@1030 179.35@1210 132,898.35@1390",
        top=600,
        step=28,
    )
    items = extract.extract_typed("commercial_invoice", [page])["line_items"]
    assert [(i["unit_price"]["value"], i["amount"]["value"]) for i in items] == [
        ("2.85", "71948.25"),
        ("179.35", "132898.35"),
    ]


def test_a_closing_line_that_opens_with_the_count_of_items_is_no_item() -> None:
    """ "Số mặt hàng / Items: 2 … TỔNG CỘNG / TOTAL 440,325.60" closes the table: its figure is the total,
    not a third item's amount."""
    page = _page_of(
        "COMMERCIAL@600 INVOICE@800",
        "Description@300 Quantity@800 Unit@950 Price@1100 Amount@1300",
        "Steel@300 bearings@380 25,245@800 PCE@950 2.85@1100 71,948.25@1300",
        "Cameras@300 741@800 PCE@950 179.35@1100 132,898.35@1300",
        "Số@300 mặt@340 hàng@390 /@450 Items:@480 2@560 TỔNG@900 CỘNG@990 /@1060 TOTAL@1080 204,846.60@1300",
    )
    extraction = extract.extract_typed("commercial_invoice", [page])
    assert [i["amount"]["value"] for i in extraction["line_items"]] == ["71948.25", "132898.35"]
    assert _values(extraction)["total_amount"] == "204846.6"


def test_a_party_named_in_a_sentence_ends_at_its_full_stop() -> None:
    """ "Người nhận hàng: Công ty TNHH Thương mại Đông Dương." and "发货人：南宁市锦华纺织品有限公司. ." on a
    consignment note: the names without the sentence's stop or the specks after it; "CO., LTD." keeps
    its point."""
    page = _page_of(
        "PHIẾU@500 GỬI@620 HÀNG@720 CMR@900",
        "发货人：南宁市锦华纺织品有限公司.@100 .@620",
        "Người@100 nhận@180 hàng:@260 Công@370 ty@450 TNHH@490 Thương@580 mại@680 Đông@740 Dương.@820",
        "Carrier:@100 NANNING@230 TRANSPORT@350 CO.,@490 LTD.@560",
    )
    values = _values(extract.extract_typed("cmr", [page]))
    assert values["consignor_name"] == "南宁市锦华纺织品有限公司"
    assert values["consignee_name"] == "Công ty TNHH Thương mại Đông Dương"
    assert extract._without_full_stop("NANNING TRANSPORT CO., LTD. .") == "NANNING TRANSPORT CO., LTD."


def test_the_end_of_a_made_in_mark_beside_its_column_is_no_description() -> None:
    """ "MADE IN VIETNAM" under a shipping mark is wider than the marks column: "MADE" in it, "IN VIETNAM" in
    the description cell beside it, which opened the next item's description."""
    page = _page_of(
        "PACKING@600 LIST@720",
        "Ký@100 mã@140 hiệu@190 Tên@400 hàng@460 Số@800 kiện@840 Cả@1000 bì@1040 Tịnh@1200",
        "JHFZ@100 Fresh@400 longan@480 845@800 8.196,5@1000 7.605@1200",
        "MADE@100 IN@300 VIETNAM@340",
        "JHFZ@100 Fresh@400 durian@480 816@800 16.728@1000 15.504@1200",
    )
    items = extract.extract_typed("packing_list", [page])["line_items"]
    assert [i["description"]["value"] for i in items] == ["Fresh longan", "Fresh durian"]


@pytest.mark.parametrize(
    ("printed", "country"),
    [
        ("Trung Quốc, hàng mới 100%, đóng gói theo tiêu chuẩn", "Trung Quốc"),  # a sentence goes on
        ("Việt Nam. Thanh toán: chuyển khoản T/T", "Việt Nam"),
        ("Chi Ma, Lang Son", "Chi Ma, Lang Son"),  # a name with its comma stays whole
    ],
)
def test_a_country_inside_a_sentence_is_read_up_to_its_comma(printed: str, country: str) -> None:
    found = words(*[(text, 100 * k, 100 * k + 90) for k, text in enumerate(printed.split())])
    assert extract.parse_value("country_of_origin", found)[0] == country


def test_both_weights_in_one_cell_with_the_slash_lost_or_misread() -> None:
    """ "720,00 - 682,40" and "1543,60 1407,60" in the ruled cell under "G.W./N.W. (kg)": the slash a scan
    lost or read as a dash. Two figures with decimals, the smaller most of the larger, are the pair;
    "980,00 120,50" (the smaller an eighth of the larger) is not, and the cell's first figure stays the
    weight its column is named for."""
    page = _page_of(
        "PACKING@600 LIST@720",
        "Description@300 Packages@800 G.W./N.W.@1100 (kg)@1260",
        "Bearings@300 47@800 720,00@1100 -@1200 682,40@1230",
        "Power@300 supplies@390 136@800 1543,60@1100 1407,60@1230",
        "LED@300 bulbs@360 253@800 980,00@1100 120,50@1230",
    )
    page.vertical_rules = [(x, 140, 420) for x in (280, 780, 1080, 1420)]
    items = extract.extract_typed("packing_list", [page])["line_items"]
    weights = [(i.get("gross_weight_kg", {}).get("value"), i["net_weight_kg"]["value"]) for i in items]
    assert weights == [("720", "682.4"), ("1543.6", "1407.6"), (None, "980")]


def test_quantity_and_unit_price_whose_headings_were_misread_are_told_apart_by_their_order() -> None:
    """ "数量 Qty" read as "r8 Qự" and "单价 Unit Price (USD)" as "vu Unit (USD)": both columns unnamed. Their
    figures fit quantity × unit price = amount either way round; the quantity is the left one, as every
    invoice's table prints them."""

    def line(number: int, top: int, *cells: tuple[str, int]) -> list[Word]:
        return [Word(text, 0.9, (x, top, x + 12 * len(text), top + 22), line=number) for text, x in cells]

    header = line(
        0, 948, ("Marks", 142), ("Description", 339), ("of", 455), ("Goods", 479), ("HS", 694), ("Code", 728),
        ("Qự", 884), ("Unit", 1012), ("(USD)", 1153), ("Amount", 1375), ("(USD)", 1385),
    )  # fmt: skip
    rows = [
        ("Fresh watermelons", "08071100", "13,021", "0.19", "2,473.99"),
        ("Fresh durian", "08106000", "3,502", "4.00", "14,008.00"),
        ("Fresh longan", "08109010", "7,929", "1.41", "11,179.89"),
    ]
    words = [*header]
    for k, (goods, hs, quantity, price, amount) in enumerate(rows):
        first, second = goods.split()
        words += line(
            k + 1, 1011 + 46 * k, (first, 242), (second, 320), (hs, 686), (quantity, 902), ("KGM", 1006),
            (price, 1226), (amount, 1435),
        )  # fmt: skip
    page = PageText(1, 1654, 2339, words)
    items = extract.extract_typed("commercial_invoice", [page])["line_items"]
    assert [(i["quantity"]["value"], i["unit_price"]["value"]) for i in items] == [
        ("13021", "0.19"),
        ("3502", "4"),
        ("7929", "1.41"),
    ]


def test_a_count_of_packages_is_a_whole_number() -> None:
    """A weight printed by the packages' label ("Số kiện / Pkgs: 1,988.80 kg  113 CTNS") is no count of
    packages: the whole number after it is; a lone weight gives none."""
    assert extract.parse_value("total_packages", words(("1,988.80", 100, 200), ("kg", 210, 240))) is None
    found = extract.parse_value(
        "total_packages",
        words(("1,988.80", 100, 200), ("kg", 210, 240), ("113", 300, 340), ("CTNS", 350, 410)),
    )
    assert found is not None and found[0] == "113"
    assert extract.parse_value("total_gross_weight_kg", words(("1,988.80", 100, 200)))[0] == "1988.8"  # type: ignore[index]


@pytest.mark.parametrize("next_box", [("[12", "体积"), ("12", "##8(m)")])
def test_the_next_boxs_number_is_no_gross_weight(next_box: tuple[str, str]) -> None:
    """A consignment note's heading row "11 毛重（公斤） 12 体积(m³)": the 12 that numbers the volume's box,
    with a rule's remnant against it or its caption read as junk, is no weight of 12 kg."""
    number, caption = next_box
    found = words((number, 1386, 1410), (caption, 1420, 1480), ("6.033,3", 1500, 1580))
    assert extract.parse_value("total_gross_weight_kg", found)[0] == "6033.3"  # type: ignore[index]


@pytest.mark.parametrize(
    ("read", "description"),
    [
        (("Phụ", "tùng", "máy", "gặt", "đập", "liên", "hợp."), "Phụ tùng máy gặt đập liên hợp"),
        (("Parts", "of", "harvesters,", "n.e.s."), "Parts of harvesters, n.e.s."),  # an abbreviation's point
    ],
)
def test_a_descriptions_full_stop_goes_an_abbreviations_point_stays(
    read: tuple[str, ...], description: str
) -> None:
    def line(number: int, top: int, *cells: tuple[str, int]) -> list[Word]:
        return [Word(text, 0.9, (x, top, x + 12 * len(text), top + 22), line=number) for text, x in cells]

    header = line(
        0, 700, ("Description", 200), ("Quantity", 900), ("Unit", 1010), ("Price", 1200), ("Amount", 1400)
    )
    goods = [(text, 200 + 90 * k) for k, text in enumerate(read)]
    item = line(1, 760, *goods, ("800", 920), ("PCS", 1010), ("19.12", 1220), ("15,296.00", 1420))
    page = PageText(1, 1654, 2339, [*header, *item])
    items = extract.extract_typed("commercial_invoice", [page])["line_items"]
    assert items[0]["description"]["value"] == description
