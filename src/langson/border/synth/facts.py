"""The facts of one synthetic shipment across the Lạng Sơn–Guangxi border, shared by its four documents.

A shipment is either a Vietnamese export (fruit, cassava starch → Pingxiang, Nanning, Chongzuo) or an import
from China (machinery parts, fabric, fertiliser, electronics). All amounts are ``Decimal`` and add up: line
amount = quantity × unit price (rounded to the currency's minor unit), totals are sums of lines, gross ≥ net.

A disagreement between documents is injected as a per-document *view*: ``facts.view(document_type)`` gives the
facts as that document prints them, so one document of the four carries the odd value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from langson.border.schema import CMR, COMMERCIAL_INVOICE, FORM_E, PACKING_LIST

# Disagreements generate_shipment/make_shipment can inject. The first six are across documents, the last two
# inside one document (an invoice whose lines do not add up to its total, a packing line with net > gross).
MISMATCHES = (
    "invoice_number",
    "gross_weight",
    "plate",
    "packages",
    "fob_value",
    "goods",
    "line_total",
    "gross_net",
)


@dataclass(frozen=True)
class Party:
    """A trading company: native name (Vietnamese with diacritics, or Chinese), English name, addresses."""

    key: str
    country: str  # "VN" | "CN"
    name: str
    name_en: str
    address: str
    address_en: str
    tax_code: str
    phone: str
    abbr: str  # used in document numbers


@dataclass(frozen=True)
class Good:
    """A kind of goods with its names, AHTN code and how it is packed and priced."""

    key: str
    vi: str
    en: str
    zh: str
    hs8: str
    unit: str  # "kg" | "pcs" | "m" | "set"
    package: str  # "carton" | "bag" | "roll" | "pallet" | "basket"
    per_package: tuple[int, int]  # quantity (in unit) per package, range
    kg_per_unit: Decimal  # net kg per unit
    tare_kg: Decimal  # packing weight per package
    price_usd: tuple[float, float]  # per unit
    criterion: str  # Form E origin criterion
    packages: tuple[int, int] = (40, 900)


@dataclass(frozen=True)
class Place:
    vi: str
    en: str
    zh: str


@dataclass(frozen=True)
class Gate:
    key: str
    vi: str  # "Hữu Nghị"
    en: str  # "Huu Nghi"
    zh: str  # "友谊关"
    cn_side: Place  # the Chinese crossing facing it


@dataclass
class LineFacts:
    good: Good
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    packages: int
    net_kg: Decimal
    gross_kg: Decimal
    description: str = ""  # as printed on invoice and packing list (shipment-wide language choice)


@dataclass
class ShipmentFacts:
    """Everything the four documents of one shipment print. Totals are derived from the lines unless a
    document's view overrides them (``total_amount_override``)."""

    seed: int
    direction: str  # "export" (VN → CN) | "import" (CN → VN)
    seller: Party
    buyer: Party
    carrier: Party
    lines: list[LineFacts]
    currency: str
    incoterm: str
    gate: Gate
    invoice_number: str
    invoice_date: date
    packing_list_number: str
    packing_list_date: date
    certificate_number: str
    issue_date: date
    cmr_number: str
    cmr_date: date
    contract_number: str
    contract_date: date
    vehicle_plate: str  # canonical: "12C-123.45" | "桂F12345"
    trailer_plate: str
    plate_country: str
    place_of_loading: Place
    place_of_delivery: Place
    origin_country: str  # "VN" | "CN"
    origin_criterion: str
    description_language: str  # "vi" | "en" | "zh" | "vi_en" | "zh_en"
    mismatch: str | None = None
    mismatch_document: str | None = None  # the document type whose view carries the odd value
    total_amount_override: Decimal | None = None
    fob_override: Decimal | None = None
    overrides: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def total_amount(self) -> Decimal:
        if self.total_amount_override is not None:
            return self.total_amount_override
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def fob_value(self) -> Decimal:
        # The invoice total is what the Form E declares as FOB value in a consistent shipment.
        return self.fob_override if self.fob_override is not None else self.total_amount

    @property
    def total_packages(self) -> int:
        return sum(line.packages for line in self.lines)

    @property
    def total_gross_kg(self) -> Decimal:
        return sum((line.gross_kg for line in self.lines), Decimal(0))

    @property
    def total_net_kg(self) -> Decimal:
        return sum((line.net_kg for line in self.lines), Decimal(0))

    def view(self, document_type: str) -> ShipmentFacts:
        """The facts as ``document_type`` prints them (with the injected disagreement, if it is this one)."""
        changes = self.overrides.get(document_type)
        if not changes:
            return self
        changed = dict(changes)
        lines = changed.pop("lines", None)
        view = replace(self, **changed)  # type: ignore[arg-type]
        if lines is not None:
            view.lines = lines  # type: ignore[assignment]
        return view


