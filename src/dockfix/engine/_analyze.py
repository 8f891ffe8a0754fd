"""``analyze``: one libcst pass that finds docker calls, asks the rules, applies accepted fixes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.metadata import MetadataWrapper

from dockfix.engine._imports import finish_imports
from dockfix.engine._prefilter import prefilter
from dockfix.engine._prescan import has_candidate_call, parse
from dockfix.engine._transformer import API_NAMES, Accept, Transformer
from dockfix.engine._types import FileResult, Settings
from dockfix.rules import ALL_RULES
from dockfix.rules._base import CallRule, Rule


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
    if not _candidates(source, chosen, settings):
        return unchanged
    try:
        module = cst.parse_module(source)
    except Exception as exc:
        return FileResult(source, source, (), f"cannot parse {path}: {_first_line(exc)}")
    try:
        context = CodemodContext(filename=path)
        transformer = Transformer(context, settings, accept, rules)
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
    return parse(source) is not None


def _parse_error(source: bytes, path: str) -> FileResult:
    try:
        cst.parse_module(source)
    except Exception as exc:
        return FileResult(source, source, (), f"cannot parse {path}: {_first_line(exc)}")
    return FileResult(source=source, fixed=source)


def _candidates(source: bytes, rules: Sequence[type[Rule]], settings: Settings) -> bool:
    """Whether the ``ast`` prescan finds a call one of the enabled rules could match."""
    methods: set[str] = set()
    triggers: set[str] = set()
    command_rules = False
    for rule in rules:
        if not settings.enabled(rule.CODE):
            continue
        if issubclass(rule, CallRule):
            methods.update(rule.METHODS)
        else:
            command_rules = True
            triggers.update(t.decode("latin-1") for t in rule.TRIGGERS)
    apis = API_NAMES if command_rules else frozenset()
    return has_candidate_call(source, methods, apis, triggers)


def _transform(module: cst.Module, transformer: Transformer, context: CodemodContext) -> cst.Module:
    """One metadata-backed pass of the rules; the import helpers run only after a fix."""
    tree = MetadataWrapper(module, unsafe_skip_copy=True).visit(transformer)
    if transformer.pending:
        raise RuntimeError("a statement fix found no statement to replace")
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
