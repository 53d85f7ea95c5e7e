"""Parking: occupancy per lot from its spots or its own counter, stale spots unknown (never free), the
next-hour forecast on synthetic history with a known answer, the public API and the public page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from langson.city import parking
from langson.city.ingest.testing import make_devices
from langson.city.models import Device, LatestValue, Reading
from langson.city.sun import VIETNAM_TZ

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_cached_lots():
    """The public list is cached for 30 s; each test starts with its own lots."""
    cache.delete(parking.PUBLIC_CACHE_KEY)


# A Wednesday, 08:20 in Lạng Sơn: the forecast is for 09:20, in the hour 09:00–10:00 of a Wednesday.
NOW = datetime(2026, 3, 11, 8, 20, tzinfo=VIETNAM_TZ)


def usual(moment: datetime) -> float:
    """A known weekly pattern: busy 08:00–18:00 on weekdays, rising through the morning; quiet otherwise."""
    local = moment.astimezone(VIETNAM_TZ)
    if local.weekday() < 5 and 8 <= local.hour < 18:
        return round(0.3 + 0.05 * (local.hour - 8), 4)
    return 0.1 + 0.01 * local.weekday()


def weeks_of_history(weeks: int, now: datetime = NOW) -> dict[datetime, float]:
    this_hour = parking.hour_start(now)
    hours = weeks * 7 * 24
    return {
        this_hour - timedelta(hours=h): usual(this_hour - timedelta(hours=h)) for h in range(1, hours + 1)
    }


def record(device_id: str, attribute: str, at: datetime, value: float | None = None, text: str = "") -> None:
    """Store a reading and keep the latest value, as the ingest store does."""
    Reading.objects.create(
        device_id=device_id, attribute=attribute, observed_at=at, value=value, text=text, received_at=at
    )
    latest = LatestValue.objects.filter(device_id=device_id, attribute=attribute).first()
    if latest is None:
        LatestValue.objects.create(
            device_id=device_id, attribute=attribute, observed_at=at, value=value, text=text
        )
    elif latest.observed_at <= at:
        latest.observed_at, latest.value, latest.text = at, value, text
        latest.save()


def make_lot(
    lot_id: str, *, total: int | None, commune: str = "5983", spots: int = 0
) -> tuple[Device, list[Device]]:
    (lot,) = make_devices([lot_id], kind=Device.Type.PARKING_LOT, commune=commune)
    lot.name = f"Bãi đỗ xe {lot_id}"
    lot.attributes = {} if total is None else {"totalSpotNumber": total}
    lot.latitude, lot.longitude = 21.8537, 106.7611
    lot.save()
    children = make_devices(
        [f"{lot_id}-cho-{n}" for n in range(1, spots + 1)], kind=Device.Type.PARKING_SPOT, commune=commune
    )
    for spot in children:
        spot.parent = lot
        spot.save()
    return lot, children


def seen(device: Device, at: datetime) -> None:
    device.last_seen_at = at
    device.save(update_fields=["last_seen_at"])


# --- the forecast model (pure) ------------------------------------------------------------------------


def test_with_weeks_of_history_the_forecast_is_the_usual_level_of_that_hour_of_the_week():
    history = weeks_of_history(4)
    on_a_usual_day = parking.forecast_next_hour(history, usual(NOW), NOW)
    assert on_a_usual_day.basis == parking.Basis.HISTORY
    assert on_a_usual_day.weeks == 4
    assert on_a_usual_day.at == NOW + timedelta(hours=1)
    assert on_a_usual_day.occupancy == pytest.approx(usual(NOW + timedelta(hours=1)))  # 0.35 on Wed 09:xx
    assert on_a_usual_day.occupancy == pytest.approx(0.35)

    # Busier than usual now by 20 points: half of the gap is still there in an hour.
    busier = parking.forecast_next_hour(history, usual(NOW) + 0.2, NOW)
    assert busier.occupancy == pytest.approx(0.35 + 0.1)
    # Never above full nor below empty: usually 10 % now and 95 % in an hour, but full already.
    target = parking.hour_of_week(NOW + timedelta(hours=1))
    rush = {h: 0.95 if parking.hour_of_week(h) == target else 0.1 for h in history}
    assert parking.forecast_next_hour(rush, 1.0, NOW).occupancy == 1.0  # 0.95 + 0.5 × 0.9, capped
    calm = {h: 0.05 if parking.hour_of_week(h) == target else 0.9 for h in history}
    assert parking.forecast_next_hour(calm, 0.0, NOW).occupancy == 0.0  # 0.05 − 0.5 × 0.9, floored


def test_with_little_history_the_forecast_says_it_follows_the_current_level():
    history = weeks_of_history(1)  # one week: each hour of the week seen once, fewer than MIN_WEEKS
    previous_hour = parking.hour_start(NOW) - timedelta(hours=1)
    history[previous_hour] = 0.3
    forecast = parking.forecast_next_hour(history, 0.5, NOW)
    assert forecast.basis == parking.Basis.CURRENT
    assert forecast.weeks == 0
    assert forecast.occupancy == pytest.approx(
        0.5 + 0.5 * (0.5 - 0.3)
    )  # level plus half the last hour's rise

    assert parking.forecast_next_hour({}, 0.4, NOW).occupancy == pytest.approx(0.4)  # nothing but now
    nothing = parking.forecast_next_hour({}, None, NOW)
    assert (nothing.basis, nothing.occupancy) == (parking.Basis.NONE, None)


def test_the_current_hour_of_today_is_not_part_of_the_profile():
    """Readings of the hour in progress must not leak into "the same hour in past weeks"."""
    history = weeks_of_history(2)
    polluted = {**history, parking.hour_start(NOW): 0.99}
    assert parking.forecast_next_hour(polluted, usual(NOW), NOW) == parking.forecast_next_hour(
        history, usual(NOW), NOW
    )


# --- occupancy now ------------------------------------------------------------------------------------


def test_spots_give_the_occupancy_and_a_stale_spot_is_unknown_not_free():
    lot, spots = make_lot("bai-vincom", total=4, spots=4)
    states = ["occupied", "occupied", "free", "free"]
    for spot, state in zip(spots, states, strict=True):
        record(spot.device_id, "status", NOW - timedelta(minutes=2), text=state)
        seen(spot, NOW - timedelta(minutes=2))
    # The last spot went silent 20 minutes ago (its offline_after_s is the default 900 s): unknown.
    LatestValue.objects.filter(device_id=spots[3].device_id).update(observed_at=NOW - timedelta(minutes=20))
    seen(spots[3], NOW - timedelta(minutes=20))

    figures = parking.occupancy(lot, NOW)
    assert figures.source == parking.Source.SPOTS
    assert (figures.capacity, figures.free, figures.occupied, figures.unknown) == (4, 1, 2, 1)
    assert figures.occupancy_pct == pytest.approx(66.7)  # 2 of the 3 spots whose state is known
    assert figures.updated_at == NOW - timedelta(minutes=2)
    assert figures.status == "spacesAvailable"

    # Every spot silent: nothing is known; no free space is announced.
    later = parking.occupancy(lot, NOW + timedelta(hours=1))
    assert (later.source, later.free, later.occupancy_pct, later.unknown) == (
        parking.Source.NONE,
        None,
        None,
        4,
    )
    assert later.status == "unknown"


def test_a_spot_reporting_closed_or_unknown_is_not_a_free_space():
    lot, spots = make_lot("bai-cho", total=None, spots=3)
    for spot, state in zip(spots, ["closed", "UNKNOWN", "occupied"], strict=True):
        record(spot.device_id, "status", NOW - timedelta(minutes=1), text=state)
        seen(spot, NOW - timedelta(minutes=1))
    figures = parking.occupancy(lot, NOW)
    assert (figures.capacity, figures.free, figures.occupied, figures.closed, figures.unknown) == (
        3,
        0,
        1,
        1,
        1,
    )
    assert figures.status == "full"


def test_a_lot_with_its_own_counter_and_a_stale_counter():
    lot, _ = make_lot("bai-barie", total=50)
    record(lot.device_id, "availableSpotNumber", NOW - timedelta(minutes=3), value=20)
    seen(lot, NOW - timedelta(minutes=3))
    figures = parking.occupancy(lot, NOW)
    assert figures.source == parking.Source.COUNTER
    assert (figures.capacity, figures.free, figures.occupied) == (50, 20, 30)
    assert figures.occupancy_pct == 60.0

    stale = parking.occupancy(lot, NOW + timedelta(minutes=30))
    assert (stale.source, stale.free, stale.occupancy) == (parking.Source.NONE, None, None)

    # A counter of more free spaces than the lot has is capped at its capacity.
    record(lot.device_id, "availableSpotNumber", NOW - timedelta(minutes=1), value=75)
    assert parking.occupancy(lot, NOW).free == 50


def test_occupied_count_without_a_capacity_says_nothing():
    lot, _ = make_lot("bai-khong-ro", total=None)
    record(lot.device_id, "occupiedSpotNumber", NOW - timedelta(minutes=1), value=12)
    seen(lot, NOW)
    assert parking.occupancy(lot, NOW).source == parking.Source.NONE


# --- history from the stored readings -----------------------------------------------------------------


def test_forecast_from_stored_readings_of_the_lot_counter():
    """Three weeks of the lot's own `occupancy` readings (one every 30 minutes) following the known pattern:
    the database's hourly means and the weekday in Vietnam's time give back the pattern's next hour."""
    lot, _ = make_lot("bai-lich-su", total=40)
    this_hour = parking.hour_start(NOW)
    rows = []
    for h in range(1, 21 * 24 + 1):
        start = this_hour - timedelta(hours=h)
        for minute in (10, 40):
            at = start + timedelta(minutes=minute)
            rows.append(
                Reading(
                    device_id=lot.device_id,
                    attribute="occupancy",
                    observed_at=at,
                    value=usual(start),
                    received_at=at,
                )
            )
    Reading.objects.bulk_create(rows)
    record(lot.device_id, "occupancy", NOW - timedelta(minutes=1), value=usual(NOW))
    seen(lot, NOW)

    figures = parking.occupancy(lot, NOW)
    assert figures.source == parking.Source.COUNTER
    assert figures.occupancy_pct == pytest.approx(30.0)  # Wednesday 08:xx: 0.30
    assert figures.forecast.basis == parking.Basis.HISTORY
    assert figures.forecast.weeks == 3
    assert figures.forecast.occupancy == pytest.approx(0.35)
    assert figures.forecast_free == 26  # 40 × (1 − 0.35)
    assert len(parking.forecast_hours(NOW)) == 9  # all the forecast reads of three weeks of readings


