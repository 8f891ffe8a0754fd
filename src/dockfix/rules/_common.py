"""What several rules share: reading a subcommand's flags, and building a safe-method fix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional, Union

from dockfix.engine._argv import DockerCommand, Flags, Token, lit, read_flags
from dockfix.engine._types import Settings
from dockfix.rules._base import (
    PASS_THROUGH,
    CallExecutor,
    DockerCall,
    Fix,
    Reroute,
    RerouteArgv,
    RunnerCalls,
)

RUNTIME_DEFAULT_STOP_TIMEOUT = 10

FORCE_FLAGS = {"-f": "force", "--force": "force"}
RM_FLAGS = FORCE_FLAGS | {"-v": "volumes", "--volumes": "volumes", "-l": "link", "--link": "link"}
RMI_FLAGS = FORCE_FLAGS | {"--no-prune": "no_prune"}
KILL_VALUE_FLAGS = {"-s": "signal", "--signal": "signal"}
STOP_VALUE_FLAGS = KILL_VALUE_FLAGS | {"-t": "time", "--time": "time", "--timeout": "time"}
_KILL_SIGNALS = frozenset({"KILL", "SIGKILL", "9"})

SUBPROCESS_RESULT = {
    "subprocess.run": None,
    "subprocess.call": ".returncode",
    "subprocess.check_call": ".returncode",
    "subprocess.check_output": ".stdout",
    "os.system": ".returncode",  # a statement, or a result only tested against zero
}


def flags_for(
    cmd: Optional[DockerCommand],
    sub: tuple[str, ...],
    booleans: Mapping[str, str],
    with_value: Mapping[str, str] = {},
) -> Optional[Flags]:
    """The flags of ``cmd`` when its subcommand is ``sub``, else None."""
    if cmd is None or cmd.problem is not None or cmd.subcommand != sub:
        return None
    return read_flags(cmd.args, booleans, with_value)


def forced(flags: Flags, cmd: DockerCommand) -> bool:
    """Force is on; when the flags could not all be read, any force spelling counts."""
    if flags.on("force"):
        return True
    if flags.problem is None:
        return False
    for tok in cmd.args:
        value = tok.value if tok.literal else None
        if value is None:
            continue
        if value == "--":
            break
        short = value.startswith("-") and not value.startswith("--")
        if value in ("--force", "--force=true", "--force=1") or (
            short and "f" in value[1:].split("=")[0]
        ):
            return True
    return False


def kill_signal(flags: Flags) -> Union[str, Token]:
    """The kill's signal: ``KILL`` for the default or any spelling of it (``SIGKILL``,
    ``9``, ``kill``), the upper-cased name otherwise, a Token when it comes from a name."""
    signal = flags.values.get("signal")
    if signal is None:
        return "KILL"
    if isinstance(signal, Token):
        return signal
    name = str(signal).upper()
    return "KILL" if name in _KILL_SIGNALS else name


def stop_signal(flags: Flags) -> Union[str, Token, None]:
    """The signal of a ``stop``/``restart`` (None: the image's stop signal), as kill_signal."""
    if "signal" not in flags.values:
        return None
    return kill_signal(flags)


def why_not_fixable(call: DockerCall) -> Optional[str]:
    """Reasons that apply to every rewrite: unknown program, shape, API, hidden kwargs."""
    if call.program_kind == "dynamic":
        assert call.command is not None
        return (
            f"the program name `{call.command.program.text}` is not known to be docker "
            "(it may be podman or another tool); check it and route it by hand"
        )
    if call.argv_shape == "shell":
        return shell_reason(call)
    if call.words_problem is not None:
        return call.words_problem
    if call.argv_shape in ("variable", "variable-once", "variable-conditional"):
        return "the argv is built elsewhere (a variable); rewrite where it is built"
    if call.api == "subprocess.Popen":
        return "subprocess.Popen returns a process object; no executor method can replace it"
    if call.api == "os.system" and call.argv_shape != "shell-plain":
        return "os.system runs a shell; with shell syntax or a used result it cannot be rewritten"
    if call.api not in SUBPROCESS_RESULT:
        return f"{call.api} cannot be replaced by an executor method with the same result"
    if call.command is None or call.command.problem is not None:
        problem = call.command.problem if call.command else "unreadable argv"
        return f"the docker command cannot be read: {problem}"
    if call.star_kwargs:
        return "`**kwargs` may carry arguments dockfix cannot see"
    return None


def safe_method_fix(
    call: DockerCall,
    settings: Settings,
    method: str,
    operands: tuple[Token, ...],
    extra: tuple[tuple[str, str], ...],
    runner_argvs: tuple[tuple[str, ...], ...],
) -> tuple[Optional[Fix], Optional[str]]:
    """A fix calling ``executor.method(*operands, **extra)`` with the same result type.

    ``runner_argvs`` are the argv shapes for a configured runner: each a tuple of literal
    words, where "<names>" stands for the operands.
    """
    reason = why_not_fixable(call)
    if reason is not None:
        return None, reason
    assert call.command is not None
    if settings.runner is not None:
        return _runner_fix(call, operands, runner_argvs)
    keep: list[str] = []
    for name in call.keywords:
        if name == "timeout" and call.keywords[name].literal and call.keywords[name].value is None:
            continue  # no process timeout: nothing to keep
        if name == "timeout":
            return None, (
                "`timeout=` is a process timeout here; in the executor's safe methods "
                "`timeout` is the stop grace period, so the bound cannot be kept"
            )
        shell = call.keywords[name]
        plain = call.argv_shape == "shell-plain"
        if name == "shell" and shell.literal and (not shell.value or plain):
            continue
        if name not in PASS_THROUGH:
            return None, f"`{name}=` has no equivalent in the executor's safe methods"
        keep.append(name)
    args = list(extra)
    if call.command.global_args:
        texts = [tok.text for tok in call.command.global_args]
        inner = f"{texts[0]}," if len(texts) == 1 else ", ".join(texts)
        args.append(("global_args", f"({inner})"))
    given = any(name == "timeout" for name, _ in extra)
    if (
        settings.stop_timeout != RUNTIME_DEFAULT_STOP_TIMEOUT
        and method != "remove_volumes"
        and not given
    ):
        args.insert(0, ("timeout", str(settings.stop_timeout)))
    needs_pipe = False
    after: list[tuple[str, str]] = []
    if call.api in ("subprocess.check_call", "subprocess.check_output"):
        if "check" in call.keywords:  # the fix would repeat it: the file would not compile
            return None, (
                f"{call.api.split('.')[1]} with `check=` is not a valid call (it raises"
                " TypeError); fix the call by hand"
            )
        after.append(("check", "True"))
    if call.api == "subprocess.check_output":
        if "stdout" in call.keywords or "capture_output" in call.keywords:
            return None, "check_output with `stdout=`/`capture_output=` is not a valid call"
        after.append(("stdout", "subprocess.PIPE"))
        needs_pipe = True
    names = [*keep, *(name for name, _ in args), *(name for name, _ in after)]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:  # a keyword argument repeated does not compile
        return None, f"the fix would pass {', '.join(f'`{n}=`' for n in twice)} twice"
    fix = CallExecutor(
        method=method,
        positional=operands,
        keep=tuple(keep),
        extra=tuple(args),
        after=tuple(after),
        suffix=SUBPROCESS_RESULT[call.api] if call.result_used else None,
        needs_pipe=needs_pipe,
    )
    return fix, None


def _runner_fix(
    call: DockerCall, operands: tuple[Token, ...], shapes: tuple[tuple[str, ...], ...]
) -> tuple[Optional[Fix], Optional[str]]:
    if not shapes:
        return None, "no equivalent argv for the configured runner"
    if call.result_used:
        return None, "the result is used, and the configured runner's result type is unknown"
    if call.keywords:
        names = ", ".join(f"`{k}=`" for k in call.keywords)
        return None, f"the configured runner takes an argv only; {names} cannot be passed"
    assert call.command is not None
    head = (call.command.program, *call.command.global_args)
    argvs = []
    for shape in shapes:
        argv: list[Token] = list(head)
        for word in shape:
            if word == "<names>":
                argv += operands
            else:
                argv.append(lit(word))
        argvs.append(tuple(argv))
    return RunnerCalls(tuple(argvs)), None


def reroute(call: DockerCall, settings: Settings) -> tuple[Optional[Fix], Optional[str]]:
    """Send the same call, unchanged, through the executor's method of the same name."""
    if call.program_kind == "dynamic":
        return None, why_not_fixable(call)
    if call.argv_shape == "shell" or call.api == "os.popen":
        return None, shell_reason(call)
    if call.api == "subprocess.Popen":
        return None, "subprocess.Popen returns a process object the limiter cannot follow"
    if call.argv_shape in ("variable", "variable-conditional"):
        return (
            None,
            call.words_problem or "the argv is built elsewhere (a variable); route it by hand",
        )
    if call.api == "asyncio.create_subprocess_shell" and settings.runner is not None:
        return None, "the configured runner is not awaitable; route it by hand"
    if call.argv_shape == "shell-plain" and call.command is not None and settings.runner is None:
        cmd = call.command
        argv = (cmd.program, *cmd.global_args, *cmd.command_tokens, *cmd.args)
        spread = call.api == "asyncio.create_subprocess_shell"
        return RerouteArgv(executor_method(call), argv, drop=("shell",), spread=spread), None
    if settings.runner is not None:
        if call.command is None or call.command.problem is not None:
            return None, "the docker command cannot be read"
        cmd = call.command
        words = (*cmd.global_args, *cmd.command_tokens, *cmd.args)
        if call.result_used:
            return None, "the result is used, and the configured runner's result type is unknown"
        if call.keywords or call.star_kwargs:
            return None, "the configured runner takes an argv only; keyword arguments are lost"
        return RunnerCalls(((cmd.program, *words),)), None
    if call.api == "asyncio.create_subprocess_exec":
        return Reroute("aio.create_subprocess_exec"), None
    if call.api in SUBPROCESS_RESULT:
        return Reroute(call.short_api), None
    return None, f"{call.api} has no executor equivalent"


def executor_method(call: DockerCall) -> str:
    """The executor's mirror of the call's API (``os.system`` statements become ``run``)."""
    if call.api == "asyncio.create_subprocess_shell":
        return "aio.create_subprocess_exec"
    if call.api == "os.system":  # a statement, or its result only tested against zero
        return "call" if call.result_used else "run"
    return call.short_api


def shell_reason(call: DockerCall) -> str:
    """Why a command string for a shell (``shell=True``, ``os.*``) is not rewritten."""
    base = "a shell command string cannot be rewritten mechanically"
    if call.words_problem is not None:
        return f"{base}: {call.words_problem}"
    if "executable" in call.keywords:
        return f"{base}: `executable=` chooses the shell"
    if call.api == "os.system":
        return (
            f"{base}: os.system returns a wait status (the exit code shifted by 8 bits on "
            "POSIX), not a return code; only a test against zero keeps its meaning"
        )
    if call.api == "os.popen":
        return f"{base}: os.popen returns a file object over the shell's output"
    if call.api in ("subprocess.getoutput", "subprocess.getstatusoutput"):
        return f"{base}: {call.api} returns the shell's combined output; no executor method does"
    subprocess_api = call.api in SUBPROCESS_RESULT or call.api == "subprocess.Popen"
    if subprocess_api and not call.keyword_true("shell"):
        return f"{base}: `shell=` is not literally True"
    return base


def dangerous_code(cmd: Optional[DockerCommand]) -> Optional[str]:
    """The code of the specific rule (DF001-DF004) that claims ``cmd``, if any."""
    if cmd is None or cmd.problem is not None:
        return None
    sub = cmd.subcommand
    if sub == ("rm",):
        flags = read_flags(cmd.args, RM_FLAGS)
        return "DF001" if forced(flags, cmd) else None
    if sub == ("kill",):
        signal = kill_signal(read_flags(cmd.args, {}, KILL_VALUE_FLAGS))
        return "DF002" if signal == "KILL" or isinstance(signal, Token) else None
    if sub in (("stop",), ("restart",)):
        stop = stop_signal(read_flags(cmd.args, {}, STOP_VALUE_FLAGS))
        return "DF002" if stop == "KILL" or isinstance(stop, Token) else None
    if sub in (("volume", "rm"), ("network", "rm"), ("rmi",)):
        flags = read_flags(cmd.args, RMI_FLAGS if sub == ("rmi",) else FORCE_FLAGS)
        if not forced(flags, cmd):
            return None
        return "DF003" if sub == ("volume", "rm") else "DF004"
    return None
