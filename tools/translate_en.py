"""Fill the English catalogue from a table of translations, clearing gettext's fuzzy guesses.

Run after `django-admin makemessages -l en` in src/langson: `python tools/translate_en.py`. Add new strings
to TRANSLATIONS or to a topic file in tools/translations/; anything left untranslated is printed (and fails
the catalogue test).
"""

from __future__ import annotations

import json
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/langson/locale/en/LC_MESSAGES/django.po"

TRANSLATIONS = {
    "tên tiếng Anh": "English name",
    "lược đồ": "schema",
    "tần suất cập nhật dự kiến (giờ)": "expected update interval (hours)",
    "nhận dữ liệu lần cuối": "last data received",
    "Tải tệp lên": "File upload",
    "Kéo định kỳ": "Scheduled pull",
    "Phân hệ nội bộ": "Platform app",
    "Hoàn tất": "Done",
    "Lô trùng, bỏ qua": "Duplicate batch, skipped",
    "nguồn": "source",
    "chi tiết nguồn": "source detail",
    "mã lô": "batch key",
    "trạng thái": "state",
    "số dòng nhận": "rows received",
    "số dòng hợp lệ": "rows accepted",
    "số dòng bị loại": "rows rejected",
    "bắt đầu": "started",
    "lỗi": "error",
    "lý do": "reasons",
    "dòng bị loại": "rejected row",
    "Không phân trang": "No pagination",
    "Theo số trang": "Page number",
    "Theo liên kết trang sau": "Next link",
    "tiêu đề xác thực": "authentication header",
    "Ví dụ: Authorization: Bearer …": "For example: Authorization: Bearer …",
    "trường chứa danh sách": "list field",
    "phân trang": "pagination",
    "tham số trang": "page parameter",
    "trường liên kết trang sau": "next-link field",
    "tham số con trỏ": "cursor parameter",
    "trường con trỏ": "cursor field",
    "con trỏ gần nhất": "last cursor",
    "chu kỳ (phút)": "interval (minutes)",
    "lần kéo tiếp theo": "next pull",
    "đang bật": "enabled",
    "Dịch vụ công": "Public services",
    "Đô thị thông minh": "Smart city",
    "Giáo dục": "Education",
    "Y tế": "Health",
    "Du lịch": "Tourism",
    "Cộng đồng": "Community",
    "An ninh mạng": "Cyber security",
    "Tuần": "Week",
    "Tháng": "Month",
    "Năm": "Year",
    "Càng cao càng tốt": "Higher is better",
    "Càng thấp càng tốt": "Lower is better",
    "lĩnh vực": "sector",
    "kỳ": "period",
    "chiều tốt": "good direction",
    "chỉ tiêu": "target",
    "cảnh báo khi dưới": "warning below",
    "nghiêm trọng khi dưới": "critical below",
    "cảnh báo khi trên": "warning above",
    "nghiêm trọng khi trên": "critical above",
    "cách tính": "computation",
    "định nghĩa": "definition",
    "chỉ số": "indicator",
    "giá trị": "value",
    "Vượt ngưỡng": "Threshold crossed",
    "Sự kiện từ phân hệ": "App event",
    "Cảnh báo": "Warning",
    "Nghiêm trọng": "Critical",
    "Mới": "Open",
    "Đã xử lý": "Resolved",
    "mức độ": "severity",
    "tiêu đề": "title",
    "chi tiết": "detail",
    "xử lý xong lúc": "resolved at",
    "cảnh báo": "alert",
    "nội dung": "text",
    "lúc": "at",
    "Trung tâm điều hành thông minh": "Intelligent operations centre",
    "đơn vị chủ quản": "owner unit",
    "bộ dữ liệu": "dataset",
    "Hệ thống ngoài gửi": "Pushed by an external system",
    "Đang nhận": "Receiving",
    "Lỗi": "Failed",
    "thời gian (ms)": "duration (ms)",
    "người gửi": "sent by",
    "lần nhận dữ liệu": "ingestion run",
    "dòng số": "row number",
    "dữ liệu": "data",
    "tên hệ thống gửi": "sending system",
    "khóa gửi dữ liệu": "push key",
    "nguồn kéo dữ liệu": "pull source",
    "Điều hành chung": "General operations",
    "Môi trường": "Environment",
    "đơn vị tính": "unit of measure",
    "theo xã, phường": "by commune",
    "xã, phường": "commune or ward",
    "Bất thường": "Anomaly",
    "Dữ liệu trễ": "Late data",
    "Đã tiếp nhận": "Acknowledged",
    "người phụ trách": "assignee",
    "mở lúc": "opened at",
    "tiếp nhận lúc": "acknowledged at",
    "Điều hành": "Operations",
    "Dữ liệu": "Data",
    "Ghi chú xử lý": "Handling note",
    "Tiếp nhận": "Acknowledge",
    "Đóng cảnh báo": "Resolve",
    "Không có cảnh báo nào đang mở.": "No open alerts.",
    "Cột": "Columns",
    "Tải dữ liệu lên": "Upload data",
    "Tệp CSV hoặc XLSX": "CSV or XLSX file",
    "Tải lên": "Upload",
    "Kết quả": "Result",
    "Nhận %(received)s dòng: %(accepted)s hợp lệ, %(rejected)s bị loại.": (
        "Received %(received)s rows: %(accepted)s accepted, %(rejected)s rejected."
    ),
    "Lô này đã được nhận trước đó, không lưu lại.": (
        "This batch was received before and was not stored again."
    ),
    "Dòng": "Row",
    "Lý do": "Reason",
    "Tải các dòng bị loại (CSV)": "Download the rejected rows (CSV)",
    "Các lần nhận gần đây": "Recent ingestion runs",
    "Lúc": "At",
    "Nguồn": "Source",
    "Hợp lệ / bị loại": "Accepted / rejected",
    "Trạng thái": "State",
    "Bộ dữ liệu": "Datasets",
    "Đơn vị chủ quản": "Owner unit",
    "Nhận lần cuối": "Last received",
    "Không có bộ dữ liệu nào trong phạm vi của bạn.": "No dataset in your scope.",
    "Chỉ tiêu": "Target",
    "Diễn biến": "Trend",
    "Theo xã, phường (%(p)s)": "By commune (%(p)s)",
    "Xã, phường": "Commune or ward",
    "Giá trị": "Value",
    "Lịch sử": "History",
    "Kỳ": "Period",
    "Chưa có dữ liệu.": "No data yet.",
    "Trung tâm điều hành": "Operations centre",
    "Chỉ số theo lĩnh vực": "Indicators by sector",
    "Chưa có chỉ số nào trong phạm vi của bạn.": "No indicator in your scope yet.",
    "Bản đồ xã, phường": "Communes map",
    "Chỉ số": "Indicator",
    "Bản đồ 65 xã, phường tỉnh Lạng Sơn": "Map of the 65 communes and wards of Lạng Sơn",
    "Tự cập nhật": "Updates live",
    "Đã tiếp nhận cảnh báo.": "Alert acknowledged.",
    "Đã đóng cảnh báo.": "Alert resolved.",
    "Hãy chọn một tệp CSV hoặc XLSX.": "Choose a CSV or XLSX file.",
    "Diễn biến và dự báo": "Trend and forecast",
    "Khoảng dự báo (độ tin cậy 80 phần trăm)": "Forecast interval (80 per cent)",
    "Dự báo kỳ tới": "Next period forecast",
}


def _all_translations() -> dict[str, str]:
    """The table above plus ``tools/translations/*.json`` (one file per topic: {"Vietnamese": "English"})."""
    table = dict(TRANSLATIONS)
    for path in sorted((Path(__file__).resolve().parent / "translations").glob("*.json")):
        table.update(json.loads(path.read_text(encoding="utf-8")))
    return table


def main() -> None:
    translations = _all_translations()
    po = polib.pofile(str(PO))
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
        if not entry.msgid_plural and not entry.msgstr and entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
        # A plural message takes a pair [singular, plural] (English has two forms, Vietnamese one).
        elif entry.msgid_plural and not any(entry.msgstr_plural.values()) and entry.msgid in translations:
            singular, plural = translations[entry.msgid]
            entry.msgstr_plural = {0: singular, 1: plural}
    po.metadata_is_fuzzy = False
    po.save()
    for entry in po.untranslated_entries():
        print("untranslated:", entry.msgid)


if __name__ == "__main__":
    main()
