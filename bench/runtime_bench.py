"""Benchmark of dockfix.runtime; writes the "Runtime" section of BENCHMARKS.md.

    python bench/runtime_bench.py [--calls 200] [--containers 50] [--no-write]

1. Per-call overhead of the executor against a bare ``subprocess.run`` of the same command, for a
   cheap fake ``docker`` (``/bin/true`` behind a docker-named link) and for the real
   ``docker version``: medians of interleaved runs and their ratio.
2. Wall time to remove N containers (SIGTERM-trapping busybox, default 50): the executor at its
   default limit (every container handed to it at once from a thread each, as a test suite's
   teardown does), a naive sequential loop, and an unlimited parallel burst of ``rm -f``, with
   the daemon errors seen and how many containers were stopped gracefully.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from dockfix.runtime import DockerExecutor  # noqa: E402

IMAGE = os.environ.get("DOCKFIX_TEST_IMAGE", "dockfix-busybox:test")
TRAP = "trap 'echo graceful > /mark/$MARK_NAME; exit 0' TERM; while true; do sleep 0.2; done"
START, END = "<!-- runtime-bench:start -->", "<!-- runtime-bench:end -->"


def docker(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    # The benchmark's own set-up and baselines talk to docker directly on purpose.
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, check=check
    )  # dockfix: ignore


def interleaved(
    bare: Callable[[], object], wrapped: Callable[[], object], calls: int
) -> tuple[float, float, float]:
    """Medians (seconds) of ``calls`` alternating runs (the order flipped every other pair):
    bare, wrapped, and the median of the paired differences."""
    bare_t: list[float] = []
    wrapped_t: list[float] = []
    for _ in range(5):  # warm-up
        bare()
        wrapped()
    for i in range(calls):
        pair = [(bare, bare_t), (wrapped, wrapped_t)]
        for fn, out in pair if i % 2 else reversed(pair):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    diffs = [w - b for b, w in zip(bare_t, wrapped_t)]
    return statistics.median(bare_t), statistics.median(wrapped_t), statistics.median(diffs)


def bookkeeping(work: Path, calls: int = 5000) -> float:
    """Seconds per call of the executor's own path, with the process start stubbed out."""
    ex = DockerExecutor(lock_dir=work / "locks", min_interval=0)
    argv = ["docker", "ps"]
    done = subprocess.CompletedProcess(argv, 0, b"", b"")
    real = subprocess.run
    subprocess.run = lambda *a, **k: done  # type: ignore[assignment]  # benchmark only
    try:
        t0 = time.perf_counter()
        for _ in range(calls):
            ex.run(argv, capture_output=True)
        return (time.perf_counter() - t0) / calls
    finally:
        subprocess.run = real


