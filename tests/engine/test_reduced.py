"""The reduced module (``_reduce``) gives exactly the full module's ``FileResult``.

Every rule case, every fixture, stdlib files with a docker call appended (``bench/corpus.py``)
and, when the benchmark corpus is built, a sample of its dense files: each analysed with the
reduction and with ``DOCKFIX_NO_REDUCE=1``, in check mode and in fix mode.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import hypothesis
import pytest
from hypothesis import strategies as st

from dockfix.engine import FileResult, Finding, Settings, _reduce, analyze, report_only
from dockfix.engine._analyze import _call_names, _triggers
from dockfix.engine._reduce import reduce_source
from dockfix.rules import ALL_RULES
from tests.dense import DENSE, NOT_BUILT, dense_sample

REPO = Path(__file__).resolve().parents[2]
DENSE_SAMPLE = 100

# Unrelated definitions around a case: what the reduction stubs. The names they read are
# the kind of thing that must keep meaning the same (decorators, defaults, bases).
_PADDING_BEFORE = '''\
import functools


@functools.lru_cache(maxsize=None)
def helper(a, b=3, *args, **kwargs) -> "int":
    """Docstring
    over lines."""
    total = a + b  # a comment
    for x in args:
        total += x
    return total


class Base(object):
    attr = 1

    def method(self):
        return [i for i in range(3)]

    @property
    def prop(self):
        return self.attr


async def later(x): await x
'''
_PADDING_AFTER = '''

class Tail(Base, metaclass=type):
    def run(self):
        return None

    def other(self):
        """Not a docker call."""
        return helper(1)


def last(): return 2
'''


def _check(_: Finding) -> bool:
    return False


MODES: dict[str, Optional[Callable[[Finding], bool]]] = {
    "check": _check,
    "report-only": report_only,  # check mode of the CLI: the import block may be stubbed
    "fix": None,
}


def _both(
    source: bytes, settings: Settings, accept: Optional[Callable[[Finding], bool]], mp: Any
) -> tuple[FileResult, FileResult]:
    mp.delenv("DOCKFIX_NO_REDUCE", raising=False)
    reduced = analyze(source, settings, path="x.py", accept=accept)
    mp.setenv("DOCKFIX_NO_REDUCE", "1")
    full = analyze(source, settings, path="x.py", accept=accept)
    mp.delenv("DOCKFIX_NO_REDUCE")
    return reduced, full


def _assert_same(source: bytes, settings: Settings, monkeypatch: Any) -> None:
    for mode, accept in MODES.items():
        reduced, full = _both(source, settings, accept, monkeypatch)
        assert reduced == full, mode


def _variants(text: str) -> list[bytes]:
    padded = _PADDING_BEFORE + "\n\n" + text + _PADDING_AFTER
    return [text.encode(), padded.encode(), padded.replace("\n", "\r\n").encode()]


CASES = [
    pytest.param(rule.CODE, case.source, dict(case.settings), id=f"{rule.CODE}-{kind}-{case.id}")
    for rule in ALL_RULES
    for kind, cases in (("valid", rule.VALID), ("invalid", rule.INVALID))
    for case in cases
]


@pytest.mark.parametrize(("code", "text", "overrides"), CASES)
def test_rule_cases(code: str, text: str, overrides: dict[str, Any], monkeypatch: Any) -> None:
    import textwrap

    text = textwrap.dedent(text)
    settings = dataclasses.replace(Settings(), **overrides)
    for source in _variants(text):
        _assert_same(source, settings, monkeypatch)


FIXTURES = sorted(p for p in (REPO / "fixtures").rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO / "fixtures")))
def test_fixtures(path: Path, monkeypatch: Any) -> None:
    data = path.read_bytes()
    _assert_same(data, Settings(), monkeypatch)
    _assert_same(data + _PADDING_AFTER.encode(), Settings(), monkeypatch)


STDLIB_NAMES = ("shlex.py", "textwrap.py", "fnmatch.py", "colorsys.py", "json/decoder.py")


@pytest.mark.parametrize("name", STDLIB_NAMES)
def test_stdlib_with_docker_call(name: str, monkeypatch: Any) -> None:
    corpus = pytest.importorskip("bench.corpus")
    path = corpus.stdlib_root() / name
    if not path.is_file():
        pytest.skip(f"no {name} in this interpreter's standard library")
    for index in range(3):
        source = corpus.make_dense_source(path.read_bytes(), index * 7 + len(name))
        assert _reduces(source), "the case should exercise the reduction"
        reduced, full = _both(source, Settings(), _check, monkeypatch)
        assert reduced == full
        assert len(reduced.findings) == 1
        reduced, full = _both(source, Settings(), None, monkeypatch)
        assert reduced == full


def _dense_sample() -> list[Path]:
    return dense_sample(DENSE_SAMPLE)


@pytest.mark.skipif(not DENSE.is_dir(), reason=NOT_BUILT)
@pytest.mark.parametrize("path", _dense_sample(), ids=lambda p: str(p.relative_to(DENSE)))
def test_dense_corpus(path: Path, monkeypatch: Any) -> None:
    source = path.read_bytes()
    reduced, full = _both(source, Settings(), _check, monkeypatch)
    assert reduced == full
    if _dense_sample().index(path) % 5 == 0:  # fix mode (the full path is slow): a fifth
        reduced, full = _both(source, Settings(), None, monkeypatch)
        assert reduced == full


def test_fix_is_spliced_without_the_full_module(monkeypatch: Any) -> None:
    """A fix in a kept function is carried back to the original lines: no full pass."""
    from dockfix.engine import _analyze

    text = "import subprocess\n\n\ndef gone(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n"
    source = (_PADDING_BEFORE + "\n\n" + text + _PADDING_AFTER).encode()
    expected = _both(source, Settings(), None, monkeypatch)[1]
    assert expected.changed
    monkeypatch.setattr(_analyze, "_analyze_full", None)  # calling it would raise
    assert analyze(source, Settings(), path="x.py") == expected


_TRIGGERS = _triggers(ALL_RULES, Settings())
_CALLS = _call_names(ALL_RULES, Settings())


def _reduces(source: bytes) -> bool:
    return reduce_source(source, ast.parse(source), _TRIGGERS, _CALLS) is not None


def test_reduced_source_keeps_lines_and_columns() -> None:
    text = (
        _PADDING_BEFORE
        + "\nimport subprocess\nsubprocess.run(['docker', 'rm', '-f', c])\nprint('docker', helper)\n"  # noqa: E501
    )
    for source in (text.encode(), text.replace("\n", "\r\n").encode()):
        reduced = reduce_source(source, ast.parse(source), _TRIGGERS, _CALLS)
        assert reduced is not None
        before, after = source.splitlines(keepends=True), reduced.splitlines(keepends=True)
        assert len(before) == len(after)
        assert [line[-1:] for line in before] == [line[-1:] for line in after]
        assert after[-1] == before[-1]
        assert after[-2] == before[-2]
        assert b'def helper(): """' in reduced  # looked up by the kept call: still bound
        assert b'pass; """' in reduced  # class Base: binds nothing the kept code looks up
        assert b"total" not in reduced
        assert b"Base" not in reduced
        ast.parse(reduced)


