"""Reading the runtime's JSON-lines audit log (format: docs/dev/contracts.md, section 1)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional


@dataclass(frozen=True)
class AuditRecord:
    """One Docker operation as the runtime logged it."""

    ts: float  # start of the docker process (after the slot was acquired)
    op: str
    argv: tuple[str, ...]
    wait: float
    duration: float
    returncode: Optional[int]
    attempt: int = 1
    slot: Optional[int] = None
    error: Optional[str] = None
    refused: bool = False
    pid: Optional[int] = None
    host: Optional[str] = None

    @property
    def end(self) -> float:
        return self.ts + self.duration

    @property
    def failed(self) -> bool:
        """Ran and did not succeed (a refusal is counted apart).

        ``returncode`` is null for ``run_limited`` callables and for processes that could not
        run or timed out: only an ``error`` then tells a failure.
        """
        if self.refused:
            return False
        return self.error is not None or (self.returncode is not None and self.returncode != 0)


@dataclass(frozen=True)
class AuditLog:
    records: tuple[AuditRecord, ...]
    bad_lines: tuple[int, ...] = ()  # 1-based numbers of lines that were not records


def _number(value: Any, default: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value)


def parse_record(obj: Any) -> AuditRecord:
    """One decoded JSON line; ValueError when it is not an audit record."""
    if not isinstance(obj, dict) or not isinstance(obj.get("ts"), (int, float)):
        raise ValueError("not an audit record")
    raw_argv = obj.get("argv")
    argv: tuple[str, ...] = (
        tuple(str(a) for a in raw_argv) if isinstance(raw_argv, (list, tuple)) else ()
    )
    returncode = obj.get("returncode")
    error = obj.get("error")
    slot = obj.get("slot")
    pid = obj.get("pid")
    return AuditRecord(
        ts=float(obj["ts"]),
        op=str(obj.get("op") or (argv[1] if len(argv) > 1 else "?")),
        argv=argv,
        wait=_number(obj.get("wait")),
        duration=max(0.0, _number(obj.get("duration"))),
        returncode=returncode if isinstance(returncode, int) else None,
        attempt=int(_number(obj.get("attempt"), 1)),
        slot=slot if isinstance(slot, int) else None,
        error=str(error) if error not in (None, "") else None,
        refused=bool(obj.get("refused", False)),
        pid=pid if isinstance(pid, int) else None,
        host=str(obj["host"]) if obj.get("host") is not None else None,
    )


def parse_lines(lines: Iterable[bytes | str], first_line: int = 1) -> AuditLog:
    """Records from JSON lines; blank lines are skipped, broken ones counted."""
    records: list[AuditRecord] = []
    bad: list[int] = []
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            records.append(parse_record(json.loads(line)))
        except ValueError:  # json.JSONDecodeError is a ValueError
            bad.append(number)
    return AuditLog(tuple(records), tuple(bad))


def read_audit_log(path: Path, offset: int = 0) -> AuditLog:
    """The records of ``path`` from byte ``offset`` on (OSError when it cannot be read)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        data = handle.read()
    # A writer may be in the middle of a line: an unterminated last line is left out.
    lines = data.split(b"\n")
    if lines and lines[-1] and not data.endswith(b"\n"):
        lines = lines[:-1]
    return parse_lines(lines)
