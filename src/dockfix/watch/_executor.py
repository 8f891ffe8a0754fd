"""Point ``dockfix.runtime``'s default executor at the run's audit log.

The runtime's default executor reads ``DOCKFIX_AUDIT_LOG`` when it is first used. The
plugin sets the variable while pytest configures itself, before any test runs, so the
executor of this process and of every process the run starts (pytest-xdist workers,
subprocesses) writes to the run's log. An executor already used before that (by a
conftest at import time) keeps its own log: the report then says so and reads that log.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Optional

AUDIT_ENV = "DOCKFIX_AUDIT_LOG"


def default_executor() -> Any:
    """The runtime's process-wide default executor."""
    from dockfix.runtime import docker_executor

    return docker_executor


def configure_executor(audit_log: Path) -> Optional[str]:
    """Send the default executor's audit records to ``audit_log``; the previous env value."""
    previous = os.environ.get(AUDIT_ENV)
    os.environ[AUDIT_ENV] = str(audit_log)
    return previous


def restore_executor(previous: Optional[str]) -> None:
    if previous is None:
        os.environ.pop(AUDIT_ENV, None)
    else:
        os.environ[AUDIT_ENV] = previous


def settled_audit_log() -> Optional[tuple[Optional[str]]]:
    """The audit log of a default executor that was already in use, or None if it was not.

    Only looks when ``dockfix.runtime`` is already imported: the plugin never imports it
    for this. (``settings`` resolves the executor: it is read only when it was resolved.)
    """
    runtime = sys.modules.get("dockfix.runtime")
    executor = getattr(runtime, "docker_executor", None)
    if executor is None or getattr(executor, "_settings", None) is None:
        return None
    return (executor.settings.audit_log,)
