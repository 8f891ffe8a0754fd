"""Unified diffs of bytes, correct for ``patch``/``git apply``, and their colouring.

Lines are split on ``\\n`` only, so a CRLF file's diff keeps its ``\\r\\n`` endings
(and applies back), a lone ``\\r`` or form feed never starts a line, and a last line
without a newline gets the ``\\ No newline at end of file`` marker. Diffs are bytes in
the file's own encoding; colour is added only at the edge, with ``rich.text.Text``
objects, so code such as ``x[name]`` is never read as markup.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Optional

from rich.text import Text

from dockfix.report._report import Replacement

NO_NEWLINE = b"\\ No newline at end of file\n"
CONTEXT = 3  # lines around each change, as ``diff -u``
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def split_lines(data: bytes) -> list[bytes]:
    """Lines with their endings, split on ``\\n`` only."""
    lines = data.split(b"\n")
    result = [line + b"\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


Edit = tuple[int, int, bytes]  # bytes ``[start, end)`` of the old text replaced by the new
Opcode = tuple[str, int, int, int, int]  # as ``difflib.SequenceMatcher.get_opcodes``


def unified_diff(before: bytes, after: bytes, path: str, edits: Sequence[Edit] = ()) -> bytes:
    """The unified diff from ``before`` to ``after`` (empty when they are equal).

    ``edits``, when the caller knows them (in order, not overlapping), are the changes
    that turn ``before`` into ``after``: the changed lines are then read from them.
    Otherwise ``difflib`` compares only the lines between the longest common head and
    tail (a fix changes a few lines of a long file, and matching all of them cost more
    than the fix). Either way the hunks are grouped and written as ``difflib``'s
    ``unified_diff`` writes them, without decoding a line."""
    if before == after:
        return b""
    old, new = split_lines(before), split_lines(after)
    codes = _edited(before, old, new, edits) if edits else None
    if codes is None:
        codes = _matched(old, new)
    return _format(old, new, codes, path.encode("utf-8", "surrogateescape"))


def _matched(old: list[bytes], new: list[bytes]) -> list[Opcode]:
    """``difflib``'s opcodes for the lines between the common head and tail."""
    head = 0
    while head < len(old) and head < len(new) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < len(old) - head and tail < len(new) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(
        None, old[head : len(old) - tail], new[head : len(new) - tail]
    )
    codes: list[Opcode] = [("equal", 0, head, 0, head)] if head else []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        codes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        codes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    return codes


def _edited(
    before: bytes, old: list[bytes], new: list[bytes], edits: Sequence[Edit]
) -> Optional[list[Opcode]]:
    """The opcodes of ``edits`` (each widened to whole lines, those sharing lines merged,
    the lines they leave as they were taken out again), or None when they do not give
    ``new``."""
    starts = [0]
    for line in old:
        starts.append(starts[-1] + len(line))
    spans: list[tuple[int, int, list[Edit]]] = []  # old lines [i, j) and their edits
    for edit in edits:
        a, b, text = edit
        i = min(bisect.bisect_right(starts, a) - 1, len(old))  # the line holding ``a``
        if i == len(old) and old and not old[-1].endswith(b"\n"):
            i -= 1  # at the end of a last line without its newline: that line changes
        k = bisect.bisect_left(starts, b)
        if k < len(starts) and starts[k] == b and (b > a or not text or text.endswith(b"\n")):
            j = k  # it ends at a line start
        else:
            j = bisect.bisect_right(starts, b)  # it ends inside line j - 1
        j = min(max(j, i), len(old))
        if spans and i <= spans[-1][1]:
            first, end, merged = spans.pop()
            spans.append((first, max(j, end), [*merged, edit]))
        else:
            spans.append((i, j, [edit]))
    codes: list[Opcode] = []
    at = made = 0  # old and new lines written so far
    index = 0
    while index < len(spans):
        i, j, group = spans[index]
        index += 1
        text = _applied(before, starts[i], starts[j], group)
        while text and not text.endswith(b"\n") and j < len(old):
            j += 1  # the last line lost its ending: it runs on into the next one
            while index < len(spans) and spans[index][0] < j:
                j = max(j, spans[index][1])
                group = [*group, *spans[index][2]]
                index += 1
            text = _applied(before, starts[i], starts[j], group)
        lines = split_lines(text)
        while i < j and lines and old[i] == lines[0]:
            i, lines = i + 1, lines[1:]
        while j > i and lines and old[j - 1] == lines[-1]:
            j, lines = j - 1, lines[:-1]
        if i == j and not lines:
            continue  # nothing changed there: the equal run goes on
        if i > at:
            codes.append(("equal", at, i, made, made + i - at))
            made += i - at
        tag = "replace" if i < j and lines else "delete" if i < j else "insert"
        codes.append((tag, i, j, made, made + len(lines)))
        made += len(lines)
        at = j
    if at < len(old):
        codes.append(("equal", at, len(old), made, made + len(old) - at))
        made += len(old) - at
    if made != len(new) or not _gives(old, new, codes):
        return None
    return codes


