"""The device registry's pages (/do-thi/thiet-bi/) and the device map (/do-thi/ban-do/).

Who sees and manages which device is decided in ``city.registry`` (the organisation tree, decision 0004): a
device out of sight is a 404, one in sight that the person may not manage a 403. A device's secret is made by
the platform and shown once, in the answer to the request that made it; only its hash is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from langson.city import registry
from langson.city.api_ingest import store
from langson.city.commands import InvalidCommand, send_command
from langson.city.forms_devices import CommandForm, DeviceForm
from langson.city.models import Device
from langson.core.models import OrgUnit
from langson.core.services import geo
from langson.ioc.services.mapsvg import commune_paths, project_point

PAGE_SIZE = 50
POLL_MS = 3000  # the device page's live part asks for its state this often
RECENT_COMMANDS = 10
RECENT_READINGS = 30


def _viewer(request: HttpRequest) -> QuerySet[Device]:
    if not request.user.has_perm(registry.VIEW):
        raise PermissionDenied
    return registry.visible_devices(request.user)


def _device(request: HttpRequest, device_id: str) -> Device:
    device = _viewer(request).filter(device_id=device_id).first()
    if device is None:
        raise Http404
    return device


def _managed(request: HttpRequest, device_id: str, permission: str = registry.CHANGE) -> Device:
    device = _device(request, device_id)
    if not registry.may_manage(request.user, device, permission):
        raise PermissionDenied
    return device


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


# -- list --------------------------------------------------------------------------------------------------


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    devices = _viewer(request)
    chosen = {
        "loai": request.GET.get("loai", "").strip(),
        "xa": request.GET.get("xa", "").strip(),
        "ket_noi": request.GET.get("ket_noi", "").strip(),
        "hong": request.GET.get("hong", "").strip(),
        "ngung": request.GET.get("ngung", "").strip(),
        "q": request.GET.get("q", "").strip()[:100],
    }
    devices = devices.filter(active=chosen["ngung"] != "1")
    if chosen["loai"] in Device.Type.values:
        devices = devices.filter(type=chosen["loai"])
    if chosen["xa"]:
        devices = devices.filter(commune__code=chosen["xa"])
    if chosen["q"]:
        devices = devices.filter(Q(device_id__icontains=chosen["q"]) | Q(name__icontains=chosen["q"]))
    now = timezone.now()
    if chosen["ket_noi"] in ("on", "off"):
        devices = registry.filter_online(devices, chosen["ket_noi"] == "on", now)
    if chosen["hong"] == "1":
        devices = registry.filter_faulty(devices, True)
    page = Paginator(devices.order_by("device_id"), PAGE_SIZE).get_page(request.GET.get("trang"))
    lamps = registry.lamp_states(list(page))
    rows = [
        {
            "device": d,
            "online": registry.is_online(d, now),
            "lamp": lamps.get(d.device_id),
        }
        for d in page
    ]
    communes = OrgUnit.objects.filter(
        pk__in=registry.visible_devices(request.user).values("commune")
    ).order_by("name")
    query = urlencode({k: v for k, v in chosen.items() if v})
    return render(
        request,
        "city/device_list.html",
        {
            "rows": rows,
            "page": page,
            "chosen": chosen,
            "query": query,
            "types": Device.Type.choices,
            "communes": communes,
            "may_add": request.user.has_perm(registry.ADD),
        },
    )


# -- detail and its live part ------------------------------------------------------------------------------


def _live(device: Device) -> dict[str, Any]:
    """What changes while the page is open: contact, the lamp's reported state, the commands' states."""
    now = timezone.now()
    lamp = registry.lamp_states([device]).get(device.device_id)
    commands = list(
        device.commands.select_related("requested_by").order_by("-created_at", "-id")[:RECENT_COMMANDS]
    )
    return {
        "device": device,
        "now": now,
        "online": registry.is_online(device, now),
        "lamp": lamp,
        "dimming": "" if lamp is None or lamp.dimming_level is None else f"{lamp.dimming_level:g}",
        "is_light": device.type == Device.Type.STREETLIGHT,
        "commands": [(c, command_text(c.payload)) for c in commands],
        "waiting": any(c.is_open for c in commands),
    }


def command_text(payload: dict[str, Any]) -> str:
    """A command's payload in words, e.g. “Giảm độ sáng còn 50 %”."""
    parts = []
    state = payload.get("powerState")
    level = payload.get("dimmingLevel")
    if state == "off":
        parts.append(_("Tắt đèn"))
    elif level is not None and float(level) < 100:
        parts.append(_("Giảm độ sáng còn %(level)s %%") % {"level": f"{float(level):g}"})
    elif state == "on":
        parts.append(_("Bật đèn"))
    others = {k: v for k, v in payload.items() if k not in ("powerState", "dimmingLevel")}
    if others or not parts:
        parts.append(", ".join(f"{k} = {v}" for k, v in (others or payload).items()))
    return "; ".join(parts)


