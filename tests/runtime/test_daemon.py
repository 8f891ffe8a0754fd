"""Against the real daemon: graceful stop-then-remove under the limits, from threads and processes.

Every container comes from the ``docker_containers`` factory (labelled, cleaned up at teardown);
volumes carry a unique name and are removed here.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dockfix.runtime import DockerCommandError, DockerExecutor
from tests.conftest import ContainerFactory, _docker
from tests.runtime._support import (
    audit_peak,
    audit_records,
    child_env,
    trace_peak,
    tracing_docker,
)

pytestmark = pytest.mark.docker

WORKER = str(Path(__file__).with_name("worker.py"))
REPO = Path(__file__).resolve().parents[2]


# The shared daemon's default bridge may be unusable (docker0 missing on these machines), and no
# test here needs a network.
NO_NET = ("--network", "none")


def start_many(factory: ContainerFactory, count: int) -> list[str]:
    with ThreadPoolExecutor(4) as pool:
        names = list(pool.map(lambda _: factory.run(extra=NO_NET), range(count)))
    time.sleep(1.0)  # let each shell install its SIGTERM trap (generous: shared, loaded host)
    return names


def make(tmp_path: Path, **kw: object) -> DockerExecutor:
    return DockerExecutor(lock_dir=tmp_path / "locks", audit_log=tmp_path / "audit.jsonl", **kw)  # type: ignore[arg-type]


def test_stop_and_remove_from_threads_in_several_processes(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    names = start_many(docker_containers, 12)
    trace = tmp_path / "trace"
    docker = tracing_docker(tmp_path / "bin", trace)
    env = child_env(
        DOCKFIX_LOCK_DIR=str(tmp_path / "locks"),
        DOCKFIX_MAX_CONCURRENT="3",
        DOCKFIX_STOP_TIMEOUT="10",
        DOCKFIX_DOCKER=docker,
        DOCKFIX_AUDIT_LOG=str(tmp_path / "audit.jsonl"),
    )
    procs = []
    for p in range(3):
        mine = names[p * 4 : p * 4 + 4]
        # two threads per process; one removes two containers in one call
        spec = {"mode": "stop_and_remove", "threads": [[[mine[0]], [mine[1]]], [mine[2:]]]}
        procs.append(
            subprocess.Popen(
                [sys.executable, WORKER, json.dumps(spec)], env=env, stdout=subprocess.PIPE
            )
        )
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [json.loads(o)["errors"] for o in outs] == [[], [], []]
    assert [n for n in names if not docker_containers.graceful(n)] == [], "a stop was not graceful"
    assert docker_containers.remaining() == []
    assert trace_peak(trace) <= 3
    records = audit_records(tmp_path / "audit.jsonl")
    assert audit_peak(records) <= 3
    assert sorted(r["op"] for r in records) == ["rm"] * 9 + ["stop"] * 9
    assert all(r["returncode"] == 0 for r in records)
    assert all(r["argv"][2:4] == ["-t", "10"] for r in records if r["op"] == "stop")


def test_missing_containers(docker_containers: ContainerFactory, tmp_path: Path) -> None:
    ex = make(tmp_path)
    missing = f"dockfix-missing-{uuid.uuid4().hex[:8]}"
    assert ex.stop_and_remove(missing).returncode == 0
    result = ex.stop_and_remove(missing, missing_ok=False, capture_output=True, text=True)
    assert result.returncode == 1
    assert "No such container" in result.stderr
    with pytest.raises(DockerCommandError) as info:
        ex.stop_and_remove(missing, missing_ok=False, check=True, capture_output=True)
    assert isinstance(info.value, subprocess.CalledProcessError)
    assert "No such container" in str(info.value)
    # one present, one missing: the present one is stopped gracefully and removed
    present = start_many(docker_containers, 1)[0]
    assert ex.stop_and_remove(present, missing, check=True).returncode == 0
    assert docker_containers.graceful(present)
    assert not docker_containers.exists(present)
    # stop() mirrors kill: a missing container is an error unless missing_ok
    assert ex.stop(missing, stderr=subprocess.DEVNULL).returncode == 1
    assert ex.stop(missing, missing_ok=True).returncode == 0


def test_already_stopped_container(docker_containers: ContainerFactory, tmp_path: Path) -> None:
    ex = make(tmp_path)
    name = start_many(docker_containers, 1)[0]
    _docker("stop", "-t", "10", name)
    assert ex.stop(name, check=True).returncode == 0
    assert ex.stop_and_remove(name, check=True).returncode == 0
    assert not docker_containers.exists(name)


def test_stop_replaces_kill_gracefully(docker_containers: ContainerFactory, tmp_path: Path) -> None:
    ex = make(tmp_path)
    name = start_many(docker_containers, 1)[0]
    result = ex.stop(name, timeout=5, check=True, capture_output=True, text=True)
    assert result.stdout.strip() == name
    assert docker_containers.graceful(name)
    assert docker_containers.exists(name)  # stopped, not removed


def test_volumes(docker_containers: ContainerFactory, tmp_path: Path) -> None:
    ex = make(tmp_path)
    vol = f"dockfix-test-vol-{uuid.uuid4().hex[:8]}"
    _docker("volume", "create", "--label", docker_containers.label, vol)
    try:
        name = docker_containers.run(trap=False, extra=(*NO_NET, "-v", f"{vol}:/data"))
        result = ex.remove_volumes(vol, capture_output=True, text=True)
        assert result.returncode == 1
        assert "volume is in use" in result.stderr
        with pytest.raises(DockerCommandError, match="volume is in use"):
            ex.remove_volumes(vol, check=True, capture_output=True)
        ex.stop_and_remove(name, timeout=1, check=True)
        assert ex.remove_volumes(vol, check=True).returncode == 0
        assert ex.remove_volumes(vol, check=True).returncode == 0  # missing is fine
        assert ex.remove_volumes(vol, missing_ok=False, stderr=subprocess.DEVNULL).returncode == 1
    finally:
        _docker("volume", "rm", vol, check=False)


def test_remove_with_anonymous_volumes(docker_containers: ContainerFactory, tmp_path: Path) -> None:
    ex = make(tmp_path)
    name = docker_containers.run(trap=False, extra=(*NO_NET, "-v", "/data"))
    inspect = _docker("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", name)
    vol = inspect.stdout.strip()
    assert vol
    ex.stop_and_remove(name, timeout=1, volumes=True, check=True)
    assert _docker("volume", "inspect", vol, check=False).returncode != 0


def test_subprocess_mirrors_keep_types(docker_daemon: str, tmp_path: Path) -> None:
    ex = make(tmp_path)
    fmt = ["docker", "version", "--format", "{{.Server.Version}}"]
    result = ex.run(fmt, capture_output=True, text=True, check=True)
    assert isinstance(result, subprocess.CompletedProcess)
    assert result.stdout.strip()
    assert isinstance(ex.check_output(fmt), bytes)
    assert isinstance(ex.check_output(fmt, text=True), str)
    assert ex.call(fmt, stdout=subprocess.DEVNULL) == 0
    assert ex.check_call(fmt, stdout=subprocess.DEVNULL) == 0
    missing = ["docker", "inspect", f"dockfix-missing-{uuid.uuid4().hex[:8]}"]
    assert ex.call(missing, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 1
    with pytest.raises(subprocess.CalledProcessError):
        ex.check_call(missing, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with pytest.raises(subprocess.TimeoutExpired):
        ex.run(["docker", "run", "--rm", *NO_NET, docker_daemon, "sleep", "5"], timeout=0.5)


def test_asyncio_stop_and_remove(docker_containers: ContainerFactory, tmp_path: Path) -> None:
    names = start_many(docker_containers, 4)
    ex = make(tmp_path, max_concurrent=2)

    async def main() -> list[int]:
        results = await asyncio.gather(*(ex.aio.stop_and_remove(n, check=True) for n in names))
        proc = await ex.aio.create_subprocess_exec(
            "docker", "ps", "-aq", "--filter", f"label={docker_containers.label}",
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, _ = await proc.communicate()
        assert out.strip() == b""
        await ex.aio.stop(f"dockfix-missing-{uuid.uuid4().hex[:8]}", missing_ok=True, check=True)
        return [r.returncode for r in results]

    assert asyncio.run(main()) == [0, 0, 0, 0]
    assert all(docker_containers.graceful(n) for n in names)
    assert docker_containers.remaining() == []
    assert audit_peak(audit_records(tmp_path / "audit.jsonl")) <= 2


def test_racing_removals_of_one_container(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    # Two teardown paths removing the same container at once: docker answers the losers with
    # "removal ... already in progress" (retried) or "No such container" (gone: success).
    name = start_many(docker_containers, 1)[0]
    ex = make(tmp_path, min_interval=0)
    with ThreadPoolExecutor(4) as pool:
        results = list(
            pool.map(lambda _: ex.stop_and_remove(name, capture_output=True, text=True), range(4))
        )
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    assert docker_containers.graceful(name)
    assert not docker_containers.exists(name)


def test_global_args_go_before_the_subcommand(
    docker_containers: ContainerFactory, tmp_path: Path
) -> None:
    name = start_many(docker_containers, 1)[0]
    ex = make(tmp_path)
    host = ("-H", "unix:///var/run/docker.sock")
    assert ex.stop_and_remove(name, timeout=3, global_args=host, check=True).returncode == 0
    argvs = [r["argv"] for r in audit_records(tmp_path / "audit.jsonl")]
    assert argvs == [
        ["docker", *host, "stop", "-t", "3", "--", name],
        ["docker", *host, "rm", "--", name],
    ]
