"""A ``CallExecutor`` fix written as text (``_calltext``) is what libcst builds.

Every call ``call_text`` answers for, in fix mode over the rule cases, the fixtures, odd
layouts and the dense corpus, is also built by ``_rewrite.build_call`` (libcst) and the
two texts compared. The whole results are compared with the libcst pass by
``test_fastfix`` and ``test_fast``; here each answer is checked where it is made, and
the cases say where it must answer.
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from typing import Any

import pytest

from dockfix.engine import Settings, _fastfix, analyze
from dockfix.engine._rewrite import build_call, parse_call
from dockfix.rules import ALL_RULES
from tests.dense import DENSE, NOT_BUILT, dense_sample

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def answered(monkeypatch: Any) -> list[bytes]:
    """The call texts ``call_text`` answered for, each checked against libcst's build."""
    real = _fastfix.call_text
    seen: list[bytes] = []

    def both(text: bytes, call: Any, fix: Any, target: Any, pipe: str) -> Any:
        got = real(text, call, fix, target, pipe)
        if got is not None:
            node = parse_call(text.decode("utf-8"))
            assert node is not None, text
            want = _fastfix._EMPTY.code_for_node(build_call(node, fix, target, pipe))
            assert got.decode("utf-8") == want, text
            seen.append(text)
        return got

    monkeypatch.setattr(_fastfix, "call_text", both)
    return seen


# (id, call, whether call_text answers); each is put in a function of a module that
# imports subprocess.
CALLS = [
    ("plain", 'subprocess.run(["docker", "rm", "-f", name])', True),
    ("tuple", "subprocess.run(('docker', 'kill', name))", True),
    ("kept-keyword", 'subprocess.run(["docker", "rm", "-f", name], check=True)', True),
    ("spaced-keyword", 'subprocess.run(["docker", "rm", "-f", name] , check = True )', True),
    ("trailing-comma", 'subprocess.run(["docker", "rm", "-f", name], check=False, )', True),
    ("tight", 'subprocess.run(["docker","rm","-f",name],check=False)', True),
    ("list-trailing-comma", 'subprocess.run(["docker", "rm", "-f", name,])', True),
    ("spaces-in-list", 'subprocess.run([ "docker" , "rm" , "-f" , name ])', True),
    ("two-names", 'subprocess.run(["docker", "rm", "-f", a, b], check=True)', True),
    ("attribute-item", 'subprocess.run(["docker", "rm", "-f", self.name])', True),
    ("call-item", 'subprocess.run(["docker", "rm", "-f", name.strip()])', True),
    ("starred-item", 'subprocess.run(["docker", "rm", "-f", *names])', True),
    ("unicode-item", 'subprocess.run(["docker", "rm", "-f", nom_é])', True),
    ("concatenated-item", 'subprocess.run(["docker", "rm", "-f", "a" "b"])', True),
    ("timeout-keyword", 'subprocess.run(["docker", "rm", "-f", n], timeout=5)', False),
    ("text-keyword", 'subprocess.run(["docker", "rm", "-f", n], text=True, stdout=None)', True),
    ("double-star", 'subprocess.run(["docker", "rm", "-f", n], **options)', False),
    (
        "lines-in-list",
        'subprocess.run([\n        "docker",\n        "rm",\n        "-f",\n        name,\n'
        "    ], check=False)",
        True,
    ),
    ("lines-in-tuple", 'subprocess.check_output((\n        "docker", "kill", name,\n    ))', True),
    ("wrapped-list", 'subprocess.run(["docker", "rm",\n         "-f", name], text=True)', True),
    ("item-over-lines", 'subprocess.run(["docker", "rm", "-f", name.strip(\n    )])', True),
    ("keyword-on-next-line", 'subprocess.run(["docker", "rm", "-f", name],\n    check=1)', False),
    ("check-call", 'subprocess.check_call(["docker", "kill", name])', True),
    ("check-output", 'subprocess.check_output(["docker", "rm", "-f", name])', True),
    ("bracketed-item", 'subprocess.run(["docker", "rm", "-f", (name)])', False),
    ("bracketed-argv", 'subprocess.run((["docker", "rm", "-f", name]))', False),
    ("space-before-paren", 'subprocess.run (["docker", "rm", "-f", name])', False),
    ("two-lines", 'subprocess.run(\n        ["docker", "rm", "-f", name],\n    )', False),
    ("comment", 'subprocess.run(["docker", "rm", "-f", name]  # why\n    )', False),
]


def _module(call: str) -> bytes:
    return (
        f"import subprocess\n\n\ndef clean(name, a, b, names, n, options, nom_é):\n    {call}\n"
    ).encode()


@pytest.mark.parametrize(("call", "answers"), [c[1:] for c in CALLS], ids=[c[0] for c in CALLS])
def test_call(call: str, answers: bool, answered: list[bytes]) -> None:
    result = analyze(_module(call), Settings())
    assert result.error is None
    assert bool(answered) == answers, result.fixed.decode()


@pytest.mark.parametrize(
    "settings",
    [Settings(), Settings(executor="team.docker:run_docker"), Settings(stop_timeout=0)],
    ids=["default", "custom-executor", "no-grace"],
)
def test_rule_cases(settings: Settings, answered: list[bytes]) -> None:
    for rule in ALL_RULES:
        for case in (*rule.VALID, *rule.INVALID):
            cfg = dataclasses.replace(settings, **dict(case.settings))
            analyze(textwrap.dedent(case.source).encode(), cfg)
    assert answered


def test_fixtures(answered: list[bytes]) -> None:
    """The fixtures' fixes mostly take the libcst pass (``_fastfix`` declines them before
    a call is built): whatever is answered is compared."""
    for path in sorted((REPO / "fixtures").rglob("*.py")):
        analyze(path.read_bytes(), Settings(), path=str(path))


@pytest.mark.skipif(not DENSE.is_dir(), reason=NOT_BUILT)
def test_dense_corpus(answered: list[bytes]) -> None:
    for path in dense_sample(330):
        analyze(path.read_bytes(), Settings(), path=str(path))
    assert len(answered) >= 140  # of ~150 fixed calls: all but oddities
