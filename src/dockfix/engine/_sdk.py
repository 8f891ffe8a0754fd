"""Docker SDK calls: which receivers come from a Docker client, and the ``SdkCall`` rules read.

``Receivers`` traces an expression back to a Docker client: names bound from
``docker.from_env()`` / ``docker.DockerClient(...)`` / ``docker.APIClient(...)``,
``client.containers.get/run/create/list(...)`` and loops over them, ``client.api``,
``python_on_whales.docker`` or its ``DockerClient()``, ``aiodocker.Docker()`` and its
containers; parameters annotated with those classes; ``self.x`` attributes assigned from
them. Anything else (``process.kill()``, a module of one's own named ``docker``) has no
kind and stays quiet. Nothing is guessed from a spelling.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Callable, Optional

import libcst as cst
from libcst.metadata import Scope

from dockfix.rules._sdk import (
    AIODOCKER,
    API,
    CONTAINER,
    DOCKER_PY,
    VOLUME,
    WHALES,
    WHALES_CLI,
)

# A receiver kind: (library, what). ``what`` extends the rule-level receivers with the
# collections and lists the tracing walks through.
Kind = tuple[str, str]
CLIENT = "client"
CONTAINERS = "containers"  # client.containers
VOLUMES = "volumes"  # client.volumes
CONTAINER_LIST = "container-list"
VOLUME_LIST = "volume-list"
WHALES_SUB = "whales-sub"  # whales docker.container
AUTO_REMOVED = "auto-removed-container"  # run(..., remove=True): the daemon removes it on exit

_CONSTRUCTORS: dict[str, Kind] = {
    "docker.from_env": (DOCKER_PY, CLIENT),
    "docker.client.from_env": (DOCKER_PY, CLIENT),
    "docker.DockerClient": (DOCKER_PY, CLIENT),
    "docker.client.DockerClient": (DOCKER_PY, CLIENT),
    "docker.APIClient": (DOCKER_PY, API),
    "docker.api.APIClient": (DOCKER_PY, API),
    "docker.api.client.APIClient": (DOCKER_PY, API),
    "python_on_whales.DockerClient": (WHALES, CLIENT),
    "python_on_whales.docker_client.DockerClient": (WHALES, CLIENT),
    "aiodocker.Docker": (AIODOCKER, CLIENT),
    "aiodocker.docker.Docker": (AIODOCKER, CLIENT),
}
_NAMES: dict[str, Kind] = {"python_on_whales.docker": (WHALES, CLIENT)}
_ANNOTATIONS: dict[str, Kind] = {
    "docker.DockerClient": (DOCKER_PY, CLIENT),
    "docker.client.DockerClient": (DOCKER_PY, CLIENT),
    "docker.APIClient": (DOCKER_PY, API),
    "docker.models.containers.Container": (DOCKER_PY, CONTAINER),
    "docker.models.volumes.Volume": (DOCKER_PY, VOLUME),
    "python_on_whales.DockerClient": (WHALES, CLIENT),
    "python_on_whales.Container": (WHALES, CONTAINER),
    "aiodocker.Docker": (AIODOCKER, CLIENT),
    "aiodocker.containers.DockerContainer": (AIODOCKER, CONTAINER),
}
# (kind of the object, attribute) -> kind of the attribute
_ATTRIBUTES: dict[tuple[Kind, str], Kind] = {
    ((DOCKER_PY, CLIENT), "api"): (DOCKER_PY, API),
    ((DOCKER_PY, CLIENT), "containers"): (DOCKER_PY, CONTAINERS),
    ((DOCKER_PY, CLIENT), "volumes"): (DOCKER_PY, VOLUMES),
    ((AIODOCKER, CLIENT), "containers"): (AIODOCKER, CONTAINERS),
    ((WHALES, CLIENT), "container"): (WHALES, WHALES_SUB),
}
# (kind of the object, method) -> kind of what the call returns (None: see _call_kind)
_METHODS: dict[tuple[Kind, str], Kind] = {
    ((DOCKER_PY, CONTAINERS), "get"): (DOCKER_PY, CONTAINER),
    ((DOCKER_PY, CONTAINERS), "create"): (DOCKER_PY, CONTAINER),
    ((DOCKER_PY, CONTAINERS), "list"): (DOCKER_PY, CONTAINER_LIST),
    ((DOCKER_PY, VOLUMES), "get"): (DOCKER_PY, VOLUME),
    ((DOCKER_PY, VOLUMES), "create"): (DOCKER_PY, VOLUME),
    ((DOCKER_PY, VOLUMES), "list"): (DOCKER_PY, VOLUME_LIST),
    ((AIODOCKER, CONTAINERS), "get"): (AIODOCKER, CONTAINER),
    ((AIODOCKER, CONTAINERS), "create"): (AIODOCKER, CONTAINER),
    ((AIODOCKER, CONTAINERS), "run"): (AIODOCKER, CONTAINER),
    ((AIODOCKER, CONTAINERS), "create_or_replace"): (AIODOCKER, CONTAINER),
    ((AIODOCKER, CONTAINERS), "container"): (AIODOCKER, CONTAINER),
    ((AIODOCKER, CONTAINERS), "list"): (AIODOCKER, CONTAINER_LIST),
    ((WHALES, CLIENT), "create"): (WHALES, CONTAINER),
    ((WHALES, CLIENT), "ps"): (WHALES, CONTAINER_LIST),
    ((WHALES, WHALES_SUB), "create"): (WHALES, CONTAINER),
    ((WHALES, WHALES_SUB), "inspect"): (WHALES, CONTAINER),
    ((WHALES, WHALES_SUB), "list"): (WHALES, CONTAINER_LIST),
}
# ``run`` returns a container only when detached (otherwise the logs).
_DETACHED_RUN = {(DOCKER_PY, CONTAINERS), (WHALES, CLIENT), (WHALES, WHALES_SUB)}
_ELEMENTS = {CONTAINER_LIST: CONTAINER, VOLUME_LIST: VOLUME}
# Lookups that may run twice (a second GET of the same object) when a call is split.
_LOOKUPS = frozenset({"get", "inspect", "container"})
# The receivers rules see: the kinds SDK methods are called on.
_RECEIVERS = frozenset({CONTAINER, VOLUME, API})

Binding = tuple[str, cst.BaseExpression]  # ("value" | "iter", expression)


@dataclass
class Receivers:
    """Traces expressions back to a Docker client. Fill it with ``Collector`` first."""

    qualified: Callable[[cst.CSTNode], frozenset[str]]
    scope_of: Callable[[cst.CSTNode], Optional[Scope]]
    code_for: Callable[[cst.CSTNode], str]

    def __post_init__(self) -> None:
        self.bound: dict[int, Binding] = {}  # id(target Name) -> binding
        self.params: dict[int, cst.Param] = {}
        self.attributes: dict[str, list[Binding]] = {}  # "self.client" -> bindings
        self.fixtures: dict[str, list[cst.BaseExpression]] = {}  # pytest fixture -> its values
        self.injected: set[int] = set()  # id(Param) of tests and fixtures: pytest fills them
        self._memo: dict[int, Optional[Kind]] = {}

    def kind(self, node: cst.BaseExpression) -> Optional[Kind]:
        key = id(node)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # a cycle resolves to "unknown"
        found = self._kind(node)
        self._memo[key] = found
        return found

    def _kind(self, node: cst.BaseExpression) -> Optional[Kind]:
        if isinstance(node, cst.Await):
            return self.kind(node.expression)
        if isinstance(node, (cst.Name, cst.Attribute)):
            for name in self.qualified(node):
                if name in _NAMES:
                    return _NAMES[name]
        if isinstance(node, cst.Name):
            return self._name_kind(node)
        if isinstance(node, cst.Attribute):
            base = self.kind(node.value)
            if base is not None:
                return _ATTRIBUTES.get((base, node.attr.value))
            bindings = self.attributes.get(self.code_for(node))
            return self._agree(bindings) if bindings else None
        if isinstance(node, cst.Call):
            return self._call_kind(node)
        if isinstance(node, cst.Subscript):
            return self._element(self.kind(node.value))
        return None

    def _name_kind(self, node: cst.Name) -> Optional[Kind]:
        scope = self.scope_of(node)
        if scope is None:
            return None
        kinds: list[Optional[Kind]] = []
        for assignment in scope[node.value]:
            target = getattr(assignment, "node", None)
            if isinstance(target, cst.Name) and id(target) in self.bound:
                kinds.append(self._binding_kind(self.bound[id(target)]))
            elif isinstance(target, cst.Param) and id(target) in self.params:
                kinds.append(self._annotation_kind(self.params[id(target)]))
            else:
                return None
        return _same(kinds)

    def _agree(self, bindings: Iterable[Binding]) -> Optional[Kind]:
        return _same([self._binding_kind(b) for b in bindings])

    def _binding_kind(self, binding: Binding) -> Optional[Kind]:
        how, value = binding
        found = self.kind(value)
        return self._element(found) if how == "iter" else found

    def _annotation_kind(self, param: cst.Param) -> Optional[Kind]:
        if param.annotation is None:
            return self._fixture_kind(param)
        return self._type_kind(param.annotation.annotation)

    def _type_kind(self, node: cst.BaseExpression) -> Optional[Kind]:
        """``Container``, ``Optional[Container]``, ``Container | None``."""
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            sides = [node.left, node.right]
            kinds = [self._type_kind(n) for n in sides if not _is_none(n)]
            return kinds[0] if len(kinds) == 1 else None
        if isinstance(node, cst.Subscript) and "typing.Optional" in self.qualified(node.value):
            element = node.slice[0].slice if len(node.slice) == 1 else None
            return self._type_kind(element.value) if isinstance(element, cst.Index) else None
        for name in self.qualified(node):
            if name in _ANNOTATIONS:
                return _ANNOTATIONS[name]
        return None

    def _fixture_kind(self, param: cst.Param) -> Optional[Kind]:
        """A test or fixture parameter named after a pytest fixture of this module."""
        if id(param) not in self.injected:
            return None
        values = self.fixtures.get(param.name.value)
        return self._agree(("value", v) for v in values) if values else None

    def _call_kind(self, node: cst.Call) -> Optional[Kind]:
        for name in self.qualified(node.func):
            if name in _CONSTRUCTORS:
                return _CONSTRUCTORS[name]
        func = node.func
        if not isinstance(func, cst.Attribute):
            return None
        base = self.kind(func.value)
        if base is None:
            return None
        method = func.attr.value
        if method == "run" and base in _DETACHED_RUN:
            if not _keyword_true(node, "detach"):
                return None
            auto = _keyword_true(node, "remove") or _keyword_true(node, "auto_remove")
            return (base[0], AUTO_REMOVED if auto else CONTAINER)
        found = _METHODS.get((base, method))
        if found == (AIODOCKER, CONTAINER) and method in ("run", "create") and _auto_config(node):
            return (AIODOCKER, AUTO_REMOVED)
        return found

    @staticmethod
    def _element(kind: Optional[Kind]) -> Optional[Kind]:
        if kind is None or kind[1] not in _ELEMENTS:
            return None
        return (kind[0], _ELEMENTS[kind[1]])

    # -- what a rule sees --------------------------------------------------------------
    def receiver(self, func: cst.BaseExpression) -> Optional[tuple[Kind, tuple[str, ...]]]:
        """For ``x.method``: the rule-level receiver kind and the path after the base."""
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        owner = func.value
        kind = self.kind(owner)
        if kind is None:
            return None
        if kind == (WHALES, CLIENT):
            return (WHALES, WHALES_CLI), (method,)
        if kind == (WHALES, WHALES_SUB) and isinstance(owner, cst.Attribute):
            return (WHALES, WHALES_CLI), (owner.attr.value, method)
        if kind[1] == AUTO_REMOVED:
            return (kind[0], AUTO_REMOVED), (method,)
        if kind[1] in _RECEIVERS:
            return kind, (method,)
        return None

    def repeatable(self, node: cst.BaseExpression) -> bool:
        """Can ``node`` be evaluated twice with the same meaning (no call that acts)?"""
        if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.Attribute):
            return self.repeatable(node.value)
        if isinstance(node, cst.Subscript):
            return self.repeatable(node.value) and all(
                isinstance(s.slice, cst.Index) and self.repeatable(s.slice.value)
                for s in node.slice
            )
        if isinstance(node, (cst.List, cst.Tuple)):
            return all(self.repeatable(e.value) for e in node.elements)
        if isinstance(node, cst.FormattedString):
            return all(
                isinstance(p, cst.FormattedStringText)
                or (isinstance(p, cst.FormattedStringExpression) and self.repeatable(p.expression))
                for p in node.parts
            )
        if isinstance(node, cst.ConcatenatedString):
            return self.repeatable(node.left) and self.repeatable(node.right)
        if isinstance(node, cst.Await):
            return self.repeatable(node.expression)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            # a second lookup (`client.containers.get(name)`) reads the same object
            return (
                node.func.attr.value in _LOOKUPS
                and self.kind(node.func.value) is not None
                and self.repeatable(node.func.value)
                and all(self.repeatable(a.value) for a in node.args)
            )
        return False


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _same(kinds: list[Optional[Kind]]) -> Optional[Kind]:
    if not kinds or any(k is None for k in kinds):
        return None
    return kinds[0] if all(k == kinds[0] for k in kinds) else None


def _auto_config(node: cst.Call) -> bool:
    """aiodocker ``run(config={"HostConfig": {"AutoRemove": True}})`` (a literal config)."""
    config = node.args[0].value if node.args and node.args[0].keyword is None else None
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == "config":
            config = arg.value
    host = _dict_value(config, "HostConfig")
    auto = _dict_value(host, "AutoRemove")
    return isinstance(auto, cst.Name) and auto.value == "True"


def _dict_value(node: Optional[cst.BaseExpression], key: str) -> Optional[cst.BaseExpression]:
    if not isinstance(node, cst.Dict):
        return None
    for element in node.elements:
        name = element.key if isinstance(element, cst.DictElement) else None
        if isinstance(name, cst.SimpleString) and name.evaluated_value == key:
            return element.value
    return None


def _keyword_true(node: cst.Call, name: str) -> bool:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return isinstance(arg.value, cst.Name) and arg.value.value == "True"
    return False
