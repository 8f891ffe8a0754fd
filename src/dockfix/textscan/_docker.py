"""Reading a docker command line: its subcommand first, then its flags."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

# Global options of the docker CLI that take a value (before the subcommand).
_GLOBAL_WITH_VALUE = frozenset(
    {"-H", "--host", "-c", "--context", "--config", "-l", "--log-level"}
    | {"--tlscacert", "--tlscert", "--tlskey"}
)
_TRUE = frozenset({"1", "t", "true", "yes"})
_RM_SHORT = frozenset("flv")  # docker rm: -f --force, -l --link, -v --volumes
_KILL_SIGNALS = frozenset({"KILL", "SIGKILL", "9"})
_SHORT_FLAGS = re.compile(r"-[A-Za-z]+")

DF001 = ("DF001", "force-remove-container")
DF002 = ("DF002", "kill-container")
DF003 = ("DF003", "force-remove-volume")


def _options(args: Sequence[str]) -> list[str]:
    """The option words (everything after ``--`` is a name)."""
    out: list[str] = []
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("-"):
            out.append(arg)
    return out


def _forces(args: Sequence[str], short: frozenset[str]) -> bool:
    for option in _options(args):
        if option == "--force" or (
            option.startswith("--force=") and option.split("=", 1)[1].lower() in _TRUE
        ):
            return True
        if _SHORT_FLAGS.fullmatch(option) and "f" in option and set(option[1:]) <= short:
            return True
    return False


def _kill_signal(args: Sequence[str]) -> Optional[str]:
    """The signal a ``docker kill`` sends (None: the default, KILL)."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg in ("-s", "--signal") and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--signal="):
            return arg.split("=", 1)[1]
        if arg.startswith("-s") and len(arg) > 2 and not arg.startswith("--"):
            return arg[2:].lstrip("=")
    return None


def _subcommand(words: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    """(subcommand path, its arguments) of ``docker ARGS...`` without the program word."""
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _GLOBAL_WITH_VALUE else 1
    if index >= len(words):
        return (), []
    first = words[index]
    if first in ("container", "volume") and index + 1 < len(words):
        return (first, words[index + 1]), list(words[index + 2 :])
    return (first,), list(words[index + 1 :])


def classify(words: Sequence[str]) -> Optional[tuple[str, str, str]]:
    """(code, name, message) for a dangerous docker command; ``words`` follow the program."""
    path, args = _subcommand(words)
    shown = "docker " + " ".join(path)
    if path in (("rm",), ("container", "rm"), ("container", "remove")):
        if _forces(args, _RM_SHORT):
            return (
                *DF001,
                f"`{shown} -f` kills the container with SIGKILL (no graceful stop): "
                f"stop it first (`docker stop -t N`), then `{shown}` without force",
            )
    elif path in (("kill",), ("container", "kill")):
        signal = _kill_signal(args)
        if signal is None or signal.upper() in _KILL_SIGNALS:
            return (
                *DF002,
                f"`{shown}` sends SIGKILL (no graceful stop): use `docker stop -t N`",
            )
        if signal.startswith("$"):
            return (
                *DF002,
                f"`{shown} -s {signal}`: the signal comes from a variable and may be KILL",
            )
    elif path in (("volume", "rm"), ("volume", "remove")) and _forces(args, frozenset("f")):
        return (
            *DF003,
            f"`{shown} -f` hides every error: use `{shown}` and ignore only `no such volume`",
        )
    return None
