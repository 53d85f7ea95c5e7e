"""Place names of the border trade, put back as spelt when the OCR slipped on a tone mark or a letter.

Trade papers at Lạng Sơn's gates name the same places again and again: the province's communes and wards,
Vietnam's provinces, the border gates, and across the border the towns of Guangxi. The OCR drops or
changes a tone mark ("Chỉ Ma" for Chi Ma, "Băng Tường" for Bằng Tường), adds one ("HƯU NGHI"), glues two
syllables ("NamNinh") or reads a typewriter's i as 1 or T ("Guangx1", "PINGXTANG"). A run of words that
spells a known place once the marks are set aside is printed as that place's nearest spelling, marked or
plain; a pinyin word one usual confusion away from a known one is that word.

The names are facts of geography, not of any document: the 65 communes and wards of Lạng Sơn since
1 July 2025 (the map data the project ships, ``core/data/langson-communes.geojson``), the 34 provinces and
cities of Vietnam since the same day, the province's border gates, and the Chinese towns facing them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from langson.border.normalize import edit_distance
from langson.border.ocr import fold

COMMUNES_FILE = Path(__file__).resolve().parent.parent / "core" / "data" / "langson-communes.geojson"

PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau",
    "An Giang",
)  # fmt: skip
# Lạng Sơn's border gates (cửa khẩu); the Chinese side in Vietnamese; the two countries.
GATES = ("Hữu Nghị", "Tân Thanh", "Chi Ma", "Cốc Nam", "Bình Nghi", "Na Hình", "Đồng Đăng")
BORDER = (
    *GATES, "Hữu Nghị Quan", "Quảng Tây", "Bằng Tường", "Nam Ninh", "Sùng Tả", "Ninh Minh", "Long Châu",
    "Đông Hưng", "Vân Nam", "Quảng Châu", "Quảng Đông", "Thâm Quyến", "Việt Nam", "Trung Quốc", "Cửa khẩu",
)  # fmt: skip
# The same places in pinyin, as Chinese papers print them.
PINYIN = (
    "Pingxiang", "Guangxi", "Nanning", "Chongzuo", "Ningming", "Longzhou", "Dongxing", "Youyiguan",
    "Puzhai", "Aidian", "Yunnan", "Guangzhou", "Guangdong", "Shenzhen", "Vietnam", "China",
)  # fmt: skip

# Letters a typewriter face or a small print makes look alike; one of them may stand for another, or be a
# speck too many.
_LOOK_ALIKE = ("il1tTI|j", "o0OQ", "nm", "uv", "rn")
_SPECKS = "il1I|'"


def _plain(name: str) -> str:
    """The name without its marks, as English text prints it ("Lạng Sơn" → "Lang Son")."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, ...]]:
    """Folded spelling (no space) → the spellings it may be, marked and plain."""
    names = list(PROVINCES + BORDER)
    try:
        features = json.loads(COMMUNES_FILE.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError):
        features = []
    for feature in features:
        name = re.sub(r"^(Xã|Phường)\s+", "", feature.get("properties", {}).get("name", ""))
        if name:
            names.append(name)
    spellings: dict[str, set[str]] = {}
    for name in names:
        key = fold(name).replace(" ", "")
        spellings.setdefault(key, set()).update({name, _plain(name)})
    return {key: tuple(sorted(forms)) for key, forms in spellings.items()}


@lru_cache(maxsize=1)
def _pinyin() -> dict[str, str]:
    return {name.lower(): name for name in PINYIN}


def cased(spelling: str, printed: str) -> str:
    return spelling.upper() if printed.isupper() and any(c.isalpha() for c in printed) else spelling


_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^([\W_]*)(.*?)([\W_]*)$", re.DOTALL)


def _known_place(words: list[str]) -> str | None:
    """The spelling of the place ``words`` spell, nearest to them; None when they spell none, or two
    spellings are as near ("Tân Thanh" the gate, "Tân Thành" the commune)."""
    printed = " ".join(words)
    forms = _names().get(fold(printed).replace(" ", ""))
    if not forms or len(fold(printed).replace(" ", "")) < 4:
        return None
    if len(words) == 1 and not re.search(r"[a-zà-ỹ][A-ZÀ-Ỹ]", printed):
        return None  # one word is a place only when two were glued ("NamNinh"); "Vietnam" is a word
    scored = sorted((edit_distance(printed.lower(), form.lower()), form) for form in forms)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


def gate_name(words: list[str]) -> str | None:
    """The border gate (cửa khẩu) of Lạng Sơn that ``words`` spell, as spelt, when they spell one."""
    spelling = _known_place(words)
    return spelling if spelling is not None and _plain(spelling) in _plain_gates() else None


@lru_cache(maxsize=1)
def _plain_gates() -> frozenset[str]:
    return frozenset(_plain(gate) for gate in GATES)


def cut_place_name(last: str, first: str) -> bool:
    """Whether the last word of a line and the first of the next are the two halves of a known place's name
    wrapped apart ("Bằng Tường, Quảng Tây, Trung" over "Quốc"; "tỉnh Lạng" over "Sơn")."""
    halves = [last.strip(",.;:"), first.strip(",.;:")]
    return all(halves) and _known_place(halves) is not None


def _one_slip(word: str) -> set[str]:
    """Spellings one look-alike letter away, or with one speck less."""
    out: set[str] = set()
    for k, c in enumerate(word):
        if c in _SPECKS:
            out.add(word[:k] + word[k + 1 :])
        for group in _LOOK_ALIKE:
            if c in group:
                out.update(word[:k] + other + word[k + 1 :] for other in group if other != c)
    return out


def _pinyin_word(word: str) -> str | None:
    """The pinyin place ``word`` is, read with one or two usual slips ("Guangx1", "PINGXTANG")."""
    known = _pinyin()
    if word.lower() in known or len(word) < 5 or not re.fullmatch(r"[A-Za-z0-9|']+", word):
        return None
    near = _one_slip(word)
    found = {c.lower() for c in near if c.lower() in known}
    if not found and len(word) >= 7:
        found = {c.lower() for one in near for c in _one_slip(one) if c.lower() in known}
    if len(found) != 1:
        return None
    return cased(known[found.pop()], word)


def place_names(text: str) -> str:
    """``text`` with the known places in it spelt as printed (see the module's docstring)."""
    tokens = [m.group(0) for m in _TOKEN.finditer(text)]
    out: list[str] = []
    k = 0
    while k < len(tokens):
        for size in (4, 3, 2, 1):
            window = tokens[k : k + size]
            if len(window) < size:
                continue
            parts = [_EDGE.match(t).groups() for t in window]  # type: ignore[union-attr]
            # Punctuation may open the first word and close the last, not sit inside ("Lạng Sơn, Việt").
            if any(p[2] for p in parts[:-1]) or any(p[0] for p in parts[1:]):
                continue
            words = [p[1] for p in parts]
            spelling = _known_place(words)
            if spelling is None:
                continue
            joined = " ".join(words)
            out.append(parts[0][0] + cased(spelling, joined) + parts[-1][2])
            k += size
            break
        else:
            lead, word, tail = _EDGE.match(tokens[k]).groups()  # type: ignore[union-attr]
            fixed = _pinyin_word(word)
            out.append(lead + fixed + tail if fixed else tokens[k])
            k += 1
    return " ".join(out)
