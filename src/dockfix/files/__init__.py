"""File discovery and the one place that writes files (atomically).

``discover`` (and pathspec with it) is imported on first use: writing needs neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dockfix.files._write import Snapshot, WriteError, read_snapshot, write_atomic

if TYPE_CHECKING:
    from dockfix.files._discover import Discovery, Problem, discover

__all__ = [
    "Discovery",
    "Problem",
    "Snapshot",
    "WriteError",
    "discover",
    "read_snapshot",
    "write_atomic",
]


def __getattr__(name: str) -> Any:
    if name in ("Discovery", "Problem", "discover"):
        from dockfix.files import _discover

        return getattr(_discover, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
