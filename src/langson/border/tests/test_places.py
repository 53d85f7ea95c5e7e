"""Known places put back as spelt: tone marks the OCR slipped on, glued syllables, typewriter letters."""

from __future__ import annotations

import pytest

from langson.border.ocr import Word
from langson.border.places import place_names
from langson.border.printed import printed_text


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("Chỉ Ma", "Chi Ma"),  # a mark too many
        ("Cửa khấu Chỉ Ma", "Cửa khẩu Chi Ma"),
        ("Băng Tường, Quáng Tây, Trung Quốc", "Bằng Tường, Quảng Tây, Trung Quốc"),  # marks changed
        ("HƯU NGHI", "HUU NGHI"),  # printed without marks: the plain spelling is the nearer
        ("NamNinh, Quảng Tây", "Nam Ninh, Quảng Tây"),  # two syllables glued
        ("Xã Đồng Đang, Lạng Sơn", "Xã Đồng Đăng, Lạng Sơn"),  # a commune of the shipped map data
        ("Pingx1lang, Guangx1, China", "Pingxiang, Guangxi, China"),  # a typewriter's i read as 1
        ("GUANGXT CHONGZUO NONGFENG", "GUANGXI CHONGZUO NONGFENG"),  # …or as T
    ],
)
def test_a_known_place_misread_is_spelt_as_printed(read: str, printed: str) -> None:
    assert place_names(read) == printed


@pytest.mark.parametrize(
    "text",
    [
        "Lạng Sơn, Việt Nam",
        "Lang Son, Vietnam",  # English print: no marks, "Vietnam" one word
        "PHO NOI A IP, HUNG YEN, VIETNAM",  # in capitals too
        "Tân Thảnh",  # as near to Tân Thanh (the gate) as to Tân Thành (a commune): left as read
        "Thanh long ruột đỏ tươi",  # goods, no place
        "Dinh Tram IP, Bac Ninh, Vietnam",
        "PHONG 1201",  # no pinyin place is near
    ],
)
def test_text_that_spells_no_misread_place_is_left_as_read(text: str) -> None:
    assert place_names(text) == text


def test_printed_text_puts_places_right() -> None:
    words = [
        Word(text, 0.9, (x, 0, x + 60, 20)) for text, x in (("Băng", 0), ("Tường,", 70), ("Guangx1", 150))
    ]
    assert printed_text(words) == "Bằng Tường, Guangxi"
