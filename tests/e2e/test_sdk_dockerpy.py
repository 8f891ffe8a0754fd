"""Real daemon, end to end: Docker SDK code that force-removes or kills containers is
rewritten by the engine, the rewritten code runs, and the containers' SIGTERM trap proves
they were stopped gracefully; nothing labelled is left behind.

The rewritten code imports ``dockfix.runtime`` and runs every SDK step under its limits;
its audit log shows them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from dockfix.engine import Settings, analyze
from tests.conftest import ContainerFactory

pytestmark = pytest.mark.docker

FORCE_REMOVE = """
import os

import docker

client = docker.from_env()


def teardown(label):
    for container in client.containers.list(all=True, filters={"label": label}):
        container.remove(force=True)


teardown(os.environ["E2E_LABEL"])
"""

KILL = """
import os

import docker

client = docker.from_env()
for name in os.environ["E2E_NAMES"].split():
    container = client.containers.get(name)
    container.kill()
"""

API_REMOVE = """
import os

import docker

api = docker.APIClient()
for name in os.environ["E2E_NAMES"].split():
    api.remove_container(name, force=True, v=True)
"""

WHALES_REMOVE = """
import os

from python_on_whales import docker

names = os.environ["E2E_NAMES"].split()
docker.container.remove(names, force=True)
"""

AIO_DELETE = """
import asyncio
import os

import aiodocker


async def main():
    async with aiodocker.Docker() as client:
        for name in os.environ["E2E_NAMES"].split():
            container = await client.containers.get(name)
            await container.delete(force=True)


asyncio.run(main())
"""


def _settings(tmp_path: Path) -> Settings:
    return Settings(stop_timeout=5)


def _rewrite(snippet: str, tmp_path: Path, codes: set[str]) -> bytes:
    source = textwrap.dedent(snippet).lstrip("\n").encode()
    result = analyze(source, _settings(tmp_path))
    assert result.error is None
    assert {f.code for f in result.findings} == codes
    assert all(f.key in result.applied for f in result.findings), result.findings
    cst.parse_module(result.fixed)
    assert b"force=True" not in result.fixed
    assert b".kill(" not in result.fixed
    return result.fixed


def _run(code: bytes, tmp_path: Path, factory: ContainerFactory, names: list[str]) -> None:
    script = tmp_path / "snippet.py"
    script.write_bytes(code)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    env["E2E_LABEL"] = factory.label
    env["E2E_NAMES"] = " ".join(names)
    env["DOCKFIX_AUDIT_LOG"] = str(tmp_path / "audit.jsonl")
    proc = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=90
    )
    assert proc.returncode == 0, proc.stderr


def _limited_calls(tmp_path: Path) -> list[str]:
    """The callables the runtime ran under its limits (its audit log), in order."""
    audit = tmp_path / "audit.jsonl"
    records = [json.loads(line) for line in audit.read_text().splitlines()]
    return [r["argv"][0] for r in records if r["op"] == "callable"]


def test_original_force_removal_kills(docker_containers: ContainerFactory, tmp_path: Path) -> None:
    """The control: unrewritten, the SIGTERM trap never runs."""
    name = docker_containers.run()
    _run(textwrap.dedent(FORCE_REMOVE).encode(), tmp_path, docker_containers, [name])
    assert not docker_containers.exists(name)
    assert not docker_containers.graceful(name)


def test_rewritten_force_removal_stops_gracefully(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    names = [docker_containers.run() for _ in range(2)]
    fixed = _rewrite(FORCE_REMOVE, tmp_path, {"DF101"})
    assert b"run_limited(container.stop, timeout=5)" in fixed
    _run(fixed, tmp_path, docker_containers, names)
    assert all(docker_containers.graceful(n) for n in names)
    assert docker_containers.remaining() == []
    stop = "docker.models.containers.Container.stop"  # the runtime's audit: its limiter ran
    remove = "docker.models.containers.Container.remove"
    assert _limited_calls(tmp_path) == [stop, remove] * 2


def test_rewritten_kill_stops_gracefully(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    name = docker_containers.run()
    fixed = _rewrite(KILL, tmp_path, {"DF102"})
    _run(fixed, tmp_path, docker_containers, [name])
    assert docker_containers.graceful(name)


def test_rewritten_api_removal_stops_gracefully(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    name = docker_containers.run()
    fixed = _rewrite(API_REMOVE, tmp_path, {"DF101"})
    assert b"remove_container, name, v=True)" in fixed
    _run(fixed, tmp_path, docker_containers, [name])
    assert docker_containers.graceful(name)
    assert not docker_containers.exists(name)


def test_rewritten_whales_removal_stops_gracefully(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    pytest.importorskip("python_on_whales")
    names = [docker_containers.run() for _ in range(2)]
    fixed = _rewrite(WHALES_REMOVE, tmp_path, {"DF101"})
    _run(fixed, tmp_path, docker_containers, names)
    assert all(docker_containers.graceful(n) for n in names)
    assert docker_containers.remaining() == []


def test_rewritten_aiodocker_delete_stops_gracefully(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    pytest.importorskip("aiodocker")
    name = docker_containers.run()
    fixed = _rewrite(AIO_DELETE, tmp_path, {"DF101"})
    assert b"await " in fixed
    assert b"aio.run_limited(container.stop, t=5)" in fixed
    _run(fixed, tmp_path, docker_containers, [name])
    assert docker_containers.graceful(name)
    assert not docker_containers.exists(name)


MISSING_DOCKER_PY = """
import os

