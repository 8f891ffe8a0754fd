"""DF101 sdk-force-remove-container: a Docker SDK removal with ``force=True``."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import Invalid, Valid
from dockfix.rules._sdk import (
    AIODOCKER,
    API,
    CONTAINER,
    DOCKER_PY,
    REFERENCE_CALLS,
    WHALES,
    WHALES_CLI,
    SdkArg,
    SdkCall,
    SdkRule,
    SdkStep,
    SdkSteps,
    SdkVerdict,
    stop_step,
    why_not_fixable,
)

# (library, receiver, method) -> (index of a positional `force`, how many operands lead)
_REMOVALS = {
    (DOCKER_PY, CONTAINER, "remove"): (None, 0),  # Container.remove(**kwargs): v, link, force
    (DOCKER_PY, API, "remove_container"): (3, 1),  # (container, v=False, link=False, force=False)
    (WHALES, WHALES_CLI, "remove"): (1, 1),  # docker[.container].remove(containers, force, volumes)
    (WHALES, CONTAINER, "remove"): (0, 0),  # Container.remove(force=False, volumes=False)
    (AIODOCKER, CONTAINER, "delete"): (None, 0),  # DockerContainer.delete(**params): force, v
}
_KEPT = ("v", "link", "volumes")


class SdkForceRemoveContainer(SdkRule):
    """Force-removing a container through a Docker SDK kills it with SIGKILL.

    ## What it does
    Finds forced container removals made through a Docker SDK, on receivers traced back to
    the client: docker-py `container.remove(force=True)` and
    `client.api.remove_container(c, force=True)`; python-on-whales
    `docker.container.remove(x, force=True)`, `docker.remove(x, force=True)` and
    `Container.remove(force=True)`; aiodocker `await container.delete(force=True)`.
    Containers come from `docker.from_env()`, `docker.DockerClient(...)`,
    `client.containers.get/run/create/list(...)` (and loops over them), `client.api`,
    `python_on_whales.docker` or its `DockerClient`, `aiodocker.Docker().containers`.
    A module of your own named `docker` stays quiet unless it is used as docker-py is
    (`docker.from_env()`).

    ## Why is this bad?
    A forced removal of a running container is `DELETE /containers/{id}?force=1` (or
    `docker rm -f`): SIGKILL, no SIGTERM, no cleanup, nothing flushed.

    ## Example
    ```python
    for container in client.containers.list(filters={"label": "e2e"}):
        container.remove(force=True, v=True)
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    for container in client.containers.list(filters={"label": "e2e"}):
        docker_executor.run_limited(container.stop, timeout=10)
        docker_executor.run_limited(container.remove, v=True)
    ```
    A graceful stop with the configured stop timeout (`stop-timeout`, default 10 s, written
    out: docker-py's `stop()` without a timeout sends none), then the removal without force,
    keeping `v=` (docker-py, aiodocker) and `volumes=` (whales); `link=True` is reported.
    Where the call is the value of a statement (`c.remove(...)`, `return c.remove(...)`)
    both calls go through the executor's limiter (`docker_executor.run_limited`,
    `await docker_executor.aio.run_limited` for aiodocker); with a configured `runner`
    they are plain calls. whales stops with `time=N`, aiodocker with `t=N`.

    ## Fix safety
    Unsafe in timing: each container gets up to N seconds to stop. Errors: docker-py
    raises `docker.errors.NotFound` for a missing container from `stop` exactly as
    `remove(force=True)` did, and stopping an already stopped container succeeds, so
    the exceptions stay the same. python-on-whales runs the CLI, where `rm -f` of a
    missing container succeeds (v20.10+) but `stop` raises `NoSuchContainer`: a teardown
    that removed containers already gone now raises. A container removed between the stop
    and the removal makes the removal raise `NotFound`. A container started with
    `remove=True`/`auto_remove=True` (aiodocker: `"AutoRemove": True` in a literal config)
    is reported, not fixed: the daemon removes it as soon as it stops, and the removal
    then raises (`APIError` 409 or `NotFound`, checked on Docker 20.10); such a container
    is only recognised where its `run(...)` is visible.
    Not fixed, reported with the reason: `force` passed positionally or from a variable,
    `**kwargs`, a call inside a lambda, a comprehension or a larger expression (the stop
    and the removal cannot become two statements), a receiver or argument computed by a
    call (it would run twice), a method passed as a callable
    (`run_in_executor(None, c.remove)`, `functools.partial(c.remove, force=True)`).
    """

    CODE = "DF101"
    NAME = "sdk-force-remove-container"
    METHODS = frozenset({"remove", "remove_container", "delete"}) | REFERENCE_CALLS

    def check_sdk(self, call: SdkCall, settings: Settings) -> Optional[SdkVerdict]:
        shape = _REMOVALS.get((call.library, call.receiver, call.method))
        if shape is None:
            return None
        force_index, operands = shape
        message = "a forced SDK removal kills the container with SIGKILL; stop it, then remove"
        force = _force_argument(call, force_index)
        if force is None:
            if call.star_kwargs:
                return SdkVerdict(message, reason=why_not_fixable(call, steps=2))
            return None
        if force.literal and not force.value:
            return None
        if "force" not in call.keywords:
            return SdkVerdict(
                message, reason="`force` is passed positionally; name it, or fix by hand"
            )
        if not force.literal:
            return SdkVerdict(message, reason=f"`force` comes from `{force.text}`; it may be True")
        if len(call.positional) > operands:
            return SdkVerdict(message, reason="options are passed positionally; name them")
        if call.auto_removed:
            auto = (
                "the container was started with auto-remove: after a graceful stop the "
                "daemon removes it, and the removal then fails (409 or NotFound); stop it "
                "and wait for the removal by hand"
            )
            return SdkVerdict(message, reason=auto)
        if not call.keyword_false("link"):
            link = "`link=` removes a link, not the container; stopping it may be wrong"
            return SdkVerdict(message, reason=link)
        reason = why_not_fixable(call, steps=2)
        if reason is not None:
            return SdkVerdict(message, reason=reason)
        kept = tuple(name for name in call.keywords if name in _KEPT)
        unknown = [n for n in call.keywords if n not in _KEPT and n != "force"]
        if unknown:
            return SdkVerdict(
                message, reason=f"`{unknown[0]}=` is not a removal option dockfix knows"
            )
        heads = tuple(range(operands))
        remove = SdkStep(call.path, heads, keep=kept)
        return SdkVerdict(message, fix=SdkSteps((stop_step(call, settings, heads), remove)))

    VALID = (
        Valid(
            "no-force",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(v=True)
            c.remove(force=False)
        """,
        ),
        Valid(
            "project-docker-module",
            """
            import docker

            docker.remove(name, force=True)
            docker.container.remove(name, force=True)
        """,
        ),
        Valid(
            "whales-shadowed-by-parameter",
            """
            from python_on_whales import docker


            def down(docker):
                docker.container.remove(name, force=True)
        """,
        ),
        Valid(
            "whales-without-force",
            """
            from python_on_whales import docker


            docker.container.remove(name)
            docker.remove(name, force=False)
            docker.volume.remove(vol)
        """,
        ),
        Valid(
            "unknown-receiver",
            """
            def drop(c):
                c.remove(force=True)
        """,
        ),
        Valid(
            "os-remove",
            """
            import os
            import docker

            os.remove(path)
            items.remove(x)
        """,
        ),
        Valid(
            "ambiguous-binding",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            if other:
                c = Thing()
            c.remove(force=True)
        """,
        ),
        Valid(
            "not-detached-run",
            """
            import docker

            client = docker.from_env()


            client.containers.run('img').remove(force=True)
        """,
        ),
        Valid(
            "text-only",
            """
            HELP = "call container.remove(force=True) to clean up"
        """,
        ),
        Valid(
            "suppressed",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(force=True)  # dockfix: ignore[DF101]
        """,
        ),
        Valid(
            "already-fixed",
            """
            from dockfix.runtime import docker_executor
            import docker

            client = docker.from_env()
            c = client.containers.get(name)
            docker_executor.run_limited(c.stop, timeout=10)
            docker_executor.run_limited(c.remove, v=True)
        """,
        ),
    )

    INVALID = (
        Invalid(
            "docker-py-loop-keeps-v-and-comment",
            """
            import docker

            client = docker.from_env()


            def teardown(label):
                for container in client.containers.list(filters={"label": label}):
                    container.remove(force=True, v=True)  # clean up
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            def teardown(label):
                for container in client.containers.list(filters={"label": label}):
                    docker_executor.run_limited(container.stop, timeout=10)
                    docker_executor.run_limited(container.remove, v=True)  # clean up
        """,
        ),
        Invalid(
            "docker-py-get-lookup-repeated",
            """
            import docker

            client = docker.from_env()


            client.containers.get(name).remove(force=True, link=False)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            docker_executor.run_limited(client.containers.get(name).stop, timeout=10)
            docker_executor.run_limited(client.containers.get(name).remove, link=False)
        """,
        ),
        Invalid(
            "docker-py-api-remove-container",
            """
            import docker

            api = docker.APIClient()
            api.remove_container(cid, force=True, v=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            api = docker.APIClient()
            docker_executor.run_limited(api.stop, cid, timeout=10)
            docker_executor.run_limited(api.remove_container, cid, v=True)
        """,
        ),
        Invalid(
            "docker-py-client-api",
            """
            import docker

            client = docker.from_env()


            client.api.remove_container(cid, force=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            docker_executor.run_limited(client.api.stop, cid, timeout=10)
            docker_executor.run_limited(client.api.remove_container, cid)
        """,
        ),
        Invalid(
            "docker-py-with-client",
            """
            import docker

            with docker.DockerClient(base_url=URL) as cl:
                cl.containers.get(name).remove(force=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            with docker.DockerClient(base_url=URL) as cl:
                docker_executor.run_limited(cl.containers.get(name).stop, timeout=10)
                docker_executor.run_limited(cl.containers.get(name).remove)
        """,
        ),
        Invalid(
            "docker-py-annotated-param",
            """
            from docker.models.containers import Container


            def drop(c: Container) -> None:
                c.remove(force=True)
        """,
            """
            from docker.models.containers import Container
            from dockfix.runtime import docker_executor


            def drop(c: Container) -> None:
                docker_executor.run_limited(c.stop, timeout=10)
                docker_executor.run_limited(c.remove)
        """,
        ),
        Invalid(
            "docker-py-self-attribute",
            """
            import docker


            class Env:
                def __init__(self):
                    self.client = docker.from_env()

                def close(self):
                    for c in self.client.containers.list(all=True):
                        c.remove(force=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor


            class Env:
                def __init__(self):
                    self.client = docker.from_env()

                def close(self):
                    for c in self.client.containers.list(all=True):
                        docker_executor.run_limited(c.stop, timeout=10)
                        docker_executor.run_limited(c.remove)
        """,
        ),
        Invalid(
            "docker-py-comprehension",
            """
            import docker

            client = docker.from_env()


            [c.remove(force=True) for c in client.containers.list()]
        """,
            None,
        ),
        Invalid(
            "stop-timeout-setting",
            """
            import docker

            client = docker.from_env()


            c = client.containers.run('img', detach=True)
            c.remove(force=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            c = client.containers.run('img', detach=True)
            docker_executor.run_limited(c.stop, timeout=30)
            docker_executor.run_limited(c.remove)
        """,
            settings={"stop_timeout": 30},
        ),
        Invalid(
            "runner-plain-calls",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(force=True)
        """,
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.stop(timeout=10)
            c.remove()
        """,
            settings={"runner": "self.run_docker"},
        ),
        Invalid(
            "whales-container-remove",
            """
            from python_on_whales import docker


            docker.container.remove(name, force=True, volumes=True)
        """,
            """
            from python_on_whales import docker
            from dockfix.runtime import docker_executor


            docker_executor.run_limited(docker.container.stop, name, time=10)
            docker_executor.run_limited(docker.container.remove, name, volumes=True)
        """,
        ),
        Invalid(
            "whales-remove-list",
            """
            from python_on_whales import docker


            docker.remove([a, b], force=True)
        """,
            """
            from python_on_whales import docker
            from dockfix.runtime import docker_executor


            docker_executor.run_limited(docker.stop, [a, b], time=10)
            docker_executor.run_limited(docker.remove, [a, b])
        """,
        ),
        Invalid(
            "whales-client",
            """
            from python_on_whales import DockerClient

            d = DockerClient(compose_files=[F])
            d.container.remove(name, force=True)
        """,
            """
            from python_on_whales import DockerClient
            from dockfix.runtime import docker_executor

            d = DockerClient(compose_files=[F])
            docker_executor.run_limited(d.container.stop, name, time=10)
            docker_executor.run_limited(d.container.remove, name)
        """,
        ),
        Invalid(
            "whales-container-object",
            """
            from python_on_whales import docker


            c = docker.run('img', detach=True)
            c.remove(force=True)
        """,
            """
            from python_on_whales import docker
            from dockfix.runtime import docker_executor


            c = docker.run('img', detach=True)
            docker_executor.run_limited(c.stop, time=10)
            docker_executor.run_limited(c.remove)
        """,
        ),
        Invalid(
            "aiodocker-delete",
            """
            import aiodocker


            async def cleanup(name):
                docker = aiodocker.Docker()
                container = await docker.containers.get(name)
                await container.delete(force=True, v=True)
        """,
            """
            import aiodocker
            from dockfix.runtime import docker_executor


            async def cleanup(name):
                docker = aiodocker.Docker()
                container = await docker.containers.get(name)
                await docker_executor.aio.run_limited(container.stop, t=10)
                await docker_executor.aio.run_limited(container.delete, v=True)
        """,
        ),
        Invalid(
            "lambda",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            cb = lambda: c.remove(force=True)
        """,
            None,
        ),
        Invalid(
            "value-used",
            """
            import docker

            client = docker.from_env()


            def f(name):
                c = client.containers.get(name)
                return c.remove(force=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            def f(name):
                c = client.containers.get(name)
                docker_executor.run_limited(c.stop, timeout=10)
                return docker_executor.run_limited(c.remove)
        """,
        ),
        Invalid(
            "auto-remove-container",
            """
            import docker

            client = docker.from_env()


            c = client.containers.run('img', detach=True, remove=True)
            c.remove(force=True)
        """,
            None,
        ),
        Invalid(
            "aiodocker-auto-remove",
            """
            import aiodocker


            async def go(cfg):
                docker = aiodocker.Docker()
                c = await docker.containers.run({'HostConfig': {'AutoRemove': True}})
                await c.delete(force=True)
        """,
            None,
        ),
        Invalid(
            "link-true",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(force=True, link=True)
        """,
            None,
        ),
        Invalid(
            "force-positional",
            """
            import docker

            client = docker.from_env()


            client.api.remove_container(cid, False, False, True)
        """,
            None,
        ),
        Invalid(
            "force-variable",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(force=force)
        """,
            None,
        ),
        Invalid(
            "star-kwargs",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(**options)
        """,
            None,
        ),
        Invalid(
            "partial-in-executor",
            """
            import functools
            import docker

            client = docker.from_env()
            c = client.containers.get(name)
            loop.run_in_executor(None, functools.partial(c.remove, force=True))
        """,
            None,
        ),
        Invalid(
            "lambda-in-executor",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            await loop.run_in_executor(None, lambda: c.remove(force=True))
        """,
            None,
        ),
        Invalid(
            "receiver-is-a-run",
            """
            import docker

            client = docker.from_env()


            client.containers.run('img', detach=True).remove(force=True)
        """,
            None,
        ),
        Invalid(
            "comment-inside",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(
                force=True,  # no grace
            )
        """,
            None,
        ),
        Invalid(
            "shares-its-line",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(force=True); n += 1
        """,
            None,
        ),
    )


def _force_argument(call: SdkCall, index: Optional[int]) -> Optional[SdkArg]:
    if "force" in call.keywords:
        return call.keywords["force"]
    if index is not None and len(call.positional) > index:
        return call.positional[index]
    return None
