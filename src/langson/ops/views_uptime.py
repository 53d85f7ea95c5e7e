"""Pages of uptime: the registry of the province's information systems (/van-hanh/he-thong/, login) and
the public status page (/van-hanh/trang-thai/, no login, no JavaScript).

Scope (``uptime.access``): a system out of a person's sight is a 404, one in sight that they may not change
a 403. Every change is audited (``AuditedModel``: the request is the audit context).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from langson.ops.forms_uptime import SystemForm
from langson.ops.models import MonitoredSystem
from langson.ops.uptime import access, availability, status

PAGE_SIZE = 50
LIST_DAYS = 30
DETAIL_DAYS = 30
DETAIL_MONTHS = 12
RECENT_CHECKS = 40
RECENT_INCIDENTS = 20


def _viewer(request: HttpRequest) -> QuerySet[MonitoredSystem]:
    if not request.user.has_perm(access.VIEW):
        raise PermissionDenied
    return access.visible_systems(request.user)


def _system(request: HttpRequest, code: str) -> MonitoredSystem:
    system = _viewer(request).filter(code=code).first()
    if system is None:
        raise Http404
    return system


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    systems = _viewer(request)
    chosen = {
        "q": request.GET.get("q", "").strip().replace("\x00", "")[:100],
        "tinh_trang": request.GET.get("tinh_trang", "").strip(),
        "ngung": request.GET.get("ngung", "").strip(),
    }
    systems = systems.filter(active=chosen["ngung"] != "1")
    if chosen["tinh_trang"] in MonitoredSystem.State.values:
        systems = systems.filter(state=chosen["tinh_trang"])
    if chosen["q"]:
        systems = systems.filter(Q(code__icontains=chosen["q"]) | Q(name__icontains=chosen["q"]))
    page = Paginator(systems.order_by("name"), PAGE_SIZE).get_page(request.GET.get("trang"))
    now = timezone.now()
    today = timezone.localdate(now)
    figures = availability.daily(list(page), today - timedelta(days=LIST_DAYS - 1), today, now)
    rows = [
        {
            "system": s,
            "today": figures[s.pk][-1].availability,
            "month": availability.combined(figures[s.pk]),
        }
        for s in page
    ]
    return render(
        request,
        "ops/uptime_list.html",
        {
            "rows": rows,
            "page": page,
            "chosen": chosen,
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            "states": MonitoredSystem.State.choices,
            "may_add": request.user.has_perm(access.ADD),
            "list_days": LIST_DAYS,
        },
    )


@login_required
def system_detail(request: HttpRequest, code: str) -> HttpResponse:
    system = _system(request, code)
    now = timezone.now()
    today = timezone.localdate(now)
    first_month = (today.replace(day=1) - timedelta(days=31 * (DETAIL_MONTHS - 1))).replace(day=1)
    days = availability.daily([system], first_month, today, now)[system.pk]
    return render(
        request,
        "ops/uptime_detail.html",
        {
            "system": system,
            "now": now,
            "days": list(reversed(days[-DETAIL_DAYS:])),
            "months": list(reversed(availability.monthly(days))),
            "incidents": system.incidents.all()[:RECENT_INCIDENTS],
            "checks": system.checks.all()[:RECENT_CHECKS],
            "may_change": access.may_manage(request.user, system),
            "tls_days_left": (
                int((system.tls_not_after - now).total_seconds() // 86400) if system.tls_not_after else None
            ),
        },
    )


@login_required
def system_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(access.ADD):
        raise PermissionDenied
    if request.method == "POST":
        form = SystemForm(request.POST, user=request.user)
        if form.is_valid():
            system = form.save()
            messages.success(request, _("Đã đăng ký hệ thống %(name)s.") % {"name": system.name})
            return redirect("ops:system", code=system.code)
    else:
        form = SystemForm(user=request.user)
    return render(request, "ops/uptime_form.html", {"form": form, "system": None})


@login_required
def system_edit(request: HttpRequest, code: str) -> HttpResponse:
    system = _system(request, code)
    if not access.may_manage(request.user, system):
        raise PermissionDenied
    if request.method == "POST":
        form = SystemForm(request.POST, instance=system, user=request.user)
        if form.is_valid():
            if form.has_changed():
                saved = form.save(commit=False)
                fields = list(form.changed_data)
                if {"kind", "url", "host", "port", "query_name", "interval_seconds"} & set(fields):
                    saved.next_check_at = None  # checked at the next tick with its new definition
                    fields.append("next_check_at")
                # Only what the person changed: the worker may have written the state meanwhile.
                saved.save(update_fields=fields)
                messages.success(request, _("Đã lưu hệ thống %(name)s.") % {"name": system.name})
            return redirect("ops:system", code=system.code)
    else:
        form = SystemForm(instance=system, user=request.user)
    return render(request, "ops/uptime_form.html", {"form": form, "system": system})


def status_page(request: HttpRequest) -> HttpResponse:
    """Public: no login, no JavaScript, phone first."""
    board = status.board()
    context: dict[str, Any] = {"board": board, "days": status.DAYS}
    return render(request, "ops/status.html", context)
