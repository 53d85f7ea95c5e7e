"""Values found without their label (``border.unlabelled``): each fills a field only when no label named
it, from evidence any layout shows, and is flagged for review (confidence under the review threshold)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from langson.border import extract, unlabelled
from langson.border.ocr import PageText, Word
from langson.border.tests.test_extract_repairs import _line, _values
from langson.border.views_documents import LOW_CONFIDENCE

# "TT | Tên hàng hóa | Số lượng kiện | KL cả bì (kg) | KL tịnh (kg)": a packing list's table header.
HEADER = (("TT", 120), ("Tên", 190), ("hàng", 243), ("hóa", 312), ("Số", 762), ("lượng", 799), ("kiện", 877),
          ("KL", 1159), ("cả", 1200), ("bì", 1235), ("(kg)", 1269), ("KL", 1384), ("tịnh", 1425),
          ("(kg)", 1486))  # fmt: skip


def _packing_list(*rows: tuple[tuple[str, int], ...]) -> PageText:
    words = [*_line(0, 700, *HEADER)]
    for number, cells in enumerate(rows, start=1):
        words += _line(number, 700 + 45 * number, *cells)
    return PageText(1, 1654, 2339, words)


def test_totals_not_printed_are_the_sums_of_the_items_and_flagged() -> None:
    page = _packing_list(
        (("1", 125), ("Vải", 190), ("dệt", 236), ("104", 889), ("2.258,9", 1231), ("2.196,5", 1448)),
        (("2", 125), ("Vòng", 190), ("bi", 256), ("51", 903), ("805,8", 1253), ("765", 1493)),
    )
    fields = extract.extract_typed("packing_list", [page])["fields"]
    assert _values({"fields": fields}) == {
        "total_packages": "155",
        "total_gross_weight_kg": "3064.7",
        "total_net_weight_kg": "2961.5",
    }
    gross = fields["total_gross_weight_kg"]
    assert gross["confidence"] < LOW_CONFIDENCE  # never read: the declarant checks it
    # The box covers the figures that were added up: the gross weight column of both rows.
    assert gross["bbox"][0] == 1231 and gross["bbox"][1] == 745 and gross["bbox"][3] == 790 + 22
    assert gross["page"] == 1


def test_a_printed_total_beats_the_sum_and_a_row_without_its_figure_gives_none() -> None:
    page = _packing_list(
        (("1", 125), ("Vải", 190), ("dệt", 236), ("104", 889), ("2.258,9", 1231), ("2.196,5", 1448)),
        (("2", 125), ("Vòng", 190), ("bi", 256), ("51", 903), ("805,8", 1253)),  # its net weight unread
        (("Tổng", 125), ("cộng", 190), ("150", 889), ("3.000", 1231)),
    )
    values = _values(extract.extract_typed("packing_list", [page]))
    assert values["total_packages"] == "150"  # as printed on the total row, not 155
    assert values["total_gross_weight_kg"] == "3000"
    assert "total_net_weight_kg" not in values  # 2196.5 alone would be a wrong total


def test_sum_of_items_keeps_decimals_exact() -> None:
    cell = {"confidence": 0.9, "bbox": [0, 0, 10, 10], "page": 1}
    items = [{"amount": {**cell, "value": "0.1"}}, {"amount": {**cell, "value": "0.2"}}]
    (total,) = unlabelled.sum_of_items("commercial_invoice", items).values()
    assert total["value"] == "0.3" and total["confidence"] == unlabelled.GUESSED
    assert unlabelled.sum_of_items("commercial_invoice", []) == {}


def test_the_only_incoterms_code_on_an_invoice_is_its_term() -> None:
    # "Điều khoản giao:" is no label the vocabulary knows; the code alone is evidence enough.
    page = PageText(1, 1654, 2339, _line(0, 500, ("Điều", 110), ("khoản", 180), ("giao:", 270), ("DAP", 360),
                                         ("Hữu", 420), ("Nghị", 480)))  # fmt: skip
    fields = extract.extract_typed("commercial_invoice", [page])["fields"]
    assert fields["incoterm"]["value"] == "DAP" and fields["incoterm"]["confidence"] < LOW_CONFIDENCE
    # Two different codes: which one is the term cannot be told.
    two = PageText(1, 1654, 2339, [*page.words, *_line(1, 600, ("FOB", 110), ("value", 170))])
    assert "incoterm" not in extract.extract_typed("commercial_invoice", [two])["fields"]
    # A code inside a word or a sentence in lower case is no code.
    prose = PageText(1, 1654, 2339, _line(0, 500, ("Cif", 110), ("dapper", 170)))
    assert "incoterm" not in extract.extract_typed("commercial_invoice", [prose])["fields"]


def test_the_first_date_of_the_first_page_dates_the_document_but_never_a_contract_date() -> None:
    contract = _line(0, 300, ("Hợp", 110), ("đồng", 165), ("số", 235), ("12/2026", 280), ("ngày", 400),
                     ("01/10/2026", 470))  # fmt: skip
    place_date = _line(1, 360, ("Lạng", 1100), ("Sơn,", 1170), ("28/11/2026", 1240))
    later = _line(2, 420, ("Thanh", 110), ("toán", 190), ("trước", 260), ("05/12/2026", 350))
    page = PageText(1, 1654, 2339, [*contract, *place_date, *later])
    fields = extract.extract_typed("commercial_invoice", [page])["fields"]
    assert fields["invoice_date"]["value"] == "2026-11-28"
    assert fields["invoice_date"]["confidence"] < LOW_CONFIDENCE
    only_contract = PageText(1, 1654, 2339, contract)
    assert "invoice_date" not in extract.extract_typed("commercial_invoice", [only_contract])["fields"]
    # A certificate of origin's date is not the first date: the contract's, the invoice's or the departure's
    # come before it (its own rule, below).
    only_left = PageText(1, 1654, 2339, [*contract, *later])
    assert "issue_date" not in extract.extract_typed("certificate_of_origin_form_e", [only_left])["fields"]


def test_a_form_e_certification_date_under_a_misread_caption_is_the_lowest_on_the_right() -> None:
    """Box 12 of the official Form E, bottom right: "HA NOI, VIET NAM 11 OCT 2025" over a caption the OCR
    made junk of; box 11 beside it has the exporter's own date, the departure date is higher up."""
    departure = _line(0, 670, ("DEPARTURE", 98), ("DATE:", 231), ("10", 312), ("OCT", 351), ("2025", 404))
    invoice = _line(1, 900, ("INV-2025-118", 1100), ("09", 1290), ("OCT", 1330), ("2025", 1380))
    dates = _line(2, 2160, ("HA", 69), ("NOI,", 116), ("VIET", 182), ("NAM", 248), ("10", 317), ("OCT", 354),
                  ("2025", 408), ("HA", 990), ("NOI,", 1030), ("VIET", 1096), ("NAM", 1162), ("11", 1244),
                  ("OCT", 1281), ("2025", 1335))  # fmt: skip
    caption = _line(3, 2226, ("Pháce", 980), ("and", 1060), ("đạte,", 1120), ("sonatune", 1200),
                    ("stame", 1340), ("cert#ymg", 1440))  # fmt: skip
    page = PageText(1, 1654, 2339, [*departure, *invoice, *dates, *caption])
    fields = extract.extract_typed("certificate_of_origin_form_e", [page])["fields"]
    assert fields["issue_date"]["value"] == "2025-10-11"
    assert fields["issue_date"]["confidence"] < LOW_CONFIDENCE
    # Box 11's date alone (left) is the exporter's, not the certification's.
    left = PageText(1, 1654, 2339, [*departure, *dates[:7], *caption])
    assert "issue_date" not in extract.extract_typed("certificate_of_origin_form_e", [left])["fields"]


