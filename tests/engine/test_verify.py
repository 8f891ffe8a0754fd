"""A fix is parsed again before it is returned; one that does not parse is never returned.

The reduced path asks the compiler front end (``_split.accepted``: the parser and the scope
pass, no ``ast`` objects) and, when it says no, ``ast.parse``; the full path parses with
libcst. Here the splice that carries fixes back is broken on purpose.
"""

from __future__ import annotations

import pytest

from dockfix.engine import Settings, _pass, _reduce, analyze
from dockfix.engine._split import accepted

SOURCE = b"import subprocess\n\n\ndef f(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n"


def test_a_fix_that_does_not_parse_is_not_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    real = _pass._splice

    def broken(*args: object) -> object:
        fixed = real(*args)  # type: ignore[arg-type]
        return None if fixed is None else fixed + b"def (:\n"

    monkeypatch.setattr(_pass, "_splice", broken)
    monkeypatch.setenv("DOCKFIX_NO_FAST", "1")  # the libcst pass (``_fastfix``: test_fastfix)
    result = analyze(SOURCE, Settings(), path="m.py")
    assert result.fixed == SOURCE
    assert not result.applied
    assert result.error is not None
    assert "would not parse" in result.error


def test_the_fix_is_returned_when_it_parses() -> None:
    result = analyze(SOURCE, Settings(), path="m.py")
    assert result.error is None
    assert b"docker_executor.stop_and_remove(c)" in result.fixed


def test_when_the_scope_pass_refuses_ast_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scope pass refuses a few things ``ast.parse`` takes (``nonlocal`` at module
    level); the fix of such a file is judged by ``ast``."""
    assert not accepted(b"nonlocal x\n")
    monkeypatch.setattr(_pass, "accepted", lambda source: False)  # the full path
    monkeypatch.setattr(_reduce, "accepted", lambda source: False)  # the reduced one
    monkeypatch.setenv("DOCKFIX_NO_FAST", "1")
    result = analyze(SOURCE, Settings(), path="m.py")
    assert result.error is None
    assert b"docker_executor.stop_and_remove(c)" in result.fixed


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (b"x = 1\n", True),
        (b"def f(:\n", False),
        (b"x = '\\d'\n", True),  # a SyntaxWarning on 3.12+, not an error
        (b"x = 1\0\n", False),
        (b"\xef\xbb\xbfx = 1\n", True),
        (b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", True),
        (b"x = '\xe9'\n", False),  # not UTF-8, no cookie
    ],
)
def test_accepted(source: bytes, expected: bool) -> None:
    assert accepted(source) is expected


@pytest.mark.parametrize(
    "source",
    [
        b'"Doc" "string."\nfrom __future__ import annotations\nimport subprocess\n\n\n'
        b"def f(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n",
        b"from __future__ import annotations; import subprocess\n\n\n"
        b"def f(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n",
    ],
)
def test_the_import_never_goes_above_a_future_import(source: bytes) -> None:
    """Found by review: libcst's import helper put the new import above the ``from
    __future__`` line after a docstring it does not recognise; the fix did not compile."""
    result = analyze(source, Settings(), path="m.py")
    assert result.error is None
    assert result.applied
    compile(result.fixed, "m.py", "exec", dont_inherit=True)
