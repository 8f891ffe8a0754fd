"""Reports: the output mode, the exit code, diffs and the output formats.

Only the light value types are imported here; the rich-based modules (``_diff``,
``_formats``, ``_summary``) are imported where they are used, to keep startup fast.
"""

from __future__ import annotations

from dockfix.report._report import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    FileOutcome,
    Mode,
    Replacement,
    Report,
)

__all__ = [
    "EXIT_CLEAN",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_INTERRUPTED",
    "FileOutcome",
    "Mode",
    "Replacement",
    "Report",
]
