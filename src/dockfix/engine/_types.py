"""Value types shared by the engine, the rules and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

DEFAULT_EXECUTOR = "dockfix.runtime:docker_executor"


@dataclass(frozen=True)
class Settings:
    """What the engine needs to know from configuration.

    ``executor`` is ``"module:object"``: an importable object with the methods of
    ``dockfix.runtime.DockerExecutor``. ``runner``, when set, replaces it for teams
    with their own runner: a callable expression taking an argv list (``"self.run_docker"``,
    or ``"myproj.docker:run"`` to import it); dockfix then emits an explicit stop argv
    call followed by the rm argv call.
    """

    select: Optional[frozenset[str]] = None
    ignore: frozenset[str] = frozenset()
    stop_timeout: int = 10
    executor: str = DEFAULT_EXECUTOR
    runner: Optional[str] = None

    def enabled(self, code: str) -> bool:
        if code in self.ignore:
            return False
        return (
            self.select is None
            or code in self.select
            or any(code.startswith(prefix) for prefix in self.select)
        )


@dataclass(frozen=True)
class Finding:
    """One dangerous call. Lines and columns are 1-based; ``end_column`` is exclusive."""

    code: str
    name: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fixable: bool
    fix_reason: Optional[str] = None  # why it cannot be fixed safely (None when fixable)
    related: tuple[tuple[int, int], ...] = field(default=())  # other (line, column) involved

    @property
    def key(self) -> tuple[str, int, int]:
        """Identifies a finding within one file."""
        return (self.code, self.line, self.column)


@dataclass(frozen=True)
class FileResult:
    """The outcome of analysing one file's bytes."""

    source: bytes
    fixed: bytes
    findings: tuple[Finding, ...] = ()
    error: Optional[str] = None  # could not be decoded or parsed; nothing was changed
    applied: tuple[tuple[str, int, int], ...] = ()  # keys of the findings whose fix is in `fixed`
    # the byte edits turning `source` into `fixed` ((start, end, new), in order), when the
    # engine made them as such (for a diff without matching lines); not compared
    edits: tuple[tuple[int, int, bytes], ...] = field(default=(), compare=False)

    @property
    def changed(self) -> bool:
        return self.fixed != self.source


# What decides, finding by finding, whether a fix is applied (None: every fixable one).
Accept = Callable[[Finding], bool]


def report_only(finding: Finding) -> bool:
    """An ``accept`` that takes no fix. Passed as such (``accept=report_only``), it also tells
    ``analyze`` that only the findings matter, so the work that serves fixes alone (keeping
    the whole import block for the import helpers) is skipped."""
    return False
