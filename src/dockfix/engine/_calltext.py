"""A ``CallExecutor`` fix written as text: what ``_rewrite.build_call`` renders, without libcst.

``build_call`` parses the call's text with libcst, builds ``executor.method(...)`` from its
arguments (``_layout``) and renders it. For a call whose line breaks are all inside its
argv's brackets (where only the items are rendered), without a comment, a backslash or
brackets around its arguments, every piece it renders is a piece of the call's text or
a fixed string, and this module puts them together from the call's ``ast``, following
libcst's rules:

- an argument renders as its text, then its comma (the comma owns the whitespace on both
  sides), then the whitespace before ``)`` when it is the last one without a comma;
  an argument without a comma, not the last, renders ``", "``;
- the new arguments take the comma of the call's first argument when it had two or more,
  a default comma otherwise; kept keyword arguments are reused whole, with their own
  comma, except the call's last argument, which takes that separator; the last new
  argument takes the call's last ending (its comma and the whitespace before ``)``);
- a token the fix places by reference (``("path", 0, j)``: item ``j`` of the argv, the
  first argument) renders as that item's text; a new keyword as ``name=value``.

Anything else (a token that is a new literal, an item in brackets of its own, an
f-string on Python 3.12+, whose ``ast`` positions are not always the text's...) gives
None, and libcst builds the call. ``tests/engine/test_calltext.py`` compares both on
the rule cases and the dense corpus.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Sequence
from typing import Optional, Union

from dockfix.engine._rewrite import Target
from dockfix.rules._base import CallExecutor

_SEPARATOR = re.compile(rb"[ \t]*,[ \t]*")
_SPACE = re.compile(rb"[ \t]*")
_ENDING = re.compile(rb"[ \t]*(?:,[ \t]*)?")
# Inside the argv's brackets, where nothing is rendered but the items, lines may break.
_INSIDE_SEPARATOR = re.compile(rb"[ \t\n]*,[ \t\n]*")
_INSIDE_SPACE = re.compile(rb"[ \t\n]*")
_INSIDE_ENDING = re.compile(rb"[ \t\n]*(?:,[ \t\n]*)?")
_PLAIN_VALUE = re.compile(r"[\w.()]+")  # a new keyword's value: a name, a number, a call
_Argument = Union[ast.expr, ast.keyword]


class _Piece:
    """An argument as libcst renders it: its text, its comma (None: the default one) and
    the whitespace after it."""

    __slots__ = ("comma", "core", "space")

    def __init__(self, core: bytes, comma: Optional[bytes], space: bytes = b"") -> None:
        self.core, self.comma, self.space = core, comma, space


def call_text(
    text: bytes, call: ast.Call, fix: CallExecutor, target: Target, pipe: str
) -> Optional[bytes]:
    """The text ``build_call(call, fix, target, pipe)`` renders, or None. ``text`` is the
    call's source (``call`` starts at its first byte)."""
    if b"#" in text or b"\\" in text or b"\r" in text or not text.endswith(b")"):
        return None
    if sys.version_info >= (3, 12) and any(isinstance(n, ast.JoinedStr) for n in ast.walk(call)):
        return None
    at = _Positions(text, call)
    func_end = at.end(call.func)
    if text[func_end : func_end + 1] != b"(":
        return None  # whitespace, or brackets, between the called expression and ``(``
    arguments: list[_Argument] = sorted([*call.args, *call.keywords], key=at.start)
    spans = [(at.start(a), at.end(a)) for a in arguments]
    close = len(text) - 1
    if spans:
        if spans[0][0] != func_end + 1:
            return None
        gaps = [text[end:start] for (_, end), (start, _) in zip(spans, spans[1:])]
        if not all(_SEPARATOR.fullmatch(gap) for gap in gaps):
            return None
        ending = text[spans[-1][1] : close]
        if not _ENDING.fullmatch(ending):
            return None
    elif text[func_end + 1 : close]:
        return None
    fresh = _fresh(text, call, arguments, spans, fix, at, pipe)
    if fresh is None:
        return None
    kept_names = set(fix.keep)
    kept = [
        i
        for i, a in enumerate(arguments)
        if isinstance(a, ast.keyword) and a.arg is not None and a.arg in kept_names
    ]
    after = _keywords(fix.after, pipe)
    if after is None:
        return None
    if not arguments:
        pieces = [_Piece(core, None) for core in [*fresh, *after]]
    else:
        last = len(arguments) - 1
        sep = gaps[0] if last > 0 else None
        pieces = [_Piece(core, sep) for core in fresh]
        for i in kept:
            core = text[spans[i][0] : spans[i][1]]
            if i == last:  # it takes the separator, and keeps its space before ``)``
                space = b"" if b"," in ending else ending
                pieces.append(_Piece(core, sep, space))
            else:
                pieces.append(_Piece(core, gaps[i]))
        pieces += [_Piece(core, sep) for core in after]
        if pieces:  # the last one ends as the call's last argument ended
            comma, space = (ending, b"") if b"," in ending else (None, ending)
            pieces[-1] = _Piece(pieces[-1].core, comma, space)
    rendered = [
        piece.core
        + (piece.comma if piece.comma is not None else b", " if n < len(pieces) - 1 else b"")
        + piece.space
        for n, piece in enumerate(pieces)
    ]
    new = f"{target.expression}.{fix.method}(".encode() + b"".join(rendered) + b")"
    if fix.suffix:
        new += b"." + fix.suffix.lstrip(".").encode()
    return new


