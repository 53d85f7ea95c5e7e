"""Pages of the web shell: home, units, calendar, audit log, health and metrics."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from langson.core.models import AuditEntry, CalendarOverride, OrgUnit, scoped
from langson.core.services import workdays
from langson.core.services.calendar import calendar_for
from langson.core.services.health import health


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = OrgUnit.objects.visible_to(user)
    context: dict[str, Any] = {
        "unit_count": units.count(),
        "commune_count": units.filter(kind__in=[OrgUnit.Kind.COMMUNE, OrgUnit.Kind.WARD]).count(),
        "today": timezone.localdate(),
    }
    cal = calendar_for(getattr(user, "org_unit", None))
    today = timezone.localdate()
    context["today_working"] = workdays.is_working_day(cal, today)
    context["today_reason"] = workdays.day_off_reason(cal, today)
    context["next_working_day"] = workdays.next_working_day(cal, today)
    return render(request, "core/home.html", context)


@login_required
@permission_required("core.view_orgunit", raise_exception=True)
def unit_list(request: HttpRequest) -> HttpResponse:
    units = OrgUnit.objects.visible_to(request.user).select_related("parent")
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()[:100]
    if kind in OrgUnit.Kind.values:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(name__icontains=query)
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/unit_list.html",
        {"page": page, "kinds": OrgUnit.Kind.choices, "kind": kind, "q": query},
    )


class UnitContactForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["address", "phone", "email", "saturday_reception"]


def _visible_unit_or_404(request: HttpRequest, code: str) -> OrgUnit:
    unit = (
        OrgUnit.objects.visible_to(request.user).select_related("parent", "commune").filter(code=code).first()
    )
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit


@login_required
@permission_required("core.view_orgunit", raise_exception=True)
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit_or_404(request, code)
    can_change = request.user.has_perm("core.change_orgunit", unit)
    form = UnitContactForm(instance=unit) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = UnitContactForm(request.POST, instance=unit)
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, _("Đã lưu thông tin đơn vị."))
            return redirect("core:unit", code=unit.code)
    children = OrgUnit.objects.visible_to(request.user).filter(parent=unit)
    located = OrgUnit.objects.visible_to(request.user).filter(commune=unit).exclude(parent=unit)
    return render(
        request,
        "core/unit_detail.html",
        {"unit": unit, "children": children, "located": located, "form": form, "can_change": can_change},
    )


@login_required
@permission_required("core.view_calendaroverride", raise_exception=True)
def calendar_view(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2010), 2099)
    cal = calendar_for(getattr(request.user, "org_unit", None), [year])
    days = sorted({*cal.holidays, *cal.extra_days_off, *cal.makeup_workdays})
    rows = [
        {"date": d, "working": workdays.is_working_day(cal, d), "reason": workdays.day_off_reason(cal, d)}
        for d in days
        if d.year == year
    ]
    in_year = CalendarOverride.objects.filter(date__year=year).select_related("unit")
    # Province-wide rows for everyone; a unit's own rows only within the person's scope, as in the admin.
    overrides = in_year.filter(unit__isnull=True) | scoped(in_year, request.user, "unit__path")
    return render(request, "core/calendar.html", {"year": year, "rows": rows, "overrides": overrides})


@login_required
@permission_required("core.view_auditentry", raise_exception=True)
def audit_view(request: HttpRequest) -> HttpResponse:
    entries = scoped(AuditEntry.objects.all(), request.user, "scope_path")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.changes_pretty = json.dumps(json.loads(entry.changes or "{}"), ensure_ascii=False, indent=1)
    return render(request, "core/audit.html", {"page": page})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status, body = health()
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _loopback(request: HttpRequest) -> bool:
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus scrape: with LANGSON_METRICS_TOKEN set, a bearer token; otherwise loopback only."""
    token = settings.METRICS_TOKEN
    authorised = (
        request.headers.get("Authorization", "") == f"Bearer {token}" if token else _loopback(request)
    )
    if not authorised:
        return HttpResponse(status=403)
    from langson.core.metrics import register_collectors

    register_collectors()
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)
