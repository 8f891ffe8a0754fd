"""The libcst pass behind ``analyze``: one traversal dispatching every call to the rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Optional, Union

import libcst as cst
from libcst.metadata import PositionProvider, QualifiedNameSource, ScopeProvider

from dockfix.engine._apis import ALL_APIS, API_NAMES
from dockfix.engine._dataflow import flow_context
from dockfix.engine._extract import Resolver, call_site, extract
from dockfix.engine._rewrite import (
    Target,
    build_call,
    build_statements,
    fixability,
    parse_target,
)
from dockfix.engine._schedule import Context, add_needed_import, remove_unused_import
from dockfix.engine._sdk_fix import SdkMatcher  # Docker SDK rules (DF1xx)
from dockfix.engine._suppress import Suppressions
from dockfix.engine._types import Accept, Finding, Settings
from dockfix.rules import ALL_RULES
from dockfix.rules._base import (
    CallExecutor,
    CallRule,
    DockerCall,
    ReplaceStatements,
    ReplaceWith,
    Rule,
    RunnerCalls,
    Verdict,
    first_verdict,
)


class Transformer(cst.CSTTransformer):
    """The single pass: finds calls, asks the rules, records findings, applies fixes.

    A plain ``CSTTransformer`` holding the codemod context (the import helpers read what it
    schedules there): libcst's ``ContextAwareTransformer`` would add matcher bookkeeping to
    every node visited, which no method here uses.
    """

    # Qualified names are asked of the scope for the few calls that need them: libcst's
    # QualifiedNameProvider gives each node of the module the same lazy answer, and that
    # traversal alone cost ~1.8 ms of a dense benchmark file's 14 ms fix.
    METADATA_DEPENDENCIES = (PositionProvider, ScopeProvider)

    def __init__(
        self,
        context: Context,
        settings: Settings,
        accept: Optional[Accept],
        rules: Optional[Sequence[type[Rule]]] = None,
        *,
        sdk_imports: bool = True,
    ) -> None:
        super().__init__()
        self.context = context
        # False when the module imports no Docker SDK: no receiver can be found, so the
        # SDK rules' traversal of the module (collecting receivers) is skipped.
        self.sdk_imports = sdk_imports
        self.settings = settings
        self.accept = accept
        enabled = [r() for r in (ALL_RULES if rules is None else rules) if settings.enabled(r.CODE)]
        self.command_rules: list[Rule] = [r for r in enabled if not isinstance(r, CallRule)]
        self._call_rules: dict[str, list[CallRule]] = {}
        for rule in enabled:
            if isinstance(rule, CallRule):
                for method in rule.METHODS:
                    self._call_rules.setdefault(method, []).append(rule)
        self._names = set(self._call_rules) | (API_NAMES if self.command_rules else set())
        self._awaited: set[int] = set()
        self._aliases: set[str] = set()
        self.target: Target = parse_target(settings.runner or settings.executor)
        self.findings: list[Finding] = []
        self.applied: list[tuple[str, int, int]] = []
        self._bindings: dict[int, cst.BaseExpression] = {}
        self._statement_calls: set[int] = set()
        self._statement_lines: list[tuple[int, int]] = []
        self.pending: dict[int, list[cst.BaseSmallStatement]] = {}  # emptied by the pass
        self._resolver = Resolver(self._code_for, self._binding, self._qualified, self._uses)
        self._sdk = SdkMatcher(self)  # Docker SDK rules (DF1xx)
        self._resolver.flow = flow_context(self, self._code_for, lambda: self._module)  # shapes

    # -- what extraction needs -------------------------------------------------------
    def _code_for(self, node: cst.CSTNode) -> str:
        return self._module.code_for_node(node)

    def _qualified(self, node: cst.CSTNode) -> frozenset[str]:
        """What ``QualifiedNameProvider`` says of ``node`` (its visitor asks the node's
        scope exactly this), the names that come from imports."""
        scope = self.get_metadata(ScopeProvider, node, None)
        names = scope.get_qualified_names_for(node) if scope is not None else set()
        return frozenset(q.name for q in names if q.source == QualifiedNameSource.IMPORT)

    def _binding(self, name: cst.Name) -> Optional[cst.BaseExpression]:
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return None
        assignments = list(scope[name.value])
        if len(assignments) != 1:
            return None
        target = getattr(assignments[0], "node", None)
        return self._bindings.get(id(target)) if target is not None else None

    def _uses(self, name: cst.Name) -> int:
        scope = self.get_metadata(ScopeProvider, name, None)
        return len(scope.accesses[name.value]) if scope is not None else 0

    # -- traversal -------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._module = node
        if self.sdk_imports:
            self._sdk.collect(node)  # Docker SDK rules (DF1xx)
        self._suppressions = Suppressions(node.code)
        for stmt in node.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign):
                        self.visit_Assign(small)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self._bindings[id(node.targets[0].target)] = node.value

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        """``from subprocess import run as r``: calls to ``r`` need a look too."""
        if self.command_rules and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self._names.add(alias.asname.name.value)
                    self._aliases.add(alias.asname.name.value)

    def visit_Await(self, node: cst.Await) -> None:
        self._awaited.add(id(node.expression))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        pos = self.get_metadata(PositionProvider, node)
        self._statement_lines.append((pos.start.line, pos.end.line))
        if len(node.body) == 1 and isinstance(node.body[0], cst.Expr):
            value = node.body[0].value
            if isinstance(value, cst.Await):
                value = value.expression
            self._statement_calls.add(id(value))

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> Union[cst.SimpleStatementLine, cst.FlattenSentinel[cst.SimpleStatementLine]]:
        self._statement_lines.pop()
        sdk_lines = self._sdk.leave_statement(original_node, updated_node)  # Docker SDK (DF1xx)
        if sdk_lines is not None:
            return sdk_lines
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.Expr):
            return updated_node
        value = updated_node.body[0].value
        if isinstance(value, cst.Await):  # the replacement statements carry their own await
            value = value.expression
        statements = self.pending.pop(id(value), None)
        if statements is None:
            return updated_node
        lines = [cst.SimpleStatementLine(body=[s]) for s in statements]
        lines[0] = lines[0].with_changes(leading_lines=updated_node.leading_lines)
        lines[-1] = lines[-1].with_changes(trailing_whitespace=updated_node.trailing_whitespace)
        return cst.FlattenSentinel(lines)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        sdk_call = self._sdk.leave_call(original_node, updated_node)  # Docker SDK (DF1xx)
        if sdk_call is not None:
            return sdk_call
        func = original_node.func
        if isinstance(func, cst.Attribute):
            name = func.attr.value
        else:
            name = func.value if isinstance(func, cst.Name) else ""
        if name not in self._names:
            return updated_node
        used = id(original_node) not in self._statement_calls
        found: Optional[tuple[Rule, Verdict]] = None
        call: Optional[DockerCall] = None
        apis: frozenset[str] = frozenset()
        if self.command_rules and (name in API_NAMES or name in self._aliases):
            apis = self._qualified(func) & ALL_APIS
        if apis:
            call = extract(original_node, min(apis), self._resolver, result_used=used)
            if call is not None:
                found = first_verdict(self.command_rules, call, self.settings)
        elif name in self._call_rules:
            found = self._call_verdict(original_node, name, used)
        if found is None:
            return updated_node
        rule, verdict = found
        finding = self._finding(original_node, rule, verdict, used)
        if finding is None:
            return updated_node
        if call is not None and call.related:  # shapes: where the argv was built
            finding = dataclasses.replace(finding, related=call.related)
        self.findings.append(finding)
        if not finding.fixable or (self.accept is not None and not self.accept(finding)):
            return updated_node
        self.applied.append(finding.key)
        return self._apply(original_node, updated_node, call, verdict)

    # -- rules, findings, fixes ------------------------------------------------------
    def _call_verdict(
        self, node: cst.Call, name: str, used: bool
    ) -> Optional[tuple[Rule, Verdict]]:
        site = call_site(node, name, self._resolver, used, id(node) in self._awaited)
        for rule in self._call_rules[name]:
            verdict = rule.check_call(site, self.settings)
            if verdict is not None:
                return rule, verdict
        return None

    def _finding(
        self, node: cst.Call, rule: Rule, verdict: Verdict, used: bool
    ) -> Optional[Finding]:
        pos = self.get_metadata(PositionProvider, node)
        if self._suppressed(rule.CODE, pos.start.line, pos.end.line):
            return None
        fixable, reason = fixability(node, verdict, used, self.target)
        return Finding(
            code=rule.CODE,
            name=rule.NAME,
            message=verdict.message,
            line=pos.start.line,
            column=pos.start.column + 1,
            end_line=pos.end.line,
            end_column=pos.end.column + 1,
            fixable=fixable,
            fix_reason=reason,
        )

    def _suppressed(self, code: str, start: int, end: int) -> bool:
        if self._statement_lines:
            start, end = min(start, self._statement_lines[-1][0]), self._statement_lines[-1][1]
        return self._suppressions.covers(code, start, end)

    def _apply(
        self, original: cst.Call, updated: cst.Call, call: Optional[DockerCall], verdict: Verdict
    ) -> cst.BaseExpression:
        fix = verdict.fix
        assert fix is not None
        if isinstance(fix, (ReplaceWith, ReplaceStatements)):
            for module, obj in fix.imports:
                add_needed_import(self.context, module, obj)
            if isinstance(fix, ReplaceStatements):
                self.pending[id(updated)] = build_statements(updated, fix, self.target)
                return updated
            return build_call(updated, fix, self.target, "subprocess.PIPE")
        assert call is not None
        target = self.target
        if target.module is not None and target.obj is not None:
            add_needed_import(self.context, target.module, target.obj)
        self._schedule_removal(original, call)
        if isinstance(fix, RunnerCalls):
            self.pending[id(updated)] = build_statements(updated, fix, target)
            return updated
        pipe = "subprocess.PIPE"
        if isinstance(fix, CallExecutor) and fix.needs_pipe:
            pipe = self._pipe(original)
        return build_call(updated, fix, target, pipe)

    def _pipe(self, original: cst.Call) -> str:
        func = original.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            return f"{func.value.value}.PIPE"
        add_needed_import(self.context, "subprocess")
        return "subprocess.PIPE"

    def _schedule_removal(self, original: cst.Call, call: DockerCall) -> None:
        module, _, obj = call.api.rpartition(".")
        func = original.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            alias = func.value.value
            asname = None if alias == module else alias
            remove_unused_import(self.context, module, asname=asname)
        elif isinstance(func, cst.Name):
            asname = None if func.value == obj else func.value
            remove_unused_import(self.context, module, obj, asname=asname)
        if call.argv_shape in ("shlex-split", "shell-plain"):  # shell-plain: shlex.quote
            remove_unused_import(self.context, "shlex")
        if call.program_kind == "which":
            remove_unused_import(self.context, "shutil")
