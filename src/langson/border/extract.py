"""Reading a trade document file into an extraction (the shape of ``border.schema``).

``extract_bytes(data, filename)`` checks the file (size, type by its magic bytes, pixel count, pages), renders
its pages, reads them (``ocr``), decides the document type (``classify``), finds each field by its label in
Vietnamese, English or Chinese (value to the right of the label or below it, checked against the field's
pattern), reads the line items under their table header, normalises every value (``normalize``) and adds the
issues of ``checks.check_document``. Every refusal is an ``ExtractionError`` with a stable ``code`` and a
Vietnamese message.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image

from langson.border import normalize, ocr, pinyin
from langson.border.classify import classify, scores
from langson.border.ocr import PageText, Row, Word, fold
from langson.border.places import cut_place_name, place_names
from langson.border.printed import english_words, printed_text
from langson.border.schema import (
    COMMERCIAL_INVOICE,
    DATE_FIELDS,
    FIELDS,
    LINE_FIELDS,
    NUMBER_FIELDS,
    PACKING_LIST,
    PLATE_FIELDS,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 200-dpi A3 page is 9.7 Mpx, a 50-Mpx phone photo is the largest honest input
MAX_PAGES = 10

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
PDF_MAGIC = b"%PDF-"


class ExtractionError(Exception):
    """A document that cannot be read; ``code`` is stable, ``str(exc)`` the message shown to people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- the file ---------------------------------------------------------------------------------------------


def file_kind(data: bytes) -> str:
    """ "png", "jpeg" or "pdf" from the first bytes (never from the name); ExtractionError otherwise."""
    if not data:
        raise ExtractionError("empty_file", _("Tệp rỗng: không có nội dung để đọc."))
    if data.startswith(PNG_MAGIC):
        return "png"
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    # The PDF header may follow a little junk (the specification allows it within the first kilobyte).
    if PDF_MAGIC in data[:1024]:
        return "pdf"
    raise ExtractionError(
        "unsupported_type", _("Định dạng tệp không được hỗ trợ: chỉ nhận tệp PDF, PNG hoặc JPEG.")
    )


