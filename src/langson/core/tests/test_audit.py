"""Audit log: before/after of every change by a person, the hash chain, and tamper detection."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from langson.core.models import AuditEntry, OrgUnit
from langson.core.services import audit

pytestmark = pytest.mark.django_db


def latest(model: str, object_pk: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(model=model, object_pk=object_pk).order_by("-id").first()
    assert entry is not None
    return entry


def test_api_change_is_audited_with_before_and_after(commune_officer, api_client):
    unit = OrgUnit.objects.get(code="6184")
    old_phone = unit.phone
    response = api_client(commune_officer).patch(
        "/api/core/units/6184", data=json.dumps({"phone": "0205 3851 234"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "0205 3851 234"
    entry = latest("core.orgunit", str(unit.pk))
    assert entry.action == "update"
    assert entry.channel == "api"
    assert entry.actor == commune_officer.username
    assert entry.actor_id == commune_officer.pk
    changes = json.loads(entry.changes)
    assert changes == {"before": {"phone": old_phone}, "after": {"phone": "0205 3851 234"}}
    assert entry.scope_path == unit.path


def test_create_and_delete_are_audited():
    with audit.acting(audit.AuditContext(channel="cli", actor_label="cli:tester")):
        unit = OrgUnit.objects.create(
            code="6184-TEST",
            name="Tổ kiểm thử",
            kind=OrgUnit.Kind.UNIT,
            parent=OrgUnit.objects.get(code="6184"),
        )
        pk = str(unit.pk)
        unit.delete()
    created, deleted = AuditEntry.objects.filter(model="core.orgunit", object_pk=pk).order_by("id")
    assert (created.action, created.actor, created.channel) == ("create", "cli:tester", "cli")
    assert json.loads(created.changes)["after"]["name"] == "Tổ kiểm thử"
    assert deleted.action == "delete"
    assert json.loads(deleted.changes)["before"]["code"] == "6184-TEST"


def test_unchanged_save_writes_nothing():
    unit = OrgUnit.objects.get(code="5983")
    before = AuditEntry.objects.count()
    unit.save()
    assert AuditEntry.objects.count() == before


def test_password_is_never_stored_in_the_log(make_user):
    user = make_user("matkhau.test", "citizen", password="bi-mat-rat-dai-123")
    user.set_password("mot-mat-khau-khac-456")
    user.save()
    entry = latest("core.user", str(user.pk))
    assert entry.action == "update"
    assert json.loads(entry.changes)["after"]["password"] == audit.MASKED
    assert (
        "pbkdf2" not in AuditEntry.objects.filter(object_pk=str(user.pk)).values_list("changes", flat=True)[0]
    )


def test_login_and_failed_login_are_audited(commune_officer):
    client = Client()
    client.post("/login/", {"username": commune_officer.username, "password": "sai-mat-khau"})
    failed = AuditEntry.objects.filter(action="login_failed").order_by("-id").first()
    assert failed is not None and failed.object_repr == commune_officer.username
    client.post("/login/", {"username": commune_officer.username, "password": "mat-khau-thu-nghiem"})
    login = AuditEntry.objects.filter(action="login").order_by("-id").first()
    assert login is not None and login.actor == commune_officer.username and login.channel == "web"


def test_chain_verifies_and_links_every_entry():
    result = audit.verify()
    assert result.ok and result.checked == AuditEntry.objects.count() > 100
    entries = list(AuditEntry.objects.order_by("id")[:3])
    assert entries[0].prev_hash == audit.GENESIS_HASH
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash


def test_log_is_append_only_in_code_and_in_the_database():
    entry = AuditEntry.objects.order_by("id").first()
    assert entry is not None
    entry.actor = "someone else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET actor = 'x' WHERE id = %s", [entry.pk])


def _tamper(entry_id: int, column: str, value: str) -> None:
    """What an intruder with database access does: get past the trigger, then edit a row."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
            cursor.execute(f"UPDATE core_auditentry SET {column} = %s WHERE id = %s", [value, entry_id])  # noqa: S608
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute(f"UPDATE core_auditentry SET {column} = %s WHERE id = %s", [value, entry_id])  # noqa: S608
            cursor.execute(
                "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            )


@pytest.mark.parametrize("column,value", [("changes", '{"after":{"phone":"0000"}}'), ("actor", "ke-gian")])
def test_editing_a_stored_row_fails_verification_at_that_row(column, value):
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    target = ids[len(ids) // 2]
    _tamper(target, column, value)
    result = audit.verify()
    assert not result.ok
    assert result.bad_id == target
    assert result.checked == ids.index(target)
    with pytest.raises(CommandError, match=f"#{target}"):
        call_command("audit", "verify")


def test_deleting_a_row_breaks_the_link_of_the_next_one():
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    victim = ids[10]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [victim])
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [victim])
    result = audit.verify()
    assert not result.ok and result.bad_id == ids[11]
    assert "xóa" in result.reason


