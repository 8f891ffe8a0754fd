"""The content cache (``dockfix.cli._cache``): a second run does not analyse unchanged files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dockfix.cli import _process
from tests.cli.conftest import THREE_RMS, run_app, write

# Mentions docker (so the byte prefilter lets it through) but has no finding.
QUIET = '"""Talks about docker, calls nothing."""\n\nIMAGE = "docker.io/library/alpine"\n'


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths analysed (files are few, so they are processed in this process)."""
    monkeypatch.delenv("DOCKFIX_NO_CACHE", raising=False)
    monkeypatch.delenv("DOCKFIX_CACHE_DIR", raising=False)
    seen: list[str] = []
    real = _process.analyze_bytes

    def counting(data: bytes, task: Any) -> Any:
        seen.append(task.path)
        return real(data, task)

    monkeypatch.setattr(_process, "analyze_bytes", counting)
    return seen


def _project(tmp_path: Path) -> Path:
    write(tmp_path, "pyproject.toml", "[tool.dockfix]\n")
    write(tmp_path, "clean.py", QUIET)
    return write(tmp_path, "a.py", THREE_RMS)


def test_second_run_uses_the_cache(tmp_path: Path, calls: list[str]) -> None:
    _project(tmp_path)
    first = run_app("check", str(tmp_path))
    assert len(calls) == 2
    assert (tmp_path / ".dockfix_cache").is_dir()
    second = run_app("check", str(tmp_path))
    assert len(calls) == 2, "the second run analysed again"
    assert (second.code, second.stdout) == (first.code, first.stdout)
    assert first.stdout.count("DF001") == 3


def test_content_change_invalidates(tmp_path: Path, calls: list[str]) -> None:
    path = _project(tmp_path)
    run_app("check", str(tmp_path))
    path.write_text(THREE_RMS.replace('"c3"', '"c4"'))
    result = run_app("check", str(tmp_path))
    assert calls[2:] == [str(path)]
    assert '"c4"' not in result.stdout
    assert result.stdout.count("DF001") == 3


def test_settings_change_invalidates(tmp_path: Path, calls: list[str]) -> None:
    _project(tmp_path)
    run_app("check", str(tmp_path))
    result = run_app("check", "--ignore", "DF001", str(tmp_path))
    assert len(calls) == 4
    assert "DF001" not in result.stdout
    (tmp_path / "pyproject.toml").write_text("[tool.dockfix]\nstop-timeout = 3\n")
    run_app("check", str(tmp_path))
    assert len(calls) == 6


def test_corrupted_entry_is_ignored(tmp_path: Path, calls: list[str]) -> None:
    _project(tmp_path)
    first = run_app("check", str(tmp_path))
    entries = list((tmp_path / ".dockfix_cache").rglob("*.json"))
    assert len(entries) == 2
    for number, entry in enumerate(entries):
        entry.write_bytes(b"{not json" if number else b'{"key": "x", "findings": []}')
    second = run_app("check", str(tmp_path))
    assert len(calls) == 4
    assert (second.code, second.stdout) == (first.code, first.stdout)
    run_app("check", str(tmp_path))
    assert len(calls) == 4, "the corrupted entries were rewritten"


@pytest.mark.parametrize("how", ["flag", "env"])
def test_no_cache_bypasses(
    tmp_path: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    _project(tmp_path)
    args = ["check", "--no-cache", str(tmp_path)] if how == "flag" else ["check", str(tmp_path)]
    if how == "env":
        monkeypatch.setenv("DOCKFIX_NO_CACHE", "1")
    run_app(*args)
    run_app(*args)
    assert len(calls) == 4
    assert not (tmp_path / ".dockfix_cache").exists()


def test_fix_skips_only_files_without_findings(tmp_path: Path, calls: list[str]) -> None:
    path = _project(tmp_path)
    run_app("check", str(tmp_path))
    assert len(calls) == 2
    result = run_app("fix", "--diff", str(tmp_path))
    assert calls[2:] == [str(path)], "the clean file is known clean; the other needs a fix"
    assert result.code == 1
    assert "+++" in result.stdout
    run_app("fix", str(tmp_path))
    assert "docker_executor" in path.read_text()
    run_app("fix", "--no-cache", str(tmp_path))
    assert len(calls) == 6


def test_cache_dir_override_and_no_project(
    tmp_path: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKFIX_CACHE_DIR", str(tmp_path / "elsewhere"))
    write(tmp_path / "src", "a.py", THREE_RMS)
    run_app("check", str(tmp_path / "src"))
    run_app("check", str(tmp_path / "src"))
    assert len(calls) == 1
    assert list((tmp_path / "elsewhere").rglob("*.json"))


def test_the_salt_names_every_rule_in_order() -> None:
    """A new or removed rule changes the key (the salt reads the codes from the trigger
    table, which is cheaper to import than the rules)."""
    import json

    from dockfix.cli import _cache
    from dockfix.engine import Settings
    from dockfix.rules import ALL_RULES

    assert json.loads(_cache.salt(Settings()))["rules"] == [rule.CODE for rule in ALL_RULES]


def test_sarif_runs_use_the_cache_and_keep_the_fixes(tmp_path: Path, calls: list[str]) -> None:
    """SARIF needs each fixable finding's own fix: a plain check entry lacks them (the file
    with findings is analysed again), an entry a SARIF run wrote has them."""
    path = _project(tmp_path)
    run_app("check", str(tmp_path))
    assert len(calls) == 2
    first = run_app("check", "--format", "sarif", str(tmp_path))
    assert calls[2:] == [str(path)], "the clean file's entry serves SARIF as it is"
    assert first.stdout.count('"fixes": [') == 3
    second = run_app("check", "--format", "sarif", str(tmp_path))
    assert len(calls) == 3, "the SARIF entry was not used"
    assert (second.code, second.stdout) == (first.code, first.stdout)
    plain = run_app("check", str(tmp_path))
    assert len(calls) == 3, "a SARIF entry serves plain check too"
    assert plain.stdout.count("DF001") == 3
    assert (
        second.stdout == run_app("check", "--no-cache", "--format", "sarif", str(tmp_path)).stdout
    )


@pytest.mark.parametrize(
    "fixes",
    [
        '"not a list"',
        '[[["DF999", 1, 1], []]]',  # a fix for no finding
        '[[["DF001", 5, 5], [[1, "two", "x"]]]]',
        '""',  # found by review: these were taken as "no fixes"
        "{}",
        '[[["DF001", 5, 5], [[1, 1, null]]]]',  # and this as the text "None"
        '[[["DF001", 5, 5], [[1.0, 1, "x"]]]]',
        '[[["DF001", 5, 5], [[true, 1, "x"]]]]',
        '[[["DF001", 5, 5], [[2, 1, "x"]]]]',
        '[[["DF001", "5", 5], []]]',
    ],
)
def test_a_corrupted_fix_entry_is_ignored(tmp_path: Path, calls: list[str], fixes: str) -> None:
    _project(tmp_path)
    first = run_app("check", "--format", "sarif", str(tmp_path))
    for entry in (tmp_path / ".dockfix_cache").rglob("*.json"):
        text = entry.read_text()
        if '"fixes": [[' in text:
            start = text.index('"fixes": ') + len('"fixes": ')
            end = text.index(', "key"')
            entry.write_text(text[:start] + fixes + text[end:])
    second = run_app("check", "--format", "sarif", str(tmp_path))
    assert len(calls) == 3
    assert second.stdout == first.stdout
