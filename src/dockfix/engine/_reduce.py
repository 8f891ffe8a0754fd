"""A reduced copy of a module for the libcst pass: same lines, same columns, less code.

libcst's metadata (scopes, qualified names, positions) costs per node, far more than
parsing. A file that mentions docker usually does so in one or two of its top-level
statements; the others can only matter through the names they share with those. So
``reduce`` keeps, verbatim, the top-level statements that can matter and replaces each
other one by a stub over the same lines: ``pass;`` then a triple-quoted string holding the
other lines' endings (one node however long the range; adjacent stubs and the blank or
comment lines between them merged into one), or ``def NAME():`` then that string, for a
definition whose name kept code looks up. Line endings are the original ones, so every
kept line keeps its number and its columns.

A top-level statement (with the others on its lines) is kept when:

- its text holds a trigger of the enabled rules (``docker`` ...) or ``dockfix`` (a
  suppression comment);
- it is an import (the import block decides where the fixes' imports go, and which
  become unused), the first statement when it is a docstring or ``__strict__`` (both
  move that block), or not of a kind whose bindings are known here (``match``, ``type``,
  ``global`` ...);
- it mentions a name that a triggered statement binds, or assigns a list to anywhere
  inside (then it is triggered too: ``D = "docker"`` here, ``run([D, ...])`` there);
- it mentions a variable (a name assigned a list, tuple or binary operation) that a kept
  statement binds (the ``variable-once`` argv shape counts its uses), or a name passed to
  an inspected call in a kept statement's module-level code (the argv data flow reads the
  earlier statements that mention it);
- it binds at module level a name that kept code looks up (a name node outside the
  function's own locals): the bindings of every name the pass resolves stay those of
  the full module. A definition binding only its own name is named, not kept.

A file that imports a Docker SDK is not reduced: the SDK rules trace receivers through
``self`` attributes across the whole file. ``None`` means: no reduction (nothing to stub,
or the source is not plain UTF-8 with ``\\n``/``\\r\\n`` line endings, or an encoding
cookie names another encoding). ``tests/engine/test_reduced.py`` and
``tests/engine/test_reduced_generated.py`` check that the reduced and the full module give
equal results (rule cases, fixtures, generated modules, the dense benchmark corpus).
"""

from __future__ import annotations

import ast
import re
import unicodedata
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Union

from dockfix.engine._split import accepted, groups
from dockfix.engine._walk import children, walk

_BOM = b"\xef\xbb\xbf"
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_UTF8 = frozenset({"utf-8", "utf8", "utf_8", "utf-8-sig", "utf_8_sig"})
_LONE_CR = re.compile(rb"\r(?!\n)")
# A word: a run of word characters and non-ASCII characters (an identifier may hold some
# that ``\w`` does not match: U+00B7, combining marks...; in valid code a non-ASCII
# character other than an identifier's never touches one), not a string prefix (``r"..."``).
_WORD = re.compile(r"[\w\x80-\U0010ffff]+(?![\w\x80-\U0010ffff'\"])")
_MARKERS = (b"dockfix",)
_SDK_MODULES = frozenset({"docker", "python_on_whales", "aiodocker"})
# Any import statement naming an SDK module has the name after ``import``/``from`` on the
# same logical line; a false match only means the file is not reduced.
_SDK_IMPORT = re.compile(
    rb"\b(?:import|from)\b(?:[^\n;]|\\\r?\n)*?\b(?:docker|python_on_whales|aiodocker)\b"
)
# Where a ``global`` statement can start: a line's first word, or after ``;`` or the ``:``
# of a one-line compound statement (a superset: also in strings, which only costs a walk).
_GLOBAL = re.compile(rb"(?:^|[;:])[ \t\f]*global(?![\w])", re.MULTILINE)
# Where a top-level statement that ``_known`` does not know can start (a superset), in a
# text after a newline: the first word of a line not indented (a BOM, or blanks up to a
# form feed, may precede it), or after ``;``. ``try`` stands for ``try``/``except*``.
_OTHER_KIND = re.compile(
    rb"(?:\n(?:\xef\xbb\xbf|[ \t\f]*\f)?|;(?:[ \t\f]|\\\r?\n)*)"
    rb"(?:import|from|global|nonlocal|return|match|type|try)(?![\w])"
)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)
_COMPOUND = (ast.Delete, ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)
_ARGV_VALUES = (ast.List, ast.Tuple, ast.BinOp)
_MATCH = hasattr(ast, "MatchAs")  # Python 3.10+
_PLAIN = (ast.Expr, ast.Pass, ast.Assert, ast.Raise, ast.Break, ast.Continue)