def test_admin_change_is_audited_with_channel_admin(administrator):
    client = Client()
    client.force_login(administrator)
    unit = OrgUnit.objects.get(code="6184-TTPVHCC")
    form = client.get(f"/admin/core/orgunit/{unit.pk}/change/").context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["phone"] = "0205 3999 999"
    if not data.get("saturday_reception"):
        data.pop("saturday_reception")
    response = client.post(f"/admin/core/orgunit/{unit.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = latest("core.orgunit", str(unit.pk))
    assert (entry.channel, entry.actor, entry.action) == ("admin", administrator.username, "update")
    assert json.loads(entry.changes)["after"] == {"phone": "0205 3999 999"}


def test_entries_of_an_audit_last_block_are_appended_at_its_end_and_chain(make_user):
    """The chain's lock is taken by the block's last statements, and its entries still chain and verify."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    first, second = make_user("cuoi.mot", "citizen"), make_user("cuoi.hai", "citizen")
    before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries, audit.atomic_audit_last():
        first.full_name = "Nông Thị Một"
        first.save()
        assert AuditEntry.objects.count() == before  # not yet: appended when the block ends
        with transaction.atomic():  # a savepoint that could be rolled back alone: appended at once
            second.full_name = "Nông Văn Hai"
            second.save()
        assert AuditEntry.objects.count() == before + 1
    sql = [q["sql"] for q in queries.captured_queries]
    writes = [i for i, s in enumerate(sql) if s.startswith(("INSERT", "UPDATE"))]
    assert "core_auditentry" in sql[writes[-1]] and "core_user" in sql[writes[0]]  # change first, entry last
    entries = list(AuditEntry.objects.order_by("-id")[:2])
    assert [e.object_pk for e in entries] == [str(first.pk), str(second.pk)]
    assert json.loads(entries[0].changes)["after"] == {"full_name": "Nông Thị Một"}
    assert entries[0].prev_hash == entries[1].hash
    assert audit.verify().ok


def test_a_failed_audit_last_block_leaves_neither_change_nor_entry():
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), audit.atomic_audit_last():
        unit = OrgUnit.objects.get(code="5983")
        unit.phone = "0205 3333 333"
        unit.save()
        raise RuntimeError("stop")
    assert AuditEntry.objects.count() == before
    assert OrgUnit.objects.get(code="5983").phone != "0205 3333 333"
    # and the next change appends normally
    unit = OrgUnit.objects.get(code="5983")
    unit.phone = "0205 3444 444"
    unit.save()
    assert AuditEntry.objects.count() == before + 1 and audit.verify().ok


def test_a_rolled_back_savepoint_inside_an_audit_last_block_leaves_no_entry():
    from django.db import transaction

    before = AuditEntry.objects.count()
    with audit.atomic_audit_last():
        try:
            with transaction.atomic():
                unit = OrgUnit.objects.get(code="5983")
                unit.phone = "0205 3555 555"
                unit.save()
                raise ValueError("undo this part only")
        except ValueError:
            pass
    assert OrgUnit.objects.get(code="5983").phone != "0205 3555 555"
    # The save in the savepoint was appended at once and rolled back with it: the log has no trace of it.
    assert AuditEntry.objects.count() == before
    assert audit.verify().ok