def test_a_labelled_value_is_never_replaced() -> None:
    labelled = _line(0, 300, ("Ngày", 110), ("hóa", 180), ("đơn:", 240), ("02/11/2026", 320))
    page = PageText(1, 1654, 2339, [*_line(1, 200, ("Lạng", 1100), ("Sơn,", 1170), ("28/11/2026", 1240)),
                                    *labelled])  # fmt: skip
    fields = extract.extract_typed("commercial_invoice", [page])["fields"]
    assert fields["invoice_date"]["value"] == "2026-11-02"
    assert fields["invoice_date"]["confidence"] >= LOW_CONFIDENCE


def test_a_table_column_no_vocabulary_names_is_still_a_column() -> None:
    """An open table headed "TT | Chủng loại | Xuất xứ | Số lượng kiện | Độ ẩm (%) | KL cả bì | KL tịnh":
    "Chủng loại" and "Độ ẩm" are headings no vocabulary knows. The unnamed column with the most words is the
    description, and the moisture figures stay in their own column instead of a weight's."""
    header = _line(0, 700, ("TT", 120), ("Chủng", 190), ("loại", 270), ("Xuất", 520), ("xứ", 590),
                   ("Số", 762), ("lượng", 799), ("kiện", 877), ("Độ", 990), ("ẩm", 1035), ("(%)", 1075),
                   ("KL", 1159), ("cả", 1200), ("bì", 1235), ("(kg)", 1269), ("KL", 1384), ("tịnh", 1425),
                   ("(kg)", 1486))  # fmt: skip
    first = _line(1, 745, ("1", 125), ("Vải", 190), ("dệt", 236), ("thoi", 281), ("Trung", 520),
                  ("Quốc", 600), ("104", 889), ("12,5", 1010), ("2.258,9", 1231),
                  ("2.196,5", 1448))  # fmt: skip
    second = _line(2, 790, ("2", 125), ("Vòng", 190), ("bi", 256), ("Trung", 520), ("Quốc", 600),
                   ("51", 903), ("9,8", 1020), ("805,8", 1253), ("765", 1493))  # fmt: skip
    page = PageText(1, 1654, 2339, [*header, *first, *second])
    items = extract.extract_typed("packing_list", [page])["line_items"]
    assert [{name: cell["value"] for name, cell in item.items()} for item in items] == [
        {"description": "Vải dệt thoi", "packages": "104", "gross_weight_kg": "2258.9",
         "net_weight_kg": "2196.5"},
        {"description": "Vòng bi", "packages": "51", "gross_weight_kg": "805.8", "net_weight_kg": "765"},
    ]  # fmt: skip


def _items(document_type: str, *lines: list[Word]) -> list[dict[str, str]]:
    page = PageText(1, 1654, 2339, [word for line in lines for word in line])
    items = extract.extract_typed(document_type, [page])["line_items"]
    return [{name: cell["value"] for name, cell in item.items()} for item in items]


