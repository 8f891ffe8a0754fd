"""Building the replacement for a fixed call, from a rule's ``Fix`` and the updated node."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Union

import libcst as cst

from dockfix.engine._argv import Token
from dockfix.rules._base import (
    CallExecutor,
    Fix,
    ReplaceStatements,
    ReplaceWith,
    Reroute,
    RerouteArgv,
    RunnerCalls,
    Verdict,
)


@dataclass(frozen=True)
class Target:
    """Where rewritten calls go: an expression, and the import that provides it (if any)."""

    expression: str
    module: Optional[str]
    obj: Optional[str]


@lru_cache(maxsize=64)
def parse_call(text: str) -> Optional[cst.Call]:
    """The call ``text`` is alone (libcst), or None when it is not a call without
    parentheses around it. Cached (nodes are immutable): ``_fast`` may read a call to
    tell its fixability that ``_fastfix`` then fixes, and calls repeat across files."""
    try:
        node = cst.parse_expression(text)
    except Exception:
        return None
    return node if isinstance(node, cst.Call) and not node.lpar else None


def parse_target(spec: str) -> Target:
    """``"pkg.mod:obj"`` imports ``obj`` from ``pkg.mod``; anything else is an expression."""
    if ":" in spec:
        module, _, attr = spec.partition(":")
        head = attr.split(".", 1)[0]
        return Target(attr, module, head)
    return Target(spec, None, None)


def locate(call: cst.Call, ref: object) -> Optional[cst.BaseExpression]:
    """The node a token's ``ref`` points to, in ``call`` (which may be the updated node).

    A ref is ``("path", argument index, step, ...)``: a step is an attribute name
    (``"left"``/``"right"`` of a ``+``) or an element index in a list or tuple.
    """
    if not isinstance(ref, tuple) or not ref or ref[0] != "path":
        return None
    node: cst.CSTNode = call.args[ref[1]].value
    for step in ref[2:]:
        if isinstance(step, int) and isinstance(node, (cst.List, cst.Tuple)):
            node = node.elements[step].value
        elif isinstance(step, str):
            node = getattr(node, step)
        else:
            return None
    return node if isinstance(node, cst.BaseExpression) else None


class _Comments(cst.CSTVisitor):
    def __init__(self) -> None:
        self.count = 0

    def visit_Comment(self, node: cst.Comment) -> None:
        self.count += 1


def count_comments(nodes: Sequence[cst.CSTNode]) -> int:
    counter = _Comments()
    for node in nodes:
        node.visit(counter)
    return counter.count


def candidate(call: cst.Call, fix: Fix, target: Target) -> list[cst.CSTNode]:
    """What would replace ``call``: to check, before applying, that no comment is lost."""
    if isinstance(fix, (RunnerCalls, ReplaceStatements)):
        return list(build_statements(call, fix, target))
    return [build_call(call, fix, target, "subprocess.PIPE")]


def fixability(
    call: cst.Call, verdict: Verdict, used: bool, target: Target, text: Optional[str] = None
) -> tuple[bool, Optional[str]]:
    """Whether the verdict's fix can be applied to ``call`` (its result ``used`` or not),
    and the reason when it cannot. ``text``, when given, is the call's source: without a
    ``#`` in it, in the fix or in the target, neither side holds a comment to count."""
    reason = verdict.reason
    fixable = verdict.fix is not None
    if isinstance(verdict.fix, (ReplaceStatements, RunnerCalls)) and used:
        fixable, reason = False, "the fix needs the call to be a statement of its own"
    elif verdict.fix is not None:
        try:
            new = candidate(call, verdict.fix, target)
        except Exception as exc:
            fixable, reason = False, f"the fix cannot be built: {exc}"
        else:
            hashes = text is None or "#" in text or "#" in repr((verdict.fix, target))
            if hashes and count_comments([call]) != count_comments(new):
                fixable = False
                reason = "comments inside the call would be lost; rewrite it by hand"
    return fixable, None if fixable else (reason or "no safe fix")


@lru_cache(maxsize=256)
def _expression(code: str) -> cst.BaseExpression:
    """A parsed expression the fixes insert (the executor's method, a new keyword's
    value): a few texts over and over; nodes are immutable, so they are shared."""
    return cst.parse_expression(code)


def build_call(call: cst.Call, fix: Fix, target: Target, pipe: str) -> cst.BaseExpression:
    """The expression replacing ``call`` (not for RunnerCalls: see ``build_statements``)."""
    if isinstance(fix, Reroute):
        func = _expression(f"{target.expression}.{fix.method}")
        return call.with_changes(func=func)
    if isinstance(fix, RerouteArgv):
        return _reroute_argv(call, fix, target)
    if isinstance(fix, ReplaceWith):
        return _expression(fix.expression).with_changes(lpar=call.lpar, rpar=call.rpar)
    assert isinstance(fix, CallExecutor)
    quote = _quote_of(call, fix.positional)
    fresh = [_positional(call, tok, quote) for tok in fix.positional]
    fresh += _keywords(fix.extra, pipe)
    kept = [a for a in call.args if a.keyword is not None and a.keyword.value in fix.keep]
    func = _expression(f"{target.expression}.{fix.method}")
    args = _layout(call, fresh, kept, _keywords(fix.after, pipe))
    new: cst.BaseExpression = call.with_changes(func=func, args=args, lpar=(), rpar=())
    if fix.suffix:
        new = cst.Attribute(value=new, attr=cst.Name(fix.suffix.lstrip(".")))
    return new.with_changes(lpar=call.lpar, rpar=call.rpar)


