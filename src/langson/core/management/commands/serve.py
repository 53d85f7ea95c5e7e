"""`langson serve`: the ASGI server on IPv4 and IPv6 (0.0.0.0 and [::] by default), optionally a worker."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import Any

import uvicorn
from django.core.management.base import BaseCommand, CommandError


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        # Separate IPv4 and IPv6 sockets, so each family is served even where dual-stack is off.
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class Command(BaseCommand):
    help = "Chạy máy chủ web / serve the platform (ASGI)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--host", action="append", help="address to bind (repeatable); default 0.0.0.0 and ::"
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--with-worker", action="store_true", help="also run `langson worker` alongside")
        parser.add_argument("--log-level", default="info")

    def handle(self, *args: Any, **options: Any) -> None:
        hosts = options["host"] or ["0.0.0.0", "::"]  # noqa: S104 - serving every interface is the point
        sockets = []
        for host in hosts:
            try:
                sockets.append(bind(host, options["port"]))
            except OSError as exc:
                if host == "::" and not options["host"]:
                    self.stderr.write(f"IPv6 không khả dụng / IPv6 unavailable: {exc}")
                    continue
                raise CommandError(
                    f"Không mở được cổng / cannot bind {host}:{options['port']}: {exc}"
                ) from exc
        worker = None
        if options["with_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "langson.cli", "worker"])
        for host in hosts:
            shown = f"[{host}]" if ":" in host else host
            self.stdout.write(f"Lạng Sơn số: http://{shown}:{options['port']}/")
        config = uvicorn.Config(
            "langson.asgi:application",
            lifespan="off",
            log_level=options["log_level"],
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1,::1",
            server_header=False,
        )
        try:
            uvicorn.Server(config).run(sockets=sockets)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
