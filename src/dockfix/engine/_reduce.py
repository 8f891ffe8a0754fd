"""A reduced copy of a module for the libcst pass: same lines, same columns, less code.

libcst's metadata (scopes, qualified names, positions) costs far more than parsing, and it
costs per node. A file that mentions docker usually does so in one or two of its top-level
statements; the others can only matter through the names they share with those. So
``reduce`` keeps, verbatim, the top-level statements that can matter and replaces each
other one by a stub over the same lines (``pass`` on one line; over several,
``pass;`` and three double quotes opening a string that holds the other lines' endings: one node however long
the range). Lines between statements (comments, blank lines) are kept. Line endings are
the original ones, so every kept line keeps its number and its columns.

A top-level statement (with the others on its lines) is kept when:

- its text holds a trigger of the enabled rules (``docker`` ...) or a marker that can
  reach other scopes or the suppressions: ``global``, ``nonlocal``, ``:=``, ``dockfix``;
- its text holds the word ``import`` (the import block decides where the fixes' imports
  go, and which become unused), or it is the first statement (a docstring or
  ``__strict__`` moves that block), or it is not one of the kinds whose bindings are
  known here (``match``, ``type``, ``del``, ``global``, ...);
- it binds at module level a name that a kept statement mentions (any word of its text,
  strings and comments included): the values and the number of bindings of every name the
  pass can look up stay those of the full module;
- it mentions a name bound by a kept statement other than a definition or an import: the
  number of uses of a variable (the ``variable-once`` argv shape) stays that of the full
  module.

So every name the pass resolves in kept code has the same bindings and uses as in the full
module, and the stubs bind nothing. A file that imports a Docker SDK is not reduced: the SDK
rules trace receivers through ``self`` attributes across the whole file.

``None`` means: no reduction (nothing to stub, or the source is not plain UTF-8 with
``\\n``/``\\r\\n`` line endings, or an encoding cookie names another encoding).
``tests/engine/test_reduced.py`` checks that the reduced and the full module give equal
results on every rule case, every fixture and the dense benchmark corpus.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Optional

_BOM = b"\xef\xbb\xbf"
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_UTF8 = frozenset({"utf-8", "utf8", "utf_8", "utf-8-sig", "utf_8_sig"})
_LONE_CR = re.compile(rb"\r(?!\n)")
_WORD = re.compile(r"\w+")
_MARKERS = (b"global", b"nonlocal", b":=", b"dockfix", b"import")
_SDK_MODULES = frozenset({"docker", "python_on_whales", "aiodocker"})
# Any import statement naming an SDK module has the name after ``import``/``from`` on the
# same logical line; a false match only means the file is not reduced.
_SDK_IMPORT = re.compile(
    rb"\b(?:import|from)\b(?:[^\n;]|\\\r?\n)*?\b(?:docker|python_on_whales|aiodocker)\b"
)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)
_PLAIN = (ast.Expr, ast.Pass, ast.Assert, ast.Raise, ast.Break, ast.Continue)


@dataclass(frozen=True)
class Reduction:
    """The reduced source and the (first, last) line numbers of each stubbed range."""

    source: bytes
    spans: tuple[tuple[int, int], ...]


@dataclass
class _Unit:
    """Top-level statements sharing lines: kept or stubbed together."""

    first: int
    last: int
    nodes: list[ast.stmt]
    words: frozenset[str] = frozenset()
    bound: frozenset[str] = frozenset()
    kept: bool = False
    definition: bool = True  # every statement a def/class/import: its names' uses don't count


def reduce_source(
    source: bytes, tree: ast.Module, triggers: Collection[bytes]
) -> Optional[bytes]:
    """``source`` with the statements the pass does not need stubbed, or None."""
    found = reduce(source, tree, triggers)
    return None if found is None else found.source


def reduce(source: bytes, tree: ast.Module, triggers: Collection[bytes]) -> Optional[Reduction]:
    """The reduction of ``source``, or None when nothing can be stubbed.

    ``tree`` is ``ast.parse(source)``; ``triggers`` are the enabled rules' triggers.
    """
    if not tree.body or not _plain(source) or _imports_sdk(source, tree):
        return None
    lines = source.splitlines(keepends=True)
    units = _units(tree.body, lines)
    if units is None:
        return None
    markers = (*triggers, *_MARKERS)
    for unit in units:
        text = b"".join(lines[unit.first - 1 : unit.last])
        if any(marker in text for marker in markers) or not _known(unit):
            unit.kept = True
        unit.words = _words(text)
        unit.bound = _bound(unit)
        unit.definition = b"global" not in text and b"nonlocal" not in text and all(
            isinstance(n, (*_DEFINITIONS, ast.Import, ast.ImportFrom)) for n in unit.nodes
        )
    units[0].kept = True
    _close(units)
    spans = [(u.first, u.last) for u in units if not u.kept]
    if not spans:
        return None
    for first, last in spans:
        _stub(lines, first, last)
    return Reduction(b"".join(lines), tuple(spans))


def _units(body: list[ast.stmt], lines: list[bytes]) -> Optional[list[_Unit]]:
    """The top-level statements grouped by shared lines (``a = 1; b = 2``), in order."""
    units: list[_Unit] = []
    for node in body:
        end = node.end_lineno
        if end is None or end > len(lines):
            return None
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        if units and first <= units[-1].last:
            units[-1].last = max(units[-1].last, end)
            units[-1].nodes.append(node)
        else:
            units.append(_Unit(first, end, [node]))
    return units


def _known(unit: _Unit) -> bool:
    """Whether every statement of ``unit`` is of a kind whose module bindings ``_bound``
    finds (the others are kept)."""
    return all(isinstance(n, (*_DEFINITIONS, *_ASSIGNMENTS, *_COMPOUND, *_PLAIN)) for n in unit.nodes)


def _words(text: bytes) -> frozenset[str]:
    """Every word of ``text`` (identifiers, and words of strings and comments), also in the
    NFKC form the parser gives identifiers."""
    words = set(_WORD.findall(text.decode("utf-8")))
    if not text.isascii():
        words |= {unicodedata.normalize("NFKC", w) for w in words if not w.isascii()}
    return frozenset(words)


def _bound(unit: _Unit) -> frozenset[str]:
    """The names ``unit`` may bind (a superset: every stored name anywhere inside, the names
    of nested definitions and of ``except ... as``)."""
    found: set[str] = set()
    for node in unit.nodes:
        if isinstance(node, _DEFINITIONS):
            found.add(node.name)
            if not any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(node)):
                continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                found.add(sub.id)
            elif isinstance(sub, _DEFINITIONS):
                found.add(sub.name)
            elif isinstance(sub, ast.ExceptHandler) and sub.name:
                found.add(sub.name)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                found.update((a.asname or a.name).split(".")[0] for a in sub.names)
            elif isinstance(sub, (ast.Global, ast.Nonlocal)):
                found.update(sub.names)
    return frozenset(found)


def _close(units: list[_Unit]) -> None:
    """Keep, to a fixpoint, the units binding a name a kept unit mentions, and the units
    mentioning a name a kept non-definition unit binds."""
    mentioned: set[str] = set()
    used: set[str] = set()
    pending = [u for u in units if u.kept]
    while pending:
        for unit in pending:
            mentioned |= unit.words
            if not unit.definition:
                used |= unit.bound
        pending = []
        for unit in units:
            if not unit.kept and (unit.bound & mentioned or unit.words & used):
                unit.kept = True
                pending.append(unit)


def _stub(lines: list[bytes], first: int, last: int) -> None:
    """Replace lines ``first``..``last`` (1-based) by a statement binding nothing."""
    head = lines[first - 1]
    bom = _BOM if first == 1 and head.startswith(_BOM) else b""
    if first == last:
        lines[first - 1] = bom + b"pass" + _ending(head)
        return
    lines[first - 1] = bom + b'pass;"""' + _ending(head)
    for index in range(first, last - 1):
        lines[index] = _ending(lines[index])
    lines[last - 1] = b'"""' + _ending(lines[last - 1])


