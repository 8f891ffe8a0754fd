"""``DockerExecutor``: subprocess-compatible docker calls under shared limits; safe operations."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from . import _argv
from ._audit import AuditLog
from ._config import Settings
from ._errors import DockerCommandError, DockerUnavailableError, ForceRefusedError
from ._limiter import Limiter, Slot

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, Callable, TypeVar

    from ._aio import AsyncDockerExecutor

    T = TypeVar("T")

# Short, non-interactive commands: when the caller does not capture stderr, the executor captures
# it (and copies it to sys.stderr afterwards) so that transient daemon errors can be retried.
_INTERCEPT_OPS = frozenset(
    {
        "rm", "container rm", "container remove", "stop", "container stop", "kill",
        "container kill", "volume rm", "volume remove", "network rm", "network remove", "rmi",
        "image rm", "image remove", "ps", "container ls", "container list", "inspect",
        "container inspect", "volume inspect", "volume ls", "volume create", "network create",
        "network ls", "image inspect", "images", "version", "info", "create", "container create",
        "start", "container start", "restart", "pause", "unpause", "wait", "container wait",
        "rename", "tag",
    }
)  # fmt: skip
_OUTPUT_KEYS = frozenset(
    {"stdout", "stderr", "capture_output", "input", "stdin", "text", "encoding", "errors",
     "universal_newlines", "check", "timeout"}
)  # fmt: skip


class Call:
    """One planned docker command: argv, keyword arguments and how its errors can be read."""

    __slots__ = ("args", "argv", "error_source", "intercepted", "kwargs", "op")

    def __init__(self, args: Any, argv: list[str], op: str, kwargs: dict[str, Any]) -> None:
        self.args = args
        self.argv = argv
        self.op = op
        self.kwargs = kwargs
        self.intercepted = False
        self.error_source = ""  # "stderr", "stdout" (merged) or "" (not visible: no retries)
        stderr = kwargs.get("stderr")
        if kwargs.get("capture_output") or stderr == subprocess.PIPE:
            self.error_source = "stderr"
        elif stderr == subprocess.STDOUT and kwargs.get("stdout") == subprocess.PIPE:
            self.error_source = "stdout"
        elif stderr is None and op in _INTERCEPT_OPS:
            kwargs["stderr"] = subprocess.PIPE
            self.intercepted = True
            self.error_source = "stderr"

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


def _validate_names(items: tuple[Any, ...], what: str, method: str) -> list[str]:
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


def _validate_global_args(global_args: Iterable[str]) -> list[str]:
    if isinstance(global_args, (str, bytes)):
        raise TypeError("global_args must be a sequence of strings, e.g. ('-H', 'tcp://host')")
    out = list(global_args)
    for arg in out:
        if not isinstance(arg, str):
            raise TypeError(f"global_args items must be str, not {type(arg).__name__}")
    return out


def _jitter() -> float:
    return 0.5 + (time.monotonic_ns() // 1000 + os.getpid()) % 500 / 1000


class DockerExecutor:
    """Runs docker commands under process- and host-wide limits; see ``docs/dev/contracts.md``.

    Settings come from the arguments, then ``DOCKFIX_*`` environment variables, then defaults,
    and are resolved at first use.
    """

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
        backoff: float = 0.2,
        max_backoff: float = 2.0,
        stop_margin: float = 15.0,
        command_timeout: float = 60.0,
        slot_timeout: float | None = None,
    ) -> None:
        self._options: dict[str, Any] = {
            "max_concurrent": max_concurrent, "min_interval": min_interval,
            "stop_timeout": stop_timeout, "lock_dir": lock_dir, "audit_log": audit_log,
            "docker": docker, "allow_force": allow_force, "retries": retries, "backoff": backoff,
            "max_backoff": max_backoff, "stop_margin": stop_margin,
            "command_timeout": command_timeout, "slot_timeout": slot_timeout,
        }  # fmt: skip
        self._init_lock = threading.Lock()
        self._settings: Settings | None = None
        self._limiter: Limiter | None = None
        self._audit: AuditLog | None = None
        self._aio: AsyncDockerExecutor | None = None
        if any(v is not None for v in (max_concurrent, min_interval, stop_timeout, retries)):
            self._resolve()  # explicit arguments are checked at once

    def _resolve(self) -> tuple[Settings, Limiter, AuditLog]:
        with self._init_lock:
            if self._settings is None:
                settings = Settings(**self._options)
                self._limiter = Limiter(
                    settings.lock_dir, settings.max_concurrent, settings.min_interval
                )
                self._audit = AuditLog(settings.audit_log)
                self._settings = settings
        assert self._limiter is not None
        assert self._audit is not None
        return self._settings, self._limiter, self._audit

    @property
    def settings(self) -> Settings:
        return self._resolve()[0]

    @property
    def limiter(self) -> Limiter:
        return self._resolve()[1]

    @property
    def audit(self) -> AuditLog:
        return self._resolve()[2]

    @property
    def aio(self) -> AsyncDockerExecutor:
        """The asyncio counterpart, sharing this executor's limits."""
        if self._aio is None:
            from ._aio import AsyncDockerExecutor

            self._aio = AsyncDockerExecutor(self)
        return self._aio

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"DockerExecutor(max_concurrent={s.max_concurrent}, min_interval={s.min_interval}, "
            f"stop_timeout={s.stop_timeout}, lock_dir={s.lock_dir!r}, docker={s.docker!r})"
        )

    # ---- subprocess mirrors -------------------------------------------------------------

    def run(
        self, args: Sequence[Any], *, check: bool = False, **kwargs: Any
    ) -> subprocess.CompletedProcess[Any]:
        """``subprocess.run`` for a docker argv, under the limits, guarded and retried."""
        call = self.prepare(args, kwargs)
        return self.finish(call, self._execute(call), check=check)

    def call(self, args: Sequence[Any], **kwargs: Any) -> int:
        """``subprocess.call``: the exit code."""
        return self.run(args, **kwargs).returncode

    def check_call(self, args: Sequence[Any], **kwargs: Any) -> int:
        """``subprocess.check_call``: 0, or ``DockerCommandError`` (a ``CalledProcessError``)."""
        self.run(args, check=True, **kwargs)
        return 0

    def check_output(self, args: Sequence[Any], **kwargs: Any) -> Any:
        """``subprocess.check_output``: the captured stdout, or ``DockerCommandError``."""
        if "stdout" in kwargs:
            raise ValueError("stdout argument not allowed, it will be overridden.")
        return self.run(args, stdout=subprocess.PIPE, check=True, **kwargs).stdout

    # ---- safe operations ----------------------------------------------------------------

    def stop_and_remove(
        self,
        *containers: str,
        timeout: float | None = None,
        volumes: bool = False,
        missing_ok: bool = True,
        global_args: Iterable[str] = (),
        **subprocess_kwargs: Any,
    ) -> subprocess.CompletedProcess[Any]:
        """``docker stop -t TIMEOUT`` then ``docker rm`` (``-v`` with ``volumes``), never force.

        Returns the removal's CompletedProcess. With ``missing_ok`` a container that is already
        gone counts as removed (return code 0). No containers: nothing runs, return code 0.
        """
        stop, rm = self._plan_stop_and_remove(
            containers, timeout, volumes, global_args, subprocess_kwargs
        )
        if rm is None:
            return self._noop(stop.argv, subprocess_kwargs)
        stopped = self._execute(stop)
        if stopped.result.returncode != 0 and _argv.is_unavailable(stopped.error):
            return self.finish(stop, stopped, check=bool(subprocess_kwargs.get("check")))
        return self.finish(
            rm, self._execute(rm), check=bool(subprocess_kwargs.get("check")), missing_ok=missing_ok
        )

    def stop(
        self,
        *containers: str,
        timeout: float | None = None,
        missing_ok: bool = False,
        global_args: Iterable[str] = (),
        **subprocess_kwargs: Any,
    ) -> subprocess.CompletedProcess[Any]:
        """``docker stop -t TIMEOUT``: SIGTERM, KILL after the grace period. Use it for kill."""
        call = self._plan_stop(containers, timeout, global_args, subprocess_kwargs)
        if not call.argv[-1:] or call.argv[-1] == "--":
            return self._noop(call.argv, subprocess_kwargs)
        check = bool(subprocess_kwargs.get("check"))
        return self.finish(call, self._execute(call), check=check, missing_ok=missing_ok)

    def remove_volumes(
        self,
        *volumes: str,
        missing_ok: bool = True,
        global_args: Iterable[str] = (),
        **subprocess_kwargs: Any,
    ) -> subprocess.CompletedProcess[Any]:
        """``docker volume rm`` without force; a missing volume is success with ``missing_ok``."""
        call = self._plan_volume_rm(volumes, global_args, subprocess_kwargs)
        if call.argv[-1] == "--":
            return self._noop(call.argv, subprocess_kwargs)
        check = bool(subprocess_kwargs.get("check"))
        return self.finish(
            call, self._execute(call), check=check, missing_ok=missing_ok, volume=True
        )

    def run_limited(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``fn(*args, **kwargs)`` holding a slot (for Docker SDK calls); its result."""
        audit = self.audit
        started = time.monotonic()
        slot = self._acquire_sync()
        wait = time.monotonic() - started
        ts, t0 = time.time(), time.monotonic()
        error: str | None = None
        try:
            return fn(*args, **kwargs)
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            slot.release()
            audit.record(
                op="callable", argv=[_callable_name(fn)], ts=ts, wait=wait,
                duration=time.monotonic() - t0, returncode=None, attempt=1,
                slot=slot.number, error=error,
            )  # fmt: skip

    # ---- planning (shared with the async executor) ----------------------------------------

    def prepare(self, args: Sequence[Any], kwargs: dict[str, Any]) -> Call:
        """Check and plan a caller's argv: types, ``shell``, and the force/kill guard."""
        settings, _limiter, audit = self._resolve()
        if kwargs.get("shell"):
            raise ValueError("dockfix.runtime runs argv lists only: shell=True is not supported")
        if isinstance(args, (str, bytes, os.PathLike)):
            raise TypeError(
                "pass the docker command as an argv list (e.g. ['docker', 'ps']), not a string"
            )
        try:
            argv = [os.fsdecode(a) for a in args]
        except TypeError:
            raise TypeError(f"argv items must be str, bytes or path-like: {args!r}") from None
        if not argv:
            raise ValueError("empty argv")
        if not settings.allow_force and _argv.program_is_docker(argv[0], settings.docker):
            refused = _argv.refusal(argv)
            if refused is not None:
                message, safe = refused
                audit.record(
                    op=_argv.split_command(argv)[0], argv=argv, ts=time.time(), wait=0.0,
                    duration=0.0, returncode=None, attempt=0, slot=None, error=message,
                    refused=True,
                )  # fmt: skip
                raise ForceRefusedError(message, argv, safe)
        return Call(args, argv, _argv.split_command(argv)[0], dict(kwargs))

    def _grace(self, timeout: float | None) -> int:
        if timeout is None:
            return self.settings.stop_timeout
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
            raise ValueError(f"stop timeout must be a number of seconds >= 0, not {timeout!r}")
        return int(-(-timeout // 1))  # whole seconds, rounded up

    def _base(self, global_args: Iterable[str]) -> list[str]:
        return [self.settings.docker, *_validate_global_args(global_args)]

    def _plan_stop(
        self,
        containers: tuple[Any, ...],
        timeout: float | None,
        global_args: Iterable[str],
        kwargs: dict[str, Any],
    ) -> Call:
        names = _validate_names(containers, "container", "stop")
        grace = self._grace(timeout)
        argv = [*self._base(global_args), "stop", "-t", str(grace), "--", *names]
        kwargs = {k: v for k, v in kwargs.items() if k != "check"}
        kwargs["timeout"] = grace + self.settings.stop_margin
        return Call(argv, argv, "stop", kwargs)

    def _plan_stop_and_remove(
        self,
        containers: tuple[Any, ...],
        timeout: float | None,
        volumes: bool,
        global_args: Iterable[str],
        kwargs: dict[str, Any],
    ) -> tuple[Call, Call | None]:
        names = _validate_names(containers, "container", "stop_and_remove")
        grace = self._grace(timeout)
        base = self._base(global_args)
        quiet = {k: v for k, v in kwargs.items() if k not in _OUTPUT_KEYS}
        quiet.update(stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        quiet["timeout"] = grace + self.settings.stop_margin
        stop_argv = [*base, "stop", "-t", str(grace), "--", *names]
        stop = Call(stop_argv, stop_argv, "stop", quiet)
        if not names:
            return stop, None
        rm_argv = [*base, "rm", *(["-v"] if volumes else []), "--", *names]
        rm_kwargs = {k: v for k, v in kwargs.items() if k != "check"}
        rm_kwargs["timeout"] = self.settings.command_timeout
        return stop, Call(rm_argv, rm_argv, "rm", rm_kwargs)

    def _plan_volume_rm(
        self, volumes: tuple[Any, ...], global_args: Iterable[str], kwargs: dict[str, Any]
    ) -> Call:
        names = _validate_names(volumes, "volume", "remove_volumes")
        argv = [*self._base(global_args), "volume", "rm", "--", *names]
        kwargs = {k: v for k, v in kwargs.items() if k != "check"}
        kwargs["timeout"] = self.settings.command_timeout
        return Call(argv, argv, "volume rm", kwargs)

    @staticmethod
    def _noop(argv: list[str], kwargs: dict[str, Any]) -> subprocess.CompletedProcess[Any]:
        text = any(kwargs.get(k) for k in ("text", "universal_newlines", "encoding", "errors"))
        empty: Any = "" if text else b""
        out = empty if kwargs.get("capture_output") or kwargs.get("stdout") == -1 else None
        err = empty if kwargs.get("capture_output") or kwargs.get("stderr") == -1 else None
        return subprocess.CompletedProcess(argv, 0, out, err)

    # ---- execution -----------------------------------------------------------------------

    def _acquire_sync(self) -> Slot:
        settings, limiter, _audit = self._resolve()
        slot = limiter.acquire(settings.slot_timeout)
        try:
            delay = limiter.reserve_start()
            if delay:
                time.sleep(delay)
        except BaseException:
            slot.release()
            raise
        return slot

    def run_in_slot(
        self, call: Call, slot: Slot, wait: float, attempt: int
    ) -> subprocess.CompletedProcess[Any]:
        """Run one attempt of ``call`` holding ``slot``; releases it and writes the audit record."""
        ts, t0 = time.time(), time.monotonic()
        try:
            result = subprocess.run(call.args, **call.kwargs)
        except BaseException as exc:
            slot.release()
            self.audit.record(
                op=call.op, argv=call.argv, ts=ts, wait=wait, duration=time.monotonic() - t0,
                returncode=None, attempt=attempt, slot=slot.number,
                error=f"{type(exc).__name__}: {exc}",
            )  # fmt: skip
            raise
        duration = time.monotonic() - t0
        slot.release()
        error = _argv.last_lines(call.error_text(result)) if result.returncode else None
        self.audit.record(
            op=call.op, argv=call.argv, ts=ts, wait=wait, duration=duration,
            returncode=result.returncode, attempt=attempt, slot=slot.number,
            error=error if result.returncode else None,
        )  # fmt: skip
        return result

    def should_retry(
        self, call: Call, result: subprocess.CompletedProcess[Any], attempt: int
    ) -> float | None:
        """The backoff delay before the next attempt, or None when done."""
        if result.returncode == 0 or attempt > self.settings.retries:
            return None
        if not _argv.is_transient(call.error_text(result)):
            return None
        s = self.settings
        delay: float = min(s.max_backoff, s.backoff * 2.0 ** (attempt - 1))
        return delay * _jitter()

    def _execute(self, call: Call) -> Outcome:
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            slot = self._acquire_sync()
            result = self.run_in_slot(call, slot, time.monotonic() - started, attempt)
            delay = self.should_retry(call, result, attempt)
            if delay is None:
                return Outcome(result, call.error_text(result), attempt)
            time.sleep(delay)

    def finish(
        self,
        call: Call,
        outcome: Outcome,
        *,
        check: bool,
        missing_ok: bool = False,
        volume: bool = False,
    ) -> subprocess.CompletedProcess[Any]:
        """Apply ``missing_ok``, hand back intercepted stderr, raise when ``check``."""
        result, error = outcome.result, outcome.error
        if result.returncode != 0 and missing_ok and _argv.only_missing(error, volume=volume):
            result = subprocess.CompletedProcess(result.args, 0, result.stdout, result.stderr)
        if call.intercepted:
            shown = _argv.drop_missing_lines(error, volume=volume) if missing_ok else error
            if shown:
                sys.stderr.write(shown)
                sys.stderr.flush()
            result = subprocess.CompletedProcess(result.args, result.returncode, result.stdout)
        if check and result.returncode != 0:
            kind = DockerUnavailableError if _argv.is_unavailable(error) else DockerCommandError
            raise kind(
                result.returncode,
                result.args,
                result.stdout,
                result.stderr,
                error=_argv.last_lines(error),
                attempts=outcome.attempts,
            )
        return result


def _callable_name(fn: Callable[..., Any]) -> str:
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)
    module = getattr(fn, "__module__", None)
    return f"{module}.{name}" if module else str(name)
