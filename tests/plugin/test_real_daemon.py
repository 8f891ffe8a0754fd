"""The plugin against a real dockerd: a private one, restarted in the middle of a pytest run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plugin.fakes import start_pytest, wait_for
from tests.plugin.private_dockerd import PrivateDockerd, private_dockerd_problem

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.docker


@pytest.fixture
def private_dockerd(docker_daemon: str) -> Iterator[PrivateDockerd]:
    problem = private_dockerd_problem()
    if problem is not None:
        if os.environ.get("DOCKFIX_REQUIRE_DOCKER") == "1":
            pytest.fail(f"DOCKFIX_REQUIRE_DOCKER=1 but {problem}", pytrace=False)
        pytest.skip(problem)
    daemon = PrivateDockerd()
    try:
        daemon.start()
        yield daemon
    finally:
        daemon.close()


RESTART_TESTS = """
import os, pathlib, subprocess, time

GATE = pathlib.Path(os.environ["GATE_DIR"])

def docker(*args):
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=True)

def test_before():
    docker("ps")

def test_during_restart():
    (GATE / "started").write_text("")
    deadline = time.monotonic() + 60
    while not (GATE / "go").exists():
        assert time.monotonic() < deadline, "never released"
        time.sleep(0.02)

def test_after():
    docker("ps")
"""


def test_restart_of_a_real_dockerd_is_reported(
    pytester: pytest.Pytester, private_dockerd: PrivateDockerd
) -> None:
    pytester.makepyfile(test_restart=RESTART_TESTS)
    gate = pytester.mkdir("gate")
    proc = start_pytest(
        pytester.path,
        "-v",
        "--docker-watch",
        f"--docker-pidfile={private_dockerd.pidfile}",
        "--docker-watch-interval=0.1",
        env={**private_dockerd.env(), "GATE_DIR": str(gate)},
    )
    try:
        wait_for(gate / "started", timeout=60)
        time.sleep(0.5)  # the watch looks again: test_before is over by then
        old, new = private_dockerd.restart()
        time.sleep(0.5)  # the watch looks at the new daemon while test_during_restart runs
        (gate / "go").write_text("")
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert old != new
    report = out[out.index("dockfix: Docker daemon") :]
    assert f"daemon at start: dockerd pid {old}" in report
    assert f"daemon restarted: dockerd pid {old} (started" in report
    assert f"-> dockerd pid {new} (started" in report
    assert "during test_restart.py::test_during_restart" in report
    assert "test_before" not in report
    assert "test_after" not in report


COUNTED_TESTS = """
import os
import pytest
from dockfix.runtime import ForceRefusedError

IMAGE = os.environ["IMAGE"]
PREFIX = os.environ["PREFIX"]
TRAP = "trap 'exit 0' TERM; while true; do sleep 0.2; done"

def test_operations(docker_executor):
    names = [f"{PREFIX}-{i}" for i in range(3)]
    for name in names:
        docker_executor.run(
            ["docker", "run", "-d", "--name", name, IMAGE, "sh", "-c", TRAP],
            check=True, capture_output=True,
        )
    docker_executor.check_output(["docker", "ps", "-q"])
    docker_executor.stop_and_remove(*names, timeout=5, check=True)
    assert docker_executor.call(["docker", "inspect", names[0]], stdout=-3, stderr=-3) == 1
    with pytest.raises(ForceRefusedError):
        docker_executor.run(["docker", "rm", "-f", names[0]])
"""


def test_summary_counts_real_operations(pytester: pytest.Pytester, docker_daemon: str) -> None:
    """Through the runtime's executor: the summary counts what the test did, nothing more."""
    prefix = f"dfx-plugin-{uuid.uuid4().hex[:8]}"
    pytester.makepyfile(test_counted=COUNTED_TESTS)
    proc = start_pytest(
        pytester.path,
        "--docker-watch",
        "--docker-watch-interval=0.2",
        env={"IMAGE": docker_daemon, "PREFIX": prefix},
    )
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        leftover = subprocess.run(  # dockfix: ignore  (test cleanup)
            ["docker", "ps", "-aq", "--filter", f"name={prefix}"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        if leftover:
            subprocess.run(["docker", "stop", "-t", "2", *leftover], check=False)  # dockfix: ignore
            subprocess.run(["docker", "rm", *leftover], check=False)  # dockfix: ignore
    assert proc.returncode == 0, out
    assert "no restart, no outage" in out
    # 3 run + ps + stop + rm + inspect = 7 processes; the forced rm was refused, not run.
    assert "7 Docker operations" in out, out
    assert "1 failed" in out
    assert "1 refused" in out
    log = pytester.path / ".pytest_cache" / "d" / "dockfix" / "audit.jsonl"
    data = json.loads(
        subprocess.run(
            [sys.executable, "-m", "dockfix", "audit", str(log), "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert data["by_command"] == {"run": 3, "ps": 1, "stop": 1, "rm": 1, "inspect": 1}
    assert data["failed"] == 1
    assert data["failures"][0]["op"] == "inspect"
    assert data["refused"] == [["docker", "rm", "-f", f"{prefix}-0"]]
    assert data["peak_concurrency"] >= 1


def test_event_stream_tells_a_restart_without_a_pid_file(
    pytester: pytest.Pytester, private_dockerd: PrivateDockerd, tmp_path: Path
) -> None:
    """Where no pid file helps (macOS, a remote daemon), the held-open event stream ends."""
    pytester.makepyfile(test_restart=RESTART_TESTS)
    gate = pytester.mkdir("gate")
    proc = start_pytest(
        pytester.path,
        "--docker-watch",
        f"--docker-pidfile={tmp_path / 'no.pid'}",
        "--docker-watch-interval=1",
        env={**private_dockerd.env(), "GATE_DIR": str(gate)},
    )
    try:
        wait_for(gate / "started", timeout=60)
        time.sleep(1.5)  # a look after test_before, with the stream open
        private_dockerd.restart()
        time.sleep(2.0)  # the next look sees the stream ended while test_during_restart runs
        (gate / "go").write_text("")
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    report = out[out.index("dockfix: Docker daemon") :]
    assert "docker info and its event stream" in report
    assert "daemon restarted or dropped its clients (its event stream ended)" in report
    assert "during test_restart.py::test_during_restart" in report
    assert "test_before" not in report
