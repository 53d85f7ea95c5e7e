"""The city's part of the demo data (`langson seed`, hence `make run`): the simulator's fleet, registered in
the device registry, and one report from each device, so the device map and pages are not empty.

The fleet is the simulator's (``city.simulator.fleet``: street lights, parking spots and lots, air-quality
stations, meters and the Kỳ Cùng water-level sensors in five wards and communes), with the same ids and
derived secrets, so ``langson city simulate --devices 120`` afterwards keeps these devices reporting. Two
street lights are given a dead lamp that still reports "on" (one in Lương Văn Tri ward in the city centre,
one in Đồng Đăng): they appear as faulty lamps on the map whatever the time of day. Without the simulator
running, the devices show as offline once their offline delay has passed.
"""

from __future__ import annotations

import random
import time

from langson.city import simulator
from langson.city.ingest.payload import Row, now_us, rows_of
from langson.city.ingest.store import Store

DEMO_FLEET = 120
DEMO_SEED = 2025
# sim-light-0006 stands in ward 5983 (Lương Văn Tri), sim-light-0010 in commune 6184 (Đồng Đăng).
DEAD_LAMPS = ("sim-light-0006", "sim-light-0010")


def load_city_demo() -> dict[str, int]:
    """Register the demo fleet (only the missing devices) and store one current report per device."""
    devices = simulator.fleet(DEMO_FLEET)
    registered = simulator.register(devices)
    conditions = simulator.Conditions.now(started=time.monotonic(), rain_after=1e12, rain_duration=1.0)
    rng = random.Random(DEMO_SEED)  # noqa: S311 - demo values, not security
    ts = int(conditions.moment.timestamp() * 1000)
    received = now_us()
    rows: list[Row] = []
    faulty = 0
    for device in devices:
        if device.device_id in DEAD_LAMPS:
            device.state["dead_lamp"] = True
        data = simulator.measure(device, conditions, rng, period=900.0)
        if device.device_id in DEAD_LAMPS:
            # The controller says "on" (stuck, or at night as scheduled) but the lamp draws nothing.
            data = {
                "powerState": "on",
                "illuminanceLevel": 1.0,
                "powerConsumption": round(rng.uniform(0, 1.2), 1),
            }
        if device.kind == "light" and data.get("powerState") == "on" and data["powerConsumption"] < 2:
            faulty += 1
        rows.extend(rows_of(device.device_id, [{"ts": ts, "data": data}], received))
    saved = Store().save(rows, [], {d.device_id for d in devices})
    return {
        "devices": len(devices),
        "created": registered["created"],
        "readings": saved.inserted,
        "faulty_lamps": faulty,
    }
