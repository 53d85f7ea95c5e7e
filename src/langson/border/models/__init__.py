"""Smart border gate (cửa khẩu thông minh): trade documents read by OCR, and truck clearance times."""

from langson.border.models.clearance import ClearanceBatch, RejectedTruckRow, TruckEvent, TruckVisit
from langson.border.models.documents import Document, FieldCorrection, Shipment

__all__ = [
    "ClearanceBatch",
    "Document",
    "FieldCorrection",
    "RejectedTruckRow",
    "Shipment",
    "TruckEvent",
    "TruckVisit",
]
