"""Properties over every case of every rule, and over generated modules."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import hypothesis
import libcst as cst
import pytest
from hypothesis import strategies as st

from dockfix.engine import Settings, analyze, prefilter
from dockfix.rules import ALL_RULES

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted({case.code for rule in ALL_RULES for case in (*rule.VALID, *rule.INVALID)})


def _without_triggers(text: str) -> str:
    for rule in ALL_RULES:
        for trigger in rule.TRIGGERS:
            text = text.replace(trigger.decode(), "dokker")
    return text


def _none(finding: object) -> bool:
    return False


@pytest.mark.parametrize("src", SOURCES, ids=lambda s: str(SOURCES.index(s)))
def test_no_trigger_means_no_finding(src: str) -> None:
    """The CLI's byte prefilter relies on this: each rule's TRIGGERS are exact."""
    stripped = _without_triggers(src).encode()
    assert not prefilter(stripped, Settings())
    assert analyze(stripped, Settings(), accept=_none).findings == ()
    codes = {f.code for f in analyze(src.encode(), Settings(), accept=_none).findings}
    for code in codes:
        assert prefilter(src.encode(), Settings(select=frozenset({code})))


SNIPPETS = [
    'subprocess.run(["docker", "rm", "-f", c])',
    'rc = subprocess.call(["docker", "kill", c])',
    'subprocess.check_call(["docker", "volume", "rm", "-f", v])',
    'out = subprocess.check_output(["docker", "ps"], text=True)',
    'subprocess.run(["docker", "network", "rm", "-f", n])',
    'subprocess.run(["git", "status"])',
    'subprocess.Popen(["docker", "logs", "-f", c])',
    'x = [subprocess.call(["docker", "rm", "-fv", c]) for c in cs]',
    'subprocess.run(\n    ["docker", "rm", "-f", c],  # why\n    check=True,\n)',
    'subprocess.run(["docker", "rm", "-f", c])  # dockfix: ignore',
    'if subprocess.call(["docker", "kill", c]):\n    pass',
    "def f(c):\n    return subprocess.run(['docker', 'rm', '--force', c]).returncode",
]


@pytest.mark.parametrize("seed", range(12))
def test_generated_modules_stay_valid_and_stable(seed: int) -> None:
    rng = random.Random(seed)
    header = rng.choice(
        ["import subprocess\n", "import os\nimport subprocess\n", "import subprocess  # run\n"]
    )
    body = "\n".join(rng.choice(SNIPPETS) for _ in range(rng.randint(1, 6)))
    newline = rng.choice(["\n", "\r\n"])
    src = (header + "\n" + body + "\n").replace("\n", newline).encode()
    settings = dataclasses.replace(Settings(), stop_timeout=rng.choice([10, 20]))
    keys = [f.key for f in analyze(src, settings).findings if f.fixable]
    chosen = {k for k in keys if rng.random() < 0.5}
    result = analyze(src, settings, accept=lambda f: f.key in chosen)
    assert result.error is None
    cst.parse_module(result.fixed)
    assert set(result.applied) == chosen
    if chosen:
        assert result.fixed.count(b"from dockfix.runtime import docker_executor") == 1
    else:
        assert result.fixed == src
    assert (b"\r\n" in result.fixed) == (newline == "\r\n")
    final = analyze(result.fixed, settings)
    assert analyze(final.fixed, settings).fixed == final.fixed


def test_own_code_is_clean() -> None:
    """`dockfix check` on this repository's src/ and tests/ finds nothing pending."""
    settings = Settings()
    for path in sorted([*REPO.glob("src/**/*.py"), *REPO.glob("tests/**/*.py")]):
        result = analyze(path.read_bytes(), settings, path=str(path), accept=_none)
        assert result.error is None, path
        assert result.findings == (), (path, result.findings)


_TOKENS = [
    "import subprocess\n",
    "import os\n",
    'subprocess.run(["docker", "rm", "-f", c])\n',
    'subprocess.call(["docker", "kill", c])\n',
    "os.system('docker ps')\n",
    "def f(",
    "):\n    ",
    "  # dockfix: ignore\n",
    "(",
    ")",
    "[",
    "]",
    '"docker"',
    ", ",
    "\r\n",
    "\\\n",
    "\t",
    "'",
    "lambda: ",
    "x = ",
]


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(st.lists(st.sampled_from(_TOKENS), max_size=12), st.binary(max_size=20))
def test_never_raises_never_damages(tokens: list[str], noise: bytes) -> None:
    src = "".join(tokens).encode() + noise
    result = analyze(src, Settings())
    if result.error is not None or not result.applied:
        assert result.fixed == src
    else:
        cst.parse_module(result.fixed)
        again = analyze(result.fixed, Settings())
        assert again.fixed == result.fixed


def test_prescan_never_hides_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the ``ast`` prescan skips a file, the full pass finds nothing either."""
    from dockfix.engine import _analyze

    skipped = [s for s in SOURCES if not _analyze._candidates(s.encode(), ALL_RULES, Settings())]
    assert skipped, "the prescan should skip some of the cases"
    monkeypatch.setattr(_analyze, "_candidates", lambda *args: True)
    for src in skipped:
        assert analyze(src.encode(), Settings(), accept=_none).findings == (), src


# The engine learns what a name holds through more than assignments; the prescan once
# missed these (the full pass found them): bytes, ``+=`` and ``.append`` into an argv.
_FLOWS = [
    "import subprocess\ndef f(c):\n    subprocess.run([b'docker', b'rm', b'-f', c])\n",
    "import subprocess\ndef f(c):\n    cmd = []\n    cmd += ['docker', 'rm', '-f', c]\n    subprocess.run(cmd)\n",  # noqa: E501
    "import subprocess\ndef f(c):\n    cmd = []\n    cmd.append('docker')\n    cmd.extend(['rm', '-f', c])\n    subprocess.run(cmd)\n",  # noqa: E501
]


# ... and a file in another encoding (the prescan reads the arguments' source text)
_ENCODED = [
    (
        "# -*- coding: koi8-r -*-\nimport subprocess\n"
        "x = 'Привет'; subprocess.run(['docker', 'rm', '-f', 'Ж'])\n"
    ).encode("koi8-r"),
    "#coding:latin1\r\nimport subprocess\r\nsubprocess.run(['docker', 'kill', 'é'])\r\n".encode(
        "latin-1"
    ),
    "\ufeffimport subprocess; subprocess.run(['docker', 'rm', '-f', 'c'])\n".encode("utf-8"),
]


@pytest.mark.parametrize("src", [s.encode() for s in _FLOWS] + _ENCODED)
def test_prescan_sees_every_flow(src: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockfix.engine import _analyze, report_only

    assert _analyze._candidates(src, ALL_RULES, Settings())
    for accept in (_none, report_only, None):
        found = analyze(src, Settings(), accept=accept)
        monkeypatch.setattr(_analyze, "_candidates", lambda *args: True)
        monkeypatch.setenv("DOCKFIX_NO_REDUCE", "1")
        assert found == analyze(src, Settings(), accept=accept)
        assert found.findings
        monkeypatch.undo()
