"""A cheap look with the stdlib ``ast`` before the libcst pass: is any call worth a look?

libcst's metadata (scopes, qualified names, positions) costs several full passes over a
module. Most files that mention docker make no call a rule could match; ``ast`` finds
that out many times faster. A file ``ast`` cannot parse goes on to libcst, which then
decides (and reports the error).
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Collection

_ALIASED_MODULES = frozenset({"subprocess", "os", "asyncio"})


def has_candidate_call(source: bytes, names: Collection[str]) -> bool:
    """True when a call's function or method name is in ``names`` (or aliases one), or
    when ``source`` cannot be parsed by ``ast``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, UnicodeError, RecursionError, MemoryError):
        return True
    wanted = set(names)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in _ALIASED_MODULES:
            wanted.update(alias.asname for alias in node.names if alias.asname)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in wanted:
                return True
    return False
