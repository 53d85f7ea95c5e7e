"""The parties' names (seller, buyer, exporter, importer, consignor, consignee): what is a name and what is
not, and the label words that must not be found in other words."""

from __future__ import annotations

import pytest

from langson.border import extract
from langson.border.ocr import PageText, Word


def _words(*texts: str, conf: float = 0.9) -> list[Word]:
    """Words on one line, 20 px high, 14 px per character and a space apart."""
    out, x = [], 100
    for text in texts:
        box = (x, 100, x + 14 * len(text), 120)
        out.append(Word(text, conf, box, box))
        x = box[2] + 12
    return out


def _line(number: int, top: int, *cells: tuple[str, int]) -> list[Word]:
    """Words of one printed line, each (text, x0), 22 px high and 14 px per character."""
    boxes = [(x, top, x + 14 * len(text), top + 22) for text, x in cells]
    return [Word(text, 0.9, box, box, line=number) for (text, _x), box in zip(cells, boxes, strict=True)]


def _phrase(number: int, top: int, x: int, *texts: str) -> list[Word]:
    """Words of one phrase of a printed line from ``x``, a space (12 px) apart."""
    cells = []
    for text in texts:
        cells.append((text, x))
        x += 14 * len(text) + 12
    return _line(number, top, *cells)


def _name(*texts: str) -> str | None:
    found = extract.parse_value("exporter_name", _words(*texts))
    return found[0] if found else None


@pytest.mark.parametrize(
    "texts",
    [
        # A Form E's declaration under a misplaced label, and the pieces of one.
        ("Undersigned", "hereby", "declares", "that", "the", "above", "details", "are", "correct"),
        ("is", "correct."),
        ("that", "he", "and", "hat"),
        # The next box's vehicle.
        ("Đầu", "kéo", "/", "/", "Tractor:", "12C-", "733.32"),
        # Where the exporter's stamp goes; a label and its value.
        ("Exporters", "Chop", "&", "Signature"),
        ("xporters", "Chop", "&"),
        ("Số", "HĐ", ":", "HL26817952"),
        ("Invoice", "No.:", "HL26817952"),
        # A signature's date with its blanks; an address (two commas or more).
        ("Ngày", "...", "tháng", "..", "năm"),
        ("Chongzuo,", "Guangxi,", "China", "Thạnh", "Đức"),
        # A copy's mark with the box's caption; an instruction naming the consignee; a dashed rule read as
        # a run of "一" (one).
        ("/第一联托运人", "/", "/托运人"),
        ("/送货到收货人仓库",),
        ("一一", "-一一一一一一"),
        # A tax code and a phone number; a street address in Han and in Vietnamese; an instruction in two
        # languages.
        ("统一社会信用代码", "91451481MA5P3HBY6Q", "+86", "771", "8592", "015"),
        ("广西南宁市青秀区民族大道136号",),
        (
            "Khu",
            "công",
            "nghiệp",
            "Phố",
            "Nối",
            "A.",
            "xã",
            "Lạc",
            "Hồng.",
            "tỉnh",
            "Hưng",
            "Yên,",
            "Việt",
            "Nam",
        ),
        ("Tránh", "ẩm,", "không", "xếp", "chồng", "quá", "3", "tầng", "/", "防潮，堆码不超过三层"),
    ],
)
def test_a_sentence_or_a_plate_is_no_name(texts: tuple[str, ...]) -> None:
    assert _name(*texts) is None


@pytest.mark.parametrize(
    ("texts", "name"),
    [
        (("NANNING", "HUAXIN", "ELECTRONIC", "TECHNOLOGY", "CO.,", "LTD."), None),
        (("Công", "ty", "Cổ", "phần", "Dệt", "may", "Phú", "Thịnh"), None),
        # Small letters but for the first, as a company may write itself: the company's words tell.
        (("Công", "ty", "cổ", "phần", "xuất", "nhập", "khẩu", "nông", "sản"), None),
        (("Pingxiang", "fruit", "trading", "company"), None),
        (("Nguyễn", "Văn", "Bình"), None),  # a person
        (("LANG", "SON", "FRUIT", "SHOP"), None),  # "shop" is no "chop"
        (("HOANG", "LONG", "TRADING:"), "HOANG LONG TRADING"),  # a colon at the end is the box's
        (("PINGXIANG", "TRADING", "CO.,", "LTD."), None),  # a legal form's commas are no address's
        (("凭祥市友谊进出口贸易有限公司",), None),
        (("北京一一八商贸有限公司",), None),  # "一" in a name, among its other characters
        (("广西凭祥市8号商贸有限公司",), None),  # a number in a company's name is no address
        (("Công", "ty", "TNHH", "Khu", "công", "nghiệp", "Đồng", "Văn"), None),
    ],
)
def test_names_in_any_case_are_names(texts: tuple[str, ...], name: str | None) -> None:
    assert _name(*texts) == (name or " ".join(texts))


