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
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def split_lines(data: bytes) -> list[bytes]:
    """Lines with their endings, split on ``\\n`` only."""
    lines = data.split(b"\n")
    result = [line + b"\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def unified_diff(before: bytes, after: bytes, path: str) -> bytes:
    """The unified diff from ``before`` to ``after`` (empty when they are equal)."""
    if before == after:
        return b""
    name = path.encode("utf-8", "surrogateescape")
    out = []
    for line in difflib.diff_bytes(
        difflib.unified_diff,
        split_lines(before),
        split_lines(after),
        fromfile=name,
        tofile=name,
        lineterm=b"\n",
    ):
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