def test_an_unnamed_figure_column_is_named_by_its_arithmetic() -> None:
    # "Giá trị" is no heading the vocabulary knows: quantity × unit price = its figures, so it is the amount.
    header = _line(0, 700, ("STT", 110), ("Tên", 190), ("hàng", 250), ("Số", 700), ("lượng", 740),
                   ("Đơn", 900), ("giá", 960), ("Giá", 1150), ("trị", 1200))  # fmt: skip
    rows = [
        _line(
            1,
            745,
            ("1", 120),
            ("Thanh", 190),
            ("long", 275),
            ("1.200", 700),
            ("0,85", 900),
            ("1.020,00", 1150),
        ),
        _line(2, 790, ("2", 120), ("Xoài", 190), ("800", 700), ("1,10", 900), ("880,00", 1150)),
    ]
    assert _items("commercial_invoice", header, *rows) == [
        {"description": "Thanh long", "quantity": "1200", "unit_price": "0.85", "amount": "1020"},
        {"description": "Xoài", "quantity": "800", "unit_price": "1.1", "amount": "880"},
    ]
    # Figures that do not add up name nothing.
    wrong = [_line(1, 745, ("1", 120), ("Thanh", 190), ("long", 275), ("1.200", 700), ("0,85", 900),
                   ("999,00", 1150))]  # fmt: skip
    assert _items("commercial_invoice", header, *wrong) == [
        {"description": "Thanh long", "quantity": "1200", "unit_price": "0.85"}
    ]


def test_unnamed_weight_and_package_columns_are_named_by_their_figures() -> None:
    # "Cân hơi" (weighed whole) is an unknown heading: at least the net weight on every row, it is the gross.
    header = _line(0, 700, ("Tên", 190), ("hàng", 250), ("hóa", 320), ("Số", 700), ("kiện", 740),
                   ("KL", 900), ("tịnh", 940), ("Cân", 1150), ("hơi", 1200))  # fmt: skip
    rows = [
        _line(1, 745, ("Vải", 190), ("dệt", 236), ("104", 700), ("2.196,5", 900), ("2.258,9", 1150)),
        _line(2, 790, ("Vòng", 190), ("bi", 256), ("51", 700), ("765", 900), ("805,8", 1150)),
    ]
    expected = [
        {"description": "Vải dệt", "packages": "104", "gross_weight_kg": "2258.9", "net_weight_kg": "2196.5"},
        {"description": "Vòng bi", "packages": "51", "gross_weight_kg": "805.8", "net_weight_kg": "765"},
    ]
    assert _items("packing_list", header, *rows) == expected
    # "Đóng gói" is unknown too: whole numbers on every row that are not 1, 2 … are the packages (a wrapped
    # description line, with no figure at all, does not count).
    header = _line(0, 700, ("Tên", 190), ("hàng", 250), ("hóa", 320), ("Đóng", 700), ("gói", 770),
                   ("KL", 900), ("tịnh", 940), ("KL", 1150), ("cả", 1190), ("bì", 1225))  # fmt: skip
    wrapped = [rows[0], _line(2, 768, ("thoi", 190)), _line(3, 800, *[(t.text, t.box[0]) for t in rows[1]])]
    expected[0]["description"] = "Vải dệt thoi"
    assert _items("packing_list", header, *wrapped) == expected
    numbered = [_line(1, 745, ("Vải", 190), ("1", 700), ("2.196,5", 900), ("2.258,9", 1150)),
                _line(2, 790, ("Vòng", 190), ("2", 700), ("765", 900), ("805,8", 1150))]  # fmt: skip
    assert all("packages" not in item for item in _items("packing_list", header, *numbered))


def test_the_invoice_a_document_names_in_unknown_words() -> None:
    # "Inv. ref:" is no label the vocabulary knows; the number after "Inv." is the invoice's.
    page = PageText(1, 1654, 2339, [*_line(0, 300, ("Inv.", 110), ("ref:", 175), ("XSSG-2511/0321", 250))])
    fields = extract.extract_typed("packing_list", [page])["fields"]
    assert fields["invoice_number"]["value"] == "XSSG-2511/0321"
    assert fields["invoice_number"]["confidence"] < LOW_CONFIDENCE
    # A form's box: the word in its caption, the number at the start of the line under it.
    box = [*_line(0, 1500, ("10.", 900), ("Invoice", 950), ("particulars", 1060)),
           *_line(1, 1545, ("NFHF-2603/0327", 905), ("28/11/2026", 1140))]  # fmt: skip
    fields = extract.extract_typed("certificate_of_origin_form_e", [PageText(1, 1654, 2339, box)])["fields"]
    assert fields["invoice_number"]["value"] == "NFHF-2603/0327"
    # A date or a plate after the word is no invoice number.
    dated = [
        *_line(0, 300, ("HĐ", 110), ("ngày", 160), ("28/11/2026", 230), ("xe", 400), ("98C-595.02", 440))
    ]
    assert (
        "invoice_number"
        not in extract.extract_typed("packing_list", [PageText(1, 1654, 2339, dated)])["fields"]
    )


def test_a_label_no_vocabulary_holds_is_known_by_its_key_word() -> None:
    # "Cân cả bì" and "Nombre total de colis" are no full labels; "cả bì" and "colis" name the fields.
    page = PageText(1, 1654, 2339, [
        *_line(0, 900, ("Cân", 110), ("cả", 165), ("bì:", 205), ("15.221", 260), ("kg", 360)),
        *_line(1, 950, ("Nombre", 110), ("total", 210), ("de", 290), ("colis:", 330), ("770", 430)),
        *_line(2, 1000, ("Điểm", 110), ("giao", 180), ("hàng:", 245), ("Bằng", 330), ("Tường,", 400),
               ("Quảng", 500), ("Tây", 580)),
    ])  # fmt: skip
    assert _values(extract.extract_typed("cmr", [page])) == {
        "total_gross_weight_kg": "15221",
        "total_packages": "770",
        "place_of_delivery": "Bằng Tường, Quảng Tây",
    }