class _Positions:
    """Offsets in the call's text of ``ast`` positions (lines from the call's)."""

    def __init__(self, text: bytes, call: ast.Call) -> None:
        self.line, self.column = call.lineno, call.col_offset
        self.starts = [0]
        at = text.find(b"\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = text.find(b"\n", at + 1)

    def offset(self, line: int, column: int) -> int:
        index = line - self.line
        return column - self.column if index == 0 else self.starts[index] + column

    def start(self, node: _Argument) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: _Argument) -> int:
        return self.offset(node.end_lineno or node.lineno, node.end_col_offset or 0)


def _fresh(
    text: bytes,
    call: ast.Call,
    arguments: Sequence[_Argument],
    spans: Sequence[tuple[int, int]],
    fix: CallExecutor,
    at: _Positions,
    pipe: str,
) -> Optional[list[bytes]]:
    """The texts of the new positional arguments, then of the ``extra`` keywords."""
    out: list[bytes] = []
    items: Optional[list[ast.expr]] = None
    for token in fix.positional:
        ref = token.ref
        if not (isinstance(ref, tuple) and len(ref) == 3 and ref[:2] == ("path", 0)):
            return None  # a new literal, or an item deeper in the argv
        if items is None:
            items = _items(text, call, arguments, spans, at)
            if items is None:
                return None
        index = ref[2]
        if not isinstance(index, int) or not 0 <= index < len(items):
            return None
        node = items[index]
        if isinstance(node, ast.Starred):  # libcst places the starred element's value
            node = node.value
        piece = text[at.start(node) : at.end(node)]
        out.append(b"*" + piece if token.starred else piece)
    extra = _keywords(fix.extra, pipe)
    return None if extra is None else out + extra


def _items(
    text: bytes,
    call: ast.Call,
    arguments: Sequence[_Argument],
    spans: Sequence[tuple[int, int]],
    at: _Positions,
) -> Optional[list[ast.expr]]:
    """The argv's items (the first argument, a list or a tuple), when each one's text is
    what libcst places (none in brackets of its own)."""
    if not arguments or arguments[0] is not (call.args[0] if call.args else None):
        return None
    argv = arguments[0]
    if not isinstance(argv, (ast.List, ast.Tuple)) or not argv.elts:
        return None
    start, end = spans[0]
    if text[start : start + 1] not in (b"[", b"(") or text[end - 1 : end] not in (b"]", b")"):
        return None  # a tuple without brackets, or one inside more brackets
    edges = []
    for item in argv.elts:
        if isinstance(item, ast.Starred):
            inner = item.value
            if at.end(item) != at.end(inner):
                return None
            if not _SPACE.fullmatch(text[at.start(item) + 1 : at.start(inner)]):
                return None
        edges.append((at.start(item), at.end(item)))
    if not _INSIDE_SPACE.fullmatch(text[start + 1 : edges[0][0]]):
        return None
    gaps = [text[a_end:b_start] for (_, a_end), (b_start, _) in zip(edges, edges[1:])]
    if not all(_INSIDE_SEPARATOR.fullmatch(gap) for gap in gaps):
        return None
    if not _INSIDE_ENDING.fullmatch(text[edges[-1][1] : end - 1]):
        return None
    return list(argv.elts)


def _keywords(pairs: Sequence[tuple[str, str]], pipe: str) -> Optional[list[bytes]]:
    """``name=value`` for new keywords, as ``_rewrite._keywords`` renders them."""
    out = []
    for name, source in pairs:
        value = source.replace("subprocess.PIPE", pipe)
        if not _PLAIN_VALUE.fullmatch(value):
            return None
        out.append(f"{name}={value}".encode())
    return out
