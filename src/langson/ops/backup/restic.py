"""restic (Debian's package) run as a subprocess: encryption (AES-256 + Poly1305 MAC), deduplication and
retention. Secrets reach it only through the environment we give it (RESTIC_PASSWORD[_FILE], AWS_*), never
the command line, which other users of the machine can read in /proc.

Its failures are told apart from its messages, so the operator reads what to do: a wrong password, an
unreachable or refusing S3 server, a damaged repository, restic missing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from langson.ops.backup.config import BackupError, Target, has_password, target

logger = logging.getLogger(__name__)

TAG = "langson"
HOST = "langson"  # one host name for every machine: a restored backup site goes on with the same series

# (code, fragments of restic's message, Vietnamese, English); the first match wins.
_FAILURES: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    (
        "wrong_password",
        ("wrong password", "no key found"),
        "Sai mật khẩu kho sao lưu (LANGSON_BACKUP_PASSWORD hoặc tệp khóa): không mở được kho.",
        "Wrong backup repository password (LANGSON_BACKUP_PASSWORD or the key file): the repository "
        "cannot be opened.",
    ),
    (
        "remote_refused",
        ("signature we calculated does not match", "invalidaccesskeyid", "access denied", "accessdenied"),
        "Kho S3 từ chối khóa truy cập (LANGSON_BACKUP_S3_ACCESS_KEY / LANGSON_BACKUP_S3_SECRET_KEY).",
        "The S3 server refused the access key (LANGSON_BACKUP_S3_ACCESS_KEY / LANGSON_BACKUP_S3_SECRET_KEY).",
    ),
    (
        "unreachable",
        ("connection refused", "dial tcp", "no such host", "i/o timeout", "network is unreachable"),
        "Không kết nối được kho sao lưu từ xa: kiểm tra mạng và địa chỉ LANGSON_BACKUP_S3_URL.",
        "Cannot reach the remote backup repository: check the network and LANGSON_BACKUP_S3_URL.",
    ),
    (
        "locked",
        ("repository is already locked",),
        "Kho sao lưu đang bị khóa bởi một tiến trình restic khác; nếu tiến trình đó đã chết, chạy "
        "`restic unlock`.",
        "The backup repository is locked by another restic process; if it died, run `restic unlock`.",
    ),
    (
        "corrupt",
        (
            "ciphertext verification failed",
            "checksum mismatch",
            "invalid data returned",
            "unexpected eof",
            "decrypting blob",
            "there were",
            "load(<data/",
        ),
        "Bản sao lưu bị hỏng (tệp trong kho không khớp mã kiểm tra): dùng bản khác hoặc kho còn lại, và chạy "
        "`restic check`.",
        "The snapshot is corrupt (a file in the repository fails its checksum): use another snapshot or the "
        "other repository, and run `restic check`.",
    ),
    (
        "disk_full",
        ("no space left on device",),
        "Hết chỗ trên đĩa khi sao lưu hoặc khôi phục.",
        "No space left on the disk while backing up or restoring.",
    ),
    (
        "missing_repository",
        ("no such file or directory", "does not exist", "nosuchbucket", "is there a repository"),
        "Không thấy kho sao lưu ở địa chỉ đã cấu hình.",
        "No backup repository at the configured location.",
    ),
)


def classify(stderr: str) -> BackupError:
    text = stderr.lower()
    for code, fragments, vi, en in _FAILURES:
        if any(fragment in text for fragment in fragments):
            return BackupError(code, vi, en)
    last = stderr.strip().splitlines()[-1][:300] if stderr.strip() else "?"
    return BackupError("restic_failed", f"restic báo lỗi: {last}", f"restic failed: {last}")


def binary() -> str:
    found = shutil.which(settings.BACKUP_RESTIC)
    if not found:
        raise BackupError(
            "restic_missing",
            f"Chưa cài restic ({settings.BACKUP_RESTIC}): chạy `apt-get install restic` "
            "(make run/test cài sẵn).",
            f"restic ({settings.BACKUP_RESTIC}) is not installed: run `apt-get install restic` "
            "(make run/test "
            "install it).",
        )
    return found


def version() -> str:
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [binary(), "version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired, BackupError):
        return ""
    return result.stdout.strip()


def _check_reachable(repo: Target) -> None:
    """A TCP connection to the S3 endpoint first: restic would retry a silent host for many minutes."""
    if not repo.is_remote:
        return
    url = urlsplit(repo.repository.removeprefix("s3:"))
    if not url.hostname:
        return  # s3.amazonaws.com/bucket style: restic knows the endpoint
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname, port), timeout=5):
            pass
    except OSError as exc:
        raise BackupError(
            "unreachable",
            f"Không kết nối được kho sao lưu từ xa {url.hostname}:{port} ({exc.strerror or exc}): kiểm tra "
            "mạng và LANGSON_BACKUP_S3_URL.",
            f"Cannot reach the remote backup repository {url.hostname}:{port} ({exc.strerror or exc}): check "
            "the network and LANGSON_BACKUP_S3_URL.",
        ) from exc


def run(
    repo: Target, *args: str, cwd: Path | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """restic with the repository's environment; BackupError (classified) when it fails."""
    _check_reachable(repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESTIC_", "AWS_"))}
    env.update(repo.env)
    try:
        result = subprocess.run(  # noqa: S603 - arguments are ours; secrets are in env
            [binary(), "--quiet", *args],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout or settings.BACKUP_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BackupError(
            "timeout",
            f"restic không xong trong {exc.timeout:.0f} giây (LANGSON_BACKUP_TIMEOUT_SECONDS).",
            f"restic did not finish within {exc.timeout:.0f} s (LANGSON_BACKUP_TIMEOUT_SECONDS).",
        ) from exc
    if result.returncode != 0:
        logger.info("restic %s on %s failed: %s", args[0], repo.name, result.stderr.strip()[-500:])
        raise classify(result.stderr)
    return result


def open_repository(name: str, *, create: bool) -> Target:
    """The target with its repository checked; initialised first when ``create`` and it does not exist.

    Without a password (no LANGSON_BACKUP_PASSWORD, no key file yet) only a new repository may be made, with
    a generated key file; an existing one means this machine lacks its key, which is said plainly.
    """
    if has_password():
        repo = target(name)
        try:
            run(repo, "cat", "config", timeout=120)
            return repo
        except BackupError as exc:
            if exc.code != "missing_repository" or not create:
                raise
        run(repo, "init", timeout=300)
        return repo
    bare = target(name, password=False)
    probe = Target(bare.name, bare.repository, {**bare.env, "RESTIC_PASSWORD": "-"})
    try:
        run(probe, "cat", "config", timeout=120)
    except BackupError as exc:
        if exc.code == "missing_repository" and create:
            repo = target(name, create_password=True)
            run(repo, "init", timeout=300)
            logger.info("initialised the %s backup repository %s", name, repo.repository)
            return repo
        if exc.code not in ("wrong_password", "missing_repository"):
            raise
    raise BackupError(
        "no_password",
        "Máy này không có mật khẩu kho sao lưu: đặt LANGSON_BACKUP_PASSWORD hoặc chép tệp khóa về "
        f"{settings.BACKUP_PASSWORD_FILE}.",
        "This machine has no password for the backup repository: set LANGSON_BACKUP_PASSWORD or copy the "
        f"key file back to {settings.BACKUP_PASSWORD_FILE}.",
    )


@dataclass(frozen=True)
class Snapshot:
    id: str
    short_id: str
    time: datetime
    tags: tuple[str, ...]


def backup(repo: Target, folder: Path, *, tags: list[str]) -> dict[str, Any]:
    """Back up the contents of ``folder`` (stored at the snapshot's top level); restic's JSON summary."""
    args = ["backup", "--json", "--host", HOST, "--tag", TAG]
    for tag in tags:
        args += ["--tag", tag]
    result = run(repo, *args, ".", cwd=folder)
    for line in reversed(result.stdout.splitlines()):
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("message_type") == "summary":
            return dict(message)
    raise BackupError("restic_failed", "restic không trả về bản tóm tắt.", "restic returned no summary.")


def _parse_time(stamp: str) -> datetime:
    """restic's RFC 3339 time with nanoseconds (Python takes microseconds), e.g.
    2026-12-05T18:08:11.522153367+07:00."""
    match = re.fullmatch(r"(.*?T[\d:]+)(?:\.(\d+))?(Z|[+-][\d:]+)", stamp)
    if match is None:
        raise ValueError(f"unexpected restic time {stamp!r}")
    head, fraction, zone = match.groups()
    zone = "+00:00" if zone == "Z" else zone
    return datetime.fromisoformat(f"{head}.{(fraction or '0')[:6].ljust(6, '0')}{zone}")


def snapshots(repo: Target) -> list[Snapshot]:
    result = run(repo, "snapshots", "--json", "--tag", TAG, timeout=300)
    found = []
    for item in json.loads(result.stdout or "[]"):
        time = _parse_time(item["time"])
        found.append(
            Snapshot(
                id=item["id"],
                short_id=item.get("short_id", item["id"][:8]),
                time=time,
                tags=tuple(item.get("tags") or ()),
            )
        )
    return sorted(found, key=lambda s: s.time)


def find_snapshot(repo: Target, wanted: str) -> Snapshot:
    """``latest`` or a (short) id; BackupError when there is none."""
    found = snapshots(repo)
    if wanted == "latest":
        if found:
            return found[-1]
    else:
        for snapshot in found:
            if snapshot.id.startswith(wanted) and len(wanted) >= 8:
                return snapshot
    raise BackupError(
        "no_snapshot",
        f"Không có bản sao lưu “{wanted}” trong kho {repo.name}.",
        f"No snapshot “{wanted}” in the {repo.name} repository.",
    )


def restore(repo: Target, snapshot: Snapshot, folder: Path) -> None:
    run(repo, "restore", snapshot.id, "--target", str(folder))


def forget(repo: Target) -> str:
    result = run(
        repo,
        "forget",
        "--tag",
        TAG,
        "--keep-hourly",
        str(settings.BACKUP_KEEP_HOURLY),
        "--keep-daily",
        str(settings.BACKUP_KEEP_DAILY),
        "--keep-monthly",
        str(settings.BACKUP_KEEP_MONTHLY),
        "--prune",
    )
    return result.stdout
