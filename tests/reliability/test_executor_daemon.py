"""The executor against real daemons: unreachable, frozen, restarted, loaded, a slot holder killed.

The frozen and restarted daemons are PRIVATE (tests/plugin/private_dockerd.py): the shared
daemon is never stopped, frozen or restarted. The load test uses the shared daemon, with
labelled containers only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest

from dockfix.runtime import DockerExecutor, DockerUnavailableError, SlotTimeoutError
from tests.conftest import SESSION_LABEL, TEST_IMAGE
from tests.plugin.private_dockerd import PrivateDockerd, private_dockerd_problem
from tests.reliability import _figures
from tests.runtime._support import audit_peak, audit_records, child_env, peak, write_program

needs_cli = pytest.mark.skipif(shutil.which("docker") is None, reason="no docker CLI on PATH")


# ---- unreachable ------------------------------------------------------------------------


@needs_cli
@pytest.mark.parametrize("method", ["run", "stop_and_remove", "stop", "remove_volumes"])
def test_unreachable_daemon_is_a_clear_exception_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    executor = DockerExecutor(lock_dir=tmp_path / "locks", min_interval=0, retries=3)
    started = time.monotonic()
    call = executor.run if method == "run" else getattr(executor, method)
    arg: Any = ["docker", "ps"] if method == "run" else "dfx-rel-nothing"
    with pytest.raises(DockerUnavailableError) as info:
        call(arg, check=True, capture_output=True)
    elapsed = time.monotonic() - started
    _figures.count("executor", unreachable_calls=1)
    assert elapsed < 20, f"{elapsed:.1f}s"
    message = str(info.value)
    assert "connect" in message.lower(), message
    assert info.value.attempts == 4  # one try and three retries


# ---- a private daemon: frozen, restarted ------------------------------------------------


@pytest.fixture(scope="module")
def private_daemon(docker_daemon: str) -> Iterator[PrivateDockerd]:
    problem = private_dockerd_problem()
    if problem is not None:
        if os.environ.get("DOCKFIX_REQUIRE_DOCKER") == "1":
            pytest.fail(f"DOCKFIX_REQUIRE_DOCKER=1 but {problem}", pytrace=False)
        pytest.skip(problem)
    daemon = PrivateDockerd()
    try:
        daemon.start()
        _load_image(daemon, docker_daemon)
        yield daemon
    finally:
        _docker_pid_signal(daemon, signal.SIGCONT)
        daemon.close()


def _load_image(daemon: PrivateDockerd, image: str) -> None:
    """Copy the test image from the shared daemon (no registry here): save | load."""
    shared = {k: v for k, v in os.environ.items() if k not in ("DOCKER_HOST", "DOCKER_CONTEXT")}
    save = subprocess.Popen(  # dockfix: ignore  (test setup)
        ["docker", "save", image], stdout=subprocess.PIPE, env=shared
    )
    assert save.stdout is not None
    subprocess.run(  # dockfix: ignore  (test setup)
        ["docker", "load", "-q"], stdin=save.stdout, env=daemon.env(), check=True,
        capture_output=True, timeout=120,
    )  # fmt: skip
    save.stdout.close()
    assert save.wait(timeout=60) == 0


def _docker_pid_signal(daemon: PrivateDockerd, sig: signal.Signals) -> None:
    try:
        pid = int(daemon.pidfile.read_text().strip())
        os.kill(pid, sig)
    except (OSError, ValueError):
        pass


def _private(daemon: PrivateDockerd, *args: str, timeout: float = 60) -> str:
    done = subprocess.run(  # dockfix: ignore  (test setup, not code under test)
        ["docker", *args],
        env=daemon.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return done.stdout


def _start_containers(daemon: PrivateDockerd, count: int) -> list[str]:
    names = [f"dfx-rel-{uuid.uuid4().hex[:8]}" for _ in range(count)]
    for name in names:
        _private(
            daemon,
            "run", "-d", "--name", name, "--stop-timeout", "1",
            TEST_IMAGE, "sh", "-c", "while true; do sleep 0.2; done",
        )  # fmt: skip
    return names


class Caller(threading.Thread):
    """Runs one executor call in a thread; keeps its result or exception and its duration."""

    def __init__(self, fn: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(daemon=True)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.finished: Optional[float] = None

    def run(self) -> None:
        try:
            self.result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:
            self.error = exc
        finally:
            self.finished = time.monotonic()


@pytest.mark.docker
def test_frozen_daemon_does_not_hang_callers_past_their_timeouts(
    private_daemon: PrivateDockerd, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _start_containers(private_daemon, 4)
    monkeypatch.setenv("DOCKER_HOST", private_daemon.host)
    audit = tmp_path / "audit.jsonl"
    executor = DockerExecutor(
        lock_dir=tmp_path / "locks", max_concurrent=2, min_interval=0, retries=1,
        stop_margin=2, command_timeout=4, audit_log=audit,
    )  # fmt: skip
    _docker_pid_signal(private_daemon, signal.SIGSTOP)
    frozen = time.monotonic()
    try:
        callers = [Caller(executor.stop_and_remove, n, timeout=1) for n in names]
        callers += [
            Caller(executor.run, ["docker", "ps"], capture_output=True, timeout=3),
            Caller(executor.check_output, ["docker", "inspect", names[0]], timeout=3),
        ]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=60)
    finally:
        _docker_pid_signal(private_daemon, signal.SIGCONT)
    _figures.count("executor", frozen_daemon_callers=len(callers))
    assert all(not c.is_alive() for c in callers), "a caller hung"
    for caller in callers:
        assert isinstance(caller.error, subprocess.TimeoutExpired), caller.error
        assert caller.finished is not None
    # 6 callers, 2 slots, each docker process bounded by its timeout (3 s for a stop: 1 + 2).
    assert max(c.finished or 0 for c in callers) - frozen < 3 * 3 + 10
    for record in audit_records(audit):
        bound = 3.0 if record["op"] in ("stop", "ps", "inspect") else 4.0
        assert record["duration"] < bound + 2.0, record
    cleanup = DockerExecutor(lock_dir=tmp_path / "locks2", min_interval=0)
    cleanup.stop_and_remove(*names, timeout=1, check=True, capture_output=True)
    assert _private(private_daemon, "ps", "-aq").split() == []


@pytest.mark.docker
def test_restarted_daemon_callers_retry_and_finish(
    private_daemon: PrivateDockerd, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _start_containers(private_daemon, 10)
    monkeypatch.setenv("DOCKER_HOST", private_daemon.host)
    audit = tmp_path / "audit.jsonl"
    executor = DockerExecutor(
        lock_dir=tmp_path / "locks", max_concurrent=3, min_interval=0.05, retries=12,
        backoff=0.2, max_backoff=1.0, stop_margin=10, command_timeout=30, audit_log=audit,
    )  # fmt: skip
    callers = [
        Caller(executor.stop_and_remove, n, timeout=1, check=True, capture_output=True)
        for n in names
    ]
    for caller in callers:
        caller.start()
    time.sleep(0.4)
    old, new = private_daemon.restart()
    for caller in callers:
        caller.join(timeout=120)
    _figures.count("executor", restart_callers=len(callers), daemon_restarts=1)
    assert old != new
    assert all(not c.is_alive() for c in callers), "a caller hung"
    errors = [(n, c.error) for n, c in zip(names, callers) if c.error is not None]
    records = audit_records(audit)
    retried = sum(1 for r in records if r["attempt"] > 1)
    _figures.count("executor", restart_retries=retried)
    assert errors == [], errors
    left = _private(private_daemon, "ps", "-a", "--format", "{{.Names}}").split()
    assert sorted(set(left) & set(names)) == []


# ---- load on the shared daemon ----------------------------------------------------------

WRAPPER = """#!/bin/bash
(IFS=$'\\x1f'; echo "S $EPOCHREALTIME $$ $*") >> {trace}
"{real}" "$@"
rc=$?
echo "E $EPOCHREALTIME $$" >> {trace}
exit $rc
"""

WORKER = """
import os, sys, time, threading
from concurrent.futures import ThreadPoolExecutor
from dockfix.runtime import docker_executor

