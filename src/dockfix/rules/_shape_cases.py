"""Cases for the shapes a docker command takes beyond a literal argv list.

Command strings (``shell=True``, ``os.system``, ``os.popen``, ``create_subprocess_shell``,
f-strings, ``%``, ``+``, split strings) and text that only mentions docker. They belong
to the rules DF001-DF006 (the shape is how a call is recognised, the code is the danger)
and are added to each rule's ``VALID``/``INVALID`` tables (``shape_valid``/``shape_invalid``).
"""

from __future__ import annotations

from dockfix.rules._base import Invalid, Valid

_SP = "import subprocess\n\n\n"

_VALID: dict[str, tuple[Valid, ...]] = {
    "DF001": (
        Valid("python-c-payload", _SP + "subprocess.run([sys.executable, '-c', PAYLOAD])\n"),
        Valid(
            "python-c-literal-payload",
            _SP + "subprocess.run(['python', '-c', 'import os; os.system(\"docker rm -f x\")'])\n",
        ),
        Valid("log-message", 'log.info("running docker rm -f %s", name)\n'),
        Valid("fstring-message", 'print(f"cleanup: docker rm -f {name}")\n'),
        Valid(
            "argparse-help",
            'parser.add_argument("--purge", help="run `docker rm -f` on every container")\n',
        ),
        Valid("assert-shell-text", 'assert cmd == f"docker rm -f {name}"\n'),
        Valid("echo-shell", "import os\n\nos.system('echo docker rm -f web')\n"),
        Valid("shell-podman", _SP + 'subprocess.run(f"podman rm -f {c}", shell=True)\n'),
        Valid(
            "shell-exec-inside",
            _SP + 'subprocess.run(f"docker exec {c} rm -f /tmp/x", shell=True)\n',
        ),
        Valid("bash-c-echo", _SP + 'subprocess.run(["bash", "-c", "echo docker rm -f x"])\n'),
        Valid(
            "shell-echo-piped",
            _SP + 'subprocess.run("echo docker rm -f x | tee log", shell=True)\n',
        ),
        Valid(
            "program-constant-podman-in-shell",
            _SP + 'ENGINE = "podman"\n\nsubprocess.run(f"{ENGINE} rm -f {c}", shell=True)\n',
        ),
        Valid("split-rm-without-force", _SP + 'subprocess.run(f"docker rm {c}".split())\n'),
    ),
    "DF005": (
        Valid("docstring-example", '"""Run `docker ps -a` to list the containers."""\n'),
        Valid(
            "raise-message",
            'raise RuntimeError(f"docker ps failed; try `docker ps -a` for {name}")\n',
        ),
        Valid("shell-rm-f-is-df001", _SP + 'subprocess.run(f"docker rm -f {c}", shell=True)\n'),
    ),
}

