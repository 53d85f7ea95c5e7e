"""Reference data: the 65 communes and wards exactly as `vietnam-provinces` gives them, placed on the map."""

from __future__ import annotations

import pytest
from vietnam_provinces import ProvinceCode, Ward

from langson.core.models import AuditEntry, OrgUnit, User
from langson.core.services import geo
from langson.core.services.seed import create_demo_accounts, load_reference_data

pytestmark = pytest.mark.django_db


def test_communes_match_the_package_exactly():
    expected = {(int(w.code), w.name) for w in Ward.iter_by_province(ProvinceCode(20))}
    stored = set(OrgUnit.objects.filter(kind__in=["commune", "ward"]).values_list("gso_code", "name"))
    assert len(expected) == 65 and stored == expected
    assert OrgUnit.objects.filter(kind="ward").count() == 4
    assert OrgUnit.objects.get(code="5983").name == "Phường Lương Văn Tri"
    assert OrgUnit.objects.get(code="6214").name == "Xã Na Sầm"


def test_each_commune_has_a_one_stop_centre_and_a_centroid_inside_it():
    features = {int(f["properties"]["code"]): f for f in geo.commune_features()}
    for unit in OrgUnit.objects.filter(kind__in=["commune", "ward"]):
        assert unit.latitude is not None and unit.longitude is not None
        assert 21.3 < unit.latitude < 22.5 and 106.0 < unit.longitude < 107.4
        rings = features[unit.gso_code]["geometry"]["coordinates"]
        # Lạng Sơn's communes are compact enough that the centroid falls inside each one.
        assert geo.point_in_polygon(unit.longitude, unit.latitude, rings), unit.name
        centre = OrgUnit.objects.get(code=f"{unit.gso_code}-TTPVHCC")
        assert centre.parent_id == unit.pk and centre.kind == "one_stop"


def test_tree_paths():
    assert OrgUnit.objects.get(code="20").path == "/20/"
    assert OrgUnit.objects.get(code="6184-TTPVHCC").path == "/20/6184/6184-TTPVHCC/"
    assert OrgUnit.objects.get(code="CK-HUU-NGHI").path == "/20/BQL-KKT/CK-HUU-NGHI/"


def test_reseeding_changes_nothing_and_writes_no_audit():
    before = (OrgUnit.objects.count(), AuditEntry.objects.count())
    load_reference_data()
    assert (OrgUnit.objects.count(), AuditEntry.objects.count()) == before


def test_moving_a_unit_moves_its_subtree():
    commune = OrgUnit.objects.get(code="6184")
    commune.parent = OrgUnit.objects.get(code="BQL-KKT")
    commune.save()
    assert OrgUnit.objects.get(code="6184-TTPVHCC").path == "/20/BQL-KKT/6184/6184-TTPVHCC/"


def test_demo_accounts_are_created_once_with_roles():
    accounts = create_demo_accounts()
    assert {a.username for a in accounts} >= {"lanhdao", "luongvantri", "congdan", "quantri"}
    assert all(len(a.password) >= 12 for a in accounts)
    assert User.objects.get(username="luongvantri").org_unit.code == "5983"
    assert User.objects.get(username="quantri").is_staff
    assert create_demo_accounts() == []
