"""The libcst pass behind ``analyze``: run the rules' transformer over a module (or its
reduction), carry fixes back to the original lines exactly.

Imported only when a file needs it: ``dockfix check`` answers most files from ``ast``
(``_fast``) without importing libcst's codemod machinery (most of a worker's start-up).
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Sequence
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper

from dockfix.engine._cstfast import install as _install_reflection_cache
from dockfix.engine._imports import finish_imports, no_new_leading_blank, removal_name
from dockfix.engine._reduce import Reduction, compiles_as_source, first_indent
from dockfix.engine._schedule import REMOVALS, Context
from dockfix.engine._split import accepted, refusal
from dockfix.engine._transformer import Transformer
from dockfix.engine._types import Accept, FileResult, Settings
from dockfix.rules._base import Rule

_install_reflection_cache()


_FALLBACK_INDENT = "    "  # libcst's default indent for a module without an indented block


def analyze_reduced(
    source: bytes,
    tree: ast.Module,
    reduction: Reduction,
    settings: Settings,
    path: str,
    accept: Optional[Accept],
    rules: Optional[Sequence[type[Rule]]],
) -> Optional[FileResult]:
    """The result of the pass over the reduced module, or None when the full module must be
    analysed (anything went wrong, or a fix could not be carried back for sure).

    Without a fix the findings are the file's (same lines, same columns). With fixes, the
    line changes of the reduced module are applied to the original lines; they must stay
    outside the stubbed ranges (an import stays when the stubbed text mentions its name,
    as the full module's text would), and the module must indent new code the same way.
    """
    try:
        module = cst.parse_module(reduction.source)
        context = Context(filename=path)
        # a reduced module imports no Docker SDK (``reduce`` keeps such files whole)
        transformer = Transformer(context, settings, accept, rules, sdk_imports=False)
        done = MetadataWrapper(module, unsafe_skip_copy=True).visit(transformer)
        if transformer.pending:
            return None
        findings = tuple(transformer.findings)
        if not transformer.applied:
            return FileResult(source, source, findings)
        if module.default_indent != (first_indent(source, tree) or _FALLBACK_INDENT):
            return None
        stubbed = _stubbed_text(source, reduction) if _removal_names(context) else ""
        fixed_module = no_new_leading_blank(module, finish_imports(done, context, stubbed))
        fixed = _splice(source, reduction.source, reduction.spans, module.bytes, fixed_module.bytes)
        if fixed is None:
            return None
        if fixed != source and not compiles_as_source(source, fixed):
            return None  # the full pass reports it
    except Exception:
        return None
    return FileResult(source, fixed, findings, applied=tuple(transformer.applied))


def _removal_names(context: Context) -> list[str]:
    """The names of the imports the fixes scheduled for removal (when unused)."""
    scheduled = context.scratch.get(REMOVALS) or []
    return [removal_name(removal) for removal in scheduled]


def _stubbed_text(source: bytes, reduction: Reduction) -> str:
    lines = source.splitlines(keepends=True)
    return b"".join(b"".join(lines[a - 1 : b]) for a, b in reduction.spans).decode("utf-8")


def _splice(
    source: bytes,
    analysed: bytes,
    spans: Sequence[tuple[int, int]],
    rendered: bytes,
    fixed: bytes,
) -> Optional[bytes]:
    """``source`` with the line changes that turned ``rendered`` into ``fixed``; None when
    that cannot be done exactly.

    ``analysed`` is what libcst parsed: ``source`` itself, or its reduction, whose stubbed
    ranges are ``spans`` (1-based line numbers, inclusive); ``rendered`` is libcst's code for
    it before the fix, ``fixed`` after. Lines the fix leaves alone come from ``source``,
    byte for byte, even where libcst renders them differently (it drops the space in
    ``except (A, B) :``): the fix can never change a line it does not touch. None when a
    change touches a line libcst does not render as it is, touches (or is inserted inside)
    a stubbed range, or a stub is not found unchanged in ``fixed``. An insertion next to a
    stubbed range, outside it, is carried over (the new imports above a stubbed statement).

    Each stub is one item of the compared sequences (its lines, mostly empty, would make
    the line diff quadratic); the items are then expanded back to the original lines.
    """
    original = source.splitlines(keepends=True)
    parsed = analysed.splitlines(keepends=True)
    before = rendered.splitlines(keepends=True)
    after = fixed.splitlines(keepends=True)
    if len(before) != len(parsed) or len(parsed) != len(original):
        return None  # libcst's rendering moved lines: no line maps back for sure
    old = _items(before, [(a - 1, b) for a, b in spans])
    spans_after: list[tuple[int, int]] = []
    at = 0
    for a, b in spans:
        block = before[a - 1 : b]
        found = _find_block(after, block, at)
        if found is None:
            return None
        spans_after.append((found, found + len(block)))
        at = found + len(block)
    new = _items(after, spans_after)
    out: list[bytes] = []
    keys = ([item[3] for item in old], [item[3] for item in new])
    matcher = difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for item in old[i1:i2]:
                out.extend(original[item[1] : item[2]])
            continue
        if any(item[0] for item in old[i1:i2]) or any(item[0] for item in new[j1:j2]):
            return None  # a stub changed, moved or vanished
        if any(before[item[1]] != parsed[item[1]] for item in old[i1:i2]):
            return None  # the fix touches a line libcst does not reproduce
        for item in new[j1:j2]:
            out.extend(after[item[1] : item[2]])
    return b"".join(out)


_Item = tuple[bool, int, int, bytes]  # (is a stub, first line index, end index, text)


def _items(lines: list[bytes], spans: list[tuple[int, int]]) -> list[_Item]:
    """``lines`` as diff items: one per line, one per stub (``spans``: 0-based, end
    exclusive, in order). Stubs compare equal by position in the sequence of stubs."""
    items: list[_Item] = []
    index = 0
    for number, (a, b) in enumerate(spans):
        items.extend((False, i, i + 1, lines[i]) for i in range(index, a))
        items.append((True, a, b, b"stub %d" % number))
        index = b
    items.extend((False, i, i + 1, lines[i]) for i in range(index, len(lines)))
    return items


def _find_block(lines: list[bytes], block: list[bytes], start: int) -> Optional[int]:
    """The first index from ``start`` where ``block`` occurs in ``lines``."""
    size = len(block)
    for index in range(start, len(lines) - size + 1):
        if lines[index] == block[0] and lines[index : index + size] == block:
            return index
    return None


def analyze_full(
    source: bytes,
    settings: Settings,
    path: str,
    accept: Optional[Accept],
    rules: Optional[Sequence[type[Rule]]],
) -> FileResult:
    try:
        module = cst.parse_module(source)
    except Exception as exc:
        return FileResult(source, source, (), f"cannot parse {path}: {_first_line(exc)}")
    try:
        context = Context(filename=path)
        transformer = Transformer(context, settings, accept, rules)
        fixed_module = no_new_leading_blank(module, _transform(module, transformer, context))
        findings = tuple(transformer.findings)
        fixed = source
        if transformer.applied:
            spliced = _splice(source, source, (), module.bytes, fixed_module.bytes)
            if spliced is None:
                error = (
                    "libcst does not reproduce the lines around the fix exactly, so the fix "
                    "could change them; file left unchanged"
                )
                return FileResult(source, source, tuple(transformer.findings), error)
            fixed = spliced
    except Exception as exc:
        refused = refusal(source)
        if refused is not None:  # libcst's scope analysis fails on ``nonlocal`` at module level
            error = f"cannot analyse {path}: Python's compiler refuses it: {refused}"
            return FileResult(source, source, (), error)
        return FileResult(source, source, (), f"internal error on {path}: {exc!r}")
    if fixed != source:
        try:
            cst.parse_module(fixed)
        except Exception as exc:
            error = f"the fix would not parse, file left unchanged: {_first_line(exc)}"
            return FileResult(source, source, findings, error)
        if not accepted(fixed) and accepted(source):  # neither, for 3.12+ syntax on 3.11
            error = "Python's compiler refuses the fix, file left unchanged"
            return FileResult(source, source, findings, error)
    return FileResult(source, fixed, findings, applied=tuple(transformer.applied))


def parse_error(source: bytes, path: str) -> FileResult:
    try:
        cst.parse_module(source)
    except Exception as exc:
        return FileResult(source, source, (), f"cannot parse {path}: {_first_line(exc)}")
    return FileResult(source=source, fixed=source)


def _transform(module: cst.Module, transformer: Transformer, context: Context) -> cst.Module:
    """One metadata-backed pass of the rules; the import helpers run only after a fix."""
    tree = MetadataWrapper(module, unsafe_skip_copy=True).visit(transformer)
    if transformer.pending:
        raise RuntimeError("a statement fix found no statement to replace")
    if not transformer.applied:
        return tree
    return finish_imports(tree, context)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
