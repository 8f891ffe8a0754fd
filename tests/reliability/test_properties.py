"""Property tests: a fix never damages a module.

Generated modules mix the docker calls of every shape the rules know (their own case
tables) with unrelated code, comments, odd spacing, CRLF, tabs, a BOM, a latin-1 coding
cookie. Whatever subset of the fixes is accepted:

- the output parses (libcst) and compiles (``compile()``), in the source's encoding;
- a second fix changes nothing;
- every byte outside the rewritten calls is equal: the preamble (cookie, docstring) is
  byte-identical, the import header only gains or loses import lines, and the rest of
  the module is the source with only the applied findings' spans replaced.
"""

from __future__ import annotations

import difflib
import os
import random
import re

import libcst as cst
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from dockfix.engine import Finding, Settings, analyze
from tests.reliability import _figures
from tests.reliability._modules import FILLERS, Layout, Module, layouts, render

EXAMPLES = int(os.environ.get("DOCKFIX_PROPERTY_EXAMPLES", "80"))

SETTINGS = [
    Settings(),
    Settings(stop_timeout=30),
    Settings(runner="self.run_docker"),
    Settings(executor="tests.support:docker"),
]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)?")
_BLANK_LINES = re.compile(r"(?:[ \t\f]*(?:\r\n|\n|\r))*")


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in _LINE.finditer(text):
        if match.end() > match.start():
            starts.append(match.end())
    return starts


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1


def _spans(module: Module, findings: list[Finding]) -> list[tuple[int, int]]:
    """The source spans a fix may rewrite: each applied call, and the lines it relates to.

    An empty span ``(a, a)`` at the start of a finding's line is where a fix may insert
    whole statements (an SDK stop before the removal that keeps its place).
    """
    starts = _line_starts(module.text)
    spans = []
    for f in findings:
        spans.append((starts[f.line - 1], starts[f.line - 1]))
        spans.append((_offset(starts, f.line, f.column), _offset(starts, f.end_line, f.end_column)))
        for line, _col in f.related:
            end = module.text.find("\n", starts[line - 1])
            spans.append((starts[line - 1], len(module.text) if end < 0 else end + 1))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(set(spans)):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _import_only_change(before: str, after: str) -> bool:
    old, new = before.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if tag == "equal":
            continue
        for line in (*old[i1:i2], *new[j1:j2]):
            if line.strip() and not line.startswith(("import ", "from ")):
                return False
    return True


def _check_bytes_outside_spans(module: Module, out: str, spans: list[tuple[int, int]]) -> None:
    text = module.text
    assert out.startswith(text[: module.preamble_end]), "preamble changed"
    body_spans = [(max(a, module.header_end), b) for a, b in spans if b > module.header_end]
    assert all(b <= module.header_end or a >= module.header_end for a, b in spans), spans
    # A file that starts with its imports does not start with blank lines once the fix
    # removes them all: the blank lines after the header may go, and only then.
    blank = _BLANK_LINES.match(text, module.header_end)
    assert blank is not None

    def pattern(blank_optional: bool) -> re.Pattern[str]:
        parts = ["(?P<header>.*?)", f"(?P<blank>{re.escape(blank.group())})"]
        if blank_optional:
            parts.append("?")
        pos = blank.end()
        for a, b in body_spans:
            assert a >= pos, (a, pos)
            parts.append(re.escape(text[pos:a]))
            parts.append("(?:.*?)" if b > a else "(?:[^\n]*\n)*?")  # empty: whole lines inserted
            pos = b
        parts.append(re.escape(text[pos:]))
        return re.compile("".join(parts), re.DOTALL)

    match = pattern(False).fullmatch(out, module.preamble_end)
    if match is None:
        match = pattern(True).fullmatch(out, module.preamble_end)
        assert match is not None, "bytes outside the rewritten calls changed"
        assert module.preamble_end == 0, "blank lines lost after the preamble"
        assert match.group("header") == "", "blank lines lost after a header that stays"
    header = text[module.preamble_end : module.header_end]
    assert _import_only_change(header, match.group("header")), (header, match.group("header"))


