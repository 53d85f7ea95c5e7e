"""The gate officers' clearance pages (/cua-khau/thong-quan/): the queue and the trucks in the yard with their
elapsed times, the day's figures, CSV upload and entry of one event by hand.

A gate officer sees their gate; the economic-zone board and the province see every gate (the organisation
tree, ``clearance.visible_gates``). A gate outside the person's scope is a 404, as in the API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from langson.border import clearance
from langson.border.models import ClearanceBatch, TruckEvent, TruckVisit
from langson.core.models import OrgUnit, scoped

Kind = TruckEvent.Kind


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp CSV sự kiện xe"))
    gate = forms.ChoiceField(
        label=gettext_lazy("Cửa khẩu cho các dòng không ghi cửa khẩu"), required=False, choices=()
    )

    def __init__(self, *args: Any, gates: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["gate"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", _("(theo cột Cửa khẩu)")), *((g.code, g.name) for g in gates)]


class EventForm(forms.Form):
    """One event by hand. Values go through the same row check as the API and the CSV (``validate_row``)."""

    reference = forms.CharField(label=gettext_lazy("Mã lượt xe (số đăng ký)"), max_length=60)
    plate = forms.CharField(label=gettext_lazy("Biển số"), max_length=20)
    event = forms.ChoiceField(label=gettext_lazy("Sự kiện"), choices=Kind.choices)
    at = forms.CharField(
        label=gettext_lazy("Thời điểm"),
        max_length=40,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Luồng (khi phân luồng)"),
        required=False,
        choices=[("", "—"), *TruckVisit.Channel.choices],
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=200, required=False)


def _viewer(request: HttpRequest) -> list[OrgUnit]:
    if not request.user.has_perm("border.view_truckvisit"):
        raise PermissionDenied
    gates = list(clearance.visible_gates(request.user))
    if not gates:
        raise PermissionDenied  # an officer of a unit without any gate
    return gates


def _gate(request: HttpRequest, code: str) -> OrgUnit:
    for gate in _viewer(request):
        if gate.code == code:
            return gate
    raise Http404


def _may_record(request: HttpRequest, gate: OrgUnit | None = None) -> bool:
    gates = clearance.recording_gates(request.user)
    return gates.filter(pk=gate.pk).exists() if gate is not None else gates.exists()


def _day(request: HttpRequest) -> date:
    text = request.GET.get("ngay", "").strip()
    if not text:
        return clearance.local_today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        messages.error(request, _("Ngày “%(value)s” không hợp lệ; đang xem hôm nay.") % {"value": text[:20]})
        return clearance.local_today()


def _figures_view(figures: clearance.DayFigures) -> dict[str, Any]:
    fmt = clearance.format_minutes
    return {
        "f": figures,
        "median": fmt(figures.median_minutes),
        "p90": fmt(figures.p90_minutes),
        "from_registration": fmt(figures.median_from_registration),
        "yard_wait": fmt(figures.median_yard_wait),
        "inspection": fmt(figures.median_inspection),
        "exit": fmt(figures.median_exit),
    }


def _truck_rows(trucks: list[clearance.YardTruck], limit: int) -> list[dict[str, Any]]:
    over = clearance.clearance_alert_minutes()
    return [
        {
            "visit": t.visit,
            "status": t.status,
            "since": t.since,
            "elapsed": clearance.format_minutes(t.elapsed_minutes),
            "stage": clearance.format_minutes(t.stage_minutes),
            "late": t.elapsed_minutes > over,
        }
        for t in trucks[:limit]
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Every gate in scope with its queue now and today's figures; one gate: straight to its page."""
    gates = _viewer(request)
    if len(gates) == 1:
        return redirect("border:clearance-gate", code=gates[0].code)
    now = timezone.now()
    today = clearance.local_today(now)
    rows = []
    for gate in gates:
        rows.append(
            {
                "gate": gate,
                "waiting": clearance.waiting([gate], now).count(),
                "in_yard": clearance.in_yard([gate], now).count(),
                **_figures_view(clearance.day_figures([gate], today)),
            }
        )
    total = {
        "waiting": clearance.waiting(gates, now).count(),
        "in_yard": clearance.in_yard(gates, now).count(),
        **_figures_view(clearance.day_figures(gates, today)),
    }
    return render(
        request,
        "border/clearance.html",
        {
            "rows": rows,
            "total": total,
            "today": today,
            "upload_form": UploadForm(gates=list(clearance.recording_gates(request.user))),
            "may_record": _may_record(request),
            "queue_limit": clearance.queue_alert_trucks(),
        },
    )


YARD_LIMIT = 300  # rows shown per list; the counts are always complete


