"""Reading pages: decoding, preprocessing (rectified photos, deskew, inverted bands), the Han second reading,
and boxes that map back onto the page image. Real Tesseract, on a few small pages."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from langson.border import extract, ocr, synth
from langson.border.schema import PDF_DPI

pytestmark = pytest.mark.nodb

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
HAN = re.compile(r"[\u4e00-\u9fff]+")


def page_with(
    lines: list[str], size: int = 28, band: int | None = None
) -> tuple[Image.Image, dict[str, tuple]]:
    """An A4 page at 200 dpi with the lines drawn (Han runs in Noto CJK); returns it and each run's box.
    ``band``: index of a line drawn white on a dark band."""
    image = Image.new("RGB", (1654, 2339), "white")
    draw = ImageDraw.Draw(image)
    latin, han = ImageFont.truetype(LATIN, size), ImageFont.truetype(CJK, size, index=2)
    boxes: dict[str, tuple] = {}
    y = 200
    for number, line in enumerate(lines):
        colour = "black"
        if number == band:
            draw.rectangle((100, y - size - 14, 1550, y + 18), fill=(35, 35, 45))
            colour = "white"
        x = 150.0
        position = 0
        for match in [*HAN.finditer(line), None]:
            end = match.start() if match else len(line)
            for text, font in ((line[position:end], latin), (match.group() if match else "", han)):
                if text:
                    draw.text((x, y), text, font=font, fill=colour, anchor="ls")
                    boxes[text.strip()] = draw.textbbox((x, y), text, font=font, anchor="ls")
                    x += draw.textlength(text, font=font)
            position = match.end() if match else end
        y += int(size * 2.2)
    return image, boxes


def words_of(page: ocr.PageText) -> list[str]:
    return [w.text for w in page.words]


def test_a_clean_page_is_read_with_boxes_on_the_printed_words():
    image, boxes = page_with(
        ["Số hóa đơn (Invoice No.): INV-2026-0457", "Người mua: Công ty TNHH Đông Dương"]
    )
    page = ocr.read_page(image)
    texts = words_of(page)
    assert "INV-2026-0457" in texts and "Dương" in texts
    word = next(w for w in page.words if w.text == "INV-2026-0457")
    drawn = boxes["Số hóa đơn (Invoice No.): INV-2026-0457"]
    assert drawn[0] < word.bbox[0] < word.bbox[2] <= drawn[2] + 3
    assert abs((word.bbox[1] + word.bbox[3]) / 2 - (drawn[1] + drawn[3]) / 2) < 12
    assert 0.5 < word.conf <= 1.0


def test_a_rotated_scan_is_deskewed_and_boxes_map_back_to_the_rotated_page():
    image, _ = page_with(["Tổng cộng (Total): 3.462,50 USD", "Cửa khẩu (Border gate): Hữu Nghị"])
    turned = image.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor="white")
    cleaned = ocr.clean(turned)
    assert cleaned.angle == pytest.approx(-2.0, abs=0.4) or cleaned.angle == pytest.approx(2.0, abs=0.4)
    page = ocr.read_page(turned)
    word = next(w for w in page.words if w.text.startswith("3.462"))
    # The box is in the pixels of the rotated image: the ink of the number is inside it.
    ink = np.asarray(turned.convert("L"))[word.bbox[1] : word.bbox[3], word.bbox[0] : word.bbox[2]] < 128
    assert ink.mean() > 0.08
    rows = ocr.rows(page)
    assert any("Hữu" in row.text and "Nghị" in row.text for row in rows)  # one row once deskewed


def test_han_runs_are_read_again_with_the_chinese_model():
    image, boxes = page_with(
        ["HÓA ĐƠN THƯƠNG MẠI / COMMERCIAL INVOICE / 商业发票", "Thanh long ruột đỏ 红心火龙果"]
    )
    page = ocr.read_page(image)
    han = [w for w in page.words if w.han]
    assert {"商业发票", "红心火龙果"} <= {w.text for w in han}
    title = next(w for w in han if w.text == "商业发票")
    drawn = boxes["商业发票"]
    assert drawn[0] - 10 <= title.bbox[0] and title.bbox[2] <= drawn[2] + 10
    assert "ruột" in words_of(page) and "đỏ" in words_of(page)  # the Vietnamese beside it is kept


def test_light_text_on_a_dark_band_is_read():
    image, _ = page_with(["Description of Goods   Quantity   Amount", "Urea fertiliser"], band=0)
    texts = words_of(ocr.read_page(image))
    assert "Description" in texts and "Quantity" in texts


def test_a_photographed_sheet_is_found_and_rectified_and_a_scan_is_not():
    photo = synth.generate("packing_list", layout="pl_vn_classic", degradation="photo", seed=5)
    scan = synth.generate("packing_list", layout="pl_vn_classic", degradation="scan", seed=5)
    cleaned = ocr.clean(photo.pages[0])
    assert cleaned.paper and cleaned.gray.shape[1] == ocr.PAPER_WIDTH
    assert not ocr.clean(scan.pages[0]).paper
    page = ocr.read_page(photo.pages[0])
    number = photo.truth["fields"]["packing_list_number"]
    word = next(w for w in page.words if w.text == number["value"])
    tx = (number["bbox"][0] + number["bbox"][2]) / 2
    ty = (number["bbox"][1] + number["bbox"][3]) / 2
    assert word.bbox[0] <= tx <= word.bbox[2] and word.bbox[1] <= ty <= word.bbox[3]


@pytest.mark.parametrize(
    ("layout", "file_format"),
    [("ci_vn_classic", "png"), ("fe_fresh4_guilloche", "jpeg"), ("cmr_vi_en", "pdf")],
)
def test_scans_and_photos_are_read_unblurred_and_rendered_pages_softened(layout, file_format):
    """A rendered page (a PDF or picture from a computer, a guilloche background or JPEG compression
    included) has paper of one flat white: the recognisers read it lightly blurred. A scan's or a photo's
    paper has grain, the page is soft already, and the blur would cost it tone marks and decimal points."""
    document_type = {"ci": "commercial_invoice", "fe": "certificate_of_origin_form_e", "cmr": "cmr"}[
        layout.split("_")[0]
    ]
    for degradation in ("clean", "scan", "photo"):
        document = synth.generate(
            document_type, layout=layout, degradation=degradation, seed=31, file_format=file_format
        )
        (page, *_) = extract.page_images(document.to_bytes(), f"page.{document.extension}")
        assert ocr.clean(page).grainy == (degradation != "clean"), degradation


def test_a_photographed_invoice_keeps_its_decimal_points_when_read_unblurred():
    """On this phone photo, read blurred a second time, the last item's unit price 0.5 came out as 50, its HS
    code and amount were lost, and the border gate was taken from a misread heading ("Linit Price")."""
    document = synth.generate("commercial_invoice", layout="ci_en_plain", degradation="photo", seed=14006)
    result = extract.extract_bytes(document.to_bytes(), f"photo.{document.extension}")
    assert result["fields"]["border_gate"]["value"] == "Tan Thanh Border Gate"
    last = result["line_items"][-1]
    assert last["unit_price"]["value"] == "0.5"
    assert last["hs_code"]["value"] == "11081400"
    assert last["amount"]["value"] == "7400"


def test_a_blank_page_has_no_words_and_noise_no_confident_ones():
    assert ocr.read_page(Image.new("L", (1654, 2339), 255)).words == []
    rng = np.random.default_rng(4)
    noise = Image.fromarray(np.clip(rng.normal(232, 9, (2339, 1654)), 0, 255).astype(np.uint8))
    assert not [w for w in ocr.read_page(noise).words if w.conf > 0.5 and len(w.text) > 1]


def test_an_image_with_absurd_pixel_counts_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    with pytest.raises(ValueError):
        ocr.open_image(buffer.getvalue(), max_pixels=50_000_000)


def test_pdf_pages_are_rendered_at_the_schema_dpi():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 760, "PACKING LIST")
    pdf.showPage()
    pdf.drawString(72, 760, "page 2")
    pdf.save()
    images = ocr.render_pdf(buffer.getvalue(), max_pages=10, max_pixels=50_000_000)
    assert len(images) == 2
    assert images[0].size == (round(A4[0] / 72 * PDF_DPI), round(A4[1] / 72 * PDF_DPI))
    with pytest.raises(OverflowError):
        ocr.render_pdf(buffer.getvalue(), max_pages=1, max_pixels=50_000_000)


def test_fold_is_what_labels_are_matched_on():
    assert ocr.fold("Số hóa đơn (Invoice No.):") == "so hoa don invoice no"
    assert ocr.fold("Đơn giá / 单价") == "don gia 单价"


def test_marks_at_the_very_edge_of_the_page_are_no_words():
    """A scan's dark edge is read as letters ("E", ":") on every line beside a table: print keeps a
    margin, so what lies wholly in the outer strip of the page is dropped, and the line's words stay."""
    image, _boxes = page_with(["Fresh mangoes 868 cartons"], size=30)
    draw = ImageDraw.Draw(image)
    draw.text((1, 200), "E", font=ImageFont.truetype(LATIN, 30), fill="black", anchor="ls")
    draw.text((1631, 200), "E", font=ImageFont.truetype(LATIN, 30), fill="black", anchor="ls")
    texts = words_of(ocr.read_page(image))
    assert texts == ["Fresh", "mangoes", "868", "cartons"]


