"""Planning a docker command: the ``Call`` value, name checks, and the safe operations' argv."""

from __future__ import annotations

import os
import subprocess
import sys

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from ._config import Settings

# Short commands that never attach to a container's streams: when the caller does not capture
# their stderr, the executor reads it (and hands it back to the caller's stderr target when the
# command is done) so that transient daemon errors can be seen and retried.
_INTERCEPT_OPS = frozenset(
    {
        "rm", "container rm", "container remove", "stop", "container stop", "kill",
        "container kill", "volume rm", "volume remove", "network rm", "network remove", "rmi",
        "image rm", "image remove", "ps", "container ls", "container list", "inspect",
        "container inspect", "volume inspect", "volume ls", "volume create", "network create",
        "network ls", "image inspect", "images", "version", "info", "create", "container create",
        "restart", "pause", "unpause", "wait", "container wait", "rename", "tag",
    }
)  # fmt: skip
_OUTPUT_KEYS = frozenset(
    {"stdout", "stderr", "capture_output", "input", "stdin", "text", "encoding", "errors",
     "universal_newlines", "check", "timeout"}
)  # fmt: skip


class Call:
    """One planned docker command: argv, keyword arguments and how its errors can be read."""

    __slots__ = ("args", "argv", "error_source", "intercepted", "kwargs", "op", "stderr_target")

    def __init__(
        self,
        args: Any,
        argv: list[str],
        op: str,
        kwargs: dict[str, Any],
        *,
        always_read: bool = False,
    ) -> None:
        self.args = args
        self.argv = argv
        self.op = op
        self.kwargs = kwargs
        self.intercepted = False
        self.error_source = ""  # "stderr", "stdout" (merged) or "" (not visible: no retries)
        stderr = kwargs.get("stderr")
        self.stderr_target = stderr  # where intercepted stderr goes afterwards
        if kwargs.get("capture_output") or stderr == subprocess.PIPE:
            self.error_source = "stderr"
        elif stderr == subprocess.STDOUT and kwargs.get("stdout") == subprocess.PIPE:
            self.error_source = "stdout"
        elif stderr != subprocess.STDOUT and (always_read or op in _INTERCEPT_OPS):
            kwargs["stderr"] = subprocess.PIPE
            self.intercepted = True
            self.error_source = "stderr"

    def hand_back(self, text: str) -> None:
        """Deliver intercepted stderr where the caller's ``stderr`` argument pointed."""
        target = self.stderr_target
        if not text or target == subprocess.DEVNULL:
            return
        if target is None:
            sys.stderr.write(text)
            sys.stderr.flush()
        elif isinstance(target, int):
            os.write(target, text.encode("utf-8", "replace"))
        else:
            try:
                target.write(text)
            except TypeError:
                target.write(text.encode("utf-8", "replace"))
            target.flush()

    def error_text(self, result: subprocess.CompletedProcess[Any]) -> str:
        if not self.error_source:
            return ""
        raw = getattr(result, self.error_source)
        if raw is None:
            return ""
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


class Outcome:
    """The last attempt's result, its error text and how many attempts were made."""

    __slots__ = ("attempts", "error", "result")

    def __init__(self, result: subprocess.CompletedProcess[Any], error: str, attempts: int):
        self.result = result
        self.error = error
        self.attempts = attempts


def validate_names(items: tuple[Any, ...], what: str, method: str) -> list[str]:
    """Container/volume names as given, or TypeError/ValueError before anything runs."""
    names = []
    for item in items:
        if isinstance(item, (list, tuple, set, frozenset)):
            raise TypeError(
                f"{method}() takes {what} names as separate arguments: "
                f"{method}(*names), not {method}({type(item).__name__})"
            )
        if not isinstance(item, str):
            raise TypeError(f"{what} name must be a str, not {type(item).__name__}: {item!r}")
        if not item.strip():
            raise ValueError(f"empty {what} name: {item!r}")
        if item.startswith("-"):
            raise ValueError(f"{what} name {item!r} begins with '-': it would be read as a flag")
        names.append(item)
    return names