def test_a_header_naming_two_columns_is_a_table_when_it_reads_like_one() -> None:
    # Only "KL cả bì" and "KL tịnh" are known headings; "Chủng loại" and "Đóng gói" are not. Four headings
    # with no figure, and figures under them: a table, whose unnamed columns are named by their content.
    header = _line(0, 700, ("Chủng", 190), ("loại", 270), ("Đóng", 700), ("gói", 770), ("KL", 900),
                   ("cả", 940), ("bì", 975), ("KL", 1150), ("tịnh", 1190))  # fmt: skip
    rows = [
        _line(1, 745, ("Vải", 190), ("dệt", 236), ("104", 700), ("2.258,9", 900), ("2.196,5", 1150)),
        _line(2, 790, ("Vòng", 190), ("bi", 256), ("51", 700), ("805,8", 900), ("765", 1150)),
    ]
    assert _items("packing_list", header, *rows) == [
        {"description": "Vải dệt", "packages": "104", "gross_weight_kg": "2258.9", "net_weight_kg": "2196.5"},
        {"description": "Vòng bi", "packages": "51", "gross_weight_kg": "805.8", "net_weight_kg": "765"},
    ]
    # The same two labels on a line of figures ("KL cả bì: 3.064,7 kg   KL tịnh: 2.961,5 kg") head no table.
    totals = _line(0, 700, ("KL", 110), ("cả", 150), ("bì:", 185), ("3.064,7", 240), ("kg", 350), ("KL", 700),
                   ("tịnh:", 740), ("2.961,5", 830), ("kg", 940))  # fmt: skip
    assert _items("packing_list", totals, *rows) == []


def test_descriptions_above_their_figures_belong_to_the_item_below() -> None:
    """A spreadsheet's tall cells keep figures at the bottom: each description starts one line above its
    figures, nearer its own item than the one before. (Top-aligned wrapped lines stay with the item above:
    test_extract_repairs.)"""
    header = _line(0, 700, *HEADER)
    lines = [
        _line(1, 750, ("Vải", 190), ("dệt", 236), ("thoi", 281), ("từ", 350), ("sợi", 390)),
        _line(2, 778, ("filament", 190), ("1", 125), ("104", 889), ("2.258,9", 1231), ("2.196,5", 1448)),
        _line(3, 840, ("Vòng", 190), ("bi", 256), ("cầu", 300)),
        _line(4, 868, ("bằng", 190), ("thép", 260), ("2", 125), ("51", 903), ("805,8", 1253), ("765", 1493)),
    ]
    assert [item["description"] for item in _items("packing_list", header, *lines)] == [
        "Vải dệt thoi từ sợi filament",
        "Vòng bi cầu bằng thép",
    ]


def test_a_short_description_left_of_its_centred_heading_is_no_shipping_mark() -> None:
    # An open table whose "Description" heading is centred over a wide column: a short name printed at the
    # column's left edge is nearer the "Marks" heading, but the marks cell already holds "N/M".
    header = _line(0, 700, ("Marks", 141), ("Description", 408), ("Packages", 738), ("G.W.", 1028),
                   ("N.W.", 1230))  # fmt: skip
    row = _line(1, 745, ("N/M", 150), ("开关电源", 240), ("119", 824), ("2.689,40", 1079), ("2.570,40", 1279))
    assert _items("packing_list", header, row) == [
        {"description": "开关电源", "packages": "119", "gross_weight_kg": "2689.4", "net_weight_kg": "2570.4"}
    ]


def test_right_aligned_figures_under_a_misread_heading_are_named_by_most_rows() -> None:
    # "Qty" read "Qqy": an unnamed heading; its figures are aligned right, past the heading's end, nearer
    # the unit price by distance. Two rows of three show quantity × unit price = amount; the third's price
    # was misread ("451" for 4.51), which does not undo what the others show.
    header = _line(0, 700, ("No.", 130), ("Description", 344), ("Qqy", 870), ("ĐVT", 1007), ("Đơn", 1100),
                   ("giá", 1160), ("Amount", 1342))  # fmt: skip
    rows = [
        _line(1, 745, ("1", 146), ("Cashew", 344), ("7.898", 911), ("kg", 1008), ("6.04", 1110),
              ("47.703,92", 1342)),
        _line(2, 790, ("2", 146), ("Longan", 344), ("8.556", 910), ("kg", 1008), ("1,37", 1110),
              ("11.721,72", 1342)),
        _line(3, 835, ("3", 146), ("Durian", 344), ("11.628", 901), ("kg", 1008), ("451", 1110),
              ("52.442,28", 1342)),
    ]  # fmt: skip
    assert [item.get("quantity") for item in _items("commercial_invoice", header, *rows)] == [
        "7898",
        "8556",
        "11628",
    ]


