"""Pinyin words of romanised Chinese names, and the OCR's slips in them."""

from __future__ import annotations

import pytest

from langson.border import pinyin

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(
    "word", ["NANNING", "PINGXIANG", "GUANGXI", "CHONGZUO", "XIANGSHUN", "YOUYI", "Shenzhen", "HONGYUAN"]
)
def test_names_of_places_and_companies_are_runs_of_syllables(word: str) -> None:
    assert pinyin.is_pinyin(word)


@pytest.mark.parametrize("word", ["TRADING", "SOUTH", "VIET", "THINH", "EAST", "XIAN'GANG", "HUAXTN"])
def test_english_vietnamese_and_misread_words_are_not(word: str) -> None:
    """ "EAST" would be e|a|s… only if a syllable starting with a vowel could follow another one."""
    assert not pinyin.is_pinyin(word)


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("HUAXTN", "HUAXIN"),
        ("JTNHUA", "JINHUA"),
        ("Y0UYT", "YOUYI"),
        ("GUANGXT", "GUANGXI"),
        ("PTNGXIANG", "PINGXIANG"),
        # Right already, or English words a T-for-I would make syllables of ("PORI", "DISIRICI"), or no
        # single way back: as read.
        ("NANNING", None),
        ("PORT", None),
        ("DISTRICT", None),
        ("CENTRE", None),
        ("LIMITED", None),
        ("NGHTI", None),
    ],
)
def test_one_or_two_slips_put_right(read: str, printed: str | None) -> None:
    assert pinyin.slips_put_right(read) == printed
