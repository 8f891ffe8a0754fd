"""Every exit code of ``check`` and ``fix``, through typer's runner and a subprocess."""

from __future__ import annotations

from pathlib import Path

from dockfix.cli._process import SERIAL_BELOW
from tests.cli.conftest import (
    BROKEN,
    CLEAN,
    FORCE_RM,
    REPO,
    SHELL_ONLY,
    THREE_RMS,
    run_app,
    run_proc,
    write,
)


def test_check_clean_exits_0(run, tmp_path: Path) -> None:
    write(tmp_path, "clean.py", CLEAN)
    result = run("check", str(tmp_path))
    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert "No findings" in result.stderr


def test_check_findings_exit_1_and_write_nothing(run, tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    result = run("check", str(tmp_path))
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{path}:") and "DF001" in line for line in lines)
    assert "(fixable)" in lines[0]
    assert path.read_text() == THREE_RMS


def test_check_unfixable_finding_says_why(tmp_path: Path) -> None:
    write(tmp_path, "s.py", SHELL_ONLY)
    result = run_app("check", str(tmp_path))
    assert result.code == 1
    assert "not fixable" in result.stdout


def test_check_exit_zero(run, tmp_path: Path) -> None:
    write(tmp_path, "a.py", THREE_RMS)
    result = run("check", "--exit-zero", str(tmp_path))
    assert result.code == 0
    assert "DF001" in result.stdout


def test_parse_error_exits_2_and_other_files_are_still_checked(run, tmp_path: Path) -> None:
    write(tmp_path, "a_broken.py", BROKEN)
    write(tmp_path, "b.py", THREE_RMS)
    result = run("check", str(tmp_path))
    assert result.code == 2
    assert "a_broken.py: error:" in result.stderr
    assert result.stdout.count("DF001") == 3


def test_invalid_encoding_is_a_reported_error(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_bytes(
        b"# -*- coding: utf-8 -*-\nimport subprocess\nx = '\xff'\n"
        b'subprocess.run(["docker", "rm", "-f", "x"])\n'
    )
    write(tmp_path, "b.py", THREE_RMS)
    result = run_app("fix", str(tmp_path))
    assert result.code == 2
    assert "bad.py: error:" in result.stderr
    assert '"-f"' not in (tmp_path / "b.py").read_text()


def test_missing_path_exits_2(run, tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.py"))
    assert result.code == 2
    assert "no such file" in result.stderr


def test_unknown_option_is_a_usage_error(run, tmp_path: Path) -> None:
    assert run("check", "--no-such-option", str(tmp_path)).code == 2
    assert run("check", "--format", "xml", str(tmp_path)).code == 2
    assert run("fix", "--diff", "--interactive", str(tmp_path)).code == 2
    assert run("check", "--diff", "--format", "json", str(tmp_path)).code == 2


def test_bad_config_exits_2_naming_the_key(run, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.dockfix]\nstop-timeout = "soon"\n')
    write(tmp_path, "a.py", THREE_RMS)
    result = run("check", str(tmp_path))
    assert result.code == 2
    assert "stop-timeout" in result.stderr


def test_fix_everything_fixable_exits_0(run, tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    result = run("fix", str(tmp_path))
    assert result.code == 0, result.stderr
    assert path.read_text() != THREE_RMS
    assert "Fixed 3 findings" in result.stderr
    assert run("check", str(tmp_path)).code == 0  # nothing left, second run changes nothing
    assert run("fix", str(tmp_path)).code == 0


def test_fix_with_findings_left_exits_1_and_lists_them(run, tmp_path: Path) -> None:
    write(tmp_path, "a.py", THREE_RMS)
    write(tmp_path, "s.py", SHELL_ONLY)
    result = run("fix", str(tmp_path))
    assert result.code == 1
    assert "left for a human" in result.stderr
    assert "s.py:5:" in result.stderr


def test_fix_diff_pending_exits_1_and_writes_nothing(run, tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    for flag in ("--diff", "--dry-run"):
        result = run("fix", flag, str(tmp_path))
        assert result.code == 1
        assert result.stdout.startswith(f"--- {path}\n+++ {path}\n@@ ")
        assert path.read_text() == THREE_RMS


def test_fix_diff_nothing_pending_exits_0(run, tmp_path: Path) -> None:
    write(tmp_path, "clean.py", CLEAN)
    result = run("fix", "--diff", str(tmp_path))
    assert result.code == 0
    assert result.stdout == ""
    assert "nothing to fix" in result.stderr


def test_fix_parse_error_exits_2(run, tmp_path: Path) -> None:
    write(tmp_path, "broken.py", BROKEN)
    assert run("fix", str(tmp_path)).code == 2
    assert (tmp_path / "broken.py").read_text() == BROKEN


def test_fix_stdin_writes_stdout(run) -> None:
    result = run("fix", "-", stdin=THREE_RMS.encode())
    assert result.code == 0
    assert '"-f"' not in result.stdout
    assert "def second():" in result.stdout


def test_fix_stdin_parse_error_echoes_input(run) -> None:
    result = run("fix", "-", stdin=BROKEN.encode())
    assert result.code == 2
    assert result.stdout == BROKEN


def test_check_stdin_with_filename(run) -> None:
    result = run("check", "--stdin-filename", "pkg/mod.py", "-", stdin=THREE_RMS.encode())
    assert result.code == 1
    assert result.stdout.startswith("pkg/mod.py:5:")


def test_select_and_ignore(tmp_path: Path) -> None:
    write(tmp_path, "a.py", THREE_RMS)
    assert run_app("check", "--ignore", "DF001", str(tmp_path)).code == 0
    assert run_app("check", "--select", "DF002", str(tmp_path)).code == 0
    assert run_app("check", "--select", "DF", str(tmp_path)).code == 1
    assert run_app("check", "--select", "not a code", str(tmp_path)).code == 2


def test_quickstart_command() -> None:
    """The README's first Quickstart command: a diff on stdout and exit 1."""
    before = {p: p.read_bytes() for p in (REPO / "fixtures" / "quickstart").glob("*.py")}
    result = run_proc("fix", "--diff", "fixtures/quickstart", cwd=REPO)
    assert result.code == 1, result.stderr
    assert "--- fixtures/quickstart/conftest.py" in result.stdout
    assert {p: p.read_bytes() for p in before} == before


def test_many_files_in_parallel_match_serial(tmp_path: Path) -> None:
    count = SERIAL_BELOW + 4  # enough for the process pool
    for n in range(count):
        write(tmp_path, f"pkg/m{n:02}.py", FORCE_RM.format(n=n))
    serial = run_app("check", "-j", "1", str(tmp_path))
    parallel = run_proc("check", "-j", "2", str(tmp_path))
    assert serial.code == parallel.code == 1
    assert serial.stdout == parallel.stdout
    assert len(parallel.stdout.splitlines()) == count
    fixed = run_proc("fix", "-j", "2", str(tmp_path))
    assert fixed.code == 0, fixed.stderr
    assert f"{count} files changed" in fixed.stderr
    assert run_app("check", "-j", "1", str(tmp_path)).code == 0


def test_rules_and_explain(run) -> None:
    result = run("rules")
    assert result.code == 0
    assert "DF001" in result.stdout
    explained = run("explain", "DF001")
    assert explained.code == 0
    assert explained.stdout.startswith("DF001")
    unknown = run("explain", "XX999")
    assert unknown.code == 2
    assert "unknown rule" in unknown.stderr


def test_stdin_cannot_be_mixed_with_paths(run, tmp_path: Path) -> None:
    result = run("check", "-", str(tmp_path), stdin=b"")
    assert result.code == 2
    assert "stdin" in result.stderr


def test_an_engine_crash_is_a_reported_error_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    import dockfix.engine

    real = dockfix.engine.analyze

    def analyze(source: bytes, settings, *, path: str = "<stdin>", accept=None):  # type: ignore[no-untyped-def]
        if path.endswith("a_boom.py"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(source, settings, path=path, accept=accept)

    monkeypatch.setattr(dockfix.engine, "analyze", analyze)
    write(tmp_path, "a_boom.py", THREE_RMS)
    other = write(tmp_path, "b.py", THREE_RMS)
    result = run_app("fix", "-j", "1", str(tmp_path))
    assert result.code == 2
    assert "a_boom.py: error: internal error: RecursionError" in result.stderr
    assert other.read_text() != THREE_RMS
