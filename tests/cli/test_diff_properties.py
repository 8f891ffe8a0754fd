"""Property tests: diffs and SARIF replacements always rebuild the fixed file exactly."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dockfix.report._diff import NO_NEWLINE, line_replacements, split_lines, unified_diff

HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")

# Lines from a small alphabet (so diffs have context) with every kind of ending.
line = st.sampled_from([b"a", b"b", b"x[name]", b"\xc3\xa9", b"", b"\x0c", b"c\r"]).flatmap(
    lambda body: st.sampled_from([body + b"\n", body + b"\r\n", body])
)
source = st.lists(line, max_size=12).map(b"".join)


def apply(before: bytes, diff: bytes) -> bytes:
    """A strict unified-diff applier (what ``patch`` does, without fuzz)."""
    old = split_lines(before)
    out: list[bytes] = []
    at = 0
    lines = diff.split(b"\n")
    lines = [piece + b"\n" for piece in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    i = 2  # skip the --- and +++ headers
    while i < len(lines):
        match = HUNK.match(lines[i])
        assert match, lines[i]
        start = int(match.group(1)) - (0 if match.group(2) == b"0" else 1)
        out += old[at:start]
        at = start
        i += 1
        while i < len(lines) and not lines[i].startswith(b"@@"):
            tag, body = lines[i][:1], lines[i][1:]
            if i + 1 < len(lines) and lines[i + 1] == NO_NEWLINE:
                body = body[:-1]
                i += 1
            if tag in (b" ", b"-"):
                assert old[at] == body
                at += 1
            if tag in (b" ", b"+"):
                out.append(body)
            i += 1
    return b"".join(out + old[at:])


@settings(max_examples=300, deadline=None)
@given(source, source)
def test_unified_diff_applies_exactly(before: bytes, after: bytes) -> None:
    diff = unified_diff(before, after, "f.py")
    assert (diff == b"") == (before == after)
    if diff:
        assert apply(before, diff) == after


long_source = st.lists(line, min_size=8, max_size=60).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(long_source, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 3), source), max_size=3))
def test_local_changes_to_a_long_file(before: bytes, changes: list[tuple[int, int, bytes]]) -> None:
    """A few local changes (what a fix makes): only the lines between the common head and
    tail go to ``difflib``; the hunks' line numbers must still be the file's."""
    lines = split_lines(before)
    for at, drop, new in sorted(changes, reverse=True):
        lines[at : at + drop] = split_lines(new)
    after = b"".join(lines)
    diff = unified_diff(before, after, "f.py")
    assert (diff == b"") == (before == after)
    if diff:
        assert apply(before, diff) == after


@settings(max_examples=300, deadline=None)
@given(source)
def test_split_lines_round_trips(data: bytes) -> None:
    lines = split_lines(data)
    assert b"".join(lines) == data
    assert all(piece.endswith(b"\n") for piece in lines[:-1])
    assert all(b"\n" not in piece[:-1] for piece in lines)


@settings(max_examples=300, deadline=None)
@given(source, source)
def test_line_replacements_rebuild_the_fixed_file(before: bytes, after: bytes) -> None:
    lines = [piece.decode("utf-8") for piece in split_lines(before)]
    for rep in reversed(line_replacements(before, after)):
        lines[rep.start_line - 1 : rep.end_line - 1] = [rep.inserted]
    assert "".join(lines).encode("utf-8") == after


@settings(max_examples=300, deadline=None)
@given(source, source)
def test_hunks_are_written_as_difflib_writes_them(before: bytes, after: bytes) -> None:
    """The same opcodes give the same bytes as ``difflib.unified_diff``."""
    import difflib

    from dockfix.report._diff import _format

    old, new = split_lines(before), split_lines(after)
    codes = difflib.SequenceMatcher(None, old, new).get_opcodes()
    theirs = b"".join(
        line if line.endswith(b"\n") else line + b"\n" + NO_NEWLINE
        for line in difflib.diff_bytes(
            difflib.unified_diff, old, new, fromfile=b"f.py", tofile=b"f.py", lineterm=b"\n"
        )
    )
    assert _format(old, new, codes, b"f.py") == theirs


@settings(max_examples=500, deadline=None)
@given(
    long_source,
    st.lists(
        st.tuples(
            st.integers(0, 2000),
            st.integers(0, 40),
            st.sampled_from([b"", b"x", b"\n", b"new line\n", b"a\nb"]),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_a_diff_from_known_edits_applies(
    before: bytes, picks: list[tuple[int, int, bytes]]
) -> None:
    """Edits at any byte (inside lines, at line starts, insertions, deletions, several on
    one line) give a diff that rebuilds the fixed file, read from the edits themselves."""
    from dockfix.report._diff import _edited

    edits: list[tuple[int, int, bytes]] = []
    at = 0
    for start, size, text in sorted(picks):
        start = max(start % (len(before) + 1), at)
        end = min(start + size, len(before))
        edits.append((start, end, text))
        at = end
    after = before
    for start, end, text in reversed(edits):
        after = after[:start] + text + after[end:]
    diff = unified_diff(before, after, "f.py", edits)
    assert (diff == b"") == (before == after)
    if diff:
        assert apply(before, diff) == after
        assert _edited(before, split_lines(before), split_lines(after), edits) is not None
