"""Audit records in the contract format (docs/dev/contracts.md, section 1)."""

from __future__ import annotations

import json
from typing import Any, Optional

T0 = 1733338800.0


def audit_record(
    op: str = "rm",
    *,
    ts: float = 0.0,
    duration: float = 0.1,
    wait: float = 0.0,
    returncode: Optional[int] = 0,
    error: Optional[str] = None,
    refused: bool = False,
    attempt: int = 1,
    argv: Optional[list[str]] = None,
    pid: int = 4242,
    host: str = "ci-7",
) -> dict[str, Any]:
    """One record; ``ts`` is relative to ``T0``."""
    return {
        "v": 1,
        "ts": T0 + ts,
        "pid": pid,
        "host": host,
        "op": op,
        "argv": argv if argv is not None else ["docker", *op.split(), "c1"],
        "wait": wait,
        "duration": 0 if refused else duration,
        "returncode": None if refused else returncode,
        "attempt": attempt,
        "slot": None if refused else 1,
        "error": error,
        "refused": refused,
    }


def audit_lines(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)
