"""A task for the worker fault tests: slow when told by the environment, and it leaves a trace."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_append(path: str, line: str) -> str:
    time.sleep(float(os.environ.get("LANGSON_TEST_TASK_SLEEP", "0")))
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return line
