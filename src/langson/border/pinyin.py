"""Hanyu Pinyin syllables, for the romanised Chinese names of companies and places ("NANNING HUAXIN",
"PINGXIANG YOUYI"). A word of such a name is a run of syllables; the OCR's commonest slips in capitals (an I
read as T, an O as 0, an I as 1) break that, and putting the one slip back makes it a run of syllables again
("HUAXTN" → HUAXIN, "Y0UYT" → YOUYI, "JTNHUA" → JINHUA). ``places`` puts back the known places' names;
this knows any pinyin word, so the names of companies too."""

from __future__ import annotations

import functools
import itertools
import re

# Finals each group of initials takes (a little generous: the aim is to tell "HUAXIN" from "HUAXTN", not to
# check spelling). Syllables without an initial start with a vowel, y or w.
_FINALS = {
    "b p m": "a o e ai ei ao ou an en ang eng i ie iao iu ian in ing u",
    "f": "a o ei ou an en ang eng u",
    "d t": "a e ai ei ao ou an en ang eng ong i ia ie iao iu ian ing u uo ui uan un",
    "n l": "a e ai ei ao ou an en ang eng ong i ia ie iao iu ian in iang ing u uo uan un v ve",
    "g k h": "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "j q x": "i ia ie iao iu ian in iang ing iong u ue uan un",
    "zh ch sh": "a e i ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang",
    "r": "e i ao ou an en ang eng ong u uo ui uan un",
    "z c s": "a e i ai ei ao ou an en ang eng ong u uo ui uan un",
    "y": "a e ao ou an ang i in ing ong u ue uan un",
    "w": "a o ai ei an en ang eng u",
}
SYLLABLES = frozenset(
    initial + final
    for initials, finals in _FINALS.items()
    for initial in initials.split()
    for final in finals.split()
) | {"a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "er"}
VOWEL_START = frozenset("aoe")
SLIPS = {"t": "i", "0": "o", "1": "i"}  # what the OCR read → what was printed
# Letters English words rarely have and pinyin often does: a word is put right only into one with them, so
# that "PORT", "FAST" or "DISTRICT" (runs of syllables with a T read as I: "PORI") stay as printed.
CHINESE_LOOKING = re.compile(r"[XQJY]|ZH|NG")


@functools.lru_cache(maxsize=4096)
def is_pinyin(word: str) -> bool:
    """Whether ``word`` (any case) is a run of pinyin syllables. A syllable starting with a, o or e stands
    only first: inside a word pinyin marks it with an apostrophe ("Xi'an")."""
    word = word.lower()
    if not word.isalpha() or not word.isascii():
        return False

    @functools.cache
    def from_(start: int) -> bool:
        if start == len(word):
            return True
        return any(
            word[start:end] in SYLLABLES and (start == 0 or word[start] not in VOWEL_START) and from_(end)
            for end in range(start + 1, min(len(word), start + 6) + 1)
        )

    return from_(0)


def slips_put_right(word: str) -> str | None:
    """A word of capitals that is no run of syllables but becomes one, and only one, when one or two of the
    OCR's slips (T for I, 0 for O, 1 for I) are put back, and has letters only pinyin has (x, q, j, y, zh,
    ng); None otherwise."""
    if len(word) < 5 or not word.isupper() or is_pinyin(word):
        return None
    places = [i for i, c in enumerate(word.lower()) if c in SLIPS]
    for count in (1, 2):
        found = set()
        for chosen in itertools.combinations(places, count):
            letters = list(word)
            for i in chosen:
                letters[i] = SLIPS[word[i].lower()].upper()
            candidate = "".join(letters)
            if is_pinyin(candidate) and CHINESE_LOOKING.search(candidate):
                found.add(candidate)
        if found:
            return found.pop() if len(found) == 1 else None
    return None