def test_spot_history_is_the_share_of_occupied_reports_of_each_hour():
    lot, spots = make_lot("bai-bon-cho", total=4, spots=4)
    start = parking.hour_start(NOW) - timedelta(hours=2)
    for spot, state in zip(spots, ["occupied", "occupied", "occupied", "free"], strict=True):
        record(spot.device_id, "status", start + timedelta(minutes=5), text=state)
        record(
            spot.device_id,
            "status",
            start + timedelta(minutes=35),
            text="free" if state == "free" else "occupied",
        )
    record(spots[0].device_id, "status", start + timedelta(hours=1, minutes=5), text="free")
    history = parking.hourly_history(lot, start, parking.hour_start(NOW), now=NOW)
    assert history == {start: pytest.approx(0.75), start + timedelta(hours=1): pytest.approx(0.0)}


# --- public API and page ------------------------------------------------------------------------------

PUBLIC_FIELDS = {
    "lot_id",
    "name",
    "commune_code",
    "commune_name",
    "latitude",
    "longitude",
    "capacity",
    "free",
    "occupied",
    "unknown",
    "occupancy_pct",
    "status",
    "source",
    "updated_at",
    "forecast_at",
    "forecast_occupancy_pct",
    "forecast_free",
    "forecast_basis",
    "forecast_weeks",
}


