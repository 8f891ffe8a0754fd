"""Point ``dockfix.runtime``'s default executor at the run's audit log.

The environment variable reaches every process the run starts (pytest-xdist workers,
subprocesses); the runtime reads it when it builds its default executor. An executor
already built in this process is reconfigured through the runtime's own API.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any, Optional

AUDIT_ENV = "DOCKFIX_AUDIT_LOG"


def default_executor() -> Any:
    """The runtime's process-wide default executor."""
    runtime = importlib.import_module("dockfix.runtime")
    return runtime.docker_executor


def configure_executor(audit_log: Path) -> Optional[str]:
    """Send the default executor's audit records to ``audit_log``; the previous env value."""
    previous = os.environ.get(AUDIT_ENV)
    os.environ[AUDIT_ENV] = str(audit_log)
    _reconfigure(str(audit_log))
    return previous


def restore_executor(previous: Optional[str]) -> None:
    if previous is None:
        os.environ.pop(AUDIT_ENV, None)
    else:
        os.environ[AUDIT_ENV] = previous
    _reconfigure(previous)


def _reconfigure(audit_log: Optional[str]) -> None:
    try:
        runtime = importlib.import_module("dockfix.runtime")
    except ImportError:  # the runtime is not installed: only the variable can carry it
        return
    configure = getattr(runtime, "configure", None)
    if callable(configure):
        configure(audit_log=audit_log)
