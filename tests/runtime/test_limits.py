"""The limits hold across threads, processes and asyncio; a crashed holder frees its slot.

These use a traced fake ``docker`` (a bash script that sleeps), so they need no daemon.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dockfix.runtime import DockerExecutor
from tests.runtime._support import (
    audit_peak,
    audit_records,
    child_env,
    fake_docker,
    trace_events,
    trace_peak,
)

WORKER = str(Path(__file__).with_name("worker.py"))
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake(tmp_path: Path) -> tuple[str, Path]:
    trace = tmp_path / "trace"
    return fake_docker(tmp_path / "bin", trace, "sleep 0.1"), trace


def make(tmp_path: Path, docker: str, **kw: object) -> DockerExecutor:
    kw.setdefault("min_interval", 0)
    return DockerExecutor(
        lock_dir=tmp_path / "locks", audit_log=tmp_path / "audit.jsonl", docker=docker, **kw
    )  # type: ignore[arg-type]


def test_threads_share_the_limit(tmp_path: Path, fake: tuple[str, Path]) -> None:
    docker, trace = fake
    ex = make(tmp_path, docker, max_concurrent=3)
    threads = [threading.Thread(target=ex.run, args=([docker, "ps"],)) for _ in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert trace_peak(trace) == 3
    records = audit_records(tmp_path / "audit.jsonl")
    assert len(records) == 9
    assert audit_peak(records) <= 3
    assert {r["slot"] for r in records} == {0, 1, 2}


def test_two_executors_on_one_lock_dir_share_the_limit(
    tmp_path: Path, fake: tuple[str, Path]
) -> None:
    docker, trace = fake
    a, b = make(tmp_path, docker, max_concurrent=2), make(tmp_path, docker, max_concurrent=2)
    threads = [
        threading.Thread(target=ex.run, args=([docker, "ps"],)) for ex in (a, b) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert trace_peak(trace) == 2


def test_processes_and_threads_share_the_limit(tmp_path: Path, fake: tuple[str, Path]) -> None:
    docker, trace = fake
    env = child_env(
        DOCKFIX_LOCK_DIR=str(tmp_path / "locks"),
        DOCKFIX_MAX_CONCURRENT="2",
        DOCKFIX_MIN_INTERVAL="0",
        DOCKFIX_DOCKER=docker,
        DOCKFIX_AUDIT_LOG=str(tmp_path / "audit.jsonl"),
    )
    spec = json.dumps({"mode": "run", "threads": [[[docker, "ps"]] * 3] * 3})
    procs = [
        subprocess.Popen([sys.executable, WORKER, spec], env=env, stdout=subprocess.PIPE)
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(json.loads(out)["errors"] == [] for out in outs)
    assert trace_peak(trace) == 2
    records = audit_records(tmp_path / "audit.jsonl")
    assert len(records) == 27
    assert len({r["pid"] for r in records}) == 3
    assert audit_peak(records) <= 2


def test_crashed_holder_frees_its_slots(tmp_path: Path) -> None:
    lock_dir = tmp_path / "locks"
    code = (
        "import sys, time\n"
        "from dockfix.runtime import DockerExecutor\n"
        f"ex = DockerExecutor(lock_dir={str(lock_dir)!r}, max_concurrent=2)\n"
        "slots = [ex.limiter.acquire(), ex.limiter.acquire()]\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    env = child_env()
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"held"
        ex = DockerExecutor(lock_dir=lock_dir, max_concurrent=2)
        assert ex.limiter.try_acquire() is None
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        t0 = time.monotonic()
        slots = [ex.limiter.acquire(timeout=5), ex.limiter.acquire(timeout=5)]
        assert time.monotonic() - t0 < 1
        for slot in slots:
            slot.release()
    finally:
        child.kill()
        child.wait()


def test_slot_timeout(tmp_path: Path) -> None:
    from dockfix.runtime import SlotTimeoutError

    ex = DockerExecutor(lock_dir=tmp_path / "locks", max_concurrent=1, slot_timeout=0.2)
    held = ex.limiter.acquire()
    try:
        with pytest.raises(SlotTimeoutError):
            ex.run(["docker", "version"])
    finally:
        held.release()


def test_min_interval_spaces_starts_across_processes(tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    docker = fake_docker(tmp_path / "bin", trace, "true")
    interval = 0.3
    env = child_env(
        DOCKFIX_LOCK_DIR=str(tmp_path / "locks"),
        DOCKFIX_MIN_INTERVAL=str(interval),
        DOCKFIX_DOCKER=docker,
        DOCKFIX_AUDIT_LOG=str(tmp_path / "audit.jsonl"),
    )
    spec = json.dumps({"mode": "run", "threads": [[[docker, "ps"]] * 2] * 2})
    procs = [
        subprocess.Popen([sys.executable, WORKER, spec], env=env, stdout=subprocess.PIPE)
        for _ in range(2)
    ]
    for p in procs:
        p.communicate(timeout=60)
    starts = sorted(r["ts"] for r in audit_records(tmp_path / "audit.jsonl"))
    assert len(starts) == 8
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert min(gaps) >= interval * 0.5, gaps  # a start may run late, never early
    assert starts[-1] - starts[0] >= 7 * interval * 0.95
    traced = sorted(ts for ts, d in trace_events(trace) if d == 1)
    assert traced[-1] - traced[0] >= 7 * interval * 0.9


def test_asyncio_respects_the_limit_without_blocking_the_loop(tmp_path: Path) -> None:
    # Each process takes 0.3 s: a loop blocked while waiting for a slot would miss ticks that long.
    trace = tmp_path / "trace"
    docker = fake_docker(tmp_path / "bin", trace, "sleep 0.3")
    ex = make(tmp_path, docker, max_concurrent=2)
    gaps: list[float] = []

    async def ticker(stop: asyncio.Event) -> None:
        last = time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    async def main() -> list[int]:
        stop = asyncio.Event()
        tick = asyncio.ensure_future(ticker(stop))
        codes = await asyncio.gather(*(ex.aio.call([docker, "ps"]) for _ in range(6)))
        stop.set()
        await tick
        return codes

    # sync threads compete for the same slots meanwhile
    threads = [threading.Thread(target=ex.run, args=([docker, "ps"],)) for _ in range(2)]
    for t in threads:
        t.start()
    assert asyncio.run(main()) == [0] * 6
    for t in threads:
        t.join()
    assert trace_peak(trace) == 2
    assert max(gaps) < 0.2, "the event loop was blocked"


def test_async_create_subprocess_exec_holds_a_slot_until_exit(
    tmp_path: Path, fake: tuple[str, Path]
) -> None:
    trace = tmp_path / "trace2"
    docker = fake_docker(tmp_path / "bin2", trace, 'sleep 0.3; echo "out $1"')
    ex = make(tmp_path, docker, max_concurrent=2)

    async def main() -> None:
        t0 = time.monotonic()
        first = [
            await ex.aio.create_subprocess_exec(docker, "ps", stdout=asyncio.subprocess.PIPE)
            for _ in range(2)
        ]
        assert all(isinstance(p, asyncio.subprocess.Process) for p in first)
        third = await ex.aio.create_subprocess_exec(docker, "ps", stdout=asyncio.subprocess.PIPE)
        assert time.monotonic() - t0 >= 0.25, "third process started while two held the slots"
        outs = [await p.communicate() for p in [*first, third]]
        assert [o[0] for o in outs] == [b"out ps\n"] * 3
        await asyncio.sleep(0.05)  # let the watchers record the exits

    asyncio.run(main())
    assert trace_peak(trace) == 2
    records = audit_records(tmp_path / "audit.jsonl")
    assert [r["returncode"] for r in records] == [0, 0, 0]


def test_cancelled_waiters_do_not_leak_slots(tmp_path: Path, fake: tuple[str, Path]) -> None:
    docker, _trace = fake
    ex = make(tmp_path, docker, max_concurrent=1)

    async def main() -> None:
        running = asyncio.ensure_future(ex.aio.run([docker, "ps"]))
        await asyncio.sleep(0.02)
        waiting = [asyncio.ensure_future(ex.aio.run([docker, "ps"])) for _ in range(3)]
        await asyncio.sleep(0.02)
        for task in waiting:
            task.cancel()
        await running
        await asyncio.gather(*waiting, return_exceptions=True)

    asyncio.run(main())
    time.sleep(0.3)  # a cancelled call whose process had started finishes in its thread
    slot = ex.limiter.try_acquire()
    assert slot is not None
    slot.release()


def test_run_limited_holds_a_slot(tmp_path: Path) -> None:
    ex = make(tmp_path, "docker", max_concurrent=2)
    active: list[int] = []
    top: list[int] = [0]
    lock = threading.Lock()

    def sdk_call(x: int) -> int:
        with lock:
            active.append(x)
            top[0] = max(top[0], len(active))
        time.sleep(0.05)
        with lock:
            active.remove(x)
        return x * 2

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda i=i: results.append(ex.run_limited(sdk_call, i)))
        for i in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 2, 4, 6, 8, 10]
    assert top[0] == 2

    async def main() -> list[int]:
        async def coro(x: int) -> int:
            await asyncio.sleep(0.01)
            return x

        return [await ex.aio.run_limited(coro, 1), await ex.aio.run_limited(sdk_call, 2)]

    assert asyncio.run(main()) == [1, 4]
    records = audit_records(tmp_path / "audit.jsonl")
    assert {r["op"] for r in records} == {"callable"}
    assert len(records) == 8

    with pytest.raises(ZeroDivisionError):
        ex.run_limited(lambda: 1 / 0)
    assert "ZeroDivisionError" in audit_records(tmp_path / "audit.jsonl")[-1]["error"]
    assert os.path.isdir(tmp_path / "locks")


def test_a_program_that_cannot_start_releases_its_slot(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-dir" / "docker")
    ex = make(tmp_path, missing, max_concurrent=1)
    for _ in range(3):
        with pytest.raises(FileNotFoundError):
            ex.run([missing, "ps"])

    async def main() -> None:
        with pytest.raises(FileNotFoundError):
            await ex.aio.create_subprocess_exec(missing, "ps")
        with pytest.raises(FileNotFoundError):
            await ex.aio.run([missing, "ps"])

    asyncio.run(main())
    records = audit_records(tmp_path / "audit.jsonl")
    assert len(records) == 5
    assert all(r["returncode"] is None and "FileNotFoundError" in r["error"] for r in records)
    slot = ex.limiter.try_acquire()
    assert slot is not None
    slot.release()


def test_docker_calls_inside_run_limited_reuse_its_slot(
    tmp_path: Path, fake: tuple[str, Path]
) -> None:
    # With one slot, a docker call made by code that run_limited is running would wait for ever
    # for a second slot; it reuses the caller's instead (slot_timeout turns a hang into an error).
    docker, trace = fake
    ex = make(tmp_path, docker, max_concurrent=1, slot_timeout=5)

    def helper() -> int:
        return ex.call([docker, "ps"]) + ex.call([docker, "ps"])

    assert ex.run_limited(helper) == 0

    async def main() -> list[int]:
        async def async_helper() -> int:
            return await ex.aio.call([docker, "ps"])

        nested = await ex.aio.run_limited(async_helper)
        in_thread = await ex.aio.run_limited(helper)
        both = await asyncio.gather(ex.aio.call([docker, "ps"]), ex.aio.call([docker, "ps"]))
        return [nested, in_thread, *both]

    assert asyncio.run(main()) == [0, 0, 0, 0]
    assert trace_peak(trace) == 1
    records = audit_records(tmp_path / "audit.jsonl")
    expected = "ps ps callable | ps callable | ps ps callable | ps ps".replace("| ", "").split()
    assert [r["op"] for r in records] == expected
    assert {r["slot"] for r in records} == {0}
    slot = ex.limiter.try_acquire()
    assert slot is not None
    slot.release()


NO_FCNTL = """
import sys
sys.modules["fcntl"] = None  # a platform without POSIX locks
import dockfix.runtime
from dockfix.runtime import DockerExecutor, _locks
ex = DockerExecutor(lock_dir=sys.argv[1], max_concurrent=1)
slot = ex.limiter.acquire()
assert ex.limiter.try_acquire() is None  # the in-process limit still holds
slot.release()
print(_locks.CROSS_PROCESS)
"""


def test_import_and_in_process_limits_without_fcntl(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", NO_FCNTL, str(tmp_path / "locks")],
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
