"""``_split``: top-level statement groups without ``ast.parse`` of the whole file.

When ``groups`` answers, the file must parse and every group must be a run of whole
top-level statements (with the blank and comment lines after them), the groups tiling the
file from the first statement to the end. When it cannot be sure it answers None. The
table holds the traps (lines at column 0 inside strings and brackets, continuations,
decorators, clauses, triple quotes counted wrong); generated modules, the fixtures and the
dense corpus check the same property. ``check``'s answer from the groups is compared with
the answer without them in ``test_fast`` (every case there runs both ways) and here on the
dense corpus, where it must answer for nearly every file.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockfix.engine import Settings, _split, analyze, report_only
from dockfix.engine._analyze import _split_findings
from dockfix.engine._split import Group, groups
from tests.dense import DENSE, NOT_BUILT, dense_sample

REPO = Path(__file__).resolve().parents[2]


def _statements(tree: ast.Module) -> list[tuple[int, int]]:
    """(first line with decorators, last line) of each top-level statement."""
    found = []
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        found.append((first, node.end_lineno or node.lineno))
    return found


def _check(source: bytes, found: Optional[list[Group]]) -> None:
    """``found`` is None, or a partition of ``source`` into runs of whole statements."""
    if found is None:
        return
    tree = ast.parse(source)  # the groups say the file parses
    lines = source.splitlines(keepends=True)
    assert found[0].start == sum(len(line) for line in lines[: found[0].first - 1])
    head = [line.lstrip(b"\xef\xbb\xbf \t\f") for line in lines[: found[0].first - 1]]
    assert all(not line.strip() or line.startswith(b"#") for line in head)
    for before, after in zip(found, found[1:]):
        assert before.end == after.start
        assert before.last + 1 == after.first
    assert found[-1].end == len(source)
    assert found[-1].last == len(lines)
    for group in found:
        assert source[group.start : group.end] == b"".join(lines[group.first - 1 : group.last])
    statements = _statements(tree)
    starts = {first for first, _ in statements}
    for group in found:
        assert group.first in starts, f"group at line {group.first} starts inside a statement"
    for first, last in statements:
        holder = [g for g in found if g.first <= first <= g.last]
        assert len(holder) == 1
        assert last <= holder[0].last, f"statement {first}-{last} is cut"


CASES = [
    # (id, source, whether groups must answer)
    ("plain", "import os\nx = 1\n\ndef f():\n    return x\n", True),
    ("no-final-newline", "import os\nx = 1", True),
    ("comments-first", "# hello\n\n#!x\nimport os\n", True),
    ("only-comments", "# nothing\n\n", False),
    ("empty", "", False),
    ("crlf", "import os\r\nx = [\r\n1]\r\ny = 2\r\n", True),
    ("bom", "\ufeffimport os\nx = 1\n", True),
    ("docstring-col0", 'X = """\ndef f():\n    pass\n"""\ny = 1\n', True),
    ("single-quoted-triple", "X = '''\nimport docker\n'''\ny = 1\n", True),
    ("quote-kinds-mixed", 'X = \'\'\'"""\'\'\'"""\nrun([\'docker\'])\n"""\ny = 1\n', True),
    ("triple-in-comment", '# a """ here\nX = """\nz\n"""\ny = 1\n', True),
    ("brackets-col0", "L = [\n'a',\n'b',\n]\ny = 1\n", True),
    ("call-col0", "f(\nx,\ny)\nz = 1\n", True),
    ("backslash", "x = 1 + \\\n2\ny = 3\n", True),
    ("backslash-in-string", "x = 'a\\\nb'\ny = 3\n", True),
    ("decorator", "@d\ndef f():\n    pass\n", True),
    ("decorator-comment", "@d\n# why\n@e(\n1)\ndef f():\n    pass\nx = 1\n", True),
    ("if-else", "if x:\n    pass\nelif y:\n    pass\nelse:\n    pass\nz = 1\n", True),
    ("try", "try:\n    pass\nexcept E:\n    pass\nelse:\n    pass\nfinally:\n    pass\n", True),
    ("for-else", "for x in y:\n    pass\nelse:\n    pass\n", True),
    ("else-name", "elsewhere = 1\nfinally_ = 2\n", True),
    ("semicolons", "x = 1; y = 2\nz = 3\n", True),
    ("indented-comment-tail", "def f():\n    pass\n    # end\n\nx = 1\n", True),
    ("form-feed", "x = 1\n\f\ny = 2\n", True),
    ("class", "class K:\n    x = 1\n\n    def f(self):\n        pass\nk = K()\n", True),
    ("bom-later-line", "import os\n\ufeffy = 2\n", False),  # U+FEFF there does not parse
    ("bom-then-comment", "\ufeff# hello\nimport os\n", True),
    ("indented-first", "  x = 1\nimport os\n", False),
    ("closing-first", ")\nimport os\n", False),
    ("form-feed-first", "\fx = 1\nimport os\n", False),  # a statement before the groups
    ("syntax-error", "x = (\n", False),
    ("syntax-error-later", "x = 1\ndef f(:\n    pass\n", False),
    ("indent-error", "x = 1\n  y = 2\n", False),
    ("nonlocal-module", "x = 1\nnonlocal x\n", False),  # the scope pass rejects it
    ("barry", "from __future__ import barry_as_FLUFL\nx = 1 <> 2\n", False),
    ("many-col0-lines", "X = (\n" + "1,\n" * 100 + ")\ny = 1\n", True),  # joined, doubling
]
if sys.version_info >= (3, 10):
    CASES.append(("match", "match x:\n    case 1:\n        pass\ny = 1\n", True))