def _base(settings: Settings, global_args: Iterable[str], kwargs: dict[str, Any]) -> list[str]:
    if kwargs.get("shell"):
        raise ValueError("dockfix.runtime runs argv lists only: shell=True is not supported")
    if isinstance(global_args, (str, bytes)):
        raise TypeError("global_args must be a sequence of strings, e.g. ('-H', 'tcp://host')")
    args = list(global_args)
    for arg in args:
        if not isinstance(arg, str):
            raise TypeError(f"global_args items must be str, not {type(arg).__name__}")
    return [settings.docker, *args]


def grace(settings: Settings, timeout: float | None) -> int:
    """The stop grace period in whole seconds (rounded up); None means the configured one."""
    if timeout is None:
        return settings.stop_timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
        raise ValueError(f"stop timeout must be a number of seconds >= 0, not {timeout!r}")
    return int(-(-timeout // 1))


def plan_stop(
    settings: Settings,
    containers: tuple[Any, ...],
    timeout: float | None,
    global_args: Iterable[str],
    kwargs: dict[str, Any],
) -> tuple[Call, bool]:
    """``docker stop -t N -- names`` with the caller's kwargs; False when there are no names."""
    names = validate_names(containers, "container", "stop")
    seconds = grace(settings, timeout)
    argv = [*_base(settings, global_args, kwargs), "stop", "-t", str(seconds), "--", *names]
    kwargs = {k: v for k, v in kwargs.items() if k != "check"}
    kwargs["timeout"] = seconds + settings.stop_margin
    return Call(argv, argv, "stop", kwargs, always_read=True), bool(names)


def plan_stop_and_remove(
    settings: Settings,
    containers: tuple[Any, ...],
    timeout: float | None,
    volumes: bool,
    global_args: Iterable[str],
    kwargs: dict[str, Any],
) -> tuple[Call, Call | None]:
    """A quiet stop, then the removal with the caller's kwargs (None when there are no names)."""
    names = validate_names(containers, "container", "stop_and_remove")
    seconds = grace(settings, timeout)
    base = _base(settings, global_args, kwargs)
    quiet = {k: v for k, v in kwargs.items() if k not in _OUTPUT_KEYS}
    quiet.update(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    quiet["timeout"] = seconds + settings.stop_margin
    stop_argv = [*base, "stop", "-t", str(seconds), "--", *names]
    stop = Call(stop_argv, stop_argv, "stop", quiet)
    if not names:
        return stop, None
    rm_argv = [*base, "rm", *(["-v"] if volumes else []), "--", *names]
    rm_kwargs = {k: v for k, v in kwargs.items() if k != "check"}
    rm_kwargs["timeout"] = settings.command_timeout
    return stop, Call(rm_argv, rm_argv, "rm", rm_kwargs, always_read=True)


def plan_volume_rm(
    settings: Settings,
    volumes: tuple[Any, ...],
    global_args: Iterable[str],
    kwargs: dict[str, Any],
) -> tuple[Call, bool]:
    """``docker volume rm -- names`` (never ``-f``); False when there are no names."""
    names = validate_names(volumes, "volume", "remove_volumes")
    argv = [*_base(settings, global_args, kwargs), "volume", "rm", "--", *names]
    kwargs = {k: v for k, v in kwargs.items() if k != "check"}
    kwargs["timeout"] = settings.command_timeout
    return Call(argv, argv, "volume rm", kwargs, always_read=True), bool(names)


def noop(argv: list[str], kwargs: dict[str, Any]) -> subprocess.CompletedProcess[Any]:
    """What a safe method returns for no names at all: nothing ran, return code 0."""
    text = any(kwargs.get(k) for k in ("text", "universal_newlines", "encoding", "errors"))
    empty: Any = "" if text else b""
    captured = kwargs.get("capture_output")
    out = empty if captured or kwargs.get("stdout") == subprocess.PIPE else None
    err = empty if captured or kwargs.get("stderr") == subprocess.PIPE else None
    return subprocess.CompletedProcess(argv, 0, out, err)
