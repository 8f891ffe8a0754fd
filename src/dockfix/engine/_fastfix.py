"""Fix mode without the libcst pass over the module, for the common shape.

``dockfix fix`` spent most of a file's time in libcst: parsing the (reduced) module,
computing positions and scopes for every node, walking it with the transformer. When
``_fast`` reads a file's findings from ``ast`` (the common shape: a literal argv, plain
imports), everything the libcst pass decides about a fix is known already: the verdict,
whether the result is used, the API and the call's spelling. What is left is to build the
replacement: as text where the call is laid out plainly (a reroute: ``_rerouted``; a
``CallExecutor`` call: ``_calltext``), else by libcst as the pass does
(``_rewrite.build_call``), but on the call's own text (``parse_expression``); the new
imports are added to the module's first lines as the pass adds them (``_addimports``), on
those lines alone. The edits are
then made to the file's bytes, and the fixed file goes through the same check as the
pass's (``_reduce.compiles_as_source``).

It answers only where the result is sure to be the pass's, byte for byte, and declines
(``None``: the pass runs) otherwise:

- a fix that replaces statements (``ReplaceStatements``, ``RunnerCalls``), or two fixed
  calls that overlap;
- an import the fix makes unused may be removed: the pass removes a top-level import
  when its name occurs nowhere else (``_imports._unused``); here the name must occur in a
  top-level statement that is not an import line after the fix (then the pass keeps it
  too), else the pass decides;
- libcst does not render the call's text, or the first lines, exactly as they are; the
  text around the call on its first and last lines is not of a simple kind (an
  assignment, ``return``, ``await``, a trailing comment...);
- a ``\\r`` or a form feed anywhere, a BOM, or a statement sharing a line with an import
  among the first lines.

``tests/engine/test_fast.py`` compares fix mode with and without it (``DOCKFIX_NO_FAST``)
on every rule case, fixture, generated module and on the dense corpus.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Sequence
from itertools import accumulate
from typing import Optional

import libcst as cst

from dockfix.engine._addimports import add_imports
from dockfix.engine._addtext import added
from dockfix.engine._buildable import dotted
from dockfix.engine._calltext import call_text
from dockfix.engine._fast import Found, fast_found
from dockfix.engine._imports import mentions_name, no_new_leading_blank, removal_name, remove_unused
from dockfix.engine._reduce import (
    _BOM,
    Reduction,
    Unsplit,
    _plain,
    compiles_as_source,
    first_line,
    parse,
    reduce_split,
    sdk_import_text,
)
from dockfix.engine._rewrite import Target, build_call, parse_call, parse_target
from dockfix.engine._schedule import ImportItem
from dockfix.engine._split import accepted
from dockfix.engine._types import FileResult, Settings
from dockfix.rules._base import (
    CallExecutor,
    Fix,
    ReplaceStatements,
    ReplaceWith,
    Reroute,
    RunnerCalls,
)

# The text before a fixed call on its first line, and after it on its last one, that
# libcst renders as it is: indentation, assignment targets, ``return``/``await``; an
# attribute read, closing brackets, a comment.
_BEFORE = re.compile(rb"[ \t]*(?:(?:return|await|yield)[ \t]+|[\w.]+[ \t]*=[ \t]*)*")
_AFTER = re.compile(rb"(?:\.\w+)*[ \t]*(?:#[^\r\n]*)?\n?")
_EMPTY = cst.Module(body=())
_PLACEHOLDER = b"pass\n"
_PAST_THE_END = 1 << 62

_Removal = tuple[str, Optional[str], Optional[str]]  # (module, obj, asname), as libcst's


def fast_fix(
    source: bytes,
    settings: Settings,
    triggers: Collection[bytes],
    calls: Collection[str],
) -> Optional[FileResult]:
    """The result of fix mode applying every fix (``accept`` None) for ``source``, or None
    when the libcst pass must decide. Never raises."""
    if b"\r" in source or b"\f" in source or source.startswith(_BOM):
        return None
    try:
        reduction = reduce_split(source, triggers, calls, fixes=True)
    except (Unsplit, RecursionError, MemoryError):
        return None
    if reduction is None:  # nothing to stub (a small module), or not split: the whole of it
        if b"barry_as_FLUFL" in source or not _plain(source) or sdk_import_text(source):
            return None
        reduction = Reduction(source, ())
    tree = parse(reduction.source)
    if tree is None:
        return None
    try:
        found = fast_found(reduction.source, tree, settings, screened=True)
        if found is None:
            return None
        return _fixed(source, reduction, tree, found, settings)
    except (_Decline, RecursionError):
        return None
    except Exception:  # a fix libcst cannot build (an executor setting it cannot parse...):
        return None  # the libcst pass reports it


class _Decline(Exception):
    """The pass must decide."""


def _fixed(
    source: bytes,
    reduction: Reduction,
    tree: ast.Module,
    found: tuple[Found, ...],
    settings: Settings,
) -> Optional[FileResult]:
    """The fixes of ``found`` (read from ``tree``, the reduced module) made to ``source``."""
    findings = tuple(item.finding for item in found)
    todo = [item for item in found if item.finding.fixable]
    if not todo:
        return FileResult(source, source, findings)
    lines = source.splitlines(keepends=True)
    offsets = [0, *accumulate(map(len, lines))]
    target = parse_target(settings.runner or settings.executor)
    additions: list[ImportItem] = []
    removals: list[_Removal] = []
    edits: list[tuple[int, int, bytes]] = []
    for item in todo:
        start = offsets[item.call.lineno - 1] + item.call.col_offset
        end = offsets[(item.call.end_lineno or 0) - 1] + (item.call.end_col_offset or 0)
        if edits and start < edits[-1][1]:
            raise _Decline  # calls inside calls: the pass fixes the inner one first
        _plain_around(source, offsets, item.call, start, end)
        func = item.call.func
        after_func = offsets[(func.end_lineno or 0) - 1] + (func.end_col_offset or 0) - start
        new = _replacement(source[start:end], after_func, item, target, additions, removals)
        edits.append((start, end, new))
    cut_index, cut_line = _cut(tree)
    unused: list[_Removal] = []  # in order, repeats kept: RemoveImportsVisitor reads them so
    verdicts: dict[str, bool] = {}
    for removal in removals:
        name = removal_name(removal)
        if name not in verdicts:
            if _still_used(name, source, tree, reduction.spans, offsets, edits):
                verdicts[name] = False  # the pass keeps the import
            elif _mentioned(name, source, tree, offsets, edits):
                raise _Decline  # the pass may keep it or not
            else:
                verdicts[name] = True
        if verdicts[name]:
            unused.append(removal)
    if unused:
        edits = sorted(
            edits + _removals(source, tree, offsets, unused, cut_index, reduction.starts)
        )
    if additions or unused:
        cut = len(source) if cut_index is None else offsets[cut_line - 1]
        if (reduction.spans and reduction.spans[0][0] < cut_line) or edits[0][0] < cut:
            raise _Decline  # a stub or a fix among the first lines: they are not the file's
        text = None
        if not unused and cut_index is not None:  # additions only: as text, when plain
            text = added(source, offsets, tree.body[:cut_index], tree.body[cut_index], additions)
        if text is None:
            text = _first_lines(source[:cut], cut < len(source), additions, unused)
        edits.insert(0, _narrowed(source, cut, text))
    fixed = _apply(source, edits)
    names = {target.expression.split(".")[0]}  # what the fix may newly bind or use
    names.update((item.obj_name or item.module_name).split(".")[0] for item in additions)
    if fixed != source and not _compiles(source, fixed, tree, offsets, edits, reduction, names):
        return None
    applied = tuple(item.finding.key for item in todo)
    return FileResult(source, fixed, findings, applied=applied, edits=tuple(edits))


def _compiles(
    source: bytes,
    fixed: bytes,
    tree: ast.Module,
    offsets: list[int],
    edits: Sequence[tuple[int, int, bytes]],
    reduction: Reduction,
    names: Collection[str],
) -> bool:
    """``_reduce.compiles_as_source(source, fixed)``, read on the changed parts only when
    that is sure to be the same answer.

    A file cut at lines where its top-level statements start, into parts the compiler
    front end each accepts alone, is accepted whole (``_split``'s argument: each cut is
    then outside any bracket, string or continuation, and the next part does not
    continue a statement), except for what the scope pass checks across statements: a
    module-level ``global NAME`` after NAME is bound or used there. Here the source was
    split into such parts, each accepted (``reduce_split`` stubbed something: ``spans``),
    so it has no such error and its statements are accepted alone. The edits add such
    bindings and uses only for ``names`` (the imports added, the executor; removing an
    import removes a binding only): the whole file is read when one of them follows a
    ``global`` on its line (a superset: in comments and strings too). Else the fixed file
    is cut at the statement starts the edits leave alone (the reduced module's, and those
    of ``_split``'s groups, inside stubs too), and only the parts an edit changed are
    read."""
    if not reduction.spans or _declared_global(fixed, names):
        return compiles_as_source(source, fixed)  # not split: ``ast`` read it whole
    starts = {offsets[first_line(stmt) - 1] for stmt in tree.body}
    starts.update(offsets[line - 1] for line in reduction.starts)  # inside stubs too
    cuts = sorted(starts | {0, len(source)})
    cuts = [c for c in cuts if not any(a < c < b for a, b, _ in edits)]
    for low, high in zip(cuts, cuts[1:]):
        inside = [
            (a, b, new)
            for a, b, new in edits
            if low <= a and b <= high and not (a == b == low > 0)  # an insertion at a cut:
        ]  # at the end of the part before it
        if inside and not accepted(_slice(source, low, high, inside)):
            return False
    return True


def _plain_around(source: bytes, offsets: list[int], call: ast.Call, start: int, end: int) -> None:
    """Decline unless the text before the call on its first line and after it on its last
    line is of a kind libcst renders unchanged."""
    line_start = offsets[call.lineno - 1]
    if _BEFORE.fullmatch(source, line_start, start) is None:
        raise _Decline
    line_end = offsets[call.end_lineno or 0]
    if _AFTER.fullmatch(source, end, line_end) is None:
        raise _Decline


def _replacement(
    text: bytes,
    after_func: int,
    item: Found,
    target: Target,
    additions: list[ImportItem],
    removals: list[_Removal],
) -> bytes:
    """The new text of the call, as ``Transformer._apply`` builds it; records the imports
    the pass would schedule. ``after_func``: where the called expression ends in
    ``text``."""
    fix = item.verdict.fix
    if fix is None or isinstance(fix, (ReplaceStatements, RunnerCalls)):
        raise _Decline
    rerouted = _rerouted(text, after_func, item, target)
    if rerouted is not None:
        _schedule(item, fix, target, additions, removals)
        return rerouted
    pipe = _schedule(item, fix, target, additions, removals)
    if isinstance(fix, CallExecutor) and dotted(f"{target.expression}.{fix.method}"):
        written = call_text(text, item.call, fix, target, pipe)
        if written is not None:
            return written
    code = text.decode("utf-8")
    node = parse_call(code)
    if node is None or _EMPTY.code_for_node(node) != code:
        raise _Decline
    return _EMPTY.code_for_node(build_call(node, fix, target, pipe)).encode("utf-8")


def _schedule(
    item: Found,
    fix: Fix,
    target: Target,
    additions: list[ImportItem],
    removals: list[_Removal],
) -> str:
    """Record the imports the pass would schedule for the fix of ``item``; the expression
    its new arguments name ``subprocess.PIPE`` by."""
    pipe = "subprocess.PIPE"
    if isinstance(fix, ReplaceWith):
        additions.extend(ImportItem(module, obj) for module, obj in fix.imports)
        return pipe
    if target.module is not None and target.obj is not None:
        additions.append(ImportItem(target.module, target.obj))
    removals.extend(_scheduled(item))
    if isinstance(fix, CallExecutor) and fix.needs_pipe:
        func = item.call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            pipe = f"{func.value.id}.PIPE"
        else:
            additions.append(ImportItem("subprocess"))
    return pipe


def _rerouted(text: bytes, after_func: int, item: Found, target: Target) -> Optional[bytes]:
    """A ``Reroute`` fix's new text without libcst: the called expression replaced by
    ``executor.method``, the rest of the call as it is (what ``call.with_changes(func=...)``
    renders), when the called expression starts the call (no parentheses around it) and
    the new one is a dotted name; else None."""
    fix = item.verdict.fix
    if not isinstance(fix, Reroute):
        return None
    call, func = item.call, item.call.func
    if (func.lineno, func.col_offset) != (call.lineno, call.col_offset):
        return None
    new = f"{target.expression}.{fix.method}"
    if not dotted(new):
        return None
    return new.encode("utf-8") + text[after_func:]


def _scheduled(item: Found) -> list[_Removal]:
    """``Transformer._schedule_removal``: the imports the pass removes when unused."""
    docker = item.docker
    if docker.argv_shape in ("shlex-split", "shell-plain") or docker.program_kind == "which":
        raise _Decline  # not a shape ``_fast`` reads
    module, _, obj = docker.api.rpartition(".")
    func = item.call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        alias = func.value.id
        return [(module, None, None if alias == module else alias)]
    if isinstance(func, ast.Name):
        return [(module, obj, None if func.id == obj else func.id)]
    return []


def _still_used(
    name: str,
    source: bytes,
    tree: ast.Module,
    spans: Sequence[tuple[int, int]],
    offsets: list[int],
    edits: Sequence[tuple[int, int, bytes]],
) -> bool:
    """Whether ``name`` occurs, after the edits, on the lines of a top-level statement that
    shares no line with an import: the pass, whichever module it analyses, looks for the
    name in the text of every such statement (``_imports._unused``) and then keeps the
    import. ``tree`` is the reduced module; a stubbed range (``spans``) is read in the
    file, less its last lines when they are blank or comments at column 0 (the statement
    after it may own them, and it may be an import)."""
    imports = _import_spans(tree)
    for stmt in tree.body:
        first, last = first_line(stmt), stmt.end_lineno or stmt.lineno
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) or any(
            low <= last and first <= high for low, high in imports
        ):
            continue  # shares a line with an import
        if any(a <= first <= b for a, b in spans):
            continue  # a stub: its lines are read below
        text = _slice(source, offsets[first - 1], offsets[last], edits)
        if mentions_name(text.decode("utf-8"), name):
            return True
    for first, last in spans:  # stubbed statements, less the lines the next one may own
        while last >= first and _owned(source[offsets[last - 1] : offsets[last]]):
            last -= 1
        if mentions_name(source[offsets[first - 1] : offsets[last]].decode("utf-8"), name):
            return True
    return False


def _import_spans(tree: ast.Module) -> list[tuple[int, int]]:
    """The (first, last) lines of each top-level import statement, in order."""
    return [
        (stmt.lineno, stmt.end_lineno or stmt.lineno)
        for stmt in tree.body
        if isinstance(stmt, (ast.Import, ast.ImportFrom))
    ]


def _mentioned(
    name: str,
    source: bytes,
    tree: ast.Module,
    offsets: list[int],
    edits: Sequence[tuple[int, int, bytes]],
) -> bool:
    """Whether ``name`` occurs, after the edits, anywhere outside the lines of top-level
    import statements: all the text the pass may look in is there."""
    kept: list[bytes] = []
    start = 0
    for first, last in _import_spans(tree):
        if start < offsets[first - 1]:
            kept.append(_slice(source, start, offsets[first - 1], edits))
        start = max(start, offsets[last])
    kept.append(_slice(source, start, len(source), edits))
    return mentions_name(b"".join(kept).decode("utf-8"), name)


def _slice(source: bytes, start: int, end: int, edits: Sequence[tuple[int, int, bytes]]) -> bytes:
    """``source[start:end]`` with the edits inside it made."""
    inside = [(a - start, b - start, new) for a, b, new in edits if start <= a and b <= end]
    return _apply(source[start:end], inside)


def _removals(
    source: bytes,
    tree: ast.Module,
    offsets: list[int],
    unused: list[_Removal],
    cut_index: Optional[int],
    reduction_starts: Sequence[int],
) -> list[tuple[int, int, bytes]]:
    """The edits that remove the ``unused`` imports below the first lines, as
    ``_imports.remove_unused`` removes them from the whole module: each top-level import
    line naming one of their modules goes through libcst's ``RemoveImportsVisitor`` alone
    (or its shortcut); one it empties goes, with its leading lines, which the next
    statement takes when it has none.

    Done here on each run of consecutive import statements with the lines around it,
    between two ``pass`` lines standing in for the statements before and after it. The
    lines above the run that are blank or comments at column 0, up to a line of code, are
    its leading lines in the module too (the statement above, maybe a stub in ``tree``,
    ends on that line; a block owns the lines after it only up to its last comment
    indented as far as the block). Imports among the first lines are left to
    ``_first_lines``. Declines a run sharing a line with the statements around it, or
    with a line indented between them."""
    modules = {module.split(".")[0] for module, _, _ in unused}
    body = tree.body
    found: list[tuple[int, int, bytes]] = []
    index = 0 if cut_index is None else cut_index + 1
    while cut_index is not None and index < len(body):
        if not isinstance(body[index], (ast.Import, ast.ImportFrom)):
            index += 1
            continue
        run_end = index
        while run_end + 1 < len(body) and isinstance(
            body[run_end + 1], (ast.Import, ast.ImportFrom)
        ):
            run_end += 1
        first, last = body[index].lineno, body[run_end].end_lineno or body[run_end].lineno
        text = source[offsets[first - 1] : offsets[last]]
        previous = body[index - 1]
        after = body[run_end + 1] if run_end + 1 < len(body) else None
        index = run_end + 1
        if not any(module.encode() in text for module in modules):
            continue
        if (previous.end_lineno or 0) >= first or (after and first_line(after) <= last):
            raise _Decline
        above = first - 1  # up over the lines the import owns: blank, or comments at column 0
        while above > 0 and _owned(source[offsets[above - 1] : offsets[above]]):
            above -= 1
        code = source[offsets[above - 1] : offsets[above]].lstrip(b" \t") if above else b""
        if not code.strip() or code.startswith(b"#"):
            raise _Decline  # a comment or blanks: which lines the block above owns varies
        if not _ends_statement(source, offsets, reduction_starts, previous, above):
            raise _Decline  # the lines taken for the import's may be the statement's
        start = offsets[above]
        end = offsets[first_line(after) - 1] if after is not None else len(source)
        around = source[start:end]
        if any(line[:1] in (b" ", b"\t") for line in around.splitlines()):
            raise _Decline  # a line the block above may own
        code = _through_libcst(
            around,
            lambda module: remove_unused(module, unused),
            before=True,
            after=after is not None,
        )
        found.append((start, end, code))
    return found


def _ends_statement(
    source: bytes,
    offsets: list[int],
    starts: Sequence[int],
    previous: ast.stmt,
    line: int,
) -> bool:
    """Whether the statement before an import ends on ``line`` (so the blank and comment
    lines after it are outside it: not string contents, not after a backslash). With the
    file split (``starts``: the groups' first lines; ``previous`` may be a stub) the
    lines from the group holding ``line`` up to it must be accepted alone; else
    ``previous`` (a statement of the whole file) must end on it."""
    if source[offsets[line - 1] : offsets[line]].rstrip(b"\r\n").endswith(b"\\"):
        return False
    if not starts:
        return (previous.end_lineno or 0) == line
    first = max((start for start in starts if start <= line), default=1)
    return accepted(source[offsets[first - 1] : offsets[line]])


def _owned(line: bytes) -> bool:
    return line == b"\n" or line.startswith(b"#")


def _apply(text: bytes, edits: Sequence[tuple[int, int, bytes]]) -> bytes:
    """``text`` with each ``(start, end, new)`` edit made (in order, not overlapping)."""
    parts: list[bytes] = []
    at = 0
    for start, end, new in edits:
        parts += [text[at:start], new]
        at = end
    parts.append(text[at:])
    return b"".join(parts)


def _declared_global(text: bytes, names: Collection[str]) -> bool:
    """Whether one of ``names`` follows the word ``global`` on its (logical) line."""
    if b"global" not in text:
        return False
    words = b"|".join(re.escape(name.encode()) for name in sorted(names))
    return re.search(rb"\bglobal\b(?:[^\n]|\\\n)*?\b(?:" + words + rb")\b", text) is not None


def _first_lines(
    head: bytes, more: bool, additions: list[ImportItem], unused: list[_Removal]
) -> bytes:
    """The first lines (``head``; ``more``: a statement follows them) with the imports
    added as ``_addimports`` adds them to the whole module, then the ``unused`` ones
    removed from the import lines there as ``_imports.remove_unused`` removes them (the
    lines after are done: ``_removals``).

    The additions are decided from the statements up to the first that is neither an
    import nor the first docstring (or ``__strict__`` line); that one is stood in for by
    ``pass`` (only its kind and its leading lines count, which are kept; they may take
    those of an import removed above it, as in the module)."""

    def change(module: cst.Module) -> cst.Module:
        done = module
        if additions:
            done = add_imports(module, additions, None, module.default_newline)
        if unused:
            done = no_new_leading_blank(module, remove_unused(done, unused))
        return done

    return _through_libcst(head, change, before=False, after=more)


def _through_libcst(
    text: bytes, change: Callable[[cst.Module], cst.Module], *, before: bool, after: bool
) -> bytes:
    """``text`` (whole lines) parsed by libcst as a module, between a ``pass`` line
    standing in for the statement before it and one for the statement after it (when
    there is one), changed, and rendered back without them. Declines when libcst does not
    render ``text`` as it is, or the stand-ins do not come back."""
    head, tail = (_PLACEHOLDER if before else b""), (_PLACEHOLDER if after else b"")
    source = (head + text + tail).decode("utf-8")
    try:
        module = cst.parse_module(source)
    except Exception:
        raise _Decline from None
    if not module.has_trailing_newline:  # the module's rendering takes the last one off
        if module.code != source:
            raise _Decline
        code = change(module).code.encode("utf-8")
    else:
        code = _rendered(module, source, change(module)).encode("utf-8")
    if not (code.startswith(head) and code.endswith(tail)):
        raise _Decline
    return code[len(head) : len(code) - len(tail)]


def _rendered(module: cst.Module, source: str, changed: cst.Module) -> str:
    """``changed.code``, where the nodes it shares with ``module`` (the same objects) take
    their text from ``module``'s rendering, which must be ``source`` (each node is
    rendered once: libcst renders a module as its nodes one after the other, then ends it
    with a newline when it has none, for a module ending with one)."""
    parts = [*module.header, *module.body, *module.footer]
    texts = {id(node): module.code_for_node(node) for node in parts}
    if "".join(texts.values()) != source or not source:
        raise _Decline
    code = "".join(
        texts.get(id(node)) or changed.code_for_node(node)
        for node in [*changed.header, *changed.body, *changed.footer]
    )
    return code or changed.code  # nothing left: libcst renders a newline


def _narrowed(source: bytes, cut: int, code: bytes) -> tuple[int, int, bytes]:
    """The edit turning ``source[:cut]`` into ``code``, less the lines both share at the
    start and at the end: the fixed file's check then reads only the statements around
    the lines that changed, not the whole docstring and import block."""
    old = source[:cut]
    head = _common_head(old, code)
    head = old.rfind(b"\n", 0, head) + 1  # back to a line start
    tail = _common_head(old[head:][::-1], code[head:][::-1])
    start = len(old) - tail  # where the shared end starts: moved on to a line start
    if tail and start > 0 and old[start - 1 : start] != b"\n":
        end = old.find(b"\n", start)
        tail = 0 if end < 0 else len(old) - (end + 1)
    return (head, cut - tail, code[head : len(code) - tail])


def _common_head(a: bytes, b: bytes) -> int:
    """The length of the longest common prefix of ``a`` and ``b`` (binary search over
    slice comparisons: each one a ``memcmp``)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _cut(tree: ast.Module) -> tuple[Optional[int], int]:
    """The index and first line of the first top-level statement that is neither an import
    nor a first docstring (or ``__strict__`` line): the additions' place is decided above
    it. ``(None, a line past the end)`` when there is none."""
    for index, stmt in enumerate(tree.body):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            continue
        if index == 0 and _moves_imports(stmt):
            continue
        first = first_line(stmt)
        if index and (tree.body[index - 1].end_lineno or 0) >= first:
            raise _Decline  # shares a line with the statement before
        return index, first
    return None, _PAST_THE_END


def _moves_imports(stmt: ast.stmt) -> bool:
    """Whether a first statement may be one the imports go after (a superset of
    ``_addimports._skip_first``: it is then among the first lines, which decide)."""
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Constant)
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return any(isinstance(t, ast.Name) and t.id == "__strict__" for t in targets)
    return False
