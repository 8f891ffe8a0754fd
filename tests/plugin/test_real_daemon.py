"""The plugin against a real dockerd: a private one, restarted in the middle of a pytest run."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

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
        time.sleep(0.3)  # the watch looks again: test_before is over by then
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
