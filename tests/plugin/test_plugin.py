"""The pytest plugin, daemon-free: inert when off; a fake daemon that restarts or goes quiet."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audit.helpers import audit_lines, audit_record
from tests.plugin.fakes import GATED_TESTS, FakeDaemon, start_pytest, wait_for

pytest_plugins = ["pytester"]

HEAVY = ("libcst", "typer", "rich", "dockfix.watch", "dockfix.audit", "dockfix.runtime")


def test_plugin_module_imports_nothing_heavy() -> None:
    code = f"import sys, dockfix.pytest_plugin; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_registered_through_the_entry_point(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["*dockfix: watch the Docker daemon*", "*--docker-watch *"])
    assert "--docker-audit-log" in result.stdout.str()


def test_inert_when_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os, sys, threading

        def test_nothing_happens():
            assert "dockfix.watch" not in sys.modules
            assert "dockfix.audit" not in sys.modules
            assert "rich" not in sys.modules
            assert "DOCKFIX_AUDIT_LOG" not in os.environ
            assert not [t for t in threading.enumerate() if t.name.startswith("dockfix")]
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert "dockfix:" not in result.stdout.str()
    result.stdout.re_match_lines([r"plugins: .*\bdockfix-\d"])  # loaded, and silent
    assert not (pytester.path / ".pytest_cache" / "d" / "dockfix").exists()


@pytest.fixture
def fake_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeDaemon]:
    # A short folder: a unix socket path must stay under ~100 bytes.
    daemon = FakeDaemon(tmp_path_factory.mktemp("fd", numbered=True))
    daemon.start()
    try:
        yield daemon
    finally:
        daemon.close()


def _watch_args(daemon: FakeDaemon, interval: str = "0.05") -> list[str]:
    return [
        "--docker-watch",
        f"--docker-pidfile={daemon.pidfile}",
        f"--docker-watch-interval={interval}",
    ]


def _env(daemon: FakeDaemon, gate: Path) -> dict[str, str]:
    return {"DOCKER_HOST": daemon.host, "GATE_DIR": str(gate)}


def test_quiet_run_reports_no_event(pytester: pytest.Pytester, fake_daemon: FakeDaemon) -> None:
    pytester.makepyfile("def test_ok():\n    pass\n")
    proc = start_pytest(
        pytester.path, *_watch_args(fake_daemon), env={"DOCKER_HOST": fake_daemon.host}
    )
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert f"daemon at start: dockerd pid {fake_daemon.process.pid}" in out  # type: ignore[union-attr]
    assert "no restart, no outage" in out
    assert "0 Docker operations" in out
    assert (pytester.path / ".pytest_cache" / "d" / "dockfix" / "audit.jsonl").exists()


def test_restart_is_reported_with_the_test_running(
    pytester: pytest.Pytester, fake_daemon: FakeDaemon
) -> None:
    pytester.makepyfile(test_gated=GATED_TESTS)
    gate = pytester.mkdir("gate")
    proc = start_pytest(pytester.path, "-v", *_watch_args(fake_daemon), env=_env(fake_daemon, gate))
    try:
        wait_for(gate / "started")
        time.sleep(0.5)  # the watch looks again: test_before is over by then
        old, new = fake_daemon.restart(down_for=0.3)
        time.sleep(0.4)  # several looks at the new process before test_during ends
        (gate / "go").write_text("")
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out  # reported, not failed (see --docker-watch-strict)
    report = out[out.index("dockfix: Docker daemon") :]
    assert f"daemon restarted: dockerd pid {old} (started" in report
    assert f"-> dockerd pid {new} (started" in report
    assert "daemon did not answer for up to" in report
    assert "during test_gated.py::test_during" in report
    assert "test_before" not in report
    assert "test_after" not in report


def test_outage_without_restart(pytester: pytest.Pytester, fake_daemon: FakeDaemon) -> None:
    pytester.makepyfile(test_gated=GATED_TESTS)
    gate = pytester.mkdir("gate")
    proc = start_pytest(pytester.path, *_watch_args(fake_daemon), env=_env(fake_daemon, gate))
    try:
        wait_for(gate / "started")
        time.sleep(0.5)  # the watch looks again: test_before is over by then
        fake_daemon.server.stop()
        time.sleep(0.4)
        fake_daemon.server.start()
        time.sleep(0.3)
        (gate / "go").write_text("")
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    report = out[out.index("dockfix: Docker daemon") :]
    assert "daemon did not answer for up to" in report
    assert "restarted" not in report
    assert "during test_gated.py::test_during" in report


def test_daemon_gone_at_the_end_and_strict_fails_the_run(
    pytester: pytest.Pytester, fake_daemon: FakeDaemon
) -> None:
    pytester.makepyfile(test_gated=GATED_TESTS)
    gate = pytester.mkdir("gate")
    proc = start_pytest(
        pytester.path,
        "--docker-watch-strict",
        *_watch_args(fake_daemon),
        env=_env(fake_daemon, gate),
    )
    try:
        wait_for(gate / "started")
        time.sleep(0.5)  # the watch looks again: test_before is over by then
        fake_daemon.close()
        (gate / "go").write_text("")
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "3 passed" in out
    assert proc.returncode == 1, out
    assert "did not answer again by the end" in out


def test_unanswering_daemon_at_start(pytester: pytest.Pytester, tmp_path: Path) -> None:
    pytester.makepyfile("def test_ok():\n    pass\n")
    proc = start_pytest(
        pytester.path,
        "--docker-watch",
        "--docker-watch-interval=0",
        f"--docker-pidfile={tmp_path / 'none.pid'}",
        env={"DOCKER_HOST": f"unix://{tmp_path / 'none.sock'}"},
    )
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "the daemon did not answer at the start" in out
    assert "during test_" in out


def test_ini_enables_it(pytester: pytest.Pytester, fake_daemon: FakeDaemon) -> None:
    pytester.makeini(
        f"[pytest]\ndocker_watch = true\ndocker_pidfile = {fake_daemon.pidfile}\n"
        "docker_watch_interval = 0\n"
    )
    pytester.makepyfile("def test_ok():\n    pass\n")
    proc = start_pytest(pytester.path, env={"DOCKER_HOST": fake_daemon.host})
    out, _ = proc.communicate(timeout=60)
    assert "no restart, no outage" in out, out


COUNTING_TESTS = """
import json, os, time