def test_dark_text_on_a_grey_cell_is_not_inverted():
    """A grey header cell (a photo makes it darker) with bold black text: what stands out of it is darker,
    not lighter, so it is no dark band to invert; a dark band with light text still is."""
    gray = np.full((400, 1200), 225, np.uint8)
    gray[100:160, 100:700] = 150  # a grey cell …
    cv2_text = ImageDraw.Draw(image := Image.fromarray(gray))
    cv2_text.text((130, 145), "Commodity", font=ImageFont.truetype(LATIN, 40), fill=20, anchor="ls")
    gray = np.asarray(image).copy()
    assert np.array_equal(ocr._uninvert(gray), gray)
    gray[250:310, 100:700] = 40  # … and a dark band with light text
    band = Image.fromarray(gray)
    ImageDraw.Draw(band).text(
        (130, 295), "Quantity", font=ImageFont.truetype(LATIN, 40), fill=235, anchor="ls"
    )
    gray = np.asarray(band).copy()
    out = ocr._uninvert(gray)
    assert np.array_equal(out[100:160], gray[100:160])
    assert out[250:310, 100:700].mean() > 150  # the band became paper, its text dark


def test_a_bold_word_blurred_into_a_blob_is_no_rule():
    """A table rule is thin; the middle of a bold heading blurred into one blob has runs of ink as long,
    but inside a stroke as thick as the text. The rule is painted out, the word stays."""
    binary = np.full((200, 800), 255, np.uint8)
    binary[50:52, 20:780] = 0  # a rule, two pixels thick
    binary[100:114, 200:420] = 0  # a blob of text 14 px high (19-px glyphs)
    binary[98:100, 220:240] = 0  # an ascender or two on it
    mask, _vertical, horizontal = ocr._rules(binary, 19.0)
    assert mask is not None
    assert mask[50:52, 20:780].all()
    assert not mask[98:116, 200:420].any()
    ((y, x0, x1),) = horizontal  # the rule only, not the blob
    assert abs(y - 51) <= 1 and abs(x0 - 20) <= 2 and abs(x1 - 780) <= 2


