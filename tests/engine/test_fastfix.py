"""Fix mode without the libcst pass (``_fastfix``) gives exactly the libcst pass's result.

Each source is analysed in fix mode (every fix applied) as ``dockfix fix`` does, and with
``DOCKFIX_NO_FAST=1`` (the libcst pass); the two results (fixed bytes, findings, applied
fixes, error) must be equal. Each case also says whether ``_fastfix`` must answer, so a
case meant to exercise it cannot pass by declining. The cases aim at its decisions: the
imports it adds on the first lines, the imports it removes on their own lines, the text
around a call, and what it declines.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, Optional

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dockfix.engine import FileResult, Settings, _analyze
from tests.dense import DENSE, NOT_BUILT, dense_sample
from tests.engine.test_fast import _run  # fix mode, with or without the fast paths

REPO = Path(__file__).resolve().parents[2]
FIXTURES = sorted((REPO / "fixtures").rglob("*.py"))


def _same(source: bytes, mp: Any, cfg: Optional[Settings] = None) -> tuple[FileResult, bool]:
    """The fast result (checked equal to the libcst pass's) and whether ``_fastfix`` gave it."""
    answers: list[bool] = []
    real = _analyze._fast_fix

    def spy(*args: Any) -> Any:
        result = real(*args)
        answers.append(result is not None)
        return result

    mp.setattr(_analyze, "_fast_fix", spy)
    try:
        fast = _run(source, None, mp, cfg, accept=None)
    finally:
        mp.setattr(_analyze, "_fast_fix", real)
    slow = _run(source, "DOCKFIX_NO_FAST", mp, cfg, accept=None)
    assert fast == slow, (
        fast.fixed.decode("utf-8", "replace"),
        slow.fixed.decode("utf-8", "replace"),
    )
    return fast, any(answers)


def _code(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


BENCH = """
def clean(name):
    import subprocess as sp
    return sp.check_output(["docker", "kill", "--signal", "KILL", name])
"""

# (id, source, whether _fastfix answers)
CASES: list[tuple[str, str, bool]] = [
    ("local-import-pipe", BENCH, True),
    (
        "docstring-and-imports",
        '"""Doc."""\nimport os\nimport sys\n\nX = 1\n' + BENCH,
        True,
    ),
    ("no-imports-header-comment", "# header\n\nX = 1\n" + BENCH, True),
    ("only-the-function", BENCH, True),
    ("future-import", '"""Doc."""\nfrom __future__ import annotations\n' + BENCH, True),
    ("strict", "__strict__ = True\nimport os\n" + BENCH, True),
    (
        "concatenated-docstring",
        '"Doc" "string."\nfrom __future__ import annotations\n' + BENCH,
        True,
    ),
    ("bytes-docstring", 'b"""Doc."""\nimport os\n' + BENCH, True),
    ("already-imported", "from dockfix.runtime import docker_executor\n" + BENCH, True),
    ("merged-into-from-line", "from dockfix.runtime import other\nimport os\n" + BENCH, True),
    ("comment-before-first-code", "import os\n# about X\nX = 1\n" + BENCH, True),
    (
        "decorator-after-imports",
        "import functools\n@functools.lru_cache\ndef f():\n    return 1\n" + BENCH,
        True,
    ),
    (
        "module-import-removed",
        """
        import os


        def other():
            return os.sep


        import subprocess


        def clean(name):
            subprocess.run(["docker", "rm", "-f", name])
        """,
        True,
    ),
    (
        "module-import-removed-after-block-footer",  # which lines the block owns varies
        """
        import os

        def other():
            return os.sep

            # a comment the block owns

        # a comment the import owns
        import subprocess
        def clean(name):
            subprocess.run(["docker", "rm", "-f", name])
        """,
        False,
    ),
    (
        "module-import-removed-last-statement",
        """
        import os
        X = 1
        def clean(name):
            subprocess.run(["docker", "rm", "-f", name])
        import subprocess
        # the end
        """,
        True,
    ),
    (
        "module-import-partly-removed",
        """
        import os
        X = 1
        import json, subprocess
        def clean(name):
            subprocess.run(["docker", "rm", "-f", name])
            return json.dumps(1)
        """,
        True,
    ),
    (
        "from-import-removed",
        """
        import os
        X = 1

        from subprocess import check_call

        def clean(name):
            check_call(["docker", "volume", "rm", "-f", name])
        """,
        True,
    ),
    (
        "two-imports-of-the-module",
        """
        import os
        X = 1
        import subprocess
        import subprocess as sp
        def clean(name):
            subprocess.run(["docker", "rm", "-f", name])
            sp.run(["docker", "kill", name])
        """,
        True,
    ),
    (
        "run-of-imports",
        """
        import os
        X = 1

        # about these
        import json
        from subprocess import check_output
        # the next one
        import subprocess as sp

        def clean(name):
            out = check_output(["docker", "kill", name])
            return out, json.dumps(sp.DEVNULL)
        """,
        True,
    ),
    (
        "removals-read-in-order",  # found by a generated module: the last removal of a
        # module decides which alias RemoveImportsVisitor takes away
        "def g(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n"
        "from subprocess import check_call as run\n"
        "import json, subprocess\n"
        "async def a(c):\n    await sp.run(['docker', 'stop', c])\n"
        "import subprocess\n"
        "# c0\n"
        "def deco(c):\n    subprocess.run(['docker', 'kill', c])\n"
        "import subprocess as sp\n",
        True,
    ),
    (
        "docstring-and-future-on-one-line",  # found by a review: the import went above
        '"doc"; from __future__ import annotations\n' + BENCH,
        True,
    ),
    (
        "backslash-before-a-removed-import",  # found by a review: the comment is X's
        'import os\nX = "docker" \\\n# c\nimport subprocess\n\n'
        'def clean(name):\n    subprocess.run(["docker", "rm", "-f", name])\n',
        False,
    ),
    (
        "string-line-like-a-comment-before-a-removed-import",  # found by a review
        'import os\nX = """docker\n#"""\nimport subprocess\n\n'
        'def clean(name):\n    subprocess.run(["docker", "rm", "-f", name])\n# """\n',
        False,
    ),
    (
        "import-in-the-first-lines-removed",
        """
        import subprocess
        def clean(name):
            subprocess.run(["docker", "rm", "-f", name])
        """,
        True,
    ),
    (
        "name-left-in-a-comment-only",
        """
        import os
        X = 1
        import subprocess
        # subprocess is used below
        def clean(name):
            subprocess.run(["docker", "rm", "-f", name])
        """,
        False,
    ),
    (
        "name-used-elsewhere",
        """
        import os
        X = 1
        import subprocess
        def clean(name):
            subprocess.run(["docker", "rm", "-f", name])
        def other():
            return subprocess.DEVNULL
        """,
        True,
    ),
    (
        "indented-blank-line-above-import",
        "import os\nX = 1\ndef f():\n    pass\n    \nimport subprocess\n"
        'def clean(name):\n    subprocess.run(["docker", "rm", "-f", name])\n',
        False,
    ),
    (
        "multi-line-call",
        """
        import subprocess
        def clean(name):
            return subprocess.check_call(
                [
                    "docker",
                    "rm",
                    "-f",
                    name,
                ],
                stdout=subprocess.DEVNULL,
            )
        """,
        True,
    ),
    (
        "trailing-comment-and-attribute",
        """
        import subprocess
        def clean(name):
            out = subprocess.run(["docker", "rm", "-f", name], capture_output=True).stdout  # why
            return out
        """,
        True,
    ),
    (
        "call-inside-another",
        """
        import subprocess
        def clean(name):
            print(subprocess.run(["docker", "rm", "-f", name]))
        """,
        False,
    ),
    (
        "two-fixes",
        """
        import subprocess
        def a(name):
            subprocess.run(["docker", "rm", "-f", name])
        def b(name):
            subprocess.run(["docker", "volume", "rm", "-f", name])
        def c(name):
            return subprocess.check_call(("docker", "ps"))
        """,
        True,
    ),
    (
        "aliased-from-import",
        """
        from subprocess import run as go
        def clean(name):
            go(["docker", "kill", name])
        """,
        True,
    ),
    (
        "awaited",
        """
        import subprocess as sp
        async def clean(name):
            await sp.run(["docker", "stop", name])
            return await sp.run(["docker", "kill", name])
        """,
        True,
    ),
    (
        "method-in-class",
        """
        import subprocess
        class Cleaner:
            def clean(self, name):
                subprocess.run(["docker", "rm", "-f", name], check=True)
        """,
        True,
    ),
    (
        "non-ascii",
        """
        import subprocess
        def nettoyé(nom="conteneur-é"):
            subprocess.run(["docker", "rm", "-f", "é" + nom])
            return subprocess.run(["docker", "kill", nom], text=True)
        """,
        True,
    ),
    (
        "comment-inside-call",
        """
        import subprocess
        def clean(name):
            subprocess.run(["docker", "rm",  # force
                            "-f", name])
            return subprocess.run(["docker", "kill", name])  # kill
        """,
        True,
    ),
    (
        "semicolon-line",
        """
        import subprocess
        def clean(name):
            x = 1; subprocess.run(["docker", "rm", "-f", name])
        """,
        False,
    ),
    (
        "crlf",
        "import subprocess\r\ndef f(c):\r\n    subprocess.run(['docker', 'rm', '-f', c])\r\n",
        False,
    ),
    # a reroute is written as text: the called expression replaced, the rest kept
    (
        "reroute-spaced",
        "import subprocess as sp\ndef f():\n    sp . run (['docker', 'ps'])\n",
        True,
    ),
    (
        "reroute-multiline",
        "import subprocess\ndef f():\n    return subprocess.check_output(\n"
        "        ['docker', 'ps'],  # why\n        text=True,\n    )\n",
        True,
    ),
    (
        "reroute-continued-func",
        "import subprocess\ndef f():\n    subprocess.\\\n    run(['docker', 'ps'])\n",
        True,
    ),
    ("reroute-from-import", "from subprocess import call\nX = call(('docker', 'ps'))\n", True),
]


@pytest.mark.parametrize(("source", "answers"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_case(source: str, answers: bool, monkeypatch: Any) -> None:
    data = _code(source) if source.startswith("\n") else source.encode()
    result, answered = _same(data, monkeypatch)
    assert answered == answers
    if answers:
        assert result.fixed != data
        assert result.applied


@pytest.mark.parametrize("executor", ["a.:run", "if:run", "a..b:run", "__future__:run"])
def test_an_executor_libcst_cannot_import_declines(executor: str, monkeypatch: Any) -> None:
    """Found by a review: such a setting made ``_fastfix`` raise; it declines, and the
    libcst pass reports what went wrong."""
    result, answered = _same(_code(CASES[0][1]), monkeypatch, Settings(executor=executor))
    assert not answered
    assert result.error is not None


def test_custom_executor_and_runner(monkeypatch: Any) -> None:
    source = _code(CASES[0][1])
    result, answered = _same(source, monkeypatch, Settings(executor="team.docker:run_docker"))
    assert answered
    assert b"from team.docker import run_docker" in result.fixed
    result, answered = _same(source, monkeypatch, Settings(executor="self.docker"))
    assert answered
    assert b"self.docker.stop(" in result.fixed
    assert b"import" not in result.fixed[:20]


def test_nothing_fixable(monkeypatch: Any) -> None:
    source = _code(
        """
        import subprocess
        def clean(name):
            subprocess.run(["docker", "logs", "-f", name])  # dockfix: ignore
        """
    )
    result, _ = _same(source, monkeypatch)
    assert result.fixed == source


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO / "fixtures")))
def test_fixtures(path: Path, monkeypatch: Any) -> None:
    _same(path.read_bytes(), monkeypatch)


# Module pieces laid out in varied ways: where the module-level imports sit (first lines,
# after code, last), what surrounds them (blank lines, comments at column 0 or indented in
# the block above), and calls that keep or drop each name.
PIECES = [
    '"""Doc."""',
    "import os",
    "import subprocess",
    "import subprocess as sp",
    "from subprocess import run, check_call",
    "from subprocess import run as go",
    "import json, subprocess",
    "from __future__ import annotations",
    "X = 1",
    "",
    "# a comment",
    "def f():\n    return 1\n\n    # owned by f",
    "def g(c):\n    subprocess.run(['docker', 'rm', '-f', c])",
    "def h(c):\n    return sp.check_output(('docker', 'kill', c), text=True)",
    "def i(c):\n    run(['docker', 'volume', 'rm', '-f', c])\n    check_call(['docker', 'ps'])",
    "def j(c):\n    go(['docker', 'rm', '-f', c])",
    "def k(c):\n    return subprocess.DEVNULL",
    "@staticmethod\ndef d(c):\n    sp.run(['docker', 'kill', c])",
    "class K:\n    def m(self, c):\n        subprocess.call(['docker', 'stop', c])",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(indices=st.lists(st.integers(0, len(PIECES) - 1), min_size=1, max_size=10))
@example(indices=[1, 8, 2, 9, 12])
@example(indices=[1, 11, 9, 10, 2, 12, 9])
@example(indices=[0, 1, 8, 6, 12, 16])
def test_generated(indices: list[int], monkeypatch: Any) -> None:
    source = ("\n".join(PIECES[i] for i in indices) + "\n").encode()
    result, _ = _same(source, monkeypatch)
    comments = [line for line in source.splitlines() if line.lstrip().startswith(b"#")]
    assert _in_order(comments, result.fixed.splitlines()), "a comment line was lost"


def _in_order(wanted: list[bytes], lines: list[bytes]) -> bool:
    found = iter(lines)
    return all(any(line == want for line in found) for want in wanted)


COMMENTED = [
    (
        "last-statement",
        "def clean(name):\n    subprocess.run(['docker', 'rm', '-f', name])\n\n\n"
        "# kept last for reasons\nimport subprocess\n",
    ),
    (
        "last-with-footer",
        "def clean(name):\n    subprocess.run(['docker', 'rm', '-f', name])\n"
        "# about subprocess\nimport subprocess\n# the end\n",
    ),
    (
        "next-has-its-own",
        "import os\n# why subprocess\nimport subprocess\n\n# the function\n"
        "def clean(name):\n    subprocess.run(['docker', 'rm', '-f', name])\n",
    ),
    (
        "below-the-first-lines",
        "import os\nX = 1\n# why subprocess\nimport subprocess\n# the function\n"
        "def clean(name):\n    subprocess.run(['docker', 'rm', '-f', name])\n",
    ),
]


@pytest.mark.parametrize("source", [c[1] for c in COMMENTED], ids=[c[0] for c in COMMENTED])
def test_comments_above_a_removed_import_stay(source: str, monkeypatch: Any) -> None:
    """Found by a review: the comment lines above an import the fix removed went with it
    when the import was the module's last statement, or when the next statement had
    comments or blank lines of its own. Only the import's line goes now."""
    result, _ = _same(source.encode(), monkeypatch)
    assert b"import subprocess" not in result.fixed
    kept = [line for line in source.encode().splitlines() if line != b"import subprocess"]
    assert _in_order([line for line in kept if line.startswith(b"#")], result.fixed.splitlines())


@pytest.mark.skipif(not DENSE.is_dir(), reason=NOT_BUILT)
def test_dense_corpus(monkeypatch: Any) -> None:
    """Equal on a third of the dense corpus, and ``_fastfix`` answers for 90% of it."""
    files = dense_sample(330)
    answered = 0
    for path in files:
        result, answers = _same(path.read_bytes(), monkeypatch)
        assert result.error is None, path
        answered += answers
    assert answered >= len(files) * 9 // 10, f"{answered} of {len(files)}"


IMPORT_LINES = [
    "import subprocess\n",
    "import subprocess as sp\n",
    "import os\n",
    "import os.path\n",
    "import os.path as osp\n",
    "from subprocess import run\n",
    "from subprocess import run as go\n",
    "from subprocess import check_call  # why\n",
    "from os import path\n",
    "from os.path import join\n",
    "import json, subprocess\n",
    "import subprocess, json as j\n",
    "from subprocess import run, check_call\n",
    "from subprocess import (\n    run,  # why\n    check_call,\n)\n",
    "from subprocess import (run)\n",
    "from subprocess import *\n",
    "from . import subprocess\n",
    "from __future__ import annotations\n",
    "import subprocess; import os\n",
]
REMOVALS: list[list[tuple[str, Optional[str], Optional[str]]]] = [
    [],
    [("subprocess", None, None)],
    [("subprocess", None, "sp")],
    [("subprocess", None, None), ("subprocess", None, "sp")],
    [("subprocess", None, "sp"), ("subprocess", None, None)],
    [("subprocess", "run", None)],
    [("subprocess", "run", "go"), ("subprocess", "run", None)],
    [("subprocess", "check_call", None), ("subprocess", None, None)],
    [("os", None, None), ("os.path", None, "osp"), ("os", "path", None)],
    [("os.path", "join", None), ("json", None, None)],
    [("subprocess", "run", None), ("subprocess", "check_call", None)],
    [("json", None, "j"), ("subprocess", None, None)],
]


@pytest.mark.parametrize("line", IMPORT_LINES)
def test_removal_shortcut_is_the_visitor(line: str) -> None:
    """``_imports._removed_alone`` (which spares building ``RemoveImportsVisitor``) says
    what the visitor does, where it says anything; and it says it for the common lines."""
    import libcst as cst
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import RemoveImportsVisitor

    from dockfix.engine._imports import _removed_alone

    module = cst.parse_module(line)
    answered = 0
    for removals in REMOVALS:
        quick = _removed_alone(module.body[0], removals)
        if quick is None:
            continue
        answered += 1
        context = CodemodContext()
        context.scratch[RemoveImportsVisitor.CONTEXT_KEY] = list(removals)
        done = RemoveImportsVisitor(context).transform_module(module)
        assert quick == (not done.body), removals
        if not quick:
            assert done.code == module.code
    one_name = "," not in line and ";" not in line and "from ." not in line and "__" not in line
    if one_name:  # always answered (several names: when all go, or none)
        assert answered == len(REMOVALS)


def _stubbed(extra: str = "") -> bytes:
    """A module ``reduce_split`` reduces (an unrelated function is stubbed)."""
    head = "import os\ndef unrelated():\n    return os.sep\n"
    call = "def clean(name):\n    import subprocess\n"
    call += '    subprocess.run(["docker", "rm", "-f", name])\n'
    return (head + extra + call).encode()


@pytest.mark.parametrize(
    "extra", ["", "G = 1\ndef g():\n    global G\n    G = 2\n", "# global docker_executor\n"]
)
@pytest.mark.parametrize("broken", [b"docker_executor.stop(", b"await", b"nonlocal name", b"x = 1"])
def test_a_broken_replacement_is_never_returned(
    extra: str, broken: bytes, monkeypatch: Any
) -> None:
    """Whatever the replacement, the fixed file must compile: the changed parts are read
    by the compiler front end, scope pass included (``nonlocal`` of a parameter is not a
    parse error), or, with ``global`` in the file, all of it."""
    from dockfix.engine import _fastfix
    from dockfix.engine._split import accepted

    source = _stubbed(extra)
    assert _fastfix.fast_fix(source, Settings(), *_enabled()) is not None
    monkeypatch.setattr(_fastfix, "_replacement", lambda *args: broken)
    result = _fastfix.fast_fix(source, Settings(), *_enabled())
    assert result is None or accepted(result.fixed)
    if broken != b"x = 1":  # ``x = 1`` in place of a call is an assignment: still Python
        assert result is None


def test_the_changed_parts_are_read(monkeypatch: Any) -> None:
    """Only the parts an edit changed go to the front end; with ``global`` in the file,
    or for a module ``reduce_split`` did not reduce, all of it."""
    from dockfix.engine import _fastfix

    read: list[bytes] = []

    def spy(text: bytes) -> bool:
        read.append(text)
        return True

    monkeypatch.setattr(_fastfix, "accepted", spy)
    source = _stubbed()
    assert _fastfix.fast_fix(source, Settings(), *_enabled()) is not None
    assert read
    assert all(b"unrelated" not in text for text in read)
    read.clear()
    source = _stubbed("G = 1\ndef g():\n    global G\n    G = 2\n")  # not a name it adds
    assert _fastfix.fast_fix(source, Settings(), *_enabled()) is not None
    assert read
    read.clear()
    source = _stubbed("def g():\n    global docker_executor\n")
    calls: list[bytes] = []
    monkeypatch.setattr(_fastfix, "compiles_as_source", lambda s, f: calls.append(f) or True)
    assert _fastfix.fast_fix(source, Settings(), *_enabled()) is not None
    assert calls
    assert not read


def test_a_global_declaration_across_statements(monkeypatch: Any) -> None:
    """The fix binds ``docker_executor`` at module level (the import) and uses it there;
    a module-level ``global docker_executor`` further down then does not compile, which
    no part read alone shows: the whole file is read, and the fix refused."""
    from dockfix.engine import _fastfix

    source = _code(
        """
        import os
        import subprocess
        def unrelated():
            return os.sep
        subprocess.run(["docker", "rm", "-f", "web"])
        global docker_executor
        """
    )
    assert _fastfix.fast_fix(source, Settings(), *_enabled()) is None
    result, answered = _same(source, monkeypatch)
    assert not answered
    assert result.fixed == source


def _enabled() -> tuple[Any, Any]:
    from dockfix.engine._analyze import _call_names, _triggers
    from dockfix.rules import ALL_RULES

    return _triggers(ALL_RULES, Settings()), _call_names(ALL_RULES, Settings())


def test_schedule_is_libcsts() -> None:
    """``_schedule`` records what libcst's helpers record, in the same places."""
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

    from dockfix.engine import _schedule

    theirs, ours = CodemodContext(), _schedule.Context("m.py")
    for module, obj in [
        ("dockfix.runtime", "docker_executor"),
        ("subprocess", None),
        ("os", "path"),
    ]:
        AddImportsVisitor.add_needed_import(theirs, module, obj)
        _schedule.add_needed_import(ours, module, obj)
    for module, obj, asname in [("subprocess", None, "sp"), ("subprocess", "run", None)]:
        RemoveImportsVisitor.remove_unused_import(theirs, module, obj, asname=asname)
        _schedule.remove_unused_import(ours, module, obj, asname)
    assert set(ours.scratch) == set(theirs.scratch) == {_schedule.ADDITIONS, _schedule.REMOVALS}
    assert _schedule.ADDITIONS == AddImportsVisitor.CONTEXT_KEY
    assert _schedule.REMOVALS == RemoveImportsVisitor.CONTEXT_KEY
    assert [tuple(i) for i in ours.scratch[_schedule.ADDITIONS]] == [
        (i.module_name, i.obj_name, i.alias, i.relative)
        for i in theirs.scratch[_schedule.ADDITIONS]
    ]
    assert ours.scratch[_schedule.REMOVALS] == theirs.scratch[_schedule.REMOVALS]
    with pytest.raises(ValueError, match="__future__"):
        _schedule.add_needed_import(ours, "__future__")


# Files ``ast`` takes and Python's compiler refuses (its scope pass): the fast paths leave
# them to the libcst pass, and nothing is reported as an internal error.
REFUSED = [
    ("nonlocal-at-module-level", "nonlocal x\n", "nonlocal declaration not allowed"),
    ("used-before-global", "x = 1\nglobal x\n", None),
    ("unknown-future", "from __future__ import not_a_feature\n", None),
]


@pytest.mark.parametrize(("head", "error"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_file_the_compiler_refuses(head: str, error: Optional[str], monkeypatch: Any) -> None:
    """Found by a review: ``nonlocal`` at module level made fix mode's libcst pass fail
    ("internal error") while ``_fastfix`` fixed the file. Now the fast paths decline, the
    same result comes either way, and libcst's failure is reported with the compiler's
    own reason."""
    from dockfix.engine._split import refusal

    source = (head + 'import subprocess\nsubprocess.run(["docker", "rm", "-f", "x"])\n').encode()
    result, answered = _same(source, monkeypatch)
    if refusal(source) is not None:  # Python 3.9's front end takes an unknown future
        assert not answered
    if error is None:
        assert result.error is None
        assert b"stop_and_remove" in result.fixed
    else:
        assert result.error is not None
        assert "internal error" not in result.error
        assert error in result.error
        assert result.fixed == source
