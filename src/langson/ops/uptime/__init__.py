"""Uptime of the province's information systems: where a system is reached (targets, dns), how it is checked
(probes, tls), when (scheduling), what an outage is (incidents) and how available it was (availability).

Decision 0013 has the rules; in short: each system is checked on its own interval from the worker, once per
address family (IPv4 and IPv6); it is *down* after ``LANGSON_UPTIME_FAILURES_TO_OPEN`` consecutive rounds in
which no family answered, the incident starting at the first failed round and ending at the first round that
answered; availability is time-weighted: 1 − downtime / monitored time of the day.
"""