def test_a_photographed_table_the_layout_analysis_takes_for_a_picture_is_still_read():
    """On this photographed packing list (grey header cells, a stamp) Tesseract's page layout analysis
    finds no text at all under the head of the page: the part is read again as one block of lines. Without
    that none of these goods words is read; with it most are (the photo is poor enough to lose one)."""
    document = synth.generate("packing_list", layout="pl_sheet_export", degradation="photo", seed=8102)
    (page,) = extract.page_images(document.to_bytes(), f"photo.{document.extension}")
    texts = words_of(ocr.read_page(page))
    assert len({"longan", "watermelons", "mangoes", "cashew"} & set(texts)) >= 3


def test_columns_of_figures_the_layout_analysis_leaves_out_are_read_as_a_block():
    """On this photographed packing list Tesseract's layout analysis reads the descriptions and quantities
    but leaves out the packages and weight columns beside them, and enough of the page is read that the
    whole-part fallback does not start. The unread pieces of ink, close together on several lines, are read
    as one block; the table's rules left on the photo are taken out first, or they join each figure to its
    rule. Without that block none of these net and gross weights is read."""
    document = synth.generate("packing_list", layout="pl_fresh3_cartons", degradation="photo", seed=21033)
    (page,) = extract.page_images(document.to_bytes(), f"photo.{document.extension}")
    texts = set(words_of(ocr.read_page(page)))
    net = {"2,843.1", "1,257.4", "4,089.6", "1,764", "504"}
    gross = {"3,229.2", "1,307", "4,174.8", "1,844", "567"}
    assert len(net & texts) >= 3 and len(gross & texts) >= 3, sorted(texts)


