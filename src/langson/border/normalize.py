"""Canonical forms of the values printed on trade documents (issue 5).

Every extracted value is brought to one canonical string, which is also the ground-truth form of the
synthetic set and what the field F1 compares:

- dates ``YYYY-MM-DD``; numbers as plain decimals (``"1250.5"``); currencies as ISO 4217 codes;
  Vietnamese plates ``12C-123.45`` / ``12C-1234`` / ``12R-004.56``, Chinese plates ``桂F12345``;
  HS codes as digits only; incoterms as their 3-letter code; any other text as printed, Unicode NFC with
  whitespace collapsed.

Rules where the printed form is ambiguous (each one is tested in ``tests/test_normalize.py``):

Dates
    Numeric dates are **day first** (28/11/2026, 28.11.2026, 28-11-26). Only when day-first is impossible
    because the middle number is above 12 and the first is not (11/28/2026) is the month-first reading used.
    A year printed first with four digits is year-month-day (2026-11-28, 2026.11.28, 2026/11/28).
    **Two-digit years** follow the POSIX ``%y`` pivot: 00–68 → 2000–2068, 69–99 → 1969–1999.
    Dates that do not exist (31/02/2026) and years outside 1900–2199 give ``None``. When a text holds several
    dates, the first valid one (in reading order) wins.

Numbers
    With both ``.`` and ``,`` present, the one printed last is the decimal point (``1.250,50`` and
    ``1,250.50`` are both 1250.5). A separator that occurs more than once is a thousands separator. A
    **single separator** is a thousands separator only when exactly three digits follow it and one to three
    non-zero-led digits precede it (``1.250`` → 1250, ``12.000`` → 12000, ``1,250`` → 1250); otherwise it
    is the decimal point (``1,5`` → 1.5, ``0,250`` → 0.25, ``1250.500`` → 1250.5). Thousands groups must have
    three digits (``1,25,000`` and ``0810.90.10`` are not numbers). Spaces (also no-break and thin spaces)
    group thousands only between groups of three digits (``3 500 kg`` → 3500). Callers that know the
    document's convention pass ``decimal_separator`` to override the single-separator rule.
    Consequently a canonical value with exactly three decimals and a short integer part (``"1.125"``) reads
    back as 1125 without that hint: the checks module trusts canonical values as they are.

Plates
    After upper-casing and dropping spaces, dots, hyphens and middle dots, a Vietnamese plate is a
    two-digit province code (11–99), a series of one or two letters from ``ABCDEFGHKLMNPRSTUVXYZĐ``
    (I, J, O, Q and W are never series letters; ``R`` is the trailer series), then four or five digits.
    A series digit (motorbike ``12-B1 123.45`` → ``12B1-123.45``) is read only when five digits follow it,
    so ``12B11234`` is the car plate ``12B-112.34``. **OCR repairs** are applied only when the plain reading
    fails and only at positions that can hold nothing but digits: the province code, and the number part
    after a series that ends in a digit or in a letter that cannot belong to a series (``12CO1234`` →
    ``12C-012.34``); repaired are O/Q/D → 0, I/L → 1, Z → 2, S → 5, G → 6, B → 8. Chinese plates (a province
    character, a letter, then five or six letters/digits, or four and a suffix such as 挂 for trailers) never
    use I or O, so O → 0 and I → 1 are repaired after the prefecture letter.

Currencies
    ISO codes, symbols and names in Vietnamese, English and Chinese. ``$`` alone is USD and ``¥``/``￥``
    alone is CNY (the yuan, not the yen, on Lạng Sơn–Guangxi paperwork); offshore ``CNH`` and ``RMB`` are
    CNY. ``đồng``/``đ``/``dong`` count as VND only next to an amount or on their own, since the word also
    appears in "hợp đồng", "đồng tiền" or the town of Đồng Đăng.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from langson.border.schema import DATE_FIELDS, NUMBER_FIELDS, PLATE_FIELDS

__all__ = [
    "INCOTERMS",
    "is_canonical_number",
    "normalize_currency",
    "normalize_date",
    "normalize_field",
    "normalize_hs",
    "normalize_incoterm",
    "normalize_number",
    "normalize_plate",
    "normalize_text",
    "parse_plate",
]

# --------------------------------------------------------------------------------------------------- text

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


# Chinese is printed without spaces: a space between two Han characters is a line break of the print
# ("中国广西壮族自治区" over "凭祥市"), not part of the text.
_SPACE_IN_CHINESE = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
)


def normalize_text(text: str | None) -> str:
    """Text as printed: Unicode NFC, invisible characters dropped, whitespace runs collapsed (none between
    two Han characters), stripped."""
    if text is None:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", str(text)))
    return _SPACE_IN_CHINESE.sub("", " ".join(text.split()))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of one character, each counting 1."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _folded(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII), then NFC so Vietnamese letters stay composed."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", _INVISIBLE.sub("", str(text))))


# --------------------------------------------------------------------------------------------------- dates

_MONTHS_EN: Final = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAME = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Vietnamese month words ("tháng Mười Một"); longest first so "mười một" is not read as "mười".
_MONTHS_VI: Final = {
    "mười một": 11,
    "mười hai": 12,
    "giêng": 1,
    "chạp": 12,
    "mười": 10,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_SEP = r"[\s.,/\-]*"
_YEAR = r"(\d{4}|\d{2})(?!\d)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?(?!\d)"
# "tháng" and "năm" with any tone or hat on their vowel: OCR often slips the mark ("nắm", "thảng").
_A = "[aàáảãạăằắẳẵặâầấẩẫậ]"
_THANG = f"th{_A}ng"
_NAM = f"n{_A}m"

# (pattern, order of the groups) in priority order for candidates starting at the same position.
_DATE_PATTERNS: Final = [
    (re.compile(r"(?<!\d)(\d{4}|\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})(?!\d)"), "ymd"),
    (
        re.compile(
            rf"(?<!\d)(\d{{1,2}})\s*(?:{_THANG}|th)\.?\s*(\d{{1,2}})\s*(?:,?\s*{_NAM}|[,/.\-])?\s*" + _YEAR
        ),
        "dmy",
    ),
    (
        re.compile(
            r"(?<!\d)(\d{1,2})\s*tháng\s+("
            + "|".join(_MONTHS_VI)
            + r")"
            + _NOT_LETTER_AFTER
            + r"\s*(?:,?\s*năm|,)?\s*"
            + _YEAR
        ),
        "dMy",
    ),
    (
        re.compile(
            r"(?<!\d)"
            + _DAY
            + _SEP
            + _NOT_LETTER_BEFORE
            + _MONTH_NAME
            + _NOT_LETTER_AFTER
            + r"\.?"
            + _SEP
            + _YEAR
        ),
        "dNy",
    ),
    (
        re.compile(
            _NOT_LETTER_BEFORE
            + _MONTH_NAME
            + _NOT_LETTER_AFTER
            + r"\.?"
            + _SEP
            + _DAY
            + r"[\s.,/\-]+"
            + _YEAR
        ),
        "Ndy",
    ),
    (
        re.compile(
            r"(?<!\d)(\d{4})"
            + _SEP
            + _NOT_LETTER_BEFORE
            + _MONTH_NAME
            + _NOT_LETTER_AFTER
            + r"\.?"
            + _SEP
            + _DAY
        ),
        "yNd",
    ),
    (re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*" + _YEAR), "dmy?"),
]
_CN_DIGITS: Final = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMERAL_RUN = re.compile("[〇零一二三四五六七八九十]+")


def _cn_numeral(run: str) -> str:
    """二〇二六 → 2026 (digit by digit); 二十八 → 28, 十一 → 11 (with 十 as tens)."""
    if "十" not in run:
        return "".join(str(_CN_DIGITS[c]) for c in run)
    tens, _, ones = run.partition("十")
    value = (_CN_DIGITS.get(tens[-1], 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones[0], 0) if ones else 0)
    return str(value)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # POSIX %y pivot
        year += 2000 if year <= 68 else 1900
    return year


def _make_date(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2199:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_from_match(match: re.Match[str], order: str) -> date | None:
    groups = match.groups()
    if order == "ymd":
        return _make_date(_year(groups[0]), int(groups[1]), int(groups[2]))
    if order == "dmy":
        return _make_date(_year(groups[2]), int(groups[1]), int(groups[0]))
    if order == "dMy":
        return _make_date(_year(groups[2]), _MONTHS_VI[groups[1]], int(groups[0]))
    if order == "dNy":
        return _make_date(_year(groups[2]), _MONTHS_EN[groups[1][:3]], int(groups[0]))
    if order == "Ndy":
        return _make_date(_year(groups[2]), _MONTHS_EN[groups[0][:3]], int(groups[1]))
    if order == "yNd":
        return _make_date(_year(groups[0]), _MONTHS_EN[groups[1][:3]], int(groups[2]))
    # "dmy?": day first; month first only when day-first cannot be a date and month-first can.
    first, second, year = int(groups[0]), int(groups[1]), _year(groups[2])
    found = _make_date(year, second, first)
    if found is None and second > 12 >= first:
        found = _make_date(year, first, second)
    return found


def normalize_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` from any printed form of a date, or ``None`` (see the module's rules)."""
    if not text:
        return None
    folded = _folded(text).lower()
    if "年" in folded or "月" in folded:
        folded = _CN_NUMERAL_RUN.sub(lambda m: _cn_numeral(m.group()), folded)
    compact = re.sub(r"\s", "", folded)
    if re.fullmatch(r"\d{8}", compact):  # 20261128 or 28112026
        as_ymd = _make_date(int(compact[:4]), int(compact[4:6]), int(compact[6:]))
        found = as_ymd or _make_date(int(compact[4:]), int(compact[2:4]), int(compact[:2]))
        return found.isoformat() if found else None
    candidates: list[tuple[int, int, date | None]] = []
    for priority, (pattern, order) in enumerate(_DATE_PATTERNS):
        for match in pattern.finditer(folded):
            candidates.append((match.start(), priority, _date_from_match(match, order)))
    for _, _, found in sorted(candidates, key=lambda c: (c[0], c[1])):
        if found is not None:
            return found.isoformat()
    return None


