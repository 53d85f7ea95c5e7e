"""`langson city simulate --devices N --rate R`: realistic telemetry from a simulated fleet of Lạng Sơn.

The fleet (device ids ``sim-<kind>-<nnnn>``) lives in five communes and wards of the city and its border
area and is registered in the device registry if missing, each device with its own secret (derived from the
platform's SECRET_KEY, so the simulator can log in as any of its devices without storing passwords).
``R`` is the rate of the whole fleet in messages per second: each device reports every N/R seconds.

What the devices say (FIWARE Smart Data Models attribute names):

- street lights (``Streetlight``): on from sunset to sunrise at Lạng Sơn (``city.sun``), dimmed to 50 % from
  23:00 to 05:00, power ~ rated power × dimming; about 2 % have a dead lamp that reports "on" with ~0 W;
- parking spots (``ParkingSpot``) in lots (``OffStreetParking``): occupied/free following the day's pattern
  (morning and evening peaks, quiet nights); a lot reports its counts;
- air-quality stations (``AirQualityObserved``): PM2.5, PM10, O3, NO2, SO2, CO in µg/m³ with rush-hour
  peaks, the winter's higher particles and the afternoon ozone of a small northern city, plus temperature
  and humidity;
- water meters (``WaterConsumptionObserved``): the cumulative ``waterConsumption`` in m³ of a household;
- electricity meters (``EnergyMeter``): ``totalActiveEnergyImport`` (kWh) and ``activePower`` (kW);
- water-level sensors on the Kỳ Cùng river (``WaterObserved``): ``height`` (m) and ``flow`` (m³/s), with a
  rain event (the river rises above the 4 m alarm level, then recedes) a little after the start.

Over MQTT every device has its own connection (user = device id, so Mosquitto's ACL applies) and publishes
QoS 1 on ``langson/<id>/telemetry``; a device with ``window`` messages unacknowledged waits (flow control);
paho resends unacknowledged messages after a reconnect. Without a broker the devices POST to
``/api/city/telemetry`` with HTTP Basic (device id and secret).

Street lights obey commands (``city.commands``): over MQTT each lamp subscribes to ``langson/<id>/command``;
over HTTP it fetches ``GET /api/city/commands`` every few seconds. A command (``powerState``,
``dimmingLevel``) overrides the lamp's own schedule until that schedule moves on (sunset, 23:00, 05:00,
sunrise) or another command comes; the lamp then reports at once (``illuminanceLevel`` = dimming / 100,
power following the dimming), which is how the platform sees the command applied. A dead lamp stays dead:
"on" at ~0 W.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import heapq
import hmac
import http.client
import json
import logging
import math
import random
import selectors
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from django.conf import settings

from langson.city import sun
from langson.city.ingest.broker import hash_password, verify_password
from langson.city.ingest.mqtt_worker import make_client, parse_url
from langson.city.ingest.payload import COMMAND, TOPIC_ROOT, telemetry_topic

logger = logging.getLogger("langson.city.simulator")

PREFIX = "sim-"
# (GSO code, kind of place): the city's wards and the border commune of Đồng Đăng.
COMMUNES = ("5983", "5977", "5986", "6187", "6184")
OWNERS = {
    "Streetlight": "SO-XD",
    "OffStreetParking": "SO-XD",
    "ParkingSpot": "SO-XD",
    "AirQualityObserved": "SO-NNMT",
    "WaterObserved": "SO-NNMT",
    "WaterConsumptionObserved": "SO-XD",
    "EnergyMeter": "SO-CT",
}
KIND_NAMES = {
    "light": ("Streetlight", "Đèn đường mô phỏng"),
    "lot": ("OffStreetParking", "Bãi đỗ xe mô phỏng"),
    "spot": ("ParkingSpot", "Chỗ đỗ xe mô phỏng"),
    "air": ("AirQualityObserved", "Trạm quan trắc không khí mô phỏng"),
    "water": ("WaterConsumptionObserved", "Đồng hồ nước mô phỏng"),
    "power": ("EnergyMeter", "Công tơ điện mô phỏng"),
    "level": ("WaterObserved", "Cảm biến mực nước sông Kỳ Cùng mô phỏng"),
}
SPOTS_PER_LOT = 12
ALARM_HEIGHT_M = 4.0
COMMAND_POLL_SECONDS = 5.0  # over HTTP, a lamp fetches its commands at most this often


def simulated_secret(device_id: str) -> str:
    """A simulated device's MQTT/HTTP secret: derived, never stored (only its hash is, in the registry)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"langson-city-simulator:{device_id}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class SimDevice:
    device_id: str
    kind: str  # a key of KIND_NAMES
    commune: str
    latitude: float
    longitude: float
    parent: str | None = None
    state: dict[str, Any] = field(default_factory=dict)
    last_ms: int = 0


