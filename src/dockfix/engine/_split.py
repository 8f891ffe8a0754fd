"""A module's top-level statements, grouped, without parsing the module as one.

``ast.parse`` of a whole file is the largest cost of ``dockfix check`` on a file that
mentions docker: most of it is building Python objects for statements that are then
stubbed (``_reduce``). ``groups`` splits the source at the lines where a top-level
statement can start (column 0, not a comment, not ``else``/``elif``/``except``/
``finally``, not after a decorator or a line continuation, not inside an open
triple-quoted string by a count of its quotes) and has CPython's compiler front end
(``symtable``: the parser and the scope pass, no ``ast`` objects) accept each group on
its own; a group that ends inside an unclosed bracket or string, or a decorator still
waiting for its definition, is joined to the next.

Why each group accepted alone means the split is right: a group is cut at a line start.
If the cut were inside a bracket, a string or a backslash continuation, the group before
it would end there and be rejected ("never closed", "unterminated", "unexpected EOF"); if
the next line continued a compound statement or a decorator, the group after it would
start with ``else``/``except``/... or the group before would end with a decorator, both
rejected. So the tokenizer is in its start state at every cut, the file's tokens are the
groups' tokens end to end, and its top-level statements are the groups' statements, in
order: the file parses, and each group is a run of whole statements. (The scope pass is
stricter than the grammar: a group it rejects, like ``nonlocal`` at module level, only
means no answer here. ``from __future__ import barry_as_FLUFL`` changes how later lines
parse, so a file naming it is not split.)

``None`` means: not split (no statement, a group rejected, or joins that cost too much); the caller
then parses the file whole, which also reports a syntax error the way it always has.
"""

from __future__ import annotations

import importlib
import re
import symtable
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional, cast

# A line where a top-level statement can start. A superset is harmless: a wrong cut is
# rejected and joined; a line left out only joins two groups.
_CAN_START = rb"(?=[^ \t\f\r\n#)\]}\\])(?!(?:else|elif|except|finally)(?![\w]))"
_AT = re.compile(_CAN_START)
_START = re.compile(rb"\n" + _CAN_START)  # a line after the first (``\n`` makes it fast)
# Rejections that say the group ends inside something the next one may close (3.9 words
# some of them differently).
_INCOMPLETE = ("never closed", "unterminated", "unexpected EOF", "EOF while", "EOL while")
_BOM = b"\xef\xbb\xbf"
# A group rejected for ending inside something unclosed is joined to the next ones and read
# again; when that has cost more than this many times the file's size, it is parsed whole.
JOIN_BUDGET = 2


def _front_end() -> Callable[[bytes, str, str], object]:
    """``symtable.symtable`` (bytes are taken as source) without the Python table it wraps
    the result in: the C function it calls, with the same errors (~0.1 ms a dense file)."""
    try:
        return cast(
            Callable[[bytes, str, str], object], importlib.import_module("_symtable").symtable
        )
    except (ImportError, AttributeError):  # pragma: no cover - another implementation
        return cast(Callable[[bytes, str, str], object], symtable.symtable)


_accept = _front_end()


@dataclass(frozen=True)
class Group:
    """Top-level statements on lines ``first``..``last`` (1-based), at
    ``source[start:end]`` (whole lines; the blank and comment lines that follow included)."""

    first: int
    last: int
    start: int
    end: int


def groups(source: bytes) -> Optional[list[Group]]:
    """The top-level statement groups of ``source`` (UTF-8, ``\\n`` or ``\\r\\n`` line
    endings), or None. Only blank and comment lines may precede the first group (else
    None), and a BOM only at the very start."""
    if b"barry_as_FLUFL" in source:
        return None
    starts = [match.start() + 1 for match in _START.finditer(source)]
    first = 3 if source.startswith(_BOM) else 0  # the first line is what follows a BOM
    if _AT.match(source, first):
        starts.insert(0, 0)
    if not starts or not _blank(source[: starts[0]]):
        return None
    if any(source.startswith(_BOM, start) for start in starts if start > 0):
        return None  # in a group of its own it would be taken as the group's BOM
    starts.append(len(source))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning (escapes), possibly set to raise
        return _groups(source, starts)


