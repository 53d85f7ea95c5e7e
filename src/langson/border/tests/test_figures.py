"""The second reading of figures and codes: which of the two readings is kept, and the real PP-OCRv4
recogniser (the model installed by `make`) reading what Tesseract misread."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from langson.border import figures, ocr

pytestmark = pytest.mark.nodb

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


@pytest.mark.parametrize(
    ("tesseract", "read", "kept"),
    [
        ("98109092", "08109092", "08109092"),  # 0 read as 9: the same shape, the recogniser's digits
        ("E2647067C75478615", "E264706ZC75478615", "E264706ZC75478615"),
        ("74.973,60", "74.973.60", "74.973,60"),  # punctuation read both ways: Tesseract's stays
        ("4815", "481.5", "481.5"),  # a dropped decimal point comes back
        ("|597", "597", "597"),  # a rule's remnant goes
        ("2025ff10B6H", "2025年10月6日", "2025年10月6日"),  # a Chinese date read as Latin
        ("56", "656", None),  # more digits, and no date: not trusted
        ("3", "11", None),
        ("1,234", "1,234", None),  # the same: nothing to change
        ("tt", "件", "件"),  # an unsure Latin word that is Han
        ("tt", "tt", None),
        ("Net", "N3t", None),  # a word without digits never takes digits
        ("Cootract", "Contract", "Contract"),  # an unsure Latin word: the recogniser's letters…
        ("HUYER", "BUYER", "BUYER"),
        ("Coosignee:", "Consignee", "Consignee:"),  # …with Tesseract's colon, which ends a label
        ("Currency:", "Currency", None),  # the colon dropped is no change
        ("China", "china", None),  # nor is a change of case
        ("nature", "Signare", None),  # more than a slip per three letters: another word
        ("LTD.", "LTO.", None),  # three letters are too few to judge a slip
        ("12", "AB", None),  # a figure never loses its digits
        (
            "中国广广西岩左市",
            "中国广西崇左市",
            "中国广西崇左市",
        ),  # Han: the recogniser's, which reads it better
        ("凭祥市", "Pingxiang", None),  # ...but never Latin for Han
        ("FR#Ht®", "联系电话", "联系电话"),  # junk marks where the recogniser reads Han only
        ("#6+x", "中国", "中国"),  # …even with a stray digit in the junk
        ("#6+x", "A6", None),  # junk read as Latin or figures stays junk (dropped later)
        ("|597", "中", None),  # a figure with a rule's remnant is no Han
    ],
)
def test_which_reading_is_kept(tesseract: str, read: str, kept: str | None) -> None:
    assert figures.merge(tesseract, read) == kept


def _line(text: str, font: ImageFont.FreeTypeFont) -> np.ndarray:
    """A grey crop of ``text`` printed small and slightly out of focus, as in a phone photo."""
    x0, y0, x1, y1 = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=font)
    image = Image.new("L", (int(x1 - x0) + 24, int(y1 - y0) + 20), 255)
    ImageDraw.Draw(image).text((12 - x0, 10 - y0), text, font=font, fill=20)
    gray = np.asarray(image)
    return cv2.GaussianBlur(gray, (0, 0), 0.8)


def test_the_recogniser_reads_figures_codes_and_chinese_dates() -> None:
    assert figures.available(), "the PP-OCRv4 model is installed by `make` (rapidocr-onnxruntime)"
    latin, han = ImageFont.truetype(LATIN, 26), ImageFont.truetype(CJK, 26, index=2)
    crops = [_line("08109092", latin), _line("14.507,80", latin), _line("TTX26605839", latin)]
    crops.append(_line("2026年11月28日", han))
    texts = [text for text, _score in figures.read_lines(crops)]
    assert texts == ["08109092", "14.507,80", "TTX26605839", "2026年11月28日"]
    assert all(score > figures.MIN_SCORE for _text, score in figures.read_lines(crops))


def test_a_crop_reads_the_same_whatever_is_read_with_it() -> None:
    """Each crop is read at its own width. Padded to a long line's width in one batch, "1,234.5" was read
    "1,234.5 " (the padding read as a space) and its score fell under MIN_SCORE."""
    latin = ImageFont.truetype(LATIN, 20)
    short = _line("1,234.5", latin)
    long = _line("CHONGZUO BORDER TRADE SUPPLY CHAIN MANAGEMENT CO LTD 2026", latin)
    alone = figures.read_lines([short])
    assert alone[0][0] == "1,234.5"
    assert figures.read_lines([short, long])[0] == alone[0]
    assert figures.read_lines([long, short])[1] == alone[0]


def test_a_page_word_tesseract_misread_is_put_right() -> None:
    """A word on a page whose Tesseract reading (forced here to a typical slip) differs from the print: the
    second reading puts it right; a Vietnamese word is left to Tesseract."""
    image = Image.new("L", (1654, 400), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(LATIN, 30)
    draw.text((100, 100), "08106000", font=font, fill=0)
    draw.text((600, 100), "Tổng", font=font, fill=0)
    cleaned = ocr.clean(image)
    assert cleaned.scale == 1.0 and cleaned.angle == 0.0  # boxes below are in the page's own pixels

    def box(x: int, text: str) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = draw.textbbox((x, 100), text, font=font)
        return (int(x0), int(y0), int(x1), int(y1))

    words = [
        ocr._RawWord("68106000", 80.0, box(100, "08106000"), 0, []),
        ocr._RawWord("Tổng", 40.0, box(600, "Tổng"), 0, []),
    ]
    out = ocr._reread_figures(cleaned, words)
    assert [w.text for w in out] == ["08106000", "Tổng"]


def test_a_han_glyph_dropped_between_two_han_words_is_read() -> None:
    """chi_sim dropped "西" of "广西" and vie read it as "Bì": the two Han words with ink between them are
    one word, the junk goes, and the recogniser reads the whole name. A real space (no ink) keeps two
    words."""
    image = Image.new("L", (1654, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(CJK, 30, index=2)
    name = "广西崇左市农丰化肥有限公司"
    draw.text((100, 100), name, font=font, fill=0)
    draw.text((100, 250), "托运人", font=font, fill=0)
    draw.text((250, 250), "凭祥市", font=font, fill=0)  # a real space: two characters wide, no ink
    draw.text((100, 180), "名称、地址", font=font, fill=0)  # punctuation between Han words is read as such
    for y in (350, 420, 490):  # enough lines for the skew estimate to find none
        draw.text(
            (100, y), "CHONGZUO BORDER TRADE SUPPLY CHAIN 2026", font=ImageFont.truetype(LATIN, 26), fill=0
        )
    cleaned = ocr.clean(image)
    assert cleaned.scale == 1.0 and cleaned.angle == 0.0  # boxes below are in the page's own pixels

    def box(x: int, y: int, text: str) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = draw.textbbox((x, y), text, font=font)
        return (int(x0), int(y0), int(x1), int(y1))

    after_two = 100 + round(draw.textlength(name[:2], font=font))
    words = [
        ocr._RawWord("广", 95.0, box(100, 100, "广"), 0, []),
        ocr._RawWord("Bì", 70.0, box(100 + round(draw.textlength("广", font=font)), 100, "西"), 0, []),
        ocr._RawWord(name[2:], 90.0, box(after_two, 100, name[2:]), 0, []),
        ocr._RawWord("托运人", 95.0, box(100, 250, "托运人"), 1, []),
        ocr._RawWord("凭祥市", 95.0, box(250, 250, "凭祥市"), 1, []),
        ocr._RawWord("名称", 95.0, box(100, 180, "名称"), 2, []),
        ocr._RawWord("、", 90.0, box(100 + round(draw.textlength("名称", font=font)), 180, "、"), 2, []),
        ocr._RawWord(
            "地址", 95.0, box(100 + round(draw.textlength("名称、", font=font)), 180, "地址"), 2, []
        ),
    ]
    merged = ocr._merge_han(words, cleaned.binary)
    assert [w.text for w in merged] == ["广" + name[2:], "托运人", "凭祥市", "名称", "、", "地址"]
    assert ocr._reread_figures(cleaned, merged)[0].text == name


def test_a_short_word_read_as_letters_over_han_is_read_again() -> None:
    """vie read "中国" as "nh" fairly sure of it (60): a short word is re-read up to 90, and the Han kept; a
    long word that sure of itself is left alone."""
    image = Image.new("L", (1654, 400), 255)
    draw = ImageDraw.Draw(image)
    han, latin = ImageFont.truetype(CJK, 30, index=2), ImageFont.truetype(LATIN, 26)
    draw.text((100, 100), "中国", font=han, fill=0)
    draw.text((600, 100), "Vietnam", font=latin, fill=0)
    for y in (200, 270):  # enough lines for the skew estimate to find none
        draw.text((100, y), "CHONGZUO BORDER TRADE SUPPLY CHAIN 2026", font=latin, fill=0)
    cleaned = ocr.clean(image)
    assert cleaned.scale == 1.0 and cleaned.angle == 0.0

    def box(x: int, text: str, font: ImageFont.FreeTypeFont) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = draw.textbbox((x, 100), text, font=font)
        return (int(x0), int(y0), int(x1), int(y1))

    words = [
        ocr._RawWord("nh", 60.0, box(100, "中国", han), 0, []),
        ocr._RawWord("Vietnarn", 60.0, box(600, "Vietnam", latin), 0, []),
    ]
    assert [w.text for w in ocr._reread_figures(cleaned, words)] == ["中国", "Vietnarn"]


def test_a_han_word_read_as_junk_marks_is_read_again() -> None:
    """In a photographed invoice vie read "联系电话" (its Chinese caption) as "FR#Ht®", sure of nothing: the
    junk is re-read although it holds letters no figure has, and the recogniser's Han kept."""
    image = Image.new("L", (1654, 400), 255)
    draw = ImageDraw.Draw(image)
    han, latin = ImageFont.truetype(CJK, 30, index=2), ImageFont.truetype(LATIN, 26)
    draw.text((100, 100), "联系电话", font=han, fill=0)
    for y in (200, 270):  # enough lines for the skew estimate to find none
        draw.text((100, y), "CHONGZUO BORDER TRADE SUPPLY CHAIN 2026", font=latin, fill=0)
    cleaned = ocr.clean(image)
    x0, y0, x1, y1 = draw.textbbox((100, 100), "联系电话", font=han)
    words = [ocr._RawWord("FR#Ht®", 0.0, (int(x0), int(y0), int(x1), int(y1)), 0, [])]
    assert [w.text for w in ocr._reread_figures(cleaned, words)] == ["联系电话"]