def test_a_spreadsheet_table_with_tall_rows_and_lost_rules() -> None:
    """A grid whose scan lost the rules between description and figures (one ruled cell seems to span
    them), headed "No. | Commodity | Cartons | G.W. | NW." ("NW." without its dot, "Commodity" misread),
    its first row starting with words only: still a table, figures in their own columns."""
    header = _line(0, 570, ("No.", 120), ("CGnmmoany", 250), ("Cartons", 551), ("G.W.", 740), ("NW.", 970))
    lines = [
        _line(1, 625, ("Vòng", 190), ("bi", 256), ("cầu", 300)),
        _line(
            2, 655, ("1", 125), ("bằng", 190), ("thép", 260), ("148", 570), ("2.072", 740), ("1.953,6", 960)
        ),
    ]
    page = PageText(1, 1654, 2339, [*header, *lines[0], *lines[1]])
    # The scan kept the table's outer rules and one between "No." and the description only.
    page.vertical_rules = [(106, 560, 700), (176, 560, 700), (1100, 560, 700)]
    items = extract.extract_typed("packing_list", [page])["line_items"]
    assert [{name: cell["value"] for name, cell in item.items()} for item in items] == [
        {"description": "Vòng bi cầu bằng thép", "packages": "148", "gross_weight_kg": "2072",
         "net_weight_kg": "1953.6"},
    ]  # fmt: skip


def test_an_item_number_printed_in_the_description_cell_is_not_the_description() -> None:
    header = _line(0, 700, ("Description", 190), ("Packages", 700), ("G.W.", 900), ("N.W.", 1150))
    rows = [
        _line(
            1, 745, ("1.", 190), ("Vải", 225), ("dệt", 280), ("104", 700), ("2.258,9", 900), ("2.196,5", 1150)
        ),
        _line(2, 790, ("2.", 190), ("Vòng", 225), ("bi", 295), ("51", 700), ("805,8", 900), ("765", 1150)),
        # A figure that is no item number stays: the third item is not numbered 5.
        _line(3, 835, ("5.", 190), ("Tấn", 225), ("thép", 285), ("7", 700), ("900", 900), ("880", 1150)),
    ]
    assert [item["description"] for item in _items("packing_list", header, *rows)] == [
        "Vải dệt",
        "Vòng bi",
        "5. Tấn thép",
    ]


def test_a_form_e_criterion_standing_in_its_column_without_a_readable_caption() -> None:
    # Box 8's caption misread ("critona"); the code stands alone between description and weight, in the
    # case the OCR gave it. "PE" inside a description ("PE bags") is no criterion: it does not stand alone.
    lines = [
        _line(0, 400, ("critona", 850), ("(see", 909)),
        _line(1, 450, ("41", 383), ("CARTONS", 430), ("OF", 540), ("PE", 580), ("bags", 620), ("wo", 853),
              ("528.90", 1011), ("KGS", 1110)),
        _line(2, 500, ("528", 383), ("CARTONS", 440), ("OF", 550), ("FRESH", 600), ("wo", 853),
              ("26,505.60", 1011)),
    ]  # fmt: skip
    page = PageText(1, 1654, 2339, [w for line in lines for w in line])
    fields = extract.extract_typed("certificate_of_origin_form_e", [page])["fields"]
    assert fields["origin_criterion"]["value"] == "WO"
    assert fields["origin_criterion"]["confidence"] < LOW_CONFIDENCE
    rvc = PageText(1, 1654, 2339, _line(0, 450, ("FRESH", 600), ("RVC", 853), ("40%", 910), ("528.90", 1011)))
    assert (
        _values(extract.extract_typed("certificate_of_origin_form_e", [rvc]))["origin_criterion"] == "RVC 40%"
    )


def test_an_item_figure_one_digit_off_its_total_is_repaired_and_flagged() -> None:
    # The total row says 155 packages; "1044" is one digit from the 104 that makes the column add up.
    page = _packing_list(
        (("1", 125), ("Vải", 190), ("dệt", 236), ("1044", 889), ("2.258,9", 1231), ("2.196,5", 1448)),
        (("2", 125), ("Vòng", 190), ("bi", 256), ("51", 903), ("805,8", 1253), ("765", 1493)),
        (("Tổng", 125), ("cộng", 190), ("155", 889), ("3.064,7", 1231), ("2.961,5", 1448)),
    )
    first = extract.extract_typed("packing_list", [page])["line_items"][0]
    assert first["packages"]["value"] == "104" and first["packages"]["confidence"] < LOW_CONFIDENCE
    # Two items that could each be the slip: which one cannot be told, nothing changes.
    page = _packing_list(
        (("1", 125), ("Vải", 190), ("dệt", 236), ("15", 889), ("2.258,9", 1231), ("2.196,5", 1448)),
        (("2", 125), ("Vòng", 190), ("bi", 256), ("15", 903), ("805,8", 1253), ("765", 1493)),
        (("Tổng", 125), ("cộng", 190), ("165", 889), ("3.064,7", 1231), ("2.961,5", 1448)),
    )
    items = extract.extract_typed("packing_list", [page])["line_items"]
    assert [item["packages"]["value"] for item in items] == ["15", "15"]


@pytest.mark.parametrize(
    "stated",
    [
        (("789", 260), ("件", 320), ("/", 350), ("16.226,40", 380), ("kg", 520)),
        (("789件/", 260), ("/", 350), ("16.226,40kg", 380)),  # units glued to their figures
    ],
)
def test_a_consignment_notes_totals_stated_with_their_units_on_its_total_line(
    stated: tuple[tuple[str, int], ...],
) -> None:
    # No total row in the goods grid; the totals are stated under it with Chinese units. The figure under
    # the "件数" heading is one line's, not the total.
    lines = [
        _line(0, 700, ("品名", 110), ("Goods", 170), ("件数", 900), ("Pkgs", 960), ("毛重", 1200),
              ("G.W.", 1260)),
        _line(1, 745, ("鲜龙眼", 110), ("772", 960), ("7.488,40", 1240)),
        _line(2, 790, ("鲜西瓜", 110), ("17", 980), ("8.738,00", 1240)),
        _line(3, 860, ("合计", 110), ("Total:", 170), *stated),
    ]  # fmt: skip
    page = PageText(1, 1654, 2339, [w for line in lines for w in line])
    values = _values(extract.extract_typed("cmr", [page]))
    assert values["total_packages"] == "789" and values["total_gross_weight_kg"] == "16226.4"


