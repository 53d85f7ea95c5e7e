"""Where backups go and with which key, read from the settings (``LANGSON_BACKUP_*``) at each call so a test
or an operator's environment can point them elsewhere; and the one error type operators see."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings


class BackupError(Exception):
    """A failure told to the operator in Vietnamese and English; nothing live was touched."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} / {message_en}")
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


TARGETS = ("local", "remote")


@dataclass(frozen=True)
class Target:
    """A restic repository and the environment restic needs to open it (secrets never on a command line)."""

    name: str
    repository: str
    env: dict[str, str] = field(repr=False)

    @property
    def is_remote(self) -> bool:
        return self.name == "remote"


def backup_dir() -> Path:
    """Staging, scratch restores and restic's cache; created with a .gitignore so a default
    ``<repo>/.data-backups`` never shows up in git."""
    root = Path(settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    ignore = root / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n")
    return root


def check_outside_data_dir(path: Path) -> None:
    data = Path(settings.DATA_DIR).resolve()
    resolved = path.resolve()
    if resolved == data or data in resolved.parents:
        raise BackupError(
            "backup_inside_data",
            f"Kho sao lưu {resolved} nằm trong thư mục dữ liệu {data} mà nó bảo vệ: hãy đặt "
            "LANGSON_BACKUP_DIR / LANGSON_BACKUP_REPOSITORY ra ngoài.",
            f"The backup location {resolved} is inside the data directory {data} it protects: set "
            "LANGSON_BACKUP_DIR / LANGSON_BACKUP_REPOSITORY elsewhere.",
        )


def password_env(*, create: bool) -> dict[str, str]:
    """RESTIC_PASSWORD from LANGSON_BACKUP_PASSWORD, else the key file (generated once when ``create``)."""
    if settings.BACKUP_PASSWORD:
        return {"RESTIC_PASSWORD": settings.BACKUP_PASSWORD}
    key_file = Path(settings.BACKUP_PASSWORD_FILE)
    if not key_file.exists():
        if not create:
            raise BackupError(
                "no_password",
                "Chưa có mật khẩu kho sao lưu: đặt LANGSON_BACKUP_PASSWORD hoặc chép tệp khóa về "
                f"{key_file}.",
                f"No backup repository password: set LANGSON_BACKUP_PASSWORD or copy the key file to "
                f"{key_file}.",
            )
        check_outside_data_dir(key_file)
        key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(32) + "\n")
    return {"RESTIC_PASSWORD_FILE": str(key_file)}


def configured_targets() -> list[str]:
    """The local repository always; the remote one when LANGSON_BACKUP_S3_URL is set."""
    return ["local", "remote"] if settings.BACKUP_S3_URL else ["local"]


def repository_of(name: str) -> str:
    if name not in TARGETS:
        raise BackupError(
            "unknown_target",
            f"Không có nơi lưu “{name}”: dùng local hoặc remote.",
            f"No target “{name}”: use local or remote.",
        )
    if name == "local":
        repository = str(settings.BACKUP_REPOSITORY)
        check_outside_data_dir(Path(repository))
        return repository
    if not settings.BACKUP_S3_URL:
        raise BackupError(
            "remote_not_configured",
            "Chưa cấu hình kho từ xa: đặt LANGSON_BACKUP_S3_URL, LANGSON_BACKUP_S3_ACCESS_KEY và "
            "LANGSON_BACKUP_S3_SECRET_KEY.",
            "No remote repository configured: set LANGSON_BACKUP_S3_URL, LANGSON_BACKUP_S3_ACCESS_KEY and "
            "LANGSON_BACKUP_S3_SECRET_KEY.",
        )
    return str(settings.BACKUP_S3_URL)


def target(name: str, *, password: bool = True, create_password: bool = False) -> Target:
    """The target with its environment; ``password=False`` leaves the password out (to probe a repository)."""
    repository = repository_of(name)
    env: dict[str, str] = {"RESTIC_CACHE_DIR": str(backup_dir() / "cache"), "RESTIC_REPOSITORY": repository}
    if name == "remote":
        env["AWS_ACCESS_KEY_ID"] = settings.BACKUP_S3_ACCESS_KEY
        env["AWS_SECRET_ACCESS_KEY"] = settings.BACKUP_S3_SECRET_KEY
    if password:
        env.update(password_env(create=create_password))
    return Target(name=name, repository=repository, env=env)


def has_password() -> bool:
    return bool(settings.BACKUP_PASSWORD) or Path(settings.BACKUP_PASSWORD_FILE).exists()


# --- What a snapshot holds, and where each part lives -------------------------------------------------------


def database() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def is_sqlite() -> bool:
    return str(database()["ENGINE"]).endswith("sqlite3")


def sqlite_path() -> Path:
    return Path(str(database()["NAME"]))


def upload_roots() -> dict[str, Path]:
    """Uploaded files by folder name in the snapshot. Defaults as in ``services.storage.root`` (hồ sơ
    attachments) and ``border.storage_documents.root`` (trade documents), read the same way without
    importing those apps."""
    data = Path(settings.DATA_DIR)
    return {
        "dossiers": Path(getattr(settings, "DOSSIER_FILES_DIR", data / "dossiers")),
        "border": Path(getattr(settings, "BORDER_FILES_DIR", data / "border")),
    }


def secret_key_file() -> Path:
    """The embedded set-up's generated SECRET_KEY (settings._secret_key): restored so sessions survive."""
    return Path(settings.DATA_DIR) / "secret_key"
