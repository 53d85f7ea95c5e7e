"""Files that survive a crash: written under a temporary name and fsynced, renamed into place, and their
folder fsynced so the name is durable too. Only then may a database row that refers to the file commit: a
crash may leave a file nobody refers to, never a row without its file. Used by every app that keeps files
(hồ sơ attachments, border documents)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

# Folders of this process whose own entries (and their parents') are known durable.
_durable_dirs: set[Path] = set()
_dirs_lock = threading.Lock()


def fsync_dir(path: Path) -> None:
    """Make the entries of a directory (a file renamed into it, a subdirectory made in it) durable."""
    if os.name != "posix":  # pragma: no cover - directories cannot be opened for fsync elsewhere
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _durable_folder(folder: Path) -> None:
    if folder in _durable_dirs:
        return
    folder.mkdir(parents=True, exist_ok=True)
    fsync_dir(folder.parent)  # the folder's entry in its parent
    fsync_dir(folder.parent.parent)  # the parent's entry, in case it was just made
    with _dirs_lock:
        _durable_dirs.add(folder)


def _write(final: Path, content: bytes) -> None:
    temp = final.with_name(f".{final.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(temp, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, final)


def write_durably(final: Path, content: bytes) -> None:
    """Write ``content`` at ``final`` unless a file is already there (content-addressed names: the same
    content), and make the name durable either way: another process may have renamed it an instant ago."""
    _durable_folder(final.parent)
    if not final.exists():
        try:
            _write(final, content)
        except FileNotFoundError:  # the folder was removed since we made it (a cleaned-up data directory)
            with _dirs_lock:
                _durable_dirs.discard(final.parent)
            _durable_folder(final.parent)
            _write(final, content)
    fsync_dir(final.parent)


def _after_fork_in_child() -> None:
    """A lock a parent thread held stays held in a forked child: start with a fresh one."""
    global _dirs_lock
    _dirs_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