def _compiles(data: bytes) -> bool:
    try:
        compile(data, "<generated>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(layout=layouts(), which=st.integers(0, len(SETTINGS) - 1), seed=st.integers(0, 2**16))
@example(  # the only import goes (runner setting), and the blank lines after it with it
    layout=Layout(
        "utf-8", "\n", "    ", False, (), (("filler", 1, "top", 0), ("docker", 0, "top", 0))
    ),
    which=2,
    seed=0,
)
@example(  # after a docstring the blank lines stay (and the span may take the header)
    layout=Layout(
        "utf-8", "\n", "    ", True, (), (("filler", 1, "top", 0), ("docker", 0, "top", 0))
    ),
    which=0,
    seed=0,
)
@example(  # the same after a coding cookie: the header keeps its blank lines
    layout=Layout(
        "latin-1", "\r\n", "\t", False, (), (("filler", 2, "top", 0), ("docker", 0, "top", 0))
    ),
    which=2,
    seed=0,
)
def test_fix_never_damages_a_module(layout: Layout, which: int, seed: int) -> None:
    module = render(layout)
    assume(_compiles(module.data))
    config = SETTINGS[which]
    found = analyze(module.data, config, accept=lambda f: False)
    assert found.error is None, found.error
    assert found.fixed == module.data, "check mode changed the source"
    rng = random.Random(seed)
    every = seed % 3 == 0  # a third of the runs accept everything, as `dockfix fix` does
    chosen = {f.key for f in found.findings if f.fixable and (every or rng.random() < 0.6)}
    result = analyze(module.data, config, accept=lambda f: f.key in chosen)
    assert result.error is None, result.error
    assert set(result.applied) == chosen
    _figures.count(
        "property",
        modules=1,
        findings=len(found.findings),
        fixes_applied=len(result.applied),
        crlf=int(layout.newline == "\r\n"),
        **{f"encoding_{layout.encoding}": 1},
    )
    if not chosen:
        assert result.fixed == module.data
        return
    fixed = result.fixed
    cst.parse_module(fixed)
    assert _compiles(fixed), "the fixed module does not compile"
    if layout.encoding == "utf-8-sig":
        assert fixed.startswith(b"\xef\xbb\xbf")
    out = fixed.decode(module.codec)
    if layout.newline == "\r\n":
        assert re.search(r"(?<!\r)\n", out) is None, "a bare LF appeared in a CRLF file"
    applied = [f for f in found.findings if f.key in chosen]
    _check_bytes_outside_spans(module, out, _spans(module, applied))
    again = analyze(fixed, config)
    assert again.error is None
    if every:
        assert again.fixed == fixed, "a second fix changed the output"
    else:
        final = again.fixed  # the rest of the fixes, then nothing more
        assert analyze(final, config).fixed == final


def _example() -> tuple[Module, bytes, list[Finding]]:
    from tests.reliability._modules import CASES, FILLERS

    rm = next(i for i, c in enumerate(CASES) if c[0] == "DF001-tuple-argv")
    comment = FILLERS.index("# a comment with {na}\n")
    layout = Layout(
        encoding="latin-1",
        newline="\r\n",
        indent="\t",
        docstring=True,
        header_order=(),
        items=(("filler", comment, "top", 0), ("docker", rm, "def", 2), ("filler", 0, "top", 0)),
    )
    module = render(layout)
    result = analyze(module.data, Settings())
    assert result.applied
    return module, result.fixed, [f for f in result.findings if f.key in result.applied]


def test_the_byte_check_sees_damage() -> None:
    """The property above can fail: one changed byte outside the spans is caught."""
    module, fixed, applied = _example()
    out = fixed.decode(module.codec)
    spans = _spans(module, applied)
    _check_bytes_outside_spans(module, out, spans)
    for damaged in (
        out.replace("comment", "comm3nt"),  # a filler byte
        out.replace("\r\n", "\n", 1),  # a line ending in the preamble
        out.replace("\tdocker_executor", "    docker_executor"),  # indentation before the span
        out + " ",  # trailing bytes
        out.replace("docker_executor\r\n", "docker_executor\r\nq = 1\r\n", 1),  # header code
    ):
        try:
            _check_bytes_outside_spans(module, damaged, spans)
        except AssertionError:
            continue
        raise AssertionError(f"damage not seen: {damaged!r}")


def test_blank_lines_after_the_header_go_only_with_it() -> None:
    """The one allowance the byte check makes: blank lines after a header removed whole."""
    items = (("filler", 1, "top", 0), ("docker", 0, "top", 0))
    module = render(Layout("utf-8", "\n", "    ", False, (), items))
    found = analyze(module.data, SETTINGS[2])
    out = found.fixed.decode(module.codec)
    assert out.startswith("self.run_docker(")
    _check_bytes_outside_spans(module, out, _spans(module, found.findings))
    # with a comment between, the header that stays must keep its blank lines
    comment = ("filler", FILLERS.index("# a comment with {na}\n"), "top", 0)
    two = ("filler", FILLERS.index("\n\n"), "top", 0)
    module = render(Layout("utf-8", "\n", "    ", False, (), (two, comment, items[1])))
    found = analyze(module.data, SETTINGS[2])
    out = found.fixed.decode(module.codec)
    spans = _spans(module, found.findings)
    _check_bytes_outside_spans(module, out, spans)
    assert out.startswith("\n\n\n# a comment")
    for damaged in ("import subprocess\n" + out.lstrip("\n"), "import os\n" + out.lstrip("\n")):
        try:
            _check_bytes_outside_spans(module, damaged, spans)
        except AssertionError:
            continue
        raise AssertionError(f"lost blank lines not seen: {damaged!r}")