@login_required
def gate_page(request: HttpRequest, code: str) -> HttpResponse:
    gate = _gate(request, code)
    now = timezone.now()
    day = _day(request)
    state = clearance.yard([gate], now)
    start, end = clearance.day_bounds(day)
    flagged = (
        TruckVisit.objects.filter(gate=gate)
        .exclude(flags=[])
        .filter(gated_out_at__gte=start, gated_out_at__lt=end)
        .order_by("gated_out_at")
    )
    cleared = (
        TruckVisit.objects.filter(gate=gate, gated_out_at__gte=start, gated_out_at__lt=end)
        .order_by("-gated_out_at")
        .only("reference", "plate", "channel", "arrived_at", "gated_out_at", "clearance_minutes", "flags")
    )
    may_record = _may_record(request, gate)
    return render(
        request,
        "border/clearance_gate.html",
        {
            "gate": gate,
            "now": now,
            "day": day,
            "is_today": day == clearance.local_today(now),
            "state": state,
            "waiting_rows": _truck_rows(state.waiting, YARD_LIMIT),
            "inside_rows": _truck_rows(state.inside, YARD_LIMIT),
            "limit": YARD_LIMIT,
            "figures": _figures_view(clearance.day_figures([gate], day)),
            "flagged": [(v, [clearance.flag_message(f) for f in v.flags]) for v in flagged[:100]],
            "cleared": [(v, clearance.format_minutes(v.clearance_minutes)) for v in cleared[:YARD_LIMIT]],
            "queue_limit": clearance.queue_alert_trucks(),
            "minutes_limit": clearance.clearance_alert_minutes(),
            "may_record": may_record,
            "event_form": EventForm(
                initial={"at": now.astimezone(clearance.LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")}
            ),
            "upload_form": UploadForm(gates=[gate], initial={"gate": gate.code}),
            "batches": ClearanceBatch.objects.filter(recorded_by=request.user)[:10]
            if request.user.is_authenticated
            else [],
        },
    )


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("border.add_truckevent"):
        raise PermissionDenied
    gates = list(clearance.recording_gates(request.user))
    form = UploadForm(request.POST, request.FILES, gates=gates)
    back = request.POST.get("next", "")
    back = back if back.startswith("/cua-khau/") else reverse("border:clearance")
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một tệp CSV."))
        return redirect(back)
    default_gate = next((g for g in gates if g.code == form.cleaned_data["gate"]), None)
    upload_file = form.cleaned_data["file"]
    if upload_file.size > clearance.MAX_CSV_BYTES:
        messages.error(request, clearance.ClearanceInputError("too_big").message())
        return redirect(back)
    content = upload_file.read()
    try:
        batch = clearance.ingest_csv(
            content,
            user=request.user,
            gates=gates,
            default_gate=default_gate,
            file_name=upload_file.name or "",
        )
    except clearance.ClearanceInputError as exc:
        messages.error(request, exc.message())
        return redirect(back)
    _announce(request, batch)
    return redirect("border:clearance-batch", pk=batch.pk)


def _announce(request: HttpRequest, batch: ClearanceBatch) -> None:
    counts = {"stored": batch.stored, "duplicates": batch.duplicates, "rejected": batch.rejected}
    text = (
        _("Đã lưu %(stored)s sự kiện mới, %(duplicates)s sự kiện đã có, %(rejected)s dòng bị loại.") % counts
    )
    if batch.rejected:
        messages.warning(request, text)
    else:
        messages.success(request, text)


@login_required
def batch_page(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("border.view_clearancebatch"):
        raise PermissionDenied
    batch = (
        scoped(
            ClearanceBatch.objects.select_related("recorded_by"), request.user, "recorded_by__org_unit__path"
        )
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise Http404
    rejected = [
        (r, [clearance.reason_message(x) for x in r.reasons]) for r in batch.rejected_rows.all()[:1000]
    ]
    return render(request, "border/clearance_batch.html", {"batch": batch, "rejected": rejected})


@login_required
@require_POST
def record(request: HttpRequest, code: str) -> HttpResponse:
    gate = _gate(request, code)
    if not _may_record(request, gate):
        raise PermissionDenied
    form = EventForm(request.POST)
    back = reverse("border:clearance-gate", kwargs={"code": gate.code})
    if not form.is_valid():
        messages.error(request, _("Hãy điền mã lượt xe, biển số, sự kiện và thời điểm."))
        return redirect(back)
    row = {key: form.cleaned_data[key] for key in ("reference", "plate", "event", "at", "channel", "note")}
    batch = clearance.ingest(
        [(1, row)], source=ClearanceBatch.Source.MANUAL, user=request.user, gates=[gate], default_gate=gate
    )
    first = batch.rejected_rows.first()
    if first is not None:
        messages.error(request, " ".join(clearance.reason_message(x) for x in first.reasons))
    elif batch.duplicates:
        messages.info(request, _("Sự kiện này đã được ghi trước đó."))
    else:
        messages.success(request, _("Đã ghi sự kiện của xe %(plate)s.") % {"plate": row["plate"]})
    return redirect(back)


@login_required
def visit_page(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    gate = _gate(request, code)
    visit = TruckVisit.objects.filter(gate=gate, reference=reference).first()
    if visit is None:
        raise Http404
    now = timezone.now()
    start = min((t for t in (visit.arrived_at, visit.gated_in_at) if t is not None), default=None)
    out = visit.gated_out_at is not None and visit.gated_out_at <= now
    elapsed = None if out or start is None else (now - start).total_seconds() / 60
    fmt = clearance.format_minutes
    return render(
        request,
        "border/clearance_visit.html",
        {
            "gate": gate,
            "visit": visit,
            "events": visit.events.select_related("recorded_by").order_by("at", "id"),
            "flags": [clearance.flag_message(f) for f in visit.flags],
            "elapsed": fmt(elapsed) if elapsed is not None else None,
            "stages": [
                (_("Thời gian thông quan (vào bãi → ra cổng)"), fmt(visit.clearance_minutes)),
                (_("Tính từ khai báo trước"), fmt(visit.from_registration_minutes)),
                (_("Chờ trong bãi (vào bãi → vào cổng)"), fmt(visit.yard_wait_minutes)),
                (_("Kiểm tra (vào cổng → thông quan)"), fmt(visit.inspection_minutes)),
                (_("Ra cửa khẩu (thông quan → ra cổng)"), fmt(visit.exit_minutes)),
            ],
        },
    )


@login_required
def csv_template(request: HttpRequest) -> HttpResponse:
    """The documented header with example rows, as a file officers can fill in."""
    if not request.user.has_perm("border.view_truckvisit"):
        raise PermissionDenied
    response = HttpResponse("\ufeff" + clearance.csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-su-kien-xe.csv"'
    return response
