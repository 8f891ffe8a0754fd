"""Unified diffs of bytes, correct for ``patch``/``git apply``, and their colouring.

Lines are split on ``\\n`` only, so a CRLF file's diff keeps its ``\\r\\n`` endings
(and applies back), a lone ``\\r`` or form feed never starts a line, and a last line
without a newline gets the ``\\ No newline at end of file`` marker. Diffs are bytes in
the file's own encoding; colour is added only at the edge, with ``rich.text.Text``
objects, so code such as ``x[name]`` is never read as markup.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Iterator

from rich.text import Text

from dockfix.report._report import Replacement

NO_NEWLINE = b"\\ No newline at end of file\n"
CONTEXT = 3  # lines around each change, as ``diff -u``
_HUNK = re.compile(rb"(?<=[-+])\d+")  # the first line numbers of a hunk header
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def split_lines(data: bytes) -> list[bytes]:
    """Lines with their endings, split on ``\\n`` only."""
    lines = data.split(b"\n")
    result = [line + b"\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def unified_diff(before: bytes, after: bytes, path: str) -> bytes:
    """The unified diff from ``before`` to ``after`` (empty when they are equal).

    ``difflib`` compares only the lines between the longest common head and tail (and
    the context lines around them): a fix changes a few lines of a long file, and
    matching all of them cost more than the fix. Hunk headers are then moved by the
    lines left out above."""
    if before == after:
        return b""
    old, new = split_lines(before), split_lines(after)
    head = 0
    while head < len(old) and head < len(new) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < len(old) - head and tail < len(new) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    start = max(0, head - CONTEXT)
    cut = max(0, tail - CONTEXT)
    name = path.encode("utf-8", "surrogateescape")
    out = []
    for line in difflib.diff_bytes(
        difflib.unified_diff,
        old[start : len(old) - cut],
        new[start : len(new) - cut],
        fromfile=name,
        tofile=name,
        lineterm=b"\n",
        n=CONTEXT,
    ):
        if start and line.startswith(b"@@ "):
            line = _HUNK.sub(lambda m: b"%d" % (int(m.group(0)) + start), line)
        if line.endswith(b"\n"):
            out.append(line)
        else:
            out.append(line + b"\n" + NO_NEWLINE)
    return b"".join(out)


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
