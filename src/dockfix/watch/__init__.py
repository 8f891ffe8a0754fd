"""Watching the Docker daemon during a test run (the enabled side of the pytest plugin)."""

from __future__ import annotations

from dockfix.watch._monitor import DaemonEvent, DaemonWatch, RunLog
from dockfix.watch._probe import DaemonProbe, DaemonState, read_process

__all__ = ["DaemonEvent", "DaemonProbe", "DaemonState", "DaemonWatch", "RunLog", "read_process"]
