"""The watch's parts: reading the daemon process, pinging it, turning looks into events."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockfix.watch import DaemonState, DaemonWatch, RunLog, read_process
from dockfix.watch._probe import DEFAULT_PIDFILE, DaemonProbe, pidfile_for, ping
from tests.plugin.fakes import PingServer

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@linux_only
def test_read_process_of_a_live_pid(tmp_path: Path) -> None:
    pidfile = tmp_path / "docker.pid"
    pidfile.write_text(f"{os.getpid()}\n")
    first = read_process(pidfile)
    assert first is not None
    assert first.pid == os.getpid()
    assert first == read_process(pidfile)  # stable while the process lives
    assert f"dockerd pid {os.getpid()} (started " in first.describe()


@linux_only
def test_a_new_process_has_a_new_identity(tmp_path: Path) -> None:
    pidfile = tmp_path / "docker.pid"
    identities = []
    for _ in range(2):
        child = subprocess.Popen(["sleep", "30"])
        pidfile.write_text(str(child.pid))
        identities.append(read_process(pidfile))
        child.terminate()
        child.wait()
    assert None not in identities
    assert identities[0] != identities[1]


@linux_only
def test_no_process_for_a_zombie_a_dead_pid_or_garbage(tmp_path: Path) -> None:
    pidfile = tmp_path / "docker.pid"
    child = subprocess.Popen(["true"])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child.pid}/stat").read_text().split(") ")[1][0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    pidfile.write_text(str(child.pid))
    assert read_process(pidfile) is None  # exited, not yet reaped
    child.wait()
    assert read_process(pidfile) is None
    pidfile.write_text("not a pid")
    assert read_process(pidfile) is None
    assert read_process(tmp_path / "missing.pid") is None


def test_pidfile_follows_the_daemon_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    assert pidfile_for("unix:///var/run/docker.sock", None) == Path(DEFAULT_PIDFILE)
    assert pidfile_for(None, None) == Path(DEFAULT_PIDFILE)
    assert pidfile_for("unix:///var/run/docker.sock", "/x.pid") == Path("/x.pid")
    assert pidfile_for("tcp://remote:2375", None) is None
    assert pidfile_for(f"unix://{tmp_path}/docker.sock", None) is None
    (tmp_path / "docker.pid").write_text("1")
    assert pidfile_for(f"unix://{tmp_path}/docker.sock", None) == tmp_path / "docker.pid"


@pytest.fixture
def ping_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PingServer]:
    server = PingServer(tmp_path_factory.mktemp("ps") / "d.sock")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_ping(ping_server: PingServer, tmp_path: Path) -> None:
    assert ping(f"unix://{ping_server.path}", 2.0) == (True, "")
    answered, detail = ping(f"unix://{tmp_path}/none.sock", 2.0)
    assert not answered
    assert "none.sock" in detail
    assert not ping("tcp://127.0.0.1:1", 1.0)[0]


def test_probe_without_pidfile_answers(
    ping_server: PingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")  # no docker CLI: the identity stays unknown
    probe = DaemonProbe(host=f"unix://{ping_server.path}")
    assert not probe.uses_process
    state = probe.look()
    assert state.answering
    assert state.identity is None


class Script:
    """A look function that replays states at given times."""

    def __init__(self, *states: tuple[float, str | None, bool]) -> None:
        self.states = [
            DaemonState(at, ident, ok, "" if ok else "refused") for at, ident, ok in states
        ]

    def __call__(self) -> DaemonState:
        return self.states.pop(0)


def _log(*spans: tuple[str, float, float | None]) -> RunLog:
    log = RunLog()
    for nodeid, start, end in spans:
        log.started(nodeid, at=start)
        if end is not None:
            log.finished(nodeid, at=end)
    return log


def test_restart_window_names_only_the_tests_in_it() -> None:
    log = _log(("t::a", 0.0, 1.5), ("t::b", 1.6, 3.5), ("t::c", 3.6, 5.0))
    watch = DaemonWatch(
        Script(
            (0, "p1", True), (2, "p1", True), (3, None, False), (4, "p2", True), (5, "p2", True)
        ),
        0,
        log,
    )
    for _ in range(4):
        watch.check()
    watch.stop()  # the fifth look
    kinds = [(e.kind, e.start, e.end, e.tests) for e in watch.events]
    assert kinds == [
        ("outage", 2, 4, ("t::b", "t::c")),
        ("restart", 2, 4, ("t::b", "t::c")),
    ]
    assert watch.events[1].before == "p1"
    assert watch.events[1].after == "p2"


def test_an_outage_still_open_at_the_end() -> None:
    watch = DaemonWatch(
        Script((0, "p1", True), (1, None, False), (2, None, False)), 0, _log(("t::a", 0.5, None))
    )
    watch.start()
    watch.check()
    watch.stop()  # the third look, then the open outage is closed as "not by the end"
    (event,) = watch.events
    assert (event.kind, event.start, event.end, event.tests) == ("outage", 0, None, ("t::a",))
    assert "did not answer again by the end" in event.describe()


def test_steady_daemon_no_events_and_thread_looks() -> None:
    looks: list[float] = []

    def look() -> DaemonState:
        looks.append(time.time())
        return DaemonState(time.time(), "p1", True)

    watch = DaemonWatch(look, 0.01, RunLog())
    watch.start()
    time.sleep(0.2)
    watch.stop()
    assert watch.events == []
    assert len(looks) >= 5
    assert watch.looks == len(looks)