def _check_size(size: int) -> None:
    if size == 0:
        raise ExtractionError("empty_file", _("Tệp rỗng: không có nội dung để đọc."))
    if size > MAX_FILE_BYTES:
        raise ExtractionError(
            "too_large",
            _("Tệp quá lớn (%(size).1f MB); giới hạn là %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024},
        )


def page_images(data: bytes, filename: str = "") -> list[Image.Image]:
    """The page images of a file, exactly those whose pixels the bboxes refer to (PDF at ``PDF_DPI``)."""
    _check_size(len(data))
    kind = file_kind(data)
    too_many_pixels = _("Ảnh có kích thước bất thường (quá %(limit)d triệu điểm ảnh): không đọc.") % {
        "limit": MAX_PIXELS // 1_000_000
    }
    if kind == "pdf":
        import pypdfium2 as pdfium

        try:
            images = ocr.render_pdf(data, max_pages=MAX_PAGES, max_pixels=MAX_PIXELS)
        except OverflowError as exc:
            raise ExtractionError(
                "too_many_pages",
                _("Tệp PDF có %(pages)s trang; mỗi chứng từ tối đa %(limit)d trang.")
                % {"pages": exc.args[0], "limit": MAX_PAGES},
            ) from exc
        except ValueError as exc:
            raise ExtractionError("too_many_pixels", too_many_pixels) from exc
        except pdfium.PdfiumError as exc:
            if "password" in str(exc).lower():
                raise ExtractionError(
                    "encrypted_pdf", _("Tệp PDF được đặt mật khẩu: hãy gửi bản không khóa.")
                ) from exc
            raise ExtractionError("corrupt_pdf", _("Tệp PDF bị hỏng, không mở được.")) from exc
        if not images:
            raise ExtractionError("blank_page", _("Tệp PDF không có trang nào."))
        return images
    try:
        return [ocr.open_image(data, max_pixels=MAX_PIXELS)]
    except (ValueError, Image.DecompressionBombError) as exc:
        raise ExtractionError("too_many_pixels", too_many_pixels) from exc
    except (OSError, SyntaxError) as exc:
        raise ExtractionError("corrupt_image", _("Tệp ảnh bị hỏng, không đọc được.")) from exc


def read_pages(images: list[Image.Image], *, raw: bool = False) -> list[PageText]:
    """OCR of every page: the preprocessed reading, or with ``raw`` plain Tesseract (the baseline)."""
    if not ocr.engines_available():
        raise ExtractionError(
            "ocr_unavailable",
            _("Máy chủ chưa cài Tesseract với tiếng Việt và tiếng Trung (vie, chi_sim): không đọc được."),
        )
    reader = ocr.read_page_raw if raw else ocr.read_page
    return [reader(image, page=number) for number, image in enumerate(images, start=1)]


def extract_bytes(data: bytes, filename: str = "") -> dict[str, Any]:
    """The extraction of one document file; ExtractionError when it cannot be read."""
    images = page_images(data, filename)
    return extract_pages(read_pages(images), head=lambda: ocr.read_head(images[0]))


def extract_file(path: str | Path) -> dict[str, Any]:
    """``extract_bytes`` of a file on disk; its size is checked before a byte of it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExtractionError("not_found", _("Không tìm thấy tệp %(path)s.") % {"path": path}) from exc
    if not path.is_file():
        raise ExtractionError("not_found", _("Không tìm thấy tệp %(path)s.") % {"path": path})
    _check_size(size)
    return extract_bytes(path.read_bytes(), path.name)


# --- vocabularies -------------------------------------------------------------------------------------------
# One line per field: "name: label | label | …". Labels are written folded (see ocr.fold: lower case, no
# diacritics, punctuation as spaces), Han labels as printed. A leading "~" marks a generic label ("No.",
# "Số") that only counts when nothing specific is found; a leading "^" a caption printed under its value
# ("Place and date, signature …"). "_other" names labels of things not extracted: they stop a value and keep
# their words from being read as a field's label ("Contract date" is not the invoice date).

_VOCABULARY = """
[commercial_invoice]
invoice_number: so hoa don | hoa don so | invoice no | invoice number | invoice nr | inv no | 发票号 |
    发票号码 | 发票编号 | so chung tu | ref no | inv ref no | 票据编号 | ~so no | ~so | ~no | ~number |
    ~编号 | ~号码
invoice_date: ngay hoa don | ngay lap hoa don | ngay lap | invoice date | date of invoice | 发票日期 |
    开票日期 | 日期 | ngay | date | dated
seller_name: nguoi ban | ben ban | don vi ban hang | nguoi xuat khau | seller | exporter | shipper |
    vendor | 卖方 | 出口商 | 售货方 | 发货人
buyer_name: nguoi mua | ben mua | don vi mua hang | nguoi nhap khau | buyer | importer | customer |
    bill to | sold to | consignee | 买方 | 进口商 | 购货方 | 收货人
currency: dong tien | loai tien | tien te | loai tien te | don vi tien te | ma tien te | currency | 币种 |
    币别 | 货币
total_amount: tong cong | tong tien | tong tri gia | tong gia tri | tong so tien | cong tien hang |
    total amount | total value | grand total | invoice total | amount due | total | 合计 | 总计 | 总金额 |
    金额合计 | 合计金额 | 总价
incoterm: dieu kien giao hang | dieu kien gia | dieu kien thuong mai | incoterms | incoterm |
    terms of delivery | delivery terms | trade terms | price terms | price term | 价格条款 | 交货条件 |
    贸易术语 | 成交方式
country_of_origin: nuoc xuat xu | xuat xu hang hoa | xuat xu | country of origin | origin of goods |
    origin | made in | 原产国 | 原产地 | 产地
border_gate: cua khau | cua khau xuat | cua khau nhap | cua khau thong quan | border gate |
    border crossing | port of entry | port of exit | clearance gate | via border gate | 口岸 | 边境口岸 |
    出入境口岸 | 通关口岸 | 经由口岸

[packing_list]
packing_list_number: so phieu dong goi | so phieu | so bang ke | packing list no | packing list number |
    p l no | pl no | 装箱单号 | 装箱单编号 | ~so no | ~so | ~no | ~number | ~编号 | ~号码
packing_list_date: ngay lap | ngay phieu | ngay | packing list date | date | 日期 | 装箱日期
invoice_number: so hoa don | hoa don so | kem theo hoa don so | theo hoa don so | invoice no |
    invoice number | invoice nr | inv no | ref invoice | 发票号 | 发票号码 | 发票编号
total_packages: tong so kien | tong so thung | total number of packages | total packages | total package |
    number of packages | total cartons | no of packages | total quantity | 总件数 | 件数合计 | 总箱数
total_gross_weight_kg: tong trong luong ca bi | tong trong luong toan bo | trong luong ca bi |
    total gross weight | gross weight | total g w | 总毛重 | 毛重合计 | 毛重
total_net_weight_kg: tong trong luong tinh | trong luong tinh | total net weight | net weight |
    total n w | 总净重 | 净重合计 | 净重

[certificate_of_origin_form_e]
certificate_number: reference no | reference number | ref no | certificate no | certificate number |
    so tham chieu | so c o | c o no | 证书号 | 证书编号 | ~编号 | ~no
issue_date: ngay cap | date of issue | issue date | issued on | ngay phat hanh | 签发日期 | 签证日期 |
    发证日期 | ^signature and stamp of certifying authority | ^stamp of certifying authority |
    ^certifying authority
exporter_name: goods consigned from | exporter s business name | exporter | nguoi xuat khau |
    ben xuat khau | 出口商 | 出口方 | 发货人
importer_name: goods consigned to | consignee s name | consignee | importer | nguoi nhap khau |
    ben nhap khau | 进口商 | 收货人 | 进口方
vehicle_plate: vehicle number | vehicle no | vehicle s number | truck no | truck number | by truck no |
    by truck | plate no | bien so xe | bien so | so xe | 车牌号 | 车牌 | 车号
origin_criterion: origin criterion | origin criteria | origin conferring criterion | tieu chi xuat xu |
    原产地标准 | criteria | criterion
fob_value: total fob value | total fob | fob value | value fob | tri gia fob | gia tri fob | fob | 离岸价 |
    离岸价格 | fob价
invoice_number: number and date of invoices | number and date of invoice | invoice no | invoice number |
    so va ngay hoa don | so hoa don | 发票号 | 发票号码 | 发票编号 | invoices

[cmr]
cmr_number: cmr no | cmr number | so cmr | cmr so | so van don | consignment note no | note no | 运单号 |
    运单编号 | cmr编号 | ~so no | ~so | ~no | ~number | ~编号
cmr_date: ngay lap | ngay cap | established on | date of issue | issue date | ngay | date | 日期 |
    签发日期 | 填发日期
consignor_name: nguoi gui hang | nguoi gui | ben gui hang | sender | consignor | shipper | 发货人 |
    托运人 | 寄件人
consignee_name: nguoi nhan hang | nguoi nhan | ben nhan hang | consignee | receiver | 收货人 | 收件人
vehicle_plate: bien so xe | bien so dau keo | bien so | bien kiem soat | so xe | xe dau keo |
    vehicle registration | vehicle number | vehicle no | truck plate | truck no | tractor | vehicle |
    registration no | 车牌号 | 车牌 | 车号 | 牵引车
trailer_plate: bien so ro mooc | bien so mooc | ro mooc | so mooc | mooc | trailer plate | trailer no |
    semi trailer | trailer | 挂车号 | 挂车
place_of_loading: noi xep hang | dia diem xep hang | place of loading | place of taking over the goods |
    taking over the goods | loading place | 装货地点 | 装货地 | 起运地 | place and date of taking over |
    taking over | 接货地点 | noi va ngay nhan hang | dia diem va ngay nhan hang | noi nhan hang
place_of_delivery: noi giao hang | dia diem giao hang | noi do hang | place of delivery |
    place designated for delivery | delivery place | 交货地点 | 交货地 | 卸货地点 | 目的地
total_packages: tong so kien | so kien | so luong kien | number of packages | total packages |
    no of packages | 件数 | 总件数 | 包装件数
total_gross_weight_kg: tong trong luong ca bi | trong luong ca bi | trong luong tong | gross weight |
    total gross weight | g w | 毛重 | 总毛重

[*]
_other: dia chi | address | dien thoai | tel | phone | fax | ma so thue | mst | tax code | tax id |
    email | 地址 | 电话 | 传真 | 税号 | so tai khoan | account | account no | a c no | a c | 账号 |
    ngan hang | bank | chu ky | khu kinh te cua khau | border gate economic zone | 口岸经济区 |
    beneficiary bank | beneficiary s bank | ngan hang thu huong | 收款银行 | 开户银行 | 开户行 |
    统一社会信用代码 | 信用代码 | unified social credit code | ma so doanh nghiep |
    signature | 签字 | 盖章 | dai dien | represented by | contract no | contract number | so hop dong |
    hop dong so | ngay hop dong | contract date | hop dong | 合同号 | 合同日期 | payment |
    phuong thuc thanh toan | 付款方式 | shipping marks | ky ma hieu | 唛头 | departure date |
    ngay khoi hanh | page | in words | bang chu | say total | phuong tien van tai | means of transport |
    运输方式 | signature and stamp of the sender | signature and stamp of the carrier |
    chu ky dau nguoi gui | 发货人签章 | 承运人签章 | 签章 | 名称 | 国家 | name address country |
    goods received | 收货人签收 | 发货人指示 | sender s instructions | chi dan cua nguoi gui |
    承运人保留 | carrier s reservations | mau so | ky hieu | so gplx | gplx | giay phep lai xe | so cccd |
    cccd | cmnd | driving licence | driver s licence | 驾驶证 | lien he | nguoi lien he | 联系人 |
    contact person | ghi chu | 备注
"""

# Table headings, as the labels above. "_group" names a heading over a group of columns ("PER PACKAGE" over
# per-package weights): it names no column, and its words cannot be read as one ("PACKAGE" as packages).
COLUMN_VOCABULARY = """
[commercial_invoice]
seq: stt | so tt | tt | no | item | 序号 | 项
description: mo ta hang hoa | mo ta | ten hang | ten hang hoa | hang hoa | description |
    goods description | description of goods | commodity | 品名 | 货物名称 | 货名 | 商品名称 | 描述
hs_code: ma hs | ma so hang hoa | hs code | hs | h s code | tariff code | 税号 | 海关编码 | 商品编码 |
    hs编码
quantity: so luong | quantity | qty | 数量
unit: don vi tinh | dvt | don vi | unit | uom | 单位
unit_price: don gia | unit price | price | 单价
amount: thanh tien | tri gia | amount | total amount | value | 金额 | 总价 | 总额

[packing_list]
seq: stt | so tt | tt | no | item | 序号
marks: ky ma hieu | ky hieu | marks | shipping marks | 唛头 | c/no | carton no | ctn no | 箱号
description: mo ta hang hoa | mo ta | ten hang | ten hang hoa | hang hoa | description |
    goods description | description of goods | commodity | 品名 | 货物名称 | 货名 | 商品名称 | 描述
packages: so kien | so thung | so luong kien | packages | package | pkgs | cartons | ctns | 件数 | 箱数 |
    ~qty | ~quantity | ~so luong | ~数量
kind: bao bi | packing | kind | loai bao bi | 包装
gross_weight_kg: trong luong ca bi | t luong ca bi | tl ca bi | ca bi | gross weight | gross wt | g w |
    gross | 毛重
net_weight_kg: trong luong tinh | t luong tinh | tl tinh | net weight | net wt | n w | net | 净重
volume: the tich | meas | measurement | cbm | 体积
_group: per package | per pkg | each package | moi kien | 每件 | 单件
"""

TOTAL_ROW = ("tong cong", "tong", "cong", "total", "totals", "grand total", "合计", "总计", "共计")


def _parse_vocabulary(text: str) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    section = ""
    logical: list[str] = []
    for raw in text.strip().splitlines():
        if raw.startswith("["):
            section = raw.strip("[] ")
            out[section] = {}
        elif raw.startswith(" ") and logical:
            logical[-1] += " " + raw.strip()
        elif raw.strip():
            logical.append(f"{section}\t{raw.strip()}")
    for entry in logical:
        section, line = entry.split("\t", 1)
        name, _, labels = line.partition(":")
        out[section][name.strip()] = [label.strip() for label in labels.split("|") if label.strip()]
    return out


# More ways the same labels are printed (general usage, not any one layout), and the standard French
# wording of the IRU CMR form ("Expéditeur", "Destinataire" …), which many consignment notes still carry.
_MORE_LABELS = """
[commercial_invoice]
invoice_number: so hd | so hoa don thuong mai | commercial invoice no | invoice ref | 票号 | 发票编码
invoice_date: ngay xuat hoa don | ngay phat hanh | date of issue | issue date | 出票日期
seller_name: ben ban hang | don vi xuat khau | beneficiary | supplier | manufacturer | 供货方 |
    销售方 | 出口方 | 卖方名称
buyer_name: ben mua hang | don vi nhap khau | purchaser | messrs | applicant | 购买方 | 采购方 |
    进口方 | 买方名称
currency: don vi tien | ma tien | 币制 | 货币单位 | 结算币种
total_amount: tong thanh tien | tong cong tien hang | tong gia tri hoa don | total invoice value |
    total invoice amount | 金额总计 | 总值 | 发票总额
incoterm: dieu kien giao hang incoterms | delivery term | terms of sale | 价格条件 | 成交条款
country_of_origin: nuoc san xuat | noi san xuat | country of manufacture | origin country | 生产国 | 原产国别
border_gate: cua khau giao hang | cua khau xuat hang | cua khau nhap hang | 出境口岸 | 入境口岸 | 口岸名称

[packing_list]
packing_list_number: so pl | packing list ref | 装箱单编码 | 包装单号
invoice_number: so hd | commercial invoice no | hoa don thuong mai so | kem theo hoa don thuong mai so |
    发票编码
total_packages: tong so kien hang | tong so bao | tong so cuon | total ctns | total pkgs | 合计件数 | 件数总计
total_gross_weight_kg: tong khoi luong ca bi | khoi luong ca bi | tong kl ca bi | total gross wt |
    gross wt | 毛重总计
total_net_weight_kg: tong khoi luong tinh | khoi luong tinh | tong kl tinh | total net wt | net wt | 净重总计

[certificate_of_origin_form_e]
certificate_number: c o reference no | form e no | 证书编码

[cmr]
cmr_number: so giay gui hang | waybill no | so phieu van chuyen | 运单编码 | lettre de voiture no
cmr_date: lap ngay | etabli le | 填制日期
consignor_name: expediteur | don vi gui hang | 发货单位
consignee_name: destinataire | don vi nhan hang | 收货单位
vehicle_plate: so dang ky xe | registration numbers | registration nos | immatriculation | 车辆号牌
trailer_plate: so ro mooc | 挂车号牌
place_of_loading: lieu de prise en charge | dia diem nhan hang | noi boc hang | 提货地点 | 发运地
place_of_delivery: lieu prevu pour la livraison | noi tra hang | dia diem tra hang | 收货地点 | 到达地
total_packages: nombre de colis | tong so kien hang | 合计件数
total_gross_weight_kg: poids brut | khoi luong ca bi | tong khoi luong | gross wt | 毛重合计
"""


# The key word that any label of a field holds ("Cân cả bì", "Gross wt. kgs", "毛重(公斤)"), as a generic
# label: it names the field when no full label does. On the train consignment notes it also catches labels the
# OCR misread in part ("Gross welght"): gross weight 25 → 30 of 36 right, packages 26 → 29. Not for the
# border gate: "Cửa khẩu" starts its own value ("Cửa khẩu Hữu Nghị").
_KEY_WORDS = """
[commercial_invoice]
country_of_origin: ~origin | ~xuat xu | ~原产

[packing_list]
total_packages: ~packages | ~kien | ~pkgs | ~ctns | ~cartons | ~件数
total_gross_weight_kg: ~gross | ~ca bi | ~毛重
total_net_weight_kg: ~net | ~净重

[cmr]
place_of_loading: ~loading | ~xep hang | ~装货 | ~taking over
place_of_delivery: ~delivery | ~giao hang | ~交货 | ~livraison
total_packages: ~packages | ~kien | ~pkgs | ~colis | ~件数
total_gross_weight_kg: ~gross | ~ca bi | ~毛重 | ~brut
"""


def _with(base: dict[str, dict[str, list[str]]], more: dict[str, dict[str, list[str]]]) -> None:
    for section, fields in more.items():
        for name, labels in fields.items():
            base.setdefault(section, {}).setdefault(name, []).extend(labels)


LABELS = _parse_vocabulary(_VOCABULARY)
_with(LABELS, _parse_vocabulary(_MORE_LABELS))
_with(LABELS, _parse_vocabulary(_KEY_WORDS))
OTHER = LABELS.pop("*")
COLUMNS = _parse_vocabulary(COLUMN_VOCABULARY)
# Every label of every type, as one vocabulary: is this phrase some label at all?
ANY_LABELS = {f"{kind}.{name}": labels for kind, fields in LABELS.items() for name, labels in fields.items()}
_with(
    COLUMNS,
    _parse_vocabulary(
        """
[commercial_invoice]
description: ten hang hoa dich vu | mat hang | product | goods | item description | 货物描述 | 品名规格
hs_code: ma so hs | hs no | 海关编号 | 税则号
quantity: so luong hang | qty | 数量
unit: unit of measure | 计量单位
unit_price: don gia tien | price per unit | 单价
amount: thanh tien tien | total price | line total | 总金额 | 金额

[packing_list]
description: ten hang hoa dich vu | mat hang | goods | 货物描述 | 品名规格
packages: so luong kien | no of pkgs | quantity of packages | so bao
gross_weight_kg: khoi luong ca bi | kl ca bi | trong luong toan bo | g w kg | gw
net_weight_kg: khoi luong tinh | kl tinh | n w kg | nw
"""
    ),
)

ID_FIELDS = frozenset({"invoice_number", "packing_list_number", "certificate_number", "cmr_number"})
NAME_FIELDS = frozenset(
    {"seller_name", "buyer_name", "exporter_name", "importer_name", "consignor_name", "consignee_name"}
)
PLACE_FIELDS = frozenset({"place_of_loading", "place_of_delivery"})
# Fields whose printed value often holds the words of their own label ("Tan Thanh Border Gate").
NAMED_WITH_LABEL = frozenset({"border_gate"})


def _label_words() -> frozenset[str]:
    """Every Latin word of every label and column heading (folded), and every Han label whole: what a
    form's printed captions are made of."""
    words: set[str] = set()
    for vocabulary in (*LABELS.values(), OTHER, *COLUMNS.values()):
        for labels in vocabulary.values():
            for label in labels:
                plain = label.lstrip("~^")
                if plain.isascii():
                    words.update(token for token in plain.split() if len(token) >= 2)
                else:
                    words.add(plain.replace(" ", ""))
    return frozenset(words)


LABEL_WORDS = _label_words()
COMPANY_MARK = re.compile(r"\b(cong ty|tnhh|co phan|jsc|ltd|limited|company|corporation|corp|inc)\b|公司")
_LABEL_WORDS_BY_LENGTH: dict[int, list[str]] = {}
for _word in LABEL_WORDS:
    _LABEL_WORDS_BY_LENGTH.setdefault(len(_word), []).append(_word)


def _caption_like(words: list[Word]) -> bool:
    """Whether a phrase is mostly label words, even misread by a letter ("Nơi gao hàng", "name, coưtry"):
    a box's printed caption, not the name or place written in it. Captions are in sentence case: a
    capitalised word after the first is a proper name ("Cửa khẩu Tân Thanh") and does not count as a label
    word, unless the whole phrase is in capitals."""
    text = _text_of(words)
    folded = fold(text)
    if COMPANY_MARK.search(folded):
        return False  # "Công ty TNHH Thương mại …": a company's name is made of label words too
    if any(re.fullmatch(r"[\d.,]*\d[.,]?\d[\d.,]*", w.text) for w in words[1:]) or (
        words and re.fullmatch(r"\d+(?:[.,]\d+)+|\d{3,}", words[0].text)
    ):
        return False  # "25,455.8 kg": a figure and its unit (a box number "10." or "24" may start a caption)
    capitals = text.isupper()
    tokens: list[tuple[str, bool]] = []  # (folded token, may be a label word)
    for word in words:
        for token in fold(word.text).split():
            if len(token) >= 2 and not token.isdigit():
                proper = not capitals and bool(tokens) and word.text[:1].isupper()
                tokens.append((token, not proper))
    if not tokens:
        return False
    if sum(1 for token, _may in tokens if not token.isascii() and token in LABEL_WORDS) >= 2:
        return True  # "名称、地址、国家": two Han captions are never in a name or a place
    return 2 * sum(1 for token, may in tokens if may and _is_label_word(token)) > len(tokens)


@functools.lru_cache(maxsize=4096)
def _is_label_word(token: str) -> bool:
    """A label word, or one OCR slip from one (``_close``)."""
    if token in LABEL_WORDS:
        return True
    size = len(token)
    return size >= 6 and any(
        _close(token, word)
        for length in (size - 1, size, size + 1)
        for word in _LABEL_WORDS_BY_LENGTH.get(length, ())
    )


NUMERIC_COLUMNS = frozenset(
    {
        "seq",
        "hs_code",
        "quantity",
        "unit_price",
        "amount",
        "packages",
        "gross_weight_kg",
        "net_weight_kg",
        "volume",
    }
)

# Fields whose value has a pattern (a parse can fail): the others take whatever text is there.
TYPED_FIELDS = (
    DATE_FIELDS | NUMBER_FIELDS | PLATE_FIELDS | ID_FIELDS | {"currency", "incoterm", "origin_criterion"}
)

# Certainty of each way of finding a value, multiplied by the OCR confidence of its words.
GLUED, RIGHT, BELOW, ABOVE, PATTERN = 0.97, 0.97, 0.92, 0.85, 0.6


# --- matching labels --------------------------------------------------------------------------------------


def _tokens(words: list[Word]) -> list[tuple[str, int]]:
    """The folded tokens of a row's words, each with the index of its word."""
    out: list[tuple[str, int]] = []
    for index, word in enumerate(words):
        for token in fold(word.text).split():
            out.append((token, index))
    return out


def _close(a: str, b: str) -> bool:
    """Token equality tolerant to one OCR slip in long tokens (two in very long ones)."""
    if a == b:
        return True
    if not a.isascii() or not b.isascii() or min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    return _within_slips(a, b) and not _another_english_word(a, b)


def _another_english_word(read: str, label_word: str) -> bool:
    """Whether what was read is an English word of its own, not ``label_word`` misread: "exported" in a
    Form E's declaration ("…goods exported to VIET NAM") is no "exporter". A plural is the same word."""
    if read.rstrip("s") == label_word.rstrip("s"):
        return False
    return read in english_words()


@functools.lru_cache(maxsize=65536)
def _within_slips(a: str, b: str) -> bool:
    """The edit distance bound of ``_close`` (cached: a page asks for the same pairs of tokens and label
    words over and over, once per row and label)."""
    budget = 1 if len(b) < 10 else 2
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > budget:
            return False
        previous = current
    return previous[-1] <= budget


@dataclass
class Hit:
    """A label found in a row: words ``start``..``end`` (exclusive) of the row are the label."""

    field: str
    row: Row
    start: int
    end: int
    weight: float  # tokens matched (longer labels are more specific); generic labels weigh less
    caption: bool = False
    glued: str = ""  # a value printed in the label's own word ("发票号:INV-1")
    generic: bool = False  # a "~" label ("No.", "Qty"): names the field only when nothing specific does

    @property
    def x0(self) -> int:
        return self.row.words[self.start].box[0]

    @property
    def x1(self) -> int:
        return self.row.words[self.end - 1].box[2]

    @property
    def ends_label(self) -> bool:
        """The label ends with a colon: what follows is a value even if it reads like a label."""
        return self.row.words[self.end - 1].text.endswith((":", "："))


class _RowTokens:
    """A row's folded tokens, with the positions where each label word matches (``_close``) worked out once
    per row: a row is searched for every label of every vocabulary, and labels share their words."""

    def __init__(self, tokens: list[tuple[str, int]]) -> None:
        self.texts = [token for token, _index in tokens]
        self._words = _Lookup(self.texts)
        self._pairs = _Lookup([a + b for a, b in itertools.pairwise(self.texts)])

    def at(self, word: str) -> list[int]:
        """Positions of the tokens close to ``word``, ascending."""
        return self._words.at(word)

    def pairs_at(self, word: str) -> list[int]:
        """Positions of the two-token runs that, glued, are close to ``word``, ascending."""
        return self._pairs.at(word)


class _Lookup:
    """Where in ``texts`` each word is ``_close`` to, remembered. Only ASCII texts of 6 characters or more
    and within one of the word's length can be a slip away; the others must be equal."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self._found: dict[str, list[int]] = {}
        self._by_length: dict[int, list[int]] = {}
        for i, text in enumerate(texts):
            if len(text) >= 6 and text.isascii():
                self._by_length.setdefault(len(text), []).append(i)

    def at(self, word: str) -> list[int]:
        found = self._found.get(word)
        if found is None:
            texts = self.texts
            if len(word) < 6 or not word.isascii():
                found = [i for i, text in enumerate(texts) if text == word]
            else:
                size, by_length = len(word), self._by_length
                near = [*by_length.get(size - 1, ()), *by_length.get(size, ()), *by_length.get(size + 1, ())]
                found = sorted(i for i in near if _close(texts[i], word))
            self._found[word] = found
        return found


def _find(row: _RowTokens, label: str) -> Iterable[tuple[int, int, int]]:
    """(first token, token after the match, size) of each occurrence of ``label`` in the row's tokens."""
    if not label.isascii():
        # A Han label starts its token ("发票号码"); inside a value it is part of a name ("友谊关口岸").
        needle = label.replace(" ", "")
        for position, token in enumerate(row.texts):
            if token.startswith(needle):
                yield position, position + 1, len(needle)
        return
    parts = label.split()
    n = len(parts)
    if n:
        last = len(row.texts) - n
        for position in row.at(parts[0]):
            if position <= last and all(position + k in row.at(parts[k]) for k in range(1, n)):
                yield position, position + n, n
    joined = "".join(parts)
    if n >= 2 and len(joined) >= 4:
        # OCR often drops the space inside a label ("Đơngiá", "MãHS"): match it as one token too.
        for position in row.at(joined):
            yield position, position + 1, n
        if n >= 3:  # …or splits it once ("Sốhóa đơn")
            for position in row.pairs_at(joined):
                yield position, position + 2, n
    elif n == 1 and len(joined) >= 6:
        # A small caption's word the OCR cut in two ("Sell er", "Ex porter").
        for position in row.pairs_at(joined):
            yield position, position + 2, n


def find_hits(
    row: Row,
    vocabulary: dict[str, list[str]],
    other: dict[str, list[str]] | None = None,
    *,
    merge: bool = True,
) -> list[Hit]:
    """The labels of ``vocabulary`` (and ``other``) in a row, longest first, no token used twice; with
    ``merge``, the neighbouring labels of one field merged ("Số hóa đơn (Invoice No.) / 发票号:")."""
    tokens = _tokens(row.words)
    indexed = _RowTokens(tokens)
    candidates: list[tuple[float, int, int, str, str]] = []
    for source in (vocabulary, other or {}):
        for name, labels in source.items():
            for label in labels:
                plain = label.lstrip("~^")
                for first, after, size in _find(indexed, plain):
                    weight = size * (0.3 if label.startswith("~") else 1.0)
                    candidates.append((weight, first, after, name, label))
    used: set[int] = set()
    hits: list[Hit] = []
    for weight, first, after, name, label in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if any(p in used for p in range(first, after)):
            continue
        start_word, end_word = tokens[first][1], tokens[after - 1][1] + 1
        if any(w.text.endswith((":", "：")) for w in row.words[start_word : end_word - 1]):
            continue  # a colon ends a label: "Số: PL-0321" is "Số" and its value, not the label "Số PL"
        used.update(range(first, after))
        glued = ""
        last = row.words[end_word - 1].text
        plain = label.lstrip("~^")
        if re.search(r"[:：]", last):
            glued = re.split(r"[:：]", last, maxsplit=1)[1].strip()
        elif not plain.isascii():
            tail = last.split(plain.replace(" ", ""), 1)
            # Only a code glued to its label ("发票号INV-1"): Han after a Han label is more label ("和日期").
            if len(tail) == 2 and re.search(r"\d", tail[1]):
                glued = tail[1].lstrip("码：:").strip()
        hits.append(
            Hit(name, row, start_word, end_word, weight, label.startswith("^"), glued, label.startswith("~"))
        )
    hits.sort(key=lambda h: h.start)
    merged: list[Hit] = []
    for hit in hits:
        previous = merged[-1] if merged else None
        between = row.words[previous.end : hit.start] if previous is not None else []
        only_punctuation = all(re.fullmatch(r"[\W_]*", w.text) for w in between)
        if previous is not None and previous.ends_label and only_punctuation:
            continue  # sits where the previous label's value is: value text, not a label
        if (
            previous is not None
            and previous.field == "_other" != hit.field
            and not between
            and hit.x0 - previous.x1 < max(row.height, 8)
        ):
            # "ĐẠI DIỆN BÊN GỬI HÀNG", "Chữ ký người gửi": a field's words that end another label (a
            # signature's caption) name no value of that field.
            previous.end = hit.end
            continue
        if merge and previous is not None and previous.field == hit.field and only_punctuation:
            previous.end = hit.end
            previous.weight = max(previous.weight, hit.weight)
            previous.glued = hit.glued
            previous.generic = previous.generic and hit.generic
            continue
        merged.append(hit)
    for hit in merged:
        # A label starts a phrase or follows another label, and often ends with a colon; the same words in
        # a sentence ("carried via the border gate named above") are weaker evidence.
        if hit.start > 0:
            before = row.words[hit.start - 1]
            if _junk(before) or before.text in ("!", "|", "/"):
                before = row.words[max(0, hit.start - 2)] if hit.start >= 2 else before
            gap = row.words[hit.start].box[0] - before.box[2]
            box_number = bool(re.fullmatch(r"\d{1,2}[.)]?", before.text)) and hit.start == 1
            in_sentence = (
                gap < 1.2 * max(row.height, 8)
                and not before.text.endswith((":", "：", "/", ")"))
                and not box_number
            )
            if in_sentence and not any(h.end == hit.start for h in merged):
                hit.weight *= 0.4
        if hit.ends_label:
            hit.weight += 0.5
    return merged


# --- geometry ---------------------------------------------------------------------------------------------


@dataclass
class Layout:
    """The rows of the document and the vertical rules of each page (box and column boundaries)."""

    rows: list[Row]
    rules: dict[int, list[tuple[int, int, int]]]
    hrules: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)
    widths: dict[int, int] = field(default_factory=dict)  # each page image's width (the ``bbox`` frame)

    def hbarrier(self, page: int, y_from: float, y_to: float, x0: float, x1: float) -> bool:
        """Whether a horizontal rule between heights y_from and y_to runs under most of x0..x1."""
        width = max(1.0, x1 - x0)
        # A scanned rule comes in pieces: the pieces at one height add up.
        covered: dict[int, float] = {}
        for y, left, right in self.hrules.get(page, []):
            if y_from < y < y_to:
                height = next((h for h in covered if abs(h - y) <= 3), y)
                covered[height] = covered.get(height, 0.0) + max(0, min(right, x1) - max(left, x0))
        return any(length > 0.5 * width for length in covered.values())

    def barrier(self, page: int, y0: float, y1: float, x_from: float, x_to: float) -> bool:
        """Whether a vertical rule crosses the band y0..y1 between x_from and x_to."""
        lo, hi = min(x_from, x_to), max(x_from, x_to)
        middle = (y0 + y1) / 2
        return any(lo < x < hi and top <= middle <= bottom for x, top, bottom in self.rules.get(page, []))

    def box_edges(self, page: int, y: float, x: float) -> tuple[float, float]:
        """The nearest vertical rules left and right of x at height y (the box or cell x lies in)."""
        left, right = -1e9, 1e9
        for rx, top, bottom in self.rules.get(page, []):
            if top - 4 <= y <= bottom + 4:
                if rx <= x:
                    left = max(left, rx)
                else:
                    right = min(right, rx)
        return left, right


def _gap(row: Row) -> float:
    return 1.6 * max(row.height, 8)


