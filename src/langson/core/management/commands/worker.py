"""`langson worker`: runs queued and scheduled jobs from the database queue."""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from langson.core.services import jobs

logger = logging.getLogger("langson.worker")


class Command(BaseCommand):
    help = "Chạy tiến trình nền (hàng đợi và lịch định kỳ) / run the background worker"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="poll interval when idle (s)")
        parser.add_argument("--queues", default="*", help="comma-separated queue names, * for all")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument("--beat-seconds", type=float, default=10.0)

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = f"{socket.gethostname()}:{os.getpid()}"
        started_at = timezone.now()
        stop = threading.Event()
        jobs.beat(worker_id, started_at)
        jobs.requeue_orphaned_tasks()

        def housekeeping() -> None:
            while not stop.wait(options["beat_seconds"]):
                try:
                    jobs.beat(worker_id, started_at)
                    jobs.enqueue_due_schedules()
                    jobs.requeue_orphaned_tasks()
                except Exception:
                    logger.exception("worker housekeeping failed; retrying")
                finally:
                    close_old_connections()
            connection.close()

        jobs.enqueue_due_schedules()
        thread = threading.Thread(target=housekeeping, name="langson-housekeeping", daemon=True)
        thread.start()
        worker = Worker(
            queue_names=options["queues"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(f"worker {worker_id} started")
        try:
            worker.run()
        finally:
            stop.set()
            jobs.forget(worker_id)
