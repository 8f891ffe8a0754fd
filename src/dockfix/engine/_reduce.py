"""A reduced copy of a module for the libcst pass: same lines, same columns, less code.

libcst's metadata (scopes, qualified names, positions) costs far more than parsing. Most
top-level functions and classes of a file hold no call the transformer would look at; they
only need to bind their name. ``reduce_source`` replaces each such definition (from its first
decorator to its last line) by a stub binding the same name: ``def NAME(): pass``, or, over
several lines, ``def NAME():`` opening a triple-quoted docstring that holds the other lines'
endings (one node rather than a node per empty line). Line endings are the original ones, so
every kept line keeps its number and its columns. Methods of a kept class are stubbed the same way.

Everything that could change what the pass sees is kept verbatim:

- module-level statements other than definitions (imports, assignments, ``if``/``try``);
- a definition holding a call named like an API the transformer inspects (``run``, ``Popen``,
  ..., a rule's ``METHODS``, or the ``y`` of a ``from ... import x as y`` of such a name);
- a definition whose text mentions ``global``/``nonlocal`` (it may bind module names),
  ``:=`` (a walrus in a default binds in the module), or ``dockfix`` (a suppression comment);
- a definition whose decorators, defaults, annotations, bases or keywords read a name
  assigned at module level (those reads count as module-scope uses of the name, which the
  ``variable-once`` shape of an argv depends on);
- a definition whose last line goes on after it, or that does not start at column 0.

``None`` means: no reduction (nothing to stub, or the source is not plain UTF-8 with
``\\n``/``\\r\\n`` line endings, or an encoding cookie names another encoding).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Optional, Union

_BOM = b"\xef\xbb\xbf"
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_UTF8 = frozenset({"utf-8", "utf8", "utf_8", "utf-8-sig", "utf_8_sig"})
_LONE_CR = re.compile(rb"\r(?!\n)")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VERBATIM_MARKERS = (b"global", b"nonlocal", b":=", b"dockfix")
# A definition that mentions docker may bind what the SDK rules trace a receiver to
# (``self.client = docker.from_env()`` in ``__init__``, a pytest fixture returning a client):
# keep it verbatim, like every name imported from the Docker SDK modules.
_DOCKER_MARKERS = (b"docker", b"DOCKER", b"Docker", b"python_on_whales")
_SDK_MODULES = frozenset({"docker", "python_on_whales", "aiodocker"})

Definition = Union[ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef]


@dataclass(frozen=True)
class Reduction:
    """The reduced source and the (first, last) line numbers of each stubbed range."""

    source: bytes
    spans: tuple[tuple[int, int], ...]


def reduce_source(source: bytes, tree: ast.Module, names: Collection[str]) -> Optional[bytes]:
    """``source`` with the definitions the pass does not need stubbed, or None."""
    found = reduce(source, tree, names)
    return None if found is None else found.source


def reduce(source: bytes, tree: ast.Module, names: Collection[str]) -> Optional[Reduction]:
    """The reduction of ``source``, or None when nothing can be stubbed.

    ``tree`` is ``ast.parse(source)``; ``names`` are the call names the transformer inspects
    (the file's ``from``-import aliases of those names are added here).
    """
    if not _plain(source) or _imports_sdk(tree):
        return None
    wanted = set(names) | _aliases(tree, names)
    markers = (*_VERBATIM_MARKERS, *_DOCKER_MARKERS, *_sdk_imports(tree))
    lines = source.splitlines(keepends=True)
    spans: list[tuple[int, int]] = []
    _reduce_body(tree.body, lines, wanted, spans, markers)
    if not spans:
        return None
    return Reduction(b"".join(lines), tuple(spans))


def _imports_sdk(tree: ast.Module) -> bool:
    """Whether ``tree`` imports a Docker SDK module. The SDK rules trace receivers through
    every binding of a name or ``self`` attribute in the file (a name bound to two kinds
    stays quiet), so such a file is analysed whole."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] in _SDK_MODULES for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _SDK_MODULES:
            return True
    return False


def _sdk_imports(tree: ast.Module) -> tuple[bytes, ...]:
    """The local names bound by ``from <Docker SDK module> import ...`` anywhere in ``tree``."""
    found: list[bytes] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _SDK_MODULES:
            found += [(alias.asname or alias.name).encode() for alias in node.names]
    return tuple(found)


def _reduce_body(
    body: list[ast.stmt],
    lines: list[bytes],
    wanted: set[str],
    spans: list[tuple[int, int]],
    markers: tuple[bytes, ...],
) -> None:
    """Stub the definitions of one module or class body in ``lines``; recurse into the kept
    classes. Each stubbed range goes to ``spans``."""
    assigned = _assigned(body)
    for node in body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        span = _stub_span(node, lines, wanted, assigned, markers)
        if span is None:
            if isinstance(node, ast.ClassDef):
                _reduce_body(node.body, lines, wanted, spans, markers)
            continue
        start, end, indent = span
        stub = indent + _stub(node)
        if start == end:
            lines[start - 1] = stub + b"pass" + _ending(lines[start - 1])
        else:  # the other lines go into a docstring: one node however long the range
            lines[start - 1] = stub + b'"""' + _ending(lines[start - 1])
            for index in range(start, end - 1):
                lines[index] = _ending(lines[index])
            lines[end - 1] = b'"""' + _ending(lines[end - 1])
        spans.append((start, end))


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


def _aliases(tree: ast.Module, names: Collection[str]) -> set[str]:
    """``y`` of each ``from ... import x as y`` with ``x`` in ``names``: the only aliases
    whose calls can resolve to an API (a qualified name ends with the imported name)."""
    return {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname and alias.name in names
    }


def _assigned(body: list[ast.stmt]) -> set[str]:
    """Names stored by the statements of a body that are not definitions."""
    found: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                found.add(node.id)
    return found


def _stub_span(
    node: Definition,
    lines: list[bytes],
    wanted: set[str],
    assigned: set[str],
    markers: tuple[bytes, ...],
) -> Optional[tuple[int, int, bytes]]:
    """The first and last line numbers to stub and the text before the stub (indentation),
    or None to keep ``node`` verbatim."""
    end = node.end_lineno
    end_col = node.end_col_offset
    if end is None or end_col is None:
        return None
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    if end > len(lines):
        return None
    rest = lines[end - 1][end_col:].strip()
    if rest and not rest.startswith(b"#"):
        return None
    head = lines[start - 1]
    bom = _BOM if start == 1 and head.startswith(_BOM) else b""  # not in ast's columns
    column = len(bom) + node.col_offset
    indent = head[len(bom) : column]
    if indent.strip(b" \t\f"):
        return None
    if not head[column:].startswith((b"@", b"def", b"async", b"class")):
        return None
    text = b"".join(lines[start - 1 : end])
    if any(marker in text for marker in markers):
        return None
    if _calls_wanted(node, wanted) or _header_reads(node) & assigned:
        return None
    return start, end, bom + indent


def _calls_wanted(node: ast.AST, wanted: set[str]) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Attribute):
                name: Optional[str] = func.attr
            else:
                name = getattr(func, "id", None)
            if name in wanted:
                return True
    return False


def _header_reads(node: Definition) -> set[str]:
    """Names (and words of string annotations) in the parts evaluated in the module scope."""
    parts: list[ast.AST] = list(node.decorator_list)
    parts.extend(getattr(node, "type_params", None) or [])
    if isinstance(node, ast.ClassDef):
        parts.extend(node.bases)
        parts.extend(node.keywords)
    else:
        parts.append(node.args)
        if node.returns is not None:
            parts.append(node.returns)
    found: set[str] = set()
    for part in parts:
        for sub in ast.walk(part):
            if isinstance(sub, ast.Name):
                found.add(sub.id)
            elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                found.update(_WORD.findall(sub.value))
    return found


def _stub(node: Definition) -> bytes:
    name = node.name.encode("utf-8")
    if isinstance(node, ast.ClassDef):
        return b"class " + name + b": "
    prefix = b"async def " if isinstance(node, ast.AsyncFunctionDef) else b"def "
    return prefix + name + b"(): "


def _ending(line: bytes) -> bytes:
    if line.endswith(b"\r\n"):
        return b"\r\n"
    if line.endswith((b"\n", b"\r")):
        return line[-1:]
    return b""
