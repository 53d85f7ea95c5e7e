"""What the uptime part of ops publishes to the IOC (see indicators.py). Province-wide daily values, today
and yesterday recomputed at each run (``ioc.compute_app_indicators``), over the *active* systems:

- ``ops-availability`` (%): time-weighted availability of all systems together (their monitored and down
  seconds summed, ``uptime.availability``); warning below 99 %, critical below 95 %.
- ``ops-systems-down``: systems with an open incident at the time of the run (today only).
- ``ops-ipv6-ready`` (%): share of the checked systems that have an AAAA record and answered over IPv6 at
  their last round (today only).
- ``ops-tls-expiring``: HTTPS systems whose certificate expires within the warning window or has expired.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final

from django.utils import timezone

from langson.core.contract import IndicatorSpec, Value
from langson.ops.models import MonitoredSystem
from langson.ops.uptime import availability

OWNER: Final = "SO-KHCN"  # Sở Khoa học và Công nghệ: the provincial data centre
SECTOR: Final = "ioc"


def _checked() -> list[MonitoredSystem]:
    return list(MonitoredSystem.objects.filter(active=True, monitored_since__isnull=False))


def province_availability() -> list[Value]:
    now = timezone.now()
    today = timezone.localdate(now)
    systems = _checked()
    if not systems:
        return []
    figures = availability.daily(systems, today - timedelta(days=1), today, now)
    rows: list[Value] = []
    for offset, day in enumerate((today - timedelta(days=1), today)):
        value = availability.combined(f[offset] for f in figures.values())
        if value is not None:
            rows.append((day, "", round(value, 3)))
    return rows


def systems_down() -> list[Value]:
    today = timezone.localdate(timezone.now())
    down = MonitoredSystem.objects.filter(active=True, state=MonitoredSystem.State.DOWN).count()
    return [(today, "", float(down))]


def ipv6_ready() -> list[Value]:
    systems = _checked()
    if not systems:
        return []
    ready = sum(s.ipv6_ready for s in systems)
    return [(timezone.localdate(timezone.now()), "", round(100.0 * ready / len(systems), 1))]


def tls_expiring() -> list[Value]:
    levels = (MonitoredSystem.TlsLevel.WARNING, MonitoredSystem.TlsLevel.EXPIRED)
    count = MonitoredSystem.objects.filter(active=True, tls_level__in=levels).count()
    return [(timezone.localdate(timezone.now()), "", float(count))]


def _spec(
    code: str,
    name: str,
    name_en: str,
    unit: str,
    compute: Callable[[], list[Value]],
    description: str,
    **kw: Any,
) -> IndicatorSpec:
    return IndicatorSpec(
        code=code,
        name=name,
        name_en=name_en,
        unit=unit,
        sector=SECTOR,
        grain="day",
        owner=OWNER,
        compute=compute,
        description=description,
        **kw,
    )


INDICATORS: list[IndicatorSpec] = [
    _spec(
        "ops-availability",
        "Tỷ lệ sẵn sàng của các hệ thống thông tin",
        "Availability of the province's information systems",
        "%",
        province_availability,
        "Tỷ lệ thời gian hoạt động trên thời gian theo dõi trong ngày, gộp mọi hệ thống thông tin đang theo "
        "dõi; hệ thống gián đoạn khi 2 lần kiểm tra liên tiếp không truy cập được qua cả IPv4 và IPv6.",
        target=99.5,
        warning_below=99.0,
        critical_below=95.0,
    ),
    _spec(
        "ops-systems-down",
        "Số hệ thống thông tin đang gián đoạn",
        "Information systems down",
        "hệ thống",
        systems_down,
        "Số hệ thống đang theo dõi có sự cố chưa kết thúc, đếm tại lần tính gần nhất trong ngày.",
        direction="down",
        warning_above=0,
    ),
    _spec(
        "ops-ipv6-ready",
        "Tỷ lệ hệ thống thông tin sẵn sàng IPv6",
        "Share of information systems ready for IPv6",
        "%",
        ipv6_ready,
        "Tỷ lệ hệ thống đang theo dõi có bản ghi AAAA (hoặc địa chỉ IPv6) và truy cập được qua IPv6 ở lần "
        "kiểm tra gần nhất.",
        target=100.0,
    ),
    _spec(
        "ops-tls-expiring",
        "Số chứng chỉ TLS sắp hết hạn hoặc đã hết hạn",
        "TLS certificates expiring or expired",
        "chứng chỉ",
        tls_expiring,
        "Số hệ thống HTTPS có chứng chỉ hết hạn trong vòng 14 ngày tới hoặc đã hết hạn.",
        direction="down",
        warning_above=0,
    ),
]
