"""Values found without their label: what a document still tells when a field's label was not read, or is
printed in words no vocabulary knows (a layout never seen, a label lost in a photo's glare).

Each rule here fills a field only when the label rules of ``extract`` found nothing for it, and only from
evidence that holds on any layout: a plate or a currency code by its pattern, the only Incoterms code on an
invoice, totals added up from the line items, the document's date by its place on the page, the invoice
named after the word "invoice", a Form E's origin criterion standing alone in its column. Such values are
never as sure as a labelled one: their confidence stays low so the review page flags them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from langson.border import normalize
from langson.border.extract import (
    COMPANY_MARK,
    NAMED_NUMBER,
    OTHER,
    PATTERN,
    TABLE_TOTALS,
    Found,
    Layout,
    _confidence,
    _gap,
    _id_token,
    _is_total_row,
    _whole_id,
    find_hits,
    parse_value,
    plates_in,
    union_box,
)
from langson.border.ocr import Word, fold, junk_marks, split_phrases
from langson.border.places import cased, gate_name
from langson.border.schema import CMR, COMMERCIAL_INVOICE, FIELDS, FORM_E, PACKING_LIST

# The date that dates each type of document, printed first on its first page. A certificate of origin's
# date of certification is not the first (invoice, departure): it has a rule of its own, by its box's place.
DOCUMENT_DATE = {COMMERCIAL_INVOICE: "invoice_date", PACKING_LIST: "packing_list_date", CMR: "cmr_date"}
INVOICE_WORD = re.compile(r"^(invoices?|inv|hd)$")
# Origin criteria of the ACFTA rules (Form E box 8) a column may hold alone.
CRITERIA = frozenset({"WO", "PE", "CTH", "CTSH", "CC", "PSR", "WP"})
# Units after a figure on a total line: a count of packages, a weight in kilograms.
PACKAGE_UNIT = re.compile(r"件|箱|包|kiện|thùng|bao|cuộn|pkgs?|packages?|ctns?|cartons?|bags?", re.IGNORECASE)
KG_UNIT = re.compile(r"kgs?|kgm|公斤|千克", re.IGNORECASE)
GUESSED = 0.5  # the highest confidence of a value found without its label: below the review threshold


def fill(document_type: str, layout: Layout, found: dict[str, Found]) -> None:
    """Fill in ``found`` the fields of ``document_type`` that the label rules left empty."""
    names = FIELDS[document_type]
    _plates_by_pattern(names, layout, found)
    if "incoterm" in names and "incoterm" not in found:
        _incoterm(layout, found)
    if "currency" in names and "currency" not in found:
        _currency(layout, found)
    _numbers_named_by_their_prefix(names, layout, found)
    if "invoice_number" in names and "invoice_number" not in found:
        _invoice_reference(layout, found)
    if document_type == FORM_E and "invoice_number" not in found:
        _number_beside_its_date(layout, found)
    if "origin_criterion" in names and "origin_criterion" not in found:
        _criterion_in_its_column(layout, found)
    date_name = DOCUMENT_DATE.get(document_type)
    if date_name and date_name not in found:
        _document_date(date_name, layout, found)
    if "issue_date" in names and "issue_date" not in found:
        _certification_date(layout, found)
    if document_type == COMMERCIAL_INVOICE and "seller_name" not in found:
        _letterhead_seller(layout, found)
    if "border_gate" in names and "border_gate" not in found:
        _gate_on_the_route(layout, found)


def totals_stated(document_type: str, layout: Layout, found: dict[str, Found]) -> None:
    """A consignment note's totals stated on its total line with their units ("合计 Total: 973 件 / 19.136,40
    kg", "Tổng cộng: 770 kiện, 15.221 kg"): the figure before a package word is the packages, before kg the
    gross weight. They outrank a figure read under a goods column's heading, which is one line's. A packing
    list's total line may state its packages so too ("TOTAL: 3,276 PACKAGES, GROSS WEIGHT 70,611.40 KGS, NET
    WEIGHT …"); its weights are two, gross and net, which their labels tell apart."""
    if document_type not in (CMR, PACKING_LIST):
        return
    units = [("total_packages", PACKAGE_UNIT)]
    if document_type == CMR:
        units.append(("total_gross_weight_kg", KG_UNIT))
    for row in layout.rows:
        if not _is_total_row(row):
            continue
        words = row.words
        for k, word in enumerate(words):
            # The unit is the next word, or glued to the figure ("864件/", "15.221kg").
            glued = re.fullmatch(r"(\d[\d.,]*?)[.,]?([^\W\d_]+)[.,:;()/]*", word.text)
            if glued:
                figure, unit = glued.groups()
            elif k + 1 < len(words):
                figure, unit = word.text.strip(".,:;()"), words[k + 1].text.strip(".,:;()/")
            else:
                continue
            value = normalize.normalize_number(figure) if re.fullmatch(r"\d[\d.,]*", figure) else None
            if value is None:
                continue
            for name, pattern in units:
                if pattern.fullmatch(unit):
                    found[name] = Found(value, [word], _confidence([word], PATTERN), 100.0)
        packages = found.get("total_packages")
        if document_type == CMR and (packages is None or not any(w in packages.words for w in words)):
            _packages_beside_the_weight(words, found)  # none stated on this line with its unit