# --------------------------------------------------------------------------------------------------------
# Reference data

VN_COMPANIES = (
    Party(
        "dongduong",
        "VN",
        "Công ty TNHH Thương mại Đông Dương",
        "DONG DUONG TRADING COMPANY LIMITED",
        "Số 18 đường Trần Đăng Ninh, phường Tam Thanh, tỉnh Lạng Sơn, Việt Nam",
        "No. 18 Tran Dang Ninh Street, Tam Thanh Ward, Lang Son Province, Vietnam",
        "4900245781",
        "0205 3812 456",
        "DD",
    ),
    Party(
        "nongsanls",
        "VN",
        "Công ty Cổ phần Xuất nhập khẩu Nông sản Lạng Sơn",
        "LANG SON AGRICULTURAL PRODUCTS IMPORT-EXPORT JOINT STOCK COMPANY",
        "Km 3, Quốc lộ 1A, phường Kỳ Lừa, tỉnh Lạng Sơn, Việt Nam",
        "Km 3, National Road 1A, Ky Lua Ward, Lang Son Province, Vietnam",
        "4900318842",
        "0205 3873 210",
        "NSLS",
    ),
    Party(
        "hoanglong",
        "VN",
        "Công ty TNHH Xuất nhập khẩu Hoàng Long",
        "HOANG LONG IMPORT EXPORT COMPANY LIMITED",
        "Khu kinh tế cửa khẩu Đồng Đăng, xã Đồng Đăng, tỉnh Lạng Sơn, Việt Nam",
        "Dong Dang Border Gate Economic Zone, Dong Dang Commune, Lang Son Province, Vietnam",
        "4900567213",
        "0205 3851 998",
        "HL",
    ),
    Party(
        "tanthanhxanh",
        "VN",
        "Công ty TNHH Nông sản Xanh Tân Thanh",
        "TAN THANH GREEN AGRICULTURE COMPANY LIMITED",
        "Thôn Nà Lầu, xã Hoàng Văn Thụ, tỉnh Lạng Sơn, Việt Nam",
        "Na Lau Village, Hoang Van Thu Commune, Lang Son Province, Vietnam",
        "4900812450",
        "0205 3880 117",
        "TTX",
    ),
    Party(
        "mienviet",
        "VN",
        "Công ty TNHH Trái cây Miền Nam Việt",
        "VIET SOUTH FRUIT COMPANY LIMITED",
        "Ấp Mỹ Hưng, xã Tân Phước, tỉnh Đồng Tháp, Việt Nam",
        "My Hung Hamlet, Tan Phuoc Commune, Dong Thap Province, Vietnam",
        "1201654398",
        "0273 3856 402",
        "MNV",
    ),
    Party(
        "sanTayNinh",
        "VN",
        "Công ty TNHH Tinh bột sắn Tây Ninh Xanh",
        "TAY NINH GREEN TAPIOCA STARCH COMPANY LIMITED",
        "Tổ 5, ấp Thạnh Hiệp, xã Thạnh Đức, tỉnh Tây Ninh, Việt Nam",
        "Group 5, Thanh Hiep Hamlet, Thanh Duc Commune, Tay Ninh Province, Vietnam",
        "3901287764",
        "0276 3765 120",
        "TBS",
    ),
    Party(
        "maynongbg",
        "VN",
        "Công ty TNHH Máy nông nghiệp Bắc Giang",
        "BAC GIANG AGRICULTURAL MACHINERY COMPANY LIMITED",
        "Lô B4, Khu công nghiệp Đình Trám, tỉnh Bắc Ninh, Việt Nam",
        "Lot B4, Dinh Tram Industrial Park, Bac Ninh Province, Vietnam",
        "2400734519",
        "0204 3661 870",
        "MNBG",
    ),
    Party(
        "phuthinh",
        "VN",
        "Công ty Cổ phần Dệt may Phú Thịnh",
        "PHU THINH TEXTILE AND GARMENT JOINT STOCK COMPANY",
        "Khu công nghiệp Phố Nối A, xã Lạc Hồng, tỉnh Hưng Yên, Việt Nam",
        "Pho Noi A Industrial Park, Lac Hong Commune, Hung Yen Province, Vietnam",
        "0900458821",
        "0221 3967 345",
        "PT",
    ),
    Party(
        "vattuhuunghi",
        "VN",
        "Công ty TNHH Vật tư Nông nghiệp Hữu Nghị",
        "HUU NGHI AGRICULTURAL MATERIALS COMPANY LIMITED",
        "Số 56 đường Bà Triệu, phường Lương Văn Tri, tỉnh Lạng Sơn, Việt Nam",
        "No. 56 Ba Trieu Street, Luong Van Tri Ward, Lang Son Province, Vietnam",
        "4900699034",
        "0205 3715 662",
        "VTHN",
    ),
    Party(
        "viethung",
        "VN",
        "Công ty TNHH Điện tử Việt Hưng",
        "VIET HUNG ELECTRONICS COMPANY LIMITED",
        "Lô C2, Khu công nghiệp Quế Võ, phường Quế Võ, tỉnh Bắc Ninh, Việt Nam",
        "Lot C2, Que Vo Industrial Park, Que Vo Ward, Bac Ninh Province, Vietnam",
        "2300981276",
        "0222 3634 518",
        "VH",
    ),
)

