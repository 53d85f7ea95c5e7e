"""What ops publishes to the IOC: backup age and drills (indicators_backup), availability of the province's
information systems (indicators_uptime)."""

from __future__ import annotations

from langson.ops import indicators_backup, indicators_uptime

INDICATORS = [*indicators_backup.INDICATORS, *indicators_uptime.INDICATORS]