@dataclass(frozen=True)
class Reduction:
    """The reduced source and the (first, last) line numbers of each stubbed range;
    ``starts``, from ``reduce_split``, the first line of each of ``_split``'s statement
    groups (lines where the file can be cut: each group is accepted alone)."""

    source: bytes
    spans: tuple[tuple[int, int], ...]
    starts: tuple[int, ...] = ()


@dataclass
class _Unit:
    """Top-level statements sharing lines: kept or stubbed together. ``parsed`` is None for
    a group from ``_split`` until something needs its statements (``nodes``)."""

    first: int
    last: int
    parsed: Optional[list[ast.stmt]]
    text: bytes = b""
    kept: bool = False  # verbatim
    named: bool = False  # a definition stubbed as ``def NAME(): ...``: binds its name only
    triggered: bool = False  # holds a trigger, or mentions a name a triggered unit binds

    @property
    def nodes(self) -> list[ast.stmt]:
        if self.parsed is None:
            self.parsed = _parse_group(self.first, self.text)
        return self.parsed


class Unsplit(Exception):
    """A group of ``_split`` that ``ast`` does not take on its own after all."""


def parse(source: bytes) -> Optional[ast.Module]:
    """The ``ast`` of ``source``, or None when ``ast`` cannot parse it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, UnicodeError, RecursionError, MemoryError):
        return None


def compiles_as_source(source: bytes, fixed: bytes) -> bool:
    """Whether a fast path may give ``fixed``: the compiler front end (``_split.accepted``:
    its scope pass checks more than ``ast.parse``) takes it. When the front end refuses
    the source too (``nonlocal`` at module level, a name used before its ``global``...: a
    file ``ast`` takes but Python will not run), the answer is no, and the full libcst
    pass decides, alone, what such a file gets. Where a future import sits is checked by
    neither on 3.11: ``_addimports`` never puts an import above one."""
    return accepted(fixed)


def _parse_group(first: int, text: bytes) -> list[ast.stmt]:
    """The statements of a group, at their lines in the file (its columns are the file's:
    a group is whole lines)."""
    tree = parse(b"\n" * (first - 1) + text)
    if tree is None:
        raise Unsplit(f"the group at line {first} does not parse alone")
    return tree.body


def reduce_source(
    source: bytes, tree: ast.Module, triggers: Collection[bytes], calls: Collection[str]
) -> Optional[bytes]:
    """``source`` with the statements the pass does not need stubbed, or None."""
    found = reduce(source, tree, triggers, calls)
    return None if found is None else found.source


def reduce(
    source: bytes,
    tree: ast.Module,
    triggers: Collection[bytes],
    calls: Collection[str],
    *,
    fixes: bool = True,
) -> Optional[Reduction]:
    """The reduction of ``source``, or None when nothing can be stubbed.

    ``tree`` is ``ast.parse(source)``; ``triggers`` are the enabled rules' triggers;
    ``calls`` the names of the calls the pass inspects. Without ``fixes`` (no fix will be
    applied) a first statement that moves the import block is not kept for that reason.
    """
    if not tree.body or not _plain(source) or _imports_sdk(source, tree):
        return None
    lines = source.splitlines(keepends=True)
    units = _units(tree.body, lines)
    if units is None:
        return None
    return _reduce(lines, units, triggers, calls, fixes)


def reduce_split(
    source: bytes,
    triggers: Collection[bytes],
    calls: Collection[str],
    *,
    fixes: bool = True,
) -> Optional[Reduction]:
    """``reduce`` without ``ast.parse`` of the whole file: from the top-level statement
    groups of ``_split`` (each accepted alone by the compiler's front end, so the file
    parses). A group is parsed only when its statements decide something (it may be kept,
    or it binds a name kept code looks up); the rest are stubbed unread. Each group is a
    unit, with the blank and comment lines after its statements (a stub covers them).

    None when ``reduce`` would give none, and also when the text looks like it imports a
    Docker SDK or ``_split`` cannot split the file: the caller then parses it whole.
    Raises ``Unsplit`` when a group does not parse alone after all."""
    if not _plain(source) or sdk_import_text(source):
        return None
    found = groups(source)
    lines = source.splitlines(keepends=True)
    if not found or found[-1].last != len(lines):
        return None
    units = [_Unit(group.first, group.last, None) for group in found]
    reduction = _reduce(lines, units, triggers, calls, fixes)
    if reduction is None:
        return None
    return Reduction(reduction.source, reduction.spans, tuple(group.first for group in found))


def _reduce(
    lines: list[bytes],
    units: list[_Unit],
    triggers: Collection[bytes],
    calls: Collection[str],
    fixes: bool,
) -> Optional[Reduction]:
    for unit in units:
        unit.text = text = b"".join(lines[unit.first - 1 : unit.last])
        if any(trigger in text for trigger in triggers):
            unit.kept = unit.triggered = True
        elif any(marker in text for marker in _MARKERS) or not _known(unit):
            unit.kept = True  # imports among them: ``_known`` does not take them
    if fixes and _moves_imports(units[0]):
        units[0].kept = True
    _close(units, calls)
    stubs: list[tuple[int, int, bytes]] = []
    follows = False  # the previous unit is the end of a ``pass;`` stub
    for unit in units:
        if unit.kept:
            follows = False
            continue
        head = _header(unit) if unit.named else b"pass;"
        if follows and not unit.named:
            gap = b"".join(lines[stubs[-1][1] : unit.first - 1])  # blank and comment lines
            if b"dockfix" not in gap:
                stubs[-1] = (stubs[-1][0], unit.last, head)  # one stub for both, and the gap
                continue
        stubs.append((unit.first, unit.last, head))
        follows = not unit.named
    if not stubs:
        return None
    for first, last, head in stubs:
        _stub(lines, first, last, head)
    return Reduction(b"".join(lines), tuple((first, last) for first, last, _ in stubs))


def _moves_imports(unit: _Unit) -> bool:
    """Whether the first statement changes where libcst adds imports: a docstring or a
    ``__strict__`` assignment (kept), or any other statement (stubbed like the rest)."""
    node = unit.nodes[0]
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    return isinstance(node, (ast.Assign, ast.AnnAssign)) and b"__strict__" in unit.text


def first_line(stmt: ast.stmt) -> int:
    """A statement's first line, its decorators' included."""
    decorators: list[ast.expr] = getattr(stmt, "decorator_list", [])
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def _units(body: list[ast.stmt], lines: list[bytes]) -> Optional[list[_Unit]]:
    """The top-level statements grouped by shared lines (``a = 1; b = 2``), in order."""
    units: list[_Unit] = []
    for node in body:
        end = node.end_lineno
        if end is None or end > len(lines):
            return None
        first = first_line(node)
        if units and first <= units[-1].last:
            units[-1].last = max(units[-1].last, end)
            units[-1].nodes.append(node)
        else:
            units.append(_Unit(first, end, [node]))
    for unit, after in zip(units, [*units[1:], None]):
        limit = after.first - 1 if after is not None else len(lines)
        unit.last = max(unit.last, _block_footer(unit.nodes[-1], lines, unit.last, limit))
    return units


def _block_footer(node: ast.stmt, lines: list[bytes], last: int, limit: int) -> int:
    """The last line a compound statement owns after its code. libcst gives an indented
    block the lines after it up to the last comment indented as far as the block (the
    block's footer; the lines after go to the next statement's leading lines). A stub must
    cover them too: else, in the reduced module, they would be the next statement's, and
    go with it when a fix removes that statement (an import). ``last``: the statement's
    last line; ``limit``: the last line before the next statement."""
    final = _last_statement(node)
    if final is None:
        return last
    indent = lines[final.lineno - 1][: final.col_offset]  # the last block's
    if not indent or indent.strip(b" \t\f"):
        return last  # the block is on its header's line: no footer
    owned = last
    for number in range(last + 1, limit + 1):
        line = lines[number - 1]
        if line.startswith(indent) and line[len(indent) :].lstrip(b" \t\f").startswith(b"#"):
            owned = number
    return owned


def _last_statement(node: ast.stmt) -> Optional[ast.stmt]:
    """The last statement of ``node``'s blocks in the source (an ``elif``'s, whose ``If``
    starts at the ``elif``, looked into); None for a simple statement."""
    while True:
        blocks: list[list[ast.stmt]] = []
        for field in ("body", "orelse", "finalbody"):
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                blocks.append(value)
        for handler in [*getattr(node, "handlers", []), *getattr(node, "cases", [])]:
            blocks.append(handler.body)
        if not blocks:
            return None
        final = max((block[-1] for block in blocks), key=lambda s: (s.lineno, s.col_offset))
        if not (isinstance(final, ast.If) and final.col_offset == node.col_offset):
            return final
        node = final  # ``elif``


def _known(unit: _Unit) -> bool:
    """Whether every statement of ``unit`` is of a kind whose module bindings ``_bound``
    finds (the others are kept). A group not yet parsed is read first for the words that
    can start another kind of statement at the top level."""
    if unit.parsed is None and _OTHER_KIND.search(b"\n" + unit.text) is None:
        return True
    return all(
        isinstance(n, (*_DEFINITIONS, *_ASSIGNMENTS, *_COMPOUND, *_PLAIN)) for n in unit.nodes
    )


def _words(text: bytes) -> frozenset[str]:
    """Every word of ``text`` (identifiers, and words of strings and comments), also in the
    NFKC form the parser gives identifiers."""
    words = set(_WORD.findall(text.decode("utf-8")))
    if not text.isascii():
        words |= {unicodedata.normalize("NFKC", w) for w in words if not w.isascii()}
    return frozenset(words)


def _globals(node: ast.AST) -> set[str]:
    return {n for sub in walk(node) if isinstance(sub, ast.Global) for n in sub.names}


def _bound(unit: _Unit) -> tuple[set[str], set[str]]:
    """The names ``unit`` may bind at module level (a superset: for a statement other than a
    definition, every name stored anywhere inside, the names of nested definitions, of
    ``except ... as`` and of imports), and those whose uses the pass may count: the names
    assigned a list, a tuple or a binary operation (what an argv variable is bound to;
    ``_extract`` counts the uses of such a name only), augmented, or declared ``global``
    in a definition."""
    bound: set[str] = set()
    variables: set[str] = set()
    for node in unit.nodes:
        if isinstance(node, _DEFINITIONS):
            bound.add(node.name)
            if b"global" in unit.text and _GLOBAL.search(unit.text):
                found = _globals(node)
                bound |= found
                variables |= found
            if b":=" in unit.text:  # in a default or a decorator it binds in the module
                bound.update(
                    sub.target.id
                    for sub in walk(node)
                    if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name)
                )
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
            continue
        parts: list[ast.AST] = [node]
        if b":=" not in unit.text:  # else a walrus anywhere may bind in the module
            if isinstance(node, ast.Assign):
                if isinstance(node.value, _ARGV_VALUES):
                    variables.update(t.id for t in node.targets if isinstance(t, ast.Name))
                parts = list(node.targets)
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                    variables.add(node.target.id)
                parts = [node.target]
            elif isinstance(node, _PLAIN):
                parts = []
        found = set()
        for sub in (s for part in parts for s in walk(part)):
            if isinstance(sub, ast.Assign) and isinstance(sub.value, _ARGV_VALUES):
                variables.update(t.id for t in sub.targets if isinstance(t, ast.Name))
            elif isinstance(sub, ast.AugAssign) and isinstance(sub.target, ast.Name):
                variables.add(sub.target.id)
            if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                found.add(sub.id)
            elif isinstance(sub, _DEFINITIONS) or (isinstance(sub, ast.ExceptHandler) and sub.name):
                found.add(str(sub.name))
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                found.update((a.asname or a.name).split(".")[0] for a in sub.names)
            elif isinstance(sub, ast.Global):
                found.update(sub.names)
        bound |= found
    return bound, variables


def _lookups(unit: _Unit) -> set[str]:
    """The names ``unit`` can look up in the module scope: every name node and ``global``
    declaration inside, less, in a function's body, the function's own local names. (A
    string annotation is an access too, but the pass only resolves name nodes; accesses are
    counted for variables only, which the text check covers.)"""
    found: set[str] = set()
    for node in unit.nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            b"global" not in unit.text and b"nonlocal" not in unit.text
        ):
            local = _locals(node)
            header = (*node.decorator_list, *getattr(node, "type_params", ()), node.args)
            found |= _names(*header, node.returns)
            found |= _names(*node.body) - local
            continue
        found |= _names(node)
    return found


def _names(*nodes: Optional[ast.AST]) -> set[str]:
    """The name nodes and ``global`` names anywhere in ``nodes``."""
    found: set[str] = set()
    for node in nodes:
        if node is None:
            continue
        for sub in walk(node):
            if isinstance(sub, ast.Name):
                found.add(sub.id)
            elif isinstance(sub, ast.Global):
                found.update(sub.names)
    return found


def _locals(function: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> set[str]:
    """The names local to ``function`` (its parameters and every name it binds in its own
    scope; not the targets of its comprehensions, which have scopes of their own)."""
    args = function.args
    found = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    found.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*_DEFINITIONS, ast.Lambda)):
            if not isinstance(node, ast.Lambda):
                found.add(node.name)
            continue  # a nested scope (its header is looked up, not bound, here)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            found.update(
                sub.target.id
                for sub in walk(node)
                if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name)
            )
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif _MATCH and isinstance(node, (ast.MatchAs, ast.MatchStar, ast.MatchMapping)):
            bound = getattr(node, "rest", None) or getattr(node, "name", None)
            if bound:
                found.add(str(bound))
        stack.extend(children(node))
    return found


def _close(units: list[_Unit], calls: Collection[str]) -> None:
    """Mark units kept or named, to a fixpoint:

    - a unit mentioning a name that a triggered unit binds, or assigns a list to anywhere
      inside, is triggered (it may hold a finding: ``CMD = ["docker"]`` in one statement,
      ``run(CMD)`` in another);
    - a unit mentioning a variable that a kept unit binds is kept (its uses are counted),
      and so is a unit mentioning a name passed to an inspected call in a kept unit's
      module-level code (the argv data flow reads every earlier statement of the block
      that mentions it);
    - a unit binding a name that a kept unit looks up is kept; when it is a definition
      binding no other looked-up name, it is only named (its body looks nothing up).
    """
    bounds: list[Optional[tuple[set[str], set[str]]]] = [None] * len(units)
    words: list[Optional[frozenset[str]]] = [None] * len(units)
    looked: set[str] = set()
    order: list[str] = []  # ``looked`` in the order found
    probed = [0] * len(units)  # a unit's bindings are read once it mentions a looked name
    used: set[str] = set()
    marked: set[str] = set()

    def bound(i: int) -> tuple[set[str], set[str]]:
        found = bounds[i]
        if found is None:
            found = bounds[i] = _bound(units[i])
        return found

    pending = [i for i, u in enumerate(units) if u.kept]
    while pending:
        for i in pending:
            fresh = _lookups(units[i]) - looked
            looked |= fresh
            order += fresh
            used |= _arguments(units[i], calls)
            used |= bound(i)[1]
            if units[i].triggered:
                marked |= bound(i)[0] | _displays(units[i])
        pending = []
        for i, unit in enumerate(units):
            if unit.kept:
                continue
            if used or marked:
                if _mentions(unit, marked, words, i):
                    unit.kept = unit.triggered = True
                    pending.append(i)
                    continue
                if _mentions(unit, used, words, i):
                    unit.kept = True
                    pending.append(i)
                    continue
            if bounds[i] is None:  # it binds only names it mentions
                names, probed[i] = set(order[probed[i] :]), len(order)
                if not names or not _mentions(unit, names, words, i):
                    continue
            wanted = bound(i)[0] & looked
            if not wanted:
                continue
            node = unit.nodes[0]
            if isinstance(node, _DEFINITIONS) and len(unit.nodes) == 1 and wanted == {node.name}:
                unit.named = True  # stays a stub: the name is all it gives
            else:
                unit.kept = True
                pending.append(i)


def _mentions(
    unit: _Unit, names: set[str], words: list[Optional[frozenset[str]]], index: int
) -> bool:
    """Whether a word of ``unit`` (see ``_words``) is one of ``names``. An ASCII unit is
    searched for each name present in it as bytes; others get their words computed
    (``words[index]`` caches them)."""
    text = unit.text
    if text.isascii():
        return any(
            name.isascii() and name.encode() in text and _word(name).search(text) is not None
            for name in names
        )
    found = words[index]
    if found is None:
        found = words[index] = _words(text)
    return not found.isdisjoint(names)


@lru_cache(maxsize=1024)
def _word(name: str) -> re.Pattern[bytes]:
    """``name`` as a whole word of ASCII text, as ``_WORD`` reads words."""
    return re.compile(rb"(?<!\w)" + re.escape(name.encode()) + rb"(?![\w'\"])")


def _displays(unit: _Unit) -> set[str]:
    """The names assigned a list, a tuple or a binary operation anywhere in ``unit``, in
    definitions too: the argv data flow reports such an assignment inside an earlier
    compound statement (``class K: CMD = [...]`` before ``run(CMD)``)."""
    return {
        target.id
        for node in unit.nodes
        for sub in walk(node)
        if isinstance(sub, ast.Assign) and isinstance(sub.value, _ARGV_VALUES)
        for target in sub.targets
        if isinstance(target, ast.Name)
    }


def _arguments(unit: _Unit, calls: Collection[str]) -> set[str]:
    """The names inside the arguments of the inspected calls of ``unit``'s module-level
    code (a definition's body is a block of its own)."""
    found: set[str] = set()
    stack: list[ast.AST] = [n for n in unit.nodes if not isinstance(n, _DEFINITIONS)]
    while stack:
        node = stack.pop()
        if isinstance(node, (*_DEFINITIONS, ast.Lambda)):
            continue
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in calls:
                found |= _names(*node.args, *node.keywords)
        stack.extend(children(node))
    return found


def _header(unit: _Unit) -> bytes:
    """The stub of a named definition, up to its body: ``def NAME():``, ``class NAME:``."""
    node = unit.nodes[0]
    name = str(getattr(node, "name", "_")).encode("utf-8")
    if isinstance(node, ast.ClassDef):
        return b"class " + name + b":"
    prefix = b"async def " if isinstance(node, ast.AsyncFunctionDef) else b"def "
    return prefix + name + b"():"


def _stub(lines: list[bytes], first: int, last: int, head_text: bytes) -> None:
    """Replace lines ``first``..``last`` (1-based) by ``head_text`` (``pass;``, binding
    nothing, or a definition's header) followed by ``pass`` on one line, else by a string
    holding the other lines' endings."""
    head = lines[first - 1]
    bom = _BOM if first == 1 and head.startswith(_BOM) else b""
    if first == last:
        lines[first - 1] = bom + head_text + b" pass" + _ending(head)
        return
    lines[first - 1] = bom + head_text + b' """' + _ending(head)
    middle = lines[first : last - 1]
    if b"\r" in b"".join(middle):
        lines[first : last - 1] = [_ending(line) for line in middle]
    else:  # every line inside ends with \n (only the file's last line may lack one)
        lines[first : last - 1] = [b"\n"] * len(middle)
    lines[last - 1] = b'"""' + _ending(lines[last - 1])


def _imports_sdk(source: bytes, tree: ast.Module) -> bool:
    """Whether ``tree`` imports a Docker SDK module. The SDK rules trace receivers through
    every binding of a name or ``self`` attribute in the file (a name bound to two kinds
    stays quiet), so such a file is analysed whole."""
    if not sdk_import_text(source):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] in _SDK_MODULES for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _SDK_MODULES:
            return True
    return False


