"""Advisory file locks that the kernel drops when their holder dies.

POSIX: ``fcntl.flock`` (per open file description, so every acquisition opens its own fd).
Windows: ``msvcrt.locking`` on the first byte. Elsewhere the limits hold within one process only.
"""

from __future__ import annotations

import os
import sys
import time

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    CROSS_PROCESS = True

    def try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def lock(fd: int) -> None:
        while not try_lock(fd):
            time.sleep(0.001)

    def unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no POSIX locks on this platform
        fcntl = None  # type: ignore[assignment]

    CROSS_PROCESS = fcntl is not None

    def try_lock(fd: int) -> bool:
        if fcntl is None:  # pragma: no cover
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def lock(fd: int) -> None:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)

    def unlock(fd: int) -> None:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)


def open_lock_file(path: str) -> int:
    """A fresh fd on ``path`` (created if needed); not inherited by child processes."""
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


def sleep(seconds: float) -> None:
    time.sleep(seconds)