def _packages_beside_the_weight(words: list[Word], found: dict[str, Found]) -> None:
    """A total line whose package word was read as junk ("合计 Total: 955 ƒ†/ 37,801.60 kg"): the whole
    number just before the junk and the weight in kg is the packages; a guess, the unit being unread."""
    for k in range(len(words) - 2):
        figure, junk, weight = words[k : k + 3]
        after = words[k + 3].text if k + 3 < len(words) else ""
        kg = re.fullmatch(r"\d[\d.,]*\d", weight.text) and KG_UNIT.fullmatch(after.strip(".,:;()/"))
        glued_kg = re.fullmatch(r"\d[\d.,]*\d(kgs?|KGS?)[.,;]?", weight.text)
        if not re.fullmatch(r"\d[\d.,]*", figure.text) or not junk_marks(junk.text) or not (kg or glued_kg):
            continue
        value = normalize.normalize_number(figure.text)
        if value is not None and "." not in value:
            found["total_packages"] = _guessed(value, [figure])
            return


TOTAL_TOKENS = frozenset({"tong", "cong", "total", "totals", "sum"})
WEIGHT_HEADING = re.compile(r"kg|weight|trong luong|毛重|重量|gross|\bt ?luong\b")
PACKAGES_HEADING = re.compile(r"kien|pkgs|packages|colis|件数|so luong")
VOLUME_HEADING = re.compile(r"m3|volume|the tich|体积|cbm")


def column_totals(document_type: str, layout: Layout, found: dict[str, Found]) -> None:
    """A consignment note's goods lines added up on its total line ("Cộng 2231 54.747,50"): a figure there
    that is the sum of the figures over it in its column is that column's total. The column is told by its
    heading (kiện / packages / 件数, kg / weight / 毛重), else the packages are the one column of whole
    numbers and the gross weight the largest other. The sum is checked arithmetic: it outranks a figure
    found under a heading (one line's), never a total stated with its unit."""
    if document_type not in (CMR, FORM_E):
        return
    rows = layout.rows
    for index, row in enumerate(rows):
        if not TOTAL_TOKENS & set(fold(row.text).split()) and not re.search(r"合计|总计|共计", row.text):
            continue
        sums = [column for word in row.words if (column := _summed_column(rows, index, word))]
        if not sums:
            continue
        if document_type == FORM_E:
            _fob_total(sums, found)
            return
        named: dict[str, tuple[Decimal, Word]] = {}
        unheaded = []  # sums under no heading read, or one no rule knows
        for total, word, heading, parts in sums:
            if VOLUME_HEADING.search(heading):
                continue
            if PACKAGES_HEADING.search(heading) and not WEIGHT_HEADING.search(heading):
                named.setdefault("total_packages", (total, word))
            elif WEIGHT_HEADING.search(heading):
                named.setdefault("total_gross_weight_kg", (total, word))
            else:
                unheaded.append((total, word, heading, parts))
        whole = [s for s in unheaded if all(p == p.to_integral_value() for p in s[3])]
        if "total_packages" not in named and len(whole) == 1:
            named["total_packages"] = (whole[0][0], whole[0][1])
        rest = [s for s in unheaded if s[1] is not named.get("total_packages", (None, None))[1]]
        if "total_gross_weight_kg" not in named and rest and len(sums) >= 2:
            largest = max(rest, key=lambda s: s[0])
            named["total_gross_weight_kg"] = (largest[0], largest[1])
        for name, (total, word) in named.items():
            previous = found.get(name)
            if previous is None or previous.score < 100:
                value = format(total.normalize(), "f")
                found[name] = Found(value, [word], _confidence([word], PATTERN), 90.0)
        return  # a note has one total line: the first whose figures add up


