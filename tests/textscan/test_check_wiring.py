"""`dockfix check --include-non-python` (and the `include-non-python` configuration key)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dockfix.cli import app

FILES = {
    "Makefile": "clean:\n\tdocker rm -f web || true\n",
    "ci/clean.sh": "set -e\ndocker kill db\n",
    ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: docker volume rm -f v\n",
    "docker/Dockerfile": "FROM x\nRUN docker rm -f y\n",
    "ok.py": "import os\n",
    "notes.txt": "docker rm -f z\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout


def _found(output: str) -> list[tuple[str, str]]:
    return sorted((item["path"], item["code"]) for item in json.loads(output))


def test_off_by_default(project: Path) -> None:
    code, out = run("check", "--format", "json", ".")
    assert code == 0
    assert _found(out) == []


def test_flag_reports_each_dialect(project: Path) -> None:
    code, out = run("check", "--include-non-python", "--format", "json", ".")
    assert code == 1
    assert _found(out) == [
        (".github/workflows/ci.yml", "DF003"),
        ("Makefile", "DF001"),
        ("ci/clean.sh", "DF002"),
        ("docker/Dockerfile", "DF001"),
    ]
    assert all(not item["fixable"] for item in json.loads(out))


def test_select_applies(project: Path) -> None:
    code, out = run("check", "--include-non-python", "--select", "DF002", "--format", "json", ".")
    assert code == 1
    assert _found(out) == [("ci/clean.sh", "DF002")]


def test_configuration_key_and_its_override(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.dockfix]\ninclude-non-python = true\n")
    code, out = run("check", "--format", "json", ".")
    assert code == 1
    assert len(_found(out)) == 4
    assert run("check", "--python-only", ".")[0] == 0


def test_bad_configuration_value(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.dockfix]\ninclude-non-python = "yes"\n')
    assert run("check", ".")[0] == 2


def test_stdin_with_a_makefile_name(project: Path) -> None:
    code, out = run(
        "check",
        "--include-non-python",
        "--stdin-filename",
        "Makefile",
        "--format",
        "json",
        "-",
        stdin="x:\n\tdocker kill a\n",
    )
    assert code == 1
    assert _found(out) == [("Makefile", "DF002")]


def test_fix_leaves_non_python_files_alone(project: Path) -> None:
    before = {name: (project / name).read_bytes() for name in FILES}
    run("fix", ".")
    assert {name: (project / name).read_bytes() for name in FILES} == before
