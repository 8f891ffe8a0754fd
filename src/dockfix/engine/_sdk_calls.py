"""Where SDK calls sit, and the ``SdkCall`` a rule reads for one of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Callable, Optional, Union

import libcst as cst

from dockfix.engine._sdk import AUTO_REMOVED, Binding, Receivers
from dockfix.rules._sdk import CONTAINER, EXPRESSION, LAMBDA, REFERENCE, STATEMENT, SdkArg, SdkCall

Statement = Union[cst.SimpleStatementLine, cst.FlattenSentinel[cst.SimpleStatementLine]]


class Collector(cst.CSTVisitor):
    """One pass over the original module: bindings, and where each call sits."""

    def __init__(self, receivers: Receivers) -> None:
        self.receivers = receivers
        self.context: dict[int, str] = {}  # id(call) -> STATEMENT / LAMBDA
        self.awaited: set[int] = set()
        self._lambdas = 0
        self._functions: list[Optional[str]] = []  # enclosing functions (fixture names)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, ("value", node.value))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, ("value", node.value))

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, ("iter", node.iter))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, ("iter", node.iter))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, ("value", node.item))

    def visit_Param(self, node: cst.Param) -> None:
        self.receivers.params[id(node)] = node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        fixture = any(self._is_fixture(d.decorator) for d in node.decorators)
        if fixture or node.name.value.startswith("test"):
            self.receivers.injected.update(id(p) for p in node.params.params)
        self._functions.append(node.name.value if fixture else None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def _is_fixture(self, decorator: cst.BaseExpression) -> bool:
        func = decorator.func if isinstance(decorator, cst.Call) else decorator
        return "pytest.fixture" in self.receivers.qualified(func)

    def _returned(self, value: Optional[cst.BaseExpression]) -> None:
        name = self._functions[-1] if self._functions else None
        if name is not None and value is not None:
            self.receivers.fixtures.setdefault(name, []).append(value)

    def visit_Return(self, node: cst.Return) -> None:
        self._returned(node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        if isinstance(node.value, cst.BaseExpression):
            self._returned(node.value)

    def _bind(self, target: cst.BaseExpression, binding: Binding) -> None:
        if isinstance(target, cst.Name):
            self.receivers.bound[id(target)] = binding
        elif isinstance(target, cst.Attribute):
            text = self.receivers.code_for(target)
            self.receivers.attributes.setdefault(text, []).append(binding)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        value = statement_value(node)
        if isinstance(value, cst.Await):
            value = value.expression
        if isinstance(value, cst.Call):
            self.context[id(value)] = STATEMENT

    def visit_Await(self, node: cst.Await) -> None:
        if isinstance(node.expression, cst.Call):
            self.awaited.add(id(node.expression))

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._lambdas += 1

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._lambdas -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if self._lambdas and id(node) not in self.context:
            self.context[id(node)] = LAMBDA


def statement_value(line: cst.SimpleStatementLine) -> Optional[cst.BaseExpression]:
    """The value of a line's only statement: ``call()``, ``return call()``, ``x = call()``.

    A call there can be preceded by other statements (the stop before the removal) and
    still give the statement its value.
    """
    if len(line.body) != 1:
        return None
    small = line.body[0]
    if isinstance(small, (cst.Expr, cst.Return, cst.Assign, cst.AnnAssign)):
        return small.value
    return None


def literal(node: cst.BaseExpression, code_for: Callable[[cst.CSTNode], str]) -> SdkArg:
    """An argument as rules see it: literal constants carry their value."""
    text = code_for(node)
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return SdkArg(text, {"True": True, "False": False, "None": None}[node.value], True)
    if isinstance(node, cst.Integer):
        return SdkArg(text, int(node.value, 0), True)
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        if isinstance(value, str):
            return SdkArg(text, value, True)
    return SdkArg(text)


def sdk_call(
    receivers: Receivers,
    func: cst.BaseExpression,
    args: Iterable[cst.Arg],
    context: str,
    awaited: bool,
) -> Optional[SdkCall]:
    """The SDK call ``func(*args)`` when ``func`` is a method of a traced receiver."""
    found = receivers.receiver(func)
    if found is None:
        return None
    (library, receiver), path = found
    auto_removed = receiver == AUTO_REMOVED
    if auto_removed:
        receiver = CONTAINER
    positional: list[SdkArg] = []
    keywords: dict[str, SdkArg] = {}
    star_args = star_kwargs = False
    repeatable = receivers.repeatable(base_of(func, len(path)))
    for arg in args:
        if arg.star == "**":
            star_kwargs = True
        elif arg.star == "*":
            star_args = True
        elif arg.keyword is not None:
            keywords[arg.keyword.value] = literal(arg.value, receivers.code_for)
        else:
            positional.append(literal(arg.value, receivers.code_for))
            repeatable = repeatable and receivers.repeatable(arg.value)
    return SdkCall(
        library=library,
        receiver=receiver,
        path=path,
        positional=tuple(positional),
        keywords=keywords,
        star_args=star_args,
        star_kwargs=star_kwargs,
        context=context if context in (STATEMENT, LAMBDA, REFERENCE) else EXPRESSION,
        awaited=awaited,
        repeatable=repeatable,
        receiver_text=receivers.code_for(base_of(func, len(path))),
        auto_removed=auto_removed,
    )


def base_of(func: cst.BaseExpression, depth: int) -> cst.BaseExpression:
    """``docker.container`` for ``docker.container.remove`` at depth 2."""
    node = func
    for _ in range(depth):
        assert isinstance(node, cst.Attribute)
        node = node.value
    return node


def references(node: cst.Call, qualified: Callable[[cst.CSTNode], frozenset[str]]) -> Optional[int]:
    """Where a method is passed as a callable: ``functools.partial(c.remove, force=True)``
    (0) or ``loop.run_in_executor(None, c.kill)`` (1); its arguments follow it."""
    func = node.func
    if "functools.partial" in qualified(func):
        index = 0
    elif isinstance(func, cst.Attribute) and func.attr.value == "run_in_executor":
        index = 1
    else:
        return None
    if len(node.args) <= index:
        return None
    arg = node.args[index]
    if isinstance(arg.value, cst.Attribute) and not arg.star and arg.keyword is None:
        return index
    return None
