"""The engine side of the Docker SDK rules: find ``SdkCall``s, ask the rules, build fixes.

Plugged into ``_transformer.Transformer`` by three calls (``collect`` on the module,
``leave_call`` on every call, ``leave_statement`` on every simple statement line).
A fix of one step replaces the call in place; two steps (stop, then remove) replace
the statement, the last step keeping the call's place (``return``, ``x = ``). Where the
call is the value of a statement, each step goes through the executor's limiter:
``executor.run_limited(receiver.method, ...)`` (``await executor.aio.run_limited`` for
aiodocker), unless a ``runner`` is configured. A method passed as a callable
(``run_in_executor``, ``functools.partial``) becomes ``functools.partial(safe, ...)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Optional

import libcst as cst
from libcst.metadata import PositionProvider, Scope, ScopeProvider

from dockfix.engine._rewrite import count_comments
from dockfix.engine._schedule import add_needed_import
from dockfix.engine._sdk import Receivers
from dockfix.engine._sdk_calls import (
    Collector,
    Statement,
    base_of,
    references,
    sdk_call,
    statement_value,
)
from dockfix.engine._types import Finding
from dockfix.rules._sdk import (
    AIODOCKER,
    REFERENCE,
    STATEMENT,
    SdkCall,
    SdkRule,
    SdkStep,
    SdkSteps,
)

if TYPE_CHECKING:
    from dockfix.engine._transformer import Transformer

_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


class SdkMatcher:
    """Finds and fixes the Docker SDK calls of one module for a ``Transformer``."""

    def __init__(self, owner: Transformer) -> None:
        self.owner = owner
        rules = (r for named in owner._call_rules.values() for r in named)
        unique = {id(r): r for r in rules if isinstance(r, SdkRule)}.values()
        self.rules = sorted(unique, key=lambda r: r.CODE)
        self.receivers = Receivers(owner._qualified, self._scope_of, owner._code_for)
        self.collector = Collector(self.receivers)
        self._pending: dict[int, list[cst.Call]] = {}  # id(original call) -> steps

    def _scope_of(self, node: cst.CSTNode) -> Optional[Scope]:
        return self.owner.get_metadata(ScopeProvider, node, None)

    def collect(self, module: cst.Module) -> None:
        if self.rules:
            module.visit(self.collector)

    # -- hooks -------------------------------------------------------------------------
    def leave_call(self, original: cst.Call, updated: cst.Call) -> Optional[cst.BaseExpression]:
        """The replacement of a reported SDK call (``updated`` when it stays); None when no
        SDK rule reports it (the engine's other rules then see it as usual)."""
        if not self.rules:
            return None
        call = self._sdk_call(original)
        found = self._verdict(call) if call is not None else None
        if call is None or found is None:
            return None
        rule, message, fix, reason = found
        if fix is not None and count_comments([original]):
            fix, reason = None, "comments inside the call would be lost; rewrite it by hand"
        finding = self._finding(original, rule, message, fix is not None, reason)
        if finding is None:
            return updated
        self.owner.findings.append(finding)
        if fix is None or not self._accepted(finding):
            return updated
        self.owner.applied.append(finding.key)
        if call.context == REFERENCE:
            return self._reference(original, updated, call, fix)
        steps = [self._step(call, updated.func, updated.args, s) for s in fix.steps]
        if len(steps) == 1:
            return steps[0].with_changes(lpar=updated.lpar, rpar=updated.rpar)
        self._pending[id(original)] = steps
        self.owner.pending[id(original)] = []  # the engine fails the file if it stays
        return updated

    def leave_statement(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> Optional[Statement]:
        """One line per step for a two-step fix of the statement's call; None otherwise.

        The steps before the last become statements of their own; the last takes the
        call's place in the statement, so ``return``/``x = `` keep the removal's value.
        """
        if not self._pending:
            return None
        value = statement_value(original)
        awaited = isinstance(value, cst.Await)
        if isinstance(value, cst.Await):
            value = value.expression
        steps = self._pending.pop(id(value), None)
        if steps is None:
            return None
        self.owner.pending.pop(id(value), None)
        small = updated.body[0]
        assert isinstance(small, (cst.Expr, cst.Return, cst.Assign, cst.AnnAssign))
        wrapped: list[cst.BaseExpression] = [cst.Await(s) if awaited else s for s in steps]
        lines = [cst.SimpleStatementLine(body=[cst.Expr(s)]) for s in wrapped[:-1]]
        lines.append(cst.SimpleStatementLine(body=[small.with_changes(value=wrapped[-1])]))
        lines[0] = lines[0].with_changes(leading_lines=updated.leading_lines)
        lines[-1] = lines[-1].with_changes(trailing_whitespace=updated.trailing_whitespace)
        return cst.FlattenSentinel(lines)

    # -- matching ----------------------------------------------------------------------
    def _sdk_call(self, node: cst.Call) -> Optional[SdkCall]:
        context = self.collector.context.get(id(node), "")
        awaited = id(node) in self.collector.awaited
        found = sdk_call(self.receivers, node.func, node.args, context, awaited)
        if found is not None:
            return found
        index = references(node, self.owner._qualified)
        if index is None:
            return None
        rest = node.args[index + 1 :]
        return sdk_call(self.receivers, node.args[index].value, rest, REFERENCE, False)

    def _verdict(
        self, call: SdkCall
    ) -> Optional[tuple[SdkRule, str, Optional[SdkSteps], Optional[str]]]:
        for rule in self.rules:
            verdict = rule.check_sdk(call, self.owner.settings)
            if verdict is not None:
                return rule, verdict.message, verdict.fix, verdict.reason
        return None

    def _finding(
        self, node: cst.Call, rule: SdkRule, message: str, fixable: bool, reason: Optional[str]
    ) -> Optional[Finding]:
        pos = self.owner.get_metadata(PositionProvider, node)
        if self.owner._suppressed(rule.CODE, pos.start.line, pos.end.line):
            return None
        return Finding(
            code=rule.CODE,
            name=rule.NAME,
            message=message,
            line=pos.start.line,
            column=pos.start.column + 1,
            end_line=pos.end.line,
            end_column=pos.end.column + 1,
            fixable=fixable,
            fix_reason=None if fixable else (reason or "no safe fix"),
        )

    def _accepted(self, finding: Finding) -> bool:
        accept = self.owner.accept
        return accept is None or accept(finding)

    # -- building ----------------------------------------------------------------------
    def _reference(
        self, original: cst.Call, updated: cst.Call, call: SdkCall, fix: SdkSteps
    ) -> cst.Call:
        """``functools.partial(c.stop, timeout=N)`` in place of the method passed along."""
        index = references(original, self.owner._qualified)
        assert index is not None
        assert len(fix.steps) == 1
        step = self._step(call, updated.args[index].value, updated.args[index + 1 :], fix.steps[0])
        if index == 0:  # the partial itself
            return updated.with_changes(args=[cst.Arg(step.func), *step.args])
        add_needed_import(self.owner.context, "functools")
        func = cst.parse_expression("functools.partial")
        partial = cst.Call(func=func, args=[cst.Arg(step.func), *step.args])
        return updated.with_changes(args=[*updated.args[:index], cst.Arg(partial)])

    def _step(
        self, call: SdkCall, func: cst.BaseExpression, given: Sequence[cst.Arg], step: SdkStep
    ) -> cst.Call:
        base = base_of(func, len(call.path))
        method: cst.BaseExpression = base
        for name in step.path:
            method = cst.Attribute(value=method, attr=cst.Name(name))
        positional = [a for a in given if a.keyword is None and not a.star]
        args = [cst.Arg(value=positional[i].value) for i in step.positional]
        args += [
            cst.Arg(value=cst.parse_expression(src), keyword=cst.Name(name), equal=_EQUAL)
            for name, src in step.extra
        ]
        args += [
            cst.Arg(value=a.value, keyword=a.keyword, equal=_EQUAL)
            for a in given
            if a.keyword is not None and a.keyword.value in step.keep
        ]
        settings = self.owner.settings
        if call.context != STATEMENT or settings.runner is not None:  # references too
            return cst.Call(func=method, args=args)
        target = self.owner.target
        if target.module is not None and target.obj is not None:
            add_needed_import(self.owner.context, target.module, target.obj)
        limited = "aio.run_limited" if call.library == AIODOCKER else "run_limited"
        func = cst.parse_expression(f"{target.expression}.{limited}")
        return cst.Call(func=func, args=[cst.Arg(value=method), *args])
