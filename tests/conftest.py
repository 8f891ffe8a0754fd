"""Shared test fixtures: the real-Docker-daemon layer.

Tests that need a daemon take the ``docker_daemon`` fixture (or its users,
``docker_containers``) or carry ``@pytest.mark.docker``. Without a daemon they
skip with the reason; with ``DOCKFIX_REQUIRE_DOCKER=1`` (as in CI) they fail.

Every container a test creates carries the ``dockfix.test`` label with this
session's id and is stopped gracefully, then removed, at teardown.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import pytest

REPO = Path(__file__).resolve().parent.parent
TEST_IMAGE = os.environ.get("DOCKFIX_TEST_IMAGE", "dockfix-busybox:test")
SESSION_LABEL = f"dockfix.test={uuid.uuid4().hex[:12]}"
REQUIRE_DOCKER = os.environ.get("DOCKFIX_REQUIRE_DOCKER") == "1"


def _docker(
    *args: str, timeout: float = 60, check: bool = True
) -> subprocess.CompletedProcess[str]:
    # The test harness itself talks to the daemon directly; it is not code under test.
    return subprocess.run(  # dockfix: ignore
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=check
    )


def _daemon_problem() -> Optional[str]:
    """Why the daemon cannot be used, or None when it answers and the image exists."""
    if shutil.which("docker") is None:
        return "no docker CLI on PATH (run scripts/docker-up as root)"
    try:
        info = _docker("info", "--format", "{{.ServerVersion}}", timeout=15, check=False)
    except subprocess.TimeoutExpired:
        return "`docker info` timed out after 15 s"
    if info.returncode != 0 or not info.stdout.strip():
        return f"no Docker daemon answers: {info.stderr.strip()[:200]} (run scripts/docker-up)"
    image = _docker("image", "inspect", TEST_IMAGE, timeout=15, check=False)
    if image.returncode != 0:
        return f"test image {TEST_IMAGE} is missing (run scripts/docker-up)"
    return None


_PROBLEM: list[Optional[str]] = []


def _require_daemon() -> None:
    if not _PROBLEM:
        _PROBLEM.append(_daemon_problem())
    problem = _PROBLEM[0]
    if problem is None:
        return
    if REQUIRE_DOCKER:
        pytest.fail(f"DOCKFIX_REQUIRE_DOCKER=1 but {problem}", pytrace=False)
    pytest.skip(f"needs a Docker daemon: {problem}")


@pytest.fixture(scope="session")
def docker_daemon() -> str:
    """Skip (or fail under DOCKFIX_REQUIRE_DOCKER=1) unless a daemon answers; the image name."""
    _require_daemon()
    return TEST_IMAGE


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses the daemon, so ``-m 'not docker'`` deselects it."""
    for item in items:
        if "docker_daemon" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.docker)


@pytest.fixture(autouse=True)
def _no_findings_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run without the content cache (``tests/cli/test_cache.py`` turns it on)."""
    monkeypatch.setenv("DOCKFIX_NO_CACHE", "1")


@pytest.fixture(autouse=True)
def _docker_marker(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("docker") is not None:
        _require_daemon()


# A container whose main process traps SIGTERM and writes a marker file: proof
# that it was stopped gracefully (SIGKILL cannot be trapped).
TRAP_SCRIPT = "trap 'echo graceful > /mark/$MARK_NAME; exit 0' TERM; while true; do sleep 0.2; done"


@dataclass
class ContainerFactory:
    """Creates labelled containers from the local test image and cleans them up."""

    image: str
    label: str
    markers: Path
    created: list[str] = field(default_factory=list)

    def run(
        self, name: Optional[str] = None, *, trap: bool = True, extra: tuple[str, ...] = ()
    ) -> str:
        """Start a detached container; with ``trap`` it records a graceful stop in ``markers``."""
        name = name or f"dockfix-test-{uuid.uuid4().hex[:10]}"
        # No network: test containers need none, and a private dockerd started with
        # ``--bridge none`` (daemon restart tests) deletes the host's docker0 bridge.
        network = () if any(a.startswith("--network") for a in extra) else ("--network", "none")
        args = ["run", "-d", *network, "--name", name, "--label", self.label, *extra]
        if trap:
            args += ["-e", f"MARK_NAME={name}", "-v", f"{self.markers}:/mark"]
            args += [self.image, "sh", "-c", TRAP_SCRIPT]
        else:
            args += [self.image, "sleep", "3600"]
        _docker(*args)
        self.created.append(name)
        return name

    def graceful(self, name: str) -> bool:
        """True when the container's SIGTERM trap ran."""
        return (self.markers / name).exists()

    def exists(self, name: str) -> bool:
        return _docker("container", "inspect", name, check=False).returncode == 0

    def remaining(self) -> list[str]:
        out = _docker("ps", "-aq", "--filter", f"label={self.label}").stdout
        return out.split()

    def cleanup(self) -> None:
        ids = self.remaining()
        if ids:
            _docker("stop", "-t", "5", *ids, check=False)
            _docker("rm", *ids, check=False)


@pytest.fixture
def docker_containers(docker_daemon: str, tmp_path: Path) -> Iterator[ContainerFactory]:
    """A factory of labelled test containers, stopped and removed at teardown."""
    markers = tmp_path / "markers"
    markers.mkdir()
    markers.chmod(0o777)
    factory = ContainerFactory(
        image=docker_daemon, label=f"{SESSION_LABEL}-{uuid.uuid4().hex[:6]}", markers=markers
    )
    try:
        yield factory
    finally:
        factory.cleanup()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Safety net: nothing this session labelled outlives it."""
    if _PROBLEM and _PROBLEM[0] is None:
        prefix = SESSION_LABEL.split("=", 1)[1]
        out = _docker(
            "ps",
            "-aq",
            "--filter",
            "label=dockfix.test",
            "--format",
            '{{.ID}} {{.Label "dockfix.test"}}',
            check=False,
        ).stdout
        ids = [line.split()[0] for line in out.splitlines() if prefix in line]
        if ids:
            _docker("stop", "-t", "5", *ids, check=False)
            _docker("rm", *ids, check=False)


ContainerMaker = Callable[..., str]
