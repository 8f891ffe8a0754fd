"""Where an ``os.system(...)`` result is only tested against zero.

``os.system`` returns a wait status (on POSIX the exit code shifted left by 8 bits, or the
signal number), not a return code; but it is zero exactly when the return code is zero. So
``os.system(cmd) == 0``, ``!= 0``, ``if os.system(cmd):``, ``not os.system(cmd)`` keep their
meaning with ``executor.call([...])`` (an int return code) in its place.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst


class _ZeroTests(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: set[int] = set()

    def _add(self, node: Optional[cst.BaseExpression]) -> None:
        if isinstance(node, cst.Call) and not node.lpar:
            self.calls.add(id(node))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        if not isinstance(target.operator, (cst.Equal, cst.NotEqual)):
            return
        if _zero(target.comparator):
            self._add(node.left)
        elif _zero(node.left):
            self._add(target.comparator)

    def visit_If(self, node: cst.If) -> None:
        self._add(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._add(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._add(node.test)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._add(node.test)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not):
            self._add(node.expression)


def _zero(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer) and node.value in ("0", "0x0", "0o0", "0b0")


def zero_tested_calls(module: cst.Module) -> frozenset[int]:
    """The ids of the calls in ``module`` whose result is only tested against zero."""
    visitor = _ZeroTests()
    module.visit(visitor)
    return frozenset(visitor.calls)