# ------------------------------------------------------------------------------------------------ numbers

_SPACES = " \u00a0\u202f\u2009\u2007"
_NUMBER_TOKEN = re.compile(r"\d+(?:(?:[.,'’]|[" + _SPACES + r"])\d+)*")
_CANONICAL_NUMBER = re.compile(r"-?\d+(?:\.\d*[1-9])?")


def _join_space_groups(token: str) -> str:
    """Keep space-separated parts only while they are thousands groups: "3 500" → "3500", "12 5" → "12"."""
    parts = re.split("[" + _SPACES + "]", token)
    kept = parts[0]
    if not re.fullmatch(r"[1-9]\d{0,2}", kept):
        return kept
    for part in parts[1:]:
        if not kept.isdigit() or not re.fullmatch(r"\d{3}(?:[.,'’]\d+)*", part):
            break
        kept += part
    return kept


def _valid_thousands(integer_part: str, separator: str) -> bool:
    groups = integer_part.split(separator)
    return (
        1 <= len(groups[0]) <= 3
        and not (len(groups[0]) > 1 and groups[0].startswith("0"))
        and all(len(g) == 3 for g in groups[1:])
    )


def canonical_decimal(value: Decimal) -> str:
    """A decimal as a plain string: no exponent, no trailing fractional zeros ("12.50" → "12.5")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _plain_number(token: str, decimal_separator: str | None) -> str | None:
    """A token of digits and separators (no spaces) → "1234.5" style, or None when the grouping is invalid."""
    token = token.replace("'", "").replace("’", "")  # Swiss-style thousands apostrophes
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        decimal = "." if token.rfind(".") > token.rfind(",") else ","
    elif decimal_separator in {".", ","} and (dots or commas):
        decimal = decimal_separator
    elif dots + commas == 0:
        return token
    elif dots + commas > 1:
        decimal = ""  # a repeated separator only groups thousands
    else:
        separator = "." if dots else ","
        before, after = token.split(separator)
        short_integer = 1 <= len(before) <= 3 and not before.startswith("0")
        decimal = "" if (len(after) == 3 and short_integer) else separator
    thousands = ({".", ","} - {decimal}) if decimal else {".", ","}
    integer_part, _, fraction = token.partition(decimal) if decimal else (token, "", "")
    if decimal and decimal in fraction:
        return None
    if any(sep in fraction for sep in thousands):
        return None
    present = [sep for sep in thousands if sep in integer_part]
    if len(present) > 1 or (present and not _valid_thousands(integer_part, present[0])):
        return None
    digits = integer_part.replace(".", "").replace(",", "")
    return f"{digits}.{fraction}" if fraction else digits


def normalize_number(text: str | None, *, decimal_separator: str | None = None) -> str | None:
    """The first number in ``text`` as a canonical plain decimal ("1250.5", "12000", "-3.25"), or None.

    Currency symbols, codes and units around the number are ignored; full-width digits are read.
    ``decimal_separator`` ("." or ",") settles a lone separator when the document's convention is known.
    """
    if not text:
        return None
    folded = _folded(text).replace("−", "-").replace("，", ",").replace("．", ".")
    match = _NUMBER_TOKEN.search(folded)
    if match is None:
        return None
    token = _join_space_groups(match.group())
    plain = _plain_number(token, decimal_separator)
    if plain is None:
        return None
    start = match.start()
    # A minus counts only when it is not a hyphen inside a code such as "INV-12".
    negative = start > 0 and folded[start - 1] == "-" and (start == 1 or not folded[start - 2].isalnum())
    try:
        value = Decimal(("-" if negative else "") + plain)
    except InvalidOperation:
        return None
    return canonical_decimal(value)


def is_canonical_number(text: str) -> bool:
    """Whether ``text`` is already a canonical plain decimal (so it must not be re-read by the rules)."""
    return bool(_CANONICAL_NUMBER.fullmatch(text))


# ---------------------------------------------------------------------------------------------- currencies

_ISO_CURRENCIES: Final = frozenset(
    {"USD", "CNY", "VND", "EUR", "JPY", "KRW", "THB", "HKD", "SGD"}
) | frozenset(
    {"GBP", "AUD", "LAK", "KHR", "MYR", "IDR", "PHP", "TWD", "CHF", "CAD", "RUB", "INR", "NZD", "MMK"}
)
_CURRENCY_WORDS: Final[list[tuple[str, str]]] = [
    # symbols
    (r"us\s?\$|u\.s\.\s?\$", "USD"),
    (r"hk\$", "HKD"),
    (r"(?<![^\W\d_])s\$", "SGD"),
    (r"(?<![^\W\d_])(?:a|au)\$", "AUD"),
    (r"(?<![^\W\d_])(?:c|ca)\$", "CAD"),
    (r"nt\$", "TWD"),
    (r"\$", "USD"),
    (r"€", "EUR"),
    (r"£", "GBP"),
    (r"cn¥|rmb¥", "CNY"),
    (r"jp¥|円", "JPY"),
    (r"¥", "CNY"),
    (r"₩", "KRW"),
    (r"฿", "THB"),
    (r"₭", "LAK"),
    (r"₫", "VND"),
    # codes and names (Latin script; whole words)
    (r"(?<![^\W\d_])(?:usd|u\.s\.\s?dollars?|us\s?dollars?|american\s+dollars?)(?![^\W\d_])", "USD"),
    (r"(?<![^\W\d_])(?:(?:đô[\s\-]?la|đôla)(?:\s+mỹ)?|đô\s+mỹ)(?![^\W\d_])", "USD"),
    (r"(?<![^\W\d_])dollars?(?![^\W\d_])", "USD"),
    (r"(?<![^\W\d_])(?:hong\s*kong\s+dollars?|đô[\s\-]?la\s+hồng\s*kông)(?![^\W\d_])", "HKD"),
    (r"(?<![^\W\d_])(?:singapore\s+dollars?|đô[\s\-]?la\s+singapore)(?![^\W\d_])", "SGD"),
    (r"(?<![^\W\d_])(?:australian\s+dollars?|đô[\s\-]?la\s+úc)(?![^\W\d_])", "AUD"),
    (r"(?<![^\W\d_])(?:cny|cnh|rmb|yuan|renminbi|chinese\s+yuan|nhân\s+dân\s+tệ|ndt)(?![^\W\d_])", "CNY"),
    (
        r"(?<![^\W\d_])(?:vnd|vnđ|việt\s*nam\s+đồng|đồng\s+việt\s*nam|vietnamese\s+dong|viet\s*nam\s+dong)"
        r"(?![^\W\d_])",
        "VND",
    ),
    (r"(?<=\d)\s*(?:đồng|dong|đ)(?![^\W\d_])", "VND"),
    (r"^\s*(?:đồng|dong|đ)\s*$", "VND"),
    (r"(?<![^\W\d_])(?:euros?|eur)(?![^\W\d_])", "EUR"),
    (r"(?<![^\W\d_])(?:yen|yên\s+nhật|japanese\s+yen)(?![^\W\d_])", "JPY"),
    (r"(?<![^\W\d_])(?:korean\s+won|won\s+hàn\s+quốc)(?![^\W\d_])", "KRW"),
    (r"(?<![^\W\d_])(?:baht|thai\s+baht|bạt(?:\s+thái)?)(?![^\W\d_])", "THB"),
    (r"(?<![^\W\d_])(?:lao\s+kip|kíp(?:\s+lào)?)(?![^\W\d_])", "LAK"),
    (r"(?<![^\W\d_])(?:pounds?\s+sterling|british\s+pounds?|bảng\s+anh)(?![^\W\d_])", "GBP"),
    # Chinese names
    (r"美元|美金|美圆", "USD"),
    (r"人民币|人民幣|元|圆|圓", "CNY"),
    (r"越南盾|越南币|越南幣|越盾|盾", "VND"),
    (r"欧元|歐元", "EUR"),
    (r"日元|日圆", "JPY"),
    (r"港币|港幣|港元", "HKD"),
    (r"泰铢|泰銖", "THB"),
    (r"韩元|韓元", "KRW"),
    (r"新加坡元|新币", "SGD"),
    (r"澳元", "AUD"),
    (r"英镑|英鎊", "GBP"),
    (r"基普", "LAK"),
]
_CURRENCY_PATTERNS: Final = [(re.compile(p), code) for p, code in _CURRENCY_WORDS]
_ISO_TOKEN = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


def normalize_currency(text: str | None) -> str | None:
    """The ISO 4217 code of the first currency named in ``text`` (symbol, code or name), or None."""
    if not text:
        return None
    folded = _folded(text)
    lowered = folded.lower()
    found: list[tuple[int, int, str]] = []
    for pattern, code in _CURRENCY_PATTERNS:
        for match in pattern.finditer(lowered):
            found.append((match.start(), -(match.end() - match.start()), code))
    for match in _ISO_TOKEN.finditer(folded):
        if match.group(1) in _ISO_CURRENCIES:
            found.append((match.start(), -3, match.group(1)))
    if not found:
        return None
    return min(found)[2]


# --------------------------------------------------------------------------------------------------- plates

_VN_SERIES_LETTERS: Final = frozenset("ABCDEFGHKLMNPRSTUVXYZĐ")
_DIGIT_REPAIRS: Final = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8"}
)
_CN_PROVINCES: Final = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_CN_PLATE = re.compile(
    "([" + _CN_PROVINCES + "])([A-HJ-NP-Z])([A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳领试超])"
)
_PLATE_NOISE = re.compile(r"[\s.\-–—·•‧・∙⋅_'\"]")
_PLATE_SPLIT = re.compile(r"[\s/,;:()\[\]|]+")


def _vn_plate(province: str, series: str, number: str) -> str:
    return (
        f"{province}{series}-{number[:3]}.{number[3:]}"
        if len(number) == 5
        else f"{province}{series}-{number}"
    )


def _parse_vn_strict(s: str) -> str | None:
    match = re.fullmatch(r"(\d{2})([A-ZĐ]{1,2})(\d{4,6})", s)
    if not match:
        return None
    province, series, digits = match.groups()
    if int(province) < 11 or any(c not in _VN_SERIES_LETTERS for c in series):
        return None
    if len(digits) == 6:  # motorbike: series digit + five digits
        return _vn_plate(province, series + digits[0], digits[1:])
    return _vn_plate(province, series, digits)


def _parse_vn_repaired(s: str) -> str | None:
    if len(s) < 7:
        return None
    province = s[:2].translate(_DIGIT_REPAIRS)
    if not province.isdigit() or int(province) < 11:
        return None
    rest = s[2:]
    n = 0
    while n < len(rest) and n < 2 and rest[n] in _VN_SERIES_LETTERS:
        n += 1
    series, tail = rest[:n], rest[n:]
    # The number part must start where no series letter could stand: a digit or an excluded letter.
    if not series or not tail or (tail[0] in _VN_SERIES_LETTERS):
        return None
    number = tail.translate(_DIGIT_REPAIRS)
    if not number.isdigit() or len(number) not in (4, 5):
        return None
    return _vn_plate(province, series, number)


def _parse_cn(s: str) -> str | None:
    if not s or s[0] not in _CN_PROVINCES or len(s) < 7:
        return None
    repaired = s[:2] + s[2:].replace("O", "0").replace("I", "1")
    body = repaired[2:]
    # The dot printed after the letter ("桂N·7956挂") read as a 1: one character too many, and not a
    # new-energy plate (D or F first or last of six).
    if body.startswith("1") and (
        re.fullmatch(r"[A-HJ-NP-Z0-9]{5}挂", body)
        or (len(body) == 6 and not re.fullmatch(r"[DF][A-HJ-NP-Z0-9]{5}|[0-9]{5}[DF]", body))
    ):
        repaired = repaired[:2] + body[1:]
    match = _CN_PLATE.fullmatch(repaired)
    return "".join(match.groups()) if match else None


def parse_plate(text: str | None) -> dict[str, str] | None:
    """A plate's parts {"plate", "country" ("VN"|"CN"), "province", "series", "trailer" ("1"|"")} or None."""
    plate = normalize_plate(text)
    if plate is None:
        return None
    if plate[0] in _CN_PROVINCES:
        return {
            "plate": plate,
            "country": "CN",
            "province": plate[:2],
            "series": plate[1],
            "trailer": "1" if plate.endswith("挂") else "",
        }
    head = plate.split("-")[0]
    series = head[2:]
    return {
        "plate": plate,
        "country": "VN",
        "province": head[:2],
        "series": series,
        "trailer": "1" if series == "R" else "",
    }


