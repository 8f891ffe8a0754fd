"""``check --format json|sarif|github`` and text/diff output that is never rich markup."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console

from dockfix.report._diff import colour_diff, line_replacements, unified_diff
from tests.cli.conftest import SHELL_ONLY, THREE_RMS, run_app, run_proc, write

JSON_KEYS = {
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "message",
    "fixable",
    "fix_reason",
    "related",
}

BUILT_IN_STEPS = """\
import subprocess


def clean(name, force):
    cmd = ["docker", "rm"]
    if force:
        cmd.append("-f")
    cmd.append(name)
    subprocess.run(cmd)
"""


def test_json_lists_every_finding_with_its_fields(run, tmp_path: Path) -> None:
    write(tmp_path, "a.py", THREE_RMS)
    write(tmp_path, "s.py", SHELL_ONLY)
    result = run("check", "--format", "json", str(tmp_path))
    assert result.code == 1
    findings = json.loads(result.stdout)
    assert len(findings) == 4
    for finding in findings:
        assert set(finding) >= JSON_KEYS
        assert finding["line"] <= finding["end_line"]
    unfixable = [f for f in findings if not f["fixable"]]
    assert len(unfixable) == 1
    assert unfixable[0]["fix_reason"]


def test_json_is_an_empty_list_when_clean(tmp_path: Path) -> None:
    result = run_app("check", "--format", "json", str(tmp_path))
    assert result.code == 0
    assert json.loads(result.stdout) == []


def _require(obj: dict[str, Any], *keys: str) -> None:
    for key in keys:
        assert key in obj, f"SARIF: missing required {key!r} in {sorted(obj)}"


def _check_region(region: dict[str, Any]) -> None:
    assert {"startLine", "charOffset", "byteOffset"} & set(region)
    for key, value in region.items():
        assert isinstance(value, int), key
        assert value >= (0 if "Offset" in key else 1), key


def _check_artifact_location(location: dict[str, Any]) -> None:
    assert isinstance(location.get("uri"), str)
    assert location["uri"]


def validate_sarif(log: dict[str, Any]) -> None:
    """The SARIF 2.1.0 schema's required properties and their shapes, for what we emit."""
    _require(log, "version", "runs")
    assert log["version"] == "2.1.0"
    assert isinstance(log["runs"], list)
    for run in log["runs"]:
        _require(run, "tool")
        _require(run["tool"], "driver")
        _require(run["tool"]["driver"], "name")
        for rule in run["tool"]["driver"].get("rules", []):
            _require(rule, "id")
            for text in ("shortDescription", "fullDescription", "help"):
                if text in rule:
                    _require(rule[text], "text")
        for invocation in run.get("invocations", []):
            _require(invocation, "executionSuccessful")
            for note in invocation.get("toolExecutionNotifications", []):
                _require(note, "message")
        for result in run.get("results", []):
            _require(result, "message")
            assert "text" in result["message"] or "id" in result["message"]
            for location in result.get("locations", []):
                physical = location["physicalLocation"]
                _check_artifact_location(physical["artifactLocation"])
                _check_region(physical["region"])
            for fix in result.get("fixes", []):
                _require(fix, "artifactChanges")
                assert len(fix["artifactChanges"]) >= 1
                for change in fix["artifactChanges"]:
                    _require(change, "artifactLocation", "replacements")
                    _check_artifact_location(change["artifactLocation"])
                    assert len(change["replacements"]) >= 1
                    for replacement in change["replacements"]:
                        _require(replacement, "deletedRegion")
                        _check_region(replacement["deletedRegion"])
                        if "insertedContent" in replacement:
                            content = replacement["insertedContent"]
                            assert "text" in content or "binary" in content


def _apply(source: str, replacements: list[dict[str, Any]]) -> str:
    lines = source.splitlines(keepends=True)
    for rep in sorted(replacements, key=lambda r: -r["deletedRegion"]["startLine"]):
        start = rep["deletedRegion"]["startLine"] - 1
        end = rep["deletedRegion"]["endLine"] - 1
        lines[start:end] = [rep["insertedContent"]["text"]]
    return "".join(lines)