def test_zeros_among_capitals_are_read_as_the_letter_o():
    """Some fonts' O is as narrow as a zero: "T0TAL F0B VALUE", '"W0"'. In a word of capitals a zero is
    an O; a code or a number with other digits keeps its zeros."""
    image, _ = page_with(['T0TAL F0B VALUE: US$ 21,277.12   "W0"   INV0012   0810.90.10'])
    texts = words_of(ocr.read_page(image))
    assert {"TOTAL", "FOB", '"WO"'} <= set(texts)
    assert {"INV0012", "0810.90.10"} <= set(texts)


def _sheet_on_a_desk(width: int, height: int) -> np.ndarray:
    """A light sheet of ``width`` × ``height`` pixels on a dark desk, in a 1200 × 1600 photo."""
    photo = np.full((1600, 1200), 70, np.uint8)
    top, left = (1600 - height) // 2, (1200 - width) // 2
    photo[top : top + height, left : left + width] = 235
    return photo


def test_a_photographed_sheet_is_found_only_in_a_sheets_proportions() -> None:
    """A sheet of paper is √2 (A4) or 1.29 (US letter) high for its width, upright or turned: a quadrilateral
    far from that is part of the sheet (a shadow or a fold cut it), and rectifying to it loses the rest."""
    a4 = ocr._find_paper(_sheet_on_a_desk(1000, 1414))
    assert a4 is not None
    assert np.allclose(a4, [[100, 93], [1099, 93], [1099, 1506], [100, 1506]], atol=12)
    assert ocr._find_paper(_sheet_on_a_desk(1100, 850)) is not None  # a letter page turned
    assert ocr._find_paper(_sheet_on_a_desk(1000, 1000)) is None  # square: no sheet
    assert ocr._find_paper(_sheet_on_a_desk(1100, 500)) is None


def _raw(text: str, conf: float, x0: int, x1: int, line: int = 0) -> ocr._RawWord:
    return ocr._RawWord(text, conf, (x0, 100, x1, 130), line, [])


def test_unread_pieces_of_a_han_run_are_one_run_and_sure_words_part_runs() -> None:
    """ "HHRBỊ/ H8 宁市": bold "中国广西南宁市" read in pieces (two with no confidence, one Han) is one run;
    a sure Latin word ends a run, a run of Han alone is left to the Han re-read, and a narrow unread mark is
    no run."""
    words = [
        _raw("HHRBỊ/", 22, 96, 160),
        _raw("H8", 0, 167, 210),
        _raw("宁市", 100, 220, 270),
        _raw("Place", 93, 300, 370),
        _raw("中国", 95, 400, 450),
        _raw("广西", 95, 455, 505),
        _raw("`", 10, 600, 606),
        _raw("3šff0thZR", 3, 89, 175, line=1),
    ]
    runs = [[w.text for w in run] for run in ocr._unread_runs(words)]
    assert runs == [["HHRBỊ/", "H8", "宁市"], ["3šff0thZR"]]


def test_bold_han_read_in_pieces_is_read_whole() -> None:
    """A waybill whose places are printed in bold Han: Tesseract reads "中国广西南宁市" as "HHRBỊ/ H8 宁市"
    and the green caption "装货地点" as junk; read whole by the PP-OCRv4 recogniser, both come out right."""
    document = synth.generate("cmr", layout="cmr_cn_grid_captions", degradation="clean", seed=11173)
    image = extract.page_images(document.to_bytes(), "waybill.pdf")[0]
    texts = words_of(ocr.read_page(image))
    assert "中国广西南宁市" in texts and "装货地点" in texts


def test_a_bold_line_the_layout_pass_skipped_is_read() -> None:
    """A self-printed Form E gives the exporter's name in bold, twice the height of the form's small print,
    across the box: Tesseract's layout pass skips the line, and the ink no word covers is read again."""
    document = synth.generate(
        "certificate_of_origin_form_e", layout="fe_fresh3_selfprint", degradation="scan", seed=12333
    )
    image = extract.page_images(document.to_bytes(), "form-e.png")[0]
    texts = words_of(ocr.read_page(image))
    assert {"AGRICULTURAL", "PRODUCTS", "JOINT"} <= set(texts)


def test_an_opening_bracket_read_as_a_rule_or_a_brace_is_put_right():
    """A scan's "(" read as "|{" or "[" makes its word junk, and the description loses "(Shelled". Only a
    bracket some later word on the line closes is put right; a rule before a plain word stays as read."""

    def word(text: str, x: int, line: int = 1) -> ocr._RawWord:
        return ocr._RawWord(text, 60.0, (x, 0, x + 30, 20), line, [])

    line = [word("vỏ", 0), word("|{Shelled", 40), word("cashew", 80), word("kernels)", 120)]
    other = [word("[Fresh", 0, 2), word("(longan", 40, 2), word("x)", 80, 2), word("|Total", 0, 3)]
    ocr._opening_brackets(line + other)
    assert [w.text for w in line] == ["vỏ", "(Shelled", "cashew", "kernels)"]
    assert [w.text for w in other] == ["[Fresh", "(longan", "x)", "|Total"]


