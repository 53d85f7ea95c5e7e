"""The MQTT ingest worker: at-least-once from Mosquitto into the store, idempotent, batched.

- One persistent session per process (fixed client id ``langson-ingest-<n>``, ``clean_session`` false), so
  Mosquitto keeps the worker's messages while it is down or restarting, and resends the unacknowledged ones.
- QoS 1 subscription to ``langson/+/telemetry``; with several processes, the shared subscription
  ``$share/ingest/langson/+/telemetry`` splits the stream between them.
- paho's manual acknowledgements: the network thread hands messages over without PUBACK; the main thread
  takes a batch (up to ``max_batch`` messages, or what arrived within ``linger`` seconds), validates it,
  stores it in one transaction, and only after the commit sends the PUBACKs. A crash at any point loses
  nothing: unacknowledged messages come again, and storing them again changes nothing.
- A message whose connection has gone (reconnect in between) is not acknowledged on the new connection:
  the broker resends it with the session, and its packet id may by then name another message.
- Malformed messages become dead letters with their reason, in the same transaction, and are acknowledged.
"""

from __future__ import annotations

import collections
import logging
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from django.db import DatabaseError
from paho.mqtt import __version__ as paho_version

from langson.city.ingest.payload import Rejected, Row, decode, device_of, entries_of, now_us, rows_of
from langson.city.ingest.store import DeadRow, Saved, Store, reset_connection

logger = logging.getLogger("langson.city.ingest")

SHARE_GROUP = "ingest"
_PUBACK = struct.Struct("!BBH")  # PUBACK: type 4, remaining length 2, packet id
# paho's private packet queue, known to take raw packets in this version; any other falls back to ack().
BATCHED_ACKS = paho_version.startswith("2.2.") and hasattr(mqtt.Client, "_packet_queue")
# paho's private socket read, known to be the only way it reads in this version; any other reads unbuffered.
BUFFERED_READS = paho_version.startswith("2.2.") and hasattr(mqtt.Client, "_sock_recv")
READ_CHUNK = 256 * 1024
TELEMETRY_FILTER = "langson/+/telemetry"


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool


def parse_url(url: str) -> Broker:
    """mqtt://user:password@host:port (1883) or mqtts://… (8883, TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"not an MQTT URL (mqtt://user:password@host:port): {url!r}")
    tls = parts.scheme == "mqtts"
    return Broker(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
    )


class BufferedClient(mqtt.Client):
    """paho's client reading the socket in large chunks. paho 2.2 reads each packet with three or four
    ``recv`` calls (1 byte of type, the length byte by byte, then the rest) after one ``select`` per packet:
    ~20 µs of CPU per received message here, about half of it saved by serving those small reads from one
    buffer of up to READ_CHUNK bytes and handling every packet already buffered in one go. The buffer
    belongs to one socket: a reconnection starts empty, so no byte of an old connection is ever parsed as
    part of a new one."""

    _read_buffer: bytes = b""
    _read_at = 0
    _read_socket: Any = None

    def _sock_recv(self, bufsize: int) -> bytes:
        if self._read_socket is not self._sock:
            self._read_buffer, self._read_at, self._read_socket = b"", 0, self._sock
        if self._read_at >= len(self._read_buffer):
            data = super()._sock_recv(READ_CHUNK)  # BlockingIOError when nothing is there: paho waits
            if not data:
                return data  # connection closed
            self._read_buffer, self._read_at = data, 0
        start = self._read_at
        self._read_at = min(start + bufsize, len(self._read_buffer))
        return self._read_buffer[start : self._read_at]

    def buffered(self) -> bool:
        return self._read_socket is self._sock and self._read_at < len(self._read_buffer)

    def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
        # select() cannot see bytes already in the buffer: handle them all before waiting again.
        rc = super().loop_read(max_packets)
        while rc == mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS and self._sock is not None and self.buffered():
            rc = super().loop_read(1)
        return rc


def make_client(
    broker: Broker,
    client_id: str,
    *,
    clean_session: bool,
    manual_ack: bool = False,
    buffered: bool = False,
    **kwargs: Any,
) -> mqtt.Client:
    client = (BufferedClient if buffered and BUFFERED_READS else mqtt.Client)(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=clean_session,
        protocol=mqtt.MQTTv311,
        manual_ack=manual_ack,
        **kwargs,
    )
    if broker.username is not None:
        client.username_pw_set(broker.username, broker.password)
    if broker.tls:
        client.tls_set()
    client.reconnect_delay_set(min_delay=1, max_delay=5)
    return client


@dataclass
class Totals:
    messages: int = 0
    rows: int = 0
    inserted: int = 0
    dead: int = 0
    batches: int = 0


class IngestWorker:
    """``run(stop)`` until ``stop`` is set. ``on_batch(saved, messages, committed_epoch)`` is told of each
    committed batch (the benchmark's latency figures)."""

    def __init__(
        self,
        url: str,
        *,
        client_id: str = "langson-ingest-0",
        max_batch: int = 5000,
        linger: float = 0.05,
        store: Store | None = None,
        on_batch: Callable[[Saved, int, float], None] | None = None,
        shared: bool = False,
    ) -> None:
        self.broker = parse_url(url)
        self.client_id = client_id
        self.max_batch = max_batch
        self.linger = linger
        self.store = store or Store()
        self.on_batch = on_batch
        # Mosquitto 2.0 keeps a plain subscription of a persistent session across its own restart, but not a
        # shared one: while no worker is back, messages to a shared subscription would be dropped. One
        # process (the default) therefore subscribes plainly; several share the stream (decision 0012).
        shared_filter = f"$share/{SHARE_GROUP}/{TELEMETRY_FILTER}"
        self.topic, self.other_topic = (
            (shared_filter, TELEMETRY_FILTER) if shared else (TELEMETRY_FILTER, shared_filter)
        )
        self.totals = Totals()
        # (connection generation, mid, qos, topic, payload), appended by paho's network thread.
        self.inbox: collections.deque[tuple[int, int, int, str, bytes]] = collections.deque()
        self.arrived = threading.Event()
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self.generation = 0
        self.refused: Any = None  # the CONNACK reason of the last refused connection
        self.closing = False
        self.client = make_client(self.broker, client_id, clean_session=False, manual_ack=True, buffered=True)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *args: self.subscribed.set()

    # -- paho's network thread ----------------------------------------------------------------------

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            self.refused = reason
            logger.error("MQTT broker refused the ingest worker %s: %s", self.client_id, reason)
            return
        self.generation += 1
        self.refused = None
        client.subscribe(self.topic, qos=1)
        client.unsubscribe(self.other_topic)  # a session kept from the other mode would get messages twice
        self.connected.set()
        logger.info("ingest worker %s connected (session present: %s)", self.client_id, flags.session_present)

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        self.connected.clear()
        if self.closing:
            logger.info("ingest worker %s disconnected", self.client_id)
        else:
            logger.warning("ingest worker %s disconnected: %s; reconnecting", self.client_id, reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        self.inbox.append((self.generation, message.mid, message.qos, message.topic, bytes(message.payload)))
        if len(self.inbox) == 1:
            self.arrived.set()

    # -- the main thread ----------------------------------------------------------------------------

    def start(self) -> None:
        self.closing = False
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=30)
        self.client.loop_start()

    def close(self) -> None:
        """Leave cleanly: our last PUBACKs must reach the broker before the connection goes. A SUBACK
        proves it (the broker handles a connection's packets in order), and reading it leaves nothing
        unread, which would make the close a TCP reset that can discard the PUBACKs still unread there."""
        self.closing = True
        if self.connected.is_set():
            self.subscribed.clear()
            self.client.subscribe(self.topic, qos=1)
            self.subscribed.wait(5.0)
        self.client.disconnect()
        self.client.loop_stop()

    def run(self, stop: threading.Event) -> Totals:
        self.start()
        try:
            while not stop.is_set():
                batch = self._take(stop)
                if batch:
                    self._handle(batch, stop)
        finally:
            self.close()
        return self.totals

    def _take(self, stop: threading.Event) -> list[tuple[int, int, int, str, bytes]]:
        inbox = self.inbox
        if not inbox:
            self.arrived.wait(0.5)
            self.arrived.clear()
            if not inbox:
                return []
        deadline = time.monotonic() + self.linger
        while len(inbox) < self.max_batch and time.monotonic() < deadline and not stop.is_set():
            time.sleep(0.005)
        count = min(len(inbox), self.max_batch)
        popleft = inbox.popleft
        return [popleft() for _ in range(count)]

    def acknowledge(self, mids: list[int]) -> None:
        """PUBACK the messages of a committed batch. paho 2.2's ``ack`` queues one packet per message, each
        waking its network thread for a send of 4 bytes (~9 µs of CPU per message here); the very same
        PUBACK packets are queued here as one write through paho's own packet queue."""
        if not mids:
            return
        if BATCHED_ACKS:
            packets = b"".join([_PUBACK.pack(0x40, 2, mid) for mid in mids])
            self.client._packet_queue(mqtt.PUBACK, packets, 0, 1)
        else:
            for mid in mids:
                self.client.ack(mid, 1)

    def parse(
        self, batch: list[tuple[int, int, int, str, bytes]]
    ) -> tuple[list[Row], list[DeadRow], set[str]]:
        received = now_us()
        rows: list[Row] = []
        dead: list[DeadRow] = []
        contacts: set[str] = set()
        known = self.store.known
        for _generation, _mid, _qos, topic, payload in batch:
            device_id = ""
            try:
                device_id = device_of(topic)
                if not known(device_id):
                    raise Rejected("unknown_device", device=device_id)
                contacts.add(device_id)
                rows.extend(rows_of(device_id, entries_of(decode(payload)), received))
            except Rejected as rejected:
                dead.append(DeadRow("mqtt", topic, device_id, payload, rejected.vietnamese()))
        return rows, dead, contacts

    def _handle(self, batch: list[tuple[int, int, int, str, bytes]], stop: threading.Event) -> None:
        delay = 0.5
        while True:
            try:
                rows, dead, contacts = self.parse(batch)
                saved = self.store.save(rows, dead, contacts)
                break
            except DatabaseError:
                # Not acknowledged: the messages stay (here and in the broker) until the database is back.
                logger.exception(
                    "storing a batch of %d messages failed; retrying in %.1f s", len(batch), delay
                )
                reset_connection()
                if stop.wait(delay):
                    return
                delay = min(delay * 2, 10.0)
        committed = time.time()
        generation = self.generation
        self.acknowledge([mid for gen, mid, qos, _t, _p in batch if gen == generation and qos == 1])
        totals = self.totals
        totals.messages += len(batch)
        totals.rows += saved.rows
        totals.inserted += saved.inserted
        totals.dead += saved.dead
        totals.batches += 1
        if self.on_batch is not None:
            self.on_batch(saved, len(batch), committed)
