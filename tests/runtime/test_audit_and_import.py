"""Audit records (format, logger, no interleaving across processes) and the import contract."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockfix.runtime import DockerExecutor
from tests.runtime._support import audit_records, child_env, fake_docker

REPO = Path(__file__).resolve().parents[2]
KEYS = [
    "v", "ts", "pid", "host", "op", "argv", "wait", "duration", "returncode", "attempt", "slot",
    "error", "refused",
]  # fmt: skip


def test_record_format_and_logger(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    docker = fake_docker(
        tmp_path / "bin", tmp_path / "trace", 'case "$*" in *volume*) exit 3;; esac'
    )
    ex = DockerExecutor(lock_dir=tmp_path / "l", audit_log=tmp_path / "a.jsonl", docker=docker)
    with caplog.at_level(logging.INFO, logger="dockfix.runtime"):
        assert ex.call([docker, "--context", "x", "ps"]) == 0
        assert ex.call([docker, "volume", "ls"]) == 3
    ok, failed = audit_records(tmp_path / "a.jsonl")
    assert list(ok) == KEYS
    assert ok["v"] == 1
    assert ok["op"] == "ps"
    assert ok["argv"] == [docker, "--context", "x", "ps"]
    assert ok["returncode"] == 0
    assert ok["error"] is None
    assert ok["refused"] is False
    assert ok["attempt"] == 1
    assert ok["slot"] == 0
    assert ok["wait"] >= 0
    assert ok["duration"] > 0
    assert failed["op"] == "volume ls"
    assert failed["returncode"] == 3
    levels = [(r.levelname, r.dockfix_audit["op"]) for r in caplog.records]  # type: ignore[attr-defined]
    assert levels == [("INFO", "ps"), ("WARNING", "volume ls")]


WRITER = """
import sys
from dockfix.runtime._audit import AuditLog
log = AuditLog(sys.argv[1])
for i in range(200):
    log.record(op="rm", argv=["docker", "rm", "x" * 3000, str(i)], ts=0.0, wait=0.0,
               duration=0.0, returncode=0, attempt=1, slot=0, error=None)
"""


def test_lines_from_several_processes_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    env = child_env()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path)], env=env) for _ in range(4)]
    assert [p.wait(60) for p in procs] == [0] * 4
    lines = path.read_text().splitlines()
    assert len(lines) == 800
    records = [json.loads(line) for line in lines]
    assert len({r["pid"] for r in records}) == 4


def test_unwritable_audit_log_does_not_break_calls(tmp_path: Path) -> None:
    docker = fake_docker(tmp_path / "bin", tmp_path / "trace", "true")
    ex = DockerExecutor(lock_dir=tmp_path / "l", audit_log=tmp_path / "no" / "a", docker=docker)
    assert ex.call([docker, "ps"]) == 0
    assert ex.call([docker, "ps"]) == 0


def test_environment_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKFIX_MAX_CONCURRENT", "7")
    monkeypatch.setenv("DOCKFIX_MIN_INTERVAL", "0.5")
    monkeypatch.setenv("DOCKFIX_STOP_TIMEOUT", "3")
    monkeypatch.setenv("DOCKFIX_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.setenv("DOCKFIX_AUDIT_LOG", str(tmp_path / "a.jsonl"))
    monkeypatch.setenv("DOCKFIX_DOCKER", "podman")
    s = DockerExecutor().settings
    assert (s.max_concurrent, s.min_interval, s.stop_timeout) == (7, 0.5, 3)
    assert (s.lock_dir, s.audit_log, s.docker) == (
        str(tmp_path / "locks"),
        str(tmp_path / "a.jsonl"),
        "podman",
    )
    s = DockerExecutor(max_concurrent=2, stop_timeout=1.5, docker="docker").settings
    assert (s.max_concurrent, s.stop_timeout, s.docker) == (2, 2, "docker")
    monkeypatch.setenv("DOCKFIX_MAX_CONCURRENT", "zero")
    with pytest.raises(ValueError, match="DOCKFIX_MAX_CONCURRENT"):
        DockerExecutor().settings  # noqa: B018
    monkeypatch.delenv("DOCKFIX_MAX_CONCURRENT")
    with pytest.raises(ValueError, match="max_concurrent"):
        DockerExecutor(max_concurrent=0)
    with pytest.raises(TypeError):
        DockerExecutor(min_interval="1")  # type: ignore[arg-type]


def test_default_instance_and_public_names() -> None:
    import dockfix.runtime as runtime

    assert isinstance(runtime.docker_executor, runtime.DockerExecutor)
    assert runtime.docker_executor.aio.executor is runtime.docker_executor
    assert runtime.AsyncDockerExecutor.__name__ == "AsyncDockerExecutor"
    for name in runtime.__all__:
        assert getattr(runtime, name) is not None


PROBE = """
import sys, time
t0, c0 = time.perf_counter(), time.process_time()
import dockfix.runtime
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
heavy = sorted(m for m in ("libcst", "typer", "rich", "asyncio") if m in sys.modules)
print(wall, cpu, ",".join(heavy))
"""


def test_import_is_light_and_fast(tmp_path: Path) -> None:
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")  # compiled once, then measured
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
        ).stdout.split(" ")
        runs.append((float(out[0]), float(out[1]), out[2].strip()))
    assert all(heavy == "" for _, _, heavy in runs), runs
    # The first run compiles. CPU time is the firm bound. Wall time is checked against the same
    # 30 ms only on a machine that is not overloaded (a shared 2-core box at load 10 stretches
    # every import several times over).
    assert min(cpu for _, cpu, _ in runs[1:]) < 0.030, runs
    if hasattr(os, "getloadavg") and os.getloadavg()[0] < (os.cpu_count() or 1):
        assert min(wall for wall, _, _ in runs[1:]) < 0.030, runs