CN_COMPANIES = (
    Party(
        "youyi",
        "CN",
        "凭祥市友谊进出口贸易有限公司",
        "PINGXIANG YOUYI IMPORT & EXPORT TRADING CO., LTD.",
        "广西凭祥市友谊镇友谊路8号",
        "No. 8 Youyi Road, Youyi Town, Pingxiang, Guangxi, China",
        "91451481MA5KX2R41T",
        "+86 771 8521 346",
        "PXYY",
    ),
    Party(
        "nanjiang",
        "CN",
        "凭祥市南疆果蔬贸易有限公司",
        "PINGXIANG NANJIANG FRUIT & VEGETABLE TRADING CO., LTD.",
        "广西凭祥市凭祥镇北环路126号",
        "No. 126 Beihuan Road, Pingxiang Town, Pingxiang, Guangxi, China",
        "91451481MA5N7C0K2X",
        "+86 771 8536 702",
        "NJGS",
    ),
    Party(
        "xiangshun",
        "CN",
        "凭祥市祥顺水果进出口有限公司",
        "PINGXIANG XIANGSHUN FRUIT IMPORT AND EXPORT CO., LTD.",
        "广西凭祥市浦寨边贸区A区18号",
        "No. 18 Zone A, Puzhai Border Trade Area, Pingxiang, Guangxi, China",
        "91451481MA5P3H8Y6Q",
        "+86 771 8592 015",
        "XSSG",
    ),
    Party(
        "hongyuan",
        "CN",
        "广西南宁宏远机械设备有限公司",
        "GUANGXI NANNING HONGYUAN MACHINERY EQUIPMENT CO., LTD.",
        "广西南宁市西乡塘区科园大道32号",
        "No. 32 Keyuan Avenue, Xixiangtang District, Nanning, Guangxi, China",
        "91450107MA5L2K9D3R",
        "+86 771 3218 650",
        "HYJX",
    ),
    Party(
        "jinhua",
        "CN",
        "南宁市锦华纺织品有限公司",
        "NANNING JINHUA TEXTILES CO., LTD.",
        "广西南宁市江南区星光大道218号",
        "No. 218 Xingguang Avenue, Jiangnan District, Nanning, Guangxi, China",
        "91450105MA5Q8W1E7L",
        "+86 771 4876 231",
        "JHFZ",
    ),
    Party(
        "nongfeng",
        "CN",
        "广西崇左市农丰化肥有限公司",
        "GUANGXI CHONGZUO NONGFENG FERTILIZER CO., LTD.",
        "广西崇左市江州区工业园区新和路5号",
        "No. 5 Xinhe Road, Jiangzhou Industrial Park, Chongzuo, Guangxi, China",
        "91451402MA5M6T4B1N",
        "+86 771 7832 409",
        "NFHF",
    ),
    Party(
        "huaxin",
        "CN",
        "南宁市华信电子科技有限公司",
        "NANNING HUAXIN ELECTRONIC TECHNOLOGY CO., LTD.",
        "广西南宁市青秀区民族大道136号",
        "No. 136 Minzu Avenue, Qingxiu District, Nanning, Guangxi, China",
        "91450103MA5R2F6J9C",
        "+86 771 5562 874",
        "HXDZ",
    ),
    Party(
        "bianmao",
        "CN",
        "崇左市边贸供应链管理有限公司",
        "CHONGZUO BORDER TRADE SUPPLY CHAIN MANAGEMENT CO., LTD.",
        "广西崇左市凭祥市综合保税区管理大楼301室",
        "Room 301, Administration Building, Pingxiang Comprehensive Bonded Zone, Chongzuo, Guangxi, China",
        "91451400MA5T0Y3U8V",
        "+86 771 8810 563",
        "BMGY",
    ),
)

