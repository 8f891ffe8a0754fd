"""``analyze``: one libcst pass that finds docker calls, asks the rules, applies accepted fixes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Callable, Optional, Union

import libcst as cst
from libcst.codemod import CodemodContext, ContextAwareTransformer
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from dockfix.engine._extract import ALL_APIS, Resolver, call_site, extract
from dockfix.engine._imports import finish_imports
from dockfix.engine._prefilter import prefilter
from dockfix.engine._prescan import has_candidate_call
from dockfix.engine._rewrite import (
    Target,
    build_call,
    build_statements,
    candidate,
    count_comments,
    parse_target,
)
from dockfix.engine._sdk_fix import SdkMatcher  # Docker SDK rules (DF1xx)
from dockfix.engine._types import FileResult, Finding, Settings
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
)

Accept = Callable[[Finding], bool]
_API_NAMES = frozenset(api.rsplit(".", 1)[1] for api in ALL_APIS)
_IGNORE = re.compile(r"#\s*dockfix:\s*ignore(?:\[([^\]]*)\])?")


def analyze(
    source: bytes,
    settings: Settings,
    *,
    path: str = "<stdin>",
    accept: Optional[Accept] = None,
    rules: Optional[Sequence[type[Rule]]] = None,
) -> FileResult:
    """Find dangerous docker calls in ``source`` and apply the accepted fixes. Never raises.

    ``rules`` replaces the registry (``dockfix.rules.ALL_RULES``), for tests and tools.
    """
    unchanged = FileResult(source=source, fixed=source)
    chosen = ALL_RULES if rules is None else rules
    if rules is None and not prefilter(source, settings):
        return unchanged if parses(source) else _parse_error(source, path)
    if not has_candidate_call(source, _interesting_names(chosen, settings)):
        return unchanged
    try:
        module = cst.parse_module(source)
    except Exception as exc:
        return FileResult(source, source, (), f"cannot parse {path}: {_first_line(exc)}")
    try:
        context = CodemodContext(filename=path)
        transformer = _Transformer(context, settings, accept, rules)
        fixed_module = _no_new_leading_blank(module, _transform(module, transformer, context))
        findings = tuple(transformer.findings)
        fixed = fixed_module.bytes if transformer.applied else source
    except Exception as exc:
        return FileResult(source, source, (), f"internal error on {path}: {exc!r}")
    if fixed != source:
        try:
            cst.parse_module(fixed)
        except Exception as exc:
            error = f"the fix would not parse, file left unchanged: {_first_line(exc)}"
            return FileResult(source, source, findings, error)
    return FileResult(source, fixed, findings, applied=tuple(transformer.applied))


def parses(source: bytes) -> bool:
    """Whether ``ast`` (much cheaper than libcst) accepts ``source``."""
    return not has_candidate_call(source, ())


def _parse_error(source: bytes, path: str) -> FileResult:
    try:
        cst.parse_module(source)
    except Exception as exc:
        return FileResult(source, source, (), f"cannot parse {path}: {_first_line(exc)}")
    return FileResult(source=source, fixed=source)


def _interesting_names(rules: Sequence[type[Rule]], settings: Settings) -> frozenset[str]:
    names: set[str] = set()
    for rule in rules:
        if not settings.enabled(rule.CODE):
            continue
        if issubclass(rule, CallRule):
            names.update(rule.METHODS)
        else:
            names.update(_API_NAMES)
    return frozenset(names)


def _transform(
    module: cst.Module, transformer: _Transformer, context: CodemodContext
) -> cst.Module:
    """One metadata-backed pass of the rules; the import helpers run only after a fix."""
    tree = MetadataWrapper(module, unsafe_skip_copy=True).visit(transformer)
    if not transformer.applied:
        return tree
    return finish_imports(tree, context)


def _no_new_leading_blank(before: cst.Module, after: cst.Module) -> cst.Module:
    """Removing the first import must not leave the file starting with blank lines."""
    if not after.body or not before.body or after.header:
        return after
    if after.body[0] is before.body[0] or before.body[0].leading_lines:
        return after
    lines = after.body[0].leading_lines
    if not lines or any(line.comment is not None for line in lines):
        return after
    first = after.body[0].with_changes(leading_lines=())
    return after.with_changes(body=[first, *after.body[1:]])


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _Transformer(ContextAwareTransformer):
    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider, ScopeProvider)

    def __init__(
        self,
        context: CodemodContext,
        settings: Settings,
        accept: Optional[Accept],
        rules: Optional[Sequence[type[Rule]]] = None,
    ) -> None:
        super().__init__(context)
        self.settings = settings
        self.accept = accept
        enabled = [r() for r in (ALL_RULES if rules is None else rules) if settings.enabled(r.CODE)]
        self.command_rules: list[Rule] = [r for r in enabled if not isinstance(r, CallRule)]
        self._call_rules: dict[str, list[CallRule]] = {}
        for rule in enabled:
            if isinstance(rule, CallRule):
                for method in rule.METHODS:
                    self._call_rules.setdefault(method, []).append(rule)
        self._names = set(self._call_rules) | (_API_NAMES if self.command_rules else set())
        self._awaited: set[int] = set()
        self._aliases: set[str] = set()
        self.target: Target = parse_target(settings.runner or settings.executor)
        self.findings: list[Finding] = []
        self.applied: list[tuple[str, int, int]] = []
        self._bindings: dict[int, cst.BaseExpression] = {}
        self._statement_calls: set[int] = set()
        self._statement_lines: list[tuple[int, int]] = []
        self._pending: dict[int, list[cst.BaseSmallStatement]] = {}
        self._ignores: dict[int, Optional[frozenset[str]]] = {}
        self._lines: list[str] = []
        self._resolver = Resolver(self._code_for, self._binding, self._qualified)
        self._sdk = SdkMatcher(self)  # Docker SDK rules (DF1xx)

    # -- what extraction needs -------------------------------------------------------
    def _code_for(self, node: cst.CSTNode) -> str:
        return self._module.code_for_node(node)

    def _qualified(self, node: cst.CSTNode) -> frozenset[str]:
        names = self.get_metadata(QualifiedNameProvider, node, set())
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

    # -- traversal -------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._module = node
        self._sdk.collect(node)  # Docker SDK rules (DF1xx)
        text = node.code
        if "dockfix" in text:
            self._lines = text.splitlines()
            self._ignores = _ignore_lines(self._lines)
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
        statements = self._pending.pop(id(updated_node.body[0].value), None)
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
        if self.command_rules and (name in _API_NAMES or name in self._aliases):
            apis = self._qualified(func) & ALL_APIS
        if apis:
            call = extract(original_node, min(apis), self._resolver, result_used=used)
            if call is not None:
                found = self._verdict(call)
        elif name in self._call_rules:
            found = self._call_verdict(original_node, name, used)
        if found is None:
            return updated_node
        rule, verdict = found
        finding = self._finding(original_node, rule, verdict, used)
        if finding is None:
            return updated_node
        self.findings.append(finding)
        if not finding.fixable or (self.accept is not None and not self.accept(finding)):
            return updated_node
        self.applied.append(finding.key)
        return self._apply(original_node, updated_node, call, verdict)

    # -- rules, findings, fixes ------------------------------------------------------
    def _verdict(self, call: DockerCall) -> Optional[tuple[Rule, Verdict]]:
        for rule in self.command_rules:
            verdict = rule.check(call, self.settings)
            if verdict is not None:
                return rule, verdict
        return None

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
        reason = verdict.reason
        fixable = verdict.fix is not None
        if isinstance(verdict.fix, (ReplaceStatements, RunnerCalls)) and used:
            fixable, reason = False, "the fix needs the call to be a statement of its own"
        elif verdict.fix is not None:
            try:
                new = candidate(node, verdict.fix, self.target)
            except Exception as exc:
                fixable, reason = False, f"the fix cannot be built: {exc}"
            else:
                if count_comments([node]) != count_comments(new):
                    fixable = False
                    reason = "comments inside the call would be lost; rewrite it by hand"
        return Finding(
            code=rule.CODE,
            name=rule.NAME,
            message=verdict.message,
            line=pos.start.line,
            column=pos.start.column + 1,
            end_line=pos.end.line,
            end_column=pos.end.column + 1,
            fixable=fixable,
            fix_reason=None if fixable else (reason or "no safe fix"),
        )

    def _suppressed(self, code: str, start: int, end: int) -> bool:
        if not self._ignores:
            return False
        if self._statement_lines:
            start, end = min(start, self._statement_lines[-1][0]), self._statement_lines[-1][1]
        lines = list(range(start, end + 1))
        above = start - 1
        if above >= 1 and self._lines[above - 1].lstrip().startswith("#"):
            lines.append(above)
        for line in lines:
            if line in self._ignores:
                codes = self._ignores[line]
                if codes is None or code in codes:
                    return True
        return False

    def _apply(
        self, original: cst.Call, updated: cst.Call, call: Optional[DockerCall], verdict: Verdict
    ) -> cst.BaseExpression:
        fix = verdict.fix
        assert fix is not None
        if isinstance(fix, (ReplaceWith, ReplaceStatements)):
            for module, obj in fix.imports:
                AddImportsVisitor.add_needed_import(self.context, module, obj)
            if isinstance(fix, ReplaceStatements):
                self._pending[id(updated)] = build_statements(updated, fix, self.target)
                return updated
            return build_call(updated, fix, self.target, "subprocess.PIPE")
        assert call is not None
        target = self.target
        if target.module is not None and target.obj is not None:
            AddImportsVisitor.add_needed_import(self.context, target.module, target.obj)
        self._schedule_removal(original, call)
        if isinstance(fix, RunnerCalls):
            self._pending[id(updated)] = build_statements(updated, fix, target)
            return updated
        pipe = "subprocess.PIPE"
        if isinstance(fix, CallExecutor) and fix.needs_pipe:
            pipe = self._pipe(original)
        return build_call(updated, fix, target, pipe)

    def _pipe(self, original: cst.Call) -> str:
        func = original.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            return f"{func.value.value}.PIPE"
        AddImportsVisitor.add_needed_import(self.context, "subprocess")
        return "subprocess.PIPE"

    def _schedule_removal(self, original: cst.Call, call: DockerCall) -> None:
        module, _, obj = call.api.rpartition(".")
        func = original.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            alias = func.value.value
            asname = None if alias == module else alias
            RemoveImportsVisitor.remove_unused_import(self.context, module, asname=asname)
        elif isinstance(func, cst.Name):
            asname = None if func.value == obj else func.value
            RemoveImportsVisitor.remove_unused_import(self.context, module, obj, asname=asname)
        if call.argv_shape == "shlex-split":
            RemoveImportsVisitor.remove_unused_import(self.context, "shlex")
        if call.program_kind == "which":
            RemoveImportsVisitor.remove_unused_import(self.context, "shutil")


def _ignore_lines(lines: Sequence[str]) -> dict[int, Optional[frozenset[str]]]:
    """Line number -> the codes ignored there (None: all codes)."""
    found: dict[int, Optional[frozenset[str]]] = {}
    for number, line in enumerate(lines, start=1):
        if "dockfix" not in line:
            continue
        match = _IGNORE.search(line)
        if match is None:
            continue
        codes = match.group(1)
        found[number] = (
            None if codes is None else frozenset(c.strip() for c in codes.split(",") if c.strip())
        )
    return found