def _parse_plate_compact(s: str) -> str | None:
    return _parse_cn(s) or _parse_vn_strict(s) or _parse_vn_repaired(s)


def normalize_plate(text: str | None) -> str | None:
    """``12C-123.45``, ``12C-1234``, ``12R-004.56``, ``桂F12345``… from a printed or read plate, or None."""
    if not text:
        return None
    folded = _folded(text).upper()
    whole = _PLATE_NOISE.sub("", folded)
    found = _parse_plate_compact(whole)
    if found:
        return found
    tokens = [t for t in _PLATE_SPLIT.split(folded) if t]
    for start in range(len(tokens)):
        for size in (1, 2, 3, 4):
            if start + size > len(tokens):
                break
            found = _parse_plate_compact(_PLATE_NOISE.sub("", "".join(tokens[start : start + size])))
            if found:
                return found
    return None


# ------------------------------------------------------------------------------------------ codes, dispatch


def is_trailer_plate(plate: str) -> bool:
    """Whether a normalised plate is a trailer's: series R in Viet Nam ("12R-012.34"), 挂 in China."""
    return bool(re.match(r"\d\dR-", plate)) or plate.endswith("挂")


def normalize_hs(text: str | None) -> str:
    """The digits of the first HS code in ``text`` ("0810.90.10" → "08109010"); a letter O between digits is
    read as 0 (HS codes hold nothing else). "" when there is none."""
    if not text:
        return ""
    folded = _folded(text)
    folded = re.sub(r"(?<=[\d.])[Oo](?=[\d.]|$)", "0", folded)
    match = re.search(r"\d+(?:[.\s\-]?\d+)*", folded)
    return re.sub(r"\D", "", match.group()) if match else ""


