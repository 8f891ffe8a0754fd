"""DF005 docker-bypasses-limiter: any other docker call made directly."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import dangerous_code, reroute
from dockfix.rules._shape_cases import shape_invalid, shape_valid

_HEAD = "import subprocess\n\n\n"
_REMOVALS = frozenset({("rm",), ("kill",), ("volume", "rm"), ("network", "rm"), ("rmi",)})


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
    variable. A `shell=True` string without any shell syntax becomes the same words as an
    argv list (`shell=True` dropped); if docker is missing, that raises `FileNotFoundError`
    where the shell returned 127. An `os.system("docker ...")` statement without shell
    syntax becomes `run([...])`; an f-string, `%` or `+` placeholder word becomes one
    argument (`str(x)`), as for DF001. `asyncio.create_subprocess_shell("docker ...")`
    without shell syntax becomes `await docker_executor.aio.create_subprocess_exec(...)`
    with the words as arguments: the same `Process` object, holding a slot until it exits.
    An argv variable followed from its assignment to the call (`append`, `extend`, `+=`)
    is routed as is. An `os.system(...)` result only tested against zero (`== 0`, `!= 0`,
    `if`, `not`) becomes `call([...])`: a wait status is zero exactly when the return code
    is. Not fixed: shell strings with shell syntax, `os.system` whose result (a wait
    status) is used otherwise, `os.popen` (a file object), an argv variable
    changed under an `if`, in a loop or passed elsewhere, a
    subcommand from a variable, a `+`-joined or starred part in a removal or kill (it may
    hold a force flag), a program name dockfix cannot resolve.
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
        if cmd is not None and cmd.subcommand in _REMOVALS and any(tok.starred for tok in cmd.args):
            why = "a joined or starred part may hold a force flag or a signal; route it by hand"
            return Verdict(message, reason=why)
        fix, reason = reroute(call, settings)
        return Verdict(message, fix=fix, reason=reason)

    VALID = (
        Valid("podman", _HEAD + 'subprocess.run(["podman", "ps"])\n'),
        Valid("text-in-assert", 'assert calls == [["docker", "ps"]]\n'),
        Valid("help-text", 'HELP = "run `docker ps` to see the containers"\n'),
        Valid(
            "shadowed-local",
            """
            def f():
                subprocess = FakeSubprocess()
                subprocess.run(["docker", "ps"])
            """,
        ),
        Valid(
            "project-module-named-docker",
            "from myproj import docker\n\ndocker.run(['ps'])\n",
        ),
        Valid("suppressed-above", _HEAD + '# dockfix: ignore\nsubprocess.run(["docker", "ps"])\n'),
        Valid(
            "suppressed-multiline",
            _HEAD + 'subprocess.run(  # dockfix: ignore[DF005]\n    ["docker", "ps"],\n)\n',
        ),
        Valid(
            "rm-f-is-not-mine",
            _HEAD + 'subprocess.run(["docker", "rm", "-f", c])\n',
        ),
        Valid("not-docker", _HEAD + 'subprocess.run(["git", "status"])\n'),
        Valid("docker-py", "import docker\nclient = docker.from_env()\n"),
        Valid(
            "executor",
            'from dockfix.runtime import docker_executor\ndocker_executor.run(["docker", "ps"])\n',
        ),
        *shape_valid(CODE),
    )

    INVALID = (
        Invalid(
            "ps",
            """
            import subprocess


            out = subprocess.check_output(["docker", "ps", "-aq"], text=True)
            """,
            """
            from dockfix.runtime import docker_executor


            out = docker_executor.check_output(["docker", "ps", "-aq"], text=True)
            """,
        ),
        Invalid(
            "run-detached",
            """
            import subprocess


            subprocess.run(["docker", "run", "-d", "--name", n, image], check=True)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "run", "-d", "--name", n, image], check=True)
            """,
        ),
        Invalid(
            "build-f",
            """
            import subprocess


            subprocess.check_call(["docker", "build", "-f", "Dockerfile.test", "."])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.check_call(["docker", "build", "-f", "Dockerfile.test", "."])
            """,
        ),
        Invalid(
            "compose-f-down",
            """
            import subprocess


            subprocess.run(["docker", "compose", "-f", "dc.yml", "down"])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "compose", "-f", "dc.yml", "down"])
            """,
        ),
        Invalid(
            "logs-f-call",
            """
            import subprocess


            rc = subprocess.call(["docker", "logs", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor


            rc = docker_executor.call(["docker", "logs", "-f", c])
            """,
        ),
        Invalid(
            "prune-f",
            """
            import subprocess


            subprocess.run(["docker", "system", "prune", "-f"])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "system", "prune", "-f"])
            """,
        ),
        Invalid(
            "exec-rm-f-inside",
            """
            import subprocess


            subprocess.run(["docker", "exec", c, "rm", "-f", "/data/x"])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "exec", c, "rm", "-f", "/data/x"])
            """,
        ),
        Invalid(
            "kill-hup-routed",
            """
            import subprocess


            subprocess.run(["docker", "kill", "-s", "HUP", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "kill", "-s", "HUP", c])
            """,
        ),
        Invalid(
            "rm-without-force",
            """
            import subprocess


            subprocess.run(["docker", "rm", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "rm", c])
            """,
        ),
        Invalid(
            "stop",
            """
            import subprocess


            subprocess.run(["docker", "stop", "-t", "5", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "stop", "-t", "5", c])
            """,
        ),
        Invalid(
            "multiline-comments-kept",
            """
            import subprocess


            subprocess.run(
                [
                    "docker",  # the CLI
                    "inspect",
                    c,  # which one
                ],
                check=True,  # must exist
            )
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(
                [
                    "docker",  # the CLI
                    "inspect",
                    c,  # which one
                ],
                check=True,  # must exist
            )
            """,
        ),
        Invalid(
            "import-alias",
            """
            import subprocess as sp

            sp.run(['docker', 'ps'])
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.run(['docker', 'ps'])
            """,
        ),
        Invalid(
            "from-import",
            """
            from subprocess import check_output as co

            x = co(['docker', 'ps'])
            """,
            """
            from dockfix.runtime import docker_executor

            x = docker_executor.check_output(['docker', 'ps'])
            """,
        ),
        Invalid(
            "in-lambda",
            """
            import subprocess


            ps = lambda: subprocess.check_output(["docker", "ps"])
            """,
            """
            from dockfix.runtime import docker_executor


            ps = lambda: docker_executor.check_output(["docker", "ps"])
            """,
        ),
        Invalid(
            "timeout-kept",
            """
            import subprocess


            subprocess.run(["docker", "ps"], timeout=30)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "ps"], timeout=30)
            """,
        ),
        Invalid(
            "global-args-kept",
            """
            import subprocess


            subprocess.run(["docker", "-H", h, "ps"])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "-H", h, "ps"])
            """,
        ),
        Invalid(
            "str-split",
            """
            import subprocess


            subprocess.run("docker ps -a".split())
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run("docker ps -a".split())
            """,
        ),
        Invalid(
            "asyncio-exec",
            """
            import asyncio


            async def ps():
                p = await asyncio.create_subprocess_exec("docker", "ps")
                return await p.wait()
            """,
            """
            from dockfix.runtime import docker_executor


            async def ps():
                p = await docker_executor.aio.create_subprocess_exec("docker", "ps")
                return await p.wait()
            """,
        ),
        Invalid(
            "runner",
            """
            import subprocess


            subprocess.run(["docker", "pull", image])
            """,
            """
            self.run_docker(["docker", "pull", image])
            """,
            settings={"runner": "self.run_docker"},
        ),
        Invalid(
            "runner-result-used",
            """
            import subprocess


            r = subprocess.run(["docker", "ps"])
            """,
            None,
            # the result is used, and the configured runner's result type is unknown
            settings={"runner": "run_docker"},
        ),
        Invalid(
            "shell-true-plain",
            """
            import subprocess


            subprocess.call("docker ps -a", shell=True)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.call(["docker", "ps", "-a"])
            """,
        ),
        Invalid(
            "shell-true-check-output",
            """
            import subprocess


            x = subprocess.check_output("docker inspect web", shell=True, text=True)
            """,
            """
            from dockfix.runtime import docker_executor


            x = docker_executor.check_output(["docker", "inspect", "web"], text=True)
            """,
        ),
        Invalid(
            "list-plus-extra",
            """
            import subprocess


            subprocess.run(["docker", "ps"] + extra)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.run(["docker", "ps"] + extra)
            """,
        ),
        Invalid(
            "rm-plus-names",
            """
            import subprocess


            subprocess.run(["docker", "rm"] + names)
            """,
            None,
            # a joined or starred part may hold a force flag or a signal; route it by hand
        ),
        Invalid(
            "options-joined-before-subcommand",
            """
            import subprocess


            subprocess.run(["docker"] + opts + ["ps"])
            """,
            None,
            # the docker command cannot be read: `opts` may hold options or the subcommand
        ),
        Invalid(
            "os-system-plain",
            """
            import os

            os.system("docker ps -a")
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.run(["docker", "ps", "-a"])
            """,
        ),
        Invalid(
            "os-system-syntax",
            """
            import os

            os.system("docker ps -a | grep web")
            """,
            None,
            # os.system can be routed only as a statement with a plain command string
        ),
        Invalid(
            "os-system-result-used",
            """
            import os

            rc = os.system("docker ps -a")
            """,
            None,
            # os.system can be routed only as a statement with a plain command string
        ),
        Invalid(
            "os-popen",
            """
            import os

            out = os.popen("docker ps").read()
            """,
            None,
            # a shell command string cannot be routed mechanically
        ),
        Invalid(
            "shell-true-syntax",
            """
            import subprocess


            subprocess.run("docker ps -q | head -1", shell=True)
            """,
            None,
            # a shell command string cannot be routed mechanically
        ),
        Invalid(
            "dynamic-subcommand",
            """
            import subprocess


            subprocess.run(["docker", action, c])
            """,
            None,
            # the docker command cannot be read: the subcommand comes from `action`
        ),
        Invalid(
            "dynamic-program",
            """
            import subprocess


            subprocess.run([self.docker_bin, "ps"])
            """,
            None,
            # the program name `self.docker_bin` is not known to be docker (it may be podman or
            # another tool); check it and route it by hand
        ),
        Invalid(
            "argv-variable-read-once",
            """
            import subprocess


            def up(image):
                cmd = ["docker", "run", "-d", image]
                subprocess.run(cmd, check=True)
            """,
            """
            from dockfix.runtime import docker_executor


            def up(image):
                cmd = ["docker", "run", "-d", image]
                docker_executor.run(cmd, check=True)
            """,
        ),
        Invalid(
            "argv-variable-extended",
            """
            import subprocess


            cmd = ["docker", "ps"]
            if all_:
                cmd.append("-a")
            subprocess.run(cmd)
            """,
            None,
            # the argv is built elsewhere (a variable); route it by hand
        ),
        Invalid(
            "asyncio-shell",
            """
            import asyncio


            async def f():
                await asyncio.create_subprocess_shell("docker ps | head -1")
            """,
            None,
            # a shell command string cannot be routed mechanically
        ),
        *shape_invalid(CODE),
    )