import docker

client = docker.from_env()
container = client.containers.get(os.environ["E2E_NAMES"])
client.api.remove_container(container.id, force=True)  # dockfix: ignore (setup)
try:
    container.remove(force=True)
except docker.errors.NotFound:
    print("NotFound")
"""

MISSING_WHALES = """
import os

from python_on_whales import docker
from python_on_whales.exceptions import NoSuchContainer

name = os.environ["E2E_NAMES"]
try:
    docker.container.remove(name, force=True)
    print("removed")
except NoSuchContainer:
    print("NoSuchContainer")
"""


def _output(code: bytes, tmp_path: Path, factory: ContainerFactory, names: list[str]) -> str:
    script = tmp_path / "snippet.py"
    script.write_bytes(code)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    env["E2E_NAMES"] = " ".join(names)
    proc = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=90
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_docker_py_missing_container_raises_not_found_before_and_after(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    """DF101's fix safety: `stop` raises NotFound exactly where `remove(force=True)` did."""
    source = textwrap.dedent(MISSING_DOCKER_PY).lstrip("\n").encode()
    fixed = analyze(source, _settings(tmp_path)).fixed
    assert fixed.count(b"run_limited(") == 2
    for code in (source, fixed):
        name = docker_containers.run()
        assert _output(code, tmp_path, docker_containers, [name]) == "NotFound"


def test_whales_missing_container_now_raises(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    """DF101's fix safety, pinned: whales' `rm -f` of a missing container passes, `stop` raises."""
    pytest.importorskip("python_on_whales")
    source = textwrap.dedent(MISSING_WHALES).lstrip("\n").encode()
    fixed = analyze(source, _settings(tmp_path)).fixed
    missing = f"dockfix-test-missing-{os.getpid()}"
    assert _output(source, tmp_path, docker_containers, [missing]) == "removed"
    assert _output(fixed, tmp_path, docker_containers, [missing]) == "NoSuchContainer"


AUTO_REMOVED_STOP_THEN_REMOVE = """
import os

import docker

container = docker.from_env().containers.get(os.environ["E2E_NAMES"])
container.stop(timeout=5)
try:
    container.remove()
    print("removed")
except (docker.errors.NotFound, docker.errors.APIError):
    print("raised")
"""


def test_auto_removed_container_is_why_df101_only_reports(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    """Pins DF101's reason: with `--rm`, the stop removes the container, so `remove()` raises."""
    name = docker_containers.run(extra=("--rm",))
    code = textwrap.dedent(AUTO_REMOVED_STOP_THEN_REMOVE).encode()
    assert _output(code, tmp_path, docker_containers, [name]) == "raised"
    assert docker_containers.graceful(name)
