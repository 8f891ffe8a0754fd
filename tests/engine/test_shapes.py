"""Command strings and argv variables: the shell-syntax detector, ``Finding.related``, and
the golden files in ``fixtures/shapes`` (``NAME.before.py`` -> ``NAME.after.py``, findings
with their related lines in ``NAME.findings.txt``).

Regenerate the golden files with ``python -m tests.engine.test_shapes`` after a deliberate
change, and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockfix.engine import FileResult, Settings, analyze
from dockfix.engine._shell import shell_syntax
from tests.golden import before_files, findings_text, regenerate
from tests.golden import sibling as _sibling

BEFORE = before_files("shapes")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("docker rm -f web", None, id="plain"),
        pytest.param("docker ps --format '{{.Names}}'", None, id="single-quoted-braces"),
        pytest.param('docker run -e "A=b c" img', None, id="double-quoted-blank"),
        pytest.param("docker ps -f name=web-1", None, id="equals-and-dash"),
        pytest.param("docker rm -f $(docker ps -aq)", "command substitution `$(...)`", id="$("),
        pytest.param("docker rm -f `docker ps -aq`", "backticks", id="backticks"),
        pytest.param("docker rm -f $NAME", "a variable expansion `$`", id="$var"),
        pytest.param('docker rm -f "$NAME"', "inside double quotes", id="quoted-$var"),
        pytest.param("docker ps | grep web", "a pipe `|`", id="pipe"),
        pytest.param("docker rm -f x || true", "`||`", id="or"),
        pytest.param("docker stop x && docker rm x", "`&&`", id="and"),
        pytest.param("docker run img &", "a background job `&`", id="background"),
        pytest.param("docker rm x; docker rm y", "`;`", id="semicolon"),
        pytest.param("docker rm x 2>/dev/null", "a redirection `>`", id="redirect"),
        pytest.param("docker load < img.tar", "a redirection `<`", id="input"),
        pytest.param("docker rm web-*", "a glob `*`", id="glob"),
        pytest.param("docker rm web-?", "a glob `?`", id="glob-?"),
        pytest.param("docker rm web-[12]", "a glob `[...]`", id="glob-class"),
        pytest.param("docker rm web-{1,2}", "braces", id="brace-expansion"),
        pytest.param("docker run -v ~/x:/x img", "tilde", id="tilde"),
        pytest.param("docker rm x # why", "a comment", id="comment"),
        pytest.param("docker rm x\ndocker rm y", "a newline", id="newline"),
        pytest.param("docker rm \\x", "a backslash", id="backslash"),
        pytest.param("docker rm 'x", "an unclosed quote", id="unclosed"),
        pytest.param("(docker rm x)", "a subshell", id="subshell"),
    ],
)
def test_shell_syntax(text: str, reason: str | None) -> None:
    found = shell_syntax(text)
    if reason is None:
        assert found is None
    else:
        assert found is not None
        assert reason in found


def test_related_points_at_the_assignment_and_the_changes() -> None:
    src = (
        "import subprocess\n\n\n"
        "def down(name, force):\n"
        '    cmd = ["docker", "rm"]\n'
        "    if force:\n"
        '        cmd.append("-f")\n'
        "    cmd.append(name)\n"
        "    subprocess.run(cmd)\n"
    )
    result = analyze(src.encode(), Settings())
    (finding,) = result.findings
    assert (finding.code, finding.line, finding.fixable) == ("DF001", 9, False)
    assert finding.related == ((5, 5), (6, 5), (8, 5))
    assert finding.fix_reason is not None
    assert "condition on line 6" in finding.fix_reason


def test_fix_subsets_stay_valid() -> None:
    """Whatever subset of the fixture's fixes is accepted, the output parses and is stable."""
    for before in BEFORE:
        source = before.read_bytes()
        keys = [f.key for f in analyze(source, Settings(), accept=lambda f: False).findings]
        for skip in keys:
            result = analyze(source, Settings(), accept=lambda f, s=skip: f.key != s)
            assert result.error is None
            assert skip not in result.applied
            again = analyze(result.fixed, Settings())
            assert again.error is None


def _findings(result: FileResult) -> str:
    return findings_text(result, related=True)


@pytest.mark.parametrize("before", BEFORE, ids=lambda p: p.name.split(".")[0])
def test_golden(before: Path) -> None:
    result = analyze(before.read_bytes(), Settings(), path=str(before))
    assert result.error is None
    assert result.fixed == _sibling(before, ".after.py").read_bytes()
    assert _findings(result) == _sibling(before, ".findings.txt").read_text()
    again = analyze(result.fixed, Settings())
    assert again.fixed == result.fixed
    assert not any(f.fixable for f in again.findings)


def test_golden_files_exist() -> None:
    assert BEFORE


if __name__ == "__main__":
    regenerate(BEFORE, related=True)
