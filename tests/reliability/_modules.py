"""Generated Python modules for the property tests, with the map needed to check a fix.

A module is built from parts whose places in the text are known: a preamble (coding
cookie, comments, docstring) that must never change, a header of imports (where the
executor import is added and unused imports removed), then a sequence of filler chunks
(unrelated code, comments, odd spacing, non-ASCII text, near misses) and docker chunks
(the bodies of the rules' own VALID and INVALID cases, at top level or nested in a
function, a class, an ``if`` or a ``with``, indented with spaces or tabs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from hypothesis import strategies as st

from dockfix.rules import ALL_RULES

_IMPORT = re.compile(r"^(import |from )\S")


def _split_case(code: str) -> Optional[tuple[list[str], str]]:
    """The case's leading one-line imports, and its body (None when it cannot be split)."""
    lines = code.splitlines(keepends=True)
    imports: list[str] = []
    i = 0
    while i < len(lines) and (_IMPORT.match(lines[i]) or not lines[i].strip()):
        if lines[i].strip():
            if "(" in lines[i] or lines[i].rstrip().endswith("\\") or "__future__" in lines[i]:
                return None
            imports.append(lines[i].rstrip("\n"))
        i += 1
    body = "".join(lines[i:])
    if not body.strip():
        return None
    return imports, body


def _cases() -> list[tuple[str, list[str], str]]:
    found = []
    for rule in ALL_RULES:
        for case in (*rule.VALID, *rule.INVALID):
            if case.settings:
                continue
            split = _split_case(case.code)
            if split is not None:
                found.append((f"{rule.CODE}-{case.id}", *split))
    return found


CASES = _cases()

# Unrelated code. ``{na}`` is replaced by non-ASCII text the module's encoding can hold.
FILLERS = [
    "x = 1\n",
    "\n",
    "\n\n",
    "# a comment with {na}\n",
    "#no space comment;  trailing spaces   \n",
    "y  =  (1 ,\n      2 )   # odd spacing\n",
    "s = 'docker rm -f c'  # only text\n",
    'msg = "run `docker kill c` to stop it: {na}"\n',
    'HELP = """\n  docker rm -f x\n\tdocker volume rm -f v\n"""\n',
    "def helper(a,b = 2) :\n    return a+b\n",
    "def near_miss(process):\n    process.kill()  # not docker\n",
    "class K :\n    '''{na}'''\n    attr=[ 1,\n  2 ]\n",
    "value = 1 + \\\n    2\n",
    "data = {{'k': 'v', 'é': b'\\xff'}}\n",
    "if True :\n    pass\nelse:\n    z = 0\n",
    "lam = lambda q : q*2\n",
    "t = f'{{x!r:>10}} {na}'\n",
    "items = [i for i in range( 3 )] ;  other = 2\n",
    "async def co():\n    return 1\n",
    "assert 'docker rm -f' in HELP or True\n",
    "# dockfix: ignore\n",
    "k = 0  # dockfix: ignore[DF001]\n",
]

WRAPS = ("top", "def", "async", "class", "if", "with")


@dataclass(frozen=True)
class Layout:
    """How to render a module: the choices hypothesis made."""

    encoding: str  # "utf-8", "utf-8-sig" (BOM), "latin-1" (with a coding cookie), "utf-8-cookie"
    newline: str  # "\n" or "\r\n"
    indent: str  # "    ", "\t", "  "
    docstring: bool
    header_order: tuple[int, ...]
    items: tuple[tuple[str, int, str, int], ...]  # (kind, index, wrap, spacing)


@dataclass
class Module:
    """The rendered module and where its parts are (character offsets in ``text``)."""

    layout: Layout
    text: str  # decoded text (no BOM); newlines already ``layout.newline``
    data: bytes
    preamble_end: int
    header_end: int
    docker_chunks: list[tuple[int, int, str]]  # (start, end, case id)

    @property
    def codec(self) -> str:
        return {"utf-8-cookie": "utf-8", "latin-1": "latin-1"}.get(
            self.layout.encoding, self.layout.encoding
        )


def _non_ascii(encoding: str) -> str:
    return "é ü ß" if encoding == "latin-1" else "é ü ✓ 日本 😀"


