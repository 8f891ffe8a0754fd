"""``add_imports`` gives exactly what libcst's ``AddImportsVisitor`` gives.

The visitor is the oracle: for each module and each set of imports the engine can schedule,
both run and the modules they return must render to the same text. Modules: a table of the
shapes the visitor treats specially (docstring, ``__strict__``, stars, aliases, relative
imports with and without a package, an import block ended by code, comments before the
next statement, CRLF), the fixtures, and generated ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, ImportItem

from dockfix.engine._addimports import add_imports

REPO = Path(__file__).resolve().parents[2]

MODULES = [
    "",
    "x = 1\n",
    "# only a comment\n",
    '"""Doc."""\n',
    '"""Doc."""\nimport os\n\nx = 1\n',
    '"""Doc."""\n\n\nimport os\n# about x\nx = 1\n',
    "__strict__ = True\nimport os\n",
    "__strict__: bool = True\nimport os\n",
    "__strict__ = x = True\nimport os\n",
    "import subprocess\n\ndef f():\n    pass\n",
    "# header\nimport os\n# lead comment\nx = 1\n",
    "import os\n\n# lead comment after a blank\nx = 1\n",
    "from dockfix.runtime import other\n",
    "from dockfix.runtime import *\n",
    "from dockfix.runtime import *\nfrom dockfix.runtime import other\n",
    "from dockfix.runtime import other\nfrom dockfix.runtime import *\n",
    "from dockfix.runtime import docker_executor as de\n",
    "from dockfix.runtime import (\n    a,\n    b,\n)\nx = 1\n",
    "from dockfix.runtime import (a, b,)\n",
    "from dockfix.runtime import docker_executor\nfrom dockfix.runtime import other\n",
    "from dockfix.runtime import other\nfrom dockfix.runtime import docker_executor\n",
    "from . import runtime\nfrom .runtime import docker_executor\nfrom .. import x\n",
    "from .support import docker\n",
    "import functools as ft\nimport subprocess as sp\n",
    "import os; import sys\nimport subprocess\n",
    "import os\nx = 1\nimport subprocess\nfrom dockfix.runtime import docker_executor\n",
    "from __future__ import annotations\nimport os\n",
    '"""Doc."""\nfrom __future__ import annotations\n\nclass A:\n    pass\n',
    "if True:\n    import subprocess\n    from dockfix.runtime import docker_executor\n",
    "try:\n    import subprocess\nexcept ImportError:\n    pass\n",
    "'''Doc.'''\n\n\nimport os\n",
    'b"bytes"\nimport os\n',
    'f"x"\nimport os\n',
    '"con" "cat"\nimport os\n',
    '"""Doc.""";\nimport os\n',
    '"""Doc."""; x = 1\nimport os\n',
    "import dockfix.runtime\nimport dockfix\n",
    "from dockfix import runtime\n",
    "import os\r\nx = 1\r\n",
    "import os\r\n\r\n# c\r\nx = 1\r\n",
    "import tests.support\nfrom tests.support import other as docker\n",
    "from subprocess import run\nimport functools\n",
    "import subprocess\n",
    "import subprocess  # keep\n\n\n@decorator\ndef f():\n    pass\n",
    "def f():\n\tpass\nimport os\n",
    "import os\n\n\n\n",
    "\n\n# trailing comment only\n",
]

ITEMS = [
    [("dockfix.runtime", "docker_executor")],
    [("subprocess", None)],
    [("functools", None), ("dockfix.runtime", "docker_executor")],
    [
        ("tests.support", "docker"),
        ("dockfix.runtime", "docker_executor"),
        ("dockfix.runtime", "aio"),
    ],
    [("subprocess", None), ("functools", None), ("dockfix.runtime", "docker_executor")],
    [("dockfix.runtime", "docker_executor"), ("dockfix.runtime", "docker_executor")],
]


def _items(pairs: list[tuple[str, Optional[str]]]) -> list[ImportItem]:
    return [ImportItem(module, obj) for module, obj in pairs]


def _oracle(module: cst.Module, items: list[ImportItem], package: Optional[str]) -> str:
    name = None if package is None else f"{package}.mod"
    context = CodemodContext(full_module_name=name, full_package_name=package)
    context.scratch[AddImportsVisitor.CONTEXT_KEY] = list(items)
    return AddImportsVisitor(context).transform_module(module).code


def _ours(module: cst.Module, items: list[ImportItem], package: Optional[str]) -> str:
    return add_imports(module, items, package, module.default_newline).code


def _compiles(code: str) -> bool:
    try:
        compile(code, "<module>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


def _same(source: str, items: list[ImportItem], package: Optional[str] = None) -> None:
    """Equal to the visitor, except where the visitor breaks a module that compiles (an
    import above a ``from __future__`` line): then ours must compile."""
    module = cst.parse_module(source)
    ours, oracle = _ours(module, items, package), _oracle(module, items, package)
    if _compiles(source) and not _compiles(oracle):
        assert _compiles(ours), ours
    else:
        assert ours == oracle
    assert module.code == source  # the input is not changed


@pytest.mark.parametrize(
    "source",
    [
        '"Doc" "string."\nfrom __future__ import annotations\nimport subprocess\n',
        "from __future__ import annotations; import os\nx = 1\n",
        '"Doc" "x"\nfrom __future__ import annotations\nfrom __future__ import division\n',
        '"Doc"; from __future__ import annotations\nimport os\n',  # found by a review
        '"Doc"; from __future__ import annotations; import os\nx = 1\n',
    ],
)
def test_never_above_a_future_import(source: str) -> None:
    """The one place ``add_imports`` departs from the visitor, whose output here does not
    compile: the new import goes after the ``from __future__`` lines."""
    module = cst.parse_module(source)
    items = _items([("dockfix.runtime", "docker_executor")])
    assert not _compiles(_oracle(module, items, None))
    ours = _ours(module, items, None)
    assert _compiles(ours)
    assert "from dockfix.runtime import docker_executor\n" in ours


@pytest.mark.parametrize("package", [None, "pkg.sub"])
@pytest.mark.parametrize("pairs", ITEMS, ids=lambda p: "+".join(f"{m}:{o}" for m, o in p))
@pytest.mark.parametrize("source", MODULES)
def test_table(source: str, pairs: list[tuple[str, Optional[str]]], package: Optional[str]) -> None:
    _same(source, _items(pairs), package)


def test_the_table_adds_merges_and_skips() -> None:
    """The table exercises each outcome (a test of the table, not of the code)."""
    item = _items([("dockfix.runtime", "docker_executor")])
    outcomes = set()
    for source in MODULES:
        module = cst.parse_module(source)
        out = _ours(module, item, None)
        if out == source:
            outcomes.add("present")
        elif "from dockfix.runtime import docker_executor, " in out:
            outcomes.add("merged")
        else:
            outcomes.add("added")
    assert outcomes == {"present", "merged", "added"}


FIXTURES = sorted((REPO / "fixtures").rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO / "fixtures")))
def test_fixtures(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for pairs in ITEMS:
        _same(source, _items(pairs))


@pytest.mark.parametrize(
    "item",
    [
        ImportItem("dockfix.runtime", "docker_executor", alias="de"),
        ImportItem("runtime", "x", relative=1),
        ImportItem("__future__", "annotations"),
    ],
)
def test_imports_the_engine_never_schedules_are_refused(item: ImportItem) -> None:
    module = cst.parse_module("import os\n")
    with pytest.raises(ValueError, match="not an import the engine schedules"):
        add_imports(module, [item], None, module.default_newline)


_LINES = [
    '"""Doc."""\n',
    "__strict__ = True\n",
    "import os\n",
    "import subprocess\n",
    "import subprocess as sp\n",
    "import functools\n",
    "import dockfix.runtime\n",
    "from dockfix.runtime import other\n",
    "from dockfix.runtime import docker_executor\n",
    "from dockfix.runtime import *\n",
    "from dockfix.runtime import (\n    other,\n)\n",
    "from tests.support import docker\n",
    "from . import x\n",
    "from .runtime import docker_executor\n",
    "from __future__ import annotations\n",
    "import os; x = 1\n",
    "x = 1\n",
    "\n",
    "# a comment\n",
    "def f():\n    import subprocess\n",
    "class A:\n    pass\n",
    "if x:\n    import functools\n",
]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.sampled_from(_LINES), max_size=8),
    pairs=st.lists(
        st.sampled_from(
            [
                ("dockfix.runtime", "docker_executor"),
                ("dockfix.runtime", "aio"),
                ("tests.support", "docker"),
                ("subprocess", None),
                ("functools", None),
            ]
        ),
        min_size=1,
        max_size=3,
    ),
    package=st.sampled_from([None, "pkg"]),
    crlf=st.booleans(),
)
def test_generated(
    lines: list[str], pairs: list[tuple[str, Optional[str]]], package: Optional[str], crlf: bool
) -> None:
    source = "".join(lines)
    if crlf:
        source = source.replace("\n", "\r\n")
    _same(source, _items(pairs), package)
