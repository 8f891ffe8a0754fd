"""File discovery and the one place that writes files (atomically)."""

from __future__ import annotations

from dockfix.files._discover import Discovery, Problem, discover
from dockfix.files._write import Snapshot, WriteError, read_snapshot, write_atomic

__all__ = [
    "Discovery",
    "Problem",
    "Snapshot",
    "WriteError",
    "discover",
    "read_snapshot",
    "write_atomic",
]