@login_required
def device_detail(request: HttpRequest, device_id: str) -> HttpResponse:
    device = _device(request, device_id)
    values = registry.latest_values([device.device_id]).get(device.device_id, {})
    may_command = device.active and registry.may_manage(request.user, device, registry.COMMAND)
    context = {
        **_live(device),
        "latest": list(values.values()),
        "readings": registry.recent_readings(device.device_id, values.keys(), RECENT_READINGS),
        "children": device.children.order_by("device_id")[:100],
        "may_change": registry.may_manage(request.user, device, registry.CHANGE),
        "may_command": may_command,
        "command_form": CommandForm(),
        "poll_ms": POLL_MS,
        "map": _device_map(device),
    }
    return render(request, "city/device_detail.html", context)


@login_required
def device_live(request: HttpRequest, device_id: str) -> HttpResponse:
    """The page's live part alone, asked for every few seconds by the page (no reload)."""
    device = _device(request, device_id)
    return _no_store(render(request, "city/device_live.html", _live(device)))


# -- create, edit, deactivate, new secret ------------------------------------------------------------------


def _secret_page(request: HttpRequest, device: Device, secret: str, created: bool) -> HttpResponse:
    """The secret is in this answer only; it is not stored, and the page asks browsers not to keep it."""
    response = render(
        request,
        "city/device_secret.html",
        {"device": device, "secret": secret, "created": created},
        status=201 if created else 200,
    )
    return _no_store(response)


@login_required
def device_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(registry.ADD):
        raise PermissionDenied
    if request.method == "POST":
        form = DeviceForm(request.POST, user=request.user)
        if form.is_valid():
            device = form.save(commit=False)
            secret = registry.give_secret(device)
            device.save()
            return _secret_page(request, device, secret, created=True)
    else:
        form = DeviceForm(user=request.user, initial={"offline_after_s": 900})
    return render(request, "city/device_form.html", {"form": form, "device": None})


@login_required
def device_edit(request: HttpRequest, device_id: str) -> HttpResponse:
    device = _managed(request, device_id)
    if request.method == "POST":
        form = DeviceForm(request.POST, instance=device, user=request.user)
        if form.is_valid():
            if form.has_changed():
                form.save()
                messages.success(request, _("Đã lưu thiết bị %(id)s.") % {"id": device.device_id})
            return redirect("city:device", device_id=device.device_id)
    else:
        form = DeviceForm(instance=device, user=request.user)
    return render(request, "city/device_form.html", {"form": form, "device": device})


@login_required
@require_POST
def device_active(request: HttpRequest, device_id: str) -> HttpResponse:
    """Deactivate (the device can no longer send; its data stays) or reactivate."""
    device = _managed(request, device_id)
    active = request.POST.get("active") == "1"
    if device.active != active:
        device.active = active
        device.save()
        store().forget()
        if active:
            messages.success(request, _("Thiết bị %(id)s hoạt động trở lại.") % {"id": device.device_id})
        else:
            messages.success(
                request,
                _("Đã ngừng thiết bị %(id)s: nó không gửi số đo và không nhận lệnh được nữa.")
                % {"id": device.device_id},
            )
    return redirect("city:device", device_id=device.device_id)


@login_required
@require_POST
def device_secret(request: HttpRequest, device_id: str) -> HttpResponse:
    device = _managed(request, device_id)
    secret = registry.give_secret(device)
    device.save()
    return _secret_page(request, device, secret, created=False)


# -- commands ----------------------------------------------------------------------------------------------


def command_payload(action: str, level: int | None) -> dict[str, Any]:
    """FIWARE Streetlight attributes of a switch or dim command."""
    if action == "off":
        return {"powerState": "off"}
    if action == "dim":
        return {"powerState": "on", "dimmingLevel": int(level or 0)}
    return {"powerState": "on", "dimmingLevel": 100}


@login_required
@require_POST
def device_command(request: HttpRequest, device_id: str) -> HttpResponse:
    device = _managed(request, device_id, registry.COMMAND)
    if device.type != Device.Type.STREETLIGHT:
        raise Http404  # only street lights have commands on their page
    if not device.active:
        messages.error(request, _("Thiết bị đã ngừng hoạt động: không gửi lệnh được."))
        return redirect("city:device", device_id=device.device_id)
    form = CommandForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        messages.error(request, " ".join(errors) or _("Lệnh không hợp lệ."))
        return redirect("city:device", device_id=device.device_id)
    payload = command_payload(form.cleaned_data["action"], form.cleaned_data.get("level"))
    try:
        command = send_command(device, payload, user=request.user)
    except InvalidCommand as refused:
        messages.error(request, refused.message())
        return redirect("city:device", device_id=device.device_id)
    messages.success(
        request,
        _("Đã tạo lệnh “%(what)s”; trạng thái: %(state)s.")
        % {"what": command_text(command.payload), "state": command.get_state_display()},
    )
    return redirect("city:device", device_id=device.device_id)


