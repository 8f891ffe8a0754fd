"""DF003 force-remove-volume: ``docker volume rm -f``."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import FORCE_FLAGS, flags_for, forced, safe_method_fix, why_not_fixable
from dockfix.rules._shape_cases import shape_invalid, shape_valid

_HEAD = "import subprocess\n\n\n"


class ForceRemoveVolume(Rule):
    """Force-removing a volume, only to ignore a missing one.

    ## What it does
    Finds `docker volume rm -f` / `docker volume remove --force` run through `subprocess`.

    ## Why is this bad?
    `-f` is used so that a missing volume is not an error, but the call still goes straight
    to the daemon outside the limiter, and the runtime guard refuses force flags.

    ## Example
    ```python
    subprocess.run(["docker", "volume", "rm", "-f", volume])
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    docker_executor.remove_volumes(volume)
    ```
    `remove_volumes` treats a missing volume as removed (`missing_ok=True`), which is what
    `-f` was used for; a volume in use is still refused, as with `-f`.

    ## Fix safety
    Safe: same outcome for missing and in-use volumes. Not fixed under a configured argv
    runner (no missing-is-fine equivalent), nor for shell strings or dynamic argv.
    """

    CODE = "DF003"
    NAME = "force-remove-volume"

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        cmd = call.command
        flags = flags_for(cmd, ("volume", "rm"), FORCE_FLAGS)
        if cmd is None or flags is None or not forced(flags, cmd):
            return None
        message = "`docker volume rm -f` bypasses the limiter; use remove_volumes()"
        early = why_not_fixable(call)
        if early is not None:
            return Verdict(message, reason=early)
        if flags.problem is not None:
            return Verdict(message, reason=f"the flags cannot be read: {flags.problem}")
        if not flags.operands:
            return Verdict(message, reason="no volume names in the argv")
        fix, reason = safe_method_fix(call, settings, "remove_volumes", flags.operands, (), ())
        return Verdict(message, fix=fix, reason=reason)

    VALID = (
        Valid("volume-rm", _HEAD + 'subprocess.run(["docker", "volume", "rm", v])\n'),
        Valid(
            "volume-ls-filter", _HEAD + 'subprocess.run(["docker", "volume", "ls", "-f", "x=y"])\n'
        ),
        Valid("container-rm-f", _HEAD + 'subprocess.run(["docker", "rm", "-f", c])\n'),
        Valid(
            "force-false", _HEAD + 'subprocess.run(["docker", "volume", "rm", "--force=0", v])\n'
        ),
        Valid("prune-f", _HEAD + 'subprocess.run(["docker", "volume", "prune", "-f"])\n'),
        *shape_valid(CODE),
    )

    INVALID = (
        Invalid(
            "volume-rm-f",
            """
            import subprocess


            subprocess.run(["docker", "volume", "rm", "-f", v])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.remove_volumes(v)
            """,
        ),
        Invalid(
            "volume-remove-force",
            """
            import subprocess


            subprocess.run(["docker", "volume", "remove", "--force", a, b])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.remove_volumes(a, b)
            """,
        ),
        Invalid(
            "flag-after",
            """
            import subprocess


            subprocess.check_call(["docker", "volume", "rm", v, "-f"])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.remove_volumes(v, check=True)
            """,
        ),
        Invalid(
            "captured",
            """
            import subprocess


            r = subprocess.run(
                ["docker", "volume", "rm", "-f", v],
                capture_output=True,
                text=True,
            )
            """,
            """
            from dockfix.runtime import docker_executor


            r = docker_executor.remove_volumes(
                v,
                capture_output=True,
                text=True,
            )
            """,
        ),
        Invalid(
            "global-host",
            """
            import subprocess


            subprocess.run(["docker", "-H", h, "volume", "rm", "-f", v])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.remove_volumes(v, global_args=("-H", h))
            """,
        ),
        Invalid(
            "runner",
            """
            import subprocess


            subprocess.run(["docker", "volume", "rm", "-f", v])
            """,
            None,
            # no equivalent argv for the configured runner
            settings={"runner": "run_docker"},
        ),
        Invalid(
            "os-system",
            """
            import os

            os.system("docker volume rm -f data")
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.remove_volumes("data")
            """,
        ),
        Invalid(
            "argv-variable",
            """
            import subprocess


            cmd = ["docker", "volume", "rm", "-f", v]
            audit(cmd)
            subprocess.run(cmd)
            """,
            None,
            # `cmd` is used or changed on line 5 in a way dockfix cannot follow; rewrite it by hand
        ),
        *shape_invalid(CODE),
    )