go = sys.argv[1]
names = sys.argv[2:]
while not os.path.exists(go):
    time.sleep(0.005)
with ThreadPoolExecutor(4) as pool:
    results = list(pool.map(
        lambda n: docker_executor.stop_and_remove(n, timeout=2, check=True, capture_output=True),
        names,
    ))
assert all(r.returncode == 0 for r in results)
"""


def _shared_docker(*args: str) -> str:
    return subprocess.run(  # dockfix: ignore  (test setup)
        ["docker", *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout


@pytest.mark.docker
def test_load_200_stop_and_remove_from_8_processes(tmp_path: Path) -> None:
    label = f"{SESSION_LABEL}-load-{uuid.uuid4().hex[:6]}"
    names = [f"dfx-rel-load-{uuid.uuid4().hex[:8]}" for _ in range(200)]

    def create(index_name: tuple[int, str]) -> None:
        index, name = index_name
        base = ["--name", name, "--label", label]
        if index % 8 == 0:  # a quarter... an eighth running, stopped gracefully by their trap
            script = "trap 'exit 0' TERM; while true; do sleep 0.2; done"
            _shared_docker("run", "-d", *base, TEST_IMAGE, "sh", "-c", script)
        else:
            _shared_docker("create", *base, TEST_IMAGE, "sleep", "3600")

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(create, enumerate(names)))
    real = shutil.which("docker")
    assert real is not None
    trace = tmp_path / "trace"
    write_program(tmp_path / "bin" / "docker", WRAPPER.format(trace=trace, real=real))
    audit = tmp_path / "audit.jsonl"
    env = child_env(
        PATH=f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        DOCKFIX_LOCK_DIR=str(tmp_path / "locks"),
        DOCKFIX_MAX_CONCURRENT="4",
        DOCKFIX_MIN_INTERVAL="0.005",
        DOCKFIX_AUDIT_LOG=str(audit),
    )
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(  # dockfix: ignore
            [sys.executable, "-c", WORKER, str(go), *names[k::8]], env=env
        )
        for k in range(8)
    ]
    try:
        time.sleep(1.0)
        go.touch()
        codes = [p.wait(timeout=240) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        remaining = _shared_docker("ps", "-aq", "--filter", f"label={label}").split()
        if remaining:
            _shared_docker("stop", "-t", "2", *remaining)
            _shared_docker("rm", *remaining)
    assert codes == [0] * 8
    lines = trace.read_text().splitlines()
    argvs = [line.split(" ", 3)[3].split("\x1f") for line in lines if line.startswith("S ")]
    events = [(float(line.split()[1]), 1 if line[0] == "S" else -1) for line in lines]
    records = audit_records(audit)
    _figures.count(
        "executor",
        load_requests=len(names),
        load_docker_processes=len(argvs),
        load_peak_processes=peak(events),
        load_retries=sum(1 for r in records if r["attempt"] > 1),
    )
    assert remaining == []
    assert len(argvs) >= 400  # a stop and an rm per request
    for argv in argvs:
        assert argv[0] in ("stop", "rm"), argv
        assert not {"-f", "--force", "kill", "-s", "--signal"} & set(argv), argv
    assert peak(events) <= 4, "more docker processes at once than the limit"
    assert audit_peak(records) <= 4
    assert sum(1 for r in records if r["op"] == "rm" and r["returncode"] == 0) == 200


# ---- a slot holder killed ---------------------------------------------------------------

HOLDER = """
import sys, time
from pathlib import Path
from dockfix.runtime import DockerExecutor

executor = DockerExecutor(lock_dir=sys.argv[1], max_concurrent=1, min_interval=0)
executor.run_limited(lambda: (Path(sys.argv[2]).touch(), time.sleep(120)))
"""


@pytest.mark.docker
def test_sigkilled_slot_holder_releases_its_slot(tmp_path: Path) -> None:
    locks, holding = tmp_path / "locks", tmp_path / "holding"
    holder = subprocess.Popen(  # dockfix: ignore
        [sys.executable, "-c", HOLDER, str(locks), str(holding)], env=child_env()
    )
    try:
        deadline = time.monotonic() + 60
        while not holding.exists():
            assert holder.poll() is None, "the holder died"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        executor = DockerExecutor(lock_dir=locks, max_concurrent=1, min_interval=0, slot_timeout=1)
        with pytest.raises(SlotTimeoutError):
            executor.run(["docker", "version"], capture_output=True)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        started = time.monotonic()
        done = executor.run(
            ["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True
        )
        _figures.count("executor", slot_holder_killed=1)
        assert done.returncode == 0, done.stderr
        assert time.monotonic() - started < 10
    finally:
        if holder.poll() is None:
            holder.kill()
    assert done.stdout.strip()