# -- maps --------------------------------------------------------------------------------------------------

BASE_MARKER = 3.2  # marker radius at the province's full width (600 SVG units)
ZOOMED_MARKER = 1.8  # markers of a zoomed map are this much larger (relative to the map's width)
ZOOM_MARGIN = 0.08
DEVICES_MARGIN = 0.15
MIN_DEVICES_SHARE = 0.2


@dataclass(frozen=True)
class Marker:
    device: Device
    x: float
    y: float
    kind: str  # light-on | light-off | light-dim | light-unknown | faulty | parking | air | water | meter …
    online: bool
    label: str
    power: str = ""  # a lamp's reported power, e.g. "0.4 W"


def _kind_labels() -> dict[str, str]:
    return {
        "light-on": _("đèn đang sáng"),
        "light-dim": _("đèn đang giảm độ sáng"),
        "light-off": _("đèn tắt"),
        "light-unknown": _("đèn chưa có số đo"),
        "faulty": _("ĐÈN HỎNG: báo bật nhưng không tiêu thụ điện"),
    }


KIND_OF_TYPE: dict[str, str] = {
    Device.Type.STREETLIGHT_CABINET: "cabinet",
    Device.Type.SMART_POLE: "pole",
    Device.Type.PARKING_SPOT: "parking",
    Device.Type.PARKING_LOT: "parking",
    Device.Type.AIR_QUALITY: "air",
    Device.Type.WATER_LEVEL: "water",
    Device.Type.WATER_METER: "meter",
    Device.Type.ELECTRICITY_METER: "meter",
}


def _marker_kind(device: Device, lamp: Any) -> str:
    if device.type != Device.Type.STREETLIGHT:
        return KIND_OF_TYPE.get(str(device.type), "other")
    if lamp is None or lamp.power_state is None:
        return "light-unknown"
    if lamp.faulty:
        return "faulty"
    if lamp.power_state == "off":
        return "light-off"
    if lamp.dimming_level is not None and lamp.dimming_level < 100:
        return "light-dim"
    return "light-on"


def _commune_box(code: str) -> tuple[float, float, float, float] | None:
    """(x, y, width, height) of a commune on the map, with a margin."""
    feature = next((f for f in geo.commune_features() if str(f["properties"]["code"]) == code), None)
    if feature is None:
        return None
    points = [project_point(lon, lat) for lon, lat, *_rest in feature["geometry"]["coordinates"][0]]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    size = max(width, height, 4.0)
    margin = size * ZOOM_MARGIN
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return cx - size / 2 - margin, cy - size / 2 - margin, size + 2 * margin, size + 2 * margin


