"""``[tool.dockfix]`` in ``pyproject.toml``: found, read and validated once.

The first ``pyproject.toml`` holding a ``[tool.dockfix]`` table, walking up from the
first path given, is the configuration; its folder is the project root that
``exclude`` globs are relative to. A bad value raises :class:`ConfigError` naming the key.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from dockfix.engine._types import DEFAULT_EXECUTOR, Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

KEYS = ("select", "ignore", "exclude", "stop-timeout", "executor", "runner", "include-non-python")
_CODE = re.compile(r"^[A-Z]+[0-9]*$")


class ConfigError(Exception):
    """A configuration file or value that cannot be used. The message names the key."""


@dataclass(frozen=True)
class Config:
    """Everything the CLI reads from configuration."""

    settings: Settings = field(default_factory=Settings)
    exclude: tuple[str, ...] = ()
    root: Optional[Path] = None  # folder of the pyproject.toml used, if any
    source: Optional[Path] = None  # the pyproject.toml used, if any
    include_non_python: bool = False  # also report in shell, Makefile, YAML, Dockerfile


def find_pyproject(start: Path) -> Optional[Path]:
    """The first ``pyproject.toml`` with a ``[tool.dockfix]`` table at or above ``start``."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        here = start.absolute()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and b"[tool.dockfix" in _read(candidate):
            return candidate
    return None


def load_config(start: Path, explicit: Optional[Path] = None) -> Config:
    """Read the configuration that applies to ``start`` (or the ``explicit`` file)."""
    path = explicit if explicit is not None else find_pyproject(start)
    if path is None:
        return Config()
    try:
        document = tomllib.loads(_read(path).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    table = document.get("tool", {}).get("dockfix", {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.dockfix] must be a table")
    return parse_table(table, path)


def parse_table(table: Mapping[str, Any], path: Path) -> Config:
    """Validate a ``[tool.dockfix]`` table."""
    where = f"{path}: [tool.dockfix]"
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where} {unknown[0]}: unknown key (known: {', '.join(KEYS)})")
    select = table.get("select")
    settings = Settings(
        select=None if select is None else frozenset(_codes(where, "select", select)),
        ignore=frozenset(_codes(where, "ignore", table.get("ignore", []))),
        stop_timeout=_timeout(where, table.get("stop-timeout", 10)),
        executor=_target(where, table.get("executor", DEFAULT_EXECUTOR)),
        runner=_optional_target(where, table.get("runner")),
    )
    exclude = tuple(_strings(where, "exclude", table.get("exclude", [])))
    include_non_python = table.get("include-non-python", False)
    if not isinstance(include_non_python, bool):
        raise ConfigError(f"{where} include-non-python: expected true or false")
    return Config(
        settings=settings,
        exclude=exclude,
        root=path.parent.resolve(),
        source=path,
        include_non_python=include_non_python,
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def _strings(where: str, key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} {key}: expected a list of strings, got {value!r}")
    return list(value)


def _codes(where: str, key: str, value: object) -> list[str]:
    codes = _strings(where, key, value)
    for code in codes:
        if not _CODE.match(code):
            raise ConfigError(f"{where} {key}: {code!r} is not a rule code or prefix (like DF001)")
    return codes


def _timeout(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(
            f"{where} stop-timeout: expected a whole number of seconds >= 0, got {value!r}"
        )
    return value


def _dotted(text: str) -> bool:
    """Whether ``text`` is a dotted name Python takes: identifiers, no keyword."""
    return all(part.isidentifier() and not keyword.iskeyword(part) for part in text.split("."))


def _importable(text: str) -> bool:
    """Whether ``module:object`` can be written ``from module import object``."""
    module, colon, obj = text.partition(":")
    return bool(colon) and _dotted(module) and _dotted(obj) and module != "__future__"


def _target(where: str, value: object) -> str:
    if not isinstance(value, str) or not _importable(value):
        raise ConfigError(
            f"{where} executor: expected 'module:object' (dotted names, no keyword), got {value!r}"
        )
    return value


def _optional_target(where: str, value: object) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str) or not (_importable(value) if ":" in value else _dotted(value)):
        raise ConfigError(
            f"{where} runner: expected a dotted name ('self.run_docker') or 'module:callable',"
            f" got {value!r}"
        )
    return value


def with_overrides(
    config: Config, *, select: Optional[list[str]], ignore: Optional[list[str]]
) -> Config:
    """Apply ``--select``/``--ignore`` from the command line (validated like the file)."""
    settings = config.settings
    if select:
        codes = _codes("--select", "option", _split(select))
        settings = _replace(settings, select=frozenset(codes))
    if ignore:
        codes = _codes("--ignore", "option", _split(ignore))
        settings = _replace(settings, ignore=settings.ignore | frozenset(codes))
    return dataclasses.replace(config, settings=settings)


def _split(values: list[str]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _replace(settings: Settings, **changes: Any) -> Settings:
    return dataclasses.replace(settings, **changes)
