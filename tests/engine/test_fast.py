"""Check mode's ``ast`` reading (``_fast``) gives exactly the libcst pass's findings.

Each source is analysed in check mode (``accept=report_only``) three ways: as ``dockfix
check`` does (reduction, then ``_fast`` where it answers), with ``DOCKFIX_NO_FAST=1`` (the
libcst pass on the reduced module) and with ``DOCKFIX_NO_REDUCE=1`` (the libcst pass on the
whole module). All three must be equal: on the cases below (each aimed at one decision of
``_fast``), on every rule case and fixture, on generated modules, and on the dense corpus,
where ``_fast`` must also answer for nearly every file (else it buys nothing).
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from typing import Any, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockfix.engine import FileResult, Settings, _analyze, analyze, report_only
from dockfix.rules import ALL_RULES
from tests.dense import DENSE, NOT_BUILT, dense_sample

REPO = Path(__file__).resolve().parents[2]


def _run(
    source: bytes,
    env: Optional[str],
    mp: Any,
    cfg: Optional[Settings] = None,
    accept: Any = report_only,
) -> FileResult:
    for name in ("DOCKFIX_NO_FAST", "DOCKFIX_NO_REDUCE", "DOCKFIX_NO_SPLIT"):
        mp.delenv(name, raising=False)
    if env is not None:
        mp.setenv(env, "1")
    try:
        return analyze(source, cfg or Settings(), path="m.py", accept=accept)
    finally:
        if env is not None:
            mp.delenv(env)


def _assert_same(source: bytes, mp: Any, cfg: Optional[Settings] = None) -> FileResult:
    fast = _run(source, None, mp, cfg)
    assert fast == _run(source, "DOCKFIX_NO_FAST", mp, cfg), "fast != libcst on the reduction"
    assert fast == _run(source, "DOCKFIX_NO_REDUCE", mp, cfg), "fast != libcst on the module"
    assert fast == _run(source, "DOCKFIX_NO_SPLIT", mp, cfg), "the split reduction differs"
    # fix mode: _fast answers when nothing can be fixed
    fixed = _run(source, None, mp, cfg, None)
    assert fixed == _run(source, "DOCKFIX_NO_FAST", mp, cfg, None), "fix mode differs"
    assert fixed.findings == fast.findings
    return fast


def _answered(source: bytes, mp: Any) -> bool:
    """Whether ``_fast`` answered for ``source`` (the libcst pass was not needed)."""
    calls: list[str] = []
    real_reduced, real_full = _analyze._analyze_reduced, _analyze._analyze_full

    def reduced(*args: Any, **kwargs: Any) -> Any:
        calls.append("reduced")
        return real_reduced(*args, **kwargs)

    def full(*args: Any, **kwargs: Any) -> Any:
        calls.append("full")
        return real_full(*args, **kwargs)

    mp.setattr(_analyze, "_analyze_reduced", reduced)
    mp.setattr(_analyze, "_analyze_full", full)
    try:
        _run(source, None, mp)
    finally:
        mp.setattr(_analyze, "_analyze_reduced", real_reduced)
        mp.setattr(_analyze, "_analyze_full", real_full)
    return not calls


# (id, module, whether _fast answers): each aimed at one decision of ``_fast``
CASES: list[tuple[str, str, bool]] = [
    ("plain", "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'])\n", True),
    (
        "alias-module",
        "import subprocess as sp\nsp.run(['docker', 'kill', 'c'], check=True)\n",
        True,
    ),
    (
        "from-import",
        "from subprocess import call\ncall(('docker', 'volume', 'rm', '-f', 'v'))\n",
        True,
    ),
    ("from-alias", "from subprocess import run as r\nr(['docker', 'ps'], timeout=3)\n", True),
    # libcst's pass learns ``r`` when it visits the import: not before
    (
        "alias-after-call",
        "def f():\n    r(['docker', 'rm', '-f', 'c'])\nfrom subprocess import run as r\n",
        True,
    ),
    # a called name reads only the imports before it in its own scope; ``sp.run`` reads all
    ("module-name-after", "run(['docker', 'ps'])\nfrom subprocess import run\n", False),
    ("module-attribute-after", "subprocess.run(['docker', 'ps'])\nimport subprocess\n", True),
    (
        "function-name-after",
        "def f():\n    run(['docker', 'ps'])\n    from subprocess import run\n",
        False,
    ),
    (
        "function-name-before",
        "def f():\n    from subprocess import run\n    run(['docker', 'ps'])\n",
        True,
    ),
    (
        "nested-name-after",
        "def f():\n    run(['docker', 'ps'])\nfrom subprocess import run\n",
        True,
    ),
    ("class-name-after", "class K:\n    run(['docker', 'ps'])\nfrom subprocess import run\n", True),
    (
        "function-import",
        "def f(c):\n    import subprocess\n    subprocess.run(['docker', 'rm', '-f', c])\n",
        True,
    ),
    (
        "import-after-call",
        "def f(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n    import subprocess\n",
        True,
    ),
    (
        "other-function",
        "def f():\n    import subprocess\ndef g(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n",  # noqa: E501
        True,
    ),
    (
        "nested-function",
        "def f():\n    import subprocess\n    def g(c):\n        subprocess.run(['docker', 'kill', c])\n",  # noqa: E501
        True,
    ),
    (
        "default-of-importer",
        "def f(x=subprocess.run(['docker', 'ps'])):\n    import subprocess\n",
        False,
    ),
    (
        "class-import",
        "class K:\n    import subprocess\n    subprocess.run(['docker', 'rm', '-f', 'c'])\n",
        False,
    ),
    (
        "shadow-param",
        "import subprocess\ndef f(subprocess):\n    subprocess.run(['docker', 'rm', '-f', 'c'])\n",
        False,
    ),
    (
        "shadow-assign",
        "import subprocess\nsubprocess = None\nsubprocess.run(['docker', 'kill', 'c'])\n",
        False,
    ),
    (
        "global",
        "def f():\n    global subprocess\n    import subprocess\nsubprocess.run(['docker', 'kill', 'c'])\n",  # noqa: E501
        False,
    ),
    ("unimported", "subprocess.run(['docker', 'rm', '-f', 'c'])\n", True),
    (
        "method-named-run",
        "class K:\n    def run(self, a):\n        return a\nK().run(['docker', 'rm', '-f', 'c'])\n",
        True,
    ),
    (
        "two-imports-same",
        "import subprocess\ndef f():\n    import subprocess\n    subprocess.call(['docker', 'kill', 'x'])\n",  # noqa: E501
        True,
    ),
    (
        "two-imports-differ",
        "import subprocess as s\ndef f():\n    import os as s\n    s.system('docker kill x')\n",
        False,
    ),
    (
        "star-import",
        "from subprocess import *\nimport subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'])\n",  # noqa: E501
        True,
    ),
    ("dotted-import", "import os.path\nimport os\nos.system('docker kill x')\n", False),
    ("os-system", "import os\nos.system('docker rm -f c')\n", False),
    ("no-trigger-call", "import subprocess\nsubprocess.run(cmd)\nprint('docker')\n", True),
    (
        "marked-name",
        "import subprocess\nCMD = ['docker', 'rm', '-f', 'c']\nsubprocess.run(CMD)\n",
        False,
    ),
    (
        "augmented",
        "import subprocess\ncmd = []\ncmd += ['docker', 'rm', '-f', 'c']\nsubprocess.run(cmd)\n",
        False,
    ),
    (
        "appended",
        "import subprocess\ncmd = []\ncmd.append('docker')\nsubprocess.run(cmd + ['kill', 'c'])\n",
        False,
    ),
    ("bytes-argv", "import subprocess\nsubprocess.run([b'docker', b'rm', b'-f', b'c'])\n", True),
    (
        "f-string-program",
        "import subprocess\nsubprocess.run([f'docker{x}', 'rm', '-f', 'c'])\n",
        True,
    ),
    (
        "attribute-program",
        "import subprocess\nsubprocess.run([self.docker, 'rm', '-f', 'c'])\n",
        True,
    ),
    (
        "call-program",
        "import subprocess, shutil\nsubprocess.run([shutil.which('docker'), 'kill', 'c'])\n",
        False,
    ),
    ("sh-c", "import subprocess\nsubprocess.run(['sh', '-c', 'docker rm -f c'])\n", False),
    ("other-program", "import subprocess\nsubprocess.run(['git', 'docker'])\n", True),
    ("starred-first", "import subprocess\nsubprocess.run([*DOCKER, 'rm', '-f', 'c'])\n", True),
    ("starred-item", "import subprocess\nsubprocess.run(['docker', 'rm', *flags, 'c'])\n", True),
    ("empty-argv", "import subprocess\nsubprocess.run([], stdin='docker')\n", True),
    (
        "param-item",
        "import subprocess\ndef f(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n",
        True,
    ),
    (
        "assigned-item",
        "import subprocess\nF = '-f'\nsubprocess.run(['docker', 'rm', F, 'c'])\n",
        False,
    ),
    (
        "assigned-elsewhere",
        "import subprocess\ndef g():\n    c = 'x'\ndef f(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n",  # noqa: E501
        True,
    ),
    ("unbound-item", "import subprocess\nsubprocess.run(['docker', 'rm', '-f', c])\n", True),
    (
        "lambda-item",
        "import subprocess\nF = '-f'\nf = lambda c: subprocess.run(['docker', 'rm', F, c])\n",
        False,
    ),
    (
        "concatenated",
        "import subprocess\nsubprocess.run(['dock' 'er', 'rm', '-f' 'v', 'c'])\n",
        True,
    ),
    (
        "multiline-concat",
        "import subprocess\nsubprocess.run(['docker',\n    'rm'  # why\n    ' -f',\n    'c'])\n",
        True,
    ),
    ("paren-item", "import subprocess\nsubprocess.run(['docker', 'rm', ('-f'), 'c'])\n", False),
    ("paren-argv", "import subprocess\nsubprocess.run((['docker', 'rm', '-f', 'c']))\n", False),
    (
        "tuple-argv",
        "import subprocess\nsubprocess.run(('docker', 'kill', 'c'), check=False)\n",
        True,
    ),
    ("name-argv", "import subprocess\nsubprocess.run(CMD_DOCKER)\n", False),
    ("string-argv", "import subprocess\nsubprocess.run('docker rm -f c', shell=True)\n", False),
    (
        "args-keyword",
        "import subprocess\nsubprocess.run(args=['docker', 'rm', '-f', 'c'])\n",
        False,
    ),
    ("star-args", "import subprocess\nsubprocess.run(*['docker', 'rm', '-f', 'c'])\n", False),
    ("star-kwargs", "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'], **kw)\n", True),
    (
        "keywords",
        "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'], check=True, timeout=0x1e, text=None, cwd='/')\n",  # noqa: E501
        True,
    ),
    (
        "keyword-float",
        "import subprocess\nsubprocess.run(['docker', 'stop', 'c'], timeout=1.5)\n",
        True,
    ),
    (
        "keyword-negative",
        "import subprocess\nsubprocess.run(['docker', 'stop', 'c'], timeout=-1)\n",
        True,
    ),
    (
        "keyword-paren",
        "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'], check=(True))\n",
        False,
    ),
    (
        "keyword-spaced",
        "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'], check = True)\n",
        True,
    ),
    (
        "keyword-comment",
        "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'],  # x\n    check=True,  # y\n)\n",  # noqa: E501
        True,
    ),
    (
        "comment-in-argv",
        "import subprocess\nsubprocess.run([\n    'docker',  # the program\n    'kill',\n    'c',\n])\n",  # noqa: E501
        True,
    ),
    (
        "statement",
        "import subprocess\ndef f(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n",
        True,
    ),
    (
        "semicolon-after",
        "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c']); x = 1\n",
        True,
    ),
    ("semicolon-alone", "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c']);\n", True),
    (
        "semicolon-before",
        "import subprocess\nx = 1; subprocess.run(['docker', 'rm', '-f', 'c'])\n",
        True,
    ),
    ("one-line-if", "import subprocess\nif x: subprocess.run(['docker', 'rm', '-f', 'c'])\n", True),
    (
        "backslash",
        "import subprocess\nx = 1; \\\n  subprocess.run(['docker', 'rm', '-f', 'c'])\n",
        False,
    ),
    (
        "paren-statement",
        "import subprocess\n(subprocess.run(['docker', 'rm', '-f', 'c']))\n",
        False,
    ),
    ("paren-call", "import subprocess\nx = (subprocess.run(['docker', 'rm', '-f', 'c']))\n", True),
    (
        "await",
        "import subprocess\nasync def f():\n    await subprocess.run(['docker', 'rm', '-f', 'c'])\n",  # noqa: E501
        True,
    ),
    (
        "await-paren",
        "import subprocess\nasync def f():\n    await (subprocess.run(['docker', 'rm', '-f', 'c']))\n",  # noqa: E501
        False,
    ),
    (
        "returned",
        "import subprocess\ndef f():\n    return subprocess.check_output(['docker', 'ps', '-q'])\n",
        True,
    ),
    (
        "nested-calls",
        "import subprocess\nsubprocess.run(['docker', 'rm', '-f', subprocess.check_output(['docker', 'ps', '-lq'])])\n",  # noqa: E501
        True,
    ),
    (
        "two-calls",
        "import subprocess\nsubprocess.run(['docker', 'kill', 'a']); subprocess.run(['docker', 'rm', '-f', 'b'])\n",  # noqa: E501
        True,
    ),
    (
        "non-ascii",
        "import subprocess\nx = 'é'; subprocess.run(['docker', 'rm', '-f', 'ç'])\n",
        True,
    ),
    (
        "non-ascii-multiline",
        "import subprocess\nsubprocess.run(['docker', 'rm',\n  '-f', 'ünï'], cwd='é')\n",
        True,
    ),
    ("tabs", "import subprocess\nif x:\n\tsubprocess.run(['docker', 'rm', '-f', 'c'])\n", True),
    ("crlf", "import subprocess\r\nsubprocess.run(['docker', 'rm', '-f', 'c'])\r\n", True),
    ("popen", "import subprocess\np = subprocess.Popen(['docker', 'logs', '-f', 'c'])\n", True),
    (
        "suppressed",
        "import subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'])  # dockfix: ignore\n",
        False,
    ),
    (
        "mentioned",
        "import subprocess\n# dockfix rewrites this\nsubprocess.run(['docker', 'rm', '-f', 'c'])\n",
        True,
    ),
    (
        "sdk",
        "import docker\nimport subprocess\nsubprocess.run(['docker', 'rm', '-f', 'c'])\n",
        False,
    ),
    (
        "comprehension",
        "import subprocess\n[subprocess.run(['docker', 'rm', '-f', c]) for c in cs]\n",
        True,
    ),
    (
        "comprehension-name",
        "import subprocess\nc = 'x'\n[subprocess.run(['docker', 'rm', '-f', c]) for c in cs]\n",
        False,
    ),
    ("lambda", "import subprocess\nf = lambda c: subprocess.run(['docker', 'kill', c])\n", True),
    # found by review: a statement before the first line the split starts a group at; a
    # BOM starting a later line; identifiers holding characters ``\w`` does not match
    ("form-feed-line", "import subprocess\n\fsubprocess.run(['docker', 'rm', '-f', 'c'])\n", False),
    (
        "form-feed-first",
        "\fsubprocess.run(['docker', 'rm', '-f', c])\nimport subprocess\nc = '--force'\n",
        False,
    ),
    (
        "bom-inside",
        "import subprocess\n\ufeffy = 2\nsubprocess.run(['docker', 'rm', '-f', c])\n",
        False,
    ),
    (
        "middle-dot-name",
        "import subprocess\nc\u00b7x = '--force'\nsubprocess.run(['docker', 'rm', '-f', c\u00b7x])\n",  # noqa: E501
        False,
    ),
    (
        "combining-mark-name",
        "import subprocess\nn\u0939\u093f = '--force'\nsubprocess.run(['docker', 'rm', n\u0939\u093f, c])\n",  # noqa: E501
        False,
    ),
    (
        "decomposed-name",
        "import subprocess\ncafe\u0301 = '--force'\nsubprocess.run(['docker', 'rm', caf\u00e9, c])\n",  # noqa: E501
        False,
    ),
    (
        "undertie-name",
        "import subprocess\nc\u203fx = ['docker', 'kill']\nsubprocess.run(c\u203fx + [c])\n",
        False,
    ),
]


@pytest.mark.parametrize(("text", "answers"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_case(text: str, answers: bool, monkeypatch: Any) -> None:
    source = text.encode()
    _assert_same(source, monkeypatch)
    assert _answered(source, monkeypatch) is answers


ENCODED = [
    (
        "# -*- coding: koi8-r -*-\nimport subprocess\n"
        "x = 'Привет'; subprocess.run(['docker', 'rm', '-f', 'Ж'])\n"
    ).encode("koi8-r"),
    "#coding:latin1\r\nimport subprocess\r\nsubprocess.run(['docker', 'kill', 'é'])\r\n".encode(
        "latin-1"
    ),
    "# coding: utf-8\nimport subprocess\nsubprocess.run(['docker', 'kill', 'é'])\n".encode(),
]


@pytest.mark.parametrize("source", ENCODED, ids=["koi8-r", "latin-1-crlf", "utf-8-cookie"])
def test_declared_encodings(source: bytes, monkeypatch: Any) -> None:
    """Read as UTF-8 with the same text: same lines, same columns in characters."""
    assert _assert_same(source, monkeypatch).findings
    assert _answered(source, monkeypatch)


def test_cases_find_something() -> None:
    """The table is not all quiet: most of its modules have findings."""
    found = sum(
        bool(analyze(t.encode(), Settings(), accept=report_only).findings) for _, t, _ in CASES
    )
    assert found >= len(CASES) * 2 // 3


@pytest.mark.parametrize(
    "overrides",
    [
        {"runner": "self.run_docker"},
        {"select": frozenset({"DF005"})},
        {"ignore": frozenset({"DF001"})},
    ],
)
def test_settings(overrides: dict[str, Any], monkeypatch: Any) -> None:
    cfg = dataclasses.replace(Settings(), **overrides)
    for _, text, _ in CASES:
        _assert_same(text.encode(), monkeypatch, cfg)


RULE_CASES = [
    pytest.param(case.source, dict(case.settings), id=f"{rule.CODE}-{case.id}")
    for rule in ALL_RULES
    for case in (*rule.VALID, *rule.INVALID)
]


@pytest.mark.parametrize(("text", "overrides"), RULE_CASES)
def test_rule_cases(text: str, overrides: dict[str, Any], monkeypatch: Any) -> None:
    cfg = dataclasses.replace(Settings(), **overrides)
    _assert_same(textwrap.dedent(text).encode(), monkeypatch, cfg)


FIXTURES = sorted((REPO / "fixtures").rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO / "fixtures")))
def test_fixtures(path: Path, monkeypatch: Any) -> None:
    _assert_same(path.read_bytes(), monkeypatch)


# Statements for generated modules: imports in their scopes, names the call reads, and calls
# of every shape ``_fast`` reads or declines, at module level and in functions.
STATEMENTS = [
    "import subprocess",
    "import subprocess as sp",
    "from subprocess import run",
    "from subprocess import check_call as run",
    "from subprocess import run as go",
    "import os",
    "subprocess = None",
    "def run(*a):\n    return a",
    "c = 'box'",
    "F = '-f'",
    "D = 'docker'",
    "CMD = ['docker', 'kill', 'box']",
    "CMD.append('-f')",
    "def f(c, F='-f'):\n    import subprocess\n    subprocess.run(['docker', 'rm', F, c])",
    "def g(c):\n    return sp.call(('docker', 'rm', '-f', c), timeout=5)",
    "def h(c):\n    go(['docker', 'volume', 'rm', '-f', c]); x = 1",
    "subprocess.run(['docker', 'rm', '-f', c], check=True)",
    "subprocess.run([D, 'kill', c])",
    "subprocess.run(CMD)",
    "run(['docker', 'rm', F, 'x'], capture_output=True)",
    "go(['docker', 'ps'])",
    "x = run(['docker', 'kill', 'x'])",
    "os.system('docker rm -f x')",
    "if c: subprocess.check_output(['docker', 'logs', c])",
    "class K:\n    def run(self, argv):\n        return subprocess.run(argv + ['docker'])",
    "async def a(c):\n    await sp.run(['docker', 'stop', c])",
    "for c in ('a', 'b'):\n    subprocess.run(['docker', 'rm', '-f', c])",
    "del c",
    "def gl():\n    global F\n    F = '--force'",
    # what the statement groups of ``_split`` must not be fooled by (lines at column 0
    # inside strings and brackets, continuations, decorators, clauses)
    "X = \"\"\"\nsubprocess.run(['docker', 'rm', '-f', c])\n\"\"\"",
    "Y = '''\"\"\"'''\"\"\"\nsubprocess.run(['docker', 'kill', c])\n\"\"\"",
    "L = [\n'docker',\n]",
    "Z = 1 + \\\nlen(F)",
    "@staticmethod\n# a comment\ndef deco(c):\n    subprocess.run(['docker', 'kill', c])",
    "if c:\n    pass\nelse:\n    subprocess.run(['docker', 'kill', c])",
    "try:\n    pass\nexcept Exception:\n    go(['docker', 'ps'])\nfinally:\n    pass",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(indices=st.lists(st.integers(0, len(STATEMENTS) - 1), min_size=1, max_size=8))
def test_generated(indices: list[int], monkeypatch: Any) -> None:
    source = ("\n".join(STATEMENTS[i] for i in indices) + "\n").encode()
    _assert_same(source, monkeypatch)


@pytest.mark.skipif(not DENSE.is_dir(), reason=NOT_BUILT)
def test_dense_corpus(monkeypatch: Any) -> None:
    """Equal on a quarter of the dense corpus, and ``_fast`` answers for at least 90%."""
    files = dense_sample(250)
    answered = 0
    for path in files:
        source = path.read_bytes()
        result = _assert_same(source, monkeypatch)
        assert len(result.findings) == 1, path
        answered += _answered(source, monkeypatch)
    assert answered >= len(files) * 9 // 10, f"{answered} of {len(files)}"