_DOCSTRING = '"""A module."""\n'  # a first statement the reduction keeps


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a definition binding, through ``global``, a name the docker call reads
        ("X = 1\ndef f():\n    global X\n    X = 2\nrun(['docker', X])\n", "global X"),
        # another use of a name bound by a docker statement (its uses are counted)
        ("CMD = ['docker']\ndef f(a=CMD):\n    pass\n", "def f(a=CMD)"),
        # a walrus in a default binds in the module
        ("x = 1\ndef f(a=(Y := 1)):\n    pass\nprint(['docker', Y])\n", "Y := 1"),
        ("x = 1\ndef f():\n    pass  # dockfix: ignore\n", "# dockfix: ignore"),
        # a value the docker call reads: bound by a statement without a trigger
        (
            "import subprocess\nFLAGS = '-f'\ndef f(c):\n    subprocess.run(['docker', 'rm', FLAGS, c])\n",  # noqa: E501
            "FLAGS = '-f'",
        ),
        # another use of an argv variable (the variable-once shape counts them)
        ("x = 1\nCMD = ['docker', 'rm', '-f', 'c']\ndef g():\n    print(CMD)\n", "print(CMD)"),
        # an import inside a statement rebinding a name the docker call reads
        ("x = 1\nif x:\n    from subprocess import run\nrun(['docker'])\n", "import run"),
        ("x = 1\ndel x\nrun(['docker', x])\n", "del x"),
        # a mention through a name bound by a docker statement: may hold a finding
        ("D = 'docker'\ndef f():\n    run([D, 'rm', '-f', 'x'])\n", "run([D"),
        # a local name of a kept function does not keep a module binding of that name
        ("name = 1\ndef f(name):\n    run(['docker', 'rm', name])\n", "!name = 1"),
        # ... but a default is read in the module scope
        ("name = 1\ndef f(c=name):\n    run(['docker', 'rm', c])\n", "name = 1"),
    ],
)
def test_kept_verbatim(text: str, kept: str) -> None:
    source = (_DOCSTRING + text).encode()
    reduced = reduce_source(source, ast.parse(source), _TRIGGERS, _CALLS)
    result = source if reduced is None else reduced
    if kept.startswith("!"):
        assert kept[1:].encode() not in result
    else:
        assert kept.encode() in result
    assert result.count(b"\n") == source.count(b"\n")


def test_nothing_to_reduce() -> None:
    for text in ("  \n", _DOCSTRING + "run(['docker'])\n"):
        assert reduce_source(text.encode(), ast.parse(text), _TRIGGERS, _CALLS) is None


def test_latin1_cookie_is_not_reduced() -> None:
    source = b"# -*- coding: latin-1 -*-\ndef f():\n    return 1\n"
    assert reduce_source(source, ast.parse(source), _TRIGGERS, _CALLS) is None