def test_a_tesseract_line_stacking_words_of_several_rows_is_cut_into_its_rows():
    """In a tight grid Tesseract took the column of item numbers ("2" … "4" down the page) and two cells of
    neighbouring rows for one line each: those words go back to their own rows."""
    words: list[ocr.Word] = []
    for k, (number, goods, packages) in enumerate([("2", "Fresh", "352"), ("3", "Tapioca", "662")]):
        top = 700 + 50 * k
        words += [
            ocr.Word(goods, 0.9, (200, top, 300, top + 24), line=10 + k),
            ocr.Word("starch" if number == "3" else "longan", 0.9, (310, top, 400, top + 24), line=10 + k),
            ocr.Word(packages, 0.9, (790, top, 840, top + 24), line=20 + k),
        ]
    # One line of item numbers down the column; one line with a cell of each row.
    words += [
        ocr.Word("2", 0.5, (145, 700, 157, 724), line=30),
        ocr.Word("3", 0.5, (145, 750, 157, 774), line=30),
        ocr.Word("箱", 0.9, (885, 752, 905, 772), line=31),
        ocr.Word("袋", 0.9, (885, 702, 905, 722), line=31),
    ]
    page = ocr.PageText(1, 1654, 2339, words=words)
    rows = [row.text for row in ocr.rows(page)]
    assert rows == ["2 Fresh longan 352 袋", "3 Tapioca starch 662 箱"]
    # A rule's remnant read with the total's caption under it, or unread specks down the item numbers'
    # column, is no row of its own: the line stays as Tesseract read it.
    total = [
        ocr.Word("一一", 0.27, (875, 834, 905, 849), line=40),
        ocr.Word("-一", 0.9, (1148, 836, 1168, 844), line=40),
        ocr.Word("合计", 0.96, (175, 852, 218, 876), line=40),
    ]
    specks = [
        ocr.Word(t, 0.04, (129, y, 178, y + 28), line=41)
        for t, y in (("ẾN", 879), ("hm=", 957), ("có", 1051))
    ]
    for line in (total, specks):
        assert [sorted(w.text for w in row.words) for row in ocr.rows(ocr.PageText(1, 1654, 2339, line))] == [
            sorted(w.text for w in line)
        ]


def test_a_packing_list_grid_whose_item_numbers_were_read_as_one_line_keeps_its_rows():
    """pl_zh_grid, clean, seed 31053: the item numbers 2–6 came out as one Tesseract line, and two cells of
    rows 5 and 6 as another, so "Fresh durian" and "Fresh longan" became one item."""
    document = synth.generate("packing_list", layout="pl_zh_grid", degradation="clean", seed=31053)
    result = extract.extract_bytes(document.to_bytes(), f"pl.{document.extension}")
    truth = document.truth["line_items"]
    read = result["line_items"]
    assert len(read) == len(truth) == 6
    assert [item["description"]["value"] for item in read] == [item["description"]["value"] for item in truth]
    assert [item["packages"]["value"] for item in read] == [item["packages"]["value"] for item in truth]


@pytest.mark.parametrize(
    ("document_type", "layout", "seed", "plate"),
    [
        ("cmr", "cmr_cn_waybill", 32083, "桂F72293"),  # "桂F" read as "#ÈF" beside "72293"
        ("cmr", "cmr_vi_en", 32095, "桂F56964"),  # read as "lật" beside "56964": the F lost too
        ("certificate_of_origin_form_e", "fe_customs", 32059, "桂F25923"),  # read as "#£F25923"
    ],
)
def test_a_chinese_plates_province_character_vie_misread_is_read_again(
    document_type: str, layout: str, seed: int, plate: str
) -> None:
    """vie reads the 桂 of a Guangxi plate on a clean page as junk or as a Vietnamese word: the run is read
    again by the figure recogniser, which reads the character, and the plate is found."""
    document = synth.generate(document_type, layout=layout, degradation="clean", seed=seed)
    assert document.truth["fields"]["vehicle_plate"]["value"] == plate
    result = extract.extract_bytes(document.to_bytes(), f"doc.{document.extension}")
    assert result["fields"]["vehicle_plate"]["value"] == plate