def sdk_import_text(source: bytes) -> bool:
    """Whether ``_SDK_IMPORT`` matches in ``source``; the same answer, faster. A match ends
    at an SDK module's name, so only the lines holding one are searched (found with
    ``bytes.find``; ``aiodocker`` holds ``docker``), unless such a line continues the line
    before it (a backslash): then the match may start earlier, and the whole text is."""
    for word in (b"docker", b"python_on_whales"):
        at = source.find(word)
        while at >= 0:
            start = source.rfind(b"\n", 0, at) + 1
            if source.endswith((b"\\\n", b"\\\r\n"), 0, start):
                return _SDK_IMPORT.search(source) is not None
            end = source.find(b"\n", at)
            end = len(source) if end < 0 else end
            if _SDK_IMPORT.search(source, start, end) is not None:
                return True
            at = source.find(word, end)
    return False


def _plain(source: bytes) -> bool:
    """UTF-8 (BOM allowed), no lone ``\\r``, no cookie naming another encoding."""
    return _LONE_CR.search(source) is None and utf8_text(source)


def utf8_text(source: bytes) -> bool:
    """Whether ``source`` is UTF-8 (BOM allowed) and declares no other encoding."""
    try:
        source.decode("utf-8")
    except UnicodeDecodeError:
        return False
    for line in source.splitlines()[:2]:
        match = _COOKIE.match(line[3:] if line.startswith(_BOM) else line)
        if match is not None:
            return match.group(1).decode("latin-1").lower().replace("_", "-") in _UTF8
    return True


