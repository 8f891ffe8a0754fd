"""``DockerExecutor``: subprocess-compatible docker calls under shared limits; safe operations."""

from __future__ import annotations

import os
import subprocess
import threading
import time

from . import _argv
from ._audit import AuditLog
from ._config import Settings
from ._errors import DockerCommandError, DockerUnavailableError, ForceRefusedError
from ._limiter import Limiter, Slot, held_slot, holding
from ._plan import Call, Outcome, noop, plan_stop, plan_stop_and_remove, plan_volume_rm

TYPE_CHECKING = False  # typing is not imported at run time (import cost)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, Callable, TypeVar

    from ._aio import AsyncDockerExecutor

    T = TypeVar("T")


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
        if self._settings is not None and self._limiter is not None and self._audit is not None:
            return self._settings, self._limiter, self._audit
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
        stop, rm = plan_stop_and_remove(
            self.settings, containers, timeout, volumes, global_args, subprocess_kwargs
        )
        if rm is None:
            return noop(stop.argv, subprocess_kwargs)
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
        call, any_names = plan_stop(
            self.settings, containers, timeout, global_args, subprocess_kwargs
        )
        if not any_names:
            return noop(call.argv, subprocess_kwargs)
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
        call, any_names = plan_volume_rm(self.settings, volumes, global_args, subprocess_kwargs)
        if not any_names:
            return noop(call.argv, subprocess_kwargs)
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
            with holding(self.limiter, slot):
                return fn(*args, **kwargs)
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            slot.release()
            audit.record(
                op="callable", argv=[callable_name(fn)], ts=ts, wait=wait,
                duration=time.monotonic() - t0, returncode=None, attempt=1,
                slot=slot.number, error=error,
            )  # fmt: skip

    # ---- planning (shared with the async executor) ----------------------------------------

    def prepare(self, args: Sequence[Any], kwargs: dict[str, Any]) -> Call:
        """Check and plan a caller's argv: types, ``shell``, and the force/kill guard."""
        settings, _limiter, audit = self._resolve()
        if kwargs.get("shell"):
            raise ValueError("dockfix.runtime runs argv lists only: shell=True is not supported")
        if isinstance(args, (str, bytes)) or hasattr(args, "__fspath__"):
            raise TypeError(
                "pass the docker command as an argv list (e.g. ['docker', 'ps']), not a string"
            )
        try:
            argv = [os.fsdecode(a) for a in args]
        except TypeError:
            raise TypeError(f"argv items must be str, bytes or path-like: {args!r}") from None
        if not argv:
            raise ValueError("empty argv")
        command = _argv.split_command(argv)
        if not settings.allow_force and _argv.program_is_docker(argv[0], settings.docker):
            refused = _argv.refusal(argv, command)
            if refused is not None:
                message, safe = refused
                audit.record(
                    op=command[0], argv=argv, ts=time.time(), wait=0.0, duration=0.0,
                    returncode=None, attempt=0, slot=None, error=message, refused=True,
                )  # fmt: skip
                raise ForceRefusedError(message, argv, safe)
        return Call(args, argv, command[0], dict(kwargs))

    # ---- execution -----------------------------------------------------------------------

    def _acquire_sync(self) -> Slot:
        settings, limiter, _audit = self._resolve()
        # Called from code that already holds a slot (run_limited): use it, still spaced.
        slot = held_slot(limiter) or limiter.acquire(settings.slot_timeout)
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
            call.hand_back(_argv.drop_missing_lines(error, volume=volume) if missing_ok else error)
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


def callable_name(fn: Callable[..., Any]) -> str:
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)
    module = getattr(fn, "__module__", None)
    return f"{module}.{name}" if module else str(name)