def _layout(
    call: cst.Call, fresh: list[cst.Arg], kept: list[cst.Arg], after: list[cst.Arg]
) -> list[cst.Arg]:
    """New arguments laid out like the original call's: one per line if it had that.

    Kept keyword arguments are reused whole (with their comments); new ones take the
    separator that followed the original first argument; the last argument takes the
    original last argument's ending (trailing comma, newline before the paren).
    """
    if not call.args:
        return fresh + kept + after
    first, last = call.args[0], call.args[-1]
    sep: Union[cst.Comma, cst.MaybeSentinel] = cst.MaybeSentinel.DEFAULT
    opening = call.whitespace_before_args
    if isinstance(opening, cst.ParenthesizedWhitespace):
        # one argument per line: each new one goes on its own line, indented alike
        plain = opening.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
        sep = cst.Comma(whitespace_after=plain)
    elif len(call.args) > 1 and isinstance(first.comma, cst.Comma):
        sep = first.comma
    ordered = [a.with_changes(comma=sep) for a in fresh]
    ordered += [a if a is not last else a.with_changes(comma=sep) for a in kept]
    ordered += [a.with_changes(comma=sep) for a in after]
    if not ordered:
        return []
    end = ordered[-1].with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg)
    return [*ordered[:-1], end]


def _reroute_argv(call: cst.Call, fix: RerouteArgv, target: Target) -> cst.BaseExpression:
    quote = _quote_of(call, fix.argv)
    elements = [_element(_positional(call, tok, quote)) for tok in fix.argv]
    rest = [a for a in call.args if a.keyword is not None and a.keyword.value not in fix.drop]
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    func = _expression(f"{target.expression}.{fix.method}")
    if fix.spread:  # shapes: argv items as positional arguments
        spread = [_positional(call, tok, quote) for tok in fix.argv]
        spread = [a.with_changes(comma=comma) for a in spread[:-1]] + spread[-1:]
        if rest:
            spread[-1] = spread[-1].with_changes(comma=comma)
        return call.with_changes(func=func, args=[*spread, *rest])
    argv = cst.Arg(cst.List(elements))
    if rest:
        argv = argv.with_changes(comma=comma)
    return call.with_changes(func=func, args=[argv, *rest])


def _element(arg: cst.Arg) -> cst.BaseElement:
    if arg.star == "*":
        return cst.StarredElement(value=arg.value)
    return cst.Element(value=arg.value)


def _keywords(pairs: Sequence[tuple[str, str]], pipe: str) -> list[cst.Arg]:
    return [
        cst.Arg(
            value=_expression(source.replace("subprocess.PIPE", pipe)),
            keyword=cst.Name(name),
            equal=_EQUAL,
        )
        for name, source in pairs
    ]


def build_statements(
    call: cst.Call, fix: Union[RunnerCalls, ReplaceStatements], target: Target
) -> list[cst.BaseSmallStatement]:
    """One ``runner([...])`` expression statement per argv (or the given statements)."""
    if isinstance(fix, ReplaceStatements):
        out: list[cst.BaseSmallStatement] = []
        for source in fix.statements:
            line = cst.parse_statement(source)
            if not isinstance(line, cst.SimpleStatementLine):
                raise ValueError(f"not a simple statement: {source!r}")
            out.extend(line.body)
        return out
    quote = _quote_of(call, fix.argvs[0])
    runner = cst.parse_expression(target.expression)
    out = []
    for argv in fix.argvs:
        elements = [_element(_positional(call, tok, quote)) for tok in argv]
        out.append(cst.Expr(cst.Call(func=runner, args=[cst.Arg(cst.List(elements))])))
    return out


_EQUAL = cst.AssignEqual(
    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
)


def _positional(call: cst.Call, tok: Token, quote: str) -> cst.Arg:
    node = locate(call, tok.ref)
    if node is None:
        if tok.value is None:
            node = cst.parse_expression(tok.text)
        else:
            node = cst.SimpleString(_string(tok.value, quote))
    return cst.Arg(value=node, star="*" if tok.starred else "")


def _quote_of(call: cst.Call, tokens: Sequence[Token]) -> str:
    for arg in call.args:
        value = arg.value
        for node in value.elements if isinstance(value, (cst.List, cst.Tuple)) else [value]:
            inner = node.value if isinstance(node, cst.BaseElement) else node
            if isinstance(inner, cst.SimpleString):
                return "'" if inner.quote == "'" else '"'
    return '"'


def _string(value: str, quote: str) -> str:
    body = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{body}{quote}"