FOB_HEADING = re.compile(r"fob|value|tri gia|gia tri|离岸|金额")


def _fob_total(sums: list[tuple[Decimal, Word, str, list[Decimal]]], found: dict[str, Found]) -> None:
    """A certificate's FOB values added up on its total line, under a value heading and no weight's: the
    total FOB value, which outranks one line's FOB found by the label (a certificate of many lines prints
    "FOB" over each)."""
    values = [s for s in sums if FOB_HEADING.search(s[2]) and not WEIGHT_HEADING.search(s[2])]
    if len(values) != 1:
        return
    total, word, _heading, _parts = values[0]
    previous = found.get("fob_value")
    if previous is None or previous.score < 100:
        found["fob_value"] = Found(format(total.normalize(), "f"), [word], _confidence([word], PATTERN), 90.0)


def _figure_of(word: Word) -> Decimal | None:
    text = word.text.strip(".,:;()/")
    # "54.747/50": a decimal comma read as a slash after groups of thousands.
    text = re.sub(r"^(\d{1,3}(?:[.,]\d{3})+)/(\d{1,2})$", r"\1,\2", text)
    if not re.fullmatch(r"\d[\d.,]*", text):
        return None
    value = normalize.normalize_number(text)
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _summed_column(
    rows: list[Any], index: int, word: Word
) -> tuple[Decimal, Word, str, list[Decimal]] | None:
    """(total, its word, the folded heading over the column, the parts) when ``word`` on the total line at
    ``index`` is the sum of two or more figures over it in its column (lines without a figure there, a
    wrapped description, are passed); None otherwise. The heading is what the three lines over the top
    figure print above the column."""
    total = _figure_of(word)
    if total is None or total < 10:
        return None
    page = rows[index].page
    parts: list[Decimal] = []
    running = Decimal(0)
    top = index
    for k in range(index - 1, max(-1, index - 16), -1):
        above = rows[k]
        if above.page != page:
            break
        figures = [
            f
            for w in above.words
            if w.box[0] < word.box[2] and w.box[2] > word.box[0] and (f := _figure_of(w)) is not None
        ]
        if len(figures) != 1:
            continue
        parts.append(figures[0])
        running += figures[0]
        top = k
        if running >= total:
            break
    if running != total or len(parts) < 2:
        return None
    height = max(1, word.box[3] - word.box[1])
    heading = [
        fold(w.text)
        for above in rows[max(0, top - 3) : top]
        if above.page == page
        for w in above.words
        # A heading is centred over right-aligned figures: its middle a little left of them, or over them.
        if word.box[0] - 2 * height < (w.box[0] + w.box[2]) / 2 < word.box[2] + height
    ]
    return total, word, " ".join(heading), parts


def _guessed(value: str, words: list[Word]) -> Found:
    return Found(value, words, min(GUESSED, _confidence(words, PATTERN)))


def _plates_by_pattern(names: tuple[str, ...], layout: Layout, found: dict[str, Found]) -> None:
    """A tractor's and a trailer's plate by their patterns anywhere (a trailer: series R, or 挂)."""
    missing = [n for n in ("vehicle_plate", "trailer_plate") if n in names and n not in found]
    if not missing:
        return
    plates: list[tuple[str, list[Word]]] = []
    for row in layout.rows:
        plates += [p for p in plates_in(row.words) if all(p[0] != q[0] for q in plates)]
    trailers = [p for p in plates if normalize.is_trailer_plate(p[0])]
    tractors = [p for p in plates if p not in trailers]
    for name, pool in (("vehicle_plate", tractors), ("trailer_plate", trailers)):
        if name in missing and pool:
            value, words = pool[0]
            found[name] = Found(value, words, _confidence(words, PATTERN))


