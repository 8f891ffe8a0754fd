"""The daemon's event stream, held open: when it ends, the daemon restarted or dropped us.

Where no pid file tells a restart (macOS, Windows, a remote daemon), a restart quicker
than the watch interval would go unseen by the pings; a ``docker events`` client held
open sees it: the daemon closes every stream when it stops.
"""

from __future__ import annotations

import subprocess
import threading
import time
from typing import Optional

_FALSE_START = 0.5  # seconds: a stream that ends this soon never really opened
_MAX_FALSE_STARTS = 3


class EventsStream:
    """A ``docker events`` process; ``take_break()`` says whether it ended since last asked."""

    def __init__(self) -> None:
        self._proc: Optional[subprocess.Popen[bytes]] = None
        self._thread: Optional[threading.Thread] = None
        self._broken_at: Optional[float] = None
        self._closing = False
        self._lock = threading.Lock()
        self._started = 0.0
        self._false_starts = 0
        self.available = True

    def ensure(self) -> None:
        """Open the stream unless it is open (call when the daemon answers)."""
        with self._lock:
            if self._closing or not self.available or self._proc is not None:
                return
            try:
                proc = subprocess.Popen(  # dockfix: ignore  (monitoring, not a workload)
                    ["docker", "events", "--format", "{{.Time}}"],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError:  # no docker CLI: pings only
                self.available = False
                return
            self._proc = proc
            self._started = time.monotonic()
            self._thread = threading.Thread(
                target=self._drain, args=(proc,), name="dockfix-daemon-events", daemon=True
            )
            self._thread.start()

    def _drain(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        for _ in proc.stdout:
            pass
        proc.wait()
        with self._lock:
            self._proc = None
            if self._closing:
                return
            if time.monotonic() - self._started < _FALSE_START:
                # Ended at once: the CLI cannot hold a stream here; after a few, stop trying.
                self._false_starts += 1
                self.available = self._false_starts < _MAX_FALSE_STARTS
                return
            self._broken_at = time.time()

    def take_break(self) -> Optional[float]:
        """When the stream ended since the last call (None: it did not)."""
        with self._lock:
            broken, self._broken_at = self._broken_at, None
            return broken

    def close(self) -> None:
        with self._lock:
            self._closing = True
            proc, thread = self._proc, self._thread
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if thread is not None:
            thread.join(timeout=5)
