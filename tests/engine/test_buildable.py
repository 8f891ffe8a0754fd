"""``_buildable`` says a fix can be built only where libcst builds it, and says so for the
common calls (so check mode needs no libcst for them).

Each case is a call in a module, analysed in check mode with the fast path (where
``_buildable`` answers first) and with the libcst pass; the findings (fixability and its
reason included) must be equal, and ``_buildable`` must have answered yes exactly where
the case says.
"""

from __future__ import annotations

import ast
import textwrap
from typing import Any, Optional

import pytest

from dockfix.engine import Settings, _fast
from dockfix.engine._buildable import buildable
from dockfix.rules._base import CallExecutor, ReplaceWith, Reroute
from tests.engine.test_fast import _assert_same, _run

_CALL = ast.parse("f()", mode="eval").body
assert isinstance(_CALL, ast.Call)
HEAD = "import subprocess\nimport subprocess as sp\nfrom subprocess import run\n\n"
CASES = [  # (name, the call's statement(s) in a function of ``c``, _buildable says yes)
    ("reroute", "subprocess.run(['docker', 'ps'])", True),
    ("reroute-used", "return sp.check_output(('docker', 'ps'), text=True)", True),
    ("force-remove", "subprocess.run(['docker', 'rm', '-f', c])", True),
    ("force-remove-used", "return subprocess.call(['docker', 'rm', '-f', c])", True),
    ("check-output", "return subprocess.check_output(['docker', 'kill', c])", True),
    ("check-call", "subprocess.check_call(['docker', 'volume', 'rm', '-f', c])", True),
    ("multiline", "subprocess.run([\n    'docker',\n    'rm',\n    '-f',\n    c,\n])", True),
    ("fstring", "subprocess.run(['docker', 'rm', '-f', f'app-{c}'])", None),
    ("global-args", "subprocess.run(['docker', '-H', c, 'rm', '-f', 'x'])", True),
    ("kept-keyword", "subprocess.run(['docker', 'rm', '-f', c], check=True)", True),
    ("comment-inside", "subprocess.run(['docker', 'rm', '-f', c])  # why", True),
    ("comment-in-call", "subprocess.run([\n    'docker', 'rm', '-f',  # force\n    c,\n])", False),
    ("hash-in-string", "subprocess.run(['docker', 'rm', '-f', '#1'])", False),
    ("timeout", "subprocess.run(['docker', 'rm', '-f', c], timeout=5)", False),
    ("plain-rm", "subprocess.run(['docker', 'rm', c])", True),
]


def _spy(monkeypatch: Any) -> list[bool]:
    said: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> bool:
        said.append(buildable(*args, **kwargs))
        return said[-1]

    monkeypatch.setattr(_fast, "buildable", spy)
    return said


@pytest.mark.parametrize(("name", "body", "yes"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("executor", ["dockfix.runtime:docker_executor", "ex", "a.b:c.d"])
def test_case(name: str, body: str, yes: Optional[bool], executor: str, monkeypatch: Any) -> None:
    source = HEAD + "def f(c):\n" + textwrap.indent(body, "    ") + "\n"
    said = _spy(monkeypatch)
    result = _assert_same(source.encode(), monkeypatch, Settings(executor=executor))
    assert result.findings, "every case is a finding"
    if yes is not None:
        assert any(said) == yes, said


@pytest.mark.parametrize(
    ("executor", "yes"),
    [
        ("a:if", False),
        ("a:b..c", False),
        ("a:match.x", False),
        ("a b", False),
        ("x#y", False),
        ("a:1x", False),
        ("a.:run", True),  # the module is not built for the call (fix mode refuses it)
        ("if:run", True),
    ],
)
def test_an_executor_expression_not_a_dotted_name_asks_libcst(
    executor: str, yes: bool, monkeypatch: Any
) -> None:
    source = HEAD + "def f(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n"
    said = _spy(monkeypatch)
    cfg = Settings(executor=executor)
    fast = _run(source.encode(), None, monkeypatch, cfg)  # check mode (fix mode refuses some)
    assert fast == _run(source.encode(), "DOCKFIX_NO_FAST", monkeypatch, cfg)
    assert fast == _run(source.encode(), "DOCKFIX_NO_REDUCE", monkeypatch, cfg)
    assert any(said) == yes


def test_what_it_never_answers() -> None:
    """Fixes the fast path does not read, and tokens it cannot place, ask libcst."""
    from dockfix.engine._argv import Token

    assert not buildable(_CALL, "f()", ReplaceWith("x"), "ex")
    assert buildable(_CALL, "f()", Reroute("run"), "ex")
    assert not buildable(_CALL, "f()", Reroute("if"), "ex")
    placed = Token("docker", "'docker'", False, ("path", 0, 0))
    unplaced = Token(None, "name", False, None)
    nested = Token("rm", "'rm'", False, ("path", 0, 1, "left"))
    assert buildable(_CALL, "f()", CallExecutor("stop", (placed,)), "ex")
    assert not buildable(_CALL, "f()", CallExecutor("stop", (unplaced,)), "ex")
    assert not buildable(_CALL, "f()", CallExecutor("stop", (nested,)), "ex")
    assert not buildable(_CALL, "f()", CallExecutor("stop", (placed,), extra=(("t", "1 +"),)), "ex")
    assert not buildable(_CALL, "f()", CallExecutor("stop", (placed,), suffix=".class"), "ex")


@pytest.mark.parametrize("prefix", ["f", "F", "fr", "Fr", "fR", "rf", "RF", "rb", ""])
def test_fstrings_ask_libcst_on_new_pythons(prefix: str, monkeypatch: Any) -> None:
    """From 3.12 Python takes f-strings libcst may not (quotes nested alike): ask it.
    Found by a review: a text guard missed the ``fr``/``rf`` prefixes; the ``ast`` of the
    call tells."""
    from dockfix.engine import _buildable

    monkeypatch.setattr(_buildable, "_NEW_FSTRINGS", True)
    said = _spy(monkeypatch)
    source = HEAD + f"def f(c):\n    subprocess.run(['docker', 'rm', '-f', {prefix}'{{c}}'])\n"
    _assert_same(source.encode(), monkeypatch)
    assert any(said) == ("f" not in prefix.lower()), said