def _letterhead_seller(layout: Layout, found: dict[str, Found]) -> None:
    """An invoice's seller printed as its letterhead, without a label: the first line of the first page when
    it is a company's name ("Công ty TNHH …", "… CO., LTD.", "…有限公司"): an invoice is the seller's
    paper."""
    first = next((row for row in layout.rows if row.page == 1), None)
    if first is None:
        return
    phrase = split_phrases(first.words, _gap(first))[0]
    parsed = parse_value("seller_name", phrase)
    if parsed and COMPANY_MARK.search(fold(parsed[0])):
        found["seller_name"] = _guessed(*parsed)


def _incoterm(layout: Layout, found: dict[str, Found]) -> None:
    """An Incoterms code printed alone ("DAP", "FOB") is the invoice's term when it is the only one shown."""
    codes: dict[str, Word] = {}
    for row in layout.rows:
        for word in row.words:
            text = word.text.strip(".,:;()/")
            code = normalize.normalize_incoterm(text) if re.fullmatch(r"[A-Z&]{3}", text) else None
            if code:
                codes.setdefault(code, word)
    if len(codes) == 1:
        code, word = next(iter(codes.items()))
        found["incoterm"] = _guessed(code, [word])


VIA = frozenset({"qua", "via", "through"})


def _gate_on_the_route(layout: Layout, found: dict[str, Found]) -> None:
    """The border gate named on the route of the goods, after "qua" / "via" and without "cửa khẩu" ("Vận
    chuyển bằng ô tô từ Chi Lăng đến Nam Ninh qua Hữu Nghị.", "via Chi Ma Border Gate"), when the document
    names one such gate. Spelt as the gate is, in the printed case: the OCR's tone slips put right."""
    gates: dict[str, tuple[str, list[Word]]] = {}
    for row in layout.rows:
        words = row.words
        for k, word in enumerate(words[:-1]):
            if word.text.lower() not in VIA:
                continue
            for size in (2, 3):
                named = words[k + 1 : k + 1 + size]
                printed = " ".join(w.text for w in named).strip(",.;:()")
                gate = gate_name(printed.split()) if len(named) == size else None
                if gate is None:
                    continue
                value = cased(gate, printed)
                tail = words[k + 1 + size : k + 3 + size]
                # "… Chi Ma Border Gate": the words of the gate's name as printed go with it.
                if not named[-1].text.endswith((",", ".", ";")) and [fold(w.text) for w in tail] == [
                    "border",
                    "gate",
                ]:
                    value = " ".join([value, *(w.text for w in tail)]).strip(",.;:()")
                    named = [*named, *tail]
                gates.setdefault(fold(gate), (value, named))
                break
    if len(gates) == 1:
        value, named = next(iter(gates.values()))
        found["border_gate"] = _guessed(value, named)


def _currency(layout: Layout, found: dict[str, Found]) -> None:
    for row in layout.rows:
        for word in row.words:
            if re.fullmatch(r"USD|CNY|VND|RMB|US\$|VNĐ|人民币|美元", word.text.strip(".,:;()")):
                code = normalize.normalize_currency(word.text)
                if code:
                    found["currency"] = Found(code, [word], _confidence([word], PATTERN))
                    return


GENERIC_LABEL_SCORE = 10  # a value found only by a generic label ("No.", "Số") scores under this