@pytest.mark.parametrize("texts", [("有限公司",), ("有限责任公司",), ("CO.,", "LTD.")])
def test_a_legal_form_alone_is_no_name(texts: tuple[str, ...]) -> None:
    # The end of a name whose start the OCR lost: no company is called "Co., Ltd.".
    assert _name(*texts) is None


def test_a_speck_before_a_name_goes_but_its_last_words_stay() -> None:
    assert _name("+", "Công", "ty", "TNHH", "Nông", "sản", "Xanh") == "Công ty TNHH Nông sản Xanh"
    found = _words("lầ", "崇左市边贸供应链管理有限公司")
    found[0] = Word("lầ", 0.31, found[0].box, found[0].bbox)
    assert extract.parse_value("consignor_name", found)[0] == "崇左市边贸供应链管理有限公司"
    # A line's last word read unsure is kept: the name may go on under it ("… FRUIT &" over "VEGETABLE …").
    assert _name("PINGXIANG", "NANJIANG", "FRUIT", "&") == "PINGXIANG NANJIANG FRUIT &"


def test_an_unsure_legal_form_inside_a_name_is_kept() -> None:
    found = _words("NANNING", "HUAXIN", "TECHNOLOGY", "CO.,", "LTD.")
    found[3] = Word("CO.,", 0.14, found[3].box, found[3].bbox)
    assert extract.parse_value("exporter_name", found)[0] == "NANNING HUAXIN TECHNOLOGY CO., LTD."


def test_a_label_word_is_not_found_in_another_english_word() -> None:
    """Box 11 of a Form E: "… the goods exported to VIET NAM (importing Country)". "exported" is one slip
    from the label word "exporter" but a word of its own: the country under it is no exporter's name."""
    assert not extract._close("exported", "exporter")
    assert extract._close("exportor", "exporter")  # a slip
    assert extract._close("exporters", "exporter")  # a plural
    line = _words("for", "the", "goods", "exported", "to")
    country = [Word("VIET", 0.96, (453, 140, 503, 160), (453, 140, 503, 160), line=1),
               Word("NAM", 0.96, (515, 140, 563, 160), (515, 140, 563, 160), line=1)]  # fmt: skip
    page = PageText(1, 1654, 2339, [*line, *country])
    fields = extract.extract_typed("certificate_of_origin_form_e", [page])["fields"]
    assert "exporter_name" not in fields


def test_a_name_under_its_caption_does_not_take_a_speck_left_of_it() -> None:
    # A rule's end read "+" just left of the name, a word's space apart: no word of the name.
    caption = [
        Word("托运人", 0.95, (164, 420, 230, 442), line=1),
        Word("Consignor", 0.95, (240, 420, 360, 442), line=1),
    ]
    name = [Word("+", 0.6, (140, 487, 152, 511), line=2)] + [
        Word(text, 0.93, (x, 487, x + 14 * len(text), 511), line=2)
        for text, x in (("Công", 164), ("ty", 234), ("TNHH", 270), ("Nông", 340), ("sản", 410), ("Xanh", 460))
    ]
    page = PageText(1, 1654, 2339, [*caption, *name])
    fields = extract.extract_typed("cmr", [page])["fields"]
    assert fields["consignor_name"]["value"] == "Công ty TNHH Nông sản Xanh"


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("TAY NINH GREEN TAPIOCA STARCH COMPANYLIMTED", "TAY NINH GREEN TAPIOCA STARCH COMPANY LIMITED"),
        ("TAY NINH GREEN TAPIOCA STARCH COMPANYLIMITED", "TAY NINH GREEN TAPIOCA STARCH COMPANY LIMITED"),
        (
            "LANG SON PRODUCTS TMPORT-EXPORT JOINT STOCK COMPANY",
            "LANG SON PRODUCTS IMPORT-EXPORT JOINT STOCK COMPANY",
        ),
        ("PHU THINH GARMENT JOINT STOCK. COMPANY", "PHU THINH GARMENT JOINT STOCK COMPANY"),
        ("CHONGZUO BORDER TRADE CO.,, LTD.", "CHONGZUO BORDER TRADE CO., LTD."),
        # Left alone: a glued word that is not two company words, and a stop at the name's end.
        ("SHENZHENLONGHUA TRADING CO., LTD.", "SHENZHENLONGHUA TRADING CO., LTD."),
        ("HOANG LONG TRADING COMPANY LIMITED.", "HOANG LONG TRADING COMPANY LIMITED."),
    ],
)
def test_a_names_company_words_glued_split_or_specked_are_put_right(read: str, name: str) -> None:
    assert extract.company_words(read) == name