def _live_lot() -> Device:
    """A lot with fresh spot reports now (the API and page use the real clock)."""
    lot, spots = make_lot("bai-trung-tam", total=3, spots=3)
    now = datetime.now(UTC)
    for spot, state in zip(spots, ["free", "occupied", "free"], strict=True):
        record(spot.device_id, "status", now - timedelta(seconds=30), text=state)
        seen(spot, now - timedelta(seconds=30))
    return lot


def test_public_api_lists_the_lots_without_login_and_nothing_private():
    lot = _live_lot()
    make_lot("bai-dong-dang", total=20, commune="6184")
    answer = Client().get("/api/city/parking")
    assert answer.status_code == 200
    body = answer.json()
    assert sorted(item["lot_id"] for item in body) == ["bai-dong-dang", "bai-trung-tam"]
    ours = next(item for item in body if item["lot_id"] == lot.device_id)
    assert set(ours) == PUBLIC_FIELDS  # no spot ids, no owner, no secret
    assert (ours["capacity"], ours["free"], ours["occupied"], ours["unknown"]) == (3, 2, 1, 0)
    assert ours["occupancy_pct"] == pytest.approx(33.3)
    assert ours["commune_code"] == "5983"
    assert ours["forecast_basis"] == "current" and ours["forecast_occupancy_pct"] == pytest.approx(33.3)
    assert "secret" not in answer.content.decode() and lot.secret_hash not in answer.content.decode()

    other = next(item for item in body if item["lot_id"] == "bai-dong-dang")
    assert (other["free"], other["occupancy_pct"], other["source"], other["forecast_basis"]) == (
        None,
        None,
        "none",
        "none",
    )
    only = Client().get("/api/city/parking", {"commune": "6184"}).json()
    assert [item["lot_id"] for item in only] == ["bai-dong-dang"]


