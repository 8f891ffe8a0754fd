"""A fix changes only the lines it touches, even where libcst does not render a file as it is.

libcst 1.9 drops the space in ``except (A, B) :`` when it writes a module back. The engine
takes every line the fix leaves alone from the source, so such a line elsewhere in the file
stays as it was; a fix that would have to rewrite such a line is refused (file unchanged,
the finding reported with the reason). Both with and without the reduced module.
"""

from __future__ import annotations

from typing import Any

import libcst as cst
import pytest

from dockfix.engine import Settings, analyze

LOSSY = "try:\n    pass\nexcept (OSError, ValueError) :\n    pass\n"
FAR = (
    "import subprocess\n\n"
    + LOSSY
    + "\n\ndef gone(c):\n    subprocess.run(['docker', 'rm', '-f', c])\n"
)
NEAR = (
    "import subprocess\n\n"
    "try:\n    pass\n"
    "except (OSError, ValueError) : subprocess.run(['docker', 'rm', '-f', c])\n"
)


def test_libcst_still_drops_the_space() -> None:
    # If this fails, libcst renders the line exactly now; the tests below still hold.
    if cst.parse_module(LOSSY).code == LOSSY:
        pytest.skip("libcst reproduces `except (...) :` now")
    assert cst.parse_module(LOSSY).code != LOSSY


@pytest.mark.parametrize("reduce", [True, False], ids=["reduced", "full"])
def test_untouched_lines_stay_byte_for_byte(reduce: bool, monkeypatch: Any) -> None:
    if not reduce:
        monkeypatch.setenv("DOCKFIX_NO_REDUCE", "1")
    result = analyze(FAR.encode(), Settings(), path="m.py")
    assert result.error is None
    assert result.applied
    assert b"except (OSError, ValueError) :\n" in result.fixed
    assert b"'-f'" not in result.fixed


@pytest.mark.parametrize("reduce", [True, False], ids=["reduced", "full"])
def test_a_fix_on_a_line_libcst_changes_is_refused(reduce: bool, monkeypatch: Any) -> None:
    if not reduce:
        monkeypatch.setenv("DOCKFIX_NO_REDUCE", "1")
    source = NEAR.encode()
    result = analyze(source, Settings(), path="m.py")
    if cst.parse_module(NEAR).code == NEAR:
        pytest.skip("libcst reproduces `except (...) :` now")
    assert result.fixed == source
    assert not result.applied
    assert result.error is not None
    assert "libcst does not reproduce" in result.error
    assert [f.code for f in result.findings] == ["DF001"]


FORM_FEED = [  # a form feed in the indentation of the first indented block
    (
        "import subprocess\n\ndef f():\n\f    subprocess.run(['docker', 'rm', '-f', c])\n",
        "from dockfix.runtime import docker_executor\n\n"
        "def f():\n\f    docker_executor.stop_and_remove(c)\n",
    ),
    (
        "import os\nimport subprocess\n\nclass A:\n\f  def f(self):\n\f    return 1\n\n"
        "def g(c):\n  subprocess.run(['docker', 'kill', c])\n  return os.sep\n",
        "import os\nfrom dockfix.runtime import docker_executor\n\nclass A:\n\f  def f(self):\n"
        "\f    return 1\n\ndef g(c):\n  docker_executor.stop(c)\n  return os.sep\n",
    ),
]


@pytest.mark.parametrize("reduce", [True, False], ids=["reduced", "full"])
@pytest.mark.parametrize(("source", "expected"), FORM_FEED)
def test_a_form_feed_in_the_first_indent_is_kept(
    source: str, expected: str, reduce: bool, monkeypatch: Any
) -> None:
    """libcst takes the form feed into the module's indent, which its own helpers then
    refuse to parse the new import with (it was an internal error); the file keeps it."""
    if not reduce:
        monkeypatch.setenv("DOCKFIX_NO_REDUCE", "1")
    result = analyze(source.encode(), Settings(), path="m.py")
    assert result.error is None
    assert result.fixed.decode() == expected
    assert [f.fixable for f in result.findings] == [True]
