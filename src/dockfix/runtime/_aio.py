"""``AsyncDockerExecutor``: the asyncio counterpart, sharing its ``DockerExecutor``'s limits.

Slots are taken by polling without blocking the event loop (cancellation-safe: nothing starts
after a cancel). Each docker command then runs with ``subprocess.run`` in a worker thread that
owns the slot and releases it when the process has exited, even if the awaiting task was
cancelled. ``create_subprocess_exec`` returns a real ``asyncio.subprocess.Process`` whose slot is
released by a watcher task when the process exits.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from ._argv import is_unavailable
from ._executor import DockerExecutor, callable_name
from ._limiter import Slot, held_slot, holding
from ._plan import Call, Outcome, noop, plan_stop, plan_stop_and_remove, plan_volume_rm

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

T = TypeVar("T")

_POLL_MIN = 0.001
_POLL_MAX = 0.01


class AsyncDockerExecutor:
    """``await``-able mirrors of ``DockerExecutor``'s methods, under the same limits."""

    def __init__(self, executor: DockerExecutor) -> None:
        self.executor = executor
        self._pool: ThreadPoolExecutor | None = None
        self._watchers: set[asyncio.Task[None]] = set()
        # Tasks awaiting a coroutine inside run_limited, with their slot: a docker call they make
        # reuses it (the thread-local mark of the sync executor, for tasks).
        self._task_slots: dict[asyncio.Task[Any], list[int]] = {}

    def _threads(self) -> ThreadPoolExecutor:
        if self._pool is None:
            workers = self.executor.settings.max_concurrent
            self._pool = ThreadPoolExecutor(workers, thread_name_prefix="dockfix-runtime")
        return self._pool

    async def acquire(self) -> tuple[Slot, float]:
        """A slot (after the start spacing) and the seconds waited; never blocks the loop."""
        settings, limiter = self.executor.settings, self.executor.limiter
        started = time.monotonic()
        # Called from code that already holds a slot (run_limited): use it, still spaced.
        nested = held_slot(limiter)
        task = asyncio.current_task()
        if task is not None and self._task_slots.get(task):
            nested = Slot(self._task_slots[task][-1])
        deadline = None if settings.slot_timeout is None else started + settings.slot_timeout
        delay = _POLL_MIN
        while True:
            slot = nested or limiter.try_acquire()
            if slot is not None:
                break
            if deadline is not None and time.monotonic() >= deadline:
                from ._errors import SlotTimeoutError

                raise SlotTimeoutError(f"no docker slot free within {settings.slot_timeout} s")
            await asyncio.sleep(delay)
            delay = min(delay * 2, _POLL_MAX)
        try:
            while True:
                pause = limiter.reserve_start(blocking=False)
                if pause is not None:
                    break
                await asyncio.sleep(_POLL_MIN)
            if pause:
                await asyncio.sleep(pause)
        except BaseException:
            slot.release()
            raise
        return slot, time.monotonic() - started

    async def _execute(self, call: Call) -> Outcome:
        loop = asyncio.get_running_loop()
        ex = self.executor
        attempt = 0
        while True:
            attempt += 1
            slot, wait = await self.acquire()
            # From here the worker thread owns the slot (it releases it when docker exits).
            job = functools.partial(ex.run_in_slot, call, slot, wait, attempt)
            result = await loop.run_in_executor(self._threads(), job)
            delay = ex.should_retry(call, result, attempt)
            if delay is None:
                return Outcome(result, call.error_text(result), attempt)
            await asyncio.sleep(delay)

    # ---- subprocess mirrors -------------------------------------------------------------

    async def run(
        self, args: Sequence[Any], *, check: bool = False, **kwargs: Any
    ) -> subprocess.CompletedProcess[Any]:
        call = self.executor.prepare(args, kwargs)
        return self.executor.finish(call, await self._execute(call), check=check)

    async def call(self, args: Sequence[Any], **kwargs: Any) -> int:
        return (await self.run(args, **kwargs)).returncode

    async def check_call(self, args: Sequence[Any], **kwargs: Any) -> int:
        await self.run(args, check=True, **kwargs)
        return 0

    async def check_output(self, args: Sequence[Any], **kwargs: Any) -> Any:
        if "stdout" in kwargs:
            raise ValueError("stdout argument not allowed, it will be overridden.")
        return (await self.run(args, stdout=subprocess.PIPE, check=True, **kwargs)).stdout

    async def create_subprocess_exec(
        self, program: Any, *args: Any, **kwargs: Any
    ) -> asyncio.subprocess.Process:
        """``asyncio.create_subprocess_exec`` under the limits; the slot is held until exit."""
        ex = self.executor
        call = ex.prepare([program, *args], kwargs)
        slot, wait = await self.acquire()
        ts, t0 = time.time(), time.monotonic()
        try:
            proc = await asyncio.create_subprocess_exec(program, *args, **kwargs)
        except BaseException as exc:
            slot.release()
            ex.audit.record(
                op=call.op, argv=call.argv, ts=ts, wait=wait, duration=time.monotonic() - t0,
                returncode=None, attempt=1, slot=slot.number,
                error=f"{type(exc).__name__}: {exc}",
            )  # fmt: skip
            raise
        task = asyncio.ensure_future(self._watch(proc, call, slot, wait, ts, t0))
        self._watchers.add(task)
        task.add_done_callback(self._watchers.discard)
        return proc

    async def _watch(
        self,
        proc: asyncio.subprocess.Process,
        call: Call,
        slot: Slot,
        wait: float,
        ts: float,
        t0: float,
    ) -> None:
        returncode: int | None = None
        try:
            returncode = await proc.wait()
        finally:
            slot.release()
            self.executor.audit.record(
                op=call.op, argv=call.argv, ts=ts, wait=wait, duration=time.monotonic() - t0,
                returncode=returncode, attempt=1, slot=slot.number,
                error=None if returncode is not None else "watcher cancelled before exit",
            )  # fmt: skip

    # ---- safe operations ----------------------------------------------------------------

    async def stop_and_remove(
        self,
        *containers: str,
        timeout: float | None = None,
        volumes: bool = False,
        missing_ok: bool = True,
        global_args: Iterable[str] = (),
        **subprocess_kwargs: Any,
    ) -> subprocess.CompletedProcess[Any]:
        ex = self.executor
        stop, rm = plan_stop_and_remove(
            ex.settings, containers, timeout, volumes, global_args, subprocess_kwargs
        )
        if rm is None:
            return noop(stop.argv, subprocess_kwargs)
        check = bool(subprocess_kwargs.get("check"))
        stopped = await self._execute(stop)
        if stopped.result.returncode != 0 and is_unavailable(stopped.error):
            return ex.finish(stop, stopped, check=check)
        return ex.finish(rm, await self._execute(rm), check=check, missing_ok=missing_ok)

    async def stop(
        self,
        *containers: str,
        timeout: float | None = None,
        missing_ok: bool = False,
        global_args: Iterable[str] = (),
        **subprocess_kwargs: Any,
    ) -> subprocess.CompletedProcess[Any]:
        ex = self.executor
        call, any_names = plan_stop(
            ex.settings, containers, timeout, global_args, subprocess_kwargs
        )
        if not any_names:
            return noop(call.argv, subprocess_kwargs)
        check = bool(subprocess_kwargs.get("check"))
        return ex.finish(call, await self._execute(call), check=check, missing_ok=missing_ok)

    async def remove_volumes(
        self,
        *volumes: str,
        missing_ok: bool = True,
        global_args: Iterable[str] = (),
        **subprocess_kwargs: Any,
    ) -> subprocess.CompletedProcess[Any]:
        ex = self.executor
        call, any_names = plan_volume_rm(ex.settings, volumes, global_args, subprocess_kwargs)
        if not any_names:
            return noop(call.argv, subprocess_kwargs)
        check = bool(subprocess_kwargs.get("check"))
        outcome = await self._execute(call)
        return ex.finish(call, outcome, check=check, missing_ok=missing_ok, volume=True)

    async def run_limited(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Await a coroutine function, or run a plain callable in a worker thread, in a slot."""
        ex = self.executor
        slot, wait = await self.acquire()
        ts, t0 = time.time(), time.monotonic()
        name = callable_name(fn)
        if inspect.iscoroutinefunction(fn):
            error: str | None = None
            task = asyncio.current_task()
            assert task is not None
            self._task_slots.setdefault(task, []).append(slot.number)
            try:
                return await fn(*args, **kwargs)
            except BaseException as exc:
                error = f"{type(exc).__name__}: {exc}"
                raise
            finally:
                stack = self._task_slots[task]
                stack.pop()
                if not stack:
                    del self._task_slots[task]
                slot.release()
                ex.audit.record(
                    op="callable", argv=[name], ts=ts, wait=wait,
                    duration=time.monotonic() - t0, returncode=None, attempt=1,
                    slot=slot.number, error=error,
                )  # fmt: skip

        def in_thread() -> Any:
            error: str | None = None
            try:
                with holding(ex.limiter, slot):
                    return fn(*args, **kwargs)
            except BaseException as exc:
                error = f"{type(exc).__name__}: {exc}"
                raise
            finally:
                slot.release()
                ex.audit.record(
                    op="callable", argv=[name], ts=ts, wait=wait,
                    duration=time.monotonic() - t0, returncode=None, attempt=1,
                    slot=slot.number, error=error,
                )  # fmt: skip

        return await asyncio.get_running_loop().run_in_executor(self._threads(), in_thread)
