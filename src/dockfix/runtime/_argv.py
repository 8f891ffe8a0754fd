"""Reading a docker argv: global options, the subcommand path, and the force/kill guard.

A flag means nothing until the subcommand is known: ``-f`` is force only for ``rm`` and
``volume rm``; in ``build``, ``logs``, ``ps``, ``compose`` or any ``prune`` it is something else.
"""

from __future__ import annotations

import os

# Global options of docker (and podman) that take a value: skipped with their value.
_GLOBAL_WITH_VALUE = frozenset(
    {
        "-H", "--host", "-c", "--context", "--config", "-l", "--log-level",
        "--tlscacert", "--tlscert", "--tlskey",
        # podman
        "--url", "--connection", "--identity", "--root", "--runroot", "--storage-driver",
        "--storage-opt", "--cgroup-manager", "--events-backend", "--runtime", "--tmpdir",
        "--module", "--conmon", "--hooks-dir", "--network-cmd-path", "--ssh",
    }
)  # fmt: skip

_GLOBAL_FLAGS = frozenset(
    {"-D", "--debug", "--tls", "--tlsverify", "-v", "--version", "-h", "--help"}
)

_COMMANDS = frozenset(
    (
        "attach", "build", "builder", "buildx", "checkpoint", "commit", "compose", "config",
        "container", "context", "cp", "create", "diff", "events", "exec", "export",
        "history", "image", "images", "import", "info", "inspect", "kill", "load", "login",
        "logout", "logs", "manifest", "network", "node", "pause", "plugin", "port", "ps",
        "pull", "push", "rename", "restart", "rm", "rmi", "run", "save", "search", "secret",
        "service", "stack", "start", "stats", "stop", "swarm", "system", "tag", "top",
        "trust", "unpause", "update", "version", "volume", "wait", "pod", "machine",
        "generate", "play", "kube", "unshare", "healthcheck", "mount", "umount", "untag",
        "farm"
    )
)  # fmt: skip

# Commands whose first positional argument is a subcommand.
_MANAGEMENT = frozenset(
    (
        "builder", "buildx", "checkpoint", "config", "container", "context", "image",
        "manifest", "network", "node", "plugin", "secret", "service", "stack", "swarm",
        "system", "trust", "volume", "pod", "machine", "generate", "play", "kube"
    )
)  # fmt: skip

_RM_OPS = frozenset({"rm", "container rm", "container remove"})
_KILL_OPS = frozenset({"kill", "container kill"})
_VOLUME_RM_OPS = frozenset({"volume rm", "volume remove"})
_STOP_OPS = frozenset({"stop", "container stop", "restart", "container restart"})
_FALSE = frozenset({"false", "0", "f"})
_KILL_SIGNALS = frozenset({"KILL", "9"})

_DOCKER_LIKE = ("docker", "podman", "nerdctl")


def program_is_docker(program: str, configured: str) -> bool:
    """True when ``program`` is a docker-compatible CLI (the guard applies only to those)."""
    if program == configured:
        return True
    base = os.path.basename(program).lower()
    if base.endswith(".exe"):
        base = base[:-4]
    # docker-compose & co have their own verbs: `docker-compose rm -f` only skips a prompt.
    return base.startswith(_DOCKER_LIKE) and "compose" not in base


def split_command(argv: list[str]) -> tuple[str, list[str]]:
    """The subcommand path (``"rm"``, ``"volume rm"``, ``""`` if none) and the tokens after it."""
    i = 1
    n = len(argv)
    while i < n:
        tok = argv[i]
        if tok == "--" or not tok.startswith("-") or tok == "-":
            break
        if tok in _GLOBAL_FLAGS:
            i += 1
        elif "=" not in tok and (
            tok in _GLOBAL_WITH_VALUE
            or (tok.startswith("--") and i + 1 < n and argv[i + 1] not in _COMMANDS)
        ):
            i += 2  # an option and its value; unknown long options are read the same way
        else:
            i += 1
    if i < n and argv[i] == "--":
        i += 1
    if i >= n:
        return "", []
    command = argv[i]
    i += 1
    if command in _MANAGEMENT:
        while i < n and argv[i].startswith("-") and argv[i] != "--":
            i += 1
        if i < n and argv[i] != "--":
            return f"{command} {argv[i]}", argv[i + 1 :]
    return command, argv[i:]


def _has_force(args: list[str]) -> bool:
    """``-f``/``--force``/``--force=true``/``-fv``/``-vf`` among the flags (before ``--``)."""
    for tok in args:
        if tok == "--":
            return False
        if tok.startswith("--"):
            name, eq, value = tok[2:].partition("=")
            if name == "force" and (not eq or value.lower() not in _FALSE):
                return True
        elif tok.startswith("-") and len(tok) > 1:
            flags, eq, value = tok[1:].partition("=")
            if eq and flags.endswith("f") and value.lower() in _FALSE:
                flags = flags[:-1]
            if "f" in flags:
                return True
    return False


