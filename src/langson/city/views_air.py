"""The air-quality station map (/do-thi/khong-khi/): the 65 communes as server-rendered SVG, one marker per
station in the official VN_AQI colour of its hourly index (Decision 1459, Table 1), a legend, and a table with
the same figures in words (nothing depends on colour alone). Login required; which stations a person sees is
``city.air.visible_stations`` (the whole province for the province and departments, their commune for a
commune's officers). No JavaScript."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langson.city import air, aqi
from langson.city.sun import VIETNAM_TZ
from langson.ioc.services.mapsvg import commune_paths, project_point

REASONS = {
    aqi.Reason.NO_VALUE: _("Chưa có số liệu"),
    aqi.Reason.NOWCAST_RECENT_HOURS: _("Chưa đủ số liệu bụi của 2 trong 3 giờ gần nhất"),
    aqi.Reason.INCOMPLETE_DAY: _("Chưa đủ 18 giờ số liệu trong ngày"),
    aqi.Reason.NO_PARTICULATE: _("Chưa có số liệu bụi PM10 hoặc PM2.5"),
}


def why_missing(result: aqi.AqiResult) -> Any:
    """Why an index is None, in words: the particulates' own reason first (the index needs one of them)."""
    for pollutant in (aqi.Pollutant.PM25, aqi.Pollutant.PM10):
        index = result.pollutants.get(pollutant)
        if index is not None and index.reason is not None and index.reason != aqi.Reason.NO_VALUE:
            return REASONS[index.reason]
    return REASONS.get(result.reason or aqi.Reason.NO_VALUE, REASONS[aqi.Reason.NO_VALUE])


def _legend() -> list[dict[str, Any]]:
    return [{"band": band, "fill": band.hex, "text": air.text_colour(band.rgb)} for band in aqi.BANDS]


@login_required
def air_page(request: HttpRequest) -> HttpResponse:
    if not air.may_view(request.user):
        raise PermissionDenied
    found = list(air.visible_stations(request.user).order_by("commune__name", "name", "device_id"))
    now = timezone.now()
    figures = air.station_air(found, now)
    paths, height = commune_paths()
    own = (
        air.commune_of(getattr(request.user, "org_unit", None))
        if air.is_commune_scoped(request.user)
        else None
    )
    shapes = [
        {"code": code, "name": name, "d": d, "own": own is not None and code == own.code}
        for code, name, d in paths
    ]
    rows = []
    for item in figures:
        x, y = project_point(item.station.longitude, item.station.latitude)
        rows.append(
            {
                "air": item,
                "x": round(x, 1),
                "y": round(y, 1),
                "hourly_why": why_missing(item.hourly) if item.hourly.value is None else "",
                "daily_why": why_missing(item.daily) if item.daily.value is None else "",
            }
        )
    return render(
        request,
        "city/air.html",
        {
            "rows": rows,
            "shapes": shapes,
            "height": height,
            "legend": _legend(),
            "own": own,
            "hour_end": air.hour_start(now),
            "day": now.astimezone(VIETNAM_TZ).date() - timedelta(days=1),
            "no_index_fill": air.NO_INDEX_FILL,
            "threshold": air.ALERT_ABOVE,
        },
    )