def overhead(calls: int, work: Path) -> list[str]:
    fake = work / "bin" / "docker"
    fake.parent.mkdir(parents=True)
    fake.symlink_to(shutil.which("true") or "/bin/true")
    rows = []
    cases = [
        ("fake `docker ps` (/bin/true)", [str(fake), "ps"], calls),
        ("`docker version --format {{.Server.Version}}`",
         ["docker", "version", "--format", "{{.Server.Version}}"], max(20, calls // 5)),
    ]  # fmt: skip
    for label, argv, n in cases:
        for setting, ex in (
            ("no spacing", DockerExecutor(lock_dir=work / "locks", min_interval=0)),
            ("+ audit file", DockerExecutor(
                lock_dir=work / "locks", min_interval=0, audit_log=work / "audit.jsonl")),
        ):  # fmt: skip
            bare_m, ex_m, diff = interleaved(
                lambda argv=argv: subprocess.run(argv, capture_output=True),  # dockfix: ignore
                lambda argv=argv, ex=ex: ex.run(argv, capture_output=True),
                n,
            )
            rows.append(
                f"| {label} | {setting} | {n} | {bare_m * 1e3:.3f} ms | {ex_m * 1e3:.3f} ms "
                f"| {diff * 1e6:+.0f} µs | {(ex_m / bare_m - 1) * 100:+.1f} % |"
            )
    own = bookkeeping(work)
    rows.append(
        f"| executor's own path, process start stubbed out (5000 calls) | no spacing | 5000 "
        f"| – | – | {own * 1e6:+.0f} µs | – |"
    )
    return rows


def create(count: int, label: str, marks: Path) -> list[str]:
    def one(_: int) -> str:
        name = f"dockfix-bench-{uuid.uuid4().hex[:10]}"
        docker(
            "run", "-d", "--network", "none", "--name", name, "--label", label,
            "-e", f"MARK_NAME={name}", "-v", f"{marks}:/mark", IMAGE, "sh", "-c", TRAP,
        )  # fmt: skip
        return name

    with ThreadPoolExecutor(4) as pool:
        names = list(pool.map(one, range(count)))
    time.sleep(1.0)  # traps installed
    return names


def errors_of(results: list[tuple[int, str]]) -> str:
    failed = [err for rc, err in results if rc != 0]
    if not failed:
        return "0"
    kinds: dict[str, int] = {}
    for err in failed:
        line = (err.strip().splitlines() or ["(no stderr)"])[0][:90]
        kinds[line] = kinds.get(line, 0) + 1
    return f"{len(failed)}: " + "; ".join(f"{n}× `{k}`" for k, n in kinds.items())


def removal(count: int, work: Path) -> list[str]:
    label = f"dockfix.bench={uuid.uuid4().hex[:8]}"
    rows = []

    def executor_mode(names: list[str]) -> list[tuple[int, str]]:
        ex = DockerExecutor(lock_dir=work / "locks-default")  # default limit and spacing

        def one(name: str) -> tuple[int, str]:
            r = ex.stop_and_remove(name, capture_output=True, text=True)
            return r.returncode, r.stderr

        with ThreadPoolExecutor(len(names)) as pool:
            return list(pool.map(one, names))

    def sequential_stop_rm(names: list[str]) -> list[tuple[int, str]]:
        out = []
        for name in names:
            docker("stop", "-t", "10", name, check=False)
            r = docker("rm", name, check=False)
            out.append((r.returncode, r.stderr))
        return out

    def sequential_rm_f(names: list[str]) -> list[tuple[int, str]]:
        out = []
        for name in names:
            r = docker("rm", "-f", name, check=False)
            out.append((r.returncode, r.stderr))
        return out

    def burst_rm_f(names: list[str]) -> list[tuple[int, str]]:
        def one(name: str) -> tuple[int, str]:
            r = docker("rm", "-f", name, check=False)
            return r.returncode, r.stderr

        with ThreadPoolExecutor(len(names)) as pool:
            return list(pool.map(one, names))

    modes = [
        ("dockfix executor, default limit (4 at once, 20 ms spacing), stop -t 10 + rm, "
         f"{count} threads at once", executor_mode),
        ("naive sequential loop: `docker stop -t 10` + `docker rm`", sequential_stop_rm),
        ("naive sequential loop: `docker rm -f`", sequential_rm_f),
        (f"unlimited parallel burst: {count} × `docker rm -f` at once", burst_rm_f),
    ]  # fmt: skip
    try:
        for label_text, fn in modes:
            marks = Path(tempfile.mkdtemp(dir=work))
            marks.chmod(0o777)
            names = create(count, label, marks)
            t0 = time.perf_counter()
            results = fn(names)
            wall = time.perf_counter() - t0
            left = docker("ps", "-aq", "--filter", f"label={label}").stdout.split()
            graceful = sum(1 for n in names if (marks / n).exists())
            rows.append(
                f"| {label_text} | {wall:.2f} s | {errors_of(results)} "
                f"| {graceful}/{count} | {len(left)} |"
            )
            if left:
                docker("stop", "-t", "5", *left, check=False)
                docker("rm", *left, check=False)
    finally:
        left = docker("ps", "-aq", "--filter", f"label={label}", check=False).stdout.split()
        if left:
            docker("stop", "-t", "5", *left, check=False)
            docker("rm", *left, check=False)
    return rows


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    client = docker("version", "--format", "{{.Client.Version}}", check=False).stdout.strip()
    server = docker("version", "--format", "{{.Server.Version}}", check=False).stdout.strip()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}), "
        f"Python {platform.python_version()}, docker CLI {client}, daemon {server}; "
        f"load average at the end {load}"
    )


def render(command: str, over: list[str], rem: list[str], count: int) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            START,
            "## Runtime",
            "",
            f"- Command: `{command}`",
            f"- Date: {now}",
            f"- Machine: {machine()}",
            "- The daemon is shared with other work running at the same time: figures are noisy.",
            "",
            "### Per-call overhead of the executor",
            "",
            "Medians of interleaved runs (bare `subprocess.run` and `docker_executor.run` of the",
            "same argv, `capture_output=True`). The start spacing is a deliberate limit, not",
            "overhead, so it is off here (`min_interval=0`); everything else is the default:",
            "guard, argv parsing, slot lock files, retry bookkeeping, logger.",
            "",
            "*overhead* is the median of the paired differences; *ratio* compares the medians.",
            "",
            "| command | executor | calls | bare | executor | overhead | ratio |",
            "|---|---|---|---|---|---|---|",
            *over,
            "",
            f"### Removing {count} containers",
            "",
            "SIGTERM-trapping busybox containers; *graceful* counts the ones whose trap ran",
            "(`rm -f` sends SIGKILL, so none); *errors* are non-zero exits with their stderr.",
            "",
            "| mode | wall time | errors | graceful | left over |",
            "|---|---|---|---|---|",
            *rem,
            END,
        ]
    )


def write_section(section: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--containers", type=int, default=50)
    parser.add_argument("--no-write", action="store_true")
    opts = parser.parse_args()
    command = "python bench/runtime_bench.py" + "".join(
        f" {a}" for a in sys.argv[1:] if a != "--no-write"
    )
    with tempfile.TemporaryDirectory(prefix="dockfix-bench-") as tmp:
        work = Path(tmp)
        over = overhead(opts.calls, work)
        print("\n".join(over), flush=True)
        rem = removal(opts.containers, work)
        print("\n".join(rem), flush=True)
        section = render(command, over, rem, opts.containers)
    if not opts.no_write:
        write_section(section)
        print("updated BENCHMARKS.md (Runtime section)")


if __name__ == "__main__":
    main()
