"""Counters the reliability tests add to, written as JSON for RELIABILITY.md.

Set ``DOCKFIX_RELIABILITY_FIGURES=path`` to collect them; each process appends its
counts as one JSON line when it exits (pytest-xdist workers included).
"""

from __future__ import annotations

import atexit
import json
import os
from collections import Counter, defaultdict

_COUNTS: defaultdict[str, Counter[str]] = defaultdict(Counter)
_PATH = os.environ.get("DOCKFIX_RELIABILITY_FIGURES")


def count(section: str, **amounts: int) -> None:
    """Add ``amounts`` to the counters of ``section``."""
    _COUNTS[section].update(amounts)


def _dump() -> None:
    if not _PATH or not _COUNTS:
        return
    with open(_PATH, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({k: dict(v) for k, v in _COUNTS.items()}) + "\n")


atexit.register(_dump)
