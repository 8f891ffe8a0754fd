"""Per-class caches for libcst's per-instance reflection.

Every libcst visitor instance looks itself up with ``dir``/``inspect.getmembers`` when it is
created or batched: ``MatcherDecoratableTransformer.__init__`` (our transformer, and the
import helpers) gathers decorated methods three times, and each metadata provider lists its
``visit_*``/``leave_*`` methods. On a small module that reflection costs more than the parse
and the traversal together (about 60 % of a 15-line module's analysis, measured with
cProfile: ~3 million ``getattr`` calls for 100 modules).

What it finds depends only on the class: methods and their decorator attributes are class
attributes. So the names are computed once per class, with the original functions on a real
instance, and every later instance only binds those names. The results are equal to what the
originals return (``tests/engine/test_cstfast.py`` compares them on every visitor class the
engine uses). ``install()`` is idempotent; it is a no-op when libcst's private functions are
not where this module expects them (a future libcst), which only costs speed.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import Any, Callable

_installed: set[str] = set()
_MATCHERS = "libcst.matchers._visitors"  # ~0.17 s to import: patched once something has


def install() -> None:
    """Replace libcst's reflection helpers by per-class cached equivalents (idempotent):
    the metadata providers' now, the matcher visitors' too once libcst's matchers are
    imported (``install_matchers``, which the import helpers call before using them)."""
    if "batched" not in _installed:
        _installed.add("batched")
        try:
            batched: Any = importlib.import_module("libcst._batched_visitor")
        except ImportError:  # pragma: no cover - libcst moved its internals
            return
        if hasattr(batched.BatchableCSTVisitor, "get_visitors"):
            batched.BatchableCSTVisitor.get_visitors = _cached_get_visitors(
                batched.BatchableCSTVisitor.get_visitors
            )
    if _MATCHERS in sys.modules:
        install_matchers()


def install_matchers() -> None:
    """The matcher visitors' part of ``install`` (imports libcst's matchers; idempotent)."""
    if "matchers" in _installed:
        return
    _installed.add("matchers")
    try:
        mv: Any = importlib.import_module(_MATCHERS)
    except ImportError:  # pragma: no cover - libcst moved its internals
        return
    names = (
        "_gather_matchers",
        "_gather_constructed_visit_funcs",
        "_gather_constructed_leave_funcs",
        "VISIT_POSITIVE_MATCHER_ATTR",
        "VISIT_NEGATIVE_MATCHER_ATTR",
        "CONSTRUCTED_VISIT_MATCHER_ATTR",
        "CONSTRUCTED_LEAVE_MATCHER_ATTR",
        "is_property",
    )
    if not all(hasattr(mv, name) for name in names):
        return  # pragma: no cover
    mv._gather_matchers = _cached_matchers(mv)
    mv._gather_constructed_visit_funcs = _cached_constructed(
        mv, mv._gather_constructed_visit_funcs, mv.CONSTRUCTED_VISIT_MATCHER_ATTR
    )
    mv._gather_constructed_leave_funcs = _cached_constructed(
        mv, mv._gather_constructed_leave_funcs, mv.CONSTRUCTED_LEAVE_MATCHER_ATTR
    )


def _decorated_names(mv: Any, obj: object, attrs: tuple[str, ...]) -> tuple[str, ...]:
    """The attribute names of ``obj`` (not properties) whose value carries one of ``attrs``."""
    found = []
    for name in dir(obj):
        if mv.is_property(obj, name):
            continue
        value = getattr(obj, name)
        if any(getattr(value, attr, None) for attr in attrs):
            found.append(name)
    return tuple(found)


def _cached_matchers(mv: Any) -> Callable[[object], dict[Any, None]]:
    attrs = (mv.VISIT_POSITIVE_MATCHER_ATTR, mv.VISIT_NEGATIVE_MATCHER_ATTR)
    cache: dict[type, tuple[str, ...]] = {}

    def gather(obj: object) -> dict[Any, None]:
        names = cache.get(type(obj))
        if names is None:
            names = cache[type(obj)] = _decorated_names(mv, obj, attrs)
        found: dict[Any, None] = {}
        for name in names:
            func = getattr(obj, name)
            for attr in attrs:
                for matcher in getattr(func, attr, []):
                    found[matcher] = None
        return found

    return gather


def _cached_constructed(
    mv: Any, original: Callable[[object], Any], attr: str
) -> Callable[[object], Any]:
    cache: dict[type, tuple[str, ...]] = {}

    def gather(obj: object) -> Any:
        names = cache.get(type(obj))
        if names is None:
            names = tuple(
                name
                for name in _decorated_names(mv, obj, (attr,))
                if inspect.ismethod(getattr(obj, name))
            )
            cache[type(obj)] = names
            return original(obj)  # the first instance of a class: libcst's own checks run
        found: dict[Any, tuple[Any, ...]] = {}
        for name in names:
            func = getattr(obj, name)
            for matcher in getattr(func, attr, []):
                found[matcher] = (*found.get(matcher, ()), func)
        return found

    return gather


def _cached_get_visitors(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cache: dict[type, tuple[str, ...]] = {}

    def get_visitors(self: Any) -> Any:
        names = cache.get(type(self))
        if names is None:
            names = cache[type(self)] = tuple(original(self))
        return {name: getattr(self, name) for name in names}

    return get_visitors
