"""Weekly and monthly IOC reports for the province's leaders, as PDF and XLSX, from plain data.

The caller fills :class:`ReportData` (from the database or anywhere) and calls :func:`render_pdf` or
:func:`render_xlsx`; neither touches Django models nor the database.
"""

from __future__ import annotations

from langson.ioc.reports.data import AlertLine, IndicatorLine, ReportData
from langson.ioc.reports.pdf import render_pdf
from langson.ioc.reports.xlsx import render_xlsx

__all__ = ["AlertLine", "IndicatorLine", "ReportData", "render_pdf", "render_xlsx"]