def test_a_labels_short_translation_ending_in_a_colon_belongs_to_the_label() -> None:
    # "起运地 From:" and "目的地 To:": the English words are the label's, the place follows.
    line = _line(0, 500, ("起运地", 110), ("From:", 200), ("越南谅山同登", 290), ("目的地", 830),
                 ("To:", 920), ("中国广西南宁市", 990))  # fmt: skip
    values = _values(extract.extract_typed("cmr", [PageText(1, 1654, 2339, line)]))
    assert values["place_of_loading"] == "越南谅山同登" and values["place_of_delivery"] == "中国广西南宁市"


def test_a_number_named_invoice_by_its_prefix_beats_a_generic_label() -> None:
    """The invoice's label lost in a photo ("Sð HĐTM / lnv. Ne,"): its number "INV-DD-2600528" names
    itself, and beats the bank account the generic "A/C No." gave; flagged for review."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 127, ("Sð", 1024), ("HĐTM", 1048), ("/", 1110), ("lnv.", 1130), ("Ne,", 1190)),
            *_line(1, 140, ("COMMERCIAL", 117), ("INVOICE", 429)),
            *_line(2, 165, ("INV-DD-2600528", 1026)),
            *_line(
                3,
                1628,
                ("Bank:", 225),
                ("VietinBank", 300),
                ("A/C", 456),
                ("No.:", 510),
                ("493621833798", 580),
            ),
        ],
    )
    fields = extract.extract_typed("commercial_invoice", [page])["fields"]
    assert fields["invoice_number"]["value"] == "INV-DD-2600528"
    assert fields["invoice_number"]["confidence"] < LOW_CONFIDENCE


def test_two_numbers_named_packing_list_name_none() -> None:
    """Two different "PL…" numbers on one page (this list's and another's): no guess."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 127, ("PACKING", 117), ("LIST", 330)),
            *_line(1, 165, ("PL2508744", 1026)),
            *_line(2, 400, ("Replaces", 117), ("PL2508743", 300)),
        ],
    )
    assert "packing_list_number" not in extract.extract_typed("packing_list", [page])["fields"]


def _goods_lines(heading: tuple[tuple[str, int], ...]) -> PageText:
    """A consignment note's goods lines (packages at x 1100, gross weight at x 1310, volume at x 1480),
    one description wrapped, and their total line "Cộng" without units."""
    lines = [
        _line(0, 100, ("CỘNG", 700), ("HÒA", 780), ("XÃ", 840), ("HỘI", 890)),  # "Republic": no total line
        _line(1, 1240, *heading),
        _line(
            2, 1307, ("Fresh", 198), ("watermelons", 250), ("11", 1115), ("6.732,00", 1310), ("9,50", 1480)
        ),
        _line(
            3, 1350, ("Tapioca", 198), ("starch", 270), ("543", 1100), ("27.258,60", 1300), ("12,25", 1480)
        ),
        _line(4, 1380, ("(native)", 198)),
        _line(5, 1420, ("Fresh", 198), ("durian", 250), ("806", 1100), ("14.911,00", 1300), ("30,00", 1480)),
        _line(6, 1530, ("Cộng", 198), ("1.360", 1087), ("48.901,60", 1300), ("51,75", 1480)),
    ]
    return PageText(1, 1654, 2339, [w for line in lines for w in line])


@pytest.mark.parametrize(
    "heading",
    [
        (("Số", 1002), ("kiện", 1040), ("Trọng", 1224), ("lượng", 1290), ("(kg)", 1360), ("m3", 1480)),
        # Headings lost in a scan: the column of whole numbers is the packages, the largest other the weight.
        (("=.", 1217), ("v", 1275)),
    ],
)
def test_a_consignment_notes_goods_lines_added_up_on_its_total_line(
    heading: tuple[tuple[str, int], ...],
) -> None:
    """ "Cộng 1.360 48.901,60 51,75": each figure is the sum of its column over it. The packages and the
    gross weight are those sums, not one line's figure under the heading; the volume is neither."""
    values = _values(extract.extract_typed("cmr", [_goods_lines(heading)]))
    assert values["total_packages"] == "1360"
    assert values["total_gross_weight_kg"] == "48901.6"


def test_figures_that_do_not_add_up_make_no_total() -> None:
    page = _goods_lines((("=.", 1217), ("v", 1275)))
    page.words = [w if w.text != "48.901,60" else replace(w, text="48.901,70") for w in page.words]
    page.words = [w if w.text != "1.360" else replace(w, text="1.361") for w in page.words]
    values = _values(extract.extract_typed("cmr", [page]))
    assert values.get("total_packages") != "1361" and values.get("total_gross_weight_kg") != "48901.7"


