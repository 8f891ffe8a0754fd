"""The engine's guarantees: bytes kept, never raises, imports once, accept subsets."""

from __future__ import annotations

import itertools
import subprocess
import sys

import libcst as cst
import pytest

from dockfix.engine import Settings, analyze, prefilter

ALL = Settings()

MANY = b"""\
import subprocess
from subprocess import check_output


def teardown(a, b):
    subprocess.run(["docker", "rm", "-f", a])
    subprocess.run(["docker", "kill", b])
    subprocess.call(["docker", "volume", "rm", "-f", "v"])
    return check_output(["docker", "ps", "-q"], text=True)
"""


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        pytest.param(
            b'import subprocess\r\nsubprocess.run(["docker", "rm", "-f", c])\r\nx = 1',
            b"from dockfix.runtime import docker_executor\r\n\r\n"
            b"docker_executor.stop_and_remove(c)\r\nx = 1",
            id="crlf-no-final-newline",
        ),
        pytest.param(
            b'\xef\xbb\xbfimport subprocess\nsubprocess.run(["docker", "kill", c])\n',
            b"\xef\xbb\xbffrom dockfix.runtime import docker_executor\n\ndocker_executor.stop(c)\n",
            id="utf8-bom",
        ),
        pytest.param(
            b"# -*- coding: latin-1 -*-\nimport subprocess\n# caf\xe9\n"
            b'subprocess.run(["docker", "rm", "-f", "caf\xe9"])\n',
            b"# -*- coding: latin-1 -*-\nfrom dockfix.runtime import docker_executor\n\n"
            b'# caf\xe9\ndocker_executor.stop_and_remove("caf\xe9")\n',
            id="latin-1-cookie",
        ),
        pytest.param(
            b"import subprocess\nfrom dockfix.runtime import DockerExecutor\n"
            b'subprocess.run(["docker", "rm", "-f", c])\nsubprocess.run(["git", "status"])\n',
            b"import subprocess\nfrom dockfix.runtime import docker_executor, DockerExecutor\n"
            b'docker_executor.stop_and_remove(c)\nsubprocess.run(["git", "status"])\n',
            id="import-merged-subprocess-kept",
        ),
        pytest.param(
            b"from __future__ import annotations\n\nimport subprocess\nimport uuid\n\n"
            b'subprocess.run(["docker", "rm", "-f", c])\n',
            b"from __future__ import annotations\n\nimport uuid\n"
            b"from dockfix.runtime import docker_executor\n\ndocker_executor.stop_and_remove(c)\n",
            id="import-group-gap-kept",
        ),
    ],
)
def test_bytes_kept(src: bytes, expected: bytes) -> None:
    result = analyze(src, ALL)
    assert result.error is None
    assert result.fixed == expected
    assert analyze(result.fixed, ALL).fixed == result.fixed


@pytest.mark.parametrize(
    "src",
    [
        pytest.param(b"def f(:\n", id="syntax-error"),
        pytest.param(b'x = "docker\n', id="unterminated-string"),
        pytest.param(b"# coding: nope\nx = 1\n", id="unknown-encoding"),
        pytest.param(b"x = '\xff docker'\n", id="invalid-utf8"),
        pytest.param(b"\x00\x01docker", id="binary"),
    ],
)
def test_bad_input_is_a_value(src: bytes) -> None:
    result = analyze(src, ALL, path="bad.py")
    assert result.error is not None
    assert result.fixed == src
    assert result.findings == ()


def test_every_subset_of_fixes_is_valid_code() -> None:
    keys = [f.key for f in analyze(MANY, ALL).findings if f.fixable]
    assert len(keys) == 4
    for size in range(len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            chosen = set(subset)
            result = analyze(MANY, ALL, accept=lambda f, c=chosen: f.key in c)  # type: ignore[misc]
            assert result.error is None
            assert set(result.applied) == chosen
            cst.parse_module(result.fixed)
            text = result.fixed.decode()
            assert text.count("from dockfix.runtime import docker_executor") == (1 if chosen else 0)
            if not chosen:
                assert result.fixed == MANY


def test_accept_none_applies_all_and_is_idempotent() -> None:
    result = analyze(MANY, ALL)
    assert len(result.applied) == 4
    assert b"import subprocess" not in result.fixed
    assert b"from subprocess" not in result.fixed
    again = analyze(result.fixed, ALL)
    assert again.fixed == result.fixed
    assert again.findings == ()


def test_positions_are_one_based_exclusive_end() -> None:
    src = b'import subprocess\nx = subprocess.run(["docker", "kill", c])\n'
    (finding,) = analyze(src, ALL).findings
    line = src.decode().splitlines()[1]
    assert (finding.line, finding.column, finding.end_line) == (2, 5, 2)
    assert (
        line[finding.column - 1 : finding.end_column - 1] == 'subprocess.run(["docker", "kill", c])'
    )


def test_select_and_ignore() -> None:
    assert {f.code for f in analyze(MANY, Settings(select=frozenset({"DF002"}))).findings} == {
        "DF002"
    }
    ignored = analyze(MANY, Settings(ignore=frozenset({"DF001"})))
    assert "DF001" not in {f.code for f in ignored.findings}
    # the rm -f call is not claimed by the catch-all rule when DF001 is ignored
    assert b'"rm", "-f"' in ignored.fixed


def test_prefilter_false_means_no_findings() -> None:
    src = b'import subprocess\nsubprocess.run(["podman", "rm", "-f", c])\n'
    assert not prefilter(src, ALL)
    assert analyze(src, ALL).findings == ()
    assert prefilter(MANY, ALL)


def test_importing_engine_and_prefilter_does_not_import_libcst() -> None:
    code = (
        "import sys\n"
        "from dockfix.engine import Settings, prefilter\n"
        "import dockfix.rules\n"
        "prefilter(b'docker', Settings())\n"
        "assert 'libcst' not in sys.modules, 'libcst imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # dockfix: ignore