VN_CARRIERS = (
    Party(
        "vantaikylua",
        "VN",
        "Công ty TNHH Vận tải Kỳ Lừa",
        "KY LUA TRANSPORT COMPANY LIMITED",
        "Số 9 đường Lê Lợi, phường Đông Kinh, tỉnh Lạng Sơn, Việt Nam",
        "No. 9 Le Loi Street, Dong Kinh Ward, Lang Son Province, Vietnam",
        "4900421187",
        "0205 3898 776",
        "KL",
    ),
    Party(
        "logisticsdd",
        "VN",
        "Công ty Cổ phần Logistics Đồng Đăng",
        "DONG DANG LOGISTICS JOINT STOCK COMPANY",
        "Khu kinh tế cửa khẩu Đồng Đăng, xã Đồng Đăng, tỉnh Lạng Sơn, Việt Nam",
        "Dong Dang Border Gate Economic Zone, Dong Dang Commune, Lang Son Province, Vietnam",
        "4900733520",
        "0205 3852 114",
        "DDL",
    ),
)

CN_CARRIERS = (
    Party(
        "xiangtong",
        "CN",
        "凭祥市祥通国际物流有限公司",
        "PINGXIANG XIANGTONG INTERNATIONAL LOGISTICS CO., LTD.",
        "广西凭祥市友谊大道88号",
        "No. 88 Youyi Avenue, Pingxiang, Guangxi, China",
        "91451481MA5U1K7P4D",
        "+86 771 8517 330",
        "XTWL",
    ),
    Party(
        "guiyun",
        "CN",
        "广西桂运跨境运输有限公司",
        "GUANGXI GUIYUN CROSS-BORDER TRANSPORT CO., LTD.",
        "广西南宁市江南区亭洪路45号",
        "No. 45 Tinghong Road, Jiangnan District, Nanning, Guangxi, China",
        "91450105MA5W9N2H1F",
        "+86 771 4410 672",
        "GYYS",
    ),
)

D = Decimal
EXPORT_GOODS = (
    Good(
        "dragon_white",
        "Thanh long ruột trắng tươi",
        "Fresh white-flesh dragon fruit",
        "鲜白心火龙果",
        "08109092",
        "kg",
        "carton",
        (10, 12),
        D(1),
        D("0.9"),
        (0.55, 0.95),
        "WO",
    ),
    Good(
        "dragon_red",
        "Thanh long ruột đỏ tươi",
        "Fresh red-flesh dragon fruit",
        "鲜红心火龙果",
        "08109092",
        "kg",
        "carton",
        (10, 12),
        D(1),
        D("0.9"),
        (0.85, 1.45),
        "WO",
    ),
    Good(
        "longan",
        "Nhãn tươi",
        "Fresh longan",
        "鲜龙眼",
        "08109010",
        "kg",
        "carton",
        (8, 10),
        D(1),
        D("0.7"),
        (0.95, 1.75),
        "WO",
    ),
    Good(
        "durian",
        "Sầu riêng tươi",
        "Fresh durian",
        "鲜榴莲",
        "08106000",
        "kg",
        "carton",
        (17, 19),
        D(1),
        D("1.5"),
        (2.80, 4.90),
        "WO",
    ),
    Good(
        "mango",
        "Xoài tươi",
        "Fresh mangoes",
        "鲜芒果",
        "08045020",
        "kg",
        "carton",
        (10, 12),
        D(1),
        D("0.8"),
        (0.60, 1.10),
        "WO",
    ),
    Good(
        "watermelon",
        "Dưa hấu tươi",
        "Fresh watermelons",
        "鲜西瓜",
        "08071100",
        "kg",
        "pallet",
        (400, 600),
        D(1),
        D("18"),
        (0.18, 0.32),
        "WO",
        (8, 40),
    ),
    Good(
        "cassava_starch",
        "Tinh bột sắn",
        "Tapioca starch",
        "木薯淀粉",
        "11081400",
        "kg",
        "bag",
        (50, 50),
        D(1),
        D("0.2"),
        (0.42, 0.56),
        "WO",
        (200, 700),
    ),
    Good(
        "cashew",
        "Nhân hạt điều đã bóc vỏ",
        "Shelled cashew kernels",
        "去壳腰果仁",
        "08013200",
        "kg",
        "carton",
        (22, 23),
        D(1),
        D("0.8"),
        (5.40, 7.20),
        "PE",
        (50, 400),
    ),
)

