"""Core tests: each test starts without rate-limit numbers reserved by an earlier one (its rows were rolled
back with it, the process's leases were not)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_rate_limit_leases() -> None:
    from langson.core.ratelimit import forget_leases

    forget_leases()
