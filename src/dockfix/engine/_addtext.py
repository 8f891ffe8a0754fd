"""Adding the fixes' imports to a module's first lines as text, where that is plain.

``_addimports`` takes ``AddImportsVisitor``'s decisions on a libcst parse of the first
lines (the docstring, the import block). For the usual layout those decisions can be read
from ``ast`` positions alone, and the new lines written as text, without libcst: about
0.3 ms of a dense benchmark file's 4 ms fix. ``added`` does that, and answers None
(``_fastfix`` then takes the libcst way) unless the layout is one where it is sure to
write what ``_addimports`` writes:

- each statement among the first lines is alone on its lines (no ``;``);
- the first is a docstring that is one plain string token (what libcst calls a
  ``SimpleString``: not concatenated, not an f-string) or an import, and the others are
  imports;
- no ``from`` line among the top imports takes names from a module the fix adds names
  from (the visitor would put them first on that line).

What it writes is ``_addimports``'s: after the top imports (the import lines from the
start, after the docstring), never above a ``from __future__`` line, ``import m`` lines
sorted by module, then ``from m import a, b`` lines sorted by module with sorted names;
what the top imports already import is not added; the statement after the new lines gets
a blank line before it unless its leading lines (the blank and comment lines above it)
start with a blank one. With nothing before that statement, the new lines go right above
it: libcst gives the lines above a module's first statement to the module (its header).
``tests/engine/test_addtext.py`` compares the two on generated first lines.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import Optional

from dockfix.engine._reduce import first_line
from dockfix.engine._schedule import ImportItem

# One string token, as the whole of a docstring's text: an optional prefix without ``f``,
# then one quoted body (the parser took it already; this only tells it from several).
_STRING = re.compile(
    rb"""(?:[rRuU]|[bB][rR]?|[rR][bB])?"""
    rb'''(?:"""(?:(?!""")[^\\]|\\.)*"""|\'\'\'(?:(?!\'\'\')[^\\]|\\.)*\'\'\''''
    rb"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""",
    re.DOTALL,
)


def added(
    source: bytes,
    offsets: Sequence[int],
    first: Sequence[ast.stmt],
    following: ast.stmt,
    items: Sequence[ImportItem],
) -> Optional[bytes]:
    """``source`` up to ``following`` (the first statement that is neither an import nor
    the docstring) with ``items`` imported, as ``_addimports.add_imports`` gives it; None
    when the layout is not plain (see the module's docstring). ``first`` are the
    statements before ``following``; ``offsets[n]`` is where line ``n + 1`` starts."""
    if any(item.alias or item.relative or item.module_name == "__future__" for item in items):
        return None  # ``add_imports`` refuses them
    statements = [*first, following]
    for stmt, after in zip(statements, statements[1:]):
        if (stmt.end_lineno or 0) >= first_line(after):
            return None  # two statements share a line
    start = 0
    if first and _docstring(first[0]):
        if not _one_token(source, offsets, first[0]):
            return None
        start = 1
    top: list[ast.stmt] = []
    for stmt in first[start:]:
        if not isinstance(stmt, (ast.Import, ast.ImportFrom)):
            return None  # ``__strict__ = ...``: not modelled
        top.append(stmt)
    plain = {item.module_name for item in items if item.obj_name is None}
    wanted: dict[str, set[str]] = {}
    for item in sorted(items, key=lambda item: item.module_name):
        if item.obj_name is not None:
            wanted.setdefault(item.module_name, set()).add(item.obj_name)
    if not _drop_present(top, plain, wanted):
        return None
    end = start + len(top)
    cut = offsets[first_line(following) - 1]
    if not plain and not wanted:
        return source[:cut]
    new = [f"import {module}\n" for module in sorted(plain)]
    new += [f"from {module} import {', '.join(sorted(n))}\n" for module, n in wanted.items()]
    if end == 0:  # above everything, after the module's header (libcst gives a module the
        at, blank = cut, b"\n"  # lines above its first statement: that one has none)
    else:
        last = statements[end - 1].end_lineno or 0
        at = offsets[last]
        if source[offsets[last - 1] : at].rstrip(b"\r\n").endswith(b"\\"):
            return None  # the line goes on past the statement's end (a backslash)
        leading = source[at:cut]
        first_leading = leading.split(b"\n", 1)[0]
        if leading and not first_leading.strip(b" \t"):
            blank = b""  # the leading lines start with a blank one
        elif not leading or first_leading.lstrip(b" \t").startswith(b"#"):
            blank = b"\n"
        else:
            return None
    return source[:at] + "".join(new).encode("utf-8") + blank + source[at:cut]


def _docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, (str, bytes))
    )


def _one_token(source: bytes, offsets: Sequence[int], stmt: ast.stmt) -> bool:
    """Whether the statement's text is one string token (not ``"a" "b"``, not in
    brackets: a ``SimpleString`` to libcst, the docstring the visitor skips)."""
    start = offsets[stmt.lineno - 1] + stmt.col_offset
    end = offsets[(stmt.end_lineno or 0) - 1] + (stmt.end_col_offset or 0)
    return _STRING.fullmatch(source, start, end) is not None


def _drop_present(top: Sequence[ast.stmt], plain: set[str], wanted: dict[str, set[str]]) -> bool:
    """Remove from ``plain`` and ``wanted`` what the top imports import already (aliased
    names do not count; ``*`` counts for every name); False when a top ``from`` line (not
    ``*``) of a module that names are still added from would take them: the visitor
    merges them into it."""
    objects: dict[str, set[str]] = {}
    for node in top:
        if isinstance(node, ast.Import):
            plain.difference_update(alias.name for alias in node.names if alias.asname is None)
            continue
        assert isinstance(node, ast.ImportFrom)
        if node.level or node.module is None:
            continue  # relative: the fast fix has no package to resolve it against
        names = {alias.name for alias in node.names if alias.asname is None}
        if "*" in names:
            objects[node.module] = {"*"}
        elif names and "*" not in objects.get(node.module, ()):
            objects.setdefault(node.module, set()).update(names)
    for module, names in objects.items():
        if module in wanted:
            wanted[module] = set() if "*" in names else wanted[module] - names
            if not wanted[module]:
                del wanted[module]
    return not any(
        isinstance(node, ast.ImportFrom)
        and not node.level
        and node.module in wanted
        and node.names[0].name != "*"
        for node in top
    )