IMPORT_GOODS = (
    Good(
        "harvester_parts",
        "Phụ tùng máy gặt đập liên hợp",
        "Parts of combine harvesters",
        "联合收割机零件",
        "84339090",
        "pcs",
        "carton",
        (10, 40),
        D("1.8"),
        D("1.2"),
        (4.50, 38.0),
        "RVC 40%",
        (20, 160),
    ),
    Good(
        "ball_bearings",
        "Vòng bi cầu bằng thép",
        "Steel ball bearings",
        "钢制深沟球轴承",
        "84821000",
        "pcs",
        "carton",
        (100, 200),
        D("0.12"),
        D("0.8"),
        (0.40, 2.60),
        "RVC 40%",
        (20, 150),
    ),
    Good(
        "polyester_fabric",
        "Vải dệt thoi từ sợi filament polyester",
        "Woven polyester filament fabric",
        "涤纶长丝机织布",
        "54075200",
        "m",
        "roll",
        (80, 120),
        D("0.22"),
        D("0.6"),
        (0.55, 1.40),
        "CTH",
        (40, 300),
    ),
    Good(
        "dap_fertiliser",
        "Phân bón DAP (diamoni hydro orthophosphat)",
        "Diammonium phosphate fertiliser (DAP)",
        "磷酸二铵化肥",
        "31053000",
        "kg",
        "bag",
        (50, 50),
        D(1),
        D("0.15"),
        (0.52, 0.70),
        "RVC 40%",
        (300, 800),
    ),
    Good(
        "urea",
        "Phân urê",
        "Urea fertiliser",
        "尿素",
        "31021000",
        "kg",
        "bag",
        (50, 50),
        D(1),
        D("0.15"),
        (0.34, 0.45),
        "RVC 40%",
        (300, 800),
    ),
    Good(
        "led_lamps",
        "Bóng đèn LED",
        "LED lamps",
        "LED灯泡",
        "85395200",
        "pcs",
        "carton",
        (50, 100),
        D("0.09"),
        D("1.1"),
        (0.35, 1.20),
        "RVC 40%",
        (30, 400),
    ),
    Good(
        "power_supplies",
        "Bộ nguồn chuyển mạch",
        "Switching power supplies",
        "开关电源",
        "85044090",
        "pcs",
        "carton",
        (20, 50),
        D("0.45"),
        D("1.0"),
        (2.10, 9.80),
        "RVC 40%",
        (20, 200),
    ),
    Good(
        "ip_cameras",
        "Camera giám sát IP",
        "IP surveillance cameras",
        "网络监控摄像机",
        "85258990",
        "pcs",
        "carton",
        (10, 20),
        D("0.6"),
        D("0.9"),
        (11.0, 36.0),
        "RVC 40%",
        (10, 120),
    ),
)

GATES = (
    Gate("huu_nghi", "Hữu Nghị", "Huu Nghi", "友谊关", Place("Bằng Tường", "Pingxiang", "凭祥")),
    Gate("tan_thanh", "Tân Thanh", "Tan Thanh", "浦寨", Place("Phố Trại", "Puzhai", "浦寨")),
    Gate("chi_ma", "Chi Ma", "Chi Ma", "爱店", Place("Ái Điếm", "Aidian", "爱店")),
)

