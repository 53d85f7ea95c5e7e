"""A Mosquitto process of our own on a free loopback port, with generated files: for the tests (which
set passwords and ACLs, kill and restart it) and the benchmark. Never the system's broker."""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

from langson.city.ingest.broker import BrokerFiles, write_broker_files

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Mosquitto:
    """``start()``, ``stop(kill=...)``, ``restart()``; the port stays the same across restarts."""

    def __init__(
        self,
        directory: Path,
        *,
        devices: Iterable[tuple[str, str]] | None = (),
        port: int | None = None,
        max_queued: int = 0,
        max_inflight: int = 20_000,
        autosave_seconds: int = 60,
    ) -> None:
        self.directory = Path(directory)
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.directory / "mosquitto.log"
        self._options = {
            "max_queued": max_queued,
            "max_inflight": max_inflight,
            "autosave_seconds": autosave_seconds,
        }
        self.files = self.configure(devices)

    def configure(self, devices: Iterable[tuple[str, str]] | None = ()) -> BrokerFiles:
        """(Re)write the files; ``devices`` None reads the registry. Call ``reload()`` if running."""
        self.files = write_broker_files(
            self.directory,
            devices=None if devices is None else list(devices),
            port=self.port,
            run_as=getpass.getuser(),
            log_file=self.log,
            **self._options,  # type: ignore[arg-type]
        )
        return self.files

    def url(self, user: str) -> str:
        return self.files.url(user)

    def start(self, timeout: float = 10.0) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and generated file
            [MOSQUITTO, "-c", str(self.files.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not _accepts(self.port):
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
                raise RuntimeError(f"mosquitto exited with {self.process.returncode}: {tail}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"mosquitto did not listen on {self.port} within {timeout} s")
            time.sleep(0.02)

    def stop(self, *, kill: bool = False, timeout: float = 20.0) -> None:
        """SIGTERM (Mosquitto saves its persistent store, then exits) or SIGKILL (nothing saved)."""
        process = self.process
        if process is None or process.poll() is not None:
            self.process = None
            return
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.process = None

    def restart(self, *, kill: bool = False) -> None:
        self.stop(kill=kill)
        self.start()

    def reload(self) -> None:
        """SIGHUP: Mosquitto rereads the password file and the ACL."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGHUP)

    def __enter__(self) -> Mosquitto:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