if sys.version_info >= (3, 12):
    CASES.append(("pep701", 'x = f"{\'\\n\'.join([\'a\', "b"])}"\ny = f"{x["k"]}"\n', True))


@pytest.mark.parametrize(("text", "answers"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_case(text: str, answers: bool) -> None:
    source = text.encode()
    found = groups(source)
    _check(source, found)
    assert (found is not None) is answers


def test_joins_have_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Joining re-reads the joined text: past the budget the file is left to a whole parse."""
    source = ("X = (\n" + "1,\n" * 100 + ")\ny = 1\n").encode()
    assert groups(source) is not None
    monkeypatch.setattr(_split, "JOIN_BUDGET", 1)  # the joins here re-read ~1.3x the file
    assert groups(source) is None


FIXTURES = sorted((REPO / "fixtures").rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO / "fixtures")))
def test_fixtures(path: Path) -> None:
    source = path.read_bytes()
    _check(source, groups(source))


_PIECES = [
    "import os",
    "x = 1",
    "def f():\n    return 1",
    "\n",
    "# comment",
    "    # indented comment",
    "X = '''\nrun(['docker', 'rm', '-f', c])\n'''",
    'Y = """\n\'\'\'\n"""',
    "L = [\n'a',\n]",
    "z = 1 + \\\n2",
    "@d\ndef g():\n    pass",
    "if x:\n    pass\nelse:\n    pass",
    "s = 'a\\\nb'",
    "t = ('''",  # a trap: unclosed, the file does not parse
    "''')",
    "class K:\n    def m(self):\n        pass",
    "u = 1; v = 2",
    "\fw = 3",  # a statement on a line starting with a form feed
    "  y = 4",  # indented: the file does not parse
    "\ufeffb = 5",  # a BOM at the start of a line: only the first may hold one
    "c\u00b7x = 6",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12))
def test_generated(pieces: list[str]) -> None:
    source = ("\n".join(pieces) + "\n").encode()
    found = groups(source)
    _check(source, found)
    try:
        ast.parse(source)
    except SyntaxError:
        assert found is None


@pytest.mark.skipif(not DENSE.is_dir(), reason=NOT_BUILT)
def test_dense_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """A partition on the dense corpus; ``check`` answers from it for at least 90% of the
    files, with the findings it gives without it."""
    files = dense_sample(250)
    answered = 0
    for path in files:
        source = path.read_bytes()
        _check(source, groups(source))
        found = _split_findings(source, Settings())
        if found is not None:
            answered += 1
            monkeypatch.setenv("DOCKFIX_NO_SPLIT", "1")
            assert found == analyze(source, Settings(), accept=report_only).findings, path
            monkeypatch.delenv("DOCKFIX_NO_SPLIT")
    assert answered >= len(files) * 9 // 10, f"{answered} of {len(files)}"
