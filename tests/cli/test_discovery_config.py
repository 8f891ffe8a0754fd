"""Which files are looked at (.gitignore, exclude, explicit paths) and [tool.dockfix]."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dockfix.config import ConfigError, load_config
from dockfix.files import discover
from tests.cli.conftest import THREE_RMS, run_proc, write


def _names(paths: list[str], base: Path) -> list[str]:
    return [str(Path(p).relative_to(base)) for p in paths]


def test_walk_honours_gitignore_and_skips_tool_folders(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, ".gitignore", "generated/\n*_gen.py\n")
    write(tmp_path, "pkg/.gitignore", "local.py\n")
    for name in (
        "a.py",
        "pkg/b.py",
        "pkg/local.py",
        "pkg/x_gen.py",
        "generated/c.py",
        ".venv/lib/d.py",
        "pkg/__pycache__/e.py",
        "notes.txt",
    ):
        write(tmp_path, name, "")
    (tmp_path / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("scratch.py\n")
    write(tmp_path, "scratch.py", "")
    found = discover([str(tmp_path)])
    assert _names(found.files, tmp_path) == ["a.py", "pkg/b.py"]


def test_exclude_globs_relative_to_project_root(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.dockfix]\nexclude = ["fixtures/**", "*_skip.py"]\n')
    for name in ("src/a.py", "src/b_skip.py", "fixtures/f.py"):
        write(tmp_path, name, "")
    config = load_config(tmp_path)
    found = discover([str(tmp_path)], exclude=config.exclude, root=config.root)
    assert _names(found.files, tmp_path) == ["src/a.py"]


def test_explicit_paths_are_processed_unless_force_exclude(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.dockfix]\nexclude = ["fixtures/**"]\n')
    write(tmp_path, "fixtures/q/f.py", "")
    config = load_config(tmp_path)
    kwargs = {"exclude": config.exclude, "root": config.root}
    folder = str(tmp_path / "fixtures" / "q")
    assert len(discover([folder], **kwargs).files) == 1
    assert len(discover([folder + "/f.py"], **kwargs).files) == 1
    assert discover([folder + "/f.py"], force_exclude=True, **kwargs).files == []


def test_exclude_from_config_through_the_cli(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.dockfix]\nexclude = ["legacy/**"]\n')
    write(tmp_path, "legacy/old.py", THREE_RMS)
    write(tmp_path, "clean.py", "")
    assert run_proc("check", ".", cwd=tmp_path).code == 0
    assert run_proc("check", "legacy", cwd=tmp_path).code == 1


def test_config_found_walking_up_and_applied(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.dockfix]\nignore = ["DF001"]\nstop-timeout = 3\n')
    write(tmp_path, "deep/er/a.py", THREE_RMS)
    config = load_config(tmp_path / "deep" / "er" / "a.py")
    assert config.settings.ignore == frozenset({"DF001"})
    assert config.settings.stop_timeout == 3
    assert config.root == tmp_path.resolve()
    assert run_proc("check", str(tmp_path / "deep")).code == 0


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.dockfix]\nselect = ["DF002"]\n')
    write(tmp_path, "sub/pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(tmp_path / "sub").settings.select == frozenset({"DF002"})


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('select = "DF001"', "select"),
        ('ignore = ["not a code"]', "ignore"),
        ("exclude = [1]", "exclude"),
        ("stop-timeout = -1", "stop-timeout"),
        ("stop-timeout = true", "stop-timeout"),
        ('executor = "no colon"', "executor"),
        # found by a review: these passed, then every fix failed on them
        ('executor = "a.:run"', "executor"),
        ('executor = "a..b:run"', "executor"),
        ('executor = "if:run"', "executor"),
        ('executor = "mod:class"', "executor"),
        ('executor = "__future__:run"', "executor"),
        ('runner = "self.if"', "runner"),
        ('runner = "a.:b"', "runner"),
        ('runner = "not valid!"', "runner"),
        ("colour = 1", "colour"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, toml: str, key: str) -> None:
    write(tmp_path, "pyproject.toml", f"[tool.dockfix]\n{toml}\n")
    with pytest.raises(ConfigError, match=key):
        load_config(tmp_path)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.dockfix\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml"):
        load_config(tmp_path)


def test_full_config_is_accepted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        "[tool.dockfix]\n"
        'select = ["DF0"]\nignore = ["DF006"]\nexclude = ["x/**"]\nstop-timeout = 30\n'
        'executor = "myproj.docker:executor"\nrunner = "self.run_docker"\n',
    )
    settings = load_config(tmp_path).settings
    assert settings.executor == "myproj.docker:executor"
    assert settings.runner == "self.run_docker"
    assert settings.enabled("DF001")
    assert not settings.enabled("DF006")


def test_exclude_matches_through_a_symlinked_folder_in_the_path(tmp_path: Path) -> None:
    project = tmp_path / "real"
    write(project, "pyproject.toml", '[tool.dockfix]\nexclude = ["gen/**"]\n')
    write(project, "gen/g.py", "")
    write(project, "src/s.py", "")
    (tmp_path / "alias").symlink_to(project)
    alias = tmp_path / "alias"
    config = load_config(alias)
    found = discover([str(alias)], exclude=config.exclude, root=config.root)
    assert _names(found.files, alias) == ["src/s.py"]


@pytest.mark.parametrize(
    ("executor", "runner"),
    [("match.x:run", "case.run"), ("équipe.docker:exécuteur", "équipe:lancer"), ("a:b.c", "x")],
)
def test_soft_keywords_and_unicode_names_are_names(
    tmp_path: Path, executor: str, runner: str
) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        f'[tool.dockfix]\nexecutor = "{executor}"\nrunner = "{runner}"\n',
    )
    settings = load_config(tmp_path).settings
    assert (settings.executor, settings.runner) == (executor, runner)
