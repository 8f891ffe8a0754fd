"""The enabled side of the pytest plugin: registered by ``dockfix.pytest_plugin``."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from dockfix.watch._executor import (
    AUDIT_ENV,
    configure_executor,
    default_executor,
    restore_executor,
    settled_audit_log,
)
from dockfix.watch._monitor import DaemonWatch, RunLog
from dockfix.watch._probe import DaemonProbe


def _option(config: pytest.Config, name: str) -> Any:
    value = config.getoption(name)
    return value if value is not None else config.getini(name)


def _default_audit_log(config: pytest.Config) -> Path:
    cache = getattr(config, "cache", None)  # absent with -p no:cacheprovider
    if cache is not None:
        return Path(cache.mkdir("dockfix")) / "audit.jsonl"
    folder = (
        Path(tempfile.gettempdir()) / f"dockfix-audit-{os.getuid() if hasattr(os, 'getuid') else 0}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"audit-{os.getpid()}.jsonl"


class WatchPlugin:
    """Daemon watch plus audit log for one pytest run (controller side does the reporting)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        try:  # before anything is created
            interval = float(_option(config, "docker_watch_interval"))
        except ValueError:
            raise pytest.UsageError("docker_watch_interval: expected a number of seconds") from None
        self.is_worker = hasattr(config, "workerinput")  # pytest-xdist worker
        given = config.getoption("docker_audit_log")
        inherited = os.environ.get(AUDIT_ENV) if self.is_worker else None
        # Absolute: the variable reaches processes that may run in another directory.
        if inherited:  # an xdist worker writes where its controller said
            self.audit_log = Path(inherited)
        elif given:
            self.audit_log = Path(config.invocation_params.dir, given).resolve()
        else:
            self.audit_log = _default_audit_log(config)
        self.temporary_log = not inherited and not given and getattr(config, "cache", None) is None
        self.audit_offset = 0
        if not self.is_worker:
            self.audit_log.parent.mkdir(parents=True, exist_ok=True)
            if given:  # the user's file: summarise only what this run appends
                self.audit_offset = self.audit_log.stat().st_size if self.audit_log.exists() else 0
            else:  # ours: start afresh
                self.audit_log.write_bytes(b"")
        self._previous_env = configure_executor(self.audit_log)
        self.executor_note = ""
        settled = settled_audit_log()
        if settled is not None and settled[0] != str(self.audit_log):
            # The default executor was used before pytest configured this plugin.
            self.executor_note = (
                "the default executor was in use before the run started: its audit log "
                f"is {settled[0] or 'off'}"
            )
            if settled[0]:
                self.audit_log, self.audit_offset = Path(settled[0]), 0
        self.tests = RunLog()
        self.probe = DaemonProbe(pidfile=str(_option(config, "docker_pidfile")) or None)
        self.watch = DaemonWatch(self.probe.look, interval, self.tests)
        self.strict = bool(_option(config, "docker_watch_strict"))
        self.started = False

    def executor(self) -> Any:
        return default_executor()

    # -- the run -----------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if not self.is_worker:
            self.watch.start()
            self.started = True

    def pytest_runtest_logstart(self, nodeid: str) -> None:
        self.tests.started(nodeid)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        self.tests.finished(nodeid)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.started:
            return
        self.watch.stop()
        self.probe.close()
        self.started = False
        if self.strict and self.watch.events and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self.started:
            self.watch.stop()
            self.started = False
        self.probe.close()
        restore_executor(self._previous_env)
        if self.temporary_log and not self.is_worker:
            with contextlib.suppress(OSError):
                if self.audit_log.stat().st_size == 0:  # nothing to keep: no litter in /tmp
                    self.audit_log.unlink()

    # -- the report --------------------------------------------------------------------

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        from dockfix.watch._report import write_report

        write_report(terminalreporter, self)
