"""Audit records: the ``dockfix.runtime`` logger and an optional JSON-lines file.

One record per docker process (and per refusal, and per ``run_limited`` call). The file is opened
with ``O_APPEND`` and each line goes out in a single ``os.write``, so records written by several
processes at once never interleave within a line.
"""

from __future__ import annotations

import os
import threading

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    import logging

_logger: list[logging.Logger] = []


def get_logger() -> logging.Logger:
    """The ``dockfix.runtime`` logger (``logging`` is imported at the first record)."""
    if not _logger:
        import logging

        logger = logging.getLogger("dockfix.runtime")
        logger.addHandler(logging.NullHandler())
        _logger.append(logger)
    return _logger[0]


HOST = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")


class AuditLog:
    """Writes audit records; file errors are logged once and never break a docker call."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._fd: int | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._broken = False

    def record(
        self,
        *,
        op: str,
        argv: list[str],
        ts: float,
        wait: float,
        duration: float,
        returncode: int | None,
        attempt: int,
        slot: int | None,
        error: str | None,
        refused: bool = False,
    ) -> dict[str, Any] | None:
        """Log one record; the record, or None when no logger level or file wanted it."""
        failed = refused or error is not None or returncode not in (0, None)
        level = 30 if failed else 20  # logging.WARNING, logging.INFO
        logger = get_logger()
        to_logger = logger.isEnabledFor(level)
        to_file = self.path is not None and not self._broken
        if not (to_logger or to_file):
            return None
        rec: dict[str, Any] = {
            "v": 1,
            "ts": round(ts, 6),
            "pid": os.getpid(),
            "host": HOST,
            "op": op,
            "argv": argv,
            "wait": round(wait, 6),
            "duration": round(duration, 6),
            "returncode": returncode,
            "attempt": attempt,
            "slot": slot,
            "error": error,
            "refused": refused,
        }
        if to_logger:
            what = "refused" if refused else f"rc={returncode}"
            logger.log(
                level,
                "docker %s %s wait=%.3fs duration=%.3fs attempt=%d%s",
                op or "?",
                what,
                wait,
                duration,
                attempt,
                f": {error}" if error else "",
                extra={"dockfix_audit": rec},
            )
        if to_file:
            self._write(rec)
        return rec

    def _write(self, rec: dict[str, Any]) -> None:
        import json  # only when an audit file is configured

        line = (json.dumps(rec) + "\n").encode("utf-8")
        try:
            fd = self._open()
            written = os.write(fd, line)
            if written < len(line):  # pragma: no cover - regular files take the whole line
                os.write(fd, line[written:])
        except OSError as exc:
            self._broken = True
            get_logger().warning(
                "dockfix audit log %s is not writable, disabled: %s", self.path, exc
            )

    def _open(self) -> int:
        with self._lock:
            pid = os.getpid()
            if self._fd is None or self._pid != pid:
                assert self.path is not None
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                self._pid = pid
            return self._fd

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
