"""DF103 sdk-force-remove-volume: docker-py ``volume.remove(force=True)``."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import Invalid, Valid
from dockfix.rules._sdk import (
    API,
    DOCKER_PY,
    REFERENCE_CALLS,
    VOLUME,
    SdkCall,
    SdkRule,
    SdkStep,
    SdkSteps,
    SdkVerdict,
    why_not_fixable,
)

# receiver -> (method, index of a positional `force`, how many operands lead)
_REMOVALS = {VOLUME: ("remove", 0, 0), API: ("remove_volume", 1, 1)}


class SdkForceRemoveVolume(SdkRule):
    """Force-removing a volume through docker-py hides errors.

    ## What it does
    Finds docker-py `volume.remove(force=True)` and `client.api.remove_volume(name,
    force=True)` on volumes traced back to the client (`client.volumes.get/create/list`).

    ## Why is this bad?
    `force` asks the daemon to forget a volume even when its driver cannot remove it
    (the docker-py docs: volumes "already removed out of band by the volume driver
    plugin"): the real failure is hidden, the data may stay behind. It does not help with a
    volume in use (still `APIError` 409) nor with a missing one (still `NotFound` on
    Docker 20.10).

    ## Example
    ```python
    client.volumes.get(name).remove(force=True)
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    docker_executor.run_limited(client.volumes.get(name).remove)
    ```
    Routed through the executor's limiter where the call is a statement;
    `functools.partial(v.remove, force=True)` becomes `functools.partial(v.remove)`.

    ## Fix safety
    Mostly safe: with the `local` driver the results and exceptions are the same (checked
    against Docker 20.10: a missing volume raises `NotFound` and an in-use volume raises
    `APIError` 409, with or without force). With a volume plugin, a volume the plugin
    already lost now raises instead of being forgotten silently. `force` from a variable,
    positionally, or through `**kwargs` is reported, not fixed.
    """

    CODE = "DF103"
    NAME = "sdk-force-remove-volume"
    METHODS = frozenset({"remove", "remove_volume"}) | REFERENCE_CALLS

    def check_sdk(self, call: SdkCall, settings: Settings) -> Optional[SdkVerdict]:
        shape = _REMOVALS.get(call.receiver)
        if call.library != DOCKER_PY or shape is None or call.method != shape[0]:
            return None
        _, index, operands = shape
        message = "a forced volume removal hides driver errors; remove it without force"
        force = call.keywords.get("force")
        if force is None and len(call.positional) > index:
            return SdkVerdict(message, reason="`force` is passed positionally; name it")
        if force is None:
            if call.star_kwargs:
                return SdkVerdict(message, reason=why_not_fixable(call, steps=1))
            return None
        if force.literal and not force.value:
            return None
        if not force.literal:
            return SdkVerdict(message, reason=f"`force` comes from `{force.text}`; it may be True")
        reason = why_not_fixable(call, steps=1)
        if reason is not None:
            return SdkVerdict(message, reason=reason)
        step = SdkStep(call.path, tuple(range(operands)))
        return SdkVerdict(message, fix=SdkSteps((step,)))

    VALID = (
        Valid(
            "no-force",
            """
            import docker

            client = docker.from_env()


            v = client.volumes.get(name)
            v.remove()
            v.remove(force=False)
        """,
        ),
        Valid(
            "prune",
            """
            import docker

            client = docker.from_env()


            client.volumes.prune()
        """,
        ),
        Valid(
            "unknown-receiver",
            """
            def drop(volume):
                volume.remove(force=True)
        """,
        ),
        Valid(
            "container-is-df101",
            """
            import docker

            client = docker.from_env()


            c = client.containers.get(name)
            c.remove(force=True)
        """,
        ),
    )

    INVALID = (
        Invalid(
            "volume-get-remove",
            """
            import docker

            client = docker.from_env()


            client.volumes.get(name).remove(force=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            docker_executor.run_limited(client.volumes.get(name).remove)
        """,
        ),
        Invalid(
            "volume-loop",
            """
            import docker

            client = docker.from_env()


            for volume in client.volumes.list(filters={'label': 'e2e'}):
                volume.remove(force=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            for volume in client.volumes.list(filters={'label': 'e2e'}):
                docker_executor.run_limited(volume.remove)
        """,
        ),
        Invalid(
            "api-remove-volume",
            """
            import docker

            client = docker.from_env()


            client.api.remove_volume(name, force=True)
        """,
            """
            import docker
            from dockfix.runtime import docker_executor

            client = docker.from_env()


            docker_executor.run_limited(client.api.remove_volume, name)
        """,
        ),
        Invalid(
            "lambda-in-place",
            """
            import docker

            client = docker.from_env()


            v = client.volumes.create(name)
            cleanup = lambda: v.remove(force=True)
        """,
            """
            import docker

            client = docker.from_env()


            v = client.volumes.create(name)
            cleanup = lambda: v.remove()
        """,
        ),
        Invalid(
            "runner-plain",
            """
            import docker

            client = docker.from_env()


            v = client.volumes.get(name)
            v.remove(force=True)
        """,
            """
            import docker

            client = docker.from_env()


            v = client.volumes.get(name)
            v.remove()
        """,
            settings={"runner": "self.run_docker"},
        ),
        Invalid(
            "partial",
            """
            import functools

            import docker

            v = docker.from_env().volumes.get(name)
            cleanup = functools.partial(v.remove, force=True)
        """,
            """
            import functools

            import docker

            v = docker.from_env().volumes.get(name)
            cleanup = functools.partial(v.remove)
        """,
        ),
        Invalid(
            "force-positional",
            """
            import docker

            client = docker.from_env()


            v = client.volumes.get(name)
            v.remove(True)
        """,
            None,
        ),
        Invalid(
            "force-variable",
            """
            import docker

            client = docker.from_env()


            v = client.volumes.get(name)
            v.remove(force=force)
        """,
            None,
        ),
    )
