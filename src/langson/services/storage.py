"""Files of hồ sơ: checked (type by content, size) before anything is stored, then kept by SHA-256."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from langson.core.services.durable_files import write_durably

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 50 * 1024 * 1024
# Scans and photos of papers: the formats the one-stop counters and phones produce. Recognised by their
# first bytes, not by the name the sender gave.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


class DossierError(ValueError):
    """A request the rules refuse; ``vi`` is shown to the person, ``en`` goes to the API and logs."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.code = code
        self.vi = vi
        self.en = en


@dataclass(frozen=True)
class Attachment:
    kind: str  # the code of the thành phần hồ sơ in the procedure
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        digest: str | None = self.__dict__.get("_sha256")
        if digest is None:  # computed once (two threads may both compute it: same value)
            digest = hashlib.sha256(self.content).hexdigest()
            object.__setattr__(self, "_sha256", digest)
        return digest


def content_type_of(attachment: Attachment) -> str:
    for content_type, prefixes in SIGNATURES.items():
        if attachment.content.startswith(prefixes):
            return content_type
    raise DossierError(
        "bad_file_type",
        f"Tệp “{attachment.name}” không phải PDF, JPEG hay PNG.",
        f"File “{attachment.name}” is not a PDF, JPEG or PNG.",
    )


def check_files(attachments: list[Attachment]) -> list[str]:
    """Content types of the files, or a DossierError for the first one the rules refuse."""
    total = 0
    types = []
    for attachment in attachments:
        size = len(attachment.content)
        if size == 0:
            raise DossierError(
                "empty_file", f"Tệp “{attachment.name}” rỗng.", f"File “{attachment.name}” is empty."
            )
        if size > MAX_FILE_BYTES:
            raise DossierError(
                "file_too_large",
                f"Tệp “{attachment.name}” lớn hơn 10 MB: hãy quét lại với độ phân giải thấp hơn.",
                f"File “{attachment.name}” is larger than 10 MB: scan it again at a lower resolution.",
            )
        total += size
        types.append(content_type_of(attachment))
    if total > MAX_TOTAL_BYTES:
        raise DossierError(
            "files_too_large",
            "Tổng dung lượng các tệp lớn hơn 50 MB.",
            "The files add up to more than 50 MB.",
        )
    return types


def root() -> Path:
    return Path(getattr(settings, "DOSSIER_FILES_DIR", settings.DATA_DIR / "dossiers"))


def path_of(sha256: str) -> Path:
    return root() / sha256[:2] / sha256


def store(attachment: Attachment) -> str:
    """Write the file durably and return its SHA-256; an identical file is kept once.

    Durably: the content is written to a temporary name and fsynced, renamed to its SHA-256, and the
    directory is fsynced so the name survives a crash too. Only then may a row referring to the file commit:
    if that transaction fails, a file nobody refers to remains, never a hồ sơ without its file. A file that
    is already there (the same scan sent twice, maybe being stored by another process right now) gets its
    directory fsynced as well, so its name is durable before our row commits.
    """
    digest = attachment.sha256
    write_durably(path_of(digest), attachment.content)
    return digest


# Writing a hồ sơ's files is mostly waiting for the disk (fsync): the files are written by a few threads of
# the process, together and while the hồ sơ's rows are prepared (see ``store_in_background``).
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dossier-files")
        return _pool


def _after_fork_in_child() -> None:
    """A forked child has none of its parent's threads, and a lock a parent thread held stays held."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Storing:
    """Files being written durably by ``store_in_background``."""

    def __init__(self, futures: list[Future[str]]) -> None:
        self._futures = futures

    def wait(self) -> list[str]:
        """Block until every file is durable; raise the first failure. Call before the transaction that
        refers to the files commits."""
        return [future.result() for future in self._futures]

    def settle(self) -> None:
        """Wait without raising (after a failure elsewhere: no write is left running behind the caller)."""
        for future in self._futures:
            future.exception()


def store_in_background(attachments: Iterable[Attachment]) -> Storing:
    """Start storing the files (``store``) in worker threads, one file per thread, and return at once.

    The same content twice is safe: each thread writes its own temporary file and the renames agree."""
    pool = _executor()
    return Storing([pool.submit(store, attachment) for attachment in attachments])
