"""The limits: N execution slots and a minimum spacing between starts, across threads and processes.

Slots are ``slot-K.lock`` files in the lock directory, each held with an exclusive lock for as long
as a docker process runs; a crashed process's locks are released by the kernel. A process-wide
semaphore in front keeps threads of one process from polling each other. The spacing is a
reservation in ``interval.lock``: under its lock, read the last reserved start, reserve
``max(now, last + interval)`` and release at once, then sleep until the reserved time.
"""

from __future__ import annotations

import os
import threading
import time

from . import _locks
from ._errors import SlotTimeoutError

_POLL_MIN = 0.001
_POLL_MAX = 0.01
_STAMP_WIDTH = 24

_registry_lock = threading.Lock()
_semaphores: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_interval_locks: dict[str, threading.Lock] = {}


class Slot:
    """One held execution slot; ``release()`` is idempotent and safe from any thread."""

    __slots__ = ("_fd", "_lock", "_released", "_semaphore", "number")

    def __init__(self, number: int, fd: int, semaphore: threading.BoundedSemaphore) -> None:
        self.number = number
        self._fd = fd
        self._semaphore = semaphore
        self._released = False
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        try:
            _locks.unlock(self._fd)
        finally:
            os.close(self._fd)
            self._semaphore.release()


class Limiter:
    """Slots and spacing for one lock directory; cheap to create, state lives in the files."""

    def __init__(self, lock_dir: str, max_concurrent: int, min_interval: float) -> None:
        self.lock_dir = lock_dir
        self.max_concurrent = max_concurrent
        self.min_interval = min_interval
        self._slot_paths = [os.path.join(lock_dir, f"slot-{k}.lock") for k in range(max_concurrent)]
        self._interval_path = os.path.join(lock_dir, "interval.lock")
        key = (os.path.abspath(lock_dir), max_concurrent)
        with _registry_lock:
            self._semaphore = _semaphores.setdefault(
                key, threading.BoundedSemaphore(max_concurrent)
            )
            self._interval_lock = _interval_locks.setdefault(key[0], threading.Lock())
        self._dir_ready = False

    def _ensure_dir(self) -> None:
        if not self._dir_ready:
            os.makedirs(self.lock_dir, mode=0o700, exist_ok=True)
            self._dir_ready = True

    def _grab_file(self) -> Slot | None:
        """With the semaphore held: lock the first free slot file, or None when all are taken."""
        self._ensure_dir()
        for number, path in enumerate(self._slot_paths):
            fd = _locks.open_lock_file(path)
            try:
                locked = _locks.try_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if locked:
                return Slot(number, fd, self._semaphore)
            os.close(fd)
        return None

    def try_acquire(self) -> Slot | None:
        """A slot if one is free right now (never blocks)."""
        if not self._semaphore.acquire(blocking=False):
            return None
        try:
            slot = self._grab_file()
        except BaseException:
            self._semaphore.release()
            raise
        if slot is None:
            self._semaphore.release()
        return slot

    def acquire(self, timeout: float | None = None) -> Slot:
        """Block (polling the files of other processes) until a slot is free."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._semaphore.acquire(timeout=timeout):
            raise SlotTimeoutError(f"no docker slot free within {timeout} s")
        delay = _POLL_MIN
        try:
            while True:
                slot = self._grab_file()
                if slot is not None:
                    return slot
                if deadline is not None and time.monotonic() >= deadline:
                    raise SlotTimeoutError(f"no docker slot free within {timeout} s")
                time.sleep(delay)
                delay = min(delay * 2, _POLL_MAX)
        except BaseException:
            self._semaphore.release()
            raise

    def reserve_start(self, *, blocking: bool = True) -> float | None:
        """Seconds to wait before starting (0 without spacing); None when busy and not blocking."""
        if self.min_interval <= 0:
            return 0.0
        if not self._interval_lock.acquire(blocking=blocking):
            return None
        try:
            self._ensure_dir()
            fd = _locks.open_lock_file(self._interval_path)
            try:
                if blocking:
                    _locks.lock(fd)
                elif not _locks.try_lock(fd):
                    return None
                try:
                    return self._reserve(fd)
                finally:
                    _locks.unlock(fd)
            finally:
                os.close(fd)
        finally:
            self._interval_lock.release()

    def _reserve(self, fd: int) -> float:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, _STAMP_WIDTH)
        now = time.time()
        try:
            last = float(raw) if raw.strip() else 0.0
        except ValueError:
            last = 0.0
        if last > now + 3600:  # the clock went back: forget the old reservation
            last = 0.0
        start = max(now, last + self.min_interval)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{start:.6f}".ljust(_STAMP_WIDTH).encode("ascii"))
        return start - now
