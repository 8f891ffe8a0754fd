"""Transient errors are retried with bounded backoff; others are not; errors keep their kind."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from dockfix.runtime import DockerCommandError, DockerExecutor, DockerUnavailableError
from tests.runtime._support import audit_records, fake_docker

IN_PROGRESS = "Error response from daemon: removal of container c1 is already in progress"


def failing_then_ok(bin_dir: Path, trace: Path, message: str, failures: int) -> str:
    """A fake docker that fails ``failures`` times with ``message``, then succeeds."""
    count = bin_dir / "count"
    script = (
        f"n=$(cat {count} 2>/dev/null || echo 0); echo $((n+1)) > {count}\n"
        f'if [ "$n" -lt {failures} ]; then echo "{message}" >&2; exit 1; fi\n'
        'echo "$@"'
    )
    return fake_docker(bin_dir, trace, script)


def make(tmp_path: Path, docker: str = "docker", **kw: object) -> DockerExecutor:
    return DockerExecutor(
        lock_dir=tmp_path / "locks",
        audit_log=tmp_path / "audit.jsonl",
        docker=docker,
        min_interval=0,
        backoff=0.05,
        **kw,  # type: ignore[arg-type]
    )


def test_removal_in_progress_is_retried(tmp_path: Path) -> None:
    docker = failing_then_ok(tmp_path / "bin", tmp_path / "trace", IN_PROGRESS, 2)
    ex = make(tmp_path, docker)
    result = ex.run([docker, "rm", "c1"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout == "rm c1\n"
    records = audit_records(tmp_path / "audit.jsonl")
    assert [r["attempt"] for r in records] == [1, 2, 3]
    assert [r["returncode"] for r in records] == [1, 1, 0]
    assert "already in progress" in records[0]["error"]


def test_uncaptured_stderr_is_still_read_and_handed_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docker = failing_then_ok(tmp_path / "bin", tmp_path / "trace", IN_PROGRESS, 1)
    ex = make(tmp_path, docker)
    assert ex.call([docker, "rm", "c1"], stdout=subprocess.DEVNULL) == 0
    result = ex.run([docker, "rm", "c1"])
    assert result.stderr is None  # the caller did not capture it


def test_persistent_transient_error_gives_up_within_bounds(tmp_path: Path) -> None:
    docker = failing_then_ok(tmp_path / "bin", tmp_path / "trace", IN_PROGRESS, 99)
    ex = make(tmp_path, docker, retries=3, max_backoff=0.2)
    t0 = time.monotonic()
    with pytest.raises(DockerCommandError) as info:
        ex.check_call([docker, "rm", "c1"], stderr=subprocess.PIPE)
    assert time.monotonic() - t0 < 3
    assert isinstance(info.value, subprocess.CalledProcessError)
    assert not isinstance(info.value, DockerUnavailableError)
    assert info.value.attempts == 4
    assert "already in progress" in str(info.value)
    result = ex.run([docker, "rm", "c1"], capture_output=True)
    assert result.returncode == 1


@pytest.mark.skipif(shutil.which("docker") is None, reason="needs the docker CLI (no daemon)")
def test_unreachable_daemon_fails_fast_with_a_clear_error(tmp_path: Path) -> None:
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "DOCKER_HOST": "unix:///nonexistent.sock"}
    ex = make(tmp_path, "docker", retries=3)
    t0 = time.monotonic()
    with pytest.raises(DockerUnavailableError) as info:
        ex.run(["docker", "ps"], env=env, check=True, capture_output=True)
    assert time.monotonic() - t0 < 10
    assert info.value.attempts == 4
    assert "Cannot connect to the Docker daemon" in str(info.value)
    assert isinstance(info.value, subprocess.CalledProcessError)

    result = ex.stop_and_remove("c1", env=env, capture_output=True)
    assert result.returncode != 0  # check=False: the failed result, no exception
    with pytest.raises(DockerUnavailableError):
        ex.stop_and_remove("c1", env=env, check=True)
    with pytest.raises(DockerUnavailableError):
        ex.remove_volumes("v1", env=env, check=True)
    with pytest.raises(DockerUnavailableError):
        ex.stop("c1", env=env, check=True)
    ops = [r["op"] for r in audit_records(tmp_path / "audit.jsonl")]
    assert "rm" not in ops  # no removal once the stop found no daemon


@pytest.mark.parametrize(
    "message",
    [
        "failed to connect to the docker API at unix:///x.sock; check if the path is correct",
        "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is it running?",
    ],
)
def test_unreachable_wordings_of_cli_versions(tmp_path: Path, message: str) -> None:
    docker = failing_then_ok(tmp_path / "bin", tmp_path / "trace", message, 99)
    ex = make(tmp_path, docker, retries=1)
    with pytest.raises(DockerUnavailableError):
        ex.check_output([docker, "ps"], stderr=subprocess.PIPE)


def test_permanent_errors_are_not_retried(tmp_path: Path) -> None:
    message = "permission denied while trying to connect to the Docker daemon socket"
    docker = failing_then_ok(tmp_path / "bin", tmp_path / "trace", message, 99)
    ex = make(tmp_path, docker)
    assert ex.call([docker, "ps"], stderr=subprocess.PIPE) == 1
    assert len(audit_records(tmp_path / "audit.jsonl")) == 1
    with pytest.raises(DockerUnavailableError, match="permission denied") as info:
        ex.check_call([docker, "ps"], stderr=subprocess.PIPE)
    assert info.value.attempts == 1
    docker = failing_then_ok(tmp_path / "bin2", tmp_path / "trace2", "Error: bad flag", 99)
    with pytest.raises(DockerCommandError) as failed:
        ex.check_call([docker, "ps"], stderr=subprocess.PIPE)
    assert type(failed.value) is DockerCommandError
    assert failed.value.attempts == 1


@pytest.mark.parametrize(
    "message",
    ["Error response from daemon: No such container: c1", "Error: No such container: c1"],
)
def test_missing_container_in_both_forms_is_success(tmp_path: Path, message: str) -> None:
    docker = failing_then_ok(tmp_path / "bin", tmp_path / "trace", message, 99)
    ex = make(tmp_path, docker)
    assert ex.stop_and_remove("c1").returncode == 0
    assert ex.stop_and_remove("c1", missing_ok=False).returncode == 1
    with pytest.raises(DockerCommandError):
        ex.stop_and_remove("c1", missing_ok=False, check=True)


def test_safe_methods_read_stderr_whatever_the_caller_asked(tmp_path: Path) -> None:
    message = "Error response from daemon: No such container: c1"
    docker = failing_then_ok(tmp_path / "bin", tmp_path / "trace", message, 99)
    ex = make(tmp_path, docker)
    assert ex.stop_and_remove("c1", stderr=subprocess.DEVNULL).returncode == 0
    assert ex.stop("c1", missing_ok=True, stderr=subprocess.DEVNULL).returncode == 0
    with open(tmp_path / "err.txt", "w") as err:
        assert ex.stop_and_remove("c1", missing_ok=False, stderr=err).returncode == 1
    assert "No such container" in (tmp_path / "err.txt").read_text()
    with open(tmp_path / "err.bin", "wb") as errb:
        assert ex.stop("c1", stderr=errb).returncode == 1
    assert b"No such container" in (tmp_path / "err.bin").read_bytes()


def test_stop_process_timeout_exceeds_the_grace_period(tmp_path: Path) -> None:
    # `docker stop -t 1` of a container that takes the whole grace period (and more, for the
    # daemon round trip) must not be cut off at 1 s.
    docker = fake_docker(tmp_path / "bin", tmp_path / "trace", "sleep 1.5")
    ex = make(tmp_path, docker)
    assert ex.stop("c1", timeout=1, check=True).returncode == 0
    (record,) = audit_records(tmp_path / "audit.jsonl")
    assert record["argv"] == [docker, "stop", "-t", "1", "--", "c1"]
    assert record["duration"] >= 1.4


def test_async_retries(tmp_path: Path) -> None:
    import asyncio

    docker = failing_then_ok(tmp_path / "bin", tmp_path / "trace", IN_PROGRESS, 2)
    ex = make(tmp_path, docker)
    out = asyncio.run(ex.aio.check_output([docker, "rm", "c1"], stderr=subprocess.PIPE))
    assert out == b"rm c1\n"
    assert [r["attempt"] for r in audit_records(tmp_path / "audit.jsonl")] == [1, 2, 3]