def utf8_twin(source: bytes) -> Optional[bytes]:
    """``source``, declared in another encoding (``# -*- coding: latin-1 -*-``), as UTF-8
    with that cookie saying so: the same text, lines and characters, so the same findings
    at the same lines and columns (libcst counts characters). None when it cannot be."""
    if source.startswith(_BOM):
        return None
    lines = source.splitlines(keepends=True)
    for number, line in enumerate(lines[:2]):
        match = _COOKIE.match(line)
        if match is None:
            continue
        try:
            text = source.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeError, ValueError):
            return None
        utf8 = text.encode("utf-8").splitlines(keepends=True)
        start, end = match.span(1)
        if len(utf8) != len(lines) or utf8[number][start:end] != match.group(1):
            return None
        utf8[number] = utf8[number][:start] + b"utf-8" + utf8[number][end:]
        return b"".join(utf8)
    return None


def first_indent(source: bytes, tree: ast.Module) -> Optional[str]:
    """The indentation of the first indented block (what libcst takes as the module's
    default indent), from the first statement that starts its own line at a column above 0;
    None when there is none. Statements are visited in source order (a compound statement
    before its blocks, the blocks in order), so the first one found is the answer."""
    lines = source.splitlines()
    stack: list[ast.stmt] = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if node.col_offset > 0:
            line = lines[node.lineno - 1]
            if node.lineno == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
            prefix = line[: node.col_offset]
            if not prefix.strip(b" \t\f"):
                return prefix.decode("ascii")
        blocks: list[ast.stmt] = []
        for field in ("body", "handlers", "orelse", "finalbody", "cases"):
            for child in getattr(node, field, ()):
                if isinstance(child, ast.stmt):
                    blocks.append(child)
                else:  # an ``except`` handler or a ``case``: its block
                    blocks.extend(getattr(child, "body", ()))
        stack.extend(reversed(blocks))
    return None


def _ending(line: bytes) -> bytes:
    if line.endswith(b"\r\n"):
        return b"\r\n"
    if line.endswith((b"\n", b"\r")):
        return line[-1:]
    return b""