def _applied(before: bytes, low: int, high: int, edits: Sequence[Edit]) -> bytes:
    """``before[low:high]`` with ``edits`` (inside it) made."""
    text = before[low:high]
    for a, b, inserted in reversed(edits):
        text = text[: a - low] + inserted + text[b - low :]
    return text


def _gives(old: list[bytes], new: list[bytes], codes: list[Opcode]) -> bool:
    """Whether the equal ranges of ``codes`` hold the same lines in ``old`` and ``new``."""
    return all(old[i1:i2] == new[j1:j2] for tag, i1, i2, j1, j2 in codes if tag == "equal")


def _format(old: list[bytes], new: list[bytes], codes: list[Opcode], name: bytes) -> bytes:
    """The hunks of ``codes``, grouped and written as ``difflib.unified_diff`` does."""
    out: list[bytes] = []
    for group in _grouped(codes):
        if not out:
            out += [b"--- " + name + b"\n", b"+++ " + name + b"\n"]
        first, last = group[0], group[-1]
        out.append(b"@@ -%s +%s @@\n" % (_range(first[1], last[2]), _range(first[3], last[4])))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [b" " + line for line in old[i1:i2]]
                continue
            if tag in ("replace", "delete"):
                out += [b"-" + line for line in old[i1:i2]]
            if tag in ("replace", "insert"):
                out += [b"+" + line for line in new[j1:j2]]
    return b"".join(line if line.endswith(b"\n") else line + b"\n" + NO_NEWLINE for line in out)


def _grouped(codes: list[Opcode]) -> Iterator[list[Opcode]]:
    """``difflib.SequenceMatcher.get_grouped_opcodes(CONTEXT)`` for these opcodes."""
    codes = list(codes) or [("equal", 0, 1, 0, 1)]
    n = CONTEXT
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = (tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = (tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _range(start: int, stop: int) -> bytes:
    """``difflib``'s ``_format_range_unified``."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return b"%d" % beginning
    if not length:
        beginning -= 1
    return b"%d,%d" % (beginning, length)


def source_encoding(data: bytes) -> str:
    """The encoding a Python file declares (PEP 263), defaulting to UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for line in data.split(b"\n", 2)[:2]:
        match = _CODING.match(line)
        if match:
            name = match.group(1).decode("ascii")
            try:
                return codecs.lookup(name).name
            except LookupError:
                return "utf-8"
    return "utf-8"


def colour_diff(diff: bytes, encoding: str = "utf-8") -> Text:
    """A diff as styled text; lines are decoded leniently and never parsed as markup."""
    text = Text(no_wrap=True, overflow="ignore")
    for raw in diff.split(b"\n")[:-1] if diff.endswith(b"\n") else diff.split(b"\n"):
        line = raw.rstrip(b"\r").decode(encoding, "replace")
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("\\"):
            style = "dim"
        else:
            style = ""
        text.append(line, style=style)
        text.append("\n")
    return text


def line_replacements(before: bytes, after: bytes) -> tuple[Replacement, ...]:
    """The smallest line-level replacements turning ``before`` into ``after``."""
    encoding = source_encoding(before)
    old, new = split_lines(before), split_lines(after)
    return tuple(_replacements(old, new, encoding))


def _replacements(old: list[bytes], new: list[bytes], encoding: str) -> Iterator[Replacement]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        inserted = b"".join(new[j1:j2]).decode(encoding, "replace")
        yield Replacement(start_line=i1 + 1, end_line=i2 + 1, inserted=inserted)
