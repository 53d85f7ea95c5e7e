"""Free text as it was printed, from the OCR's words: goods descriptions, names and places.

The OCR cuts Chinese into "words" where the print has no space ("越南兴安省铺内 A 工业区"
for 越南兴安省铺内A工业区), keeps specks at the edge of a phrase ("'Woven fabric",
"浦寨口岸 )"), and glues Vietnamese syllables when the space between them is narrow ("Dưa hấutươi").
Each repair here uses only the text itself: how Chinese is typeset, the balance of brackets, and the
spelling rules of a Vietnamese syllable.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from langson.border.ocr import HAN_RE, Word
from langson.border.places import place_names

EDGE_SPECKS = "'`‘’\"“”,.;:|_~-–—"
# Chinese is printed without spaces, a code or an abbreviation inside it too ("铺内A工业区", "LED灯泡"); a
# Chinese name and its English translation are two phrases ("尿素 Urea"). The gap in pixels cannot tell
# them apart (a Han glyph's side bearings make the cut as wide as a space), the words can.
_CODE = re.compile(r"[A-Z0-9]{1,4}")


def _no_space_in_chinese(text: str) -> str:
    tokens = text.split(" ")

    def han_end(k: int) -> bool:
        return 0 <= k < len(tokens) and bool(HAN_RE.search(tokens[k][-1:]))

    def han_start(k: int) -> bool:
        return 0 <= k < len(tokens) and bool(HAN_RE.match(tokens[k]))

    def code(k: int) -> bool:
        return _CODE.fullmatch(tokens[k]) is not None

    out = tokens[:1]
    for k in range(1, len(tokens)):
        glue = (
            (han_end(k - 1) and han_start(k))
            # a code inside Chinese: Chinese on one side, Chinese or the end of the text on the other
            or (han_end(k - 1) and code(k) and (k + 1 == len(tokens) or han_start(k + 1)))
            or (code(k - 1) and han_start(k) and (k == 1 or han_end(k - 2)))
        )
        if glue:
            out[-1] += tokens[k]
        else:
            out.append(tokens[k])
    return " ".join(out)


def printed_text(words: list[Word]) -> str:
    """The words as one text, as printed: no space inside Chinese, specks trimmed from the ends, glued
    Vietnamese syllables parted, English words and known places misread by one usual slip put right."""
    text = " ".join(word.text for word in words)
    text = _chinese_and_english_apart(_no_space_in_chinese(text))
    return place_names(english_repairs(split_glued_syllables(trim_specks(text))))


# A mark the OCR put where a Chinese name meets its English one ("联合收割机零件！ Parts", "钢制深沟球轴承；
# Steel", "涤纶长丝机织布 'Woven"), and the space between the two it lost ("联合收割机零件Parts of …").
_MARK_AFTER_HAN = re.compile(r"(?<=[\u4e00-\u9fff])\s?[！；;√!'‘’`]+\s?(?=[A-Za-z]{2})")
_ENGLISH_AFTER_HAN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z]{2,}(?:[\s.,;:)]|$))")


def _chinese_and_english_apart(text: str) -> str:
    """A Chinese name and the English word after it as two phrases, one space apart, with no mark between;
    a code inside Chinese ("铺内AB工业区") is left as printed."""
    return _ENGLISH_AFTER_HAN.sub(" ", _MARK_AFTER_HAN.sub(" ", text))


# A table's vertical rule read as a letter: alone at the edge of a cell's text, it is no word.
RULE_GLYPHS = frozenset("|Il[]!¡ÌÍỊỈĨìíịỉĩL")


def trim_specks(text: str) -> str:
    """Punctuation the OCR read from specks at the ends of a phrase, a cell's rule read as a letter ("Ị Tinh
    bột sắn L"), and a closing bracket never opened."""
    tokens = text.split()
    while len(tokens) > 1 and tokens[0] in RULE_GLYPHS:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in RULE_GLYPHS:
        tokens = tokens[:-1]
    text = " ".join(tokens).lstrip(EDGE_SPECKS).strip()
    for opening, closing in (("(", ")"), ("（", "）"), ("[", "]")):
        if text.endswith(closing) and text.count(opening) < text.count(closing):
            text = text[: -len(closing)].rstrip()
    # A company's legal form ends with a dot the OCR may read as a comma ("CO., LTD,"): a name never ends so.
    text = re.sub(r"\b(LTD|Ltd|CO|Co|INC|Inc|CORP|Corp),$", r"\1.", text)
    return text.rstrip(EDGE_SPECKS.replace(".", "")).strip()


# --- Vietnamese syllables -----------------------------------------------------------------------------------

_CONSONANTS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_ONSET = f"(?:{_CONSONANTS})?"
_STARTS_WITH_CONSONANT = re.compile(f"(?:{_CONSONANTS})")
# Rhymes that end in a semivowel take no final consonant; the others may.
_OPEN = (
    "(?:iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|uyu|ai|ao|au|âu|ay|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu|uya)"
)
_CLOSABLE = "(?:uyê|iê|yê|oa|oă|oe|uâ|uê|uô|ươ|uy|oo|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)"
_SYLLABLE = re.compile(f"{_ONSET}(?:{_OPEN}|{_CLOSABLE}(?:ch|nh|ng|[cmnpt])?)")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VIETNAMESE_MARK = re.compile(r"[ăâêôơưđ]")