def _kill_signal(args: list[str], default: str = "KILL") -> str:
    """The signal given with ``-s``/``--signal`` (``default`` without one), normalised."""
    signal = default
    i = 0
    while i < len(args):
        tok = args[i]
        if tok == "--":
            break
        value = None
        if tok in ("-s", "--signal"):
            value = args[i + 1] if i + 1 < len(args) else ""
            i += 1
        elif tok.startswith("--signal="):
            value = tok[len("--signal=") :]
        elif tok.startswith("-s") and not tok.startswith("--"):
            value = tok[2:].lstrip("=")
        if value is not None:
            signal = value
        i += 1
    signal = signal.strip().upper()
    return signal[3:] if signal.startswith("SIG") else signal


def refusal(
    argv: list[str], command: tuple[str, list[str]] | None = None
) -> tuple[str, str] | None:
    """Why ``argv`` must be refused and the safe method to use instead, or None when it is safe.

    ``command`` is ``split_command(argv)`` when the caller already has it.
    """
    op, args = command if command is not None else split_command(argv)
    shown = " ".join(argv)
    if op in _RM_OPS and _has_force(args):
        return (
            f"refusing `{shown}`: force removal SIGKILLs the container with no graceful stop. "
            "Use docker_executor.stop_and_remove(*containers) (stop -t N, then rm without force), "
            "or create DockerExecutor(allow_force=True) to allow it.",
            "stop_and_remove",
        )
    if op in _KILL_OPS and _kill_signal(args) in _KILL_SIGNALS:
        return (
            f"refusing `{shown}`: docker kill sends SIGKILL (the default signal), with no graceful "
            "stop. Use docker_executor.stop(*containers) (SIGTERM, then KILL after the timeout), "
            "or create DockerExecutor(allow_force=True) to allow it.",
            "stop",
        )
    if op in _STOP_OPS and _kill_signal(args, default="") in _KILL_SIGNALS:
        return (
            f"refusing `{shown}`: a stop with --signal KILL is a kill, with no graceful stop. "
            "Use docker_executor.stop(*containers) (SIGTERM, then KILL after the timeout), "
            "or create DockerExecutor(allow_force=True) to allow it.",
            "stop",
        )
    if op in _VOLUME_RM_OPS and _has_force(args):
        return (
            f"refusing `{shown}`: use docker_executor.remove_volumes(*volumes) instead of "
            "`volume rm -f` (a missing volume is not an error there), "
            "or create DockerExecutor(allow_force=True) to allow it.",
            "remove_volumes",
        )
    return None


# Error texts of several CLI versions (matched lower-cased).
_UNAVAILABLE = (
    "cannot connect to the docker daemon",
    "failed to connect to the docker api",
    "error during connect",
    "cannot connect to podman",
    "unable to connect to podman",
)
_IN_PROGRESS = ("is already in progress",)
_MISSING_CONTAINER = ("no such container", "no container with name or id")
_MISSING_VOLUME = ("no such volume", "no volume with name")


# The daemon cannot be used, and retrying will not change that.
_FORBIDDEN = ("permission denied while trying to connect",)


def is_unavailable(error: str) -> bool:
    """The daemon could not be reached (or not by this user): ``DockerUnavailableError``."""
    low = error.lower()
    return any(text in low for text in _UNAVAILABLE) or any(text in low for text in _FORBIDDEN)


def is_transient(error: str) -> bool:
    """Worth retrying: the daemon was unreachable, or a concurrent removal is still running."""
    low = error.lower()
    return any(text in low for text in _UNAVAILABLE) or any(text in low for text in _IN_PROGRESS)


def only_missing(error: str, *, volume: bool = False) -> bool:
    """Every error line says the object does not exist (so ``missing_ok`` makes it a success)."""
    patterns = _MISSING_VOLUME if volume else _MISSING_CONTAINER
    lines = [line.lower() for line in error.splitlines() if line.strip()]
    return bool(lines) and all(any(p in line for p in patterns) for line in lines)


def drop_missing_lines(error: str, *, volume: bool = False) -> str:
    """``error`` without the lines about objects that do not exist."""
    patterns = _MISSING_VOLUME if volume else _MISSING_CONTAINER
    kept = [ln for ln in error.splitlines(True) if not any(p in ln.lower() for p in patterns)]
    return "".join(kept)


def last_lines(error: str, count: int = 3) -> str:
    lines = [line.strip() for line in error.splitlines() if line.strip()]
    return "\n".join(lines[-count:])
