"""``analyze``: one libcst pass that finds docker calls, asks the rules, applies accepted fixes."""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from dockfix.engine._apis import API_NAMES
from dockfix.engine._fast import fast_findings
from dockfix.engine._prefilter import prefilter
from dockfix.engine._prescan import has_candidate_call
from dockfix.engine._reduce import Reduction, Unsplit, parse, reduce, reduce_split
from dockfix.engine._types import Accept, FileResult, Finding, Settings, report_only
from dockfix.rules import ALL_RULES
from dockfix.rules._base import CallRule, Rule

RECURSION_LIMIT = 20000


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

    The libcst pass runs first on a reduced copy of the module (``_reduce``: the top-level
    definitions without a call worth a look become one-line stubs, lines and columns kept).
    Its findings are the file's; its fixes are carried back to the original lines when that
    is sure to give the full module's bytes (else, or when anything fails, the full module is
    analysed). ``DOCKFIX_NO_REDUCE=1`` always analyses the full module.

    In check mode the reduction is first built from ``_split``'s statement groups, without
    ``ast.parse`` of the whole file; when ``_fast`` answers on it, that is the result.
    """
    unchanged = FileResult(source=source, fixed=source)
    chosen = ALL_RULES if rules is None else rules
    if rules is None and not prefilter(source, settings):
        return unchanged if parses(source) else _parse_error(source, path)
    fast = rules is None and not os.environ.get("DOCKFIX_NO_FAST")
    if fast and accept is report_only and not _off("DOCKFIX_NO_REDUCE", "DOCKFIX_NO_SPLIT"):
        found = _split_findings(source, settings)  # check mode: a fix needs the whole ast
        if found is not None:
            return FileResult(source, source, found)
    if fast and accept is None and not _off("DOCKFIX_NO_REDUCE", "DOCKFIX_NO_SPLIT"):
        fixed = _fast_fix(source, settings)  # every fix applied: the common shape without
        if fixed is not None:  # the libcst pass over the module
            return fixed
    tree = parse(source)
    with _deep_recursion():
        if tree is not None and not os.environ.get("DOCKFIX_NO_REDUCE"):
            reduction = reduce(
                source,
                tree,
                _triggers(chosen, settings),
                _call_names(chosen, settings),
                fixes=accept is not report_only,
            )
            if reduction is not None:
                reduced_tree = parse(reduction.source)
                if fast:  # it answers for files without candidates
                    found = _fast_reduced(reduction, reduced_tree, settings)
                    if _final(found, accept):
                        return FileResult(source, source, found or ())
                if not _candidates(reduction.source, chosen, settings, reduced_tree):
                    return unchanged
                result = _analyze_reduced(source, tree, reduction, settings, path, accept, rules)
                if result is not None:
                    return result
            elif fast:
                found = fast_findings(source, tree, settings)
                if _final(found, accept):
                    return FileResult(source, source, found or ())
        if not _candidates(source, chosen, settings, tree):
            return unchanged
        return _analyze_full(source, settings, path, accept, rules)


@contextmanager
def _deep_recursion() -> Iterator[None]:
    """libcst recurses once per nesting level (long concatenations, deep expressions)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@dataclass(frozen=True)
class _Enabled:
    """What the enabled rules need looked at, computed once per rule set and settings."""

    triggers: tuple[bytes, ...]  # a statement holding none of them finds nothing
    calls: frozenset[str]  # the call names the transformer inspects (besides aliases)
    methods: frozenset[str]  # the ``CallRule``s' method names
    apis: frozenset[str]  # the subprocess/os/asyncio API names, when a command rule is on
    command_triggers: frozenset[str]  # the command rules' triggers, for the ``ast`` prescan


@lru_cache(maxsize=32)
def _enabled(rules: tuple[type[Rule], ...], settings: Settings) -> _Enabled:
    triggers: list[bytes] = []
    methods: set[str] = set()
    command: set[str] = set()
    command_rules = False
    for rule in rules:
        if not settings.enabled(rule.CODE):
            continue
        triggers += [t for t in rule.TRIGGERS if t not in triggers]
        if issubclass(rule, CallRule):
            methods.update(rule.METHODS)
        else:
            command_rules = True
            command.update(t.decode("latin-1") for t in rule.TRIGGERS)
    return _Enabled(
        triggers=tuple(triggers),
        calls=frozenset(API_NAMES | methods),
        methods=frozenset(methods),
        apis=API_NAMES if command_rules else frozenset(),
        command_triggers=frozenset(command),
    )


