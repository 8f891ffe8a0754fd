"""DF004 force-remove-other: ``docker network rm -f``, ``docker rmi -f``, ``docker image rm -f``."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, RerouteArgv, Rule, RunnerCalls, Valid, Verdict
from dockfix.rules._common import (
    FORCE_FLAGS,
    RMI_FLAGS,
    executor_method,
    flags_for,
    forced,
    why_not_fixable,
)

_HEAD = "import subprocess\n\n\n"


class ForceRemoveOther(Rule):
    """Force flags on networks and images.

    ## What it does
    Finds `docker network rm -f`, `docker rmi -f` and `docker image rm -f` run through
    `subprocess`.

    ## Why is this bad?
    `rmi -f` removes images still used by stopped containers or carrying other tags: it
    can break other tests that share the daemon. `network rm -f` (Docker 23+) only means
    "no error if missing", but the call bypasses the limiter and the runtime guard refuses
    force flags.

    ## Example
    ```python
    subprocess.run(["docker", "network", "rm", "-f", net])
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    docker_executor.run(["docker", "network", "rm", net])
    ```

    ## Fix safety
    `network rm -f` is fixed only where the meaning is kept: the call is a statement (its
    result is not read) and does not check its exit code, so a missing network makes no
    difference except a message on stderr. `rmi -f` is always reported, never fixed.
    """

    CODE = "DF004"
    NAME = "force-remove-other"

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        cmd = call.command
        if cmd is None:
            return None
        network = flags_for(cmd, ("network", "rm"), FORCE_FLAGS)
        if network is not None and forced(network, cmd):
            message = "`docker network rm -f` bypasses the limiter and the force guard"
            reason = why_not_fixable(call)
            if reason is None and network.problem is not None:
                reason = f"the flags cannot be read: {network.problem}"
            if reason is None and (call.result_used or call.keyword_true("check")):
                reason = "the result is read: without -f a missing network becomes an error"
            if reason is None and call.api in ("subprocess.check_call", "subprocess.check_output"):
                reason = f"{call.api} raises on a missing network once -f is gone"
            if reason is not None:
                return Verdict(message, reason=reason)
            argv = (
                cmd.program,
                *cmd.global_args,
                *cmd.command_tokens,
                *(t for t in cmd.args if t not in network.seen),
            )
            if settings.runner is not None:
                if call.keywords:
                    return Verdict(message, reason="the configured runner takes an argv only")
                return Verdict(message, fix=RunnerCalls((argv,)))
            drop = ("shell",) if call.argv_shape == "shell-plain" else ()
            return Verdict(message, fix=RerouteArgv(executor_method(call), argv, drop))
        for sub in (("rmi",),):
            rmi = flags_for(cmd, sub, RMI_FLAGS)
            if rmi is not None and forced(rmi, cmd):
                return Verdict(
                    "`docker rmi -f` removes images other containers or tags still use",
                    reason="no safe equivalent: decide whether the force is needed",
                )
        return None

    VALID = (
        Valid("rmi", _HEAD + 'subprocess.run(["docker", "rmi", image])\n'),
        Valid("image-prune-f", _HEAD + 'subprocess.run(["docker", "image", "prune", "-f"])\n'),
        Valid("network-prune-f", _HEAD + 'subprocess.run(["docker", "network", "prune", "-f"])\n'),
        Valid("network-rm", _HEAD + 'subprocess.run(["docker", "network", "rm", n])\n'),
        Valid("images-f-filter", _HEAD + 'subprocess.run(["docker", "images", "-f", "x=y"])\n'),
    )

    INVALID = (
        Invalid(
            "network-rm-f-statement",
            """
            import subprocess


            subprocess.run(["docker", "network", "rm", "-f", net])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "network", "rm", net])
            """,
        ),
        Invalid(
            "network-remove-force-kwargs",
            """
            import subprocess


            subprocess.run(["docker", "network", "remove", "--force", n], capture_output=True)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "network", "remove", n], capture_output=True)
            """,
        ),
        Invalid(
            "network-shell-plain",
            """
            import subprocess


            subprocess.run("docker network rm -f net1", shell=True)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "network", "rm", "net1"])
            """,
        ),
        Invalid(
            "network-os-system",
            """
            import os

            os.system("docker network rm -f net1")
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.run(["docker", "network", "rm", "net1"])
            """,
        ),
        Invalid(
            "network-runner",
            """
            import subprocess


            subprocess.run(["docker", "network", "rm", "-f", n])
            """,
            """
            run_docker(["docker", "network", "rm", n])
            """,
            settings={"runner": "run_docker"},
        ),
        Invalid(
            "network-result-used",
            """
            import subprocess


            r = subprocess.run(["docker", "network", "rm", "-f", n])
            """,
            None,
            # the result is read: without -f a missing network becomes an error
        ),
        Invalid(
            "network-checked",
            """
            import subprocess


            subprocess.run(["docker", "network", "rm", "-f", n], check=True)
            """,
            None,
            # the result is read: without -f a missing network becomes an error
        ),
        Invalid(
            "network-check-call",
            """
            import subprocess


            subprocess.check_call(["docker", "network", "rm", "-f", n])
            """,
            None,
            # subprocess.check_call raises on a missing network once -f is gone
        ),
        Invalid(
            "rmi-f",
            """
            import subprocess


            subprocess.run(["docker", "rmi", "-f", image])
            """,
            None,
            # no safe equivalent: decide whether the force is needed
        ),
        Invalid(
            "image-rm-force",
            """
            import subprocess


            subprocess.run(["docker", "image", "rm", "--force", image])
            """,
            None,
            # no safe equivalent: decide whether the force is needed
        ),
        Invalid(
            "image-remove-cluster",
            """
            import subprocess


            subprocess.run(["docker", "image", "remove", "-f", "--no-prune", i])
            """,
            None,
            # no safe equivalent: decide whether the force is needed
        ),
    )
