"""One-stop services under load: hồ sơ submissions per second (with p99) and the public lookup's p99, on a
database already holding a province's history of hồ sơ (1 million, 2 % of them still open).

Each submission is the whole server path of a counter reception: the multipart form with two scanned PDFs,
the checks, the files written durably, load balancing over the 65 communes (for a procedure received
anywhere), the per-agency code, the hồ sơ with its audit entry and its control-sheet line in one transaction.
Measured through Django's test client (server time, no network), first in one process, then in one
process per core at once on the same database (the figure that counts: a server runs a worker per core).
Peer figure from the issue: Camunda 8's reference sizing of 5–20 process instances/s for its smallest
SaaS cluster (not runnable here).
Targets: ≥ 200 submissions/s on 2 cores; lookup p99 < 50 ms. Run on PostgreSQL with
LANGSON_BENCH_DATABASE_URL for the figures that count.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import statistics
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.utils import timezone

from langson.core.models import OrgUnit, User
from langson.core.services.seed import load_reference_data
from langson.services.models import Dossier, Procedure

DOCUMENTS = [
    {"code": "TK", "name": "Tờ khai", "required": True, "copies": 1},
    {"code": "GT", "name": "Giấy tờ kèm theo", "required": True, "copies": 1},
]


def _procedures() -> list[Procedure]:
    common = {"field": "Hộ tịch", "level": "commune", "documents": DOCUMENTS, "online": "full"}
    return [
        Procedure.objects.create(
            code="B.000001", name="Đăng ký khai sinh (đo)", deadline_days=0, anywhere=True, **common
        ),
        Procedure.objects.create(
            code="B.000002", name="Chứng thực (đo)", deadline_days=3, anywhere=False, **common
        ),
    ]


def _history(n: int, procedures: list[Procedure], communes: list[OrgUnit]) -> list[str]:
    """n past hồ sơ, 2 % still open, spread over three years; returns a sample of their codes."""
    rng = random.Random(7)  # noqa: S311 - test data
    now = timezone.now()
    codes: list[str] = []
    batch: list[Dossier] = []
    for i in range(n):
        unit = communes[i % len(communes)]
        submitted = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
        open_ = i % 50 == 0
        code = f"LS.{unit.gso_code}-{submitted:%y%m%d}-H{i:07d}"
        batch.append(
            Dossier(
                code=code,
                procedure=procedures[i % 2],
                channel="online" if i % 3 else "counter",
                status="processing" if open_ else "returned",
                applicant_name=f"Người nộp {i}",
                applicant_id=f"{20_000_000_0000 + i:012d}",
                received_unit=unit,
                processing_unit=unit,
                return_unit=unit,
                submitted_at=submitted,
                received_at=submitted,
                due_at=(now + timedelta(days=rng.randint(0, 10))) if open_ else submitted + timedelta(days=3),
                completed_at=None if open_ else submitted + timedelta(days=rng.randint(0, 4)),
                outcome="" if open_ else rng.choice(["early", "on_time", "on_time", "late"]),
            )
        )
        if i % 997 == 0:
            codes.append(code)
        if len(batch) == 5000:
            Dossier.objects.bulk_create(batch)  # bulk: history is loaded data, not people's changes
            batch = []
    Dossier.objects.bulk_create(batch)
    return codes


def _submissions(n: int, procedures: list[Procedure], unit: OrgUnit, offset: int) -> list[float]:
    """n counter receptions through the page, by one officer; returns each one's server time."""
    client = Client()
    client.force_login(User.objects.get(username="cb.bench"))
    form = {
        "applicant_name": "Hoàng Thị Đo",
        "applicant_id": "020195009999",
        "applicant_phone": "0912345678",
        "applicant_address": "Đồng Đăng",
        "received_unit": unit.pk,
        "return_unit": unit.pk,
    }
    times: list[float] = []
    for i in range(offset, offset + n):
        data = {
            **form,
            "procedure": procedures[i % 2].code,
            "doc_TK": SimpleUploadedFile(
                "to-khai.pdf", b"%PDF-1.7 to khai " + str(i).encode() + b"x" * 40_000
            ),
            "doc_GT": SimpleUploadedFile(
                "giay-to.pdf", b"%PDF-1.7 giay to " + str(i).encode() + b"y" * 80_000
            ),
        }
        t0 = time.perf_counter()
        response = client.post("/mot-cua/tiep-nhan/", data)
        times.append(time.perf_counter() - t0)
        if response.status_code != 302:
            raise RuntimeError(f"submission {i} failed: {response.status_code}")
    return times


def _worker(queue: Any, n: int, procedures: list[Procedure], unit: OrgUnit, offset: int) -> None:
    queue.put(_submissions(n, procedures, unit, offset))
    connections.close_all()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(quick: bool) -> dict[str, Any]:
    history = 20_000 if quick else 1_000_000
    n = 200 if quick else 2000
    settings.ALLOWED_HOSTS = ["*"]
    settings.DOSSIER_FILES_DIR = settings.DATA_DIR / "bench-dossiers"
    load_reference_data()
    procedures = _procedures()
    communes = list(OrgUnit.objects.filter(kind__in=["commune", "ward"]).order_by("code"))
    started = time.perf_counter()
    sample = _history(history, procedures, communes)
    load_seconds = time.perf_counter() - started

    dong_dang = OrgUnit.objects.get(code="6184")
    User.objects.create(username="cb.bench", role="commune_officer", org_unit=dong_dang)
    # One process, then as many processes as cores (a server runs one worker per core), same database.
    times = _submissions(n // 2, procedures, dong_dang, offset=0)
    rate = len(times) / sum(times)
    workers = max(2, os.cpu_count() or 2)
    connections.close_all()  # each forked process opens its own connection
    queue: multiprocessing.Queue[list[float]] = multiprocessing.Queue()
    per_worker = n // 2 // workers
    processes = [
        multiprocessing.Process(
            target=_worker, args=(queue, per_worker, procedures, dong_dang, (w + 1) * 10**6)
        )
        for w in range(workers)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    parallel_times = [t for _ in processes for t in queue.get(timeout=600)]
    for process in processes:
        process.join(timeout=60)
    parallel_rate = len(parallel_times) / (time.perf_counter() - started)
    if len(parallel_times) != per_worker * workers:
        raise RuntimeError("a worker process failed")

    anonymous = Client()
    lookups: list[float] = []
    rng = random.Random(3)  # noqa: S311
    for _ in range(300 if quick else 1000):
        code = rng.choice(sample)
        t0 = time.perf_counter()
        response = anonymous.get(f"/dvc/tra-cuu/?ma={code}")
        lookups.append(time.perf_counter() - t0)
        if response.status_code != 200 or code.encode() not in response.content:
            raise RuntimeError(f"lookup of {code} failed")

    return {
        "metrics": {
            "submissions_per_s": round(parallel_rate, 1),
            "submissions_per_s_one_process": round(rate, 1),
            "worker_processes": workers,
            "submission_p50_ms": round(statistics.median(parallel_times) * 1000, 1),
            "submission_p99_ms": round(_percentile(parallel_times, 99) * 1000, 1),
            "lookup_p50_ms": round(statistics.median(lookups) * 1000, 2),
            "lookup_p99_ms": round(_percentile(lookups, 99) * 1000, 2),
            "historical_dossiers": history,
            "history_load_s": round(load_seconds, 1),
        },
        "baseline": {"peer": "Camunda 8 SaaS reference sizing: 5–20 process instances/s (smallest cluster)"},
        "targets": [
            {"metric": "submissions_per_s", "min": 200},
            {"metric": "lookup_p99_ms", "max": 50},
        ],
    }