def _text_of(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def _strip_label_tail(words: list[Word]) -> list[Word]:
    """Drop what follows a label before its value: ':' and '/', and a translation in parentheses."""
    index = 0
    while index < len(words):
        text = words[index].text
        if re.fullmatch(r"[:：/\-–|.]+", text):
            index += 1
            continue
        if text.startswith(("(", "（")):
            end = index
            while end < len(words) and end - index < 8 and not re.search(r"[)）]", words[end].text):
                end += 1
            if end < len(words) and end - index < 8:
                index = end + 1
                continue
        break
    return words[index:]


def _is_label_line(words: list[Word]) -> bool:
    """A wrapped label ("(Exporter's business name, address, country)"): parenthesised text without digits."""
    text = _text_of(words).strip()
    return bool(re.fullmatch(r"[(（].*[)）][:：.]?", text)) and not re.search(r"\d", text)


ADDRESS_START = {
    "so",
    "no",
    "km",
    "lo",
    "lot",
    "thon",
    "ap",
    "to",
    "group",
    "khu",
    "zone",
    "room",
    "xa",
    "phuong",
    "duong",
    "road",
    "street",
    "village",
    "hamlet",
    "block",
    "building",
    "floor",
    "tang",
    "quoc",
}
ADDRESS_WORDS = re.compile(
    r"路|号|省|镇|街|区|村|\b(province|commune|ward|district|street|road|tinh|xa|phuong)\b"
)
COMPANY_END = re.compile(
    r"(limited|ltd\.?|co\.?,? ?ltd\.?|company|corporation|corp\.?|jsc|inc\.?|公司|有限公司)$", re.IGNORECASE
)


COMPANY_SUFFIX = re.compile(r"(limited|ltd|co\.|jsc|corp|group|inc)", re.IGNORECASE)


def _address_like(words: list[Word]) -> bool:
    text = _text_of(words)
    folded = fold(text)
    first = folded.split()[0] if folded else ""
    return (
        bool(re.search(r"\d", text))
        or _address_commas(text) >= 2
        or first in ADDRESS_START
        or bool(ADDRESS_WORDS.search(text.lower()))
    )


def _address_commas(text: str) -> int:
    """The commas of a text but those of a legal form ("CO., LTD", "CO,, LTD."), which are no address's."""
    return re.sub(r"\b(co|ltd)\b[.,]*", "", text, flags=re.IGNORECASE).count(",")


def _name_start(layout: Layout, words: list[Word], is_label: Callable[[list[Word]], bool]) -> list[Word]:
    """A name under its caption whose first words lie left of the caption's column ("广西 南宁宏远…", "TAY
    NINH GREEN …" under a caption set further right): the words just before it on its line, a word's space
    apart, with no rule, colon or label between."""
    row = next((r for r in layout.rows if any(w is words[0] for w in r.words)), None)
    if row is None:
        return words
    k = next(i for i, w in enumerate(row.words) if w is words[0])
    out = list(words)
    while k > 0:
        before = row.words[k - 1]
        gap = out[0].box[0] - before.box[2]
        if (
            gap > 1.2 * max(before.height, out[0].height)
            or _junk(before)
            or _speck(before)
            or before.text.endswith((":", "："))
            or layout.barrier(row.page, row.top, row.bottom, before.box[2], out[0].box[0])
            or is_label([before])
        ):
            break
        out.insert(0, before)
        k -= 1
    return out


def _row_of(rows: list[Row], word: Word) -> int | None:
    return next((i for i, r in enumerate(rows) if word in r.words), None)


def _continue_name(layout: Layout, words: list[Word], is_label: Callable[[list[Word]], bool]) -> list[Word]:
    """A company name wrapped over more lines: the aligned lines under it that are neither an address nor a
    label, while the name does not yet end like a company name."""
    rows = layout.rows
    row_index = _row_of(rows, words[0])
    if row_index is None:
        return words
    out = list(words)
    x0 = words[0].box[0]
    last_line = list(words)  # measured on the name's own words: its row may hold taller print beside it
    for below in rows[row_index + 1 : row_index + 4]:
        height = sorted(w.height for w in last_line)[len(last_line) // 2]
        cy = sorted(w.cy for w in last_line)[len(last_line) // 2]
        line = [w for w in below.words if abs(w.box[0] - x0) < 1.2 * height or w.box[0] > x0]
        line = [w for w in line if w.box[0] < out[-1].box[2] + 4 * height]
        if below.page != words[0].page or below.cy - cy > 2.6 * height:
            break
        beside = bool(line) and layout.barrier(
            below.page, below.top, below.bottom, x0 + height, line[0].box[0]
        )
        if not line or (line[0].box[0] - x0 > 1.2 * height and beside):
            continue  # a line of the column (or the ruled box) beside, between two lines of the name
        if abs(line[0].box[0] - x0) > 1.2 * height:
            break
        phrase = ocr.split_phrases(line, _gap(below))[0]
        if sorted(w.cy for w in phrase)[len(phrase) // 2] - cy > 2.3 * height:
            break
        suffix_next = bool(COMPANY_SUFFIX.match(phrase[0].text))
        if COMPANY_END.search(_text_of(out).strip()) and not suffix_next:
            break
        if _legal_form_only(phrase):
            out.extend(phrase)  # "CO., LTD," ends the name: its commas and a 0 for O are no address
            break
        if _address_like(phrase) or is_label(phrase):
            break
        out.extend(phrase)
        last_line = phrase
    return out


def _legal_form_only(words: list[Word]) -> bool:
    """A line of a company's legal form alone ("CO., LTD.", "C0.,LTD,", "LIMITED"), as the OCR reads it."""
    tokens = re.findall(r"[^\W_]+", " ".join(w.text for w in words).upper().replace("0", "O"))
    return bool(tokens) and all(t in ("CO", "LTD", "LIMITED", "JSC", "CORP", "INC") for t in tokens)


def _continue_place(layout: Layout, words: list[Word], is_label: Callable[[list[Word]], bool]) -> list[Word]:
    """A place wrapped in its box: the aligned line under it, while the place so far ends with a comma or
    is Chinese ("Bằng Tường, Quảng Tây," over "Trung Quốc"; "中国广西壮族自治区" over "凭祥市")."""
    rows = layout.rows
    row_index = _row_of(rows, words[0])
    if row_index is None:
        return words
    out = list(words)
    x0 = words[0].box[0]
    for below in rows[row_index + 1 : row_index + 3]:
        han = all(ocr.HAN_RE.search(w.text) for w in out)
        height = sorted(w.height for w in out)[len(out) // 2]
        cy = sorted(w.cy for w in out)[len(out) // 2]
        line = [
            w for w in below.words if w.box[0] > x0 - 1.2 * height and w.box[0] < out[-1].box[2] + 2 * height
        ]
        if below.page != words[0].page or not line or abs(line[0].box[0] - x0) > 1.2 * height:
            break
        # Wrapped after a comma, or inside a place's name ("…, Trung" over "Quốc").
        if not (
            han or out[-1].text.endswith((",", "，", "-", "–")) or cut_place_name(out[-1].text, line[0].text)
        ):
            break
        phrase = ocr.split_phrases(line, _gap(below))[0]
        if sorted(w.cy for w in phrase)[len(phrase) // 2] - cy > 2.3 * height:
            break
        span = (phrase[0].box[0], phrase[-1].box[2])
        if layout.hbarrier(below.page, max(w.box[3] for w in out) - 2, phrase[0].box[1] + 2, *span):
            break
        if (
            is_label(phrase)
            or _caption_like(phrase)
            or (han and not all(ocr.HAN_RE.search(w.text) for w in phrase))
        ):
            break
        out.extend(phrase)
    return out


# --- values -------------------------------------------------------------------------------------------------


def _windows(words: list[Word], sizes: Iterable[int]) -> Iterable[list[Word]]:
    for size in sizes:
        for start in range(0, len(words) - size + 1):
            yield words[start : start + size]


# Letters whose small form is their capital drawn smaller: OCR slips between the two.
SAME_SHAPE = "cosvwxzkp"


# A Vietnamese contract's number names its kind ("27/2026/HĐMB-HL": hợp đồng mua bán; HĐKT, HĐTM, HĐNT,
# HĐVC): it is never the number of an invoice, packing list, certificate or waybill (their label misread, a
# contract's number beside it was taken).
CONTRACT_NUMBER = re.compile(r"(?<![A-Za-z])H[ĐD](?:MB|KT|TM|NT|VC)(?![a-z])", re.IGNORECASE)
# Document numbers that say what they number: "INV-DD-2600528" an invoice, "PL2508744" a packing list, and
# "VN-CN 25/02/23479" a certificate of origin form E (the reference number's prefix on the form).
NAMED_NUMBER = {
    "invoice_number": re.compile(r"INV[-/.]?(?=[A-Z0-9/.\-]*\d{4})[A-Z0-9][A-Z0-9/.\-]{4,}"),
    "packing_list_number": re.compile(r"PL[-/.]?(?=[A-Z0-9/.\-]*\d{4})[A-Z0-9][A-Z0-9/.\-]{4,}"),
    "certificate_number": re.compile(r"VN-CN"),
}


# A Chinese company's unified social credit code (its tax number): 18 characters, never a document's number.
CREDIT_CODE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}")


def _another_documents_number(name: str, token: str) -> bool:
    """Whether a number read near a generic label ("Số", "No.") is certainly not ``name``'s: a plate, a tax
    code, an invoice's number ("INV-…") on a consignment note or a certificate (they list the documents
    attached with their numbers; a packing list may carry its invoice's number as its own), or a
    certificate's ("VN-CN …") elsewhere. "PL…" says less: it may be a company's initials."""
    if normalize.normalize_plate(token) or CREDIT_CODE.fullmatch(token):
        return True
    if DATE_SHAPED.fullmatch(token) and normalize.normalize_date(token):
        return True
    if name in ("cmr_number", "certificate_number") and NAMED_NUMBER["invoice_number"].match(token):
        return True
    return name != "certificate_number" and bool(NAMED_NUMBER["certificate_number"].match(token))


# A date with a four-digit year is no document number ("2026-07-02", "26.06.2026": the date beside it).
DATE_SHAPED = re.compile(r"\d{1,2}[./-]\d{1,2}[./-](19|20)\d\d|(19|20)\d\d[./-]\d{1,2}[./-]\d{1,2}")
# "KL/25/6845" read "KLI25I6845", "XTWLI26/1081": a thin slash read as I, l or |, between a series of
# capitals, a two-digit year and the number (a slash or such a letter between the digits proves the shape).
SLASHES_READ_AS_LETTERS = re.compile(r"([A-Z]{2,})[Il|](\d{2})[Il|/](\d{3,})")


# A month's name misread by one usual slip: l read as i or 1 ("4 Jui 2026"), O read as 0 ("0ct"), D as 0,
# S as 5, g as 9.
MONTH_SLIPS = {
    "jui": "Jul",
    "ju1": "Jul",
    "0ct": "Oct",
    "n0v": "Nov",
    "0ec": "Dec",
    "5ep": "Sep",
    "au9": "Aug",
}


def _month_slips_put_right(text: str) -> str:
    """A date's month name with an OCR slip put right, between a day or year and another figure."""

    def month(match: re.Match[str]) -> str:
        return MONTH_SLIPS.get(match.group(0).lower(), match.group(0))

    return re.sub(r"(?<=\d\s)[A-Za-z0-9]{3}(?=[\s.,]+\d)", month, text)


def _id_token(text: str) -> str | None:
    # A rule's remnant or a speck against the number ("_INV-JHFZ-2500976") is no part of it; a hyphen may be
    # read as a tilde or a dash.
    token = re.sub(r"(?<=\w)[~–—](?=\w)", "-", text.strip(".,;:()[]_|'‘’`"))
    if SLASHES_READ_AS_LETTERS.fullmatch(token):
        token = SLASHES_READ_AS_LETTERS.sub(r"\1/\2/\3", token)
    if len(HAN.findall(token)) > 2:
        return None  # an address and its house number ("广西南宁市江南区星光大道218号"): no document's number
    if re.search(r"\d", token) and re.fullmatch(r"[\w\-/.]+", token) and len(token) >= 4:
        lower = [c for c in token if c.islower()]
        if lower and all(c in SAME_SHAPE for c in lower) and sum(c.isupper() for c in token) >= 2:
            token = token.upper()  # "TTx26605839" in a number of capitals is "TTX26605839"
        return token
    return None


def _whole_id(words: list[Word], index: int, token: str) -> tuple[str, list[Word]]:
    """A document number from its core token ``words[index]``, with the pieces OCR split off it: a series
    printed in front ("CMR 255685", "VN-CN 26/02/84510"; glued to its label: "No.CMR"), a prefix ending in a
    hyphen ("INV-HYJX- 2600660") and a suffix starting with one ("XSSG20261107 -857")."""
    word = words[index]
    used = [word]
    close = 0.6 * word.height
    # Pieces on the right: the token or the next piece ends or starts with a joiner, and they touch.
    for after in words[index + 1 : index + 3]:
        piece = after.text.strip(".,;:()[]")
        if not piece or after.box[0] - used[-1].box[2] > close:
            break
        if not (token.endswith(("-", "/")) or piece.startswith(("-", "/"))):
            break
        if not re.fullmatch(r"[\w\-/.]+", piece):
            break
        token += piece
        used.append(after)
    previous = words[index - 1] if index else None
    gap = word.box[0] - previous.box[2] if previous is not None else 0
    if previous is not None and gap < previous.height:
        text = previous.text
        if re.fullmatch(r"[A-Z0-9]{2,}(?:-[A-Z0-9]+)*-", text):
            return normalize.normalize_text(text + token), [previous, *used]
    # A series printed before the number, a space apart ("CMR 255685", "VN-CN 26/02/16428"; the space may be
    # wide in small capitals).
    if previous is not None and gap < 1.5 * previous.height:
        series = re.fullmatch(r"(?:.*[.:/])?([A-Z][A-Z\-]{1,7})", previous.text)
        if series and series.group(1) not in ("NO", "NR", "REF", "INV") and not token[:1].isalpha():
            return normalize.normalize_text(f"{series.group(1)} {token}"), [previous, *used]
    return normalize.normalize_text(token), used


def _box_number(words: list[Word], index: int) -> bool:
    """The number of a form's box ("7 Số kiện", "11 Gross weight"; "[12 体积" with a rule's remnant): one or
    two digits just before a label's words on the same line, or before the junk a label was read as
    ("12 ##8(m)" for "12 体积(m³)"), not a figure."""
    word = words[index]
    if not re.fullmatch(r"[\[|(]?\d{1,2}", word.text) or index + 1 >= len(words):
        return False
    after = words[index + 1]
    same_line = abs(after.cy - word.cy) < 0.5 * max(1, word.height)
    label = after.text[:1].isalpha() or ocr.junk_marks(after.text)
    return same_line and after.box[0] - word.box[2] < 1.5 * max(1, word.height) and label


DATE_PART_WORDS = frozenset({"ngay", "thang", "nam", "day", "month", "year"})


def _date_part(words: list[Word], index: int) -> bool:
    """A day, month or year of a date in words ("ngày 30 tháng 5 năm 2026", "2026 年"), not a figure."""
    before = fold(words[index - 1].text).strip() if index > 0 else ""
    after = words[index + 1].text if index + 1 < len(words) else ""
    return before in DATE_PART_WORDS or after[:1] in ("年", "月", "日")


def plates_in(words: list[Word]) -> list[tuple[str, list[Word]]]:
    """Every plate in ``words`` once, in reading order of the shortest runs holding them; plates printed
    together ("12C-123.45/12R-012.34") are told apart."""
    plates: list[tuple[str, list[Word]]] = []
    for window in _windows(words, (1, 2, 3)):
        # A comma inside a plate is its misread dot ("12R-808,54"); one before a space parts two plates.
        for piece in re.split(r"[/;()（）]|,\s", _text_of(window)):
            if not re.search(r"\d{2}", piece) or len(piece) > 16:
                continue
            value = normalize.normalize_plate(piece)
            if value and all(value != p[0] for p in plates):
                plates.append((value, window))
    return plates


COUNT_FIELDS = frozenset({"total_packages", "packages"})


def _fits(name: str, value: str) -> bool:
    """Whether a figure can be the value of ``name``: packages are counted in whole numbers ("1988.8" by
    the packages' label is a weight printed beside it)."""
    return name not in COUNT_FIELDS or "." not in value


def parse_value(name: str, words: list[Word]) -> tuple[str, list[Word]] | None:
    """The canonical value of field ``name`` in ``words`` and the words holding it, or None."""
    if not words:
        return None
    if name in DATE_FIELDS:
        for window in _windows(words, (1, 2, 3, 4, 5, 6)):
            value = normalize.normalize_date(_month_slips_put_right(_text_of(window)))
            if value:
                return value, window
        return None
    if name in NUMBER_FIELDS:
        for index, word in enumerate(words):
            text = word.text
            if _box_number(words, index) or _date_part(words, index):
                continue
            if FIGURE_WORD.fullmatch(text.strip()):
                joined, pieces = _figure_pieces(words[index:])
                value = normalize.normalize_number(joined) if len(pieces) > 1 else None
                if value is not None and _fits(name, value):
                    return value, pieces
                value = normalize.normalize_number(text)
                if value is not None and _fits(name, value):
                    return value, [word]
        return None
    if name in PLATE_FIELDS:
        plates = plates_in(words)
        trailers = [p for p in plates if normalize.is_trailer_plate(p[0])]
        tractors = [p for p in plates if p not in trailers]
        # "Xe / Rơ moóc: 12C-123.45 / 12R-012.34": each field takes the plate of its kind only. A trailer's
        # plate (series R, 挂) is never the vehicle's, nor a tractor's the trailer's: one of them was misread.
        preferred = trailers if name == "trailer_plate" else tractors
        return preferred[0] if preferred else None
    if name == "currency":
        for word in words:
            value = normalize.normalize_currency(word.text)
            if value:
                return value, [word]
        return None
    if name == "incoterm":
        for word in words:
            value = normalize.normalize_incoterm(word.text)
            if value:
                return value, [word]
        # Right of its label, a code one letter away from exactly one rule is that rule ("EOB" → "FOB").
        code = words[0].text.strip(".,;:").upper()
        near = [
            rule
            for rule in normalize.INCOTERMS
            if len(code) == 3 and normalize.edit_distance(code, rule) == 1
        ]
        return (near[0], words[:1]) if len(near) == 1 and code.isalpha() else None
    if name == "hs_code":
        for word in words:
            digits = normalize.normalize_hs(word.text)
            if len(digits) >= 6:
                return digits, [word]
        return None
    if name in ID_FIELDS:
        for index, word in enumerate(words[:3]):
            token = _id_token(word.text)
            if token and not CONTRACT_NUMBER.search(token):
                whole = _whole_id(words, index, token)
                if not _another_documents_number(name, whole[0]):
                    return whole
        return None
    if name == "origin_criterion":
        text = _text_of(words).upper()
        match = re.search(r"(?<![A-Z])(WO|PE|CTH|CTSH|CC|PSR|RVC\s*\d{2}\s*%?|RVC|WP)(?![A-Z])", text)
        if match:
            used = [w for w in words if w.text.upper().strip(".,;") in match.group(0).split()] or words[:1]
            return normalize.normalize_text(match.group(0)), used
        return None
    words = [
        w
        for k, w in enumerate(words)
        if not _junk(w)
        or (name in NAME_FIELDS and 0 < k < len(words) - 1 and _unsure_word(w, words[k - 1], words[k + 1]))
    ]
    if not words or words[0].text.lower() in FUNCTION_WORDS or words[0].text.startswith("("):
        return None  # the rest of a label ("of the goods", "(place, country)"), not a value
    if name in PLACE_FIELDS:
        words = _without_date(words)
    if name in NAME_FIELDS:
        # "+ Công ty …", "lầ 崇左市…": a speck or a rule before the name.
        words = _without_specks_at_the_ends(words, tail=False)
        if not words:
            return None
    text = plain_english(printed_text(words).strip(" :;,|/"))
    if name in NAME_FIELDS and not _name_like(words):
        return None
    if name in NAME_FIELDS | PLACE_FIELDS and _caption_like(words):
        return None
    if name in PLACE_FIELDS | {"country_of_origin", "border_gate"}:
        if not _proper_name_like(text) and name in ("country_of_origin", "border_gate"):
            # A name inside a sentence ("… có xuất xứ Trung Quốc, hàng mới 100%, …"): up to its comma.
            printed = printed_text(words).strip(" :;,|/")
            clause = re.split(r"(?<=[^\d\s])[,;.，。]\s", printed + " ", maxsplit=1)[0]
            plain = plain_english(clause)
            if clause != printed and _proper_name_like(plain):
                text, words = plain, words[: len(clause.split())]
        if not _proper_name_like(text):
            return None
        text = _without_full_stop(text)
    value = normalize.normalize_field(name, text)
    return (value, words) if value else None


ABBREVIATION_AT_END = re.compile(
    r"\b(st|rd|ave|dist|prov|co|ltd|inc|corp|jsc|llc|plc|bhd|pte|no|tp|q|p)\.$", re.IGNORECASE
)


def _without_full_stop(text: str) -> str:
    """A name without the full stop of the sentence it ends ("… via Cửa khẩu Tân Thanh.", "Người nhận: Công
    ty TNHH Đông Dương. Địa chỉ: …"), or a speck read as one more ("有限公司. ."); an abbreviation's point
    stays ("Lang Son Prov.", "CO., LTD.")."""
    stripped = re.sub(r"(?:\s*\.)+$", "", text)
    if stripped != text and ABBREVIATION_AT_END.search(stripped + "."):
        return stripped + "."
    return stripped


# Common words of places' names, written in small letters ("Cửa khẩu quốc tế Hữu Nghị", "lối mở", "xã Tân
# Phước, tỉnh Đồng Tháp", "Lang Son province").
PLACE_COMMON_WORDS = frozenset(
    {"khẩu", "quốc", "tế", "chính", "phụ", "song", "phương", "lối", "mở", "border", "gate", "port",
     "crossing", "tỉnh", "thành", "phố", "huyện", "quận", "thị", "xã", "trấn", "phường", "khu", "công",
     "nghiệp", "đường", "số", "ấp", "thôn", "bản", "lộ", "province", "district", "ward", "commune", "city",
     "town", "road", "street", "zone", "park", "industrial", "village", "area"}
)  # fmt: skip


def _proper_name_like(text: str) -> bool:
    """Whether a value can be the name of a country or a border gate: Han script, or Latin words each
    capitalised or in capitals ("Việt Nam", "VIET NAM", "People's Republic of China", "Cửa khẩu quốc tế Hữu
    Nghị" with its common words apart). A Han name read as letters ("rhRl"), the rest of a label ("bàng hóa",
    "Port of ExiUEntry" for "Exit/Entry") or junk ("+") is not."""
    if re.match(r"\d{1,2}[.)]\s", text):
        return False  # "12. Cước phí": the next box's number and caption
    if ocr.HAN_RE.search(text):
        return True
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", text)
    if not words or words[-1].lower() in FUNCTION_WORDS or all(len(w) < 2 for w in words):
        return False  # "County of" (a label cut short), "G"
    proper = [w for w in words if w.lower() not in FUNCTION_WORDS | PLACE_COMMON_WORDS]
    return bool(proper) and all(
        w[0].isupper() and (w[1:].islower() or w.isupper() or len(w) == 1) for w in proper
    )


DATE_CONNECTORS = frozenset({"on", "ngay", "date", "dated", "le", "at", "日期", "-", "–", "/"})


DATE_MONTH = re.compile(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")


HAN_DATE_AT_END = re.compile(r"(.*[\u3400-\u9fff])(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")


def _without_date(words: list[Word]) -> list[Word]:
    """A place without the date printed after it ("Place and date of taking over the goods": "Đồng Đăng,
    Lạng Sơn, 28/11/2026"; "凭祥市2026年11月28日", Chinese printing both without a space), or before it
    ("28/11/2026, Đồng Đăng"), and the word that joins them ("on", "ngày")."""
    glued = HAN_DATE_AT_END.fullmatch(words[-1].text) if words else None
    if glued:
        return [*words[:-1], replace(words[-1], text=glued.group(1))]
    for end in range(1, min(6, len(words) - 1) + 1):
        head = words[:end]
        opens = bool(re.search(r"\d", head[0].text)) or bool(DATE_MONTH.fullmatch(fold(head[0].text).strip()))
        closed = head[-1].text.endswith((",", "，", ":", "-"))
        if opens and closed and normalize.normalize_date(_text_of(head).rstrip(",，:- ")):
            return words[end:]
    for start in range(1, len(words)):
        tail = words[start:]
        # The date starts with its day, its month's name ("Nov 28, 2026") or "ngày" ("ngày 28 tháng 11 năm
        # 2026"), and is all the rest.
        first = fold(tail[0].text).strip()
        opens_date = bool(re.search(r"\d", tail[0].text)) or first == "ngay" or DATE_MONTH.fullmatch(first)
        if len(tail) <= 6 and opens_date and normalize.normalize_date(_text_of(tail)):
            place = words[:start]
            while len(place) > 1 and fold(place[-1].text).strip() in DATE_CONNECTORS | {""}:
                place = place[:-1]
            return place
    return words


# The words of company names in capitals ("… TRADING CO., LTD."), which OCR misreads by a letter or two.
COMPANY_WORDS = (
    "COMPANY", "LIMITED", "TRADING", "TECHNOLOGY", "INTERNATIONAL", "IMPORT", "EXPORT", "JOINT", "STOCK",
    "GROUP", "CORPORATION", "LOGISTICS", "AGRICULTURAL", "MACHINERY", "ELECTRONIC", "EQUIPMENT",
    "MATERIALS", "INDUSTRIAL", "DEVELOPMENT", "INVESTMENT", "MANUFACTURING", "PRODUCTS", "SERVICES",
    "TRANSPORT", "COMMERCIAL", "ENTERPRISE", "VEGETABLE", "TEXTILES", "SUPPLY", "CHAIN", "FOODSTUFF",
    "FRUIT", "FERTILIZER", "FERTILISER", "CHEMICAL",
    # Near forms that are words too, so that neither is "corrected" into the other.
    "AGRICULTURE", "TEXTILE", "ELECTRONICS", "MATERIAL", "PRODUCT", "SERVICE", "GARMENT", "GARMENTS",
    "INDUSTRY", "TRADE", "TRADERS", "MACHINE", "MACHINES", "EQUIPMENTS", "IMPORTS", "EXPORTS",
)  # fmt: skip


# Words of Vietnamese company names, as they are written: the OCR often gets a tone mark wrong on them
# ("Cố phần", "Xuất nhập khấu", "Tỉnh bột"), and none of them has another reading in a company's name.
VIETNAMESE_COMPANY_WORDS = (
    "Công ty", "Cổ phần", "Trách nhiệm hữu hạn", "Một thành viên", "Xuất nhập khẩu", "Xuất khẩu",
    "Nhập khẩu", "Thương mại", "Dịch vụ", "Sản xuất", "Đầu tư", "Phát triển", "Vận tải", "Thực phẩm",
    "Chế biến", "Nông sản", "Nông nghiệp", "Lâm sản", "Thủy sản", "Dệt may", "Trái cây", "Tinh bột",
    "Vật tư", "Thiết bị", "Điện tử", "Xây dựng", "Giao nhận", "Tiếp vận", "Kinh doanh",
)  # fmt: skip
_VIETNAMESE_COMPANY_WORDS = {fold(words): words.split() for words in VIETNAMESE_COMPANY_WORDS}


def vietnamese_company_words(name: str) -> str:
    """A Vietnamese company name ("Công ty …") with the tone marks of its common words put right; each
    word keeps its case."""
    tokens = name.split(" ")
    if not fold(name).startswith("cong ty"):
        return name
    out: list[str] = []
    index = 0
    while index < len(tokens):
        for size in (4, 3, 2):
            window = tokens[index : index + size]
            right = _VIETNAMESE_COMPANY_WORDS.get(fold(" ".join(window))) if len(window) == size else None
            if right is not None and all(w.isalpha() for w in window):
                out.extend(_same_case(r, w) for r, w in zip(right, window, strict=True))
                index += size
                break
        else:
            out.append(tokens[index])
            index += 1
    return " ".join(out)


def _same_case(right: str, printed: str) -> str:
    """``right`` in the case ``printed`` has: all capitals, or its first letter's case."""
    if printed.isupper() and len(printed) > 1:
        return right.upper()
    first = right[0].upper() if printed[0].isupper() else right[0].lower()
    return first + right[1:]


def _company_word(core: str, last: bool) -> str | None:
    """The company word (``COMPANY_WORDS``) a word of capitals is one or two slips from, when exactly one is
    nearest; a name's last word is most likely its legal form ("LTMTTED" → "LIMITED")."""
    if len(core) < 5 or core in COMPANY_WORDS:
        return None
    budget = 2 if last or len(core) >= 8 else 1
    near = sorted(
        (normalize.edit_distance(core, w), w) for w in COMPANY_WORDS if abs(len(w) - len(core)) <= budget
    )
    near = [(d, w) for d, w in near if d <= budget]
    return near[0][1] if near and (len(near) == 1 or near[0][0] < near[1][0]) else None


def _glued_company_words(core: str) -> str | None:
    """Two company words the OCR read without the space between ("COMPANYLIMITED", "COMPANYLIMTED")."""
    for cut in range(5, len(core) - 4):
        first, second = core[:cut], core[cut:]
        if first in COMPANY_WORDS:
            other = second if second in COMPANY_WORDS else _company_word(second, True)
            if other:
                return f"{first} {other}"
    return None


def company_words(name: str) -> str:
    """A company name in capitals with its legal-form words put right ("LTIMTITED" → "LIMITED", "C0." →
    "CO.", "co.," → "CO.,"): only a word at one or two slips from exactly one such word changes. A
    Vietnamese name gets the tone marks of its common words put right (``vietnamese_company_words``)."""
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isascii() for c in letters):
        name = name.replace("，", ",").replace("。", ".")  # chi_sim's full-width stops in a Latin name
    if not letters or not name.isascii() or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return vietnamese_company_words(name)
    # "CO。 LTD." and "CO,， LTD." (above), and "CO. LTD." for "CO., LTD.".
    name = re.sub(r"\.{2,}", ".", name)  # "CO.., LTD.": a speck read as a second dot
    # The dot read as a comma ("CO,,", "CO.,,"), or the comma lost ("CO. LTD").
    name = re.sub(r"\b(C[O0])(?:\.?,,|\.(?= LTD))", r"\1.,", name)
    # "YOUY!" and "TECHNOL.OGY": an I read as "!", a speck read as a dot inside a word of capitals.
    name = re.sub(r"(?<=[A-Z])!(?=[A-Z]|\s|$)", "I", name)
    name = re.sub(r"(?<=[A-Z]{3})\.(?=[A-Z]{3})", "", name)
    out = []
    tokens = name.split(" ")
    for position, token in enumerate(tokens):
        core = token.strip(".,;")
        head, tail = token[: token.find(core)] if core else "", token[token.find(core) + len(core) :]
        upper = core.upper().replace("0", "O")
        if upper in ("CO", "LTD", "JSC") and core != upper:
            out.append(head + upper + tail)
            continue
        if out and out[-1].rstrip(",") == "CO." and re.fullmatch(r"L[TYI1][DO0]", core):
            out.append(head + "LTD" + tail)  # "CO., LTO." / "CO., LYD.": the D or the T misread
            continue
        pinyin_word = pinyin.slips_put_right(core)
        if pinyin_word:
            out.append(head + pinyin_word + tail)  # "NANNING HUAXTN" → HUAXIN, "Y0UYT" → YOUYI
            continue
        if re.fullmatch(r"[A-Z]+[01][A-Z01]*|[01][A-Z]+[A-Z01]*", core):
            core = core.replace("0", "O").replace("1", "I")  # "J0TNT": digits inside a word of capitals
        last = position == len(tokens) - 1
        parts = core.split("-")
        if all(p.isalpha() and p.isupper() for p in parts):
            # "TMPORT-EXPORT": each part of a joined word; "COMPANYLIMTED": two words that lost their space.
            fixed = [_company_word(p, last and k == len(parts) - 1) or p for k, p in enumerate(parts)]
            if len(parts) == 1 and fixed[0] == core:
                fixed = [_glued_company_words(core) or core]
            if fixed != parts:
                out.append(head + "-".join(fixed) + tail)
                continue
        if core in COMPANY_WORDS and tail == "." and position + 1 < len(tokens):
            out.append(head + core)  # "STOCK. COMPANY": a speck read as a stop inside the name
            continue
        out.append(token)
    # Known places again: a word put right above may be one ("GUANGX!I" → "GUANGXII" → "GUANGXI").
    return place_names(" ".join(out))


# The words of a party box's caption ("name, address, country", "signature"): a company's name has none,
# even misread by a letter ("tname sddress", "cowwry").
CAPTION_WORDS = ("name", "address", "country", "signature", "sender", "receiver")


SIGNATURE_HAN = re.compile(r"签章|签字|盖章|签名")
SIGNATURE_WORDS = re.compile(r"^(chop|signature|stamp|seal|sign|签章|签字|盖章|签名)$")


def _signature_caption(row: Row, hit: Hit) -> bool:
    """Whether a party's label is the caption of its signature ("(Seller's chop & signature)", "卖方签章"):
    where the party signs, with no name to read."""
    label = row.words[hit.end - 1].text
    if SIGNATURE_HAN.search(label):
        return True
    after = [fold(w.text).strip("()&,.:; ") for w in row.words[hit.end : hit.end + 3]]
    return any(SIGNATURE_WORDS.match(t) for t in after if t)


# The Han words of a party's role (consignor, consignee, carrier, sender, receiver) and a copy's mark
# ("第一联", copy 1): a caption or an instruction around a name, never in one.
PARTY_CAPTION_HAN = re.compile(r"托运人|收货人|发货人|承运人|寄件人|收件人|第[一二三四五六]联")


def _name_like(words: list[Word]) -> bool:
    """A company's name: two or more real words, or a Han name; not a label's broken pieces."""
    if any(w.text in ("!", "|", "?") for w in words):
        return False
    tokens = [t for w in words for t in fold(w.text).split() if len(t) >= 4]
    if any(normalize.edit_distance(t, c) <= (1 if len(c) <= 6 else 2) for t in tokens for c in CAPTION_WORDS):
        return False
    if any(t in ("chop", "stamp") for w in words for t in fold(w.text).split()):
        return False  # "Exporter's Chop & Signature": where the stamp goes ("shop" stays a word of names)
    if any(w.text.endswith((":", "：")) for w in words[:-1]):
        return False  # "Số HĐ: HL26817952": a label and its value
    if _legal_form_only(words) or re.fullmatch(r"(?:有限)?(?:责任)?公司", "".join(w.text for w in words)):
        return False  # "有限公司", "CO., LTD.": the end of a name the OCR lost the rest of
    text = _text_of(words)
    if PARTY_CAPTION_HAN.search(text):
        return False  # "第一联托运人", "送货到收货人仓库": a copy's mark, a caption, an instruction
    if re.search(r"\d{6}", text.replace(" ", "")):
        return False  # "统一社会信用代码 91451481MA5P3HBY6Q", "+86 771 8592 015": a tax code, a phone number
    if re.search(r"\d+\s*号", text) and "公司" not in text:
        return False  # "广西南宁市青秀区民族大道136号": a street address
    letter_words = [w.text for w in words if re.fullmatch(r"[^\W\d_]{2,}[.,]?", w.text)]
    sentence = bool(letter_words) and _sentence_like(letter_words)
    if len(letter_words) >= 3 and sentence:
        return False  # "Tránh ẩm, không xếp chồng quá 3 tầng / 防潮…": an instruction, in two languages
    folded = fold(text)
    if folded and folded.split()[0] in ADDRESS_START and ADDRESS_WORDS.search(folded):
        return False  # "Khu công nghiệp Phố Nối A. xã Lạc Hồng. tỉnh Hưng Yên": an address
    # A dashed rule reads as a run of "一" (one): no name's characters.
    if any(len(ocr.HAN_RE.findall(w.text.replace("一", ""))) >= 4 for w in words):
        return True
    if plates_in(words):
        return False  # "Tractor: 12C-733.32": the next box's vehicle
    if ".." in text or _address_commas(text) >= 2:
        return False  # "Ngày ... tháng ...": a form's blanks; "Chongzuo, Guangxi, China": an address
    return len(letter_words) >= 2 and not sentence


def _sentence_like(letter_words: list[str]) -> bool:
    """Words of a sentence, not of a name: most of them in small letters and none a company's word ("The
    undersigned hereby declares that…", "is correct."). A name's words are capitalised or in capitals, but
    for the common words of a Vietnamese company's name ("Công ty cổ phần xuất nhập khẩu …")."""
    small = sum(1 for w in letter_words if w[0].islower())
    if 2 * small <= len(letter_words):
        return False
    if any(w.strip(".,:;").upper() in COMPANY_WORDS for w in letter_words):
        return False
    folded = fold(" ".join(letter_words))
    return not any(f" {fold(c)} " in f" {folded} " for c in (*VIETNAMESE_COMPANY_WORDS, "TNHH"))


# Compared as printed (lower case): folded, "của" (of) would also be "Cửa" (the gate).
FUNCTION_WORDS = frozenset(
    {"of", "the", "and", "or", "for", "to", "by", "in", "on", "và", "của", "hoặc", "tại"}
)


def _unsure_word(word: Word, before: Word, after: Word) -> bool:
    """A word read with little confidence that is still a word: letters only, between two sure words of the
    same line ("PHU THỊNH TEXTILE": the marks of "THỊNH" cost the OCR its confidence)."""
    letters = re.fullmatch(r"[^\W\d_]{2,}[.,]{0,2}", word.text) is not None  # "CO.," too
    return letters and not _junk(before) and not _junk(after) and not ocr.GARBAGE_RE.search(word.text)


def _junk(word: Word) -> bool:
    """An OCR reading of a stamp, a signature or an unread script: junk marks, or no confidence at all."""
    return (word.conf < 0.3 and not ocr.HAN_RE.search(word.text)) or bool(ocr.GARBAGE_RE.search(word.text))


ENGLISH_WORDS = frozenset(
    [
        "border",
        "gate",
        "company",
        "limited",
        "trading",
        "import",
        "export",
        "co",
        "ltd",
        "province",
        "road",
        "street",
        "ward",
        "commune",
        "district",
        "village",
        "zone",
        "area",
        "park",
        "industrial",
        "city",
        "town",
        "china",
        "vietnam",
        "and",
        "of",
        "the",
        "fruit",
        "goods",
        "agricultural",
    ]
)
MARKED = re.compile(r"[^\x00-\x7f]")


def plain_english(text: str) -> str:
    """The vie model puts tone marks on English and transliterated words ("Huu Nghì, Lang Son",
    "ĐONG DUONG TRADING"): in a phrase that is mostly unmarked Latin, or holds English words, marks on a
    word are removed. Vietnamese phrases, where most syllables carry marks, are left alone."""
    words = re.findall(r"[^\W\d_]+", text)
    latin = [w for w in words if not HAN.search(w)]
    if len(latin) < 2:
        return text
    marked = [w for w in latin if MARKED.search(w)]
    if not marked:
        return text
    english = sum(1 for w in latin if w.lower() in ENGLISH_WORDS)
    if len(marked) / len(latin) > 0.34 and not english:
        return text
    if english and len(marked) / len(latin) > 0.5:
        return text
    out = []
    for token in re.split(r"(\s+)", text):
        if MARKED.search(token) and not HAN.search(token):
            token = fold_marks(token)
        out.append(token)
    return "".join(out)


HAN = re.compile(r"[\u3400-\u9fff]")


def fold_marks(token: str) -> str:
    token = token.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", token) if unicodedata.category(c) != "Mn")
    )


def _parse_text(name: str, text: str) -> str | None:
    """A value glued to its label inside one OCR word."""
    if name in ID_FIELDS:
        token = _id_token(text.split()[0]) if text.split() else None
        return normalize.normalize_text(token) if token else None
    return normalize.normalize_field(name, text)


# --- fields ------------------------------------------------------------------------------------------------


@dataclass
class Found:
    value: str
    words: list[Word]
    confidence: float
    score: float = 0.0


def union_box(boxes: Iterable[Iterable[float]]) -> list[Any]:
    """The smallest [x0, y0, x1, y1] holding every box."""
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return [min(x0s), min(y0s), max(x1s), max(y1s)]


def _entry(found: Found) -> dict[str, Any]:
    words = found.words
    return {
        "value": found.value,
        "confidence": round(found.confidence, 3),
        "bbox": union_box([w.bbox for w in words]),
        "page": words[0].page,
    }


def _confidence(words: list[Word], certainty: float) -> float:
    mean = sum(w.conf for w in words) / len(words)
    return max(0.0, min(1.0, mean * certainty))


class FieldReader:
    """Finds the fields of one document type in a laid-out document."""

    def __init__(self, document_type: str, layout: Layout, skip_rows: set[int]) -> None:
        self.document_type = document_type
        self.layout = layout
        self.skip_rows = skip_rows
        self.vocabulary = LABELS[document_type]
        self.row_hits = [find_hits(row, self.vocabulary, OTHER) for row in layout.rows]

    def is_label(self, words: list[Word]) -> bool:
        """Whether a phrase starts with a label (of a field or of something else)."""
        if not words:
            return False
        hits = find_hits(Row(words[0].page, words), self.vocabulary, OTHER)
        return any(h.start == 0 and h.weight >= 1 for h in hits)

    def right_of(self, index: int, hit: Hit) -> list[list[Word]]:
        """The phrases right of the label up to the next label or a box rule; the first gap may be wide
        (forms align their values in a column)."""
        row = self.layout.rows[index]
        words = row.words[hit.end :]
        label_text = _text_of(row.words[hit.start : hit.end])
        if label_text.count("(") > label_text.count(")"):
            # The label ended inside its own parenthesis ("(Importer's/Consignee's name, address, …)").
            closing = next((k for k, w in enumerate(words) if ")" in w.text), None)
            words = words[closing + 1 :] if closing is not None else []
        # A translation in parentheses belongs to the label, even with label words in it ("(name, address)").
        words = _strip_label_tail(words)
        # So does a short translation ending in a colon right after it ("起运地 From:", "车牌 Xe / Truck:").
        colon = next((k for k, w in enumerate(words[:4]) if w.text.endswith((":", "："))), None)
        if (
            colon is not None
            and not hit.ends_label
            and all(re.fullmatch(r"[^\W\d_]+[:：]?|/", w.text) for w in words[: colon + 1])
        ):
            words = words[colon + 1 :]
        first = len(row.words) - len(words)
        limit = len(row.words)
        for other in self.row_hits[index]:
            if other.start >= max(first, hit.end):
                between = row.words[hit.end : other.start]
                if other.weight < hit.weight and all(re.fullmatch(r"[\W_]*", w.text) for w in between):
                    # "发票号Invoice No.": a weaker label right after this one is the rest of it.
                    first = max(first, other.end)
                    continue
                if hit.field in NAMED_WITH_LABEL and other.field == hit.field and not other.ends_label:
                    continue  # "Border gate: Tan Thanh Border Gate": the gate's name holds the label's words
                limit = min(limit, other.start)
        if hit.field in NAME_FIELDS and first < limit < len(row.words):
            # "Bên bán (Seller):        Số HĐ (Invoice No.): …": far from this label, a few words glued to
            # the next one are that label's other language, not a name.
            glued = ocr.split_phrases(row.words[first : limit + 1], _gap(row))[-1]
            start = limit + 1 - len(glued)
            if len(glued) >= 2 and limit - start <= 3 and self._far_right(row, hit, row.words[start:]):
                limit = start
        words = row.words[first:limit]
        kept: list[Word] = []
        previous_x = hit.x1
        crossed = 0
        for word in words:
            if word.text in ("|", "||", "¦"):
                break  # the OCR's reading of a cell's rule
            if self.layout.barrier(row.page, row.top, row.bottom, previous_x, word.box[0]):
                # A label alone in a one-line cell has its value in the next cell (ruled label | value
                # tables); a label whose box holds text under it, or with text beside it, ends at the rule.
                first_in_cell = hit.start == 0 or self.layout.barrier(
                    row.page, row.top, row.bottom, row.words[hit.start - 1].box[2], hit.x0
                )
                if not first_in_cell:
                    # Only the label in another script before it ("日期 Date", read "BI Date") in its cell.
                    left, _right = self.layout.box_edges(row.page, row.cy, hit.x0)
                    before = [w for w in row.words[: hit.start] if w.box[0] >= left]
                    first_in_cell = len(before) <= 2 and not any(re.search(r"\d", w.text) for w in before)
                if kept or crossed or not first_in_cell or self.cell_has_text_below(index, hit):
                    break
                crossed += 1
            kept.append(word)
            previous_x = word.box[2]
        if (
            hit.field in NAMED_WITH_LABEL
            and kept
            and not hit.ends_label
            and fold(label_text).split() == ["cua", "khau"]
            and kept[0].box[0] - hit.x1 < 1.2 * max(row.height, 8)
        ):
            # "Cửa khẩu Hữu Nghị" printed as one name (its label unread or on the line above): no colon and
            # a space apart, the words "Cửa khẩu" are the gate's name, not its label.
            kept = [*row.words[hit.start : hit.end], *kept]
        return ocr.split_phrases(kept, _gap(row)) if kept else []

    def phrase_start(self, index: int, hit: Hit) -> int:
        """x where the phrase holding the label starts ("Place and date of taking over the goods")."""
        row = self.layout.rows[index]
        start = hit.start
        while start > 0 and row.words[start].box[0] - row.words[start - 1].box[2] < _gap(row):
            start -= 1
        return row.words[start].box[0]

    def _column(self, index: int, hit: Hit) -> tuple[float, float]:
        row = self.layout.rows[index]
        left, right = self.layout.box_edges(row.page, row.cy, (hit.x0 + hit.x1) / 2)
        x0 = max(left, self.phrase_start(index, hit) - 1.2 * row.height)
        start = self.phrase_start(index, hit)
        end = max(w.box[2] for w in row.words[hit.start :] if w.box[0] < right)
        if right - left < 1e8 and abs((start + end) / 2 - (left + right) / 2) < 0.1 * (right - left):
            x0 = left  # a heading centred in its ruled cell: the value fills the cell, from its left rule
        # Only a label standing apart (another box or column) bounds this one, not the words of its own
        # parenthesis ("(Exporter's business name, address, country)").
        others = [
            h
            for h in self.row_hits[index]
            if h.start >= hit.end
            and h.field != hit.field
            and h.x0 - row.words[h.start - 1].box[2] > 2 * row.height
        ]
        x1 = min([right] + [h.x0 - 0.5 * row.height for h in others])
        if x1 >= 1e8:
            x1 = max(w.box[2] for r in self.layout.rows if r.page == row.page for w in r.words) + 1
        return x0, x1

    def below(self, index: int, hit: Hit, name: str) -> list[tuple[list[Word], int]]:
        """Phrases under the label within its column or box (up to a few rows down), nearest first. The
        label's own box ends at a horizontal rule; past one rule only when the box held nothing (a column
        header above its ruled body)."""
        row = self.layout.rows[index]
        x0, x1 = self._column(index, hit)
        found: list[tuple[list[Word], int]] = []
        crossed = 0
        previous_bottom = float(row.bottom)
        typed = name in TYPED_FIELDS
        label_x = self.phrase_start(index, hit)
        for k in range(index + 1, min(len(self.layout.rows), index + 10)):
            below = self.layout.rows[k]
            if below.page != row.page or below.top - row.bottom > 12 * row.height:
                break
            words = [w for w in below.words if w.box[2] > x0 and w.box[0] < x1]
            if not words:
                continue
            phrases = ocr.split_phrases(words, _gap(below))
            phrase = min(phrases, key=lambda p: abs(p[0].box[0] - label_x))
            span = (min(w.box[0] for w in phrase), max(w.box[2] for w in phrase))
            if self.layout.hbarrier(row.page, previous_bottom - 2, below.top + 2, *span):
                if found or crossed:
                    break
                crossed += 1
                previous_bottom = float(below.bottom)
            previous_bottom = float(below.bottom)
            if _is_label_line(phrase) or _caption_like(phrase):
                continue  # the box's caption on its own line ("名称、地址、国家 name, address, country")
            if (
                not typed
                and len(phrase) == 1
                and len(phrase[0].text) <= 2
                and not ocr.HAN_RE.search(phrase[0].text)
            ):
                continue  # a frame's rounded corner read as "z" or "`": no name, no place
            if not found:
                hits = find_hits(Row(below.page, phrase), self.vocabulary, OTHER)
                labelled = {i for h in hits for i in range(h.start, h.end)}
                rest = [w for i, w in enumerate(phrase) if i not in labelled and re.search(r"\w", w.text)]
                starts = any(h.start == 0 for h in hits)
                # "Cửa khẩu Chi Ma" under "Cửa khẩu xuất": a gate is named with its label's words.
                named = name in NAMED_WITH_LABEL and rest and all(h.field == name for h in hits)
                if (
                    hits
                    and not (named and not _is_label_line(rest))
                    and (
                        not rest
                        or (starts and len(rest) <= 2)
                        or _is_label_line(rest)
                        or rest[0].text.lower() in FUNCTION_WORDS
                    )
                ):
                    continue  # a label's second line ("Sender (name, address, country)")
                first = [h for h in hits if h.start == 0]
                # Another field's label under this one: its value is not below.
                if any(h.field != hit.field and (h.weight >= 2 or h.ends_label) for h in first):
                    break
            if typed and parse_value(name, phrase) is None:
                continue  # a header's further lines ("and value (FOB)", "only when RVC …")
            found.append((phrase, k))
            if len(found) >= 4:
                break
        if name.startswith("total_"):
            # A column header's total is on the total row of its column, further down than its lines.
            total = self.total_below(index, x0, x1)
            if total is not None:
                found = [total] + [f for f in found if f[1] != total[1]]
        return found

    def total_below(self, index: int, x0: float, x1: float) -> tuple[list[Word], int] | None:
        row = self.layout.rows[index]
        for k in range(index + 1, min(len(self.layout.rows), index + 25)):
            below = self.layout.rows[k]
            if below.page != row.page or below.top - row.bottom > 40 * row.height:
                break
            if _is_total_row(below):
                words = [
                    w for w in below.words if w.box[2] > x0 and w.box[0] < x1 and re.search(r"\d", w.text)
                ]
                return (words, k) if words else None
        return None

    def cell_has_text_below(self, index: int, hit: Hit) -> bool:
        """Whether the label's own cell (up to the next horizontal rule) holds text under the label that
        is not another label (a column of labels without rules between them has its values beside it)."""
        row = self.layout.rows[index]
        left, right = self.layout.box_edges(row.page, row.cy, (hit.x0 + hit.x1) / 2)
        for k in range(index + 1, min(len(self.layout.rows), index + 3)):
            below = self.layout.rows[k]
            if below.page != row.page or below.top - row.bottom > 4 * row.height:
                return False
            inside = [(n, w) for n, w in enumerate(below.words) if w.box[0] >= left and w.box[2] <= right]
            if inside:
                x0, x1 = inside[0][1].box[0], inside[-1][1].box[2]
                if self.layout.hbarrier(row.page, row.bottom - 2, below.top + 2, x0, x1):
                    return False
                if any(h.start <= n < h.end for n, _w in inside for h in self.row_hits[k]):
                    return False
                # A label of a field this type does not extract ("收货人 Consignee" on a packing list) is
                # a caption too: the cell above holds a label only.
                words = [w for _n, w in inside]
                return not any(h.start == 0 for h in find_hits(Row(below.page, words), ANY_LABELS))
        return False

    def above(self, index: int, hit: Hit) -> list[tuple[list[Word], int]]:
        """Text over a caption ("Place and date, signature …"): within the caption's box."""
        row = self.layout.rows[index]
        x0, x1 = self.layout.box_edges(row.page, row.cy, (hit.x0 + hit.x1) / 2)
        if x0 < -1e8:
            x0 = hit.x0 - 8 * row.height
        if x1 > 1e8:
            x1 = hit.x1 + 8 * row.height
        found: list[tuple[list[Word], int]] = []
        for k in range(index - 1, max(-1, index - 4), -1):
            above = self.layout.rows[k]
            if above.page != row.page or row.top - above.bottom > 4 * row.height:
                break
            words = [w for w in above.words if w.box[2] > x0 and w.box[0] < x1]
            if words:
                found.append((words, k))
        return found

    def candidates(self, index: int, hit: Hit) -> Iterable[tuple[str, list[Word], float, int]]:
        """(value, words, certainty, rank) of each place the value of ``hit`` may be, best first."""
        name = hit.field
        row = self.layout.rows[index]
        if hit.caption:
            for words, _k in self.above(index, hit):
                parsed = parse_value(name, words)
                if parsed:
                    yield parsed[0], parsed[1], ABOVE, 2
            return
        if name in NAME_FIELDS and _signature_caption(row, hit):
            return
        if hit.glued:
            value = _parse_text(name, hit.glued)
            if value:
                yield value, [row.words[hit.end - 1]], GLUED, 0
        phrases = self.right_of(index, hit)
        typed = name in TYPED_FIELDS
        right = phrases[0] if phrases else []
        if typed and len(phrases) > 1 and len(right) == 1 and not re.search(r"\d", right[0].text):
            # "TOTAL (USD)   USD      62,937.64": a unit or currency apart from the figure.
            right = right + phrases[1]
        if right:
            parsed = parse_value(name, right)
            if parsed and name in ID_FIELDS and len(parsed[1]) == 1 and hit.end > hit.start + 1:
                # "Số CMR 255685": the series the label read as its own last word belongs to the number.
                series = row.words[hit.end - 1]
                if (
                    parsed[1][0] is right[0]
                    and re.fullmatch(r"[A-Z][A-Z\-]{1,7}", series.text)
                    and right[0].box[0] - series.box[2] < series.height
                ):
                    parsed = (normalize.normalize_text(f"{series.text} {parsed[0]}"), [series, *parsed[1]])
            if parsed:
                value, words = parsed
                if name in NAME_FIELDS:
                    words = _continue_name(self.layout, words, self.is_label)
                    value = normalize.normalize_text(plain_english(printed_text(words)))
                elif name in PLACE_FIELDS:
                    value, words = self._whole_place(name, value, words)
                yield value, words, RIGHT, 0
        if phrases and hit.ends_label and len(phrases[0]) >= 3 and not self._far_right(row, hit, phrases[0]):
            return  # "Label: some text" that is not this field's value: the value is not below either
        for rank, (words, _k) in enumerate(self.below(index, hit, name)):
            parsed = parse_value(name, words)
            if parsed:
                value, used = parsed
                if name in NAME_FIELDS:
                    used = _continue_name(
                        self.layout, _name_start(self.layout, used, self.is_label), self.is_label
                    )
                    value = normalize.normalize_text(plain_english(printed_text(used)))
                elif name in PLACE_FIELDS:
                    value, used = self._whole_place(name, value, used)
                yield value, used, BELOW, 1 + rank
            elif not typed:
                break  # free text: only the first line under the label

    @staticmethod
    def _far_right(row: Row, hit: Hit, phrase: list[Word]) -> bool:
        """Whether a phrase lies far right of its label, in the page's other column ("Bên bán (Seller):
        … Số HĐ: HL-2512/0407"): another thing's text, which leaves the label's value under the label."""
        return phrase[0].box[0] - hit.x1 > 6 * max(row.height, 8)

    def _whole_place(self, name: str, value: str, words: list[Word]) -> tuple[str, list[Word]]:
        longer = _continue_place(self.layout, words, self.is_label)
        parsed = parse_value(name, longer) if len(longer) > len(words) else None
        return parsed if parsed else (value, words)

    def _date_of_other(self, index: int, hit: Hit) -> bool:
        """A bare "ngày" / "date" in the phrase of another thing's label dates that thing: "Hợp đồng số
        12/2026 ngày 01/10/2026", "Contract No. 12 dated …" name the contract's date, not the invoice's."""
        if hit.field not in DATE_FIELDS or hit.end - hit.start > 1:
            return False
        row, x0 = self.layout.rows[index], self.phrase_start(index, hit)
        return any(
            h.field == "_other" and h.start < hit.start and row.words[h.start].box[0] >= x0
            for h in self.row_hits[index]
        )

    def read(self) -> dict[str, Found]:
        found: dict[str, Found] = {}
        for index, hits in enumerate(self.row_hits):
            if index in self.skip_rows:
                continue
            for hit in hits:
                if hit.field == "_other" or self._date_of_other(index, hit):
                    continue
                for value, words, certainty, rank in self.candidates(index, hit):
                    confidence = _confidence(words, certainty)
                    score = hit.weight * 10 - rank * 2 + confidence
                    previous = found.get(hit.field)
                    if previous is None or _better(hit.field, value, score, previous):
                        found[hit.field] = Found(value, words, confidence, score)
                    break
        return found


TOTAL_FIELDS = frozenset(
    {"total_amount", "total_packages", "total_gross_weight_kg", "total_net_weight_kg", "fob_value"}
)


def _better(name: str, value: str, score: float, previous: Found) -> bool:
    """Whether a value beats the one found before: a better label and place; for a total, among values
    found about as well ("FOB" after each line, and under a "TOTAL FOB" the OCR misread), the largest, as a
    total is at least each part it adds up."""
    if name in TOTAL_FIELDS and abs(previous.score - score) <= 3.5:
        try:
            return Decimal(value) > Decimal(previous.value)
        except InvalidOperation:
            return False
    return score > previous.score


# --- line items ---------------------------------------------------------------------------------------------


@dataclass
class Column:
    name: str
    x0: float
    x1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Table:
    header_rows: list[int]
    columns: list[Column]
    item_rows: list[int]
    total_row: int | None


WEIGHT_COLUMNS = frozenset({"gross_weight_kg", "net_weight_kg"})


def _header_spans(row: Row, vocabulary: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    spans: dict[str, tuple[float, float]] = {}
    strength: dict[str, float] = {}
    # Headings side by side are columns of their own, even two of one field ("Số lượng | Số kiện").
    hits = find_hits(row, vocabulary, merge=False)
    # A generic heading ("Qty" on a packing list) names the column only when no specific one does.
    specific = {hit.field for hit in hits if not hit.generic}
    for hit in hits:
        if (hit.generic and hit.field in specific) or hit.field == "_group":
            continue  # "Per package" / "Mỗi kiện" heads a group of columns: its words name none of them
        x0, x1 = hit.x0, hit.x1
        old = spans.get(hit.field)
        if old and x0 - old[1] > 2 * max(row.height, 8):
            # One field headed twice far apart. Weights per package, then per line ("N.W. | G.W. | N.W. |
            # G.W." under "Each" and "Total"): the line's own is printed last, as an amount after a price.
            # Elsewhere the stronger heading names the column ("Pkgs" over a "Per package" heading above two).
            if hit.field in WEIGHT_COLUMNS or hit.weight > strength[hit.field]:
                spans[hit.field] = (x0, x1)
                strength[hit.field] = hit.weight
        else:
            spans[hit.field] = (min(old[0], x0), max(old[1], x1)) if old else (x0, x1)
            strength[hit.field] = max(strength.get(hit.field, 0.0), hit.weight)
    return spans


# A table's closing line may open with the count of its lines ("Số mặt hàng / Items: 7 … TỔNG CỘNG").
ITEM_COUNT = re.compile(r"(so mat hang|so dong hang|number of items|items|品种数|项数)(?![a-z])")


def _is_total_row(row: Row) -> bool:
    head = " ".join(fold(_text_of(row.words[:4])).split()[:4])
    return (
        any(f" {t} " in f" {head} " for t in TOTAL_ROW if t.isascii())
        or bool(re.search(r"合计|总计|共计", row.text))
        or bool(ITEM_COUNT.match(head))
    )


def _total_label_under(rows: list[Row], index: int) -> bool:
    """Whether a bare total label ("TOTAL", no figure) is read on the row just under row ``index``,
    overlapping it or within half its height: the lower half of a total label stacked beside the figures."""
    if index + 1 >= len(rows):
        return False
    row, under = rows[index], rows[index + 1]
    return (
        under.page == row.page
        and under.top < row.bottom + 0.5 * row.height
        and _is_total_row(under)
        and not re.search(r"\d", under.text)
        and bool(re.search(r"\d", row.text))
    )


def _named_otherwise(span: tuple[float, float], name: str, headings: dict[str, tuple[float, float]]) -> bool:
    """Whether another field of ``headings`` lies over the middle of ``span``."""
    middle = (span[0] + span[1]) / 2
    return any(other != name and x0 <= middle <= x1 for other, (x0, x1) in headings.items())


def _add_headings(
    spans: dict[str, tuple[float, float]], more: dict[str, tuple[float, float]], line_height: float
) -> None:
    """``more`` headings (of another line of the header) into ``spans``: one column's heading lines are
    joined; a weight headed on two lines far apart ("净重" per package on one, "N.W." under "Total" on the
    next) keeps the later column, the line's own (see ``_header_spans``)."""
    for name, (x0, x1) in more.items():
        old = spans.get(name)
        if old is None:
            spans[name] = (x0, x1)
        elif max(x0 - old[1], old[0] - x1) > 2 * max(line_height, 8):
            # Two columns, not one heading on two lines: a weight keeps the later; another field the one the
            # other line does not name otherwise ("Số thùng" over "C/No.", carton numbers, and "Số kiện"
            # over "Pkgs": the packages are the second). Joined, the span covered the columns between.
            if name in WEIGHT_COLUMNS or _named_otherwise(old, name, more):
                spans[name] = max(old, (x0, x1))
        else:
            spans[name] = (min(old[0], x0), max(old[1], x1))


def _group_heading(
    above: dict[str, tuple[float, float]], spans: dict[str, tuple[float, float]], line_height: float
) -> bool:
    """Whether a line over a header heads a group of its columns ("Trị giá / Value (CNY)" over "Đơn giá"
    and "Thành tiền"): it names a column the header names, but is not centred over it."""
    slack = max(line_height, 8)
    return any(
        name in spans and not spans[name][0] - slack <= (x0 + x1) / 2 <= spans[name][1] + slack
        for name, (x0, x1) in above.items()
    )


def find_tables(document_type: str, layout: Layout) -> list[Table]:
    """The line-item tables (one per page when a table continues): a header naming at least three of the
    wanted columns, the rows under it down to the total row."""
    vocabulary = COLUMNS.get(document_type)
    if not vocabulary:
        return []
    rows = layout.rows
    wanted = set(LINE_FIELDS[document_type])
    spans_of = [_header_spans(row, vocabulary) for row in rows]
    tables: list[Table] = []
    claimed: set[int] = set()
    for header in range(len(rows)):
        if header in claimed or len(wanted & set(spans_of[header])) < 2:
            continue
        header_rows = [header]
        spans = dict(spans_of[header])
        # Bilingual headers are stacked on two or three lines: merge the lines under it that name columns
        # (two of them, or one on a line just under it with no figure: "U/Price  Amount" of a three-line
        # header), and a line just above it naming one ("单价" at the top of a three-line heading).
        for neighbour in range(header + 1, min(len(rows), header + 3)):
            gap = rows[neighbour].top - rows[header_rows[-1]].bottom
            named = len(spans_of[neighbour])
            heading_line = (
                named >= 1 and gap < rows[header].height and not re.search(r"\d", rows[neighbour].text)
            )
            if (
                rows[neighbour].page == rows[header].page
                and gap < 1.5 * rows[header].height
                and (named >= 2 or heading_line)
            ):
                header_rows.append(neighbour)
                _add_headings(spans, spans_of[neighbour], rows[header].height)
        above = header - 1
        if (
            above >= 0
            and above not in claimed
            and rows[above].page == rows[header].page
            and spans_of[above]
            and rows[header].top - rows[above].bottom < rows[header].height
            and not re.search(r"\d", rows[above].text)
            and not _group_heading(spans_of[above], spans, rows[header].height)
        ):
            header_rows.insert(0, above)
            _add_headings(spans, spans_of[above], rows[header].height)
        if len(wanted & set(spans)) < 3 and not _header_like(rows, header_rows, spans):
            continue
        page = rows[header].page
        items: list[int] = []
        leading: list[int] = []
        total_row: int | None = None
        skipped = 0
        row_h = rows[header].height
        previous_bottom = rows[header_rows[-1]].bottom
        for index in range(header_rows[-1] + 1, len(rows)):
            row = rows[index]
            if row.page != page or row.top - previous_bottom > 6 * row_h:
                break
            if _is_total_row(row):
                total_row = index
                break
            if items and _total_label_under(rows, index):
                # "合计 / TOTAL" stacked beside the totals, the OCR's rows cut apart: the figures' row is the
                # total row, and a piece of its label read just above it (合计 as "2t") is no item.
                total_row = index
                while items and rows[items[-1]].bottom > row.top:
                    items.pop()
                break
            if len(set(spans_of[index]) & wanted) >= 3:
                break
            if not re.search(r"\d", row.text) and not items:
                # More header (a line the OCR put apart), or a blank-ish line before the first item.
                skipped += 1
                if skipped > 4:
                    break
                extra = spans_of[index]
                if extra:
                    header_rows.append(index)
                    _add_headings(spans, extra, rows[header].height)
                    leading = []
                else:
                    leading.append(index)  # maybe the first item's description, above its figures
                continue
            if not items:
                items.extend(leading)
            items.append(index)
            previous_bottom = row.bottom
        claimed.update(header_rows)
        claimed.update(items)
        columns = _columns(spans, layout, rows, header_rows)
        if "description" in wanted and not any(c.name == "description" for c in columns):
            _name_description(columns, layout, items)
        _name_figures(document_type, columns, layout, items)
        tables.append(Table(header_rows, columns, items, total_row))
    return tables


def _header_like(rows: list[Row], header_rows: list[int], spans: dict[str, tuple[float, float]]) -> bool:
    """A header naming only two wanted columns is a table's still when it reads like one: two more headings
    no vocabulary knows, no figure among them, and figures in two columns on the first line with figures
    under it."""
    header = [rows[index] for index in header_rows]
    if len(_unnamed_spans(header, spans)) < 2 or any(_is_numeric([w]) for row in header for w in row.words):
        return False
    # The first line with figures within the next three (a tall first row may start with words only).
    for below in range(header_rows[-1] + 1, min(len(rows), header_rows[-1] + 4)):
        if rows[below].page != header[0].page:
            return False
        words = [w for w in rows[below].words if not JUNK.fullmatch(w.text)]
        phrases = ocr.split_phrases(words, 0.9 * max(rows[below].height, 8))
        numeric = sum(1 for phrase in phrases if _is_numeric(phrase))
        if numeric:
            return numeric >= 2
    return False


def _unnamed_spans(rows: list[Row], spans: dict[str, tuple[float, float]]) -> list[tuple[float, float]]:
    """The header's headings that no vocabulary names ("Mô tả chi tiết", "Specification"): columns still,
    so that their figures and words are not pushed into a named neighbour."""
    unnamed: list[tuple[float, float]] = []
    for row in rows:
        words = [w for w in row.words if not JUNK.fullmatch(w.text)]
        for phrase in ocr.split_phrases(words, 0.9 * max(row.height, 8)):
            x0, x1 = float(phrase[0].box[0]), float(phrase[-1].box[2])
            # A heading over a named one ("6.W(KGS)" misread, over "毛重"): the same column in another
            # language when it covers most of the named heading.
            named = any(
                a <= (w.box[0] + w.box[2]) / 2 <= b for w in phrase for a, b in spans.values()
            ) or any(min(x1, b) - max(x0, a) >= 0.5 * (b - a) for a, b in spans.values())
            if named or not any(re.search(r"[^\W\d_]", w.text) for w in phrase):
                continue
            twin = next((k for k, (a, b) in enumerate(unnamed) if min(b, x1) - max(a, x0) > 0), None)
            if twin is None:
                unnamed.append((x0, x1))
            else:
                a, b = unnamed[twin]
                unnamed[twin] = (min(a, x0), max(b, x1))
    return unnamed


def _cells_by_column(row: Row, columns: list[Column], layout: Layout) -> dict[int, list[Word]]:
    """A row's cells by column index: a named column's cell, and each unnamed column's words (those the
    cells put under "other", each to the unnamed column nearest it: figures are aligned right, their
    headings centred or left)."""
    cells = _cells(row, columns, layout)
    out: dict[int, list[Word]] = {}
    unnamed = [k for k, column in enumerate(columns) if column.name == "other"]
    for number, column in enumerate(columns):
        if column.name != "other" and column.name in cells:
            out[number] = cells[column.name]
    for word in cells.get("other", []) if unnamed else []:
        cx = (word.box[0] + word.box[2]) / 2
        nearest = min(unnamed, key=lambda k: max(0.0, columns[k].x0 - cx, cx - columns[k].x1))
        out.setdefault(nearest, []).append(word)
    return out


def _figures_by_column(columns: list[Column], layout: Layout, items: list[int]) -> list[dict[str, Decimal]]:
    """Each item row's figures by column: named columns by name, unnamed ones as "other#k"."""
    out: list[dict[str, Decimal]] = []
    for index in items:
        figures: dict[str, Decimal] = {}
        for number, words in _cells_by_column(layout.rows[index], columns, layout).items():
            name = columns[number].name
            key = name if name != "other" else f"other#{number}"
            value = normalize.normalize_number(_text_of(words)) if _is_numeric(words) else None
            if value is not None:
                figures[key] = Decimal(value)
        out.append(figures)
    return out


def _enough(holding: int, rows: int) -> bool:
    """Whether a relation among a row's figures holds on enough rows to name a column: two rows (one in a
    one-line table) and a third of them. A product or an order that holds by chance is rare; a misread
    figure on the other rows is not."""
    return holding >= min(2, rows) and holding * 3 >= rows


def _name_figures(document_type: str, columns: list[Column], layout: Layout, items: list[int]) -> None:
    """A figure column whose heading no vocabulary knows, named by what its figures do on every row where
    they can be checked: on an invoice, the one (or two) of quantity × unit price = amount missing; on a
    packing list, the gross weight (at least the net on each row) or the net weight (at most the gross), and
    the packages (whole numbers on every row that are not the row numbers)."""
    names = {c.name for c in columns}
    # ``holds(row, keys)``: the relation holds on a row when the figures of the missing fields are read from
    # the unnamed columns ``keys`` gives them.
    if document_type == COMMERCIAL_INVOICE:
        trio = ("quantity", "unit_price", "amount")
        missing = [n for n in trio if n not in names]

        def holds(row: dict[str, Decimal], keys: dict[str, str]) -> bool:
            q, p, a = (row.get(keys.get(n, n)) for n in trio)
            return q is not None and p is not None and a is not None and a > 0 and _close_enough(q * p, a)

    elif document_type == PACKING_LIST:
        pair = ("gross_weight_kg", "net_weight_kg")
        missing = [n for n in pair if n not in names]

        def holds(row: dict[str, Decimal], keys: dict[str, str]) -> bool:
            gross, net = (row.get(keys.get(n, n)) for n in pair)
            return gross is not None and net is not None and net > 0 and net <= gross <= 2 * net

    else:
        return
    if not items:
        return
    rows = _figures_by_column(columns, layout, items)
    # One missing field, or an invoice's two (both headings misread): the one assignment of unnamed columns
    # that makes the relation hold on enough rows. Quantity and unit price both missing fit either way
    # round: the quantity is the one on the left, as every invoice's table prints them.
    if len(missing) == 1 or (document_type == COMMERCIAL_INVOICE and len(missing) == 2):
        others = [number for number, column in enumerate(columns) if column.name == "other"]
        assignments = [
            (chosen, {name: f"other#{k}" for name, k in zip(missing, chosen, strict=True)})
            for chosen in itertools.permutations(others, len(missing))
        ]
        holding = [(chosen, sum(holds(row, keys) for row in rows)) for chosen, keys in assignments]
        fitting = [chosen for chosen, count in holding if _enough(count, len(rows))]
        if missing == ["quantity", "unit_price"] and len(fitting) == 2 and fitting[0] == fitting[1][::-1]:
            fitting = [min(fitting, key=lambda chosen: columns[chosen[0]].x0 - columns[chosen[1]].x0)]
        if len(fitting) == 1:
            for number, name in zip(fitting[0], missing, strict=True):
                columns[number] = Column(name, columns[number].x0, columns[number].x1)
    if document_type == PACKING_LIST and "packages" not in {c.name for c in columns}:
        # Counts of packages: whole numbers on (nearly) every row, not the row numbers 1, 2, 3 …
        counts = []
        for number, column in enumerate(columns):
            figures = [row.get(f"other#{number}") for row in rows]
            whole = [f for f in figures if f is not None and f > 0 and f == f.to_integral_value()]
            numbered = whole == list(range(1, len(whole) + 1))
            with_figures = sum(1 for row in rows if row)
            if column.name == "other" and len(whole) >= max(1, 0.8 * with_figures) and not numbered:
                counts.append(number)
        if len(counts) == 1:
            column = columns[counts[0]]
            columns[counts[0]] = Column("packages", column.x0, column.x1)


def _name_description(columns: list[Column], layout: Layout, items: list[int]) -> None:
    """A table whose description heading no vocabulary knows: the unnamed column holding words (not
    figures) on most item rows is the description; of several, the one whose rows differ most (an origin
    or a unit repeats, the goods do not), then the one with the most letters."""
    texts: dict[int, list[str]] = {}
    for index in items:
        for number, words in _cells_by_column(layout.rows[index], columns, layout).items():
            text = _text_of(words)
            if columns[number].name == "other" and len(re.findall(r"[^\W\d_]", text)) >= 2:
                texts.setdefault(number, []).append(text)
    wordy = [n for n, found in texts.items() if len(found) * 2 >= len(items)]
    if wordy:
        best = max(wordy, key=lambda n: (len(set(texts[n])), sum(len(t) for t in texts[n])))
        columns[best] = Column("description", columns[best].x0, columns[best].x1)


def _columns(
    spans: dict[str, tuple[float, float]], layout: Layout, rows: list[Row], header_rows: list[int]
) -> list[Column]:
    """Column extents: between the table's vertical rules when it has them, else the header words' spans."""
    header = rows[header_rows[0]]
    # Rules of the header or of the body just under it (some tables rule the body only).
    ys = (header.top, rows[header_rows[-1]].bottom + 4 * header.height)
    rules = sorted(
        x for x, top, bottom in layout.rules.get(header.page, []) if top <= ys[1] and bottom >= ys[0]
    )
    columns: list[Column] = []
    # Ruled cells no header word names still are columns: their text must not spill into a neighbour.
    named = [(x0 + x1) / 2 for x0, x1 in spans.values()]
    for left, right in itertools.pairwise(rules):
        if right - left > 20 and not any(left <= cx < right for cx in named):
            columns.append(Column("other", float(left), float(right)))
    # Headings no vocabulary names are unnamed columns too, where no ruled cell stands for them already (an
    # open table, or a scan that lost a rule).
    header_of = [rows[index] for index in header_rows]
    for x0, x1 in _unnamed_spans(header_of, spans):
        if not any(c.x0 <= (x0 + x1) / 2 <= c.x1 for c in columns):
            columns.append(Column("other", x0, x1))
    for name, (x0, x1) in spans.items():
        cx = (x0 + x1) / 2
        left_rule = max([r for r in rules if r <= cx], default=None)
        right_rule = min([r for r in rules if r > cx], default=None)
        if (
            left_rule is not None
            and right_rule is not None
            and right_rule - left_rule < 3 * max(1.0, x1 - x0) + 400
        ):
            columns.append(Column(name, float(left_rule), float(right_rule)))
        else:
            columns.append(Column(name, x0, x1))
    columns.sort(key=lambda c: c.cx)
    # A rule the scan lost makes one ruled cell span named neighbours: it ends where they start.
    for k, column in enumerate(columns):
        x0, x1 = column.x0, column.x1
        for other in columns:
            if other is not column and column.x0 < other.cx < column.x1 and abs(other.cx - column.cx) > 1:
                if other.cx > column.cx:
                    x1 = min(x1, other.x0)
                else:
                    x0 = max(x0, other.x1)
        if (x0, x1) != (column.x0, column.x1) and x1 > x0:
            columns[k] = Column(column.name, x0, x1)
    # Two names in one ruled cell (a header "Số lượng / Quantity" also matching "no"): keep the better one.
    unique: list[Column] = []
    for column in columns:
        twin = next((c for c in unique if abs(c.x0 - column.x0) < 3 and abs(c.x1 - column.x1) < 3), None)
        if twin is None:
            unique.append(column)
        elif twin.name == "seq" or (twin.name not in NUMERIC_COLUMNS | {"description"}):
            unique[unique.index(twin)] = column
    return unique


def _is_numeric(words: list[Word]) -> bool:
    text = _text_of(words)
    return bool(re.fullmatch(r"[\d.,\s%$¥/\-]+", text)) and bool(re.search(r"\d", text))


def _column_for(phrase: list[Word], columns: list[Column]) -> str:
    """The column of a phrase: most overlap with a column's extent; text never goes to a numeric column
    unless it lies inside it, and the other way round."""
    x0, x1 = phrase[0].box[0], phrase[-1].box[2]
    numeric = _is_numeric(phrase)
    best, best_overlap = "", 0.0
    for column in columns:
        overlap = min(x1, column.x1) - max(x0, column.x0)
        if overlap > best_overlap:
            best, best_overlap = column.name, overlap
    if best and best_overlap >= 0.5 * (x1 - x0):
        return best
    # A column no heading names may hold figures or words.
    fitting = [c for c in columns if (c.name in NUMERIC_COLUMNS) == numeric or c.name == "other"] or columns
    if best and any(c.name == best for c in fitting):
        return best

    def distance(column: Column) -> float:
        if column.x0 <= x0 <= column.x1 or column.x0 <= x1 <= column.x1:
            return 0.0
        return min(abs(column.x0 - x1), abs(x0 - column.x1), abs(column.x0 - x0), abs(column.x1 - x1))

    return min(fitting, key=distance).name


JUNK = re.compile(r"[\W_]+")
# Columns of a word or code, left of the description: a second phrase in one row is not theirs.
SHORT_TEXT_COLUMNS = frozenset({"marks", "seq"})


def _cells(row: Row, columns: list[Column], layout: Layout) -> dict[str, list[Word]]:
    cells: dict[str, list[Word]] = {}
    phrases: list[list[Word]] = []
    # Remnants of rules and frames ("|", "—", "_") would glue cells together.
    words = [w for w in row.words if not JUNK.fullmatch(w.text)]
    if not words:
        return cells
    for phrase in ocr.split_phrases(words, 0.9 * max(row.height, 8)):
        # A phrase never crosses a column rule.
        current = [phrase[0]]
        for word in phrase[1:]:
            if layout.barrier(row.page, row.top, row.bottom, current[-1].box[2], word.box[0]):
                phrases.append(current)
                current = [word]
            else:
                current.append(word)
        phrases.append(current)
    for phrase in phrases:
        if len(phrase) > 1 and not _is_numeric(phrase) and any(_is_numeric([w]) for w in phrase):
            # "kg 21.800" or "21.800 kg": a number and a unit in two columns.
            groups: list[list[Word]] = []
            for word in phrase:
                kind = _is_numeric([word])
                if groups and _is_numeric([groups[-1][-1]]) == kind:
                    groups[-1].append(word)
                else:
                    groups.append([word])
            if len({_column_for(g, columns) for g in groups}) > 1:
                for group in groups:
                    cells.setdefault(_column_for(group, columns), []).extend(group)
                continue
        name = _column_for(phrase, columns)
        if name in SHORT_TEXT_COLUMNS and name in cells and not _is_numeric(phrase):
            # "N/M 开关电源" in an open table: the marks cell holds one phrase; a second one further right,
            # short of a description heading centred over a wide column, is the description.
            description = next((c for c in columns if c.name == "description"), None)
            if description is not None and cells[name][-1].box[2] < phrase[0].box[0] < description.x0:
                name = "description"
        cells.setdefault(name, []).extend(phrase)
    return cells


def extract_items(document_type: str, layout: Layout, tables: list[Table]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    wanted = LINE_FIELDS[document_type]
    last_row: Row | None = None  # the row the last item was read from
    last_line: Row | None = None  # the last row that went into the last item (its figures or a wrapped line)
    for table in tables:
        pending: list[Word] = []  # description lines printed above their item's figures
        for position, index in enumerate(table.item_rows):
            row = layout.rows[index]
            cells = _cells(row, table.columns, layout)
            _made_in_mark(cells)
            figures = _item_figures(cells)
            if "description" in cells:
                # A stamp, or a lone digit the OCR could not read, makes junk words, never a description.
                cells["description"] = _without_specks_at_the_ends(
                    [w for w in cells["description"] if not _junk(w)]
                )
                if not cells["description"]:
                    del cells["description"]
            if not figures:
                if "description" in cells and (
                    pending
                    or (
                        not _closes_last_description(items, cells["description"])
                        and _opens_next_item(layout, table, position, last_line)
                    )
                ):
                    # Figures aligned to the bottom of a tall cell (spreadsheets do so by default): the
                    # description's first lines stand above its figures, nearer the next item than the last.
                    pending += cells["description"]
                    continue
                # A wrapped description line: it belongs to the item above; a labelled specification line
                # under it ("Quy cách: 50 kg/bao", "规格：10-12公斤/箱") is no part of the goods' name.
                if items and "description" in cells and "description" in items[-1]:
                    if _specification_line(cells["description"]):
                        last_line = row
                        continue
                    entry = items[-1]["description"]
                    words = entry["_words"] + cells["description"]
                    entry.update(_entry(Found(normalize.normalize_text(printed_text(words)), words,
                                              _confidence(words, BELOW))))  # fmt: skip
                    entry["_words"] = words
                    last_line = row
                continue
            if pending:
                cells["description"] = pending + cells.get("description", [])
                pending = []
            item: dict[str, Any] = {}
            paired = _paired_weights(cells, row) if "net_weight_kg" in wanted else {}
            for name in wanted:
                words = cells.get(name, [])
                if not words and name not in paired:
                    continue
                parsed: tuple[str, list[Word]] | None
                if name in paired:
                    parsed = paired[name]
                elif name == "description":
                    text = normalize.normalize_text(printed_text(words))
                    # A full stop after a whole word ends a sentence or is a speck: no goods' name ends so
                    # ("… liên hợp.", "… dragon fruit."); an abbreviation keeps its point ("n.e.s.").
                    text = re.sub(r"(?<=[^\W\d_]{3})\.$", "", text)
                    # The item's number printed in its description cell ("2. Thanh long", "(2) …").
                    numbered = re.match(r"\(?(\d{1,2})[.)]\s+(?=\D)", text)
                    if numbered and int(numbered.group(1)) == len(items) + 1:
                        text = text[numbered.end() :]
                    parsed = (text, words) if text else None
                elif name == "unit":
                    token = [w for w in words if not re.search(r"\d", w.text)]
                    parsed = (normalize.normalize_text(_text_of(token)), token) if token else None
                elif name in NUMBER_FIELDS:
                    parsed = _cell_number(name, words)
                else:
                    parsed = parse_value(name, words)
                if parsed is None or not parsed[0]:
                    continue
                value, used = parsed
                item[name] = _cell_entry(value, used, RIGHT)
            if "unit" in wanted and "unit" not in item:
                # The unit column's heading misread ("Unit" → "hit"), or the unit printed in the quantity's
                # cell ("6.006 kg", "120件"): a unit of measure in the row is its unit.
                units = [(unit, w) for w in row.words if (unit := _unit_in(w.text))]
                if len(units) == 1:
                    item["unit"] = _cell_entry(units[0][0], [units[0][1]], BELOW)
            if (
                items
                and last_row is not None
                and _same_line(last_row, row)
                and not item.keys() & items[-1].keys()
            ):
                # One printed line that the OCR's rows cut in two (a slanted photo, a taller cell): one item.
                items[-1].update(item)
                last_row = last_line = row
                continue
            if len(item) >= 2:
                items.append(item)
                last_row = last_line = row
    if _is_sum_of_the_others(items):
        items.pop()  # a total row whose head ("合计", "Tổng cộng") the OCR misread: it adds up the items
    for item in items:
        _repair_by_arithmetic(item)
        for entry in item.values():
            entry.pop("_words", None)
    return items


MADE_IN_REST = re.compile(r"(in|1n|ln)?\s*(viet\s?nam|vietnam|china|p\s?r\s?c|vn|cn)", re.IGNORECASE)


def _made_in_mark(cells: dict[str, list[Word]]) -> None:
    """The shipping mark "MADE IN VIETNAM" wider than the marks column: "MADE" in it and "IN VIETNAM" in the
    description cell beside it. The words that end the mark are taken out of the description (they made
    "IN VIETNAM" the head of the next item's description)."""
    marks, description = cells.get("marks"), cells.get("description")
    if not marks or not description or fold(marks[-1].text) != "made":
        return
    ordered = sorted(description, key=lambda w: w.box[0])
    for size in (2, 1):
        head = ordered[:size]
        if len(head) == size and MADE_IN_REST.fullmatch(fold(" ".join(w.text for w in head))):
            kept = ordered[size:]
            if kept:
                cells["description"] = kept
            else:
                del cells["description"]
            return


SPECIFICATION = re.compile(r"(quy cach|qui cach|dong goi|规格|包装|specifications?|spec|packing)(?![a-z])")


def _specification_line(words: list[Word]) -> bool:
    """Whether a line under an item's description is its labelled specification: "Quy cách:", "规格：",
    "Specification:" with the colon that makes it a label."""
    # A speck before the label; its colon misread as ";", "-" or "." ("Packing- 22-23 KGS/carton").
    head = _without_specks_at_the_ends(words, tail=False)[:3]
    return bool(SPECIFICATION.match(fold(" ".join(w.text for w in head)))) and any(
        re.search(r"[:：]|[;.\-]$", w.text) for w in head[:2]
    )


WEIGHT_PAIR_UNSLASHED = re.compile(r"(\d[\d.,]*[.,]\d{1,3})\s+(?:[-–—|]\s+)?(\d[\d.,]*[.,]\d{1,3})(?!\S)")
WEIGHT_PAIR = re.compile(r"(\d[\d.,]*\d|\d)\s*(?:kgs?)?\s*/[/\s]*(\d[\d.,]*\d|\d)")


def _paired_weights(cells: dict[str, list[Word]], row: Row) -> dict[str, tuple[str, list[Word]]]:
    """Both weights of a line printed in one cell under "G.W. / N.W." or "KL cả bì / tịnh" ("8.365,7 /
    7.733"): the gross is the larger, the net the smaller, whichever heading the column was given (the
    other weight's cell is then empty). The second figure may stand past the heading's span, so it is
    looked for in the row, right after the slash."""
    weights = [name for name in WEIGHT_COLUMNS if cells.get(name)]
    if len(weights) != 1 or cells[weights[0]][0] not in row.words:
        return {}  # one weight cell, the other weight without one
    start = row.words.index(cells[weights[0]][0])
    words = row.words[start : start + 4]
    text = " ".join(w.text for w in words)
    match = WEIGHT_PAIR.match(text)
    slash = match is not None
    if match is None:
        # The slash lost or misread in a scan ("720,00 - 682,40"): two figures with decimals, the net most
        # of the gross.
        match = WEIGHT_PAIR_UNSLASHED.match(text)
    if match is None:
        return {}
    figures = [normalize.normalize_number(match.group(k)) for k in (1, 2)]
    if None in figures:
        return {}
    first, second = (Decimal(f) for f in figures if f is not None)
    if first == second or (not slash and not 0.5 <= min(first, second) / max(first, second) < 1):
        return {}
    # The words of each figure: the first word, and the word the second figure is read in (the same word
    # when the OCR read the pair as one).
    before = words[:1]
    after = [next((w for w in words[1:] if match.group(2) in w.text), words[0])]
    heavier, lighter = (
        ((first, before), (second, after)) if first > second else ((second, after), (first, before))
    )
    return {
        "gross_weight_kg": (format(heavier[0].normalize(), "f"), heavier[1]),
        "net_weight_kg": (format(lighter[0].normalize(), "f"), lighter[1]),
    }


def _without_specks_at_the_ends(words: list[Word], *, tail: bool = True) -> list[Word]:
    """A description's words without what a speck, a rule or a stamp makes at either end: a word with no
    letter or digit ("ˆ", "¬¬"), or two letters or fewer read unsure ("MU" at 0.31). Brackets and Han stay.
    Without ``tail``, at the start only (a name's line may end in "&" or "CO.," read unsure, its next line
    to come)."""

    start, end = 0, len(words)
    while start < end and _speck(words[start]):
        start += 1
    while tail and end > start and _speck(words[end - 1]):
        end -= 1
    return words[start:end]


def _speck(word: Word) -> bool:
    """What a speck, a rule or a stamp makes: a word with no letter or digit ("ˆ", "+"), or two letters or
    fewer read unsure ("MU", "lầ"). Brackets and Han are no specks."""
    text = word.text.strip("()[]（）")
    if not text:
        return False
    letters = [c for c in text if c.isalnum() and unicodedata.category(c) != "Lm"]  # not a lone "ˆ"
    return not ocr.HAN_RE.search(text) and (not letters or (len(letters) <= 2 and word.conf < 0.5))


def _is_sum_of_the_others(items: list[dict[str, Any]]) -> bool:
    """Whether the last item's figures are the sums of the items above it, in two columns or more and in
    more columns than not (one item figure misread must not hide a total row)."""
    if len(items) < 3:
        return False
    last, others = items[-1], items[:-1]
    summed = differ = 0
    for name, entry in last.items():
        if name not in NUMBER_FIELDS or name == "unit_price":
            continue
        try:
            values = [Decimal(str(item[name]["value"])) for item in others if name in item]
            total = Decimal(str(entry["value"]))
        except (InvalidOperation, KeyError):
            return False
        if len(values) >= 2 and abs(sum(values) - total) <= Decimal("0.011"):
            summed += 1
        else:
            differ += 1
    return summed >= 2 and summed > differ


def _closes_last_description(items: list[dict[str, Any]], words: list[Word]) -> bool:
    """Whether a line of description words closes a bracket the last item's description left open
    ("… (Fresh red-flesh dragon" over "fruit)"): the end of that description, however near the next item
    the line stands."""
    if not items or "description" not in items[-1]:
        return False
    above = str(items[-1]["description"]["value"])
    text = _text_of(words)
    return above.count("(") > above.count(")") and ")" in text.split("(", 1)[0]


def _item_figures(cells: dict[str, list[Word]]) -> list[Word]:
    """The words with digits in an item row's figure cells. Digits in a cell no heading names, or in the
    marks ("C/No. 1-93" under a mark), make no item line."""
    return [
        w
        for name, ws in cells.items()
        if name not in ("description", "marks", "kind", "other")
        for w in ws
        if re.search(r"\d", w.text)
    ]


def _opens_next_item(layout: Layout, table: Table, position: int, last_row: Row | None) -> bool:
    """Whether a line of description words without figures belongs to the item below it: a rule parts it
    from the item above, or it stands nearer the line under it than the last item's last line (its figures'
    line or a wrapped line already joined to it)."""
    row = layout.rows[table.item_rows[position]]
    following = []  # the item lines under it: figures or description, not a mark's lines ("C/No. 14-451")
    for r in (layout.rows[i] for i in table.item_rows[position + 1 :]):
        cells = _cells(r, table.columns, layout)
        has_figures = bool(_item_figures(cells))
        if r.page == row.page and (has_figures or "description" in cells):
            following.append((r, has_figures))
    if not any(has_figures for _r, has_figures in following):
        return False
    if last_row is None or last_row.page != row.page:
        return True  # before the first item of the page: nothing above to belong to
    below = following[0][0]
    x0, x1 = row.words[0].box[0], row.words[-1].box[2]
    if layout.hbarrier(row.page, last_row.bottom - 2, row.top + 2, x0, x1):
        return True
    if layout.hbarrier(row.page, row.bottom - 2, below.top + 2, x0, x1):
        return False
    # Line centres, not edges: a photo's rows come with ragged tops and bottoms.
    return below.cy - row.cy < 0.8 * (row.cy - last_row.cy)


def _cell_entry(value: str, words: list[Word], certainty: float) -> dict[str, Any]:
    """An item cell's entry, its words kept (under ``_words``) until the items are complete."""
    entry = _entry(Found(value, words, _confidence(words, certainty)))
    entry["_words"] = words
    return entry


# Units of quantity as invoices print them (UN/ECE codes and their common forms, Chinese, Vietnamese).
UNIT_CODES = frozenset(
    {
        "KGM", "KGS", "KG", "TNE", "MTR", "MTK", "MTQ", "LTR", "PCE", "PCS", "SET", "SETS", "CTN", "CTNS",
        "BAG", "BAGS", "ROL", "ROLLS", "PR", "PRS", "UNIT", "UNITS",
        "件", "米", "个", "套", "台", "吨", "千克", "公斤", "箱", "包", "卷",
        "chiếc", "bộ", "cái", "mét", "tấn", "thùng", "bao", "cuộn",
    }
)  # fmt: skip
# Units of measure, in any case, without the kinds of package (cartons, bags, rolls): on an item's line
# without a unit column, a package word is the packing's, not the quantity's unit.
MEASURE_UNITS = frozenset(code.lower() for code in UNIT_CODES) - {
    "ctn", "ctns", "bag", "bags", "rol", "rolls", "thùng", "bao", "cuộn", "箱", "包", "卷",
}  # fmt: skip


def _unit_in(text: str) -> str | None:
    """The unit of measure a word is, in any case ("kg", "KGS", "件"), or ends a figure with ("6.006kg"),
    as printed; None otherwise."""
    match = re.fullmatch(r"(?:\d[\d.,]*)?([^\W\d_]+)[.,]?", text)
    if match is None or match.group(1).lower() not in MEASURE_UNITS:
        return None
    return match.group(1)


def _same_line(a: Row, b: Row) -> bool:
    """Whether two rows overlap vertically by half the shorter one's height or more."""
    if a.page != b.page:
        return False
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def _close_enough(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= max(Decimal("0.01"), abs(b) * Decimal("0.002"))


def _repair_by_arithmetic(item: dict[str, Any]) -> None:
    """OCR drops a decimal point ("1418" for 1.18) or the end of a long figure ("39" for 39500); a line's own
    sum (quantity × unit price = amount) tells which. Only a reading whose digits are those printed is
    accepted: the decimal point put back, or the read digits a prefix of the figure the sum requires."""
    try:
        quantity = Decimal(item["quantity"]["value"])
        price = Decimal(item["unit_price"]["value"])
        amount = Decimal(item["amount"]["value"])
    except (KeyError, InvalidOperation, TypeError):
        return
    if quantity <= 0 or price <= 0 or amount <= 0 or _close_enough(quantity * price, amount):
        return
    digits = item["unit_price"]["value"].replace(".", "")
    # The point dropped ("118") or read as a digit ("1418"), at each place it could have been printed.
    candidates = [f"{digits[:cut]}.{digits[cut:]}" for cut in range(1, len(digits))]
    candidates += [f"{digits[:cut]}.{digits[cut + 1 :]}" for cut in range(1, len(digits) - 1)]
    for text in candidates:
        candidate = Decimal(text)
        if _close_enough(quantity * candidate, amount):
            _repaired(item["unit_price"], candidate)
            return
    # One figure's point read elsewhere ("77.780,5" read "77.7805"): the figure the other two require has
    # its very digits. After the unit price's (above, the likeliest); then the amount, the longest figure.
    for name, needed in (
        ("amount", quantity * price),
        ("quantity", amount / price),
        ("unit_price", amount / quantity),
    ):
        read = Decimal(item[name]["value"])
        if (
            needed != read
            and _digits(needed) == _digits(read)
            and needed == needed.quantize(Decimal("0.0001"))
        ):
            _repaired(item[name], needed)
            return
    needed = amount / price
    if needed == needed.to_integral_value() and str(int(needed)).startswith(item["quantity"]["value"]):
        _repaired(item["quantity"], needed.to_integral_value())


def _one_digit_apart(read: str, needed: str) -> bool:
    """Whether two figures differ by one digit the OCR added or dropped ("1344" for 134, "41" for 411)."""
    short, long = sorted((read.replace(".", ""), needed.replace(".", "")), key=len)
    return len(long) == len(short) + 1 and any(long[:k] + long[k + 1 :] == short for k in range(len(long)))


def _repair_by_total(document_type: str, items: list[dict[str, Any]], fields: dict[str, Any]) -> None:
    """A column's figures that do not add up to its printed total: when exactly one item's figure is one
    digit from the figure that would make them add up, it is that figure (flagged for review)."""
    for column, name in TABLE_TOTALS.get(document_type, {}).items():
        if name not in fields or len(items) < 2 or any(column not in item for item in items):
            continue
        try:
            total = Decimal(fields[name]["value"])
            values = [Decimal(item[column]["value"]) for item in items]
        except InvalidOperation:
            continue
        added = sum(values, Decimal(0))
        if _close_enough(added, total):
            continue
        if _digits(total) == _digits(added):
            # The same digits with the point elsewhere ("64.691,8" read as "64.6918"): the total's point or
            # comma was misread, the items agree with each other.
            _repaired(fields[name], added)
            continue
        fits = []
        for index, value in enumerate(values):
            needed = total - (added - value)
            read, wanted = format(value.normalize(), "f"), format(needed.normalize(), "f")
            # One digit added or dropped, or the point read elsewhere ("2.230,2" read "22302").
            if needed > 0 and (_one_digit_apart(read, wanted) or _digits(value) == _digits(needed)):
                fits.append((index, needed))
        if len(fits) == 1:
            index, needed = fits[0]
            _repaired(items[index][column], needed)


def _digits(value: Decimal) -> str:
    """The significant digits of a number, without its point: 64691.8 and 64.6918 both "646918"."""
    return format(value.normalize(), "f").replace(".", "").strip("0")


def _repaired(entry: dict[str, Any], value: Decimal) -> None:
    entry["value"] = format(value.normalize(), "f")
    # Recovered by arithmetic, not read: a person should look (below the review threshold).
    entry["confidence"] = round(min(float(entry.get("confidence", 1.0)), 0.6), 3)


def _cell_number(name: str, words: list[Word]) -> tuple[str, list[Word]] | None:
    """A number in a table cell that OCR may have cut in two ("2. 001", "8 316"): the pieces of the first
    figure are joined before it is read."""
    figures = [w for w in words if re.search(r"\d", w.text)]
    if not figures:
        return None
    text, group = _figure_pieces(figures)
    value = normalize.normalize_number(text)
    return (value, group) if value is not None else parse_value(name, words)


# A figure as printed, with its currency or unit glued on ("US$1,250.50", "15.221KGS", "1.250,-"); a stamp's
# or a rule's junk around a digit ("#4£#", "Ô8", "2/917") is none.
FIGURE_WORD = re.compile(
    r"[(\[]?(?:USD|CNY|RMB|VND|US\$|\$|¥|€)?\s?\d[\d.,'’\s]*(?:[.,]-)?[)\]]?"
    r"(?:kgs?|KGS?|Kgs?|kgm|KGM|tấn|MT|ctns?|CTNS?|pcs|PCS|%|đ|VNĐ|VND|USD|CNY|RMB)?[.,:;)]?"
)


def _figure_pieces(words: list[Word]) -> tuple[str, list[Word]]:
    """The figure starting at ``words[0]`` with the pieces the OCR cut off it ("2. 001", "8 316"), as text
    ``normalize_number`` reads (a group of thousands keeps its space)."""
    group = [words[0]]
    for word in words[1:]:
        if word.box[0] - group[-1].box[2] < 0.6 * max(1, word.box[3] - word.box[1]) and re.fullmatch(
            r"[\d.,]+", word.text
        ):
            group.append(word)
        else:
            break
    text = "".join(w.text for w in group) if len(group) > 1 else group[0].text
    if (
        len(group) > 1
        and re.fullmatch(r"\d{1,3}", group[0].text)
        and re.fullmatch(r"\d{3}([.,]\d+)?", group[1].text)
    ):
        text = group[0].text + " " + "".join(w.text for w in group[1:])
    return text, group


TABLE_TOTALS = {
    COMMERCIAL_INVOICE: {"amount": "total_amount"},
    PACKING_LIST: {
        "packages": "total_packages",
        "gross_weight_kg": "total_gross_weight_kg",
        "net_weight_kg": "total_net_weight_kg",
    },
}


def _table_totals(document_type: str, layout: Layout, tables: list[Table]) -> dict[str, Found]:
    """The totals printed on a table's total row, under the column they add up."""
    out: dict[str, Found] = {}
    for table in tables:
        if table.total_row is None:
            continue
        cells = _cells(layout.rows[table.total_row], table.columns, layout)
        for column, name in TABLE_TOTALS.get(document_type, {}).items():
            words = [w for w in cells.get(column, []) if re.search(r"\d", w.text)]
            parsed = parse_value(name, words)
            if parsed:
                out[name] = Found(parsed[0], parsed[1], _confidence(parsed[1], RIGHT))
    return out


# --- the document ------------------------------------------------------------------------------------------


# A document type is sure when its title scores this much (a weight-3 title phrase printed large or at the
# top of the page) and leads the runner-up clearly; otherwise the page's head is read again (``head``).
SURE_TITLE_SCORE, SURE_CERTAINTY = 6.0, 0.75


def extract_pages(pages: list[PageText], head: Callable[[], PageText] | None = None) -> dict[str, Any]:
    """The extraction from pages already read; ExtractionError for a blank page or a non-trade document.
    ``head`` reads the first page's head once more, with all three languages, when the type is unsure."""
    # Paper texture or a stain can come out as a few junk "words": a page needs one word that reads.
    if not any(w.conf >= 0.5 and len(re.findall(r"\w", w.text)) >= 2 for page in pages for w in page.words):
        raise ExtractionError("blank_page", _("Trang trống: không tìm thấy chữ nào trên tài liệu."))
    titled = pages
    document_type, certainty = classify(titled)
    if head is not None and (max(scores(titled).values()) < SURE_TITLE_SCORE or certainty < SURE_CERTAINTY):
        titled = [*pages, head()]
        document_type, certainty = classify(titled)
    by_labels = type_by_labels(pages)
    # The title, whatever its score, gives way to clear evidence of another type's own labels (a title is
    # a few words the OCR may misread; the labels are many). Before, only a weak title gave way: held-out
    # type accuracy 0.958, now 1.00 (train 1.00 both).
    if document_type is None or by_labels not in (None, document_type):
        document_type = by_labels
    if document_type is None:
        raise ExtractionError(
            "not_a_trade_document",
            _(
                "Không nhận ra chứng từ thương mại nào (hóa đơn thương mại, phiếu đóng gói, C/O mẫu E hoặc "
                "CMR) trong tài liệu này."
            ),
        )
    return extract_typed(document_type, pages)


TOTAL_WORDS = frozenset(word for total in TOTAL_ROW for word in total.split())
TOTAL_WORDS_RE = re.compile("|".join(sorted(TOTAL_WORDS, key=len, reverse=True)))


def _bare_total(hit: Hit) -> bool:
    """A label that is only "Total" / "合计" / "Tổng cộng": the head of any table's total row."""
    text = "".join(fold(_text_of(hit.row.words[hit.start : hit.end])).split())  # "合计TOTAL" read as one word
    return not TOTAL_WORDS_RE.sub("", text)


def _stacked_headings(rows: list[Row], index: int, named: list[set[str]]) -> set[str]:
    """The columns a header starting at row ``index`` names (``named``: each row's headings), on that row
    and the two lines just under it (headings are often two or three lines high: "Số kiện" over "Pkgs")."""
    top = rows[index]
    names = set(named[index])
    if not names:
        return names
    for k in range(index + 1, min(len(rows), index + 3)):
        if rows[k].page == top.page and rows[k].top - top.bottom < 3 * max(top.height, 8):
            names |= named[k]
    return names


FIGURES = re.compile(r"\d{3}|\d[.,]\d")


def _own_labels(document_type: str) -> dict[str, list[str]]:
    """The labels of the fields only ``document_type`` has, without those other types print too ("发货人"
    names a seller, an exporter and a consignor: no evidence of one type, whatever field it names here)."""
    others = {t: v for t, v in LABELS.items() if t != document_type}
    shared = {label for v in others.values() for labels in v.values() for label in labels}
    return {
        name: [label for label in labels if label not in shared]
        for name, labels in LABELS[document_type].items()
        if not any(name in v for v in others.values())
    }


OWN_LABELS = {document_type: _own_labels(document_type) for document_type in LABELS}


def type_by_labels(pages: list[PageText]) -> str | None:
    """The type whose own field labels a document shows most ("Consignor", "Place of loading", "Trailer"
    make a CMR) and whose own table columns head its table, when clearly ahead of the others; None when
    unsure. Decides when the title was not read, or read only weakly."""
    rows = [row for page in pages for row in ocr.rows(page)]
    counts: dict[str, int] = {}
    for document_type, own in OWN_LABELS.items():
        # A table's total row ("合计 TOTAL 770 …") is on every type's tables: no evidence of one.
        found = {h.field for row in rows for h in find_hits(row, own) if h.weight >= 2 and not _bare_total(h)}
        counts[document_type] = len(found)
        # A line-item table headed with this type's own columns is strong evidence too.
        columns = COLUMNS.get(document_type, {})
        own_columns = set(LINE_FIELDS[document_type]) - {
            c for t in COLUMNS if t != document_type for c in LINE_FIELDS[t]
        }
        needed = min(4, len(own_columns))
        # A line with figures is goods, not a heading ("398 CARTONS … G.W. 4.736,20 KGS" on a certificate).
        named = [set() if FIGURES.search(row.text) else set(_header_spans(row, columns)) for row in rows]
        if columns and any(
            len(own_columns & _stacked_headings(rows, i, named)) >= needed for i in range(len(rows))
        ):
            counts[document_type] += 3
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    best, runner_up = ranked[0], ranked[1]
    if best[1] >= 3 and best[1] >= 1.5 * max(1, runner_up[1]):
        return best[0]
    return None


def extract_typed(document_type: str, pages: list[PageText]) -> dict[str, Any]:
    """The extraction of pages known to be a ``document_type``."""
    layout = Layout(
        [row for page in pages for row in ocr.rows(page)],
        {p.page: p.vertical_rules for p in pages},
        {p.page: p.horizontal_rules for p in pages},
        {p.page: p.width for p in pages},
    )
    tables = find_tables(document_type, layout)
    skip: set[int] = set()
    for table in tables:
        skip.update(table.header_rows)
        skip.update(table.item_rows)
    items = extract_items(document_type, layout, tables)
    found = FieldReader(document_type, layout, skip).read()
    for name, total in _table_totals(document_type, layout, tables).items():
        # The figure under its column on the table's total row beats a total found by a looser label, and
        # a figure the total row's own label found ("Cộng tiền hàng 832 thùng … 64.111,79": the first
        # figure right of it is the packages').
        label_found = found.get(name)
        if (
            label_found is None
            or label_found.score < 20
            or _same_line(
                Row(label_found.words[0].page, label_found.words), Row(total.words[0].page, total.words)
            )
        ):
            found[name] = total
    from langson.border import unlabelled  # it builds on this module's readers

    unlabelled.column_totals(document_type, layout, found)
    unlabelled.totals_stated(document_type, layout, found)
    unlabelled.fill(document_type, layout, found)
    fields = {name: _entry(found[name]) for name in FIELDS[document_type] if name in found}
    _repair_by_total(document_type, items, fields)
    for name, entry in unlabelled.sum_of_items(document_type, items).items():
        fields.setdefault(name, entry)
    for name in NAME_FIELDS & fields.keys():
        # A name read out of a sentence ("Người nhận: Công ty TNHH Đông Dương. Địa chỉ: …") ends at its stop.
        fields[name]["value"] = _without_full_stop(company_words(fields[name]["value"].strip(" :：")))
    for name in COUNT_FIELDS & fields.keys():
        if not _fits(name, fields[name]["value"]):
            del fields[name]  # found by a rule of its own (a total line, a column): still no count
    for name in ID_FIELDS & fields.keys():
        # A space beside a joiner is the OCR's ("INV-HL -2600060"): document numbers are printed tight.
        fields[name]["value"] = re.sub(r"\s*([-/])\s*", r"\1", fields[name]["value"])
    extraction: dict[str, Any] = {
        "document_type": document_type,
        "fields": fields,
        "line_items": items,
        "issues": [],
    }
    extraction["issues"] = _check(extraction)
    return extraction


def _check(extraction: dict[str, Any]) -> list[dict[str, Any]]:
    from langson.border.checks import check_document

    issues: list[dict[str, Any]] = check_document(extraction)
    return issues