def fleet(count: int, seed: int = 7) -> list[SimDevice]:
    """The first ``count`` devices of the simulated fleet (the same ids for the same count and seed)."""
    rng = random.Random(seed)  # noqa: S311 - simulation, not security
    share = [("light", 0.55), ("spot", 0.2), ("water", 0.1), ("power", 0.07), ("air", 0.05), ("level", 0.03)]
    wanted = {kind: max(1 if count >= 6 else 0, int(count * part)) for kind, part in share}
    wanted["light"] += count - sum(wanted.values())
    if wanted["light"] < 0:
        wanted = {"light": count}
    devices: list[SimDevice] = []
    numbers: dict[str, int] = {}

    def add(kind: str, commune: str, parent: str | None = None) -> SimDevice:
        numbers[kind] = numbers.get(kind, 0) + 1
        device = SimDevice(
            device_id=f"{PREFIX}{kind}-{numbers[kind]:04d}",
            kind=kind,
            commune=commune,
            latitude=0.0,
            longitude=0.0,
            parent=parent,
        )
        device.state["jitter"] = (rng.uniform(-0.006, 0.006), rng.uniform(-0.006, 0.006))
        devices.append(device)
        return device

    for kind, _part in share:
        for index in range(wanted.get(kind, 0)):
            commune = COMMUNES[index % len(COMMUNES)]
            if kind == "spot":
                if index % SPOTS_PER_LOT == 0:
                    lot = add("lot", commune)
                    lot.state["spots"] = []
                spot = add("spot", lot.commune, parent=lot.device_id)
                lot.state["spots"].append(spot)
            else:
                add(kind, commune)
    for device in devices:
        _init_state(device, rng)
    return devices


def _init_state(device: SimDevice, rng: random.Random) -> None:
    state = device.state
    if device.kind == "light":
        state["rated_w"] = rng.choice((60.0, 90.0, 120.0, 150.0))
        state["dead_lamp"] = rng.random() < 0.02
    elif device.kind == "spot":
        state["occupied"] = rng.random() < 0.4
    elif device.kind == "air":
        state["base"] = 1.3 if device.commune == "6184" else 1.0  # trucks of the border gate
    elif device.kind == "water":
        state["total_m3"] = rng.uniform(50, 900)
        state["household_lph"] = rng.uniform(15, 45)
    elif device.kind == "power":
        state["total_kwh"] = rng.uniform(1000, 20000)
        state["base_kw"] = rng.uniform(0.2, 0.6)
    elif device.kind == "level":
        state["base_m"] = rng.uniform(1.0, 1.4)


def register(devices: list[SimDevice]) -> dict[str, int]:
    """Create the missing simulated devices in the registry, and give each its derived secret."""
    from langson.city.models import Device
    from langson.core.models import OrgUnit

    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[*COMMUNES, *set(OWNERS.values())])}
    missing = sorted(set(COMMUNES) - set(units))
    if missing:
        raise RuntimeError(f"reference data missing (run `langson seed`): org units {', '.join(missing)}")
    existing = {d.device_id: d for d in Device.objects.filter(device_id__in=[d.device_id for d in devices])}
    created = updated = 0
    for sim in sorted(devices, key=lambda d: d.parent is not None):  # lots before their spots
        commune = units[sim.commune]
        dx, dy = sim.state.get("jitter", (0.0, 0.0))
        sim.latitude = round((commune.latitude or sun.LANG_SON_LATITUDE) + dy, 6)
        sim.longitude = round((commune.longitude or sun.LANG_SON_LONGITUDE) + dx, 6)
        secret = simulated_secret(sim.device_id)
        device = existing.get(sim.device_id)
        if device is None:
            model_type, name = KIND_NAMES[sim.kind]
            attributes: dict[str, Any] = {}
            if sim.kind == "light":
                attributes = {"powerConsumption": sim.state["rated_w"]}
            elif sim.kind == "lot":
                attributes = {"totalSpotNumber": len(sim.state["spots"])}
            elif sim.kind == "level":
                attributes = {"alarmHeight": ALARM_HEIGHT_M}
            device = Device(
                device_id=sim.device_id,
                name=f"{name} {sim.device_id[-4:]}",
                type=model_type,
                commune=commune,
                owner=units[OWNERS[model_type]],
                latitude=sim.latitude,
                longitude=sim.longitude,
                attributes=attributes,
                parent=existing.get(sim.parent) if sim.parent else None,
                secret_hash=hash_password(secret),
            )
            device.save()
            existing[sim.device_id] = device
            created += 1
        elif not device.secret_hash or not verify_password(secret, device.secret_hash):
            device.secret_hash = hash_password(secret)
            device.save()
            updated += 1
    return {"created": created, "secrets_set": updated, "devices": len(devices)}


