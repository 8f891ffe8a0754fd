"""The limits: N execution slots and a minimum spacing between starts, across threads and processes.

Slots are ``slot-K.lock`` files in the lock directory, each held with an exclusive lock for as long
as a docker process runs; a crashed process's locks are released by the kernel. A process-wide
semaphore in front keeps threads of one process from polling each other. The spacing is a
reservation in ``interval.lock``: under its lock, read the last reserved start, reserve
``max(now, last + interval)`` and release at once, then sleep until the reserved time.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time

from . import _locks
from ._errors import SlotTimeoutError

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Iterator

_POLL_MIN = 0.001
_POLL_MAX = 0.01
_STAMP_WIDTH = 24

_registry_lock = threading.Lock()
_semaphores: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_interval_locks: dict[str, threading.Lock] = {}


def _forget_after_fork() -> None:
    # A forked child must not inherit slots counted for its parent's threads.
    global _registry_lock
    _registry_lock = threading.Lock()
    _semaphores.clear()
    _interval_locks.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


class Slot:
    """One held execution slot; ``release()`` is idempotent and safe from any thread.

    A *nested* slot (no fd, no semaphore) stands for the slot its caller already holds.
    """

    __slots__ = ("_fd", "_lock", "_released", "_semaphore", "number")

    def __init__(
        self, number: int, fd: int = -1, semaphore: threading.BoundedSemaphore | None = None
    ) -> None:
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
        if self._semaphore is None:
            return
        try:
            _locks.unlock(self._fd)
        finally:
            os.close(self._fd)
            self._semaphore.release()


# Slots held by the running thread while it runs caller code (``run_limited``): a docker call
# made from inside that code uses the same slot instead of waiting for a second one, which
# would deadlock once every slot is held by such a caller.
_held = threading.local()


def _held_slots() -> dict[tuple[str, int], list[int]]:
    slots: dict[tuple[str, int], list[int]] | None = getattr(_held, "slots", None)
    if slots is None:
        slots = _held.slots = {}
    return slots


@contextlib.contextmanager
def holding(limiter: Limiter, slot: Slot) -> Iterator[None]:
    """Mark ``slot`` as held by the current thread for the duration of a ``with`` block."""
    stack = _held_slots().setdefault(limiter.key, [])
    stack.append(slot.number)
    try:
        yield
    finally:
        stack.pop()


def held_slot(limiter: Limiter) -> Slot | None:
    """A nested slot when the current thread already holds one of ``limiter``, else None."""
    stack = _held_slots().get(limiter.key)
    return Slot(stack[-1]) if stack else None


class Limiter:
    """Slots and spacing for one lock directory; cheap to create, state lives in the files."""

    def __init__(self, lock_dir: str, max_concurrent: int, min_interval: float) -> None:
        self.lock_dir = lock_dir
        self.max_concurrent = max_concurrent
        self.min_interval = min_interval
        self._slot_paths = [os.path.join(lock_dir, f"slot-{k}.lock") for k in range(max_concurrent)]
        self._interval_path = os.path.join(lock_dir, "interval.lock")
        self.key = self._key = (os.path.abspath(lock_dir), max_concurrent)
        self._dir_ready = False

    def _semaphore(self) -> threading.BoundedSemaphore:
        """The process-wide semaphore of this lock directory and size (a fresh one after fork)."""
        sem = _semaphores.get(self._key)
        if sem is None:
            with _registry_lock:
                sem = _semaphores.setdefault(self._key, threading.BoundedSemaphore(self._key[1]))
        return sem

    def _interval_lock(self) -> threading.Lock:
        lock = _interval_locks.get(self._key[0])
        if lock is None:
            with _registry_lock:
                lock = _interval_locks.setdefault(self._key[0], threading.Lock())
        return lock

    def _ensure_dir(self) -> None:
        if not self._dir_ready:
            os.makedirs(self.lock_dir, mode=0o700, exist_ok=True)
            self._dir_ready = True

    def _grab_file(self, sem: threading.BoundedSemaphore) -> Slot | None:
        """With ``sem`` held: lock the first free slot file, or None when all are taken."""
        self._ensure_dir()
        for number, path in enumerate(self._slot_paths):
            fd = _locks.open_lock_file(path)
            try:
                locked = _locks.try_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if locked:
                return Slot(number, fd, sem)
            os.close(fd)
        return None

    def try_acquire(self) -> Slot | None:
        """A slot if one is free right now (never blocks)."""
        sem = self._semaphore()
        if not sem.acquire(blocking=False):
            return None
        try:
            slot = self._grab_file(sem)
        except BaseException:
            sem.release()
            raise
        if slot is None:
            sem.release()
        return slot

    def acquire(self, timeout: float | None = None) -> Slot:
        """Block (polling the files of other processes) until a slot is free."""
        deadline = None if timeout is None else time.monotonic() + timeout
        sem = self._semaphore()
        if not sem.acquire(timeout=timeout):
            raise SlotTimeoutError(f"no docker slot free within {timeout} s")
        delay = _POLL_MIN
        try:
            while True:
                slot = self._grab_file(sem)
                if slot is not None:
                    return slot
                if deadline is not None and time.monotonic() >= deadline:
                    raise SlotTimeoutError(f"no docker slot free within {timeout} s")
                time.sleep(delay)
                delay = min(delay * 2, _POLL_MAX)
        except BaseException:
            sem.release()
            raise

    def reserve_start(self, *, blocking: bool = True) -> float | None:
        """Seconds to wait before starting (0 without spacing); None when busy and not blocking."""
        if self.min_interval <= 0:
            return 0.0
        thread_lock = self._interval_lock()
        if not thread_lock.acquire(blocking=blocking):
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
            thread_lock.release()

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