def test_a_certificates_fob_values_added_up_on_its_total_line_are_its_fob_value() -> None:
    """A Form E with "FOB value (USD)" over a column of lines and a TOTAL line: the total is the FOB value,
    not the first line's (found under the "FOB" label); the weights beside it add up too but are no value."""
    lines = [
        _line(0, 1045, ("Description", 300), ("HS", 640), ("code", 680), ("Gross", 820), ("weight", 900),
              ("FOB", 1150), ("value", 1210), ("(USD)", 1290)),
        _line(1, 1111, ("392", 120), ("FRESH", 300), ("FRUIT", 400), ("0810.90", 640), ("4,272.80", 820),
              ("KGS", 950), ("3,136.00", 1180)),
        _line(2, 1206, ("244", 120), ("CASHEW", 300), ("KERNELS", 410), ("0801.32", 640), ("5,807.20", 820),
              ("KGS", 950), ("34,120.96", 1166)),
        _line(3, 1274, ("636", 120), ("TOTAL", 300), ("10,080.00", 806), ("KGS", 950), ("37,256.96", 1166)),
    ]  # fmt: skip
    page = PageText(1, 1654, 2339, [w for line in lines for w in line])
    fields = extract.extract_typed("certificate_of_origin_form_e", [page])["fields"]
    assert fields["fob_value"]["value"] == "37256.96"


def test_a_certificate_reference_named_by_its_series_beats_a_number_under_a_generic_label() -> None:
    """The "Reference No." caption misread ("Reter No"), the form's pre-printed serial under "Serial No.":
    the one number of the form's own series ("VN-CN 26/02/84806", series and number a space apart) is
    the certificate's, guessed."""
    lines = [
        _line(0, 66, ("Serial", 1300), ("No.", 1390), ("9777290", 1450)),
        _line(1, 128, ("Products", 150), ("consigned", 280), ("Reter", 1100), ("No", 1180)),
        _line(2, 163, ("LANG", 150), ("SON", 230), ("VN-CN", 1100), ("26/02/84806", 1190)),
        _line(3, 266, ("ASEAN-CHINA", 600), ("FREE", 780), ("TRADE", 850), ("AREA", 940)),
        _line(4, 302, ("CERTIFICATE", 600), ("OF", 770), ("ORIGIN", 820), ("FORM", 930), ("E", 1000)),
    ]  # fmt: skip
    page = PageText(1, 1654, 2339, [w for line in lines for w in line])
    fields = extract.extract_typed("certificate_of_origin_form_e", [page])["fields"]
    assert fields["certificate_number"]["value"] == "VN-CN 26/02/84806"
    assert fields["certificate_number"]["confidence"] < LOW_CONFIDENCE


def test_a_certificates_invoice_number_beside_its_date_on_the_goods_lines() -> None:
    """Box 10's caption not read: the invoice's number with its date just after it on the first goods line
    is the invoice number, guessed; a plate or an HS code before a date is not."""
    lines = [
        _line(0, 266, ("CERTIFICATE", 600), ("OF", 770), ("ORIGIN", 820), ("FORM", 930), ("E", 1000)),
        _line(1, 682, ("BY", 260), ("TRUCK", 300), ("12C-801.59", 400), ("2026-10-22", 560)),
        _line(2, 1041, ("215", 150), ("CARTONS", 220), ("FRESH", 340), ("PE", 700), ("2.343,50", 800),
              ("KGS.", 920), ("TTX-2610/0258", 1150), ("2026-10-22", 1360)),
    ]  # fmt: skip
    page = PageText(1, 1654, 2339, [w for line in lines for w in line])
    fields = extract.extract_typed("certificate_of_origin_form_e", [page])["fields"]
    assert fields["invoice_number"]["value"] == "TTX-2610/0258"
    assert fields["invoice_number"]["confidence"] < LOW_CONFIDENCE


def test_a_certificates_invoice_number_over_its_date_on_the_next_goods_line() -> None:
    """Box 10 prints a long invoice number over its date: the number ends the first goods line, "DATED:
    OCT. 6, 2026" ends the next one, under it. A number of letters and five digits or more needs no
    hyphen; a figure over a date (the gross weight over the FOB value's date) is no invoice number."""
    lines = [
        _line(0, 266, ("CERTIFICATE", 600), ("OF", 770), ("ORIGIN", 820), ("FORM", 930), ("E", 1000)),
        _line(1, 1041, ("1", 100), ("TAPIOCA", 220), ("STARCH", 340), ("202,706", 900), ("KGS", 1010),
              ("VTHN26621595", 1300)),
        _line(2, 1076, ("HS", 220), ("CODE:", 270), ("1108", 350), ("FOB", 900), ("US$", 960),
              ("16,884.00", 1010), ("DATED:", 1300), ("OCT.", 1400), ("6,", 1460), ("2026", 1500)),
    ]  # fmt: skip
    page = PageText(1, 1654, 2339, [w for line in lines for w in line])
    fields = extract.extract_typed("certificate_of_origin_form_e", [page])["fields"]
    assert fields["invoice_number"]["value"] == "VTHN26621595"
    assert fields["invoice_number"]["confidence"] < LOW_CONFIDENCE


def _sentence(number: int, top: int, text: str) -> list[Word]:
    """One printed line of words, 16 px apart."""
    cells, x = [], 110
    for token in text.split():
        cells.append((token, x))
        x += 14 * len(token) + 16
    return _line(number, top, *cells)


