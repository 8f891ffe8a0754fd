"""DF003 force-remove-volume: ``docker volume rm -f``."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import FORCE_FLAGS, flags_for, forced, safe_method_fix

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
        if flags.problem is not None:
            return Verdict(message, reason=f"the flags cannot be read: {flags.problem}")
        if not flags.operands:
            return Verdict(message, reason="no volume names in the argv")
        fix, reason = safe_method_fix(call, settings, "remove_volumes", flags.operands, (), ())
        return Verdict(message, fix=fix, reason=reason)

    VALID = (Valid("prune-f", _HEAD + 'subprocess.run(["docker", "volume", "prune", "-f"])\n'),)

    INVALID = (
        Invalid(
            "volume-rm-f",
            _HEAD + 'subprocess.run(["docker", "volume", "rm", "-f", v])\n',
            "from dockfix.runtime import docker_executor\n\n\ndocker_executor.remove_volumes(v)\n",
        ),
    )
