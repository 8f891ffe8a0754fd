"""Security: no shell, no option injection, no import of the configured target, no write
outside the paths given; bad API input never becomes a docker command."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any, Callable

import pytest

from dockfix.runtime import DockerExecutor, ForceRefusedError
from tests.reliability import _figures
from tests.reliability._cli import FIXABLE, REPO, fixed_bytes, run_cli, snapshot
from tests.runtime._support import write_program

RECORDER = """#!{python}
import json, os, sys
with open(os.environ["DFX_ARGV_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
"""


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DockerExecutor, Path]:
    """An executor whose ``docker`` records its argv (JSON lines) and does nothing else."""
    import sys

    log = tmp_path / "argv.jsonl"
    log.touch()
    program = write_program(tmp_path / "bin" / "docker", RECORDER.format(python=sys.executable))
    monkeypatch.setenv("DFX_ARGV_LOG", str(log))
    executor = DockerExecutor(
        docker=program, lock_dir=tmp_path / "locks", max_concurrent=2, min_interval=0, retries=0
    )
    return executor, log


def _argvs(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


HOSTILE = ["x; touch {m}", "$(touch {m})", "`touch {m}`", "a b", "x|touch {m}", "x\ntouch {m}"]


def test_names_reach_docker_verbatim_after_double_dash_never_through_a_shell(
    recorder: tuple[DockerExecutor, Path], tmp_path: Path
) -> None:
    executor, log = recorder
    marker = tmp_path / "marker"
    names = [h.format(m=marker) for h in HOSTILE]
    executor.stop_and_remove(*names)
    executor.stop(*names)
    executor.remove_volumes(*names)
    executor.run([executor.settings.docker, "inspect", "--", *names])
    _figures.count("security", hostile_names=len(names) * 4)
    assert not marker.exists()
    argvs = _argvs(log)
    assert len(argvs) == 5  # stop, rm, stop, volume rm, inspect
    for argv in argvs:
        assert argv[argv.index("--") + 1 :] == names


BAD_NAMES: list[Any] = ["", "   ", "-f", "--rm", "-", 5, None, b"bytes", ["a", "b"], ("a",)]


@pytest.mark.parametrize("bad", BAD_NAMES, ids=repr)
@pytest.mark.parametrize("method", ["stop_and_remove", "stop", "remove_volumes"])
def test_bad_names_give_a_clear_error_and_no_docker_command(
    recorder: tuple[DockerExecutor, Path], method: str, bad: Any
) -> None:
    executor, log = recorder
    call: Callable[..., Any] = getattr(executor, method)
    with pytest.raises((TypeError, ValueError)) as info:
        call("good-name", bad)
    _figures.count("security", bad_api_inputs=1)
    assert "name" in str(info.value)
    assert _argvs(log) == []


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        ("docker ps", {}, TypeError),
        (["docker", "ps"], {"shell": True}, ValueError),
        ([], {}, ValueError),
        (["docker", "rm", "-f", "c"], {}, ForceRefusedError),
        (["docker", "rm", "-vf", "c"], {}, ForceRefusedError),
        (["docker", "container", "rm", "c", "--force"], {}, ForceRefusedError),
        (["docker", "kill", "c"], {}, ForceRefusedError),
        (["docker", "volume", "rm", "-f", "v"], {}, ForceRefusedError),
        (["docker", "stop", "--signal", "KILL", "c"], {}, ForceRefusedError),
        (["docker", "ps", None], {}, TypeError),
    ],
    ids=str,
)
def test_mirrors_refuse_before_running(
    recorder: tuple[DockerExecutor, Path], args: Any, kwargs: dict[str, Any], error: type
) -> None:
    executor, log = recorder
    if isinstance(args, list) and args:
        args = [executor.settings.docker, *args[1:]]
    with pytest.raises(error):
        executor.run(args, **kwargs)
    _figures.count("security", refused_mirror_calls=1)
    assert _argvs(log) == []


def test_runtime_source_never_asks_for_a_shell() -> None:
    """No ``shell=True``, ``os.system`` or ``os.popen`` anywhere in dockfix.runtime."""
    for path in sorted((REPO / "src" / "dockfix" / "runtime").glob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "shell":
                assert isinstance(node.value, ast.Constant), path
                assert node.value.value is False, path
            if isinstance(node, ast.Attribute) and node.attr in ("system", "popen", "spawnlp"):
                raise AssertionError(f"{path}:{node.lineno}: os.{node.attr}")
            if isinstance(node, ast.Attribute) and node.attr == "create_subprocess_shell":
                raise AssertionError(f"{path}:{node.lineno}: create_subprocess_shell")


# ---- the CLI never runs the configured target, never writes outside its paths ----------

TARGET = """
import os, pathlib
pathlib.Path(os.environ["DFX_MARKER"]).write_text("imported")
docker_executor = None
def run(argv):
    pathlib.Path(os.environ["DFX_MARKER"]).write_text("called")
"""


@pytest.mark.parametrize(
    "setting", ['executor = "evil_target:docker_executor"', 'runner = "evil_target:run"']
)
def test_check_and_fix_never_import_the_configured_target(tmp_path: Path, setting: str) -> None:
    tree, lib = tmp_path / "tree", tmp_path / "lib"
    tree.mkdir()
    lib.mkdir()
    (lib / "evil_target.py").write_text(TARGET)
    (tree / "evil_target.py").write_text(TARGET)  # cwd is on sys.path under `python -m`
    (tree / "pyproject.toml").write_text(f"[tool.dockfix]\n{setting}\n")
    (tree / "m.py").write_bytes(
        b'import subprocess\n\nsubprocess.run(["docker", "rm", "-f", "c"])\n'
    )
    marker = tmp_path / "marker"
    extra = {"DFX_MARKER": str(marker), "PYTHONPATH": f"{lib}{os.pathsep}{REPO}"}
    for args in (["check", "."], ["check", "--format", "sarif", "."], ["fix", "--diff", "."]):
        done = run_cli(*args, cwd=tree, extra_env=extra)
        assert done.returncode == 1, done.stderr
    done = run_cli("fix", ".", cwd=tree, extra_env=extra)
    _figures.count("security", target_never_imported=4)
    assert done.returncode == 0, done.stderr
    assert b"evil_target" in (tree / "m.py").read_bytes()
    assert not marker.exists(), marker.read_text()


def test_never_writes_outside_the_paths_given(tmp_path: Path) -> None:
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    data = FIXABLE.format(n=1).encode()
    (outside / "victim.py").write_bytes(data)
    (outside / "sibling.py").write_bytes(data)
    (tree / "own.py").write_bytes(data)
    (tree / "link.py").symlink_to(outside / "victim.py")
    (tree / "dirlink").symlink_to(outside)
    before = snapshot(outside)
    done = run_cli("fix", "tree", cwd=tmp_path)
    _figures.count("security", outside_links=2)
    assert done.returncode == 0, done.stderr
    assert "outside the tree" in done.stderr
    assert snapshot(outside) == before
    assert (tree / "own.py").read_bytes() == fixed_bytes(data)
    asked = run_cli("fix", "--follow-symlinks", "tree", cwd=tmp_path)
    assert asked.returncode == 0, asked.stderr
    assert (outside / "victim.py").read_bytes() == fixed_bytes(data)
    assert (tree / "link.py").is_symlink()
    assert (outside / "sibling.py").read_bytes() == data  # a linked folder is never walked


def test_check_writes_nothing_at_all(tmp_path: Path) -> None:
    for n in range(10):
        (tmp_path / f"m{n}.py").write_bytes(FIXABLE.format(n=n).encode())
    before = snapshot(tmp_path)
    names = sorted(os.listdir(tmp_path))
    for args in (["check", "."], ["check", "--diff", "."], ["fix", "--diff", "."]):
        done = run_cli(*args, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
    assert snapshot(tmp_path) == before
    assert sorted(os.listdir(tmp_path)) == names
