"""The prefilter's static trigger table is the registry's."""

from __future__ import annotations

from dockfix.engine._triggers import TRIGGERS
from dockfix.rules import ALL_RULES


def test_trigger_table_is_the_registry() -> None:
    assert list(TRIGGERS) == [rule.CODE for rule in ALL_RULES]
    for rule in ALL_RULES:
        assert TRIGGERS[rule.CODE] == rule.TRIGGERS, rule.CODE


def test_prefilter_does_not_import_the_rules() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dockfix.engine import Settings, prefilter\n"
        "prefilter(b'docker', Settings())\n"
        "print(sorted(m for m in sys.modules if m.startswith('dockfix.rules')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