def _numbers_named_by_their_prefix(names: tuple[str, ...], layout: Layout, found: dict[str, Found]) -> None:
    """A document number whose prefix names its kind ("INV-…", "PL…", "VN-CN …"), the only such number on the
    document, when the label rules found nothing, or only a number under a generic label ("A/C No.: …", a
    bank account, when the invoice's own label was lost in a photo)."""
    for name in ("invoice_number", "packing_list_number", "certificate_number"):
        pattern = NAMED_NUMBER[name]
        if name not in names or (name in found and found[name].score >= GENERIC_LABEL_SCORE):
            continue
        named: dict[str, list[Word]] = {}
        for row in layout.rows:
            for index, word in enumerate(row.words):
                token = _id_token(word.text)
                if token is None:
                    continue
                value, used = _whole_id(row.words, index, token)
                # A certificate's series is printed apart from its number ("VN-CN 26/02/84806").
                if pattern.fullmatch(token) or (name == "certificate_number" and pattern.match(value)):
                    named.setdefault(value, used)
        if len(named) == 1:
            ((value, used),) = named.items()
            found[name] = _guessed(value, used)


def _invoice_reference(layout: Layout, found: dict[str, Found]) -> None:
    """The invoice a document names in words no vocabulary knows ("Inv. ref:", "Theo HĐ số", "发票编码"): the
    first document number within a few words after "invoice", "hóa đơn", "HĐ" or 发票, or else at the start
    of a line under that word (a form's box), never a date or a plate."""
    rows = layout.rows
    for index, row in enumerate(rows):
        folded = [fold(w.text) for w in row.words]
        for k, word in enumerate(row.words):
            pair = " ".join(folded[k : k + 2])
            if not (INVOICE_WORD.search(folded[k]) or pair == "hoa don" or "发票" in word.text):
                continue
            # Where the number may be: the next few words of the line, or the first two words of a line
            # under it that start near the word.
            lines = [(row.words, range(k + 1, min(len(row.words), k + 7)))]
            for below in rows[index + 1 : index + 4]:
                reach = 12 * word.height
                start = next(
                    (j for j, w in enumerate(below.words) if abs(w.box[0] - word.box[0]) < reach), None
                )
                if below.page == row.page and start is not None:
                    lines.append((below.words, range(start, min(len(below.words), start + 2))))
            for words, places in lines:
                for j in places:
                    token = _id_token(words[j].text)
                    if token and not normalize.normalize_date(token) and not normalize.normalize_plate(token):
                        value, used = _whole_id(words, j, token)
                        found["invoice_number"] = _guessed(value, used)
                        return


def _number_beside_its_date(layout: Layout, found: dict[str, Found]) -> None:
    """A Form E's box 10 when its caption was not read: the invoice's number with its date after it, on the
    goods lines ("… 2.343,50 KGS   TTX-2610/0258 2026-10-22"), or under it on the next line ("…
    VTHN26621595" over "… DATED: OCT. 6, 2026"), as the box prints number and date one above the other
    when the number is long. A number of letters and digits (with a hyphen or a slash, or five digits or
    more) that is no plate, date or HS code, the only one so printed on the form; a guess."""
    numbers: dict[str, list[Word]] = {}
    for index, row in enumerate(layout.rows):
        words = row.words
        below = layout.rows[index + 1] if index + 1 < len(layout.rows) else None
        if below is not None and (below.page != row.page or below.top - row.bottom > 1.5 * row.height):
            below = None
        for k, word in enumerate(words):
            token = _id_token(word.text)
            if (
                token is None
                or not re.search(r"[A-Za-z]", token)
                or not (re.search(r"[-/]", token) or len(re.findall(r"\d", token)) >= 5)
                or normalize.normalize_date(token)
                or normalize.normalize_plate(token)
            ):
                continue
            # Under the number: the words of its column and right of it, the date among them.
            under = [w for w in below.words if w.box[2] > word.box[0]] if below is not None else []
            if not _starts_with_a_date(words[k + 1 :]) and not _has_a_date(under):
                continue
            value, used = _whole_id(words, k, token)
            numbers.setdefault(value, used)
    if len(numbers) == 1:
        ((value, used),) = numbers.items()
        found["invoice_number"] = _guessed(value, used)


DATED = frozenset({"date", "dated", "ngay"})