def test_sarif_is_valid_and_carries_fixes(run, tmp_path: Path) -> None:
    write(tmp_path, "a.py", THREE_RMS)
    write(tmp_path, "s.py", SHELL_ONLY)
    result = run("check", "--format", "sarif", str(tmp_path))
    assert result.code == 1
    log = json.loads(result.stdout)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert len(results) == 4
    with_fixes = [r for r in results if r.get("fixes")]
    assert len(with_fixes) == 3  # the shell string has no fix
    assert {r["ruleId"] for r in results} == {"DF001"}
    rule_ids = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rule_ids == {"DF001"}
    # Each fix applies on its own and removes exactly its own finding.
    first = with_fixes[0]
    fixed = _apply(THREE_RMS, first["fixes"][0]["artifactChanges"][0]["replacements"])
    check = run_app("check", "--format", "json", "-", stdin=fixed.encode())
    assert len(json.loads(check.stdout)) == 2


def test_sarif_reports_errors_as_notifications(tmp_path: Path) -> None:
    write(tmp_path, "broken.py", "import subprocess\ndef f(:\n    'docker'\n")
    result = run_app("check", "--format", "sarif", str(tmp_path))
    assert result.code == 2
    log = json.loads(result.stdout)
    validate_sarif(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "broken.py" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_github_annotations(run, tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    result = run("check", "--format", "github", str(tmp_path))
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    for line in lines:
        assert line.startswith(f"::error file={path},line=")
        assert ",col=" in line
        assert ",endLine=" in line
        assert ",endColumn=" in line
        assert ",title=DF001::" in line


def test_github_escapes_workflow_command_data() -> None:
    from dockfix.engine import Finding
    from dockfix.report._formats import github_line

    finding = Finding("DF001", "n", "50% of a\nb", 1, 2, 3, 4, True)
    line = github_line("a,b:c.py", finding)
    assert line == (
        "::error file=a%2Cb%3Ac.py,line=1,col=2,endLine=3,endColumn=4,title=DF001::50%25 of a%0Ab\n"
    )


MARKUP = 'x = names["[bold]name[/bold]"]\nsubprocess.run(["docker", "rm", "-f", x[name]])\n'


def test_diff_output_is_verbatim_not_markup(run, tmp_path: Path) -> None:
    path = write(tmp_path, "m.py", "import subprocess\n" + MARKUP)
    result = run("fix", "--diff", str(path))
    assert result.code == 1
    assert '-x = names["[bold]name[/bold]"]' not in result.stdout  # unchanged context line
    assert ' x = names["[bold]name[/bold]"]' in result.stdout
    assert "x[name]" in result.stdout


def test_coloured_diff_keeps_brackets_and_colours_lines() -> None:
    diff = unified_diff(MARKUP.encode(), MARKUP.replace("-f", "-v").encode(), "m.py")
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, color_system="standard", width=200).print(
        colour_diff(diff), end=""
    )
    out = buffer.getvalue()
    assert "[bold]name[/bold]" in out
    assert "x[name]" in out
    assert "\x1b[31m-subprocess" in out
    assert "\x1b[32m+subprocess" in out


def test_diff_keeps_crlf_and_marks_missing_final_newline(tmp_path: Path) -> None:
    before = b"a = 1\r\nb = [x]\r\nc"
    after = b"a = 1\r\nb = [y]\r\nc\r\n"
    diff = unified_diff(before, after, "f.py")
    assert b"-b = [x]\r\n" in diff
    assert b"+b = [y]\r\n" in diff
    assert b"-c\n\\ No newline at end of file\n" in diff
    assert diff.endswith(b"+c\r\n")
    assert unified_diff(before, before, "f.py") == b""


def test_diff_applies_with_patch(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("patch") is None:
        return
    before = b"a = 1\r\nb = [x]\r\n\x0cform feed\r\nc"
    after = b"a = 1\r\nb = [y]\r\n\x0cform feed\r\nc = 2"
    target = tmp_path / "f.py"
    target.write_bytes(before)
    (tmp_path / "d.patch").write_bytes(unified_diff(before, after, "f.py"))
    subprocess.run(["patch", "-s", "-p0", "-i", "d.patch"], cwd=tmp_path, check=True)
    assert target.read_bytes() == after


def test_line_replacements_rebuild_the_target() -> None:
    before = b"a\nb\nc\nd\n"
    after = b"a\nB\nc\nd\ne\n"
    reps = line_replacements(before, after)
    lines = before.decode().splitlines(keepends=True)
    for rep in reversed(reps):
        lines[rep.start_line - 1 : rep.end_line - 1] = [rep.inserted]
    assert "".join(lines).encode() == after


def test_sarif_uris_relative_to_the_checkout_or_absolute(tmp_path: Path) -> None:
    write(tmp_path, "my pkg/a.py", THREE_RMS)
    relative = json.loads(run_proc("check", "--format", "sarif", ".", cwd=tmp_path).stdout)
    location = relative["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "my%20pkg/a.py", "uriBaseId": "%SRCROOT%"}
    absolute = json.loads(run_proc("check", "--format", "sarif", str(tmp_path)).stdout)
    location = absolute["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].startswith("file:///")


def test_github_annotates_errors_too(tmp_path: Path) -> None:
    write(tmp_path, "broken.py", "import subprocess\ndef f(:\n    'docker'\n")
    result = run_app("check", "--format", "github", str(tmp_path))
    assert result.code == 2
    assert result.stdout.startswith(f"::error file={tmp_path / 'broken.py'},title=dockfix::")


def test_related_lines_are_in_json_and_sarif(tmp_path: Path) -> None:
    """Where the command was built and changed: the lines a reader needs to see why the
    finding is not fixable (they were computed, and shown nowhere)."""
    write(tmp_path, "a.py", BUILT_IN_STEPS)
    (found,) = json.loads(run_app("check", "--format", "json", str(tmp_path)).stdout)
    assert not found["fixable"]
    assert found["related"] == [
        {"line": 5, "column": 5},
        {"line": 6, "column": 5},
        {"line": 8, "column": 5},
    ]
    sarif = json.loads(run_app("check", "--format", "sarif", str(tmp_path)).stdout)
    (result,) = sarif["runs"][0]["results"]
    related = result["relatedLocations"]
    assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [5, 6, 8]
    assert [r["id"] for r in related] == [0, 1, 2]
    for location in related:
        _check_region(location["physicalLocation"]["region"])
    write(tmp_path, "a.py", THREE_RMS)
    for found in json.loads(run_app("check", "--format", "json", str(tmp_path)).stdout):
        assert found["related"] == []


def test_sarif_fix_of_a_lone_finding_is_its_fix_alone(tmp_path: Path) -> None:
    """With one fixable finding in a file, its SARIF fix comes from fix mode's fast way;
    it is the fix made alone by the libcst pass (an ``accept`` of that finding only)."""
    from dockfix.engine import Settings, analyze

    source = (
        "import subprocess\n\n\ndef first():\n"
        '    subprocess.run(["docker", "rm", "-f", "c1"], check=False)\n\n\n'
        "def all():\n"
        '    subprocess.run("docker rm -f $(docker ps -aq)", shell=True)\n'
    )
    write(tmp_path, "a.py", source)
    log = json.loads(run_app("check", "--format", "sarif", str(tmp_path)).stdout)
    fixed = [r for r in log["runs"][0]["results"] if r.get("fixes")]
    assert len(fixed) == 1
    ours = fixed[0]["fixes"][0]["artifactChanges"][0]["replacements"]
    data = source.encode()
    key = (fixed[0]["ruleId"], 5, 5)
    alone = analyze(data, Settings(), accept=lambda finding: finding.key == key)
    assert alone.applied == (key,)
    assert _apply(source, ours) == alone.fixed.decode()
