"""``_walk`` gives what ``ast.walk`` / ``ast.iter_child_nodes`` give, less the ctx markers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dockfix.engine._walk import children, walk

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPO / "fixtures").rglob("*.py")) + sorted((REPO / "src").rglob("*.py"))
_CTX = (ast.Load, ast.Store, ast.Del)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_same_nodes_in_the_same_order(path: Path) -> None:
    try:
        tree = ast.parse(path.read_bytes())
    except SyntaxError:
        pytest.skip("a fixture that does not parse")
    expected = [node for node in ast.walk(tree) if not isinstance(node, _CTX)]
    assert walk(tree) == expected
    for node in expected:
        assert children(node) == [
            child for child in ast.iter_child_nodes(node) if not isinstance(child, _CTX)
        ]