# -- what the devices measure -------------------------------------------------------------------------


def _gauss_bump(hour: float, centre: float, width: float) -> float:
    return math.exp(-(((hour - centre) / width) ** 2))


def parking_demand(moment: datetime) -> float:
    """Probability that a spot is occupied at this local time (city centre, weekday/weekend)."""
    hour = moment.hour + moment.minute / 60
    demand = (
        0.12
        + 0.55 * _gauss_bump(hour, 9.5, 2.0)
        + 0.45 * _gauss_bump(hour, 15.0, 2.2)
        + 0.6 * _gauss_bump(hour, 19.0, 1.6)
    )
    if moment.weekday() >= 5:
        demand += 0.1 * _gauss_bump(hour, 11.0, 3.0)
    return min(0.97, demand)


@dataclass
class Conditions:
    """What every device of a tick shares: the local time and whether it is dark."""

    moment: datetime
    dark: bool
    started: float  # monotonic time of the simulation's start
    rain_after: float
    rain_duration: float

    @classmethod
    def now(cls, started: float, rain_after: float, rain_duration: float) -> Conditions:
        moment = datetime.now(sun.VIETNAM_TZ)
        return cls(moment, not sun.is_sun_up(moment), started, rain_after, rain_duration)


def measure(device: SimDevice, at: Conditions, rng: random.Random, period: float) -> dict[str, Any]:
    """The data of one message of ``device``."""
    state = device.state
    local = at.moment
    hour = local.hour + local.minute / 60
    if device.kind == "light":
        power_state, level = lamp_setting(device, at)
        if power_state == "off":
            return {
                "powerState": "off",
                "illuminanceLevel": 0.0,
                "powerConsumption": round(rng.uniform(0.3, 0.7), 1),
            }
        watts = state["rated_w"] * level * rng.gauss(1.0, 0.02) + 3.0
        if state["dead_lamp"]:
            watts = rng.uniform(0.0, 1.5)
        return {"powerState": "on", "illuminanceLevel": level, "powerConsumption": round(watts, 1)}
    if device.kind == "spot":
        demand = parking_demand(local)
        if state["occupied"]:
            state["occupied"] = rng.random() > (1 - demand) * 0.35
        else:
            state["occupied"] = rng.random() < demand * 0.35
        return {"status": "occupied" if state["occupied"] else "free"}
    if device.kind == "lot":
        total = len(state["spots"])
        taken = sum(1 for spot in state["spots"] if spot.state["occupied"])
        return {
            "occupiedSpotNumber": taken,
            "availableSpotNumber": total - taken,
            "occupancy": round(taken / total, 3),
        }
    if device.kind == "air":
        winter = 1.4 if local.month in (11, 12, 1, 2, 3) else 0.9
        traffic = 1 + 0.6 * _gauss_bump(hour, 7.5, 1.2) + 0.7 * _gauss_bump(hour, 18.0, 1.5)
        inversion = 1.25 if hour >= 21 or hour < 6 else 1.0
        noise = rng.lognormvariate(0, 0.15)
        pm25 = 21 * state["base"] * winter * traffic * inversion * noise
        daylight = max(0.0, math.sin(math.pi * (hour - 9) / 10)) if 9 <= hour <= 19 else 0.0
        temperature = (15 if winter > 1 else 26) + 4 * math.sin(math.pi * (hour - 9) / 12) + rng.gauss(0, 0.3)
        return {
            "pm25": round(pm25, 1),
            "pm10": round(pm25 * rng.uniform(1.5, 1.9), 1),
            "o3": round(22 + 75 * daylight * rng.lognormvariate(0, 0.1), 1),
            "no2": round(16 * traffic * state["base"] * rng.lognormvariate(0, 0.15), 1),
            "so2": round(7 * rng.lognormvariate(0, 0.2), 1),
            "co": round(850 * traffic * state["base"] * rng.lognormvariate(0, 0.12)),
            "temperature": round(temperature, 1),
            "relativeHumidity": round(min(98.0, 78 - 10 * daylight + rng.gauss(0, 2)), 1),
        }
    if device.kind == "water":
        use = 0.3 + 2.2 * _gauss_bump(hour, 6.5, 1.0) + 1.8 * _gauss_bump(hour, 19.0, 1.6)
        litres = state["household_lph"] * use * period / 3600 * rng.uniform(0.5, 1.5)
        state["total_m3"] += litres / 1000
        return {"waterConsumption": round(state["total_m3"], 3)}
    if device.kind == "power":
        load = state["base_kw"] * (1 + 2.5 * _gauss_bump(hour, 19.5, 2.0) + 0.8 * _gauss_bump(hour, 7.0, 1.0))
        kw = load * rng.uniform(0.8, 1.2)
        state["total_kwh"] += kw * period / 3600
        return {"totalActiveEnergyImport": round(state["total_kwh"], 3), "activePower": round(kw, 3)}
    if device.kind == "level":
        elapsed = time.monotonic() - at.started - at.rain_after
        rise = 0.0
        if 0 <= elapsed <= at.rain_duration:
            t = elapsed / at.rain_duration  # a flood hydrograph: fast rise to a peak at 35 %, slow recession
            if t < 0.35:
                rise = 3.4 * math.sin(math.pi / 2 * t / 0.35) ** 2
            else:
                rise = 3.4 * math.exp(-3.0 * (t - 0.35) / 0.65)
        height = state["base_m"] + rise + rng.gauss(0, 0.01)
        return {"height": round(height, 3), "flow": round(14.0 * max(height, 0.1) ** 1.6, 1)}
    raise ValueError(device.kind)


