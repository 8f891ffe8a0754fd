"""DF005 docker-bypasses-limiter: any other docker call made directly."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import dangerous_code, reroute

_HEAD = "import subprocess\n\n\n"


class DockerBypassesLimiter(Rule):
    """A docker command run directly, outside the executor's limits.

    ## What it does
    Finds every other docker command run through `subprocess.run`, `call`, `check_call`,
    `check_output`, `asyncio.create_subprocess_exec`, `os.system`, `os.popen`: `docker run`,
    `ps`, `build -f`, `compose -f`, `logs -f`, `* prune -f`, `exec c rm -f /x`, a kill with
    a non-KILL signal...

    ## Why is this bad?
    Many parallel test workers starting docker processes at once overload the daemon:
    timeouts, `removal already in progress`, flaky teardown. The executor limits the
    concurrency and spacing of docker processes across threads and processes, retries
    transient daemon errors, and logs every command.

    ## Example
    ```python
    out = subprocess.check_output(["docker", "ps", "-aq"], text=True)
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    out = docker_executor.check_output(["docker", "ps", "-aq"], text=True)
    ```

    ## Fix safety
    Safe: the executor's method of the same name takes the same arguments and returns the
    same type. Only the func changes, so the arguments (and comments in them) are kept
    byte for byte. The runtime guard refuses at run time a force flag or kill hidden in a
    variable. Not fixed: shell strings (`os.system`, `shell=True`), argv built in a
    variable, a subcommand from a variable, a program name dockfix cannot resolve.
    """

    CODE = "DF005"
    NAME = "docker-bypasses-limiter"

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        if call.api == "subprocess.Popen" or dangerous_code(call.command) is not None:
            return None
        message = f"docker run directly through {call.api}; route it through the executor"
        cmd = call.command
        if cmd is not None and cmd.problem is not None and call.argv_shape != "shell":
            return Verdict(message, reason=f"the docker command cannot be read: {cmd.problem}")
        fix, reason = reroute(call, settings)
        return Verdict(message, fix=fix, reason=reason)

    VALID = (
        Valid("not-docker", _HEAD + 'subprocess.run(["git", "status"])\n'),
        Valid("docker-py", "import docker\nclient = docker.from_env()\n"),
        Valid(
            "executor",
            'from dockfix.runtime import docker_executor\ndocker_executor.run(["docker", "ps"])\n',
        ),
    )

    INVALID = (
        Invalid(
            "ps",
            _HEAD + 'out = subprocess.check_output(["docker", "ps", "-aq"], text=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'out = docker_executor.check_output(["docker", "ps", "-aq"], text=True)\n',
        ),
        Invalid("os-system", 'import os\n\nos.system("docker ps")\n'),
    )