def test_a_phrase_far_right_of_a_party_label_leaves_the_name_under_it() -> None:
    """ "Bên bán (Seller):      Số HĐ: HL-2512/0407": the page's other column is on the label's line, and the
    seller's name is under the label."""
    page = PageText(
        1,
        1654,
        2339,
        [
            *_line(0, 420, ("Bên", 110), ("bán", 160), ("(Seller):", 215), ("Số", 1110), ("HĐ:", 1140),
                   ("HL-2512/0407", 1195)),
            *_line(1, 460, ("Công", 140), ("ty", 210), ("TNHH", 240), ("Xuất", 330), ("nhập", 400),
                   ("khẩu", 470), ("Hoàng", 540), ("Long", 630), ("Ngày", 1030), ("xuất", 1090),
                   ("HĐ:", 1140), ("26-12-2025", 1195)),
            *_line(2, 500, ("Địa", 140), ("chỉ:", 180), ("Khu", 215), ("kinh", 260), ("tế", 300),
                   ("Đồng", 330), ("Đăng", 400)),
        ],
    )  # fmt: skip
    fields = extract.extract_typed("commercial_invoice", [page])["fields"]
    assert fields["seller_name"]["value"] == "Công ty TNHH Xuất nhập khẩu Hoàng Long"


def _invoice(*lines: list[Word]) -> dict[str, str]:
    page = PageText(1, 1654, 2339, [w for line in lines for w in line])
    fields = extract.extract_typed("commercial_invoice", [page])["fields"]
    return {name: entry["value"] for name, entry in fields.items()}


def test_a_frames_corner_under_a_party_label_is_passed_over() -> None:
    """A buyer's box with rounded corners: the OCR reads the corner as "z" on the line under the label."""
    assert (
        _invoice(
            _line(0, 460, ("Khách", 110), ("hàng", 195), ("(Bill", 268), ("to):", 328)),
            _line(1, 500, ("z", 112)),
            _phrase(2, 527, 131, "NANNING", "HUAXIN", "ELECTRONIC", "TECHNOLOGY", "CO.,", "LTD."),
        )["buyer_name"]
        == "NANNING HUAXIN ELECTRONIC TECHNOLOGY CO., LTD."
    )


def test_a_partys_signature_caption_names_no_party() -> None:
    """ "(Seller's chop & signature)" over a scribble: no seller is read there; the letterhead is the
    seller."""
    fields = _invoice(
        _phrase(0, 130, 270, "Công", "ty", "TNHH", "Vật", "tư", "Hữu", "Nghị"),
        _phrase(1, 1780, 1140, "(Seller's", "chop", "&", "signature)"),
        _phrase(2, 1840, 1150, "Quế", "Lệ", "vì"),
    )
    assert fields["seller_name"] == "Công ty TNHH Vật tư Hữu Nghị"


def test_the_letterhead_is_the_seller_only_when_it_is_a_companys_name() -> None:
    assert "seller_name" not in _invoice(
        _phrase(0, 130, 270, "ORIGINAL", "COPY"),
        _phrase(1, 300, 600, "COMMERCIAL", "INVOICE"),
    )


def test_the_beneficiary_bank_is_not_the_seller() -> None:
    """ "Ngân hàng thụ hưởng (Beneficiary bank):" names the seller's bank, not the seller."""
    assert "seller_name" not in _invoice(
        _phrase(0, 300, 600, "COMMERCIAL", "INVOICE"),
        _phrase(1, 1070, 930, "Ngân", "hàng", "thụ", "hưởng", "(Beneficiary", "bank):"),
        _phrase(2, 1107, 930, "BIDV", "-", "CN", "Lạng", "Sơn"),
    )


def test_a_box_number_circled_before_a_han_label_is_no_part_of_it() -> None:
    """ "②收货人" (box 2, consignee) on a waybill whose boxes are numbered in circles."""
    page = PageText(1, 1654, 2339, _phrase(0, 480, 80, "②收货人", "南宁市华信电子科技有限公司"))
    fields = extract.extract_typed("cmr", [page])["fields"]
    assert fields["consignee_name"]["value"] == "南宁市华信电子科技有限公司"
