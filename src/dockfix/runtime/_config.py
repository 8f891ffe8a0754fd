"""Executor settings: constructor arguments first, then ``DOCKFIX_*`` variables, then defaults."""

from __future__ import annotations

import math
import os

DEFAULT_MAX_CONCURRENT = 4
DEFAULT_MIN_INTERVAL = 0.02
DEFAULT_STOP_TIMEOUT = 10
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.2
DEFAULT_MAX_BACKOFF = 2.0
# Added to the stop grace period to get the process timeout of `docker stop`.
DEFAULT_STOP_MARGIN = 15.0
# Process timeout of the other commands the safe methods run (`rm`, `volume rm`).
DEFAULT_COMMAND_TIMEOUT = 60.0


def default_lock_dir() -> str:
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    import tempfile  # only when no lock directory is configured

    return os.path.join(tempfile.gettempdir(), f"dockfix-locks-{uid}")


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _number(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name}={raw!r} must be a finite number >= 0")
    return value


class Settings:
    """Resolved executor settings (immutable by convention)."""

    __slots__ = (
        "allow_force",
        "audit_log",
        "backoff",
        "command_timeout",
        "docker",
        "lock_dir",
        "max_backoff",
        "max_concurrent",
        "min_interval",
        "retries",
        "slot_timeout",
        "stop_margin",
        "stop_timeout",
    )

    def __init__(
        self,
        *,
        max_concurrent: int | None = None,
        min_interval: float | None = None,
        stop_timeout: float | None = None,
        lock_dir: str | os.PathLike[str] | None = None,
        audit_log: str | os.PathLike[str] | None = None,
        docker: str | None = None,
        allow_force: bool = False,
        retries: int | None = None,
        backoff: float = DEFAULT_BACKOFF,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        stop_margin: float = DEFAULT_STOP_MARGIN,
        command_timeout: float = DEFAULT_COMMAND_TIMEOUT,
        slot_timeout: float | None = None,
    ) -> None:
        self.max_concurrent = _pick_int(max_concurrent, "DOCKFIX_MAX_CONCURRENT", 4, minimum=1)
        self.min_interval = _pick_float(min_interval, "DOCKFIX_MIN_INTERVAL", DEFAULT_MIN_INTERVAL)
        stop = _pick_float(stop_timeout, "DOCKFIX_STOP_TIMEOUT", DEFAULT_STOP_TIMEOUT)
        self.stop_timeout = math.ceil(stop)  # `docker stop -t` takes whole seconds
        self.retries = _pick_int(retries, "DOCKFIX_RETRIES", DEFAULT_RETRIES, minimum=0)
        self.lock_dir = os.fspath(lock_dir or _env("DOCKFIX_LOCK_DIR") or default_lock_dir())
        log = audit_log if audit_log is not None else _env("DOCKFIX_AUDIT_LOG")
        self.audit_log = os.fspath(log) if log else None
        self.docker = docker or _env("DOCKFIX_DOCKER") or "docker"
        self.allow_force = bool(allow_force)
        self.backoff = _checked("backoff", backoff)
        self.max_backoff = _checked("max_backoff", max_backoff)
        self.stop_margin = _checked("stop_margin", stop_margin)
        self.command_timeout = _checked("command_timeout", command_timeout)
        self.slot_timeout = None if slot_timeout is None else _checked("slot_timeout", slot_timeout)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__)
        return f"Settings({fields})"


def _checked(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    return _number(name, str(value))


def _pick_float(value: float | None, env: str, default: float) -> float:
    if value is not None:
        return _checked(env.replace("DOCKFIX_", "").lower(), value)
    raw = _env(env)
    return default if raw is None else _number(env, raw)


def _pick_int(value: int | None, env: str, default: int, *, minimum: int) -> int:
    name = env.replace("DOCKFIX_", "").lower()
    if value is None:
        raw = _env(env)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"{env}={raw!r} is not an integer") from None
        name = env
    elif isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}={value!r} must be >= {minimum}")
    return value
