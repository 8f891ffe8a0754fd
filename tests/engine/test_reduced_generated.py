"""Generated modules: the reduced module gives exactly the full module's ``FileResult``.

Each module is a random sequence of top-level statements drawn from ``STATEMENTS``: docker
calls and the statements they can depend on through shared names (argv variables, flags,
aliases of subprocess functions, rebindings in ``if``/``global``/walrus/``del``, other uses
of an argv variable), mixed with unrelated definitions the reduction stubs. The full and the
reduced analysis must agree in check mode and in fix mode.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockfix.engine import Settings, analyze, report_only

STATEMENTS = [
    '"""Docstring."""',
    "import subprocess",
    "import subprocess as sp",
    "from subprocess import run",
    "from subprocess import check_call as run",
    "import os",
    "CMD = ['docker', 'rm', '-f', 'box']",
    "CMD = ['ls']",
    "CMD = CMD + [FLAG]",
    "CMD += ['-f']",
    "FLAG = '-f'",
    "FLAG = '--time'",
    "D = 'docker'",
    "ARGS = [D, 'kill', 'box']",
    "name = 'box'",
    "def run(*args, **kwargs):\n    return None",
    "def helper(c):\n    return subprocess.run(CMD, check=True)",
    "def rebind():\n    global CMD\n    CMD = ['docker', 'kill', 'box']",
    "def uses():\n    print(CMD)",
    "def walrus(a=(FLAG := '-f')):\n    pass",
    "if name:\n    from os import system as run",
    "class K:\n    CMD = ['docker', 'rm', '-f']\n\n    def m(self):\n        return subprocess.run(self.CMD)",  # noqa: E501
    "class Other:\n    def method(self, name):\n        return [name for name in range(3)]",
    "subprocess.run(CMD)",
    "subprocess.run(['docker', 'rm', FLAG, name], check=True)",
    "sp.run(['docker', 'rm', '-f', name], capture_output=True)",
    "run(CMD, timeout=30)",
    "run(ARGS)",
    "os.system('docker rm -f box')",
    "def go(name):\n    result = subprocess.run(['docker', 'rm', '-f', name])\n    return result",
    "def go2(c=name):\n    subprocess.check_call([D, 'volume', 'rm', '-f', c])",
    "del FLAG",
    "for name in ('a', 'b'):\n    pass",
    "try:\n    import shlex\nexcept ImportError:\n    shlex = None",
    "subprocess.run(['docker', 'kill', name])  # dockfix: ignore",
    "x = [1, 2, 3]\ny = x",
    "CMD.append('-f')",
    "S = 'docker rm -f box'",
    "import shlex",
    "subprocess.run(shlex.split(S))",
    "subprocess.run(S, shell=True)",
    "if name:\n    CMD = ['docker', 'kill', 'box']",
    "def later():\n    subprocess.run(CMD)",
    "with open(name) as name:\n    pass",
    "@decorator\ndef decorated():\n    '''Lines\n    of docstring.'''\n    return 1",
]


def _module(indices: list[int], crlf: bool) -> bytes:
    text = "\n\n".join(STATEMENTS[i] for i in indices) + "\n"
    return (text.replace("\n", "\r\n") if crlf else text).encode()


def _analyse(source: bytes, accept: Any, reduced: bool, monkeypatch: Any) -> Any:
    if reduced:
        monkeypatch.delenv("DOCKFIX_NO_REDUCE", raising=False)
    else:
        monkeypatch.setenv("DOCKFIX_NO_REDUCE", "1")
    try:
        return analyze(source, Settings(), path="m.py", accept=accept)
    finally:
        monkeypatch.delenv("DOCKFIX_NO_REDUCE", raising=False)


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    indices=st.lists(st.integers(0, len(STATEMENTS) - 1), min_size=2, max_size=12),
    crlf=st.booleans(),
)
def test_generated_modules_reduce_exactly(indices: list[int], crlf: bool, monkeypatch: Any) -> None:
    source = _module(indices, crlf)
    for accept in (lambda f: False, report_only, None):
        reduced = _analyse(source, accept, True, monkeypatch)
        full = _analyse(source, accept, False, monkeypatch)
        assert reduced == full, source.decode()


# One module per way a statement without docker can change the findings. The rules of
# ``_reduce._close`` overlap (a name passed to a docker call is also looked up by it, and
# a name bound by a docker statement is also "marked"), so a scenario may hold with one
# rule left out; leaving out the lookups, the marks or the nested lists each fails some.
SCENARIOS = {
    # a value the docker call reads, bound where no trigger is
    "binding": "import subprocess\nFLAG = '-f'\ndef pad(): pass\nsubprocess.run(['docker', 'rm', FLAG, 'x'])\n",  # noqa: E501
    "binding-in-def": "import subprocess\nFLAG = '-f'\ndef go():\n    subprocess.run(['docker', 'rm', FLAG, 'x'])\n",  # noqa: E501
    # another use of an argv variable (variable-once vs variable)
    "uses": "import subprocess\nCMD = ['docker', 'rm', '-f', 'x']\ndef other():\n    print(CMD)\ndef go():\n    subprocess.run(CMD)\n",  # noqa: E501
    # a statement between the assignment and the call that mentions the argv
    "between": "import subprocess\nS = 'docker rm -f x'\ndef f():\n    print(S)\nsubprocess.run(S, shell=True)\n",  # noqa: E501
    "between-list": "import subprocess\nCMD = ['docker', 'rm', 'x']\nclass K:\n    CMD.append('-f')\nsubprocess.run(CMD)\n",  # noqa: E501
    # a call without a trigger whose argv comes from a docker statement
    "marked": "import subprocess\nD = 'docker'\ndef pad(): pass\ndef go():\n    subprocess.run([D, 'rm', '-f', 'x'])\n",  # noqa: E501
    # a list assigned inside an earlier definition (reported by the data flow)
    "nested": "from subprocess import run\nclass K:\n    CMD = ['docker', 'rm', '-f']\nrun(CMD, timeout=30)\n",  # noqa: E501
    # a definition looked up by the docker statement: bound once, as a function
    "named": "import subprocess\ndef run(*a): pass\nrun(['docker', 'rm', '-f', 'x'])\n",
}


@pytest.mark.parametrize("text", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_scenarios_reduce_exactly(text: str, monkeypatch: Any) -> None:
    source = ('"""Doc."""\n' + text).encode()
    for accept in (lambda f: False, report_only, None):
        reduced = _analyse(source, accept, True, monkeypatch)
        full = _analyse(source, accept, False, monkeypatch)
        assert reduced == full