def _starts_with_a_date(words: list[Word]) -> bool:
    """Whether ``words`` begin with a date, of up to three words ("19 JUL 2026"), after a "DATED:"."""
    if words and fold(words[0].text) in DATED:
        words = words[1:]
    texts = [w.text for w in words[:3]]
    return any(normalize.normalize_date(" ".join(texts[:n]).strip(".,;")) for n in range(1, len(texts) + 1))


def _has_a_date(words: list[Word]) -> bool:
    return any(_starts_with_a_date(words[i:]) for i in range(len(words)))


def _criterion_in_its_column(layout: Layout, found: dict[str, Found]) -> None:
    """A Form E's origin criterion when its box's caption was not read: a code standing in a column of its
    own on the goods lines ("… CARTONS OF FRESH   wo   528.90 KGS"), in whatever case the OCR gave it, or
    "RVC" with its percentage; the code most lines show."""
    codes: dict[str, list[Word]] = {}
    for row in layout.rows:
        words = row.words
        apart = 1.5 * max(row.height, 8)
        for k, word in enumerate(words):
            code = word.text.strip(".,;:()\"'").upper()
            alone = (k == 0 or word.box[0] - words[k - 1].box[2] > apart) and (
                k + 1 == len(words) or words[k + 1].box[0] - word.box[2] > apart
            )
            if code in CRITERIA and alone:
                codes.setdefault(code, []).append(word)
            elif code == "RVC" and k + 1 < len(words):
                share = re.fullmatch(r"(\d{2})\s*%", words[k + 1].text.strip(".,;:()"))
                if share:
                    codes.setdefault(f"RVC {share.group(1)}%", []).append(word)
    if codes:
        code, words = max(codes.items(), key=lambda item: len(item[1]))
        found["origin_criterion"] = _guessed(code, words[:1])


def _document_date(name: str, layout: Layout, found: dict[str, Found]) -> None:
    """The first date printed on the first page, leaving out the rows that name another date (contract,
    departure)."""
    dates: list[tuple[str, list[Word]]] = []
    for row in layout.rows:
        if row.page != layout.rows[0].page:
            break
        if find_hits(row, {}, OTHER):
            continue
        parsed = parse_value(name, row.words)
        if parsed:
            dates.append(parsed)
            break
    if dates:
        value, words = dates[0]
        found[name] = _guessed(value, words)


def _certification_date(layout: Layout, found: dict[str, Found]) -> None:
    """A Form E's date of certification with its caption misread: the lowest date in the right half of the
    first page. The official form puts box 12 (certification: "Place and date, signature and stamp of
    certifying authority") bottom right, beside box 11 (the exporter's declaration, with its own date) and
    under the boxes where the departure and invoice dates are printed."""
    first = layout.rows[0].page
    if first not in layout.widths:
        return
    middle = layout.widths[first] / 2
    lowest: tuple[str, list[Word]] | None = None
    for row in (row for row in layout.rows if row.page == first):
        right = [w for w in row.words if w.bbox[0] > middle]
        if right and not find_hits(row, {}, OTHER):
            parsed = parse_value("issue_date", right)
            if parsed:
                lowest = parsed
    if lowest:
        found["issue_date"] = _guessed(*lowest)


def sum_of_items(document_type: str, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Totals added up from the line items, for a total whose label or row was not read: the documents add
    up (``checks`` verifies it where both are printed). Never read, so never sure: the confidence stays
    under the review threshold and the box covers the figures that were added."""
    out: dict[str, dict[str, Any]] = {}
    for column, name in TABLE_TOTALS.get(document_type, {}).items():
        cells = [item.get(column) for item in items]
        if not cells or any(cell is None for cell in cells):
            continue  # a row without the figure: the sum would be wrong
        present = [cell for cell in cells if cell is not None]
        try:
            total = sum((Decimal(cell["value"]) for cell in present), Decimal(0))
        except InvalidOperation:
            continue
        page = present[0]["page"]
        boxes = [cell["bbox"] for cell in present if cell["page"] == page]
        out[name] = {
            "value": normalize.canonical_decimal(total),
            "confidence": round(min(GUESSED, *(cell["confidence"] for cell in present)), 3),
            "bbox": union_box(boxes),
            "page": page,
        }  # fmt: skip
    return out
