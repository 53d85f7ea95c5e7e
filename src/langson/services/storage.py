"""Files of hồ sơ: checked (type by content, size) before anything is stored, then kept by SHA-256."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

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
        return hashlib.sha256(self.content).hexdigest()


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
    """Write the file durably (temp + fsync + rename) and return its SHA-256; an identical file is kept once.

    Files are written before the hồ sơ's transaction: if that transaction fails, a file nobody refers to
    remains, never a hồ sơ without its file.
    """
    digest = attachment.sha256
    final = path_of(digest)
    if final.exists():
        return digest
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.with_name(f".{digest}.{os.getpid()}.tmp")
    with open(temp, "wb") as handle:
        handle.write(attachment.content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, final)
    return digest
