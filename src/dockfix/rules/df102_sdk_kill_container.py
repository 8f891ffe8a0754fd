"""DF102 sdk-kill-container: a Docker SDK kill with the default signal (KILL)."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import Invalid, Valid
from dockfix.rules._sdk import (
    AIODOCKER,
    API,
    CONTAINER,
    DOCKER_PY,
    KILL_SIGNALS,
    REFERENCE_CALLS,
    WHALES,
    WHALES_CLI,
    SdkArg,
    SdkCall,
    SdkRule,
    SdkSteps,
    SdkVerdict,
    stop_step,
    why_not_fixable,
)

# (library, receiver) -> (index of a positional signal or None, how many operands lead)
_KILLS = {
    (DOCKER_PY, CONTAINER): (0, 0),  # Container.kill(signal=None)
    (DOCKER_PY, API): (1, 1),  # APIClient.kill(container, signal=None)
    (WHALES, WHALES_CLI): (1, 1),  # docker[.container].kill(containers, signal=None)
    (WHALES, CONTAINER): (0, 0),  # Container.kill(signal=None)
    (AIODOCKER, CONTAINER): (None, 0),  # DockerContainer.kill(**params): signal
}


class SdkKillContainer(SdkRule):
    """Killing a container through a Docker SDK skips its graceful shutdown.

    ## What it does
    Finds `container.kill()` (docker-py, python-on-whales `Container`, aiodocker),
    `client.api.kill(c)`, whales `docker.kill(x)` / `docker.container.kill(x)`, with no
    signal or `SIGKILL`/`KILL`/`9`/`signal.SIGKILL`, on receivers traced back to a Docker
    client. `process.kill()`, `thread.kill()`, `os.kill(...)` and any object not traced to
    a Docker client stay quiet.

    ## Why is this bad?
    docker-py's `kill(signal=None)` means SIGKILL: the container's main process cannot
    trap it, so nothing is flushed or cleaned up.

    ## Example
    ```python
    container = client.containers.get(name)
    container.kill()
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    container = client.containers.get(name)
    docker_executor.run_limited(container.stop, timeout=10)
    ```
    In the library's own spelling: `stop(timeout=N)` (docker-py), `stop(x, time=N)`
    (whales), `await container.stop(t=N)` (aiodocker). Routed through the limiter where
    the call is the value of a statement (`c.kill()`, `x = c.kill()`, `return c.kill()`);
    inside a lambda or a larger expression the stop replaces the kill in place: both
    return None. A kill with another signal (HUP, USR1) is a
    notification and stays quiet.

    ## Fix safety
    Unsafe in timing: `stop` waits up to the stop timeout before SIGKILL. Errors change
    in one direction: killing a stopped container raised `APIError` 409 (`is not
    running`), stopping it succeeds. A missing container raises `NotFound` either way
    (docker-py). A kill passed as a callable (`loop.run_in_executor(None, c.kill)`,
    `functools.partial(c.kill)`) becomes `functools.partial(c.stop, timeout=N)`. A signal
    given by a variable or `**kwargs` is reported, not fixed.
    """

    CODE = "DF102"
    NAME = "sdk-kill-container"
    METHODS = frozenset({"kill"}) | REFERENCE_CALLS

    def check_sdk(self, call: SdkCall, settings: Settings) -> Optional[SdkVerdict]:
        shape = _KILLS.get((call.library, call.receiver))
        if shape is None or call.method != "kill":
            return None
        index, operands = shape
        message = "an SDK kill sends SIGKILL; stop the container gracefully instead"
        signal = call.signal(index) if index is not None else call.keywords.get("signal")
        if signal is not None and signal.literal and not _is_kill(signal):
            return None
        if signal is not None and not signal.literal and signal.text not in KILL_SIGNALS:
            return SdkVerdict(message, reason=f"the signal comes from `{signal.text}`")
        allowed = operands + (1 if index is not None and "signal" not in call.keywords else 0)
        if len(call.positional) > allowed:
            return SdkVerdict(message, reason="unexpected positional arguments")
        reason = why_not_fixable(call, steps=1)
        if reason is not None:
            return SdkVerdict(message, reason=reason)
        if [name for name in call.keywords if name != "signal"]:
            return SdkVerdict(message, reason="keyword arguments other than `signal=`")
        step = stop_step(call, settings, tuple(range(operands)))
        return SdkVerdict(message, fix=SdkSteps((step,)))

    VALID = (
        Valid(
            "method-in-executor-other-signal",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            await loop.run_in_executor(None, c.kill, 'SIGHUP')
        """,
        ),
        Valid(
            "other-signal",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.kill('SIGHUP')
            c.kill(signal='USR1')
            client.api.kill(cid, 'HUP')
        """,
        ),
        Valid(
            "process-and-thread",
            """
            import subprocess

            proc = subprocess.Popen(['sleep', '9'])
            proc.kill()
            thread.kill()
        """,
        ),
        Valid(
            "os-kill",
            """
            import os
            import signal

            os.kill(pid, signal.SIGKILL)
        """,
        ),
        Valid(
            "project-docker-module",
            """
            import docker

            docker.kill(name)
            docker.container.kill(name)
        """,
        ),
        Valid(
            "unknown-receiver",
            """
            def stop(c):
                c.kill()
        """,
        ),
        Valid(
            "stop",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.stop(timeout=5)
        """,
        ),
        Valid(
            "text-only",
            """
            assert "container.kill()" in log
        """,
        ),
    )

    INVALID = (
        Invalid(
            "docker-py-kill",
            """
            import docker

            client = docker.from_env()


            container = client.containers.get(name)
            container.kill()
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            container = client.containers.get(name)
            docker_executor.run_limited(container.stop, timeout=10)
        """,
        ),
        Invalid(
            "docker-py-kill-sigkill-keyword",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.kill(signal='SIGKILL')
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            c = client.containers.get(name)
            docker_executor.run_limited(c.stop, timeout=10)
        """,
        ),
        Invalid(
            "docker-py-kill-9-positional",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.kill(9)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            c = client.containers.get(name)
            docker_executor.run_limited(c.stop, timeout=10)
        """,
        ),
        Invalid(
            "docker-py-kill-signal-module",
            """
            import signal

            import docker

            client = docker.from_env()
            c = client.containers.get(name)
            c.kill(signal=signal.SIGKILL)
        """,
            """
            import signal

            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()
            c = client.containers.get(name)
            docker_executor.run_limited(c.stop, timeout=10)
        """,
        ),
        Invalid(
            "docker-py-loop-kill-lookup",
            """
            import docker

            client = docker.from_env()


            for c in client.containers.list(filters=f):
                c.kill()  # fast
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            for c in client.containers.list(filters=f):
                docker_executor.run_limited(c.stop, timeout=10)  # fast
        """,
        ),
        Invalid(
            "docker-py-api-kill",
            """
            import docker

            client = docker.from_env()


            client.api.kill(cid)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            docker_executor.run_limited(client.api.stop, cid, timeout=10)
        """,
        ),
        Invalid(
            "whales-kill",
            """
            from python_on_whales import docker


            docker.kill([a, b])
        """,
            """
            from python_on_whales import docker
            from dockfix.runtime import docker_executor


            docker_executor.run_limited(docker.stop, [a, b], time=10)
        """,
        ),
        Invalid(
            "whales-container-kill",
            """
            from python_on_whales import docker


            docker.container.kill(name, signal='KILL')
        """,
            """
            from python_on_whales import docker
            from dockfix.runtime import docker_executor


            docker_executor.run_limited(docker.container.stop, name, time=10)
        """,
        ),
        Invalid(
            "whales-container-object",
            """
            from python_on_whales import docker


            c = docker.container.create('img')
            c.kill()
        """,
            """
            from python_on_whales import docker
            from dockfix.runtime import docker_executor


            c = docker.container.create('img')
            docker_executor.run_limited(c.stop, time=10)
        """,
        ),
        Invalid(
            "aiodocker-kill",
            """
            import aiodocker


            async def stop_all():
                async with aiodocker.Docker() as docker:
                    for c in await docker.containers.list():
                        await c.kill()
        """,
            """
            import aiodocker
            from dockfix.runtime import docker_executor


            async def stop_all():
                async with aiodocker.Docker() as docker:
                    for c in await docker.containers.list():
                        await docker_executor.aio.run_limited(c.stop, t=10)
        """,
        ),
        Invalid(
            "lambda-in-place",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            atexit.register(lambda: c.kill())
        """,
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            atexit.register(lambda: c.stop(timeout=10))
        """,
        ),
        Invalid(
            "value-used-in-place",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            result = c.kill()
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            c = client.containers.get(name)
            result = docker_executor.run_limited(c.stop, timeout=10)
        """,
        ),
        Invalid(
            "stop-timeout-setting",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.kill()
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            c = client.containers.get(name)
            docker_executor.run_limited(c.stop, timeout=3)
        """,
            settings={"stop_timeout": 3},
        ),
        Invalid(
            "optional-annotation",
            """
            from typing import Optional

            from docker.models.containers import Container


            def down(c: Optional[Container], d: 'Container | None' = None):
                if c is not None:
                    c.kill()
        """,
            """
            from typing import Optional

            from docker.models.containers import Container
            from dockfix.runtime import docker_executor


            def down(c: Optional[Container], d: 'Container | None' = None):
                if c is not None:
                    docker_executor.run_limited(c.stop, timeout=10)
        """,
        ),
        Invalid(
            "union-none-annotation",
            """
            from __future__ import annotations

            import docker


            def down(client: docker.DockerClient | None):
                if client:
                    client.api.kill('x')
        """,
            """
            from __future__ import annotations

            import docker
            from dockfix.runtime import docker_executor


            def down(client: docker.DockerClient | None):
                if client:
                    docker_executor.run_limited(client.api.stop, 'x', timeout=10)
        """,
        ),
        Invalid(
            "auto-remove-container-kill",
            """
            import docker

            client = docker.from_env()


            c = client.containers.run('img', detach=True, auto_remove=True)
            c.kill()
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            c = client.containers.run('img', detach=True, auto_remove=True)
            docker_executor.run_limited(c.stop, timeout=10)
        """,
        ),
        Invalid(
            "signal-variable",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.kill(signal=sig)
        """,
            None,
        ),
        Invalid(
            "method-in-executor",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            await loop.run_in_executor(None, c.kill)
        """,
            """
            import docker
            import functools

            client = docker.from_env()


            c = client.containers.get(name)
            await loop.run_in_executor(None, functools.partial(c.stop, timeout=10))
        """,
        ),
        Invalid(
            "method-in-executor-with-kill-signal",
            """
            import functools

            import docker

            client = docker.from_env()
            cs = client.containers.list()
            futs = [loop.run_in_executor(None, c.kill, 'SIGKILL') for c in cs]
        """,
            """
            import functools

            import docker

            client = docker.from_env()
            cs = client.containers.list()
            futs = [loop.run_in_executor(None, functools.partial(c.stop, timeout=10)) for c in cs]
        """,
        ),
        Invalid(
            "method-in-partial",
            """
            from functools import partial

            import docker

            c = docker.from_env().containers.get(name)
            atexit.register(partial(c.kill, signal=9))
        """,
            """
            from functools import partial

            import docker

            c = docker.from_env().containers.get(name)
            atexit.register(partial(c.stop, timeout=10))
        """,
        ),
        Invalid(
            "star-kwargs",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.kill(**kw)
        """,
            None,
        ),
    )


def _is_kill(signal: SdkArg) -> bool:
    if signal.value is None:
        return True
    return str(signal.value).upper() in KILL_SIGNALS
