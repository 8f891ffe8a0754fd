"""The output mode, one file's outcome, and the report that owns the exit code."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from dockfix.engine._types import Finding

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


@dataclass(frozen=True)
class Replacement:
    """Whole lines ``start_line`` up to (not including) ``end_line`` become ``inserted``."""

    start_line: int
    end_line: int
    inserted: str


# Each fixable finding's own fix (its key, then the line replacements), for SARIF.
Fixes = tuple[tuple[tuple[str, int, int], tuple[Replacement, ...]], ...]


class Mode(enum.Enum):
    """What a run does with the fixes it finds; decided once from the flags."""

    CHECK = "check"  # report findings, write nothing
    DIFF = "diff"  # report the diffs fixes would make, write nothing
    WRITE = "write"  # apply every safe fix in place
    INTERACTIVE = "interactive"  # apply the fixes a reviewer accepts, one at a time

    @property
    def writes(self) -> bool:
        return self in (Mode.WRITE, Mode.INTERACTIVE)


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file. ``fixed`` holds the keys of findings whose fix is
    applied (``WRITE``/``INTERACTIVE``) or would be (``DIFF``)."""

    path: str
    findings: tuple[Finding, ...] = ()
    fixed: frozenset[tuple[str, int, int]] = frozenset()
    source: bytes = b""  # kept only when diffs are needed
    result: bytes = b""
    error: Optional[str] = None
    written: bool = False
    fixes: Fixes = ()  # for SARIF
    # the unified diff, made where the file was analysed (then ``source`` and ``result``
    # are dropped) and whether the file would change
    diff: bytes = b""
    encoding: str = "utf-8"
    changed: Optional[bool] = None
    edits: tuple[tuple[int, int, bytes], ...] = ()  # the engine's, while the diff is made

    @property
    def remaining(self) -> tuple[Finding, ...]:
        """Findings not fixed (left for a human, or skipped)."""
        return tuple(f for f in self.findings if f.key not in self.fixed)

    @property
    def diff_pending(self) -> bool:
        return self.changed if self.changed is not None else self.result != self.source


@dataclass
class Report:
    """Collects outcomes and problems; decides the exit code from the mode."""

    mode: Mode
    exit_zero: bool = False
    outcomes: list[FileOutcome] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # do not fail the run

    def add(self, outcome: FileOutcome) -> None:
        self.outcomes.append(outcome)
        if outcome.error is not None:
            self.problems.append((outcome.path, outcome.error))

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    @property
    def findings(self) -> list[tuple[str, Finding]]:
        return [(o.path, f) for o in self.outcomes for f in o.findings]

    @property
    def remaining(self) -> list[tuple[str, Finding]]:
        return [(o.path, f) for o in self.outcomes for f in o.remaining]

    @property
    def fixed_count(self) -> int:
        return sum(len(o.fixed) for o in self.outcomes)

    @property
    def files_changed(self) -> int:
        if self.mode.writes:
            return sum(1 for o in self.outcomes if o.written)
        return sum(1 for o in self.outcomes if o.fixed)

    def fixes_per_rule(self) -> Counter[str]:
        return Counter(f.code for o in self.outcomes for f in o.findings if f.key in o.fixed)

    @property
    def exit_code(self) -> int:
        if self.problems:
            return EXIT_ERROR
        pending = bool(self.remaining) if self.mode.writes else bool(self.findings)
        if pending and not self.exit_zero:
            return EXIT_FINDINGS
        return EXIT_CLEAN