def write(op, returncode=0, refused=False, argv=None):
    record = {"v": 1, "ts": time.time(), "pid": os.getpid(), "host": "h", "op": op,
              "argv": argv or ["docker", *op.split(), "c"], "wait": 0.01, "duration": 0.05,
              "returncode": None if refused else returncode, "attempt": 1, "slot": 1,
              "error": "Error response from daemon: boom" if returncode else None,
              "refused": refused}
    with open(os.environ["DOCKFIX_AUDIT_LOG"], "a") as f:
        f.write(json.dumps(record) + "\\n")

def test_ops():
    for _ in range(3):
        write("run")
    write("stop")
    write("rm")
    write("rm", returncode=1)
    write("rm", refused=True, argv=["docker", "rm", "-f", "c"])
    write("volume rm")
"""


def test_summary_counts_match_operations(
    pytester: pytest.Pytester, fake_daemon: FakeDaemon, tmp_path: Path
) -> None:
    """The executor's audit log goes where the plugin says; only this run is summarised."""
    pytester.makepyfile(test_counting=COUNTING_TESTS)
    log = tmp_path / "given.jsonl"
    log.write_text(audit_lines(audit_record("ps"), audit_record("ps")))  # an earlier run
    proc = start_pytest(
        pytester.path,
        *_watch_args(fake_daemon),
        f"--docker-audit-log={log}",
        env={"DOCKER_HOST": fake_daemon.host},
    )
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "7 Docker operations" in out
    assert "1 failed" in out
    assert "1 refused" in out
    assert "docker rm -f c" in out
    section = out[out.index("by command") :]
    rows = {line.split()[0]: line.split()[1:] for line in section.splitlines()[2:6]}
    assert rows == {
        "run": ["3", "0"],
        "rm": ["2", "1"],
        "stop": ["1", "0"],
        "volume": ["rm", "1", "0"],
    }
    assert " ps " not in section
    assert len(log.read_text().splitlines()) == 2 + 8
    data = json.loads(
        subprocess.run(
            [sys.executable, "-m", "dockfix", "audit", str(log), "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert data["by_command"] == {"ps": 2, "run": 3, "rm": 2, "stop": 1, "volume rm": 1}


def test_audit_log_without_cache_provider(
    pytester: pytest.Pytester, fake_daemon: FakeDaemon
) -> None:
    pytester.makepyfile(test_counting=COUNTING_TESTS)
    proc = start_pytest(
        pytester.path,
        "-p",
        "no:cacheprovider",
        *_watch_args(fake_daemon, "0"),
        env={"DOCKER_HOST": fake_daemon.host, "TMPDIR": str(pytester.path)},
    )
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "7 Docker operations" in out
    (log,) = pytester.path.glob("dockfix-audit-*/audit-*.jsonl")  # in the temp dir, kept
    assert f"audit log: {log}" in out


def test_docker_executor_fixture_is_the_runtime_default(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os
        import dockfix.runtime

        def test_off(docker_executor):
            assert docker_executor is dockfix.runtime.docker_executor
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_executor_used_before_the_run_is_named(
    pytester: pytest.Pytester, fake_daemon: FakeDaemon, tmp_path: Path
) -> None:
    """A conftest that uses the executor at import time keeps its own log: the report says so."""
    own_log = tmp_path / "own.jsonl"
    pytester.makeconftest(
        """
        import dockfix.runtime

        dockfix.runtime.docker_executor.settings  # resolved before the plugin configures
        """
    )
    pytester.makepyfile("def test_ok(docker_executor):\n    pass\n")
    proc = start_pytest(
        pytester.path,
        *_watch_args(fake_daemon, "0"),
        "--docker-audit-log=relative.jsonl",
        env={"DOCKER_HOST": fake_daemon.host, "DOCKFIX_AUDIT_LOG": str(own_log)},
    )
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "the default executor was in use before the run started" in out
    assert str(own_log) in out


def test_xdist_workers_write_to_the_controllers_log(
    pytester: pytest.Pytester, fake_daemon: FakeDaemon
) -> None:
    pytest.importorskip("xdist")
    pytester.makepyfile(test_counting=COUNTING_TESTS)
    pytester.makepyfile(
        test_more="""
        import os, test_counting

        def test_more_ops():
            test_counting.write("ps")
            test_counting.write("ps")
        """
    )
    proc = start_pytest(
        pytester.path, "-n", "2", *_watch_args(fake_daemon), env={"DOCKER_HOST": fake_daemon.host}
    )
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert "9 Docker operations" in out
    assert "(2 processes)" in out
    assert out.count("dockfix: Docker daemon") == 1


def test_bad_interval_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ndocker_watch = true\ndocker_watch_interval = soon\n")
    pytester.makepyfile("def test_ok():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*docker_watch_interval: expected a number of seconds*"])