def _respace(body: str, spacing: int) -> str:
    if spacing == 1:
        return body.replace('", "', '","')
    if spacing == 2:
        return body.replace('", "', '" ,  "').replace("([", "( [")
    return body


def _indent(body: str, prefix: str, unit: str) -> str:
    out = []
    for line in body.splitlines(keepends=True):
        if not line.strip():
            out.append(line)
            continue
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 4
        out.append(prefix + unit * depth + stripped)
    return "".join(out)


def _wrap(body: str, wrap: str, unit: str, n: int) -> str:
    if wrap == "top":
        return _indent(body, "", unit)
    heads = {
        "def": f"def _chunk_{n}(c, name, names, v, n):\n",
        "async": f"async def _chunk_{n}(c, name, names, v, n):\n",
        "class": f"class _Chunk{n}:\n",
        "if": f"if __name__ == '__never__{n}':\n",
        "with": f"with open(__file__) as _f{n}:\n",
    }
    return heads[wrap] + _indent(body, unit, unit)


def render(layout: Layout) -> Module:
    na = _non_ascii(layout.encoding)
    parts: list[str] = []
    if layout.encoding == "latin-1":
        parts.append("# -*- coding: latin-1 -*-\n")
    elif layout.encoding == "utf-8-cookie":
        parts.append("#!/usr/bin/env python\n# vim: set fileencoding=utf-8 :\n")
    if layout.docstring:
        parts.append(f'"""Generated module: {na}."""\n')
    preamble = "".join(parts)
    imports: list[str] = []
    for kind, index, _wrap_kind, _spacing in layout.items:
        if kind == "docker":
            for line in CASES[index][1]:
                if line not in imports:
                    imports.append(line)
    ordered = [imports[i % len(imports)] for i in layout.header_order] if imports else []
    header_lines = list(dict.fromkeys([*ordered, *imports]))
    header = "".join(line + "\n" for line in header_lines) + "\n"
    text = preamble + header
    chunks: list[tuple[int, int, str]] = []
    for n, (kind, index, wrap, spacing) in enumerate(layout.items):
        if kind == "filler":
            text += FILLERS[index].format(na=na)
            continue
        case_id, _imports, body = CASES[index]
        chunk = _wrap(_respace(body, spacing), wrap, layout.indent, n)
        if not text.endswith("\n\n"):
            text += "\n"
        chunks.append((len(text), len(text) + len(chunk), case_id))
        text += chunk
    if layout.newline != "\n":
        text, chunks, preamble, header = _crlf(text, chunks, preamble, header)
    encoded = text.encode(
        {"utf-8-cookie": "utf-8", "latin-1": "latin-1"}.get(layout.encoding, layout.encoding)
    )
    return Module(
        layout=layout,
        text=text,
        data=encoded,
        preamble_end=len(preamble),
        header_end=len(preamble) + len(header),
        docker_chunks=chunks,
    )


def _crlf(
    text: str, chunks: list[tuple[int, int, str]], preamble: str, header: str
) -> tuple[str, list[tuple[int, int, str]], str, str]:
    def moved(offset: int) -> int:
        return offset + text.count("\n", 0, offset)

    new_chunks = [(moved(a), moved(b), cid) for a, b, cid in chunks]
    conv = text.replace("\n", "\r\n")
    return conv, new_chunks, preamble.replace("\n", "\r\n"), header.replace("\n", "\r\n")


def layouts() -> st.SearchStrategy[Layout]:
    item = st.one_of(
        st.tuples(
            st.just("filler"),
            st.integers(0, len(FILLERS) - 1),
            st.just("top"),
            st.just(0),
        ),
        st.tuples(
            st.just("docker"),
            st.integers(0, len(CASES) - 1),
            st.sampled_from(WRAPS),
            st.integers(0, 2),
        ),
    )
    return st.builds(
        Layout,
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-8-cookie"]),
        newline=st.sampled_from(["\n", "\r\n"]),
        indent=st.sampled_from(["    ", "\t", "  "]),
        docstring=st.booleans(),
        header_order=st.lists(st.integers(0, 20), max_size=3).map(tuple),
        items=st.lists(item, min_size=1, max_size=10).map(tuple),
    )
