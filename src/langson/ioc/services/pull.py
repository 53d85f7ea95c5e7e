"""Pulling a JSON/REST endpoint: auth header, pagination (page number or next link), incremental cursor.

One adapter owns the outside system: timeouts, a size limit and one error type (PullError); the rest of
the IOC never touches the HTTP client.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from typing import Any

from django.utils import timezone

from langson.ioc.models import IngestionRun, PullSource
from langson.ioc.services.ingestion import ingest

TIMEOUT_SECONDS = 30
MAX_PAGES = 1000
MAX_BYTES = 50 * 1024 * 1024


class PullError(RuntimeError):
    pass


def _dig(document: Any, path: str) -> Any:
    for part in [p for p in path.split(".") if p]:
        document = document.get(part) if isinstance(document, dict) else None
    return document


def _fetch(url: str, auth_header: str) -> Any:
    if urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise PullError(f"unsupported scheme: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked
    if auth_header:
        name, _, value = auth_header.partition(":")
        request.add_header(name.strip(), value.strip())
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PullError(f"{url}: {exc}") from exc
    if len(body) > MAX_BYTES:
        raise PullError(f"{url}: response larger than {MAX_BYTES} bytes")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise PullError(f"{url}: not JSON") from exc


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urllib.parse.urlparse(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    query.update(params)
    return urllib.parse.urlunparse(parts._replace(query=urllib.parse.urlencode(query)))


def pull(source: PullSource) -> IngestionRun | None:
    """Fetch every page since the last cursor and ingest them as one batch; advance the cursor on success."""
    params = {source.cursor_param: source.last_cursor} if source.cursor_param and source.last_cursor else {}
    url: str | None = _with_params(source.url, params)
    items: list[dict[str, Any]] = []
    page = 1
    for _ in range(MAX_PAGES):
        if url is None:
            break
        document = _fetch(url, source.auth_header)
        batch = _dig(document, source.items_path) if source.items_path else document
        if not isinstance(batch, list):
            raise PullError(f"{url}: '{source.items_path}' is not a list")
        items.extend(item for item in batch if isinstance(item, dict))
        if source.pagination == PullSource.Pagination.PAGE and batch:
            page += 1
            url = _with_params(source.url, {**params, source.page_param: str(page)})
        elif source.pagination == PullSource.Pagination.NEXT_LINK:
            nxt = _dig(document, source.next_path)
            url = urllib.parse.urljoin(url, nxt) if isinstance(nxt, str) and nxt else None
        else:
            url = None
    source.next_pull_at = timezone.now() + timedelta(minutes=source.interval_minutes)
    if not items:
        source.save(update_fields=["next_pull_at"])
        return None
    cursor_values = [
        str(item[source.cursor_field])
        for item in items
        if source.cursor_field and item.get(source.cursor_field)
    ]
    newest = _newest(cursor_values)
    batch_key = f"pull:{source.pk}:{source.last_cursor}:{newest}"
    run = ingest(
        source.dataset,
        items,
        source=IngestionRun.Source.PULL,
        source_detail=source.url,
        batch_key=batch_key if cursor_values else None,
    )
    if run.status in (IngestionRun.Status.DONE, IngestionRun.Status.DUPLICATE) and cursor_values:
        source.last_cursor = newest
    source.save(update_fields=["next_pull_at", "last_cursor"])
    return run


def _newest(values: list[str]) -> str:
    """Largest cursor: numerically for ids, lexically for ISO timestamps."""
    if not values:
        return ""
    if all(v.lstrip("-").isdigit() for v in values):
        return max(values, key=int)
    return max(values)