INCOTERMS: Final = frozenset(
    {
        "EXW",
        "FCA",
        "FAS",
        "FOB",
        "CFR",
        "CIF",
        "CPT",
        "CIP",
        "DAP",
        "DPU",
        "DDP",
        "DAT",
        "DAF",
        "DES",
        "DEQ",
        "DDU",
    }
)
_INCOTERM_ALIASES: Final = {"C&F": "CFR", "CNF": "CFR", "C+F": "CFR", "CANDF": "CFR"}


def normalize_incoterm(text: str | None) -> str | None:
    """The Incoterms rule named in ``text`` ("FOB Pingxiang" → "FOB", "C&F" → "CFR"), or None. Incoterm codes
    hold no digits, so an OCR 0 or 1 inside a 3-letter token is read as O or I ("F0B" → "FOB")."""
    if not text:
        return None
    folded = _folded(text).upper()
    for token in re.findall(r"(?<![A-Z0-9&+])[A-Z0-9&+]{3,5}(?![A-Z0-9&+])", folded):
        if token in _INCOTERM_ALIASES:
            return _INCOTERM_ALIASES[token]
        candidate = token.replace("0", "O").replace("1", "I")
        if candidate in INCOTERMS and not token.isdigit():
            return candidate
    return None


def normalize_field(name: str, text: str | None) -> str | None:
    """The canonical value of field (or line column) ``name`` read as ``text``; None when nothing is left."""
    if text is None:
        return None
    if name in DATE_FIELDS:
        return normalize_date(text)
    if name in NUMBER_FIELDS:
        return normalize_number(text)
    if name in PLATE_FIELDS:
        return normalize_plate(text)
    if name == "currency":
        return normalize_currency(text)
    if name == "hs_code":
        return normalize_hs(text) or None
    if name == "incoterm":
        return normalize_incoterm(text)
    return normalize_text(text) or None