VN_LOADING = (
    Place("Xã Đồng Đăng, Lạng Sơn, Việt Nam", "Dong Dang, Lang Son, Vietnam", "越南谅山同登"),
    Place("Phường Kỳ Lừa, Lạng Sơn, Việt Nam", "Ky Lua, Lang Son, Vietnam", "越南谅山祺禄"),
    Place("Xã Tân Phước, Đồng Tháp, Việt Nam", "Tan Phuoc, Dong Thap, Vietnam", "越南同塔省新福"),
    Place("Xã Thạnh Đức, Tây Ninh, Việt Nam", "Thanh Duc, Tay Ninh, Vietnam", "越南西宁省盛德"),
    Place("Xã Chi Lăng, Lạng Sơn, Việt Nam", "Chi Lang, Lang Son, Vietnam", "越南谅山支棱"),
)
CN_DELIVERY = (
    Place("Bằng Tường, Quảng Tây, Trung Quốc", "Pingxiang, Guangxi, China", "中国广西凭祥市"),
    Place("Nam Ninh, Quảng Tây, Trung Quốc", "Nanning, Guangxi, China", "中国广西南宁市"),
    Place("Sùng Tả, Quảng Tây, Trung Quốc", "Chongzuo, Guangxi, China", "中国广西崇左市"),
)
VN_DELIVERY = (
    Place("Phường Tam Thanh, Lạng Sơn, Việt Nam", "Tam Thanh, Lang Son, Vietnam", "越南谅山三青"),
    Place("KCN Đình Trám, Bắc Ninh, Việt Nam", "Dinh Tram IP, Bac Ninh, Vietnam", "越南北宁省廷站工业区"),
    Place("KCN Phố Nối A, Hưng Yên, Việt Nam", "Pho Noi A IP, Hung Yen, Vietnam", "越南兴安省铺内A工业区"),
    Place("Xã Đồng Đăng, Lạng Sơn, Việt Nam", "Dong Dang, Lang Son, Vietnam", "越南谅山同登"),
)

# Vietnamese series letters for trucks (C: lorries, H: tractor units), provinces along the route.
VN_PLATE_PROVINCES = ("12", "12", "12", "12", "29", "98", "14", "99")
CN_PLATE_PREFIXES = ("桂F", "桂F", "桂F", "桂A", "桂N")

CURRENCY_RATE = {"USD": Decimal(1), "CNY": Decimal("7.12"), "VND": Decimal(25350)}
INCOTERMS = ("DAP", "DAP", "DAP", "FOB", "CIF", "EXW", "DAF")