def _devices_box(
    markers: list[Marker], commune: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """Zoomed to a commune: frame its devices (a city ward's lamps stand within a few hundred metres), never
    closer than a fifth of the commune, so the markers separate and the ward's outline still shows."""
    if len(markers) < 2:
        return commune
    xs, ys = [m.x for m in markers], [m.y for m in markers]
    size = max(max(xs) - min(xs), max(ys) - min(ys)) * (1 + 2 * DEVICES_MARGIN)
    size = min(max(size, commune[2] * MIN_DEVICES_SHARE), commune[2])
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return cx - size / 2, cy - size / 2, size, size


def _markers(devices: list[Device], lamps: dict[str, Any], now: datetime) -> list[Marker]:
    markers = []
    labels = _kind_labels()
    for device in devices:
        x, y = project_point(device.longitude, device.latitude)
        lamp = lamps.get(device.device_id)
        kind = _marker_kind(device, lamp)
        label = f"{device.device_id} · {device.name} · {labels.get(kind, device.get_type_display())}"
        online = registry.is_online(device, now)
        if not online:
            label += " · " + _("mất kết nối")
        power = "" if lamp is None or lamp.power_w is None else f"{lamp.power_w:g} W"
        markers.append(Marker(device, x, y, kind, online, label, power))
    # Faulty lamps last, so they are drawn on top of their neighbours.
    markers.sort(key=lambda m: m.kind == "faulty")
    return markers


def marker_svg(marker: Marker, r: float) -> SafeString:
    """One marker: its shape tells its kind without colour (circle: lamp, triangle with “!”: faulty lamp,
    square: parking, diamond: air quality, …); a dashed outline: no contact within its offline delay."""
    x, y = marker.x, marker.y
    if marker.kind == "faulty":
        k = r * 2.1
        points = f"{x:.3f},{y - k:.3f} {x + k:.3f},{y + k * 0.75:.3f} {x - k:.3f},{y + k * 0.75:.3f}"
        shape = format_html(
            '<polygon points="{}"/><text x="{}" y="{}" font-size="{}" text-anchor="middle">!</text>',
            points,
            f"{x:.3f}",
            f"{y + k * 0.55:.3f}",
            f"{k * 1.2:.3f}",
        )
    elif marker.kind.startswith("light"):
        shape = format_html('<circle cx="{}" cy="{}" r="{}"/>', f"{x:.3f}", f"{y:.3f}", f"{r:.3f}")
    elif marker.kind == "air":
        k = r * 1.4
        points = f"{x:.3f},{y - k:.3f} {x + k:.3f},{y:.3f} {x:.3f},{y + k:.3f} {x - k:.3f},{y:.3f}"
        shape = format_html('<polygon points="{}"/>', points)
    elif marker.kind == "water":
        k = r * 1.3
        points = f"{x - k:.3f},{y - k * 0.8:.3f} {x + k:.3f},{y - k * 0.8:.3f} {x:.3f},{y + k:.3f}"
        shape = format_html('<polygon points="{}"/>', points)
    else:
        k = r * 0.9
        shape = format_html(
            '<rect x="{}" y="{}" width="{}" height="{}"/>',
            f"{x - k:.3f}",
            f"{y - k:.3f}",
            f"{2 * k:.3f}",
            f"{2 * k:.3f}",
        )
    return format_html(
        '<a href="{}" class="marker m-{}{}" data-testid="marker" data-device="{}" data-kind="{}">'
        "<title>{}</title>{}</a>",
        reverse("city:device", kwargs={"device_id": marker.device.device_id}),
        marker.kind,
        "" if marker.online else " offline",
        marker.device.device_id,
        marker.kind,
        marker.label,
        shape,
    )


def _device_map(device: Device) -> dict[str, Any]:
    """A small map of the device's commune with the device marked."""
    box = _commune_box(device.commune.code)
    paths, height = commune_paths()
    if box is None:
        box = (0.0, 0.0, 600.0, height)
    x, y = project_point(device.longitude, device.latitude)
    r = BASE_MARKER * 3 * box[2] / 600
    return {
        "viewbox": " ".join(f"{v:.3f}" for v in box),
        "paths": paths,
        "marker": format_html(
            '<circle class="here" cx="{}" cy="{}" r="{}"/>', f"{x:.3f}", f"{y:.3f}", f"{r:.3f}"
        ),
        "code": device.commune.code,
    }


@login_required
def device_map(request: HttpRequest) -> HttpResponse:
    devices_qs = _viewer(request).filter(active=True)
    kind = request.GET.get("loai", "").strip()
    if kind in Device.Type.values:
        devices_qs = devices_qs.filter(type=kind)
    paths, height = commune_paths()
    names = {code: name for code, name, _d in paths}
    zoom = request.GET.get("xa", "").strip()
    box = _commune_box(zoom) if zoom in names else None
    if box is None:
        zoom = ""
        box = (0.0, 0.0, 600.0, height)
    devices = list(devices_qs)
    now = timezone.now()
    lamps = registry.lamp_states([d for d in devices if d.type == Device.Type.STREETLIGHT])
    markers = _markers(devices, lamps, now)
    here = [m for m in markers if not zoom or m.device.commune.code == zoom]
    if zoom:
        box = _devices_box(here, box)
    scale = box[2] / 600 * (ZOOMED_MARKER if zoom else 1.0)
    faulty = sorted(
        (m for m in here if m.kind == "faulty"),
        key=lambda m: (m.device.commune.name, m.device.device_id),
    )
    lights = [m for m in here if m.device.type == Device.Type.STREETLIGHT]
    per_commune = (
        devices_qs.values("commune__code", "commune__name")
        .annotate(n=Count("id"))
        .order_by("-n", "commune__name")
    )
    return render(
        request,
        "city/map.html",
        {
            "paths": paths,
            "viewbox": " ".join(f"{v:.3f}" for v in box),
            "zoom": zoom,
            "zoom_name": names.get(zoom, ""),
            "markers": [marker_svg(m, BASE_MARKER * scale) for m in markers],
            "faulty": faulty,
            "lamps_count": len(lights),
            "lamps_on": sum(1 for m in lights if m.kind in ("light-on", "light-dim", "faulty")),
            "per_commune": per_commune,
            "types": Device.Type.choices,
            "kind": kind,
        },
    )
