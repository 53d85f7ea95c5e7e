"""`langson bench NAME [--quick] [--json]`: run bench/NAME.py on a throwaway database.

A benchmark module defines ``run(quick: bool) -> dict`` returning ``metrics``, ``baseline`` and ``targets``
(each target: ``{"metric": name, "min": x}`` or ``{"metric": name, "max": x}``). The last line printed with
--json is ``{"bench", "metrics", "baseline", "targets", "met"}``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BENCH_DIR = settings.REPO_DIR / "bench"


def target_met(metrics: dict[str, Any], target: dict[str, Any]) -> bool:
    value = metrics[target["metric"]]
    if "min" in target and value < target["min"]:
        return False
    return not ("max" in target and value > target["max"])


class Command(BaseCommand):
    help = "Đo hiệu năng / run a benchmark from bench/"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", nargs="?")
        parser.add_argument("--quick", action="store_true", help="small version, under a minute")
        parser.add_argument("--json", action="store_true", help="print the result object on the last line")
        parser.add_argument("--list", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        available = sorted(p.stem for p in BENCH_DIR.glob("*.py") if not p.stem.startswith("_"))
        if options["list"] or not options["name"]:
            self.stdout.write("\n".join(available))
            return
        name = options["name"]
        if name not in available:
            raise CommandError(
                f"Không có bài đo / no benchmark {name!r}; có / available: {', '.join(available)}"
            )
        if os.environ.get("LANGSON_BENCH_CHILD") != "1":
            self._run_isolated(name, options)
            return
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH_DIR / f"{name}.py")
        if spec is None or spec.loader is None:
            raise CommandError(f"cannot load bench/{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        result = module.run(quick=options["quick"])
        result = {
            "bench": name,
            "metrics": result["metrics"],
            "baseline": result.get("baseline", {}),
            "targets": result.get("targets", []),
            "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        }
        result["met"] = all(target_met(result["metrics"], t) for t in result["targets"])
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _run_isolated(self, name: str, options: dict[str, Any]) -> None:
        """Benchmarks write a lot: never into the real database.

        They get a fresh SQLite, or the database named by LANGSON_BENCH_DATABASE_URL.
        """
        with tempfile.TemporaryDirectory(prefix="langson-bench-") as tmp:
            env = {**os.environ, "LANGSON_BENCH_CHILD": "1", "LANGSON_DATA_DIR": tmp}
            env.pop("DATABASE_URL", None)
            if os.environ.get("LANGSON_BENCH_DATABASE_URL"):
                env["DATABASE_URL"] = os.environ["LANGSON_BENCH_DATABASE_URL"]
            cli = [sys.executable, "-m", "langson.cli"]
            subprocess.run([*cli, "migrate", "--verbosity", "0"], env=env, check=True)  # noqa: S603
            args = [*cli, "bench", name] + (["--quick"] if options["quick"] else [])
            args += ["--json"] if options["json"] else []
            done = subprocess.run(args, env=env, check=False)  # noqa: S603
            if done.returncode:
                raise CommandError(f"bench {name} failed ({done.returncode})")