def _imports_sdk(source: bytes, tree: ast.Module) -> bool:
    """Whether ``tree`` imports a Docker SDK module. The SDK rules trace receivers through
    every binding of a name or ``self`` attribute in the file (a name bound to two kinds
    stays quiet), so such a file is analysed whole."""
    if _SDK_IMPORT.search(source) is None:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] in _SDK_MODULES for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _SDK_MODULES:
            return True
    return False


def _plain(source: bytes) -> bool:
    """UTF-8 (BOM allowed), no lone ``\\r``, no cookie naming another encoding."""
    if _LONE_CR.search(source):
        return False
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return False
    for line in source.splitlines()[:2]:
        match = _COOKIE.match(line[3:] if line.startswith(_BOM) else line)
        if match is not None:
            return match.group(1).decode("latin-1").lower().replace("_", "-") in _UTF8
    return True


def first_indent(source: bytes, tree: ast.Module) -> Optional[str]:
    """The indentation of the first indented block (what libcst takes as the module's
    default indent), from the first statement that starts its own line at a column above 0;
    None when there is none."""
    lines = source.splitlines()
    best: Optional[tuple[int, str]] = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or node.col_offset == 0:
            continue
        if best is not None and node.lineno >= best[0]:
            continue
        line = lines[node.lineno - 1]
        if node.lineno == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        prefix = line[: node.col_offset]
        if not prefix.strip(b" \t\f"):
            best = (node.lineno, prefix.decode("ascii"))
    return None if best is None else best[1]


def _ending(line: bytes) -> bytes:
    if line.endswith(b"\r\n"):
        return b"\r\n"
    if line.endswith((b"\n", b"\r")):
        return line[-1:]
    return b""
