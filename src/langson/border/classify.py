"""Which trade document a page is: keyword scores over the words read, titles weighing most.

Every document names itself in its title, in one to three languages ("HÓA ĐƠN THƯƠNG MẠI / COMMERCIAL
INVOICE / 商业发票"); the body mentions other documents too (a packing list cites its invoice, a CMR lists the
documents attached), so a phrase counts more when it is printed large or near the top of the first page.
Nothing scoring means the photo is of something else.
"""

from __future__ import annotations

from langson.border.ocr import PageText, fold, rows
from langson.border.schema import CMR, COMMERCIAL_INVOICE, FORM_E, PACKING_LIST

# Folded phrases (see ocr.fold) naming each document, with their weight. Han phrases are matched as printed.
TITLES: dict[str, dict[str, float]] = {
    COMMERCIAL_INVOICE: {
        "hoa don thuong mai": 3,
        "commercial invoice": 3,
        "商业发票": 3,
        "hoa don xuat khau": 3,
        "hoa don ban hang": 2,
        "export invoice": 3,
        "sales invoice": 2,
        "proforma invoice": 2,
        "出口发票": 3,
        "hoa don": 1,
        "invoice": 1,
        "发票": 1,
    },
    PACKING_LIST: {
        "phieu dong goi": 3,
        "bang ke dong goi": 3,
        "danh sach dong goi": 3,
        "phieu dong goi hang hoa": 3,
        "bang ke chi tiet hang hoa": 2,
        "packing list": 3,
        "装箱单": 3,
        "包装清单": 3,
        "chi tiet dong goi": 3,
        "danh muc dong goi": 3,
        "bang ke hang hoa": 2,
        "packing specification": 3,
        "weight and measurement list": 3,
        "weight list": 2,
        "包装单": 3,
        "包装明细": 3,
        "装箱明细": 3,
        "装箱": 1,
        "packing": 1,
    },
    FORM_E: {
        "form e": 3,
        "certificate of origin": 3,
        "giay chung nhan xuat xu": 3,
        "原产地证书": 3,
        "原产地证明": 3,
        "asean china free trade area": 2,
        "asean china": 1,
        "中国 东盟": 1,
        "东盟": 1,
        "origin criterion": 1,
        "goods consigned from": 1,
        "preferential tariff": 2,
        "mau e": 2,
        "xuat xu hang hoa": 2,
    },
    CMR: {
        "cmr": 3,
        "international consignment note": 3,
        "consignment note": 2,
        "giay gui hang": 3,
        "van don duong bo": 3,
        "van don van tai duong bo": 3,
        "国际公路货物运输": 3,
        "公路运单": 3,
        "运单": 2,
        "国际道路运输": 2,
        "road waybill": 3,
        "waybill": 2,
        "giay van chuyen hang hoa": 3,
        "giay van chuyen": 2,
        "phieu van chuyen": 2,
        "货运单": 2,
        "托运单": 2,
        "运输单": 2,
        "van don": 1,
        "consignment": 1,
    },
}

# A trade document must score at least this much, or it is "something else".
MIN_SCORE = 2.5


def _matches(folded: str, phrase: str) -> int:
    if not phrase.isascii():
        return folded.replace(" ", "").count(phrase.replace(" ", ""))
    padded, needle = f" {folded} ", f" {phrase} "
    found = padded.count(needle)
    if not found and len(phrase) >= 10:
        # Large title letters are often cut into pieces by the OCR ("PAC KI NG LI ST"): match without spaces.
        found = folded.replace(" ", "").count(phrase.replace(" ", ""))
    return found


def scores(pages: list[PageText]) -> dict[str, float]:
    """Each document type's score: matches × weight × prominence (large print, top of the first page)."""
    totals = {doc: 0.0 for doc in TITLES}
    weak_seen: dict[str, int] = {}
    for page in pages:
        page_rows = rows(page)
        if not page_rows:
            continue
        heights = sorted(r.height for r in page_rows)
        median = heights[len(heights) // 2] or 1.0
        top_limit = page_rows[0].top + 0.25 * max(1, page_rows[-1].bottom - page_rows[0].top)
        for row in page_rows:
            folded = fold(row.text)
            prominence = 1.0
            # A title's words are taller than the text beside them (the row's median height is not).
            if max(w.height for w in row.words) > 1.6 * median:
                prominence += 1.5
            if page.page == 1 and row.top <= top_limit:
                prominence += 1.0
            for doc, phrases in TITLES.items():
                matched: set[str] = set()
                # Longest phrases first, so "commercial invoice" is not also counted as "invoice".
                for phrase in sorted(phrases, key=len, reverse=True):
                    if any(phrase in longer for longer in matched):
                        continue
                    count = _matches(folded, phrase)
                    if count:
                        matched.add(phrase)
                        if phrases[phrase] <= 1:
                            # A bare "invoice" is mentioned by every document: it counts twice at most.
                            count = min(count, 2 - weak_seen.get(phrase, 0))
                            weak_seen[phrase] = weak_seen.get(phrase, 0) + max(0, count)
                        totals[doc] += max(0, min(count, 2)) * phrases[phrase] * prominence
    return totals


def classify(pages: list[PageText]) -> tuple[str | None, float]:
    """The best-scoring document type and a confidence 0..1, or (None, 0) when nothing names a document."""
    totals = scores(pages)
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    best, best_score = ranked[0]
    if best_score < MIN_SCORE:
        return None, 0.0
    runner_up = ranked[1][1]
    return best, round(best_score / (best_score + runner_up), 3)
