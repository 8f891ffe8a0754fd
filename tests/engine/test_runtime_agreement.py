"""The codemod and the runtime agree: nothing the codemod routes is refused at run time.

In every expected output of the rules' case tables and every golden ``after`` file, each
executor mirror call (``docker_executor.run/call/check_call/check_output``) whose argv is
without starred parts must pass the runtime guard; the tables themselves are checked against
``analyze`` elsewhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

from dockfix.rules import ALL_RULES
from dockfix.runtime._argv import refusal

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "golden"
OUTPUTS = sorted(
    {case.fixed for rule in ALL_RULES for case in rule.INVALID if case.fixed is not None}
    | {p.read_text() for p in GOLDEN.glob("*.after.py")}
)
MIRRORS = {"run", "call", "check_call", "check_output"}


def _routed_argvs(fixed: str) -> list[list[str]]:
    found = []
    for node in ast.walk(ast.parse(fixed)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        if node.func.attr not in MIRRORS or not isinstance(owner, ast.Name):
            continue
        if owner.id != "docker_executor" or not node.args:
            continue
        argv = node.args[0]
        if isinstance(argv, (ast.List, ast.Tuple)) and not any(
            isinstance(e, ast.Starred) for e in argv.elts
        ):
            # a run-time value (a name, an f-string) stands for a container or image name
            found.append(
                [
                    e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) else "a1"
                    for e in argv.elts
                ]
            )
    return found


def test_routed_commands_pass_the_runtime_guard() -> None:
    routed = [argv for fixed in OUTPUTS for argv in _routed_argvs(fixed)]
    assert len(routed) > 30
    refused = [argv for argv in routed if refusal(argv) is not None]
    assert refused == []
