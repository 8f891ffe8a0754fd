"""Suppression comments: ``# dockfix: ignore`` and ``# dockfix: ignore[DF001, DF005]``.

A comment suppresses the findings of a statement when it is on one of the statement's
lines, or on a line of its own just above it. Read from the source lines (a marker inside
a string literal also counts: documented, and harmless in practice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

_IGNORE = re.compile(r"#\s*dockfix:\s*ignore(?:\[([^\]]*)\])?")


class Suppressions:
    """The ignore comments of one file."""

    def __init__(self, text: str) -> None:
        self._lines: list[str] = []
        self._ignores: dict[int, Optional[frozenset[str]]] = {}
        if "dockfix" in text:
            self._lines = text.splitlines()
            self._ignores = _ignore_lines(self._lines)

    def __bool__(self) -> bool:
        """Whether the file has any ignore comment."""
        return bool(self._ignores)

    def covers(self, code: str, start: int, end: int) -> bool:
        """Whether ``code`` is ignored for a statement spanning lines ``start``..``end``."""
        if not self._ignores:
            return False
        lines = list(range(start, end + 1))
        above = start - 1
        if above >= 1 and self._lines[above - 1].lstrip().startswith("#"):
            lines.append(above)
        for line in lines:
            if line in self._ignores:
                codes = self._ignores[line]
                if codes is None or code in codes:
                    return True
        return False


def _ignore_lines(lines: Sequence[str]) -> dict[int, Optional[frozenset[str]]]:
    """Line number -> the codes ignored there (None: all codes)."""
    found: dict[int, Optional[frozenset[str]]] = {}
    for number, line in enumerate(lines, start=1):
        if "dockfix" not in line:
            continue
        match = _IGNORE.search(line)
        if match is None:
            continue
        codes = match.group(1)
        found[number] = (
            None if codes is None else frozenset(c.strip() for c in codes.split(",") if c.strip())
        )
    return found