def money(value: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit (VND has none)."""
    quantum = Decimal(1) if currency == "VND" else Decimal("0.01")
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def _vn_plate(rng: random.Random, *, trailer: bool = False) -> str:
    province = rng.choice(VN_PLATE_PROVINCES)
    series = "R" if trailer else rng.choice("CCCCH")
    digits = f"{rng.randint(0, 99999):05d}" if trailer else f"{rng.randint(10000, 99999):05d}"
    return f"{province}{series}-{digits[:3]}.{digits[3:]}"


def _cn_plate(rng: random.Random, *, trailer: bool = False) -> str:
    prefix = rng.choice(CN_PLATE_PREFIXES)
    if trailer:
        return f"{prefix}{rng.randint(1000, 9999)}挂"
    tail = f"{rng.randint(0, 99999):05d}"
    if rng.random() < 0.3:  # new-style plates mix a letter into the serial
        tail = tail[:1] + rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + tail[2:]
    return prefix + tail


def _invoice_number(rng: random.Random, seller: Party, day: date) -> str:
    n = rng.randint(1, 999)
    patterns = (
        f"{seller.abbr}-{day:%y%m}/{n:04d}",
        f"{n:03d}/{day.year}/{seller.abbr}-XK"
        if seller.country == "VN"
        else f"{seller.abbr}{day:%Y%m%d}-{n:02d}",
        f"INV-{seller.abbr}-{day:%y}{n:05d}",
        f"{seller.abbr}{day:%y}{rng.randint(100000, 999999)}",
    )
    return rng.choice(patterns)


def _alter_code(rng: random.Random, text: str) -> str:
    """One digit of a document number changed: the typical copying error."""
    positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    i = rng.choice(positions)
    digit = str((int(text[i]) + rng.randint(1, 8)) % 10)
    return text[:i] + digit + text[i + 1 :]


def _alter_plate(rng: random.Random, plate: str) -> str:
    digits = [i for i, ch in enumerate(plate) if ch.isdigit()][2 if plate[0].isdigit() else 0 :]
    i = rng.choice(digits)
    return plate[:i] + str((int(plate[i]) + rng.randint(1, 8)) % 10) + plate[i + 1 :]


def _line(rng: random.Random, good: Good, currency: str) -> LineFacts:
    packages = rng.randint(*good.packages)
    per_package = rng.randint(*good.per_package)
    quantity = Decimal(packages * per_package)
    usd = Decimal(str(round(rng.uniform(*good.price_usd), 2)))
    rate = CURRENCY_RATE[currency]
    if currency == "VND":
        unit_price = (usd * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 100
    else:
        unit_price = money(usd * rate, currency)
    if unit_price <= 0:
        unit_price = Decimal("0.01")
    amount = money(quantity * unit_price, currency)
    net = (quantity * good.kg_per_unit).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    gross = (net + good.tare_kg * packages).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return LineFacts(good, quantity, unit_price, amount, packages, _trim(net), _trim(gross))


def _trim(value: Decimal) -> Decimal:
    """Drop a zero fraction (12960.0 → 12960) so printed weights use 0 or 1–2 decimals, never 3."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def describe(good: Good, language: str) -> str:
    """The description of a good in one of the shipment's description languages."""
    if language == "vi":
        return good.vi
    if language == "en":
        return good.en
    if language == "zh":
        return good.zh
    if language == "vi_en":
        return f"{good.vi} ({good.en})"
    return f"{good.zh} {good.en}"


def make_shipment(seed: int, *, mismatch: str | None = None) -> ShipmentFacts:
    """Consistent facts for one shipment's four documents, with at most one injected disagreement
    (one of ``MISMATCHES``); deterministic for ``seed``."""
    if mismatch is not None and mismatch not in MISMATCHES:
        raise ValueError(f"unknown mismatch {mismatch!r}; expected one of {MISMATCHES}")
    rng = random.Random(f"shipment-{seed}")  # noqa: S311 - synthetic data, not security
    direction = "export" if rng.random() < 0.6 else "import"
    vn = rng.choice(VN_COMPANIES)
    cn = rng.choice(CN_COMPANIES)
    seller, buyer = (vn, cn) if direction == "export" else (cn, vn)
    goods_pool = EXPORT_GOODS if direction == "export" else IMPORT_GOODS
    currency = rng.choices(("USD", "CNY", "VND"), weights=(6, 3, 1))[0]
    n_lines = rng.choices(range(1, 9), weights=(20, 18, 14, 10, 7, 5, 4, 3))[0]
    goods = rng.sample(goods_pool, k=min(n_lines, len(goods_pool)))
    lines = [_line(rng, good, currency) for good in goods]
    description_language = rng.choice(
        ("vi", "vi_en", "en") if direction == "export" else ("zh_en", "vi", "en", "zh", "vi_en")
    )
    for line in lines:
        line.description = describe(line.good, description_language)
    gate = rng.choices(GATES, weights=(5, 3, 2))[0]
    invoice_date = date(2025, 7, 1) + timedelta(days=rng.randint(0, 540))
    plate_country = "VN" if rng.random() < 0.65 else "CN"
    if plate_country == "VN":
        vehicle, trailer = _vn_plate(rng), _vn_plate(rng, trailer=True)
        carrier = rng.choice(VN_CARRIERS)
    else:
        vehicle, trailer = _cn_plate(rng), _cn_plate(rng, trailer=True)
        carrier = rng.choice(CN_CARRIERS)
    if direction == "export":
        loading, delivery = rng.choice(VN_LOADING), rng.choice(CN_DELIVERY)
        origin = "VN"
        cert = f"VN-CN {invoice_date:%y}/{rng.choice((2, 2, 13, 14)):02d}/{rng.randint(1, 99999):05d}"
    else:
        loading, delivery = rng.choice(CN_DELIVERY), rng.choice(VN_DELIVERY)
        origin = "CN"
        office = rng.choice((4701, 4702, 4706))
        cert = f"E{invoice_date:%y}{office}{rng.choice(('ZC', 'XC'))}{rng.randint(0, 99999999):08d}"
    criteria = {line.good.criterion for line in lines}
    criterion = (
        lines[0].good.criterion if len(criteria) == 1 else ("PE" if direction == "export" else "RVC 40%")
    )
    if criterion.startswith("RVC"):
        criterion = rng.choice(("RVC 40%", "RVC 40%", "RVC 45%", "RVC 52%"))
    invoice_number = _invoice_number(rng, seller, invoice_date)
    pl_number = rng.choice(
        (invoice_number, f"PL-{invoice_number}", f"PL{invoice_date:%y%m}{rng.randint(1, 999):03d}")
    )
    cmr_number = rng.choice(
        (
            f"LS-{rng.randint(100, 9999):04d}/{invoice_date:%y}",
            f"CMR {rng.randint(100000, 999999)}",
            f"GX-{invoice_date:%y%m}-{rng.randint(1, 9999):04d}",
            f"{carrier.abbr}/{invoice_date:%y}/{rng.randint(1, 9999):04d}",
        )
    )
    contract_date = invoice_date - timedelta(days=rng.randint(10, 120))
    facts = ShipmentFacts(
        seed=seed,
        direction=direction,
        seller=seller,
        buyer=buyer,
        carrier=carrier,
        lines=lines,
        currency=currency,
        incoterm=rng.choice(INCOTERMS),
        gate=gate,
        invoice_number=invoice_number,
        invoice_date=invoice_date,
        packing_list_number=pl_number,
        packing_list_date=invoice_date,
        certificate_number=cert,
        issue_date=invoice_date + timedelta(days=rng.choice((0, 0, 1, 1, 2))),
        cmr_number=cmr_number,
        cmr_date=invoice_date + timedelta(days=rng.choice((0, 0, 0, 1))),
        contract_number=f"{rng.randint(1, 99):02d}/{contract_date.year}/HĐMB-{seller.abbr}",
        contract_date=contract_date,
        vehicle_plate=vehicle,
        trailer_plate=trailer,
        plate_country=plate_country,
        place_of_loading=loading,
        place_of_delivery=delivery,
        origin_country=origin,
        origin_criterion=criterion,
        description_language=description_language,
    )
    if mismatch is not None:
        _inject(facts, mismatch, random.Random(f"mismatch-{seed}-{mismatch}"))  # noqa: S311
    return facts


def _copy_lines(facts: ShipmentFacts) -> list[LineFacts]:
    return [replace(line) for line in facts.lines]


def _inject(facts: ShipmentFacts, mismatch: str, rng: random.Random) -> None:
    """Make one document disagree with the others (or with itself) in the way named by ``mismatch``."""
    facts.mismatch = mismatch
    if mismatch == "invoice_number":
        target = rng.choice((PACKING_LIST, FORM_E))
        facts.overrides[target] = {"invoice_number": _alter_code(rng, facts.invoice_number)}
    elif mismatch == "gross_weight":
        target = CMR
        lines = _copy_lines(facts)
        lines[0].gross_kg += Decimal(rng.choice((120, 250, 480, 1000, 35)))
        facts.overrides[target] = {"lines": lines}
    elif mismatch == "plate":
        target = rng.choice((FORM_E, CMR))
        facts.overrides[target] = {"vehicle_plate": _alter_plate(rng, facts.vehicle_plate)}
    elif mismatch == "packages":
        target = CMR
        lines = _copy_lines(facts)
        lines[0].packages += rng.choice((-10, -5, 2, 8, 20)) if lines[0].packages > 20 else rng.randint(1, 6)
        facts.overrides[target] = {"lines": lines}
    elif mismatch == "fob_value":
        target = FORM_E
        factor = Decimal(rng.choice(("1.05", "0.9", "1.12", "0.95")))
        facts.overrides[target] = {"fob_override": money(facts.total_amount * factor, facts.currency)}
    elif mismatch == "goods":
        target = PACKING_LIST
        lines = _copy_lines(facts)
        others = [g for g in (*EXPORT_GOODS, *IMPORT_GOODS) if g not in {line.good for line in lines}]
        lines[rng.randrange(len(lines))].description = describe(
            rng.choice(others), facts.description_language
        )
        facts.overrides[target] = {"lines": lines}
    elif mismatch == "line_total":
        # The invoice's total is wrong; the Form E copies that total, so only the invoice's own sum fails.
        target = COMMERCIAL_INVOICE
        delta = money(facts.total_amount * Decimal(rng.choice(("0.1", "-0.05", "0.02"))), facts.currency)
        facts.total_amount_override = facts.total_amount + (delta or Decimal(1))
    else:  # gross_net: a packing line whose net weight exceeds its gross weight; the gross total is untouched
        target = PACKING_LIST
        lines = _copy_lines(facts)
        line = lines[rng.randrange(len(lines))]
        line.net_kg = line.gross_kg + Decimal(rng.choice((5, 12, 40, 100)))
        facts.overrides[target] = {"lines": lines}
    facts.mismatch_document = target