def _triggers(rules: Sequence[type[Rule]], settings: Settings) -> tuple[bytes, ...]:
    """The enabled rules' triggers: a statement holding none of them finds nothing."""
    return _enabled(tuple(rules), settings).triggers


def _call_names(rules: Sequence[type[Rule]], settings: Settings) -> frozenset[str]:
    """The call names the transformer inspects (besides the file's import aliases)."""
    return _enabled(tuple(rules), settings).calls


def parses(source: bytes) -> bool:
    """Whether ``ast`` (much cheaper than libcst) accepts ``source``."""
    return parse(source) is not None


def _candidates(
    source: bytes,
    rules: Sequence[type[Rule]],
    settings: Settings,
    tree: Optional[ast.Module] = None,
) -> bool:
    """Whether the ``ast`` prescan finds a call one of the enabled rules could match."""
    enabled = _enabled(tuple(rules), settings)
    return has_candidate_call(source, enabled.methods, enabled.apis, enabled.command_triggers, tree)


# -- the libcst pass (``_pass``), imported on first use ----------------------------------


def _off(*names: str) -> bool:
    return any(os.environ.get(name) for name in names)


def _split_findings(source: bytes, settings: Settings) -> Optional[tuple[Finding, ...]]:
    """Check mode's findings when ``_fast`` answers on the reduction built from
    ``_split``'s statement groups (no ``ast.parse`` of the whole file); None when it
    does not (the file is then analysed as before, which also reports what went wrong).
    It runs under the caller's recursion limit: code nested too deeply for it (a
    ``RecursionError`` in the compiler, ``ast`` or ``_fast``) takes the usual path, which
    raises the limit for libcst."""
    try:
        reduction = reduce_split(
            source, _triggers(ALL_RULES, settings), _call_names(ALL_RULES, settings), fixes=False
        )
    except (Unsplit, RecursionError, MemoryError):
        return None
    if reduction is None:
        return None
    return _fast_reduced(reduction, parse(reduction.source), settings)


def _fast_fix(source: bytes, settings: Settings) -> Optional[FileResult]:
    """Fix mode's result from ``_fastfix`` (imported on first use: it brings libcst), or
    None when the libcst pass must run. It runs under the caller's recursion limit, as
    ``_split_findings`` does."""
    from dockfix.engine._fastfix import fast_fix

    return fast_fix(
        source, settings, _triggers(ALL_RULES, settings), _call_names(ALL_RULES, settings)
    )


def _fast_reduced(
    reduction: Reduction, tree: Optional[ast.Module], settings: Settings
) -> Optional[tuple[Finding, ...]]:
    """``_fast`` on a reduction (``tree`` is its ``parse``, None when it does not parse)."""
    if tree is None:
        return None
    return fast_findings(reduction.source, tree, settings, screened=True)


def _final(findings: Optional[tuple[Finding, ...]], accept: Optional[Accept]) -> bool:
    """Whether the findings of ``_fast`` are the whole result: in check mode, or when no
    finding has a fix to apply (``accept`` is then never asked, in either path)."""
    if findings is None:
        return False
    return accept is report_only or not any(f.fixable for f in findings)


def _analyze_reduced(
    source: bytes,
    tree: ast.Module,
    reduction: Reduction,
    settings: Settings,
    path: str,
    accept: Optional[Accept],
    rules: Optional[Sequence[type[Rule]]],
) -> Optional[FileResult]:
    from dockfix.engine._pass import analyze_reduced

    return analyze_reduced(source, tree, reduction, settings, path, accept, rules)


def _analyze_full(
    source: bytes,
    settings: Settings,
    path: str,
    accept: Optional[Accept],
    rules: Optional[Sequence[type[Rule]]],
) -> FileResult:
    from dockfix.engine._pass import analyze_full

    return analyze_full(source, settings, path, accept, rules)


def _parse_error(source: bytes, path: str) -> FileResult:
    from dockfix.engine._pass import parse_error

    return parse_error(source, path)