def accepted(source: bytes) -> bool:
    """Whether the compiler front end takes the whole of ``source`` as a module: CPython's
    parser and scope pass, without building ``ast`` objects (on the dense benchmark corpus
    about 1.8 ms a file where ``ast.parse`` takes 2.9). The scope pass refuses a few things
    ``ast.parse`` takes (``nonlocal`` at module level): ask ``ast`` when this says no."""
    return refusal(source) is None


def refusal(source: bytes) -> Optional[str]:
    """Why the compiler front end refuses ``source`` (``message (line N)``), or None when
    it takes it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _accept(source, "<module>", "exec")
        except SyntaxError as exc:
            return f"{exc.msg} (line {exc.lineno})" if exc.lineno else str(exc.msg)
        except (ValueError, UnicodeError, RecursionError, MemoryError) as exc:
            return f"{type(exc).__name__}: {exc}"
    return None


def _groups(source: bytes, starts: list[int]) -> Optional[list[Group]]:
    found: list[Group] = []
    line = source.count(b"\n", 0, starts[0]) + 1
    end = len(starts) - 1
    budget = JOIN_BUDGET * len(source)  # the bytes that rejected groups may cost
    i = 0
    while i < end:
        j = i + 1
        quotes = _quotes(source, starts[i], starts[j])
        step = 1  # joins double: a long run of false starts costs twice its text, at most
        while True:
            while j < end and _open(source, starts[j - 1], starts[j], quotes):
                quotes = _add(quotes, _quotes(source, starts[j], starts[j + 1]))
                j += 1
            problem = _rejected(source[starts[i] : starts[j]])
            if problem is None:
                break
            # a decorator whose arguments run over a line at column 0 waits for its def
            joinable = problem or source.startswith(b"@", starts[i])
            budget -= starts[j] - starts[i]
            if not joinable or j == end or budget < 0:
                return None
            for _ in range(min(step, end - j)):
                quotes = _add(quotes, _quotes(source, starts[j], starts[j + 1]))
                j += 1
            step *= 2
        newlines = source.count(b"\n", starts[i], starts[j])
        count = newlines if source.endswith(b"\n", 0, starts[j]) else newlines + 1
        found.append(Group(line, line + count - 1, starts[i], starts[j]))
        line += newlines
        i = j
    return found


def _blank(head: bytes) -> bool:
    """Whether ``head`` (before the first group) is only blank and comment lines (after a
    BOM): the lines left out of the groups (indented, or starting with a form feed or a
    closing bracket) may hold a statement or a syntax error."""
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    return all(
        not line.strip(b" \t\f\r") or line.lstrip(b" \t\f").startswith(b"#")
        for line in head.split(b"\n")
    )


def _quotes(source: bytes, start: int, end: int) -> tuple[int, int]:
    return source.count(b'"""', start, end), source.count(b"'''", start, end)


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def _open(source: bytes, last: int, cut: int, quotes: tuple[int, int]) -> bool:
    """Whether the text before ``cut`` surely does not end with a whole statement: its last
    possible statement start (``last``) is a decorator, its last line ends with a backslash,
    or a triple quote is left open (``quotes``, the counts of each kind since the group's
    start, is odd: a heuristic, the compiler decides)."""
    if source.startswith(b"@", last) or source.endswith((b"\\\n", b"\\\r\n"), last, cut):
        return True
    return quotes[0] % 2 == 1 or quotes[1] % 2 == 1


def _rejected(text: bytes) -> Optional[bool]:
    """None when the compiler front end accepts ``text`` as a module; else whether the
    rejection says the text ends inside something unclosed."""
    try:
        _accept(text, "<group>", "exec")
    except SyntaxError as exc:
        return any(marker in str(exc.msg) for marker in _INCOMPLETE)
    except (ValueError, UnicodeError, RecursionError, MemoryError):
        return False
    return None
