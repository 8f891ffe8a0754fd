"""The only code in dockfix that writes a user's file.

A write goes to a temporary file in the same folder as the target (so ``os.replace``
is atomic), is flushed and fsynced, gets the target's mode (and owner, as root), and
then replaces the target. A symlink is written through to its target and stays a
link. Just before the replace, the target is compared with what was read: if it
changed in between (an editor saved it, another tool rewrote it), nothing is written.
A failure at any step removes the temporary file and raises :class:`WriteError`. A temporary
file left by a killed run (its name holds the writer's pid) is removed by the next write of
the same file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from dataclasses import dataclass

TEMP_SUFFIX = ".dockfix-tmp"


class WriteError(Exception):
    """The file could not be written; the message says why. The file is unchanged."""


@dataclass(frozen=True)
class Snapshot:
    """A file's bytes and identity at the time it was read."""

    data: bytes
    size: int
    mtime_ns: int
    inode: int


def read_snapshot(path: str) -> Snapshot:
    """Read a file (through symlinks) and remember its identity. Raises ``OSError``.

    Only a regular file is read: a FIFO would block for ever, a device never end.
    """
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe, device or socket)")
        data = handle.read()
    return Snapshot(data=data, size=info.st_size, mtime_ns=info.st_mtime_ns, inode=info.st_ino)


def _unchanged(target: str, snapshot: Snapshot) -> bool:
    try:
        with open(target, "rb") as handle:
            info = os.fstat(handle.fileno())
            if (info.st_size, info.st_mtime_ns, info.st_ino) != (
                snapshot.size,
                snapshot.mtime_ns,
                snapshot.inode,
            ):
                return False
            return handle.read() == snapshot.data
    except OSError:
        return False


def write_atomic(path: str, data: bytes, snapshot: Snapshot) -> None:
    """Replace the file at ``path`` (or its symlink target) with ``data``.

    Raises :class:`WriteError` if the file changed since ``snapshot`` was read, is
    read-only, or cannot be written; the original is then untouched.
    """
    target = os.path.realpath(path)
    try:
        info = os.stat(target)
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror}") from None
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise WriteError("cannot write: the file is read-only")
    folder, name = os.path.split(target)
    remove_stale_temps(folder, name)
    try:
        prefix = f".{name}.{os.getpid()}."  # the writer's pid: a later run can tell it died
        fd, temp = tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror} (creating a file in {folder})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if hasattr(os, "geteuid") and os.geteuid() == 0:  # before fchmod: chown drops setuid
                os.fchown(handle.fileno(), info.st_uid, info.st_gid)
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
            os.fsync(handle.fileno())
        if not _unchanged(target, snapshot):
            raise WriteError("changed on disk since it was read: not written (run again)")
        os.replace(temp, target)
    except WriteError:
        _remove(temp)
        raise
    except OSError as exc:
        _remove(temp)
        raise WriteError(f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _remove(temp)
        raise
    _fsync_folder(folder)


def remove_stale_temps(folder: str, name: str) -> None:
    """Remove the temporary files of ``name`` left by a dockfix that was killed mid-write.

    Only files named as this module names them, and only when their writer's pid is gone.
    """
    if os.name != "posix":
        return  # no cheap liveness test (os.kill(pid, 0) is not one on Windows)
    prefix = f".{name}."
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(TEMP_SUFFIX)):
            continue
        pid = entry[len(prefix) : -len(TEMP_SUFFIX)].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            _remove(os.path.join(folder, entry))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _remove(temp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)


def _fsync_folder(folder: str) -> None:
    """Make the rename durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
