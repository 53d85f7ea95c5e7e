"""Hồ sơ under real concurrency and real crashes: separate processes on the platform's own database."""

from __future__ import annotations

import signal
import time

from tests.cli.conftest import Platform

SETUP = """
from langson.core.models import OrgUnit, User
from langson.services import workflow
from langson.services.models import Procedure
from langson.services.storage import Attachment
procedure = Procedure.objects.create(
    code="2.000908", name="Chứng thực bản sao từ bản chính", field="Chứng thực", level="commune",
    deadline_days=0, documents=[{"code": "BC", "name": "Bản chính", "required": True, "copies": 1}],
    online="partial", anywhere=False,
)
commune = OrgUnit.objects.get(code="6184")
for name in ("cb.mot", "cb.hai"):
    User.objects.create(username=name, role="commune_officer", org_unit=commune)
dossier = workflow.submit(procedure, {"applicant_name": "Lý Thị Mai", "applicant_id": "020190000001"},
    [Attachment("BC", "ban-chinh.pdf", b"%PDF-1.7 ban chinh")], channel="counter", received_unit=commune)
print(dossier.pk)
"""

# Each claimant holds its transaction open for a moment after its change, so the other one really arrives
# while the first one is inside: without the row lock both would read "received" and both would win.
CLAIM = """
import time
from langson.core.models import User
from langson.services import workflow
from langson.services.models import Dossier
from langson.services.storage import DossierError
real_event = workflow._event
def slow_event(*args, **kwargs):
    event = real_event(*args, **kwargs)
    time.sleep(1.0)
    return event
workflow._event = slow_event
dossier = Dossier.objects.get(pk={pk})
time.sleep(max(0.0, {start} - time.time()))
try:
    workflow.claim(dossier, User.objects.get(username="{name}"))
    print("won")
except DossierError as exc:
    print("lost", exc.code)
"""


def test_two_officers_claiming_at_once_exactly_one_wins(platform: Platform):
    platform.run("seed", "--no-demo")
    pk = platform.python(SETUP).splitlines()[-1]
    start = time.time() + 4  # both processes are up and waiting by then
    claimants = [
        platform.popen("shell", "--no-imports", "-c", CLAIM.format(pk=pk, start=start, name=name))
        for name in ("cb.mot", "cb.hai")
    ]
    outputs = [c.communicate(timeout=60)[0].strip().splitlines()[-1] for c in claimants]
    assert sorted(outputs) == ["lost conflict", "won"]
    winner = platform.python(
        f"from langson.services.models import Dossier\nprint(Dossier.objects.get(pk={pk}).assignee.username)"
    )
    assert winner == ("cb.mot" if outputs[0] == "won" else "cb.hai")


SUBMIT = """
from langson.core.models import OrgUnit
from langson.services import workflow
from langson.services.models import Procedure
from langson.services.storage import Attachment
dossier = workflow.submit(Procedure.objects.get(code="2.000908"), {"applicant_name": "Vi Văn Sình",
    "applicant_id": "020190000002"}, [Attachment("BC", "b.pdf", b"%PDF-1.7 b")], channel="counter",
    received_unit=OrgUnit.objects.get(code="6184"))
print(dossier.code)
"""

# Hangs inside the transaction, after the hồ sơ, its files' rows and its event are written, before commit.
HANG = """
import time
from langson.services import workflow
real_save = workflow._save_files
def hang(*args, **kwargs):
    real_save(*args, **kwargs)
    print("inside", flush=True)
    time.sleep(60)
workflow._save_files = hang
"""


def test_a_server_killed_in_the_middle_of_a_submission_leaves_no_half_dossier(platform: Platform):
    platform.run("seed", "--no-demo")
    platform.python(SETUP)
    count = "from langson.services.models import Dossier, DossierDocument, DossierEvent\n" + (
        "print(Dossier.objects.count(), DossierDocument.objects.count(), DossierEvent.objects.count())"
    )
    assert platform.python(count) == "1 1 1"
    process = platform.popen("shell", "--no-imports", "-c", HANG + SUBMIT)
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "inside":
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert platform.python(count) == "1 1 1"  # nothing of the killed submission
    # The database is not left locked: the next submission goes through and takes the next number.
    code = platform.python(SUBMIT).splitlines()[-1]
    assert code.endswith("-0002")
    assert platform.python(count) == "2 2 2"
