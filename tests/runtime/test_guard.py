"""The runtime guard: every force/kill form is refused; -f of other subcommands is not force."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dockfix.runtime import DockerExecutor, ForceRefusedError
from tests.runtime._support import audit_records

REFUSED = [
    pytest.param(["docker", "rm", "-f", "c1"], "stop_and_remove", id="rm -f"),
    pytest.param(["docker", "rm", "--force", "c1"], "stop_and_remove", id="rm --force"),
    pytest.param(["docker", "rm", "--force=true", "c1"], "stop_and_remove", id="rm --force=true"),
    pytest.param(["docker", "rm", "-fv", "c1"], "stop_and_remove", id="rm -fv"),
    pytest.param(["docker", "rm", "-vf", "c1"], "stop_and_remove", id="rm -vf"),
    pytest.param(["docker", "rm", "c1", "c2", "-f"], "stop_and_remove", id="rm flag after names"),
    pytest.param(["docker", "container", "rm", "-f", "c1"], "stop_and_remove", id="container rm"),
    pytest.param(
        ["docker", "container", "remove", "--force", "c1"], "stop_and_remove", id="container remove"
    ),
    pytest.param(["docker", "-H", "tcp://h:2375", "rm", "-f", "c"], "stop_and_remove", id="-H"),
    pytest.param(["docker", "--context", "ci", "rm", "-f", "c"], "stop_and_remove", id="--context"),
    pytest.param(["docker", "--context=ci", "rm", "-f", "c"], "stop_and_remove", id="--context="),
    pytest.param(["docker", "--debug", "rm", "-f", "c"], "stop_and_remove", id="--debug"),
    pytest.param(["/usr/bin/docker", "rm", "-f", "c"], "stop_and_remove", id="full path"),
    pytest.param(["podman", "rm", "-f", "c"], "stop_and_remove", id="podman"),
    pytest.param(["docker", "kill", "c1"], "stop", id="kill default"),
    pytest.param(["docker", "container", "kill", "c1"], "stop", id="container kill"),
    pytest.param(["docker", "kill", "-s", "KILL", "c1"], "stop", id="kill -s KILL"),
    pytest.param(["docker", "kill", "--signal=SIGKILL", "c1"], "stop", id="kill --signal=SIGKILL"),
    pytest.param(["docker", "kill", "--signal", "9", "c1"], "stop", id="kill --signal 9"),
    pytest.param(["docker", "kill", "-skill", "c1"], "stop", id="kill -skill"),
    pytest.param(["docker", "-H", "unix:///x.sock", "kill", "c1"], "stop", id="kill after -H"),
    pytest.param(["docker", "stop", "--signal", "KILL", "c1"], "stop", id="stop --signal KILL"),
    pytest.param(["docker", "container", "stop", "-s", "9", "c1"], "stop", id="stop -s 9"),
    pytest.param(["docker", "volume", "rm", "-f", "v1"], "remove_volumes", id="volume rm -f"),
    pytest.param(
        ["docker", "volume", "rm", "--force", "v1"], "remove_volumes", id="volume --force"
    ),
    pytest.param(["docker", "volume", "remove", "-f", "v1"], "remove_volumes", id="volume remove"),
    pytest.param(
        ["docker", "--context", "x", "volume", "rm", "v1", "-f"], "remove_volumes", id="volume ctx"
    ),
    pytest.param([b"docker", b"rm", b"-f", b"c1"], "stop_and_remove", id="bytes argv"),
    pytest.param(("docker", "rm", "-f", "c1"), "stop_and_remove", id="tuple argv"),
]

ALLOWED = [
    pytest.param(["docker", "build", "-f", "Dockerfile", "."], id="build -f"),
    pytest.param(["docker", "logs", "-f", "c1"], id="logs -f"),
    pytest.param(["docker", "ps", "-f", "status=exited"], id="ps -f"),
    pytest.param(["docker", "images", "-f", "dangling=true"], id="images -f"),
    pytest.param(["docker", "compose", "-f", "x.yml", "rm", "-f"], id="compose rm -f"),
    pytest.param(["docker", "compose", "kill"], id="compose kill"),
    pytest.param(["docker", "system", "prune", "-f"], id="system prune -f"),
    pytest.param(["docker", "container", "prune", "-f"], id="container prune -f"),
    pytest.param(["docker", "volume", "prune", "-f"], id="volume prune -f"),
    pytest.param(["docker", "rm", "--force=false", "c1"], id="rm --force=false"),
    pytest.param(["docker", "rm", "-v", "c1"], id="rm -v"),
    pytest.param(["docker", "rm", "--", "-f"], id="rm name after --"),
    pytest.param(["docker", "kill", "-s", "HUP", "c1"], id="kill HUP"),
    pytest.param(["docker", "kill", "--signal=SIGUSR1", "c1"], id="kill USR1"),
    pytest.param(["docker", "exec", "c1", "rm", "-f", "/data/x"], id="exec rm -f"),
    pytest.param(["docker", "run", "--rm", "img", "rm", "-f", "/x"], id="run rm -f"),
    pytest.param(["docker", "-H", "rm", "ps"], id="host named rm"),
    pytest.param(["docker", "stop", "-t", "5", "c1"], id="stop"),
    pytest.param(["docker", "stop", "-t", "5", "-s", "SIGINT", "c1"], id="stop --signal INT"),
    pytest.param(["docker", "stop", "-t", "0", "c1"], id="stop -t 0 (explicit, not refused)"),
    pytest.param(["docker", "rmi", "-f", "img"], id="rmi -f (reported, not refused)"),
    pytest.param(["docker", "network", "rm", "-f", "n"], id="network rm -f"),
    pytest.param(["rm", "-f", "/tmp/x"], id="not docker"),
    pytest.param(["docker-compose", "rm", "-f"], id="docker-compose rm -f"),
    pytest.param(["docker-compose", "kill"], id="docker-compose kill"),
]


@pytest.fixture
def executor(tmp_path: Path) -> DockerExecutor:
    return DockerExecutor(lock_dir=tmp_path / "locks", audit_log=tmp_path / "audit.jsonl")


@pytest.mark.parametrize(("argv", "safe"), REFUSED)
def test_force_forms_are_refused_before_running(
    executor: DockerExecutor, argv: list[str], safe: str, tmp_path: Path
) -> None:
    with pytest.raises(ForceRefusedError) as info:
        executor.run(argv)
    assert isinstance(info.value, ValueError)
    assert info.value.safe_method == safe
    assert f"docker_executor.{safe}(" in str(info.value)
    assert "allow_force=True" in str(info.value)
    (record,) = audit_records(tmp_path / "audit.jsonl")
    assert record["refused"] is True
    assert record["returncode"] is None
    assert record["duration"] == 0


@pytest.mark.parametrize(("argv", "safe"), REFUSED[:3] + REFUSED[14:15] + REFUSED[23:24])
def test_every_entry_point_is_guarded(executor: DockerExecutor, argv: list[str], safe: str) -> None:
    for method in (executor.run, executor.call, executor.check_call, executor.check_output):
        with pytest.raises(ForceRefusedError):
            method(argv)


@pytest.mark.parametrize("argv", [p.values[0] for p in REFUSED])
def test_allow_force_lets_them_through(tmp_path: Path, argv: list[str]) -> None:
    fake = tmp_path / "bin" / "docker"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    argv = [str(fake), *argv[1:]] if isinstance(argv[0], str) else argv
    executor = DockerExecutor(lock_dir=tmp_path / "locks", allow_force=True, docker=str(fake))
    if isinstance(argv[0], bytes):
        argv = [str(fake).encode(), *argv[1:]]
    assert executor.call(argv) == 0


@pytest.mark.parametrize("argv", ALLOWED)
def test_other_dash_f_is_not_force(tmp_path: Path, argv: list[str]) -> None:
    from dockfix.runtime._argv import program_is_docker, refusal

    assert not program_is_docker(argv[0], "docker") or refusal(argv) is None


def test_refused_even_inside_asyncio(executor: DockerExecutor) -> None:
    import asyncio

    async def main() -> None:
        with pytest.raises(ForceRefusedError):
            await executor.aio.run(["docker", "rm", "-f", "c1"])
        with pytest.raises(ForceRefusedError):
            await executor.aio.create_subprocess_exec("docker", "kill", "c1")

    asyncio.run(main())


BAD_NAMES = [
    pytest.param(("",), ValueError, "empty", id="empty"),
    pytest.param(("  ",), ValueError, "empty", id="blank"),
    pytest.param(("-f",), ValueError, "read as a flag", id="flag-like"),
    pytest.param(("ok", "--force"), ValueError, "read as a flag", id="flag-like second"),
    pytest.param((None,), TypeError, "must be a str", id="None"),
    pytest.param((42,), TypeError, "must be a str", id="int"),
    pytest.param((b"c1",), TypeError, "must be a str", id="bytes"),
    pytest.param((["a", "b"],), TypeError, "separate arguments", id="list"),
]


@pytest.mark.parametrize(("names", "exc", "text"), BAD_NAMES)
def test_bad_names_never_run_a_command(
    executor: DockerExecutor, names: tuple[object, ...], exc: type[Exception], text: str
) -> None:
    for method in (executor.stop_and_remove, executor.stop, executor.remove_volumes):
        with pytest.raises(exc, match=text):
            method(*names)  # type: ignore[arg-type]
    assert not (Path(executor.settings.audit_log or "")).exists()


def test_bad_argv_is_rejected(executor: DockerExecutor) -> None:
    with pytest.raises(TypeError, match="argv list"):
        executor.run("docker rm -f c1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="shell=True"):
        executor.run(["docker", "ps"], shell=True)
    with pytest.raises(ValueError, match="empty argv"):
        executor.run([])
    with pytest.raises(TypeError):
        executor.run(["docker", None])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        executor.stop_and_remove("c1", global_args="-H x")
    with pytest.raises(ValueError, match="stop timeout"):
        executor.stop("c1", timeout=-1)


def test_no_names_is_a_no_op(executor: DockerExecutor) -> None:
    result = executor.stop_and_remove(capture_output=True, text=True)
    assert result.returncode == 0
    assert (result.stdout, result.stderr) == ("", "")
    assert executor.remove_volumes().returncode == 0
    assert executor.stop().returncode == 0
    assert not Path(executor.settings.audit_log or "").exists()


def test_check_output_rejects_stdout(executor: DockerExecutor) -> None:
    with pytest.raises(ValueError, match="stdout argument not allowed"):
        executor.check_output(["docker", "ps"], stdout=subprocess.PIPE)