def lamp_schedule(at: Conditions) -> tuple[str, float]:
    """A lamp's own schedule: on from sunset to sunrise, dimmed to 50 % from 23:00 to 05:00."""
    if not at.dark:
        return "off", 0.0
    hour = at.moment.hour
    return "on", 0.5 if hour >= 23 or hour < 5 else 1.0


def lamp_setting(device: SimDevice, at: Conditions) -> tuple[str, float]:
    """(powerState, illuminance level 0–1) now: the lamp's schedule, unless a command overrides it. The
    override ends when the schedule moves on from where it was when the command came."""
    state = device.state
    schedule = lamp_schedule(at)
    override = state.get("override")
    if override:
        phase = state.get("override_phase")
        if phase is None:
            state["override_phase"] = schedule
        elif phase != schedule:
            state.pop("override", None)
            state.pop("override_phase", None)
            override = None
    if not override:
        return schedule
    power_state = override.get("powerState", schedule[0])
    if power_state == "off":
        return "off", 0.0
    if "dimmingLevel" in override:
        return "on", override["dimmingLevel"] / 100.0
    return "on", schedule[1] if schedule[0] == "on" else 1.0


def apply_command(device: SimDevice, body: Any) -> bool:
    """A command received by a lamp (``{"commandId": 7, "powerState": "on", "dimmingLevel": 30}``): kept
    as an override of its schedule. False (ignored) if it is not a valid lamp command."""
    if device.kind != "light" or not isinstance(body, dict):
        return False
    override: dict[str, Any] = {}
    power_state = body.get("powerState")
    if power_state in ("on", "off"):
        override["powerState"] = power_state
    level = body.get("dimmingLevel")
    if isinstance(level, int | float) and not isinstance(level, bool) and 0 <= level <= 100:
        override["dimmingLevel"] = float(level)
    if not override:
        return False
    merged = {**device.state.get("override", {}), **override}
    device.state["override"] = merged
    device.state["override_phase"] = None  # the schedule's phase is taken at the next measurement
    return True


