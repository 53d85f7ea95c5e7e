"""Data infrastructure: backup runs and drills (backup), monitored systems, checks and incidents (uptime)."""

from langson.ops.models.backup import *  # noqa: F403
from langson.ops.models.uptime import *  # noqa: F403