@pytest.mark.parametrize(
    ("route", "gate"),
    [
        ("Vận chuyển (Shipment): bằng ô tô từ Xã Chi Lăng đến Nam Ninh qua Hữu Nghị.", "Hữu Nghị"),
        ("Vận chuyển (Shipment): bằng ô tô từ Phường Kỳ Lừa đến Nam Ninh qua Chỉ Ma.", "Chi Ma"),  # a slip
        ("Shipment by truck from Lang Son to Nanning via Chi Ma Border Gate.", "Chi Ma Border Gate"),
        ("SHIPMENT BY TRUCK VIA TAN THANH.", "TAN THANH"),
    ],
)
def test_the_gate_named_on_the_goods_route_is_the_invoices_border_gate(route: str, gate: str) -> None:
    """No "cửa khẩu" / "Border gate" label, only the route: "… qua Hữu Nghị." The gate is spelt as it is
    (a tone slip put right) and, found without its label, flagged for review."""
    page = PageText(1, 1654, 2339, _sentence(0, 695, route))
    entry = extract.extract_typed("commercial_invoice", [page])["fields"]["border_gate"]
    assert entry["value"] == gate and entry["confidence"] <= unlabelled.GUESSED


def test_no_gate_from_two_routes_or_from_an_economic_zone_in_an_address() -> None:
    """Two gates on two routes tell none; "Khu kinh tế cửa khẩu Đồng Đăng" is a seller's address (an economic
    zone named after the gate), not the gate the goods cross."""
    two = [
        *_sentence(0, 695, "Lô 1: bằng ô tô qua Hữu Nghị."),
        *_sentence(1, 740, "Lô 2: bằng ô tô qua Tân Thanh."),
    ]
    assert "border_gate" not in _values(
        extract.extract_typed("commercial_invoice", [PageText(1, 1654, 2339, two)])
    )
    address = _sentence(0, 212, "Khu kinh tế cửa khẩu Đồng Đăng, xã Đồng Đăng, tỉnh Lạng Sơn, Việt Nam")
    page = PageText(1, 1654, 2339, address)
    assert "border_gate" not in _values(extract.extract_typed("commercial_invoice", [page]))
    english = _sentence(0, 212, "Dong Dang Border Gate Economic Zone, Dong Dang Commune, Lang Son")
    page = PageText(1, 1654, 2339, english)
    assert "border_gate" not in _values(extract.extract_typed("commercial_invoice", [page]))


def test_a_remark_or_a_contact_line_is_no_party_or_place() -> None:
    """ "người nhận thanh toán khi giao hàng" (the consignee pays on delivery) names the consignee in a
    sentence; the line under it is the remarks' ("Ghi chú / 备注: …", 备注 read as junk), not the consignee's
    name (cmr_fresh4_phieugui, seed 32089, as read)."""

    def read(line: int, *cells: tuple[str, int, int, int, int, float]) -> list[Word]:
        return [Word(t, c, (x0, y0, x1, y1), (x0, y0, x1, y1), line=line) for t, x0, y0, x1, y1, c in cells]

    page = PageText(
        1,
        1654,
        2339,
        [
            *read(
                46, ("Cước", 105, 1764, 148, 1778, 0.93), ("vận", 156, 1764, 186, 1781, 0.97),
                ("chuyển", 194, 1763, 258, 1782, 0.93), ("/", 265, 1765, 271, 1780, 0.93),
                ("运费：", 277, 1762, 318, 1780, 0.99), (":", 312, 1760, 320, 1785, 0.93),
                ("người", 326, 1764, 374, 1782, 0.97), ("nhận", 383, 1764, 424, 1781, 0.97),
                ("thanh", 431, 1764, 482, 1778, 0.96), ("toán", 491, 1764, 530, 1778, 0.97),
                ("khi", 538, 1764, 562, 1778, 0.97), ("giao", 569, 1764, 607, 1782, 0.97),
                ("hàng", 614, 1764, 657, 1782, 0.93), ("(到付", 664, 1760, 708, 1788, 0.92),
            ),
            *read(
                47, ("Ghi", 105, 1800, 137, 1814, 0.96), ("chú", 145, 1800, 180, 1814, 0.93),
                ("8È:", 200, 1798, 241, 1816, 0.22), ("Đã", 285, 1797, 314, 1819, 0.85),
                ("nhận", 322, 1796, 374, 1820, 0.97), ("đủ", 383, 1795, 408, 1817, 0.97),
            ),
        ],
    )  # fmt: skip
    assert "consignee_name" not in _values(extract.extract_typed("cmr", [page]))


def test_a_cmrs_packages_on_its_total_line_with_the_package_word_unread() -> None:
    """ "合计 Total: 955 件 / 37,801.60 kg" with 件 read as "ƒ†/": the whole number before the junk and the
    weight is the packages (a guess), not the figure under the packages' heading on the one goods line
    read."""
    header = _line(
        0, 667, ("品名", 437), ("Goods", 482), ("件数", 974), ("Pkgs", 1021), ("毛重", 1282), ("G.W.", 1327)
    )
    goods = _line(1, 712, ("鲜白心火龙果", 120), ("258", 1125), ("2,812.20", 1430))
    total = _line(
        2, 828, ("合计", 110), ("Total:", 162), ("955", 261), ("ƒ†/", 309), ("37,801.60", 357), ("kg", 490)
    )
    page = PageText(1, 1654, 2339, [*header, *goods, *total])
    fields = extract.extract_typed("cmr", [page])["fields"]
    assert (
        fields["total_packages"]["value"] == "955"
        and fields["total_packages"]["confidence"] <= unlabelled.GUESSED
    )
    assert fields["total_gross_weight_kg"]["value"] == "37801.6"
