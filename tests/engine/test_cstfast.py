"""The per-class reflection caches of ``_cstfast`` give what libcst's own functions give."""

from __future__ import annotations

from typing import Any

import libcst as cst
import libcst.matchers as m
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, GatherImportsVisitor, RemoveImportsVisitor
from libcst.metadata import ParentNodeProvider, QualifiedNameProvider, ScopeProvider

import dockfix.engine._pass  # noqa: F401  (installs the caches)
from dockfix.engine._cstfast import install
from dockfix.engine._transformer import Transformer
from dockfix.engine._types import Settings


class _Decorated(m.MatcherDecoratableTransformer):
    """Uses every kind of decorator the caches handle."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    @m.call_if_inside(m.FunctionDef())
    @m.visit(m.Name("x"))
    def _x(self, node: cst.Name) -> None:
        self.seen.append("visit x")

    @m.leave(m.Name("y"))
    def _y(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        self.seen.append("leave y")
        return updated.with_changes(value="z")


def _instances() -> list[Any]:
    context = CodemodContext()
    return [
        Transformer(context, Settings(), None),
        AddImportsVisitor(context),
        RemoveImportsVisitor(context),
        GatherImportsVisitor(context),
        _Decorated(),
    ]


def _originals() -> Any:
    """libcst's functions, from a fresh copy of the modules (the installed ones are patched)."""
    import importlib.util
    import sys

    found = {}
    for name in ("libcst.matchers._visitors", "libcst._batched_visitor"):
        spec = importlib.util.find_spec(name)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        saved = sys.modules.get(name)
        try:
            spec.loader.exec_module(module)
        finally:
            if saved is not None:
                sys.modules[name] = saved
        found[name] = module
    return found


@pytest.mark.parametrize("index", range(5))
def test_gathered_matchers_and_functions_are_libcsts(index: int) -> None:
    install()
    originals = _originals()["libcst.matchers._visitors"]
    import libcst.matchers._visitors as patched

    for _ in range(2):  # the first instance fills the cache, the second reads it
        obj = _instances()[index]
        for name in (
            "_gather_matchers",
            "_gather_constructed_visit_funcs",
            "_gather_constructed_leave_funcs",
        ):
            assert getattr(patched, name)(obj) == getattr(originals, name)(obj), name


def test_batched_visitor_methods_are_libcsts() -> None:
    install()
    original = _originals()["libcst._batched_visitor"].BatchableCSTVisitor.get_visitors
    for provider in (ScopeProvider, QualifiedNameProvider, ParentNodeProvider):  # batchable
        for _ in range(2):
            visitor = provider()
            assert visitor.get_visitors() == original(visitor)


def test_decorated_visitor_still_runs() -> None:
    install()
    visitor = _Decorated()
    code = "def f():\n    return x + y\nx\n"
    out = cst.parse_module(code).visit(visitor)
    assert visitor.seen == ["visit x", "leave y"]
    assert out.code == "def f():\n    return x + z\nx\n"