def test_the_public_list_is_computed_at_most_every_30_seconds(django_assert_max_num_queries, settings):
    # The anonymous API's rate limit counts in the database now and then (a new window, a used-up lease):
    # not what is counted here.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_anonymous": "off"}
    _live_lot()
    assert len(Client().get("/api/city/parking").json()) == 1
    with django_assert_max_num_queries(0):  # served from the cache: a busy public page costs no query
        assert len(Client().get("/api/city/parking").json()) == 1
        assert Client().get("/do-thi/bai-do-xe/").status_code == 200


def test_public_api_one_lot_and_a_missing_one():
    lot = _live_lot()
    answer = Client().get(f"/api/city/parking/{lot.device_id}")
    assert answer.status_code == 200
    assert answer.json()["lot_id"] == lot.device_id and answer.json()["free"] == 2

    missing = Client().get("/api/city/parking/khong-co-bai-nay")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Không tìm thấy bãi đỗ xe."
    assert missing.json()["detail_en"] == "The car park was not found."
    # A spot is not a lot.
    spot_id = Device.objects.filter(type=Device.Type.PARKING_SPOT).first().device_id
    assert Client().get(f"/api/city/parking/{spot_id}").status_code == 404
    assert Client().get("/api/city/parking/a%00b").status_code in (400, 404)  # never a server error


def test_public_page_without_login_phone_first():
    lot = _live_lot()
    make_lot("bai-dong-dang", total=20, commune="6184")
    page = Client().get("/do-thi/bai-do-xe/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<script" not in html  # works without JavaScript
    assert "<table" not in html  # cards, nothing to scroll sideways on a 360 px phone
    assert lot.name in html and "Bãi đỗ xe bai-dong-dang" in html
    assert "2 chỗ trống / 3 chỗ" in html
    assert "Chưa có số liệu hiện tại" in html  # the lot without data says so, never "0 free"
    assert "theo mức hiện tại; chưa đủ lịch sử" in html
    assert "min-width: 760px" in html  # wider screens get columns; the base layout is one column
    # No fixed width that would overflow a 360 px screen.
    assert not [w for w in re.findall(r"(?<![-\w])width:\s*(\d+)px", html) if int(w) > 360]

    filtered = Client().get("/do-thi/bai-do-xe/", {"xa": "6184"}).content.decode()
    assert "Bãi đỗ xe bai-dong-dang" in filtered and lot.name not in filtered
