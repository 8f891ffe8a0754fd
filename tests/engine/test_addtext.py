"""``_addtext.added`` writes what ``_addimports`` (libcst) writes, where it answers.

Each case is a module's first lines followed by the statement the imports go above; the
text way and the libcst way (``_fastfix._first_lines``) must give the same bytes, and the
text way must answer for the layouts it claims (so a case cannot pass by declining).
"""

from __future__ import annotations

import ast
from itertools import accumulate
from typing import Optional

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dockfix.engine._addtext import added
from dockfix.engine._fastfix import _cut, _Decline, _first_lines
from dockfix.engine._schedule import ImportItem

EXECUTOR = [ImportItem("dockfix.runtime", "docker_executor")]
WITH_SUBPROCESS = [ImportItem("dockfix.runtime", "docker_executor"), ImportItem("subprocess")]
MANY = [
    ImportItem("subprocess"),
    ImportItem("dockfix.runtime", "docker_executor"),
    ImportItem("dockfix.runtime", "DockerExecutor"),
    ImportItem("abc"),
    ImportItem("zzz.mod", "b"),
    ImportItem("zzz.mod", "a"),
]


def _both(source: str, items: list[ImportItem]) -> tuple[Optional[bytes], Optional[bytes]]:
    """(the text way, the libcst way); None for a way that declines."""
    data = source.encode("utf-8")
    tree = ast.parse(data)
    try:
        index, line = _cut(tree)
    except _Decline:
        return None, None
    assert index is not None, "the cases end with a statement the imports go above"
    offsets = [0, *accumulate(map(len, data.splitlines(keepends=True)))]
    text = added(data, offsets, tree.body[:index], tree.body[index], items)
    cut = offsets[line - 1]
    try:
        libcst_way: Optional[bytes] = _first_lines(data[:cut], True, items, [])
    except _Decline:
        libcst_way = None
    return text, libcst_way


CASES = [  # (name, first lines and the statement after them, the text way answers)
    ("docstring-imports", '"""Doc."""\nimport os\nimport sys\n\ndef f():\n    pass\n', True),
    ("docstring-only", '"""Doc."""\n\n\nX = 1\n', True),
    ("docstring-then-code", '"""Doc."""\nX = 1\n', True),
    ("imports-only", "import os\nX = 1\n", True),
    ("comment-after-imports", "import os\n# why\nX = 1\n", True),
    ("blank-then-comment", "import os\n\n# why\nX = 1\n", True),
    ("whitespace-line", "import os\n   \nX = 1\n", True),
    ("indented-comment", "import os\n    # why\nX = 1\n", True),
    ("nothing-above", "X = 1\n", True),
    ("header-comments-only", "#!/usr/bin/env python\n# license\n\nX = 1\n", True),
    ("header-comment-touching", "# license\nX = 1\n", True),
    ("decorated-after", "import functools\n@functools.cache\ndef f():\n    pass\n", True),
    ("future", '"""Doc."""\nfrom __future__ import annotations\nX = 1\n', True),
    ("future-only", "from __future__ import annotations\n\nX = 1\n", True),
    ("present", "from dockfix.runtime import docker_executor\nX = 1\n", True),
    ("present-aliased", "from dockfix.runtime import docker_executor as d\nX = 1\n", False),
    ("present-star", "from dockfix.runtime import *\nX = 1\n", True),
    ("merged", "from dockfix.runtime import other\nX = 1\n", False),
    ("relative", "from . import runtime\nfrom .x import y\nX = 1\n", True),
    ("multiline-import", "from os import (\n    path,\n    sep,\n)\nX = 1\n", True),
    ("backslash-import", "from os import path, \\\n    sep\nX = 1\n", True),
    ("trailing-comment", "import os  # why\nX = 1\n", True),
    ("semicolons", "import os; import sys\nX = 1\n", False),
    ("bytes-docstring", 'b"Doc."\nimport os\nX = 1\n', True),
    ("raw-docstring", "r'''Doc\\n.'''\nimport os\nX = 1\n", True),
    ("concatenated-docstring", '"Doc" "string."\nimport os\nX = 1\n', False),
    ("parenthesised-docstring", '("Doc.")\nimport os\nX = 1\n', None),
    ("strict", "__strict__ = True\nimport os\nX = 1\n", False),
    ("number-first", "42\nimport os\nX = 1\n", False),
    ("if-after", "import os\nif os.name:\n    pass\n", True),
    ("class-after", '"""Doc."""\n\nclass K:\n    pass\n', True),
    ("unicode-docstring", '"""Dóc."""\nimport os\nX = 1\n', True),
    # found by a review: two triple-quoted strings are one docstring to the regex
    ("two-triple-quoted", '"""a""" """b"""\nimport os\nX = 1\n', False),
    ("two-triple-quoted-raw", "'''a''' r'''b'''\nX = 1\n", False),
    ("escaped-quotes", "'''a\\'''b'''\nimport os\nX = 1\n", True),
    # found by a review: a backslash at the end of the last line goes on into the next one
    ("backslash-after-docstring", '"doc" \\\n\nX = 1\n', False),
    ("backslash-after-import", "import os \\\n\nX = 1\n", False),
]


