"""Free text as printed (``border.printed``): Chinese without spaces, specks trimmed, glued Vietnamese
syllables parted, and nothing else touched."""

from __future__ import annotations

import pytest

from langson.border.ocr import Word
from langson.border.printed import (
    english_repairs,
    english_words,
    is_syllable,
    printed_text,
    split_glued_syllables,
)


def _words(*texts: str) -> list[Word]:
    return [Word(text, 0.9, (100 * k, 0, 100 * k + 80, 20)) for k, text in enumerate(texts)]


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        (("越南兴安省铺内", "A", "工业区"), "越南兴安省铺内A工业区"),  # a code inside Chinese
        (("LED", "灯泡"), "LED灯泡"),
        (("中国", "广西", "凭祥市"), "中国广西凭祥市"),
        (("尿素", "Urea", "fertiliser"), "尿素 Urea fertiliser"),  # a name and its translation
        (("Bóng", "đèn", "LED"), "Bóng đèn LED"),
        (("'Woven", "polyester", "filament", "fabric"), "Woven polyester filament fabric"),
        (("浦寨口岸", ")"), "浦寨口岸"),  # a bracket never opened
        (("Ị", "Tinh", "bột", "sắn", "L"), "Tinh bột sắn"),  # the cell's rules read as letters
        (("|", "Xoài", "tươi", "Ì"), "Xoài tươi"),
        (("Thanh", "long", "(Fresh", "dragon", "fruit)"), "Thanh long (Fresh dragon fruit)"),
        (("Dưa", "hấutươi"), "Dưa hấu tươi"),
        (("Dưahấu", "tươi"), "Dưa hấu tươi"),
        (("Công", "ty", "TNHH", "Xuấtnhập", "khẩu"), "Công ty TNHH Xuất nhập khẩu"),
    ],
)
def test_printed_text(read: tuple[str, ...], printed: str) -> None:
    assert printed_text(_words(*read)) == printed


@pytest.mark.parametrize(
    "word",
    ["nghiêng", "khuyến", "quốc", "giặt", "trường", "Nguyễn", "ngoằn", "khuỷu", "Đăng", "kiện", "ghế",
     "nghĩa", "gì", "chuyển", "Phường", "xã", "ươm"],
)  # fmt: skip
def test_vietnamese_syllables_are_recognised(word: str) -> None:
    assert is_syllable(word)
    assert split_glued_syllables(word) == word


@pytest.mark.parametrize(
    "text",
    [
        "Nanning", "Pingxiang", "Guangxi", "Thanhlong",  # unmarked: English, pinyin, or unsure — untouched
        "Expéditeur",  # a marked word of another language that no reading into syllables explains
        "urê",  # a loanword shorter than two syllables' worth of letters
        "TNHHThương",  # capitals glued to a word: not two syllables either
    ],
)  # fmt: skip
def test_words_that_are_not_glued_syllables_are_left_alone(text: str) -> None:
    assert split_glued_syllables(text) == text


def test_misspelt_onsets_are_not_syllables() -> None:
    # Vietnamese writes k/gh/ngh before i, e, ê and c/g/ng elsewhere: "ngiá" cannot be, so "Đơngiá" is
    # "Đơn giá", not "Đơ ngiá".
    assert not is_syllable("ngiá") and not is_syllable("kan") and not is_syllable("ce")
    assert split_glued_syllables("Đơngiá") == "Đơn giá"
    # Two tone marks make two syllables.
    assert not is_syllable("hấutươi")


def test_the_english_word_list_is_installed() -> None:
    # `make run` and `make test` install Debian's wbritish; without it English words stay as read.
    assert "fertiliser" in english_words() and "fresh" in english_words()


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("Eresh longan", "Fresh longan"),  # F read as E
        ("Shelled cashew kemels", "Shelled cashew kernels"),  # rn read as m
        ("TAPIQCA STARCH", "TAPIOCA STARCH"),  # capitals keep their case
        ("Urea fertiiser", "Urea fertiliser"),  # the l between two i's lost
        ("Urea tertiiser", "Urea fertiliser"),  # two confusions in a long word
        ("Woven polyester Tilament tabric", "Woven polyester Filament fabric"),  # f read as T or t
        ("cert", "cert"),  # t for f only at the start of a word: no "cerf"
        (
            "Thanh long ruột đỏ (Eresh red-flesh dragon fruit)",
            "Thanh long ruột đỏ (Fresh red-flesh dragon fruit)",
        ),
        # The "fi" ligature read as f or ñ, "m" read as "in", a double l read as one.
        ("Woven polyester flament fabric", "Woven polyester filament fabric"),
        ("Vải dệt thoi từ sợi ñlament polyester", "Vải dệt thoi từ sợi filament polyester"),
        ("Parts of coinbine harvesters", "Parts of combine harvesters"),
        ("IP surveilance cameras", "IP surveillance cameras"),
        ("Señor", "Señor"),  # a ñ that makes no English word as fi stays
        # Names in pinyin or unmarked Vietnamese are no English word either way: left as read.
        ("Pingxiang Huaxin Chongzuo", "Pingxiang Huaxin Chongzuo"),
        ("DONG DUONG TRADING", "DONG DUONG TRADING"),
        ("Pho Noi A IP, Hung Yen", "Pho Noi A IP, Hung Yen"),
        ("Hữu Nghị", "Hữu Nghị"),
    ],
)
def test_english_words_misread_by_a_usual_confusion_are_put_right(read: str, printed: str) -> None:
    assert english_repairs(read) == printed


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        (("联合收割机零件！", "Parts", "of", "combine"), "联合收割机零件 Parts of combine"),  # a mark between
        (("钢制深沟球轴承；", "Steel", "ball"), "钢制深沟球轴承 Steel ball"),
        (("涤纶长丝机织布", "'Woven", "polyester"), "涤纶长丝机织布 Woven polyester"),
        (("联合收割机零件Parts", "of", "combine"), "联合收割机零件 Parts of combine"),  # the space lost
        (("网络监控摄像机IP", "surveillance"), "网络监控摄像机 IP surveillance"),
        (("越南兴安省铺内AB工业区",), "越南兴安省铺内AB工业区"),  # a code inside Chinese stays
        (("红外摄像机IP65",), "红外摄像机IP65"),
    ],
)
def test_a_chinese_name_and_its_english_one_are_two_phrases(read: tuple[str, ...], printed: str) -> None:
    assert printed_text(_words(*read)) == printed
