"""IOC pages: the leaders' overview (sector cards, communes map, live alert feed), datasets with upload,
indicator pages, and the server-push stream that keeps the overview current without a reload."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langson.core.models import OrgUnit
from langson.ioc.api import quarantine_response, visible_alerts, visible_datasets, visible_indicators
from langson.ioc.models import Alert, IndicatorValue, IngestionRun
from langson.ioc.services import alerts as alerts_service
from langson.ioc.services.files import read_table
from langson.ioc.services.indicators import status_of
from langson.ioc.services.ingestion import ingest
from langson.ioc.services.mapsvg import colour_for, commune_paths
from langson.ioc.services.validation import SchemaError

STREAM_POLL_SECONDS = 2.0
STREAM_MAX_SECONDS = 300  # the browser's EventSource reconnects by itself; no connection lives forever


def sparkline(values: list[float], width: int = 120, height: int = 32) -> str:
    """SVG polyline points for a small trend line."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - (v - low) / span * height:.1f}" for i, v in enumerate(values))


def _cards(user: Any, sector: str | None = None) -> list[dict[str, Any]]:
    """One card per indicator visible to the user (of one sector only when ``sector`` is given)."""
    indicators = visible_indicators(user)
    if sector is not None:
        indicators = indicators.filter(sector=sector)
    cards = []
    for indicator in indicators:
        history = list(
            IndicatorValue.objects.filter(indicator=indicator, commune="")
            .order_by("-period")
            .values_list("period", "value")[:12]
        )[::-1]
        latest = history[-1] if history else None
        value = latest[1] if latest else None
        previous = history[-2][1] if len(history) > 1 else None
        cards.append(
            {
                "indicator": indicator,
                "value": value,
                "period": latest[0] if latest else None,
                "change": (value - previous) if value is not None and previous is not None else None,
                "status": status_of(indicator, value),
                "spark": sparkline([v for _, v in history]),
            }
        )
    return cards


def _map(user: Any, indicator_code: str | None) -> dict[str, Any]:
    indicators = visible_indicators(user).filter(by_commune=True)
    chosen = indicators.filter(code=indicator_code).first() if indicator_code else indicators.first()
    values: dict[str, float] = {}
    period = None
    if chosen is not None:
        period = (
            IndicatorValue.objects.filter(indicator=chosen)
            .exclude(commune="")
            .aggregate(p=Max("period"))["p"]
        )
        values = dict(
            IndicatorValue.objects.filter(indicator=chosen, period=period)
            .exclude(commune="")
            .values_list("commune", "value")
        )
    low, high = (min(values.values()), max(values.values())) if values else (0.0, 0.0)
    paths, height = commune_paths()
    shapes = [
        {
            "code": code,
            "name": name,
            "d": d,
            "value": values.get(code),
            "fill": colour_for(values.get(code), low, high),
        }
        for code, name, d in paths
    ]
    return {"indicators": indicators, "chosen": chosen, "period": period, "shapes": shapes, "height": height}


def _feed(user: Any) -> list[Alert]:
    return list(
        visible_alerts(user).exclude(state=Alert.State.RESOLVED).prefetch_related("comments__author")[:50]
    )


@login_required
@permission_required("ioc.view_indicator", raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ioc/overview.html",
        {
            "cards": _cards(request.user),
            "map": _map(request.user, request.GET.get("map")),
            "alerts": _feed(request.user),
        },
    )


@login_required
@permission_required("ioc.view_alert", raise_exception=True)
def alert_feed(request: HttpRequest) -> HttpResponse:
    return render(request, "ioc/_alert_feed.html", {"alerts": _feed(request.user)})


def _feed_signature(user: Any) -> str:
    """Changes whenever an alert visible to the user is raised, acknowledged, resolved or commented on."""
    alerts = visible_alerts(user)
    agg = alerts.aggregate(
        last=Max("id"), ack=Max("acknowledged_at"), res=Max("resolved_at"), note=Max("comments__id")
    )
    return json.dumps([agg["last"], str(agg["ack"]), str(agg["res"]), agg["note"], alerts.count()])


