"""DF001 force-remove-container: ``docker rm -f`` and its spellings."""

from __future__ import annotations

from typing import Optional

from dockfix.engine._types import Settings
from dockfix.rules._base import DockerCall, Invalid, Rule, Valid, Verdict
from dockfix.rules._common import RM_FLAGS, flags_for, forced, safe_method_fix, why_not_fixable
from dockfix.rules._shape_cases import shape_invalid, shape_valid

_HEAD = "import subprocess\n\n\n"


class ForceRemoveContainer(Rule):
    """Force-removing a container kills it with SIGKILL.

    ## What it does
    Finds `docker rm -f` (`--force`, `--force=true`, `-fv`, `-vf`, `docker container rm -f`,
    `docker container remove -f`) run through `subprocess`, `os` or `asyncio`, with the
    flag before or after the container names.

    ## Why is this bad?
    `docker rm -f` sends SIGKILL: the container's main process gets no SIGTERM, runs no
    cleanup, flushes nothing. In a test suite it also bursts straight to the daemon,
    outside any rate limit.

    ## Example
    ```python
    subprocess.run(["docker", "rm", "-f", name], check=True)
    ```

    ## Use instead
    ```python
    from dockfix.runtime import docker_executor

    docker_executor.stop_and_remove(name, check=True)
    ```
    `docker stop -t N` first (SIGTERM, then SIGKILL after N seconds), then `docker rm`
    without force. `-v`/`--volumes` is kept as `volumes=True`; global options (`-H`,
    `--context`) as `global_args=(...)`. `call` keeps its int result
    (`.returncode`), `check_call` raises on failure (`check=True`), `check_output` keeps
    its output (`.stdout`). The stop timeout is the runtime's (10 s, `DOCKFIX_STOP_TIMEOUT`)
    unless `stop-timeout` is configured, then it is written as `timeout=N`.

    ## Fix safety
    Unsafe in timing: the container now gets its stop grace period, so teardown can take
    up to N seconds longer per container; a missing container still counts as removed.
    The program path is not kept: the executor runs its configured docker
    (`DOCKFIX_DOCKER`, default `docker` on `PATH`).
    Argv may be a list or tuple (also joined with `+`, the joined part read as names), a
    `"...".split()`, `shlex.split("...")`, a `shell=True` string without shell syntax, or
    such a string in an `os.system(...)` statement (or its result only tested against zero:
    `.returncode` then stands for the wait status, zero exactly when it is). Strings may be
    f-strings, `"... %s" % x` or `"..." + x`: each placeholder word becomes one argument
    (`str(x)`, `f"web-{i}"`; `" ".join(xs)` becomes `*xs`, `shlex.quote(x)` becomes `x`);
    the shell would also have split a value at blanks and expanded globs in it.
    An argv variable is followed from its assignment (`append`, `extend`, `+=`, `+`) to
    the call (also into a `try`/`if`/`with` body that does not touch it); the list it was
    built in is left in place, unused. So is a command string assigned right before.
    Not fixed (reported with the reason): a shell string with shell syntax
    (`$(...)`, `||`, pipes, redirections, globs; the reason names it), a placeholder named
    like several words (`{names}`, `{opts}`), `str.format`, `["sh", "-c", "docker ..."]`,
    an argv changed under an `if`,
    in a loop or passed elsewhere (`related` in JSON and SARIF points at those lines),
    a program name dockfix cannot resolve, `Popen`, a `timeout=` (a process timeout,
    which is not the stop grace period), `-l`/`--link`, comments inside the call,
    `check_call`/`check_output` given `check=` (a call that raises `TypeError`).
    """

    CODE = "DF001"
    NAME = "force-remove-container"

    def check(self, call: DockerCall, settings: Settings) -> Optional[Verdict]:
        cmd = call.command
        flags = flags_for(cmd, ("rm",), RM_FLAGS)
        if cmd is None or flags is None or not forced(flags, cmd):
            return None
        message = "`docker rm -f` kills the container with SIGKILL; stop it, then remove it"
        early = why_not_fixable(call)
        if early is not None:
            return Verdict(message, reason=early)
        if flags.problem is not None:
            return Verdict(message, reason=f"the rm flags cannot be read: {flags.problem}")
        if flags.on("link"):
            return Verdict(message, reason="`--link` has no equivalent in stop_and_remove")
        if not flags.operands:
            return Verdict(message, reason="no container names in the argv")
        extra = (("volumes", "True"),) if flags.on("volumes") else ()
        rm_words = ("rm", "-v", "<names>") if flags.on("volumes") else ("rm", "<names>")
        runner = (("stop", "-t", str(settings.stop_timeout), "<names>"), rm_words)
        fix, reason = safe_method_fix(
            call, settings, "stop_and_remove", flags.operands, extra, runner
        )
        return Verdict(message, fix=fix, reason=reason)

    VALID = (
        Valid("rm-without-force", _HEAD + 'subprocess.run(["docker", "rm", name])\n'),
        Valid("force-false", _HEAD + 'subprocess.run(["docker", "rm", "--force=false", c])\n'),
        Valid(
            "exec-rm-f-inside", _HEAD + 'subprocess.run(["docker", "exec", c, "rm", "-f", "/x"])\n'
        ),
        Valid("podman", _HEAD + 'subprocess.run(["podman", "rm", "-f", c])\n'),
        Valid(
            "build-f-file", _HEAD + 'subprocess.run(["docker", "build", "-f", "Dockerfile", "."])\n'
        ),
        Valid(
            "compose-f-file",
            _HEAD + 'subprocess.run(["docker", "compose", "-f", "dc.yml", "rm"])\n',
        ),
        Valid("logs-follow", _HEAD + 'subprocess.run(["docker", "logs", "-f", c])\n'),
        Valid(
            "ps-filter", _HEAD + 'subprocess.run(["docker", "ps", "-a", "-f", "status=exited"])\n'
        ),
        Valid(
            "images-filter", _HEAD + 'subprocess.run(["docker", "images", "-f", "dangling=true"])\n'
        ),
        Valid(
            "container-prune-f", _HEAD + 'subprocess.run(["docker", "container", "prune", "-f"])\n'
        ),
        Valid("git-rm-f", _HEAD + 'subprocess.run(["git", "rm", "-f", path])\n'),
        Valid(
            "kubectl-force", _HEAD + 'subprocess.run(["kubectl", "delete", "pod", p, "--force"])\n'
        ),
        Valid("rm-volumes-only", _HEAD + 'subprocess.run(["docker", "rm", "-v", c])\n'),
        Valid("name-after-double-dash", _HEAD + 'subprocess.run(["docker", "rm", "--", "-f"])\n'),
        Valid(
            "executor-already",
            "from dockfix.runtime import docker_executor\n\ndocker_executor.stop_and_remove(c)\n",
        ),
        Valid("text-only", 'HELP = "run docker rm -f NAME to clean up"\n'),
        Valid("assert-text", 'assert cmd == ["docker", "rm", "-f", "c"]\n'),
        Valid(
            "shadowed-subprocess",
            """
            def f(subprocess):
                subprocess.run(["docker", "rm", "-f", c])
            """,
        ),
        Valid(
            "suppressed-same-line",
            _HEAD + 'subprocess.run(["docker", "rm", "-f", c])  # dockfix: ignore\n',
        ),
        Valid(
            "suppressed-line-above",
            _HEAD + '# dockfix: ignore[DF001]\nsubprocess.run(["docker", "rm", "-f", c])\n',
        ),
        Valid(
            "constant-podman",
            'import subprocess\nDOCKER = "podman"\nsubprocess.run([DOCKER, "rm", "-f", c])\n',
        ),
        *shape_valid(CODE),
    )

    INVALID = (
        Invalid(
            "tuple-argv",
            """
            import subprocess


            subprocess.run(("docker", "rm", "-f", name))
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name)
            """,
        ),
        Invalid(
            "container-rm",
            """
            import subprocess


            subprocess.run(["docker", "container", "rm", "-f", name])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name)
            """,
        ),
        Invalid(
            "container-remove-long",
            """
            import subprocess


            subprocess.run(["docker", "container", "remove", "--force", name])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name)
            """,
        ),
        Invalid(
            "force-equals-true",
            """
            import subprocess


            subprocess.run(["docker", "rm", "--force=true", name])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name)
            """,
        ),
        Invalid(
            "cluster-fv",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-fv", name])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name, volumes=True)
            """,
        ),
        Invalid(
            "cluster-vf",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-vf", name])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name, volumes=True)
            """,
        ),
        Invalid(
            "volumes-long",
            """
            import subprocess


            subprocess.run(["docker", "rm", "--volumes", "-f", name])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name, volumes=True)
            """,
        ),
        Invalid(
            "flag-after-names",
            """
            import subprocess


            subprocess.run(["docker", "rm", "web", "db", "-f"])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove("web", "db")
            """,
        ),
        Invalid(
            "many-and-starred",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", "web", *others, self.db.name])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove("web", *others, self.db.name)
            """,
        ),
        Invalid(
            "fstring-name",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", f"web-{i}"])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(f"web-{i}")
            """,
        ),
        Invalid(
            "import-as",
            """
            import subprocess as sp

            sp.run(['docker', 'rm', '-f', name])
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.stop_and_remove(name)
            """,
        ),
        Invalid(
            "from-import-call-int",
            """
            from subprocess import call

            rc = call(['docker', 'rm', '-f', name])
            """,
            """
            from dockfix.runtime import docker_executor

            rc = docker_executor.stop_and_remove(name).returncode
            """,
        ),
        Invalid(
            "check-call-raises",
            """
            import subprocess


            subprocess.check_call(["docker", "rm", "-f", name])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name, check=True)
            """,
        ),
        Invalid(
            "check-output-output",
            """
            import subprocess


            o = subprocess.check_output(["docker", "rm", "-f", c], env=e)
            """,
            """
            import subprocess
            from dockfix.runtime import docker_executor


            o = docker_executor.stop_and_remove(c, env=e, check=True, stdout=subprocess.PIPE).stdout
            """,
        ),
        # Found by a review: `check=` was kept and `check=True` added, a file that does
        # not compile (the call itself raises TypeError); it is reported, not fixed.
        Invalid(
            "check-call-with-check",
            """
            import subprocess


            subprocess.check_call(["docker", "rm", "-f", c], check=False)
            """,
        ),
        Invalid(
            "check-output-with-check",
            """
            import subprocess


            o = subprocess.check_output(["docker", "rm", "-f", c], check=True)
            """,
        ),
        Invalid(
            "from-import-check-output",
            """
            from subprocess import check_output

            o = check_output(["docker", "rm", "-f", c])
            """,
            """
            import subprocess
            from dockfix.runtime import docker_executor

            o = docker_executor.stop_and_remove(c, check=True, stdout=subprocess.PIPE).stdout
            """,
        ),
        Invalid(
            "args-keyword",
            """
            import subprocess


            subprocess.run(args=["docker", "rm", "-f", name], check=True)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(name, check=True)
            """,
        ),
        Invalid(
            "kwargs-kept",
            """
            import subprocess


            subprocess.run(
                ["docker", "rm", "-f", name],
                check=True,
                capture_output=True,
                text=True,
                env=env,
                cwd=tmp,
            )
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(
                name,
                check=True,
                capture_output=True,
                text=True,
                env=env,
                cwd=tmp,
            )
            """,
        ),
        Invalid(
            "stdout-stderr-input",
            """
            import subprocess


            subprocess.run(
                ["docker", "rm", "-f", c],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
                input=b"",
            )
            """,
            """
            import subprocess
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(
                c,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
                input=b"",
            )
            """,
        ),
        Invalid(
            "shell-false-dropped",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c], shell=False)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(c)
            """,
        ),
        Invalid(
            "in-lambda",
            """
            import subprocess


            cleanup = lambda c: subprocess.call(["docker", "rm", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor


            cleanup = lambda c: docker_executor.stop_and_remove(c).returncode
            """,
        ),
        Invalid(
            "in-comprehension",
            """
            import subprocess


            codes = [subprocess.call(["docker", "rm", "-f", c]) for c in names]
            """,
            """
            from dockfix.runtime import docker_executor


            codes = [docker_executor.stop_and_remove(c).returncode for c in names]
            """,
        ),
        Invalid(
            "in-conditional",
            """
            import subprocess


            rc = subprocess.call(["docker", "rm", "-f", c]) if c else 0
            """,
            """
            from dockfix.runtime import docker_executor


            rc = docker_executor.stop_and_remove(c).returncode if c else 0
            """,
        ),
        Invalid(
            "in-comparison",
            """
            import subprocess


            if subprocess.call(["docker", "rm", "-f", c]) != 0:
                raise RuntimeError(c)
            """,
            """
            from dockfix.runtime import docker_executor


            if docker_executor.stop_and_remove(c).returncode != 0:
                raise RuntimeError(c)
            """,
        ),
        Invalid(
            "in-return",
            """
            import subprocess


            def down(c):
                return subprocess.run(["docker", "rm", "-f", c], capture_output=True)
            """,
            """
            from dockfix.runtime import docker_executor


            def down(c):
                return docker_executor.stop_and_remove(c, capture_output=True)
            """,
        ),
        Invalid(
            "global-host",
            """
            import subprocess


            subprocess.run(["docker", "-H", host, "rm", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(c, global_args=("-H", host))
            """,
        ),
        Invalid(
            "global-host-equals",
            """
            import subprocess


            subprocess.run(["docker", "--host=tcp://h:2375", "rm", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(c, global_args=("--host=tcp://h:2375",))
            """,
        ),
        Invalid(
            "global-context",
            """
            import subprocess


            subprocess.run(["docker", "--context", "ci", "container", "rm", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(c, global_args=("--context", "ci"))
            """,
        ),
        Invalid(
            "module-constant",
            """
            import subprocess

            DOCKER = "docker"


            def down(c):
                subprocess.run([DOCKER, "rm", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor

            DOCKER = "docker"


            def down(c):
                docker_executor.stop_and_remove(c)
            """,
        ),
        Invalid(
            "shutil-which",
            """
            import shutil
            import subprocess

            subprocess.run([shutil.which("docker"), "rm", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.stop_and_remove(c)
            """,
        ),
        Invalid(
            "constant-from-which",
            """
            import shutil
            import subprocess

            DOCKER = shutil.which("docker")
            subprocess.run([DOCKER, "rm", "-f", c])
            """,
            """
            import shutil
            from dockfix.runtime import docker_executor

            DOCKER = shutil.which("docker")
            docker_executor.stop_and_remove(c)
            """,
        ),
        Invalid(
            "str-split",
            """
            import subprocess


            subprocess.run("docker rm -f web".split())
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove("web")
            """,
        ),
        Invalid(
            "shlex-split",
            """
            import shlex
            import subprocess

            subprocess.run(shlex.split("docker rm -f web"))
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.stop_and_remove("web")
            """,
        ),
        Invalid(
            "multiline-comment-on-kept-kwarg",
            """
            import subprocess


            subprocess.run(
                [
                    "docker",
                    "rm",
                    "-f",
                    name,
                ],
                check=True,  # teardown must not fail silently
            )
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(
                name,
                check=True,  # teardown must not fail silently
            )
            """,
        ),
        Invalid(
            "merged-with-existing-import",
            """
            import subprocess

            from dockfix.runtime import DockerExecutor

            subprocess.run(["docker", "rm", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor, DockerExecutor

            docker_executor.stop_and_remove(c)
            """,
        ),
        Invalid(
            "subprocess-still-used",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c])
            subprocess.run(["git", "clean", "-fdx"])
            """,
            """
            import subprocess
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(c)
            subprocess.run(["git", "clean", "-fdx"])
            """,
        ),
        Invalid(
            "other-ignore-code",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c])  # dockfix: ignore[DF005]
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(c)  # dockfix: ignore[DF005]
            """,
        ),
        Invalid(
            "paren-wrapped",
            """
            import subprocess


            rc = (subprocess.call(["docker", "rm", "-f", c]))
            """,
            """
            from dockfix.runtime import docker_executor


            rc = (docker_executor.stop_and_remove(c).returncode)
            """,
        ),
        Invalid(
            "configured-executor",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c])
            """,
            """
            from tests.support import docker


            docker.stop_and_remove(c)
            """,
            settings={"executor": "tests.support:docker"},
        ),
        Invalid(
            "configured-stop-timeout",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c])
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(c, timeout=30)
            """,
            settings={"stop_timeout": 30},
        ),
        Invalid(
            "runner-statement",
            """
            import subprocess


            class Env:
                def down(self):
                    subprocess.run(["docker", "rm", "-fv", self.name])
            """,
            """
            class Env:
                def down(self):
                    self.run_docker(["docker", "stop", "-t", "10", self.name])
                    self.run_docker(["docker", "rm", "-v", self.name])
            """,
            settings={"runner": "self.run_docker"},
        ),
        Invalid(
            "runner-imported",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c])
            """,
            """
            from myproj.docker import run


            run(["docker", "stop", "-t", "10", c])
            run(["docker", "rm", c])
            """,
            settings={"runner": "myproj.docker:run"},
        ),
        Invalid(
            "list-plus-names",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f"] + names)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(*names)
            """,
        ),
        Invalid(
            "lists-joined",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-fv"] + [a, b] + rest, check=True)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(a, b, *rest, volumes=True, check=True)
            """,
        ),
        Invalid(
            "shell-true-plain",
            """
            import subprocess


            subprocess.run("docker rm -f web", shell=True)
            """,
            """
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove("web")
            """,
        ),
        Invalid(
            "os-system-statement",
            """
            import os

            os.system("docker rm -f web")
            """,
            """
            from dockfix.runtime import docker_executor

            docker_executor.stop_and_remove("web")
            """,
        ),
        Invalid(
            "shadowing-respected",
            """
            import subprocess
            from subprocess import run


            def f():
                subprocess = FakeSubprocess()
                subprocess.run(["docker", "rm", "-f", c])


            def g(run):
                run(["docker", "rm", "-f", c])


            def h():
                run(["docker", "rm", "-f", c])
            """,
            """
            import subprocess
            from subprocess import run
            from dockfix.runtime import docker_executor


            def f():
                subprocess = FakeSubprocess()
                subprocess.run(["docker", "rm", "-f", c])


            def g(run):
                run(["docker", "rm", "-f", c])


            def h():
                docker_executor.stop_and_remove(c)
            """,
        ),
        Invalid(
            "timeout-none-dropped",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c], timeout=None, stdin=subprocess.DEVNULL)
            """,
            """
            import subprocess
            from dockfix.runtime import docker_executor


            docker_executor.stop_and_remove(c, stdin=subprocess.DEVNULL)
            """,
        ),
        Invalid(
            "flag-from-constant",
            """
            import subprocess

            FORCE = "-f"
            subprocess.run(["docker", "rm", FORCE, name])
            """,
            """
            from dockfix.runtime import docker_executor

            FORCE = "-f"
            docker_executor.stop_and_remove(name)
            """,
        ),
        Invalid(
            "timeout-process",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c], timeout=30)
            """,
            None,
            # `timeout=` is a process timeout here; in the executor's safe methods `timeout` is
            # the stop grace period, so the bound cannot be kept
        ),
        Invalid(
            "shell-string",
            """
            import subprocess


            subprocess.run("docker rm -f $(docker ps -aq)", shell=True)
            """,
            None,
            # a shell command string cannot be rewritten mechanically
        ),
        Invalid(
            "shell-percent",
            """
            import subprocess


            subprocess.run("docker rm -f %s 2>/dev/null" % name, shell=True)
            """,
            None,
            # a shell command string cannot be rewritten mechanically
        ),
        Invalid(
            "os-system",
            """
            import os

            os.system(f"docker rm -f {name} || true")
            """,
            None,
            # a shell command string cannot be rewritten mechanically
        ),
        Invalid(
            "argv-variable",
            """
            import subprocess


            cmd = ["docker", "rm", "-f", name]
            audit(cmd)
            subprocess.run(cmd)
            """,
            None,
            # `cmd` is used or changed on line 5 in a way dockfix cannot follow; rewrite it by hand
        ),
        Invalid(
            "program-attribute",
            """
            import subprocess


            subprocess.run([self.docker, "rm", "-f", name])
            """,
            None,
            # the program name `self.docker` is not known to be docker (it may be podman or
            # another tool); check it and route it by hand
        ),
        Invalid(
            "program-parameter",
            """
            import subprocess


            def down(docker_exe, c):
                subprocess.run([docker_exe, "rm", "-f", c])
            """,
            None,
            # the program name `docker_exe` is not known to be docker (it may be podman or another
            # tool); check it and route it by hand
        ),
        Invalid(
            "popen",
            """
            import subprocess


            proc = subprocess.Popen(["docker", "rm", "-f", c])
            """,
            None,
            # subprocess.Popen returns a process object; no executor method can replace it
        ),
        Invalid(
            "asyncio-exec",
            """
            import asyncio


            async def down(c):
                await asyncio.create_subprocess_exec("docker", "rm", "-f", c)
            """,
            None,
            # asyncio.create_subprocess_exec cannot be replaced by an executor method with the
            # same result
        ),
        Invalid(
            "comment-in-argv",
            """
            import subprocess


            subprocess.run(
                [
                    "docker",
                    "rm",
                    "-f",  # really
                    name,
                ]
            )
            """,
            None,
            # comments inside the call would be lost; rewrite it by hand
        ),
        Invalid(
            "link-flag",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", "-l", "web/db"])
            """,
            None,
            # `--link` has no equivalent in stop_and_remove
        ),
        Invalid(
            "star-kwargs",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c], **opts)
            """,
            None,
            # `**kwargs` may carry arguments dockfix cannot see
        ),
        Invalid(
            "unknown-keyword",
            """
            import subprocess


            subprocess.run(["docker", "rm", "-f", c], start_new_session=True)
            """,
            None,
            # `start_new_session=` has no equivalent in the executor's safe methods
        ),
        Invalid(
            "runner-result-used",
            """
            import subprocess


            rc = subprocess.call(["docker", "rm", "-f", c])
            """,
            None,
            # the result is used, and the configured runner's result type is unknown
            settings={"runner": "run_docker"},
        ),
        *shape_invalid(CODE),
    )