def test_deep_module_does_not_recurse_out() -> None:
    """libcst recurses per nesting level; analyze raises the limit around its pass."""
    parts = " + ".join(f"'s{i}'" for i in range(3000))
    source = f"import subprocess\nX = {parts}\nsubprocess.run(['docker', 'rm', '-f', c])\n"
    limit = sys.getrecursionlimit()
    result = analyze(source.encode(), Settings(), accept=_check)
    assert result.error is None
    assert [f.code for f in result.findings] == ["DF001"]
    assert sys.getrecursionlimit() == limit


def test_bom_and_first_line_definition(monkeypatch: Any) -> None:
    text = (
        "def first(a, b):\n    return a + b\n\n\n"
        "import subprocess\nsubprocess.run(['docker', 'kill', c])\n"
    )
    for source in (b"\xef\xbb\xbf" + text.encode(), text.encode()):
        reduced = reduce_source(source, ast.parse(source), _TRIGGERS, _CALLS)
        assert reduced is not None
        assert reduced.startswith(source[: len(source) - len(text.encode())] + b'pass; """')
        _assert_same(source, Settings(), monkeypatch)


def _first_indent_reference(source: bytes, tree: ast.Module) -> Optional[str]:
    """The first indented statement by line, over every node (what ``first_indent`` must
    give without walking every node)."""
    lines = source.splitlines()
    best: Optional[tuple[int, str]] = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or node.col_offset == 0:
            continue
        if best is not None and node.lineno >= best[0]:
            continue
        line = lines[node.lineno - 1]
        if node.lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        prefix = line[: node.col_offset]
        if not prefix.strip(b" \t\f"):
            best = (node.lineno, prefix.decode("ascii"))
    return None if best is None else best[1]


def test_first_indent_is_the_first_indented_statement() -> None:
    from dockfix.engine._reduce import first_indent

    texts = [case.code for rule in ALL_RULES for case in (*rule.VALID, *rule.INVALID)]
    texts += [p.read_text(encoding="utf-8") for p in FIXTURES]
    texts += [
        "if x: pass\nelse:\n\ty = 1\n",
        "try:\n  a()\nexcept E:\n    b()\nfinally:\n c()\n",
        "x = 1; \\\n  y = 2\ndef f():\n      return 1\n",
        "class K:\n\n    @d\n    def m(self): pass\n",
    ]
    for text in texts:
        source = text.encode()
        tree = ast.parse(source)
        assert first_indent(source, tree) == _first_indent_reference(source, tree), text


_SDK_PIECES = ["import", "from", " ", "docker", "aiodocker", "python_on_whales", "\n", "\r\n"]
_SDK_PIECES += ["\\\n", "\\\r\n", ";", "x", ".", ",", "dockerx", "# ", "(", "as"]


@hypothesis.settings(max_examples=500, deadline=None)
@hypothesis.given(st.lists(st.sampled_from(_SDK_PIECES), max_size=16))
def test_sdk_import_text_is_the_regex(pieces: list[str]) -> None:
    """The line-by-line search answers what the regex over the whole text answers."""
    text = "".join(pieces).encode()
    assert _reduce.sdk_import_text(text) is (_reduce._SDK_IMPORT.search(text) is not None)


# A compound statement with lines after its code (blank lines, comments at various
# indents), then a module-level import that the fix leaves unused: libcst gives the block
# the lines up to its last comment indented as far as it (its footer), the rest to the
# import, which goes with them. A stub must cover the footer, or the reduced module would
# give it to the import and the fix would delete a comment the full module keeps.
_FOOTER_HEADS = [
    "def f():\n    return 1\n",
    "class K:\n    def m(self):\n        pass\n        # deep\n    # mid\n",
    "if X:\n    pass\nelif Y:\n    pass\nelse:\n    pass\n",
    "try:\n    pass\nexcept E:\n    pass\n",
    "def g(): return 1\n",
    "for i in x:\n    pass\nelse:\n  pass\n",
]
_FOOTER_TAILS = [
    "\n    # owned\n",
    "\n  # less indented\n",
    "# col0\n    # indented\n",
    "\n\n",
    "    # a\n# col0\n\n",
    "",
]


@pytest.mark.parametrize("after", ["", "Y = 1\n"])  # last, or its lines carried to Y
@pytest.mark.parametrize("tail", _FOOTER_TAILS)
@pytest.mark.parametrize("head", _FOOTER_HEADS)
def test_a_block_footer_stays_with_its_block(
    head: str, tail: str, after: str, monkeypatch: Any
) -> None:
    source = (
        "from subprocess import run as go\n"
        "def j(c):\n    go(['docker', 'rm', '-f', c])\n"
        + head
        + tail
        + "from subprocess import run as go\n"
        + after
    ).encode()
    monkeypatch.setenv("DOCKFIX_NO_FAST", "1")
    reduced = analyze(source, Settings(), path="m.py")
    monkeypatch.setenv("DOCKFIX_NO_REDUCE", "1")
    full = analyze(source, Settings(), path="m.py")
    assert reduced == full
    assert full.fixed.count(b"from subprocess import run as go") == 0  # removed
    if "# owned" in tail and ":\n" in head:  # a block of its own lines owns it
        assert b"    # owned\n" in reduced.fixed