async def alert_stream(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Server-sent events: one 'alerts' event each time the feed changes (EventSource reconnects itself)."""
    user = await request.auser()
    if not user.is_authenticated or not await sync_to_async(user.has_perm)("ioc.view_alert"):
        return HttpResponse(status=403)

    async def events() -> AsyncIterator[str]:
        last = await sync_to_async(_feed_signature)(user)
        yield "retry: 3000\n\n"
        waited = 0.0
        while waited < STREAM_MAX_SECONDS:
            await asyncio.sleep(STREAM_POLL_SECONDS)
            waited += STREAM_POLL_SECONDS
            current = await sync_to_async(_feed_signature)(user)
            if current != last:
                last = current
                yield "event: alerts\ndata: changed\n\n"
            else:
                yield ": keep-alive\n\n"

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # tell nginx not to buffer the stream
    return response


@login_required
@require_POST
def alert_action(request: HttpRequest, alert_id: int, action: str) -> HttpResponse:
    if action not in ("acknowledge", "resolve") or not request.user.has_perm("ioc.change_alert"):
        raise Http404
    alert = visible_alerts(request.user).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    comment = request.POST.get("comment", "").replace("\x00", "")[:4000]
    try:
        if action == "acknowledge":
            alerts_service.acknowledge(alert, request.user, comment)
            messages.success(request, _("Đã tiếp nhận cảnh báo."))
        else:
            alerts_service.resolve(alert, request.user, comment)
            messages.success(request, _("Đã đóng cảnh báo."))
    except alerts_service.TransitionError as exc:
        messages.error(request, exc.vi)
    return redirect(request.POST.get("next") or "ioc:overview")


@login_required
@permission_required("ioc.view_dataset", raise_exception=True)
def dataset_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ioc/dataset_list.html", {"datasets": visible_datasets(request.user)})


@login_required
@permission_required("ioc.view_dataset", raise_exception=True)
def dataset_detail(request: HttpRequest, code: str) -> HttpResponse:
    dataset = visible_datasets(request.user).filter(code=code).first()
    if dataset is None:
        raise Http404
    run = None
    error = None
    if request.method == "POST":
        if not request.user.has_perm("ioc.add_ingestionrun"):
            raise Http404
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Hãy chọn một tệp CSV hoặc XLSX.")
        else:
            try:
                header, rows = read_table(upload.name or "", upload.read())
                run = ingest(
                    dataset,
                    rows,
                    source=IngestionRun.Source.UPLOAD,
                    source_detail=upload.name or "",
                    header=header,
                    user=request.user,
                )
            except SchemaError as exc:
                error = exc.vi
    runs = IngestionRun.objects.filter(dataset=dataset).select_related("started_by")[:20]
    quarantine = list(run.quarantine.all()[:200]) if run else []
    return render(
        request,
        "ioc/dataset_detail.html",
        {"dataset": dataset, "run": run, "runs": runs, "error": error, "quarantine": quarantine},
    )


@login_required
@permission_required("ioc.view_ingestionrun", raise_exception=True)
def run_quarantine(request: HttpRequest, run_id: int) -> HttpResponse:
    run = IngestionRun.objects.filter(pk=run_id, dataset__in=visible_datasets(request.user)).first()
    if run is None:
        raise Http404
    return quarantine_response(run)


@login_required
@permission_required("ioc.view_indicator", raise_exception=True)
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = visible_indicators(request.user).filter(code=code).first()
    if indicator is None:
        raise Http404
    history = list(IndicatorValue.objects.filter(indicator=indicator, commune="").order_by("period"))
    latest_period = history[-1].period if history else None
    names = dict(OrgUnit.objects.filter(gso_code__isnull=False).values_list("code", "name"))
    breakdown = (
        [
            {
                "commune": names.get(v.commune, v.commune),
                "value": v.value,
                "status": status_of(indicator, v.value),
            }
            for v in IndicatorValue.objects.filter(indicator=indicator, period=latest_period)
            .exclude(commune="")
            .order_by("-value")
        ]
        if latest_period
        else []
    )
    return render(
        request,
        "ioc/indicator_detail.html",
        {
            "indicator": indicator,
            "history": history[::-1][:120],  # the newest 120 periods; the API serves the rest
            "breakdown": breakdown,
            "period": latest_period,
            "chart": forecast_chart(indicator, [v.value for v in history]),
        },
    )


def forecast_chart(indicator: Any, values: list[float], shown: int = 36) -> dict[str, Any]:
    """History line plus the next periods' forecast and its 80 % band, as SVG coordinates (600 × 160)."""
    from langson.ioc.services.alerts import SEASON_LENGTH
    from langson.ioc.services.forecast import forecast

    season = SEASON_LENGTH[indicator.grain]
    past = values[-max(shown, season * 4) :]
    recent = past[-shown:]
    if len(recent) < 2:
        return {}
    predicted = forecast(past, season, min(season, 12) if season > 1 else 6) if len(past) >= 4 else None
    ahead = len(predicted.mean) if predicted else 0
    everything = recent + (predicted.lower + predicted.upper if predicted else [])
    low, high = min(everything), max(everything)
    span = (high - low) or 1.0
    step = 600 / (len(recent) + ahead - 1)

    def xy(i: int, v: float) -> str:
        return f"{i * step:.1f},{155 - (v - low) / span * 150:.1f}"

    chart: dict[str, Any] = {"history": " ".join(xy(i, v) for i, v in enumerate(recent))}
    if predicted:
        start = len(recent) - 1
        chart["forecast"] = " ".join(xy(start + i, v) for i, v in enumerate([recent[-1], *predicted.mean]))
        upper = [xy(start + i, v) for i, v in enumerate([recent[-1], *predicted.upper])]
        lower = [xy(start + i, v) for i, v in enumerate([recent[-1], *predicted.lower])]
        chart["band"] = " ".join(upper + lower[::-1])
        chart["method"] = predicted.method
        chart["next"] = predicted.mean[0]
    return chart
