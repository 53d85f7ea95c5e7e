"""Telemetry ingestion: MQTT (Mosquitto) and HTTP into one durable, batched, idempotent store.

payload.py  topic scheme and JSON payload → validated rows, or a reason (Vietnamese) for the dead letters
store.py    one transaction per batch: readings, latest values, last contact, dead letters
mqtt_worker.py  the ingest worker: persistent session, QoS 1, manual acknowledgement after the commit
broker.py   Mosquitto configuration, password (PBKDF2-SHA512) and ACL files
publisher.py    a flow-controlled QoS 1 publisher (simulator, benchmark, fault tests)
lake.py     batched export of stored readings to the IOC lake
mosquitto.py    start and stop a Mosquitto process on loopback (tests, benchmark)
See docs/decisions/0012-city-ingestion.md.
"""