_INVALID: dict[str, tuple[Invalid, ...]] = {
    "DF001": (
        Invalid(
            "shell-fstring",
            _SP + 'subprocess.run(f"docker rm -f {name}", shell=True, check=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(str(name), check=True)\n",
        ),
        Invalid(
            "shell-fstring-placeholder-inside-word",
            _SP + 'rc = subprocess.call(f"docker rm -fv web-{i} {self.db}", shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'rc = docker_executor.stop_and_remove(f"web-{i}", str(self.db), volumes=True)'
            ".returncode\n",
        ),
        Invalid(
            "shell-fstring-str-field",
            _SP + 'subprocess.run(f"docker rm -f {str(c)} {x!s}", shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(str(c), str(x))\n",
        ),
        Invalid(
            "shell-single-quoted-placeholder",
            _SP + "subprocess.run(f\"docker rm -f '{name}'\", shell=True)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(str(name))\n",
        ),
        Invalid(
            "shell-shlex-quote",
            "import shlex\nimport subprocess\n\n\n"
            'subprocess.run(f"docker rm -f {shlex.quote(name)}", shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(name)\n",
        ),
        Invalid(
            "shell-percent",
            _SP + 'subprocess.run("docker rm -f %s" % name, shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(str(name))\n",
        ),
        Invalid(
            "shell-percent-tuple",
            _SP + 'subprocess.run("docker rm -f %s %s-db" % (a, b), shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'docker_executor.stop_and_remove(str(a), "%s-db" % (b,))\n',
        ),
        Invalid(
            "shell-plus",
            _SP + 'subprocess.run("docker rm -f " + name + " web-" + i, shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'docker_executor.stop_and_remove(name, "web-" + i)\n',
        ),
        Invalid(
            "shell-plus-joined-names",
            _SP + 'subprocess.check_call("docker rm -f " + " ".join(names), shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(*names, check=True)\n",
        ),
        Invalid(
            "shell-fstring-joined-generator",
            _SP + "subprocess.run(f\"docker rm -f {' '.join(c.id for c in cs)}\", shell=True)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(*(c.id for c in cs))\n",
        ),
        Invalid(
            "os-system-fstring-statement",
            'import os\n\n\nos.system(f"docker rm -f {name}")\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(str(name))\n",
        ),
        Invalid(
            "shlex-split-fstring",
            "import shlex\nimport subprocess\n\n\n"
            'subprocess.run(shlex.split(f"docker rm -f {name}"))\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(str(name))\n",
        ),
        Invalid(
            "str-split-fstring",
            _SP + 'subprocess.run(f"docker container rm --force {name}".split(), check=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(str(name), check=True)\n",
        ),
        Invalid(
            "shell-global-host",
            _SP + 'subprocess.run(f"docker -H {host} rm -f {c}", shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'docker_executor.stop_and_remove(str(c), global_args=("-H", str(host)))\n',
        ),
        Invalid(
            "argv-variable-read-once",
            _SP + 'def down(name):\n    cmd = ["docker", "rm", "-f", name]\n'
            "    subprocess.run(cmd, check=True)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            'def down(name):\n    cmd = ["docker", "rm", "-f", name]\n'
            "    docker_executor.stop_and_remove(name, check=True)\n",
        ),
        Invalid(
            "argv-variable-appended",
            _SP + "def down(names):\n"
            '    cmd = ["docker", "rm"]\n'
            '    cmd.append("-f")\n'
            "    cmd.extend(names)\n"
            '    cmd += ["web"]\n'
            "    rc = subprocess.call(cmd)\n"
            "    return rc\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            "def down(names):\n"
            '    cmd = ["docker", "rm"]\n'
            '    cmd.append("-f")\n'
            "    cmd.extend(names)\n"
            '    cmd += ["web"]\n'
            '    rc = docker_executor.stop_and_remove(*names, "web").returncode\n'
            "    return rc\n",
        ),
        Invalid(
            "argv-variable-plus-reassigned",
            _SP + "def down(c):\n"
            '    cmd = ["docker", "rm"]\n'
            '    cmd = cmd + ["--force", c]\n'
            "    if subprocess.call(cmd) != 0:\n"
            "        raise RuntimeError(c)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            "def down(c):\n"
            '    cmd = ["docker", "rm"]\n'
            '    cmd = cmd + ["--force", c]\n'
            "    if docker_executor.stop_and_remove(c).returncode != 0:\n"
            "        raise RuntimeError(c)\n",
        ),
        Invalid(
            "argv-variable-unrelated-statement-between",
            _SP + "def down(name):\n"
            '    cmd = ["docker", "rm", "-f", name]\n'
            '    log.info("removing %s", name)\n'
            "    subprocess.run(cmd)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            "def down(name):\n"
            '    cmd = ["docker", "rm", "-f", name]\n'
            '    log.info("removing %s", name)\n'
            "    docker_executor.stop_and_remove(name)\n",
        ),
        Invalid(
            "argv-variable-call-in-try",
            _SP + "def down(c):\n"
            '    cmd = ["docker", "rm", "-f", c]\n'
            "    try:\n"
            "        subprocess.run(cmd, check=True)\n"
            "    except subprocess.CalledProcessError:\n"
            "        pass\n",
            "import subprocess\nfrom dockfix.runtime import docker_executor\n\n\n"
            "def down(c):\n"
            '    cmd = ["docker", "rm", "-f", c]\n'
            "    try:\n"
            "        docker_executor.stop_and_remove(c, check=True)\n"
            "    except subprocess.CalledProcessError:\n"
            "        pass\n",
        ),
        Invalid(
            "argv-variable-accumulated-in-loop",
            _SP + "def down(cs):\n"
            '    cmd = ["docker", "rm", "-f"]\n'
            "    for c in cs:\n"
            "        cmd.append(c)\n"
            "        subprocess.run(cmd)\n",
            None,
            # the argv is built elsewhere (a variable): the loop changes it between calls
        ),
        Invalid(
            "argv-variable-force-if",
            _SP + "def down(name, force):\n"
            '    cmd = ["docker", "rm"]\n'
            "    if force:\n"
            '        cmd.append("-f")\n'
            "    cmd.append(name)\n"
            "    subprocess.run(cmd)\n",
            None,
            # `cmd` is changed under a condition on line 6; the call would need one rewrite per
            # branch (related: lines 5, 6, 8)
        ),
        Invalid(
            "argv-variable-assigned-in-branches",
            _SP + "def down(c, force):\n"
            "    if force:\n"
            '        cmd = ["docker", "rm", "-f", c]\n'
            "    else:\n"
            '        cmd = ["docker", "rm", c]\n'
            "    subprocess.run(cmd)\n",
            None,
            # `cmd` is assigned inside the compound statement on line 5 (was silent before)
        ),
        Invalid(
            "argv-variable-loop",
            _SP + "def down(cs):\n"
            '    cmd = ["docker", "rm", "-f"]\n'
            "    for c in cs:\n"
            "        cmd.append(c.name)\n"
            "    subprocess.run(cmd)\n",
            None,
            # `cmd` is used or changed on line 6 in a way dockfix cannot follow
        ),
        Invalid(
            "argv-variable-attribute-may-change",
            _SP + "def down(self):\n"
            '    cmd = ["docker", "rm", "-f", self.name]\n'
            "    self.reset()\n"
            "    subprocess.run(cmd)\n",
            None,
            # `self.name` may change between the assignment and the call
        ),
        Invalid(
            "argv-variable-call-in-item",
            _SP + "def down():\n"
            '    cmd = ["docker", "rm", "-f", next_name()]\n'
            "    subprocess.run(cmd)\n",
            None,
            # `next_name()` would be evaluated at the call instead of where the argv is built
        ),
        Invalid(
            "argv-variable-augmented-in-loop-silent-before",
            _SP + "def down(cs):\n"
            '    cmd = ["docker", "rm", "-f"]\n'
            "    for c in cs:\n"
            "        cmd += [c]\n"
            "    subprocess.run(cmd)\n",
            None,
            # `cmd` is used or changed on line 6 (bound twice: was not seen at all before)
        ),
        Invalid(
            "shell-string-in-variable",
            'import os\n\n\ndef down(name):\n    cmd = f"docker rm -f {name}"\n'
            "    os.system(cmd)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            'def down(name):\n    cmd = f"docker rm -f {name}"\n'
            "    docker_executor.stop_and_remove(str(name))\n",
        ),
        Invalid(
            "shell-string-in-variable-with-syntax",
            _SP + "def down(name):\n"
            '    cmd = f"docker rm -f {name} || true"\n'
            "    subprocess.run(cmd, shell=True)\n",
            None,
            # ...: the shell string uses `||` (a fallback command); related: line 5
        ),
        Invalid(
            "shell-string-in-variable-not-right-before",
            _SP + "def down(name):\n"
            '    cmd = "docker rm -f %s" % name\n'
            "    log.info(cmd)\n"
            "    subprocess.run(cmd, shell=True)\n",
            None,
            # ...: the command string in `cmd` is not assigned right before the call
        ),
        Invalid(
            "program-module-constant-in-variable",
            _SP + 'DOCKER = "docker"\n\n\ndef down(c):\n'
            '    argv = [DOCKER, "container", "rm", "-f", c]\n'
            "    subprocess.run(argv)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            'DOCKER = "docker"\n\n\ndef down(c):\n'
            '    argv = [DOCKER, "container", "rm", "-f", c]\n'
            "    docker_executor.stop_and_remove(c)\n",
        ),
        Invalid(
            "program-constant-in-shell-fstring",
            _SP + 'DOCKER = "docker"\n\nsubprocess.run(f"{DOCKER} rm -f {c}", shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'DOCKER = "docker"\n\ndocker_executor.stop_and_remove(str(c))\n',
        ),
        Invalid(
            "program-environment",
            'import os\nimport subprocess\n\nDOCKER = os.environ.get("DOCKER", "docker")\n\n\n'
            'def down(c):\n    subprocess.run([DOCKER, "rm", "-f", c])\n',
            None,
            # the program name `DOCKER` is not known to be docker (it may be podman)
        ),
        Invalid(
            "program-docker-exe-parameter",
            _SP + "def down(docker_exe, c):\n"
            '    subprocess.run(f"{docker_exe} rm -f {c}", shell=True)\n',
            None,
            # the program name is not known to be docker (it may be podman)
        ),
        Invalid(
            "shell-command-substitution",
            _SP + 'subprocess.run("docker rm -f $(docker ps -aq)", shell=True)\n',
            None,
            # ...: the shell string uses command substitution `$(...)`
        ),
        Invalid(
            "shell-or-true",
            _SP + 'subprocess.run(f"docker rm -f {c} || true", shell=True)\n',
            None,
            # ...: the shell string uses `||` (a fallback command)
        ),
        Invalid(
            "shell-rm-after-and",
            _SP + 'subprocess.run(f"docker stop {c} && docker rm -f {c}", shell=True)\n',
            None,
            # ...: `&&` (a command list); the removal after `&&` is what DF001 claims
        ),
        Invalid(
            "shell-pipe-xargs-rm",
            _SP + 'subprocess.run("docker ps -aq | xargs -r docker rm -f", shell=True)\n',
            None,
            # ...: the shell string uses a pipe `|` (the rm run by xargs is read)
        ),
        Invalid(
            "shell-for-loop",
            _SP + 'subprocess.run("for c in a b; do docker rm -f $c; done", shell=True)\n',
            None,
            # ...: the shell string uses `;` (several commands)
        ),
        Invalid(
            "shell-redirect",
            _SP + 'subprocess.run(f"docker rm -f {c} 2>/dev/null", shell=True)\n',
            None,
            # ...: the shell string uses a redirection `>`
        ),
        Invalid(
            "shell-glob",
            _SP + 'subprocess.run("docker rm -f web-*", shell=True)\n',
            None,
            # ...: the shell string uses a glob `*`
        ),
        Invalid(
            "shell-semicolon",
            'import os\n\n\nos.system(f"docker rm -f {c}; docker volume prune -f")\n',
            None,
            # ...: the shell string uses `;` (several commands)
        ),
        Invalid(
            "shell-variable-expansion",
            _SP + 'subprocess.run("docker rm -f $CONTAINER", shell=True)\n',
            None,
            # ...: the shell string uses a variable expansion `$`
        ),
        Invalid(
            "shell-repr-field",
            _SP + 'subprocess.run(f"docker rm -f {name!r}", shell=True)\n',
            None,
            # a field with a conversion or a format spec: the shell would read its quotes
        ),
        Invalid(
            "shell-plural-placeholder",
            _SP + 'subprocess.run(f"docker rm -f {names}", shell=True)\n',
            None,
            # `names` may hold several words (or none) that would be split apart at run time
        ),
        Invalid(
            "shell-plural-placeholder-quoted",
            _SP + "subprocess.run(f\"docker rm -f '{names}'\", shell=True)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.stop_and_remove(str(names))\n",
        ),
        Invalid(
            "shell-str-format",
            _SP + 'subprocess.run("docker rm -f {}".format(c), shell=True)\n',
            None,
            # ...: the string is built with str.format; rewrite it as an argv list by hand
        ),
        Invalid(
            "shell-join-inside-word",
            _SP + "subprocess.run(f\"docker rm -f x{' '.join(ns)}\", shell=True)\n",
            None,
            # a joined value inside a word would be split by the shell
        ),
        Invalid(
            "shell-executable",
            _SP + 'subprocess.run(f"docker rm -f {c}", shell=True, executable="/bin/bash")\n',
            None,
            # ...: `executable=` chooses the shell
        ),
        Invalid(
            "shell-not-literally-true",
            _SP + 'subprocess.run(f"docker rm -f {c}", shell=use_shell)\n',
            None,
            # ...: `shell=` is not literally True
        ),
        Invalid(
            "os-system-tested-against-zero",
            'import os\n\n\nif os.system(f"docker rm -f {c}") != 0:\n    pass\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "if docker_executor.stop_and_remove(str(c)).returncode != 0:\n    pass\n",
        ),
        Invalid(
            "os-system-status-used",
            'import os\n\n\nstatus = os.system(f"docker rm -f {c}") >> 8\n',
            None,
            # ...: os.system returns a wait status (the exit code shifted by 8 bits on POSIX)
        ),
        Invalid(
            "os-popen",
            'import os\n\n\nout = os.popen(f"docker rm -f {c}").read()\n',
            None,
            # ...: os.popen returns a file object over the shell's output
        ),
        Invalid(
            "asyncio-shell",
            "import asyncio\n\n\nasync def down(c):\n"
            '    await asyncio.create_subprocess_shell(f"docker rm -f {c}")\n',
            None,
            # asyncio.create_subprocess_shell cannot be replaced by an executor method with
            # the same result (a process object, not awaited to the end)
        ),
        Invalid(
            "asyncio-exec-starred-rm",
            "import asyncio\n\n\nasync def down(c):\n"
            '    cmd = ["docker", "rm", "-f", c]\n'
            "    proc = await asyncio.create_subprocess_exec(*cmd)\n"
            "    await proc.wait()\n",
            None,
            # asyncio.create_subprocess_exec cannot be replaced by an executor method with the
            # same result (a Process); seen through the variable (was silent before)
        ),
        Invalid(
            "sh-c-payload",
            _SP + 'subprocess.run(["sh", "-c", f"docker rm -f {c} || true"], check=False)\n',
            None,
            # ...: it runs through `sh -c`; the shell string uses `||` (a fallback command)
        ),
        Invalid(
            "getstatusoutput",
            _SP + 'status, out = subprocess.getstatusoutput(f"docker rm -f {c}")\n',
            None,
            # ...: subprocess.getstatusoutput returns the shell's combined output
        ),
        Invalid(
            "str-split-shlex-quote",
            "import shlex\nimport subprocess\n\n\n"
            'subprocess.run(f"docker rm -f {shlex.quote(c)}".split())\n',
            None,
            # shlex.quote inside a str.split(): the quotes stay in the words
        ),
    ),
    "DF002": (
        Invalid(
            "shell-fstring-kill",
            _SP + 'subprocess.run(f"docker kill {c}", shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\ndocker_executor.stop(str(c))\n",
        ),
        Invalid(
            "os-system-kill",
            'import os\n\n\nos.system("docker kill " + name)\n',
            "from dockfix.runtime import docker_executor\n\n\ndocker_executor.stop(name)\n",
        ),
        Invalid(
            "os-system-cd-then-kill",
            'import os\n\n\nos.system("cd /srv && docker kill web")\n',
            None,
            # ...: the shell string uses `&&` (a command list)
        ),
    ),
    "DF003": (
        Invalid(
            "shell-fstring-volume",
            _SP + 'subprocess.run(f"docker volume rm -f {vol}", shell=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.remove_volumes(str(vol))\n",
        ),
        Invalid(
            "shlex-split-percent-volume",
            "import shlex\nimport subprocess\n\n\n"
            'subprocess.check_call(shlex.split("docker volume rm --force %s" % vol))\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "docker_executor.remove_volumes(str(vol), check=True)\n",
        ),
    ),
    "DF005": (
        Invalid(
            "argv-variable-extended-routed-as-is",
            _SP + "def ps():\n"
            '    cmd = ["docker", "ps"]\n'
            '    cmd += ["--format", "{{.Names}}"]\n'
            "    return subprocess.check_output(cmd, text=True)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            "def ps():\n"
            '    cmd = ["docker", "ps"]\n'
            '    cmd += ["--format", "{{.Names}}"]\n'
            "    return docker_executor.check_output(cmd, text=True)\n",
        ),
        Invalid(
            "argv-variable-used-after-routed",
            _SP + "def up(image):\n"
            '    cmd = ["docker", "run", "-d", image]\n'
            "    subprocess.run(cmd, check=True)\n"
            '    log.info("ran %s", cmd)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            "def up(image):\n"
            '    cmd = ["docker", "run", "-d", image]\n'
            "    docker_executor.run(cmd, check=True)\n"
            '    log.info("ran %s", cmd)\n',
        ),
        Invalid(
            "shell-fstring-logs",
            _SP + 'out = subprocess.check_output(f"docker logs {c}", shell=True, text=True)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'out = docker_executor.check_output(["docker", "logs", str(c)], text=True)\n',
        ),
        Invalid(
            "shell-quoted-format",
            _SP + "subprocess.run(f\"docker ps --format '{{{{.Names}}}}' -f name={n}\", "
            "shell=True)\n",
            "from dockfix.runtime import docker_executor\n\n\n"
            'docker_executor.run(["docker", "ps", "--format", "{{.Names}}", "-f", f"name={n}"])\n',
        ),
        Invalid(
            "shlex-split-fstring-routed-as-is",
            "import shlex\nimport subprocess\n\n\n"
            'subprocess.run(shlex.split(f"docker run -d {image}"), check=True)\n',
            "import shlex\nfrom dockfix.runtime import docker_executor\n\n\n"
            'docker_executor.run(shlex.split(f"docker run -d {image}"), check=True)\n',
        ),
        Invalid(
            "program-constant-percent",
            'import os\n\nDOCKER = "docker"\n\nos.system("%s pull %s" % (DOCKER, image))\n',
            "from dockfix.runtime import docker_executor\n\n"
            'DOCKER = "docker"\n\ndocker_executor.run([DOCKER, "pull", str(image)])\n',
        ),
        Invalid(
            "os-system-fstring",
            'import os\n\n\nos.system(f"docker pull {image}")\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'docker_executor.run(["docker", "pull", str(image)])\n',
        ),
        Invalid(
            "asyncio-shell-plain",
            "import asyncio\n\n\nasync def ps():\n"
            '    p = await asyncio.create_subprocess_shell("docker ps -a", stdout=PIPE)\n'
            "    return await p.communicate()\n",
            "from dockfix.runtime import docker_executor\n\n\nasync def ps():\n"
            '    p = await docker_executor.aio.create_subprocess_exec("docker", "ps", "-a", '
            "stdout=PIPE)\n"
            "    return await p.communicate()\n",
        ),
        Invalid(
            "asyncio-shell-fstring",
            "import asyncio\n\n\nasync def logs(c):\n"
            '    return await asyncio.create_subprocess_shell(f"docker logs {c}")\n',
            "from dockfix.runtime import docker_executor\n\n\nasync def logs(c):\n"
            "    return await docker_executor.aio.create_subprocess_exec("
            '"docker", "logs", str(c))\n',
        ),
        Invalid(
            "asyncio-shell-syntax",
            "import asyncio\n\n\nasync def ps():\n"
            '    await asyncio.create_subprocess_shell("docker ps -a 2>&1")\n',
            None,
            # ...: the shell string uses a redirection `>`
        ),
        Invalid(
            "asyncio-shell-runner",
            "import asyncio\n\n\nasync def ps():\n"
            '    await asyncio.create_subprocess_shell("docker ps -a")\n',
            None,
            # the configured runner is not awaitable; route it by hand
            settings={"runner": "self.run_docker"},
        ),
        Invalid(
            "os-system-truthiness",
            'import os\n\n\nif os.system("docker pull busybox"):\n    raise SystemExit(1)\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'if docker_executor.call(["docker", "pull", "busybox"]):\n    raise SystemExit(1)\n',
        ),
        Invalid(
            "os-system-not",
            'import os\n\n\nok = not os.system("docker pull busybox")\n',
            "from dockfix.runtime import docker_executor\n\n\n"
            'ok = not docker_executor.call(["docker", "pull", "busybox"])\n',
        ),
        Invalid(
            "os-system-status-used",
            'import os\n\n\nstatus = os.system("docker pull busybox")\n',
            None,
            # ...: os.system returns a wait status, not a return code
        ),
        Invalid(
            "os-popen-read",
            'import os\n\n\nnames = os.popen("docker ps --format {{.Names}}").read().split()\n',
            None,
            # ...: the shell string uses braces (brace expansion); os.popen returns a file
        ),
        Invalid(
            "asyncio-exec-starred-variable",
            "import asyncio\n\n\nasync def ps():\n"
            '    cmd = ["docker", "ps", "-a"]\n'
            "    proc = await asyncio.create_subprocess_exec(*cmd, stdout=PIPE)\n"
            "    return await proc.communicate()\n",
            "from dockfix.runtime import docker_executor\n\n\nasync def ps():\n"
            '    cmd = ["docker", "ps", "-a"]\n'
            "    proc = await docker_executor.aio.create_subprocess_exec(*cmd, stdout=PIPE)\n"
            "    return await proc.communicate()\n",
        ),
        Invalid(
            "shell-extra-args",
            _SP + 'subprocess.run(f"docker run -d {extra_args} {image}", shell=True)\n',
            None,
            # `extra_args` may hold several words (or none) that would be split apart
        ),
        Invalid(
            "shell-optional-flag",
            _SP + 'subprocess.run(f"docker ps {flag}", shell=True)\n',
            None,
            # `flag` may hold several words (or none: the shell drops an empty word)
        ),
        Invalid(
            "shell-and-list",
            _SP + 'subprocess.run(f"docker stop {c} && docker rm {c}", shell=True)\n',
            None,
            # ...: the shell string uses `&&` (a command list)
        ),
        Invalid(
            "shell-cd-then-compose",
            _SP + 'subprocess.run("cd /srv && docker compose up -d", shell=True)\n',
            None,
            # ...: the shell string uses `&&` (the docker command after `cd` is read)
        ),
        Invalid(
            "getoutput",
            "from subprocess import getoutput\n\n"
            "names = getoutput(\"docker ps --format '{{.Names}}'\")\n",
            None,
            # ...: subprocess.getoutput returns the shell's combined output; no executor method does
        ),
        Invalid(
            "shell-without-shell-true",
            _SP + 'subprocess.run("docker ps -a")\n',
            None,
            # ...: `shell=` is not literally True (this runs a program named "docker ps -a")
        ),
    ),
}


def shape_valid(code: str) -> tuple[Valid, ...]:
    return _VALID.get(code, ())


def shape_invalid(code: str) -> tuple[Invalid, ...]:
    return _INVALID.get(code, ())
