"""Whether a fix the fast path reads can be built, told without libcst.

``_rewrite.fixability`` builds a call's fix with libcst to tell whether it can be built
(and, when a ``#`` is about, whether the call's comments would survive). Check mode only
needs that answer, and building it cost ``dockfix check`` the libcst import in every
worker (~0.1 s) and ~0.1 ms a call. For the calls ``_fast`` reads, the build can fail
only in a few places, and ``buildable`` says yes only when none of them can:

- the executor (or runner) expression and the fix's method are dotted names (what the
  build parses as ``expression.method``);
- every token the fix puts in the new call is an item of the call's argv list (``_fast``
  gives it the reference ``("path", 0, index)``: the argv is the call's first argument,
  no keyword or star can come before it) or a literal string (a new string node);
- the keyword values the fix adds are expressions (the texts of the call's own tokens,
  ``True``, numbers...), and Python's parser takes them;
- no ``#`` in the call or the fix (else comments are counted: libcst decides).

It says no (``False``: ask libcst) for anything else: a fix replacing statements or the
call by a given expression, an f-string on Python 3.12+ (whose f-string grammar libcst
may not take). ``tests/engine/test_fast.py`` compares the fast path's findings, fixability
included, with the libcst pass.
"""

from __future__ import annotations

import ast
import keyword
import sys
import warnings
from collections.abc import Iterable
from functools import lru_cache

from dockfix.engine._argv import Token
from dockfix.engine._walk import walk
from dockfix.rules._base import CallExecutor, Fix, Reroute, RerouteArgv, RunnerCalls

_NEW_FSTRINGS = sys.version_info >= (3, 12)


def buildable(call: ast.Call, text: str, fix: Fix, spec: str) -> bool:
    """Whether ``_rewrite.fixability`` finds ``fix`` buildable for ``call`` (read by
    ``_fast``; ``text`` is its source) and loses no comment; False when only libcst can
    tell. ``spec`` is the executor (or runner) setting."""
    if "#" in text or "#" in spec or "#" in repr(fix):
        return False
    if _NEW_FSTRINGS and any(isinstance(node, ast.JoinedStr) for node in walk(call)):
        return False
    expression = spec.partition(":")[2] if ":" in spec else spec
    if not dotted(expression):
        return False
    if isinstance(fix, Reroute):
        return dotted(fix.method)
    if isinstance(fix, RerouteArgv):
        return dotted(fix.method) and _placed(fix.argv)
    if isinstance(fix, RunnerCalls):  # a statement of its own: ``fixability`` checked it
        return all(_placed(argv) for argv in fix.argvs)
    if isinstance(fix, CallExecutor):
        sources = [source for _, source in (*fix.extra, *fix.after)]
        return (
            dotted(fix.method)
            and _placed(fix.positional)
            and all(_expression(source) for source in sources)
            and all(name.isidentifier() for name, _ in (*fix.extra, *fix.after))
            and (fix.suffix is None or dotted(fix.suffix.lstrip(".")))
        )
    return False  # ReplaceWith, ReplaceStatements: not of the fast path


def _placed(tokens: Iterable[Token]) -> bool:
    """Whether each token is an argv item of the call (located) or a new literal string."""
    for token in tokens:
        ref = token.ref
        if isinstance(ref, tuple) and len(ref) == 3 and ref[:2] == ("path", 0):
            located = isinstance(ref[2], int)
        else:
            located = ref is None and isinstance(token.value, str)
        if not located:
            return False
    return True


@lru_cache(maxsize=512)
def dotted(text: str) -> bool:
    """``a.b.c``: names that are not keywords (soft ones included), joined by dots."""
    parts = text.split(".")
    return all(
        part.isidentifier() and not keyword.iskeyword(part) and part not in _SOFT for part in parts
    )


# Soft keywords of any Python (3.9 lists none): the same answer on every version.
_SOFT = frozenset({"_", "case", "match", "type"})


@lru_cache(maxsize=512)
def _expression(text: str) -> bool:
    """Whether Python's parser takes ``text`` as an expression."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True