def _untoned(token: str) -> tuple[str, int]:
    """The syllable without its tone mark (vowel shapes kept: â, ơ, ư …) and how many tone marks it had."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    tones = sum(1 for c in decomposed if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)), tones


# Spelling rules of the onsets: k, gh, ngh before i, e, ê (and k before y); c, g, ng before the others.
_MISSPELT = re.compile(r"^(?:ngh|gh)[^ieê]|^k(?!h)[^ieêy]|^c[ieêy]|^ng[ieê]")


def is_syllable(token: str) -> bool:
    """Whether ``token`` is spelt like one Vietnamese syllable (one tone mark at most)."""
    bare, tones = _untoned(token)
    return tones <= 1 and _SYLLABLE.fullmatch(bare) is not None and not _MISSPELT.match(bare)


@lru_cache(maxsize=4096)
def _split(token: str) -> tuple[str, ...] | None:
    """``token`` as two or three syllables, each starting with a consonant after the first, when exactly one
    such reading exists."""
    readings: list[tuple[str, ...]] = []
    for cut in range(1, len(token)):
        head, tail = token[:cut], token[cut:]
        if not is_syllable(head) or not _STARTS_WITH_CONSONANT.match(_untoned(tail)[0]):
            continue
        if is_syllable(tail):
            readings.append((head, tail))
        else:
            for cut2 in range(1, len(tail)):
                middle, last = tail[:cut2], tail[cut2:]
                starts = _STARTS_WITH_CONSONANT.match(_untoned(last)[0])
                if is_syllable(middle) and starts and is_syllable(last):
                    readings.append((head, middle, last))
    return readings[0] if len(readings) == 1 else None


def split_glued_syllables(text: str) -> str:
    """Vietnamese syllables the OCR glued ("hấutươi", "Dưahấu") parted again. Only a marked word that is no
    syllable itself is parted, so English and Chinese pinyin ("Nanning", "Pingxiang") are never touched."""

    def part(match: re.Match[str]) -> str:
        token = match.group(0)
        bare = _untoned(token)[0]
        marked = _untoned(token)[1] > 0 or _VIETNAMESE_MARK.search(bare)
        if not marked or is_syllable(token):
            return token
        pieces = _split(token)
        return " ".join(pieces) if pieces else token

    return re.sub(r"[^\W\d_]{4,}", part, text)


# --- English words ------------------------------------------------------------------------------------------

# Debian's British English word list (package wbritish): the goods' English names follow British spelling
# ("fertiliser"). Without it, English words are left as read.
ENGLISH_WORD_LIST = Path("/usr/share/dict/british-english")
# Letters the OCR takes for others in printed English: "Eresh" for Fresh, "kemels" for kernels, "TAPIQCA".
CONFUSIONS = (
    ("E", "F"), ("F", "E"), ("rn", "m"), ("m", "rn"), ("l", "i"), ("i", "l"), ("I", "l"), ("l", "I"),
    ("1", "l"), ("1", "I"), ("0", "o"), ("0", "O"), ("Q", "O"), ("cl", "d"), ("vv", "w"), ("ii", "il"),
    ("ii", "li"), ("ii", "ili"), ("f", "fi"), ("in", "m"), ("l", "ll"),
)  # fmt: skip
# An f at the start of a word read as l or t ("lertiliser", "tabric", "Tilament").
CONFUSIONS_AT_START = (("l", "f"), ("t", "f"), ("T", "F"))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The word list in lower case; empty when the list is not installed."""
    try:
        lines = ENGLISH_WORD_LIST.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(line.lower() for line in lines if line.isalpha())


def _one_confusion(token: str) -> set[str]:
    out: set[str] = set()
    for wrong, right in CONFUSIONS:
        start = token.find(wrong)
        while start >= 0:
            out.add(token[:start] + right + token[start + len(wrong) :])
            start = token.find(wrong, start + 1)
    out.update(right + token[len(wrong) :] for wrong, right in CONFUSIONS_AT_START if token.startswith(wrong))
    return out


def _english_repair(token: str, words: frozenset[str]) -> str:
    if token.lower() in words:
        return token
    # One confusion, or else two ("tertiiser": t for f and ii for ili); a unique English word either way.
    near = _one_confusion(token)
    found = {c.lower() for c in near if c.lower() in words}
    if not found and len(token) >= 7:
        found = {c.lower() for one in near for c in _one_confusion(one) if c.lower() in words}
    if len(found) != 1:
        return token
    word = found.pop()
    if token.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if token[:1].isupper() else word


def english_repairs(text: str) -> str:
    """English words the OCR misread by one of its usual confusions, put right when exactly one such
    reading is an English word and the word read is none. Names in pinyin or Vietnamese are no English
    word either way, so they stay as read."""
    words = english_words()
    if not words:
        return text

    def repair(match: re.Match[str]) -> str:
        token = match.group(0)
        return _english_repair(token, words) if len(token) >= 4 else token

    def ligature(match: re.Match[str]) -> str:
        token = match.group(0)
        read = token.replace("ñ", "fi")
        return read if read.lower() in words else token

    # The "fi" ligature read as "ñ" ("ñlament"): no Vietnamese word has that letter.
    text = _LIGATURE_WORD.sub(ligature, text)
    # Runs of ASCII letters and digits that are whole words (not the unmarked part of "Nghị").
    return _ASCII_WORD.sub(repair, text)


_ASCII_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*(?![^\W\d_])")
_LIGATURE_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z]*ñ[A-Za-z]+(?![^\W\d_])")