@pytest.mark.parametrize("items", [EXECUTOR, WITH_SUBPROCESS, MANY], ids=["one", "two", "many"])
@pytest.mark.parametrize(("name", "source", "answers"), CASES, ids=[c[0] for c in CASES])
def test_case(name: str, source: str, answers: Optional[bool], items: list[ImportItem]) -> None:
    text, libcst_way = _both(source, items)
    if answers is not None and items is not MANY:  # MANY adds to a present from-line too
        assert (text is not None) == answers, text
    if text is not None:
        assert libcst_way is not None
        assert text.decode() == libcst_way.decode()


PIECES = [
    '"""Doc."""',
    "'doc'",
    '"Doc" "more"',
    '"""Doc""" """more"""',
    '"doc" \\',
    "#!/usr/bin/env python",
    "# a comment",
    "    # an indented comment",
    "",
    "   ",
    "import os",
    "import subprocess",
    "import subprocess as sp",
    "import os, subprocess",
    "from dockfix.runtime import docker_executor",
    "from dockfix.runtime import docker_executor as e",
    "from dockfix.runtime import *",
    "from dockfix.runtime import other",
    "from zzz.mod import a",
    "from __future__ import annotations",
    "from . import x",
    "from os import (\n    path,  # p\n)",
    "__strict__ = True",
]
FOLLOWING = [
    "X = 1",
    "def f():\n    pass",
    "@d\nclass K:\n    pass",
    "if X:\n    pass",
    "try:\n    import y\nexcept ImportError:\n    y = None",
]


@pytest.mark.parametrize(
    "item", [ImportItem("__future__", "annotations"), ImportItem("m", "a", alias="b")]
)
def test_imports_add_imports_refuses_are_declined(item: ImportItem) -> None:
    """Found by a review: an executor setting ``__future__:annotations`` made the text way
    add a future import below another import (the libcst way raises: an internal error)."""
    data = b"import os\nX = 1\n"
    tree = ast.parse(data)
    assert added(data, [0, 10, 16], tree.body[:1], tree.body[1], [item]) is None
    assert added(data, [0, 10, 16], tree.body[:1], tree.body[1], EXECUTOR) is not None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.sampled_from(PIECES), max_size=8),
    following=st.sampled_from(FOLLOWING),
    items=st.sampled_from([EXECUTOR, WITH_SUBPROCESS, MANY]),
)
@example(pieces=["# a comment", "", "import os"], following="X = 1", items=EXECUTOR)
@example(pieces=["'doc'", "   ", "    # an indented comment"], following="X = 1", items=MANY)
def test_generated(pieces: list[str], following: str, items: list[ImportItem]) -> None:
    source = "\n".join([*pieces, following]) + "\n"
    try:
        ast.parse(source)
    except SyntaxError:  # a future import after other statements
        return
    text, libcst_way = _both(source, items)
    if text is not None:
        assert libcst_way is not None
        assert text.decode() == libcst_way.decode()