def message(device: SimDevice, at: Conditions, rng: random.Random, period: float) -> bytes:
    """The JSON payload: epoch milliseconds, strictly increasing per device; stations use ISO 8601."""
    ms = max(int(at.moment.timestamp() * 1000), device.last_ms + 1)
    device.last_ms = ms
    ts: Any = ms
    if device.kind == "air":
        ts = datetime.fromtimestamp(ms / 1000, sun.VIETNAM_TZ).isoformat(timespec="milliseconds")
    body = {"ts": ts, "data": measure(device, at, rng, period)}
    return json.dumps(body, separators=(",", ":")).encode()


# -- senders --------------------------------------------------------------------------------------------


@dataclass
class Counters:
    generated: int = 0
    acknowledged: int = 0
    waited: int = 0  # messages postponed because the device had `window` unacknowledged ones
    refused: int = 0  # connections refused (not authorised: broker files not regenerated?)
    rejected: int = 0  # HTTP items the platform refused
    commands: int = 0  # commands received by lamps


class MqttFleet:
    """One paho client per device, all driven by one thread through a selector (no thread per device)."""

    def __init__(self, url: str, devices: list[SimDevice], counters: Counters, window: int = 20) -> None:
        self.broker = parse_url(url)
        self.counters = counters
        self.window = window
        self.selector = selectors.DefaultSelector()
        self.clients: dict[str, mqtt.Client] = {}
        self.unacked: dict[str, int] = {}
        self.connected: set[str] = set()
        self.retry_at: dict[str, float] = {}
        self.devices = {device.device_id: device for device in devices}
        self.changed: set[str] = set()  # lamps that applied a command: they report at once
        for device in devices:
            self.clients[device.device_id] = self._client(device.device_id)
            self.unacked[device.device_id] = 0

    def take_changed(self) -> set[str]:
        changed, self.changed = self.changed, set()
        return changed

    def _client(self, device_id: str) -> mqtt.Client:
        from langson.city.ingest.mqtt_worker import Broker

        as_device = Broker(
            self.broker.host, self.broker.port, device_id, simulated_secret(device_id), self.broker.tls
        )
        client = make_client(as_device, device_id, clean_session=True)
        client.max_inflight_messages_set(self.window)
        client.max_queued_messages_set(0)
        selector = self.selector

        def on_open(c: mqtt.Client, userdata: Any, sock: Any) -> None:
            selector.register(sock, selectors.EVENT_READ, c)

        def on_close(c: mqtt.Client, userdata: Any, sock: Any) -> None:
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(sock)

        def on_write(c: mqtt.Client, userdata: Any, sock: Any) -> None:
            selector.modify(sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)

        def on_unwrite(c: mqtt.Client, userdata: Any, sock: Any) -> None:
            with contextlib.suppress(KeyError, ValueError):
                selector.modify(sock, selectors.EVENT_READ, c)

        def on_connect(c: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
            if reason.is_failure:
                self.counters.refused += 1
                logger.error("broker refused simulated device %s: %s", device_id, reason)
            else:
                self.connected.add(device_id)
                if self.devices[device_id].kind == "light":
                    c.subscribe(f"{TOPIC_ROOT}/{device_id}/{COMMAND}", qos=1)

        def on_message(c: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
            try:
                body = json.loads(message.payload)
            except ValueError:
                logger.warning("simulated lamp %s: command is not JSON", device_id)
                return
            self.counters.commands += 1
            if apply_command(self.devices[device_id], body):
                self.changed.add(device_id)

        def on_disconnect(c: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
            self.connected.discard(device_id)
            self.retry_at[device_id] = time.monotonic() + 1.0

        def on_publish(c: mqtt.Client, userdata: Any, mid: int, reason: Any, properties: Any) -> None:
            self.unacked[device_id] -= 1
            self.counters.acknowledged += 1

        client.on_socket_open = on_open
        client.on_socket_close = on_close
        client.on_socket_register_write = on_write
        client.on_socket_unregister_write = on_unwrite
        client.on_connect = on_connect
        client.on_disconnect = on_disconnect
        client.on_publish = on_publish
        client.on_message = on_message
        return client

    def start(self) -> None:
        for device_id, client in self.clients.items():
            try:
                client.connect(self.broker.host, self.broker.port, keepalive=60)
            except OSError:
                self.retry_at[device_id] = time.monotonic() + 1.0

    def can_send(self, device_id: str) -> bool:
        return self.unacked[device_id] < self.window

    def send(self, device: SimDevice, payload: bytes) -> None:
        self.unacked[device.device_id] += 1
        self.clients[device.device_id].publish(telemetry_topic(device.device_id), payload, qos=1)

    def pump(self, timeout: float) -> None:
        for key, mask in self.selector.select(timeout):
            client: mqtt.Client = key.data
            if mask & selectors.EVENT_READ:
                client.loop_read()
            if mask & selectors.EVENT_WRITE:
                client.loop_write()

    def housekeeping(self) -> None:
        now = time.monotonic()
        for device_id, client in self.clients.items():
            client.loop_misc()
            due = self.retry_at.get(device_id)
            if due is not None and now >= due and device_id not in self.connected:
                try:
                    client.reconnect()
                    del self.retry_at[device_id]
                except OSError:
                    self.retry_at[device_id] = now + 2.0

    def pending(self) -> int:
        return sum(self.unacked.values())

    def close(self) -> None:
        for client in self.clients.values():
            client.disconnect()
            client.loop_write()
        self.selector.close()


class HttpFleet:
    """Each device POSTs its messages to /api/city/telemetry with HTTP Basic (keep-alive connection)."""

    def __init__(
        self,
        url: str,
        counters: Counters,
        post: Callable[[str, bytes, dict[str, str]], int] | None = None,
        get: Callable[[str, dict[str, str]], tuple[int, bytes]] | None = None,
    ) -> None:
        parts = urlsplit(url)
        self.post = post  # (path, body, headers) → status; None: HTTP over the network (http.client)
        self.get = get  # (path, headers) → (status, body); lamps fetch commands if given or if post is None
        self.polling = get is not None or post is None
        self.commands_path = (parts.path.rstrip("/") or "") + "/api/city/commands"
        self.devices: dict[str, SimDevice] = {}
        self.polled_at: dict[str, float] = {}
        self.changed: set[str] = set()
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.https = parts.scheme == "https"
        self.path = (parts.path.rstrip("/") or "") + "/api/city/telemetry"
        self.counters = counters
        self.connection: http.client.HTTPConnection | None = None
        self.queued: dict[str, list[bytes]] = {}

    def can_send(self, device_id: str) -> bool:
        return True

    def send(self, device: SimDevice, payload: bytes) -> None:
        self.devices[device.device_id] = device
        self.queued.setdefault(device.device_id, []).append(payload)

    def take_changed(self) -> set[str]:
        changed, self.changed = self.changed, set()
        return changed

    @staticmethod
    def _auth(device_id: str) -> dict[str, str]:
        token = base64.b64encode(f"{device_id}:{simulated_secret(device_id)}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def _request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        for attempt in range(3):
            if self.connection is None:
                factory = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
                self.connection = factory(self.host, self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                time.sleep(0.5 * (attempt + 1))
                continue
            return response.status, answer
        return 0, b""

    def _post(self, device_id: str, body: bytes) -> int:
        headers = {**self._auth(device_id), "Content-Type": "application/json"}
        if self.post is not None:
            return self.post(self.path, body, headers)
        status, answer = self._request("POST", self.path, body, headers)
        if status:
            self.answered(status, answer)
        return status

    def fetch_commands(self, device_id: str) -> None:
        """A lamp fetches its open commands and applies them in order (at most every few seconds)."""
        now = time.monotonic()
        if now - self.polled_at.get(device_id, -1e9) < COMMAND_POLL_SECONDS:
            return
        self.polled_at[device_id] = now
        headers = self._auth(device_id)
        if self.get is not None:
            status, answer = self.get(self.commands_path, headers)
        else:
            status, answer = self._request("GET", self.commands_path, None, headers)
        if status != 200:
            logger.warning("GET %s for %s answered %s", self.commands_path, device_id, status)
            return
        try:
            listed = json.loads(answer)
        except ValueError:
            return
        device = self.devices[device_id]
        for body in listed if isinstance(listed, list) else []:
            self.counters.commands += 1
            before = dict(device.state.get("override") or {})
            if apply_command(device, body) and device.state.get("override") != before:
                self.changed.add(device_id)

    def answered(self, status: int, answer: bytes) -> None:
        if status in (200, 422):
            self.counters.rejected += len(json.loads(answer).get("rejected", []))

    def pump(self, timeout: float) -> None:
        queued, self.queued = self.queued, {}
        for device_id, payloads in queued.items():
            body = b"[" + b",".join(payloads) + b"]"
            status = self._post(device_id, body)
            if status == 200:
                self.counters.acknowledged += len(payloads)
                if self.polling and self.devices[device_id].kind == "light":
                    self.fetch_commands(device_id)
            elif status in (401, 403):
                self.counters.refused += 1
            else:
                logger.error("POST for %s answered %s; kept for the next round", device_id, status)
                self.queued.setdefault(device_id, []).extend(payloads)
        if not queued:
            time.sleep(timeout)

    def housekeeping(self) -> None:
        pass

    def pending(self) -> int:
        return sum(len(p) for p in self.queued.values())

    def start(self) -> None:
        pass

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def run(
    devices: list[SimDevice],
    *,
    rate: float,
    url: str,
    duration: float | None = None,
    seed: int = 7,
    rain_after: float = 120.0,
    rain_duration: float = 1200.0,
    should_stop: Callable[[], bool] = lambda: False,
    report: Callable[[Counters], None] | None = None,
    http_post: Callable[[str, bytes, dict[str, str]], int] | None = None,
    http_get: Callable[[str, dict[str, str]], tuple[int, bytes]] | None = None,
) -> Counters:
    """Send the fleet's telemetry at ``rate`` messages/s for ``duration`` seconds (None: until stopped)."""
    if rate <= 0 or not devices:
        raise ValueError("rate and devices must be positive")
    counters = Counters()
    sender: MqttFleet | HttpFleet
    scheme = urlsplit(url).scheme
    if scheme in ("mqtt", "mqtts"):
        sender = MqttFleet(url, devices, counters)
    else:
        sender = HttpFleet(url, counters, http_post, http_get)
    rng = random.Random(seed)  # noqa: S311 - simulation, not security
    period = len(devices) / rate
    started = time.monotonic()
    queue = [(started + rng.uniform(0, period), i) for i in range(len(devices))]
    by_id = {device.device_id: device for device in devices}
    heapq.heapify(queue)
    sender.start()
    next_housekeeping = next_report = started
    try:
        while not should_stop():
            now = time.monotonic()
            if duration is not None and now - started >= duration:
                break
            conditions: Conditions | None = None
            while queue and queue[0][0] <= now:
                due, index = heapq.heappop(queue)
                device = devices[index]
                if not sender.can_send(device.device_id):
                    counters.waited += 1
                    heapq.heappush(queue, (now + 0.05, index))
                    continue
                if conditions is None:
                    conditions = Conditions.now(started, rain_after, rain_duration)
                sender.send(device, message(device, conditions, rng, period))
                counters.generated += 1
                heapq.heappush(queue, (max(due + period, now), index))
            wait = min(0.05, max(0.0, queue[0][0] - time.monotonic())) if queue else 0.05
            sender.pump(wait)
            for device_id in sender.take_changed():  # a lamp that obeyed a command reports at once
                device = by_id[device_id]
                if sender.can_send(device_id):
                    if conditions is None:
                        conditions = Conditions.now(started, rain_after, rain_duration)
                    sender.send(device, message(device, conditions, rng, period))
                    counters.generated += 1
            if now >= next_housekeeping:
                sender.housekeeping()
                next_housekeeping = now + 1.0
            if report is not None and now >= next_report:
                report(counters)
                next_report = now + 10.0
        deadline = time.monotonic() + 30
        while sender.pending() and time.monotonic() < deadline:
            sender.pump(0.05)
            sender.housekeeping()
    finally:
        sender.close()
    return counters


def default_url() -> str:
    """MQTT if the platform has a broker (host and port of LANGSON_MQTT_URL), else the local web server."""
    if settings.MQTT_URL:
        broker = parse_url(settings.MQTT_URL)
        scheme = "mqtts" if broker.tls else "mqtt"
        return f"{scheme}://{broker.host}:{broker.port}"
    return "http://127.0.0.1:8000"
