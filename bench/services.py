"""One-stop services under load: hồ sơ submissions per second (with p99) and the public lookup's p99, on a
database already holding a province's history of hồ sơ (1 million, 2 % of them still open).

Each submission is the whole server path of a counter reception by a logged-in officer: the multipart form
with two scanned PDFs, the checks, the files written durably, load balancing over the 65 communes (for a
procedure received anywhere), the per-agency code, the hồ sơ with its audit entry and its control-sheet line
in one transaction. Measured three ways on the same database:

1. Django's test client in one process (server time, no network), with the CPU one submission costs (the
   Python process, and the PostgreSQL backend when the server runs on this machine): on a shared, noisy
   machine the CPU figures say more than the rates, and cores / CPU per submission bounds the rate;
2. the test client in one process per core at once (a server runs a worker per core);
3. real HTTP to `langson serve` (uvicorn, ASGI), one server process per core, two requests in flight per
   process, the load generator on the same machine. This is the path production takes, with its settings:
   it also counts the HTTP parsing, the ASGI thread hop and the database connection each request opens
   (``http_db_connections_per_submission``), which the test client never pays.

At the end the run checks what must hold under load: the audit chain verifies, each agency's daily codes are
1..N with neither gap nor duplicate, and every hồ sơ has its two files on disk and its control-sheet line.
Peer figure from the issue: Camunda 8's reference sizing of 5–20 process instances/s for its smallest
SaaS cluster (not runnable here).
Targets: ≥ 200 submissions/s on 2 cores (test client and HTTP); lookup p99 < 50 ms. Run on PostgreSQL with
LANGSON_BENCH_DATABASE_URL for the figures that count.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone

from langson.core.models import OrgUnit, User
from langson.core.services import audit
from langson.core.services.seed import load_reference_data
from langson.services.models import Dossier, DossierDocument, DossierEvent, DossierSequence, Procedure
from langson.services.storage import path_of

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
        # The browser follows the redirect to the hồ sơ's page, which shows (and so consumes) the "received"
        # message. Not following it, the client would carry every past message back to the server in its
        # cookie, then in its session: each request slower than the last, which no real counter sees.
        client.cookies.pop("messages", None)
    return times


def _worker(queue: Any, n: int, procedures: list[Procedure], unit: OrgUnit, offset: int) -> None:
    queue.put(_submissions(n, procedures, unit, offset))
    connections.close_all()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _db_cpu_clock() -> Callable[[], float | None]:
    """CPU seconds used so far by this connection's PostgreSQL backend, or None when it cannot be seen
    (another database engine, or a server on another machine)."""
    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    proc = Path(f"/proc/{pid}")
    try:
        if b"postgres" not in (proc / "cmdline").read_bytes():
            return lambda: None
    except OSError:
        return lambda: None

    def read() -> float | None:
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return read


def _db_sessions() -> int | None:
    """Connections the database has accepted so far (PostgreSQL ≥ 14)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _multipart(boundary: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def _http_submissions(
    n: int, procedures: list[Procedure], unit: OrgUnit, servers: int, in_flight: int, pool: bool = False
) -> tuple[list[float], float, float | None]:
    """n counter receptions over HTTP to ``servers`` `langson serve` processes, ``in_flight`` requests at a
    time in all, with PostgreSQL connection pooling in the servers when ``pool``; returns each one's
    latency, the wall time, and database connections opened per request."""
    client = Client()
    client.force_login(User.objects.get(username="cb.bench"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    token_request = RequestFactory().get("/")
    token = get_token(token_request)
    secret = token_request.META["CSRF_COOKIE"]
    headers_base = {
        "X-CSRFToken": token,
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={secret}",
    }
    form = {
        "applicant_name": "Hoàng Thị Đo",
        "applicant_id": "020195009999",
        "applicant_phone": "0912345678",
        "applicant_address": "Đồng Đăng",
        "received_unit": str(unit.pk),
        "return_unit": str(unit.pk),
    }
    ports = [_free_port() for _ in range(servers)]
    log = open(settings.DATA_DIR / "bench-serve.log", "ab")  # noqa: SIM115 - closed below
    cli = [sys.executable, "-m", "langson.cli", "serve", "--host", "127.0.0.1"]
    env = {**os.environ, "LANGSON_DB_POOL": "1"} if pool else {**os.environ, "LANGSON_DB_POOL": "0"}
    processes = [
        subprocess.Popen(  # noqa: S603
            [*cli, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env
        )
        for port in ports
    ]
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    try:
        for port, process in zip(ports, processes, strict=True):
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"langson serve exited ({process.returncode}), see bench-serve.log")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError("langson serve did not start") from None
                    time.sleep(0.1)

        def post(conn: http.client.HTTPConnection, i: int) -> float:
            boundary = "langson-bench-" + uuid.uuid4().hex
            body = _multipart(
                boundary,
                {**form, "procedure": procedures[i % 2].code},
                {
                    "doc_TK": ("to-khai.pdf", b"%PDF-1.7 to khai " + str(i).encode() + b"x" * 40_000),
                    "doc_GT": ("giay-to.pdf", b"%PDF-1.7 giay to " + str(i).encode() + b"y" * 80_000),
                },
            )
            headers = {**headers_base, "Content-Type": f"multipart/form-data; boundary={boundary}"}
            t0 = time.perf_counter()
            conn.request("POST", "/mot-cua/tiep-nhan/", body, headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - t0
            if response.status != 302:
                with lock:
                    failures.append(f"submission {i}: HTTP {response.status}")
            return elapsed

        # Warm-up, untimed: each server process loads its code, templates and caches on first use.
        for c, port in enumerate(ports):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            for k in range(5):
                post(conn, 9 * 10**6 + c * 100 + k)
            conn.close()
        sessions_before = _db_sessions()
        numbers = iter(range(8 * 10**6, 8 * 10**6 + n))

        def load(c: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", ports[c % servers], timeout=120)
            while True:
                with lock:
                    i = next(numbers, None)
                if i is None:
                    conn.close()
                    return
                elapsed = post(conn, i)
                with lock:
                    latencies.append(elapsed)

        threads = [threading.Thread(target=load, args=(c,)) for c in range(in_flight)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
    if failures:
        raise RuntimeError("; ".join(failures[:5]))
    time.sleep(0.5)  # the statistics collector counts a session when it ends
    sessions_after = _db_sessions()
    per_request = (
        (sessions_after - sessions_before) / n
        if sessions_before is not None and sessions_after is not None
        else None
    )
    return latencies, wall, per_request


def _check_guarantees(procedures: list[Procedure]) -> dict[str, int]:
    """What must still hold after the load: the chain, the codes, the files and the control-sheet lines."""
    result = audit.verify()
    if not result.ok:
        raise RuntimeError(f"audit chain broken at entry {result.bad_id}: {result.reason}")
    dossiers = Dossier.objects.filter(procedure__in=procedures).exclude(code__contains="-H")  # not history
    numbers: dict[str, list[int]] = defaultdict(list)
    for code in dossiers.values_list("code", flat=True).iterator():
        prefix, number = code.rsplit("-", 1)
        numbers[prefix].append(int(number))
    checked = 0
    for sequence in DossierSequence.objects.all():
        prefix = f"{sequence.agency_id}-{sequence.day:%y%m%d}"
        if sorted(numbers.pop(prefix, [])) != list(range(1, sequence.last + 1)):
            raise RuntimeError(f"codes of {prefix} are not 1..{sequence.last} without gaps or repeats")
        checked += sequence.last
    if numbers:
        raise RuntimeError(f"codes without a sequence: {sorted(numbers)[:3]}")
    count = dossiers.count()
    documents = DossierDocument.objects.filter(dossier__in=dossiers)
    if documents.count() != 2 * count or DossierEvent.objects.filter(dossier__in=dossiers).count() != count:
        raise RuntimeError("a hồ sơ lacks a document row or its control-sheet line")
    missing = [s for s in documents.values_list("sha256", flat=True).distinct() if not path_of(s).exists()]
    if missing:
        raise RuntimeError(f"{len(missing)} files of stored hồ sơ are missing, e.g. {missing[0]}")
    return {"codes_checked": checked, "audit_entries_verified": result.checked}


def run(quick: bool) -> dict[str, Any]:
    history = 20_000 if quick else 1_000_000
    n = 200 if quick else 2000
    settings.ALLOWED_HOSTS = ["*"]
    load_reference_data()
    procedures = _procedures()
    communes = list(OrgUnit.objects.filter(kind__in=["commune", "ward"]).order_by("code"))
    started = time.perf_counter()
    sample = _history(history, procedures, communes)
    load_seconds = time.perf_counter() - started

    dong_dang = OrgUnit.objects.get(code="6184")
    User.objects.create(username="cb.bench", role="commune_officer", org_unit=dong_dang)
    # One process, then as many processes as cores (a server runs one worker per core), same database.
    db_cpu = _db_cpu_clock()
    cpu_before, db_before = time.process_time(), db_cpu()
    times = _submissions(n // 2, procedures, dong_dang, offset=0)
    cpu_ms = (time.process_time() - cpu_before) / len(times) * 1000
    db_after = db_cpu()
    db_cpu_ms = None
    if db_before is not None and db_after is not None:
        db_cpu_ms = (db_after - db_before) / len(times) * 1000
    rate = len(times) / sum(times)
    workers = max(2, os.cpu_count() or 2)
    connections.close_all()  # each forked process opens its own connection
    for wrapper in connections.all():  # and its own pool: a forked pool would share the parent's sockets
        if getattr(wrapper, "pool", None) is not None:
            wrapper.close_pool()
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

    in_flight = 2 * workers
    http_times, http_wall, db_connections = _http_submissions(
        n // 2, procedures, dong_dang, workers, in_flight
    )
    pooled: dict[str, Any] = {}
    if connection.vendor == "postgresql":  # the production setting LANGSON_DB_POOL=1, side by side
        pool_times, pool_wall, pool_connections = _http_submissions(
            n // 2, procedures, dong_dang, workers, in_flight, pool=True
        )
        pooled = {
            "http_pooled_submissions_per_s": round(len(pool_times) / pool_wall, 1),
            "http_pooled_submission_p50_ms": round(statistics.median(pool_times) * 1000, 1),
            "http_pooled_submission_p99_ms": round(_percentile(pool_times, 99) * 1000, 1),
            "http_pooled_db_connections_per_submission": (
                round(pool_connections, 2) if pool_connections is not None else None
            ),
        }

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

    checks = _check_guarantees(procedures)
    return {
        "metrics": {
            "submissions_per_s": round(parallel_rate, 1),
            "submissions_per_s_one_process": round(rate, 1),
            "worker_processes": workers,
            "submission_p50_ms": round(statistics.median(parallel_times) * 1000, 1),
            "submission_p99_ms": round(_percentile(parallel_times, 99) * 1000, 1),
            "submission_cpu_ms": round(cpu_ms, 2),
            "submission_db_cpu_ms": round(db_cpu_ms, 2) if db_cpu_ms is not None else None,
            "http_submissions_per_s": round(len(http_times) / http_wall, 1),
            "http_submission_p50_ms": round(statistics.median(http_times) * 1000, 1),
            "http_submission_p99_ms": round(_percentile(http_times, 99) * 1000, 1),
            "http_in_flight": in_flight,
            "http_db_connections_per_submission": (
                round(db_connections, 2) if db_connections is not None else None
            ),
            **pooled,
            "lookup_p50_ms": round(statistics.median(lookups) * 1000, 2),
            "lookup_p99_ms": round(_percentile(lookups, 99) * 1000, 2),
            "historical_dossiers": history,
            "history_load_s": round(load_seconds, 1),
            **checks,
        },
        "baseline": {"peer": "Camunda 8 SaaS reference sizing: 5–20 process instances/s (smallest cluster)"},
        "targets": [
            {"metric": "submissions_per_s", "min": 200},
            {"metric": "http_submissions_per_s", "min": 200},
            {"metric": "lookup_p99_ms", "max": 50},
        ],
    }
