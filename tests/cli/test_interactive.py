"""``fix --interactive`` driven through a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import io
import signal
import subprocess
from pathlib import Path

import pexpect
import pytest

from tests.cli.conftest import THREE_RMS, dockfix_argv, run_proc, subprocess_env, write

PROMPT = "Apply this change? [y,n,a,d,A,q,?]"

KILL_AND_RMS = """\
import subprocess


def first():
    subprocess.run(["docker", "rm", "-f", "c1"], check=False)


def kill():
    subprocess.run(["docker", "kill", "k1"], check=False)


def second():
    subprocess.run(["docker", "rm", "-f", "c2"], check=False)
"""

ONE_RM = """\
import subprocess


def fourth():
    subprocess.run(["docker", "rm", "-f", "c4"], check=False)
"""


def review(folder: Path, answers: list[str], *, colour: bool = False) -> tuple[int, str]:
    """Answer each prompt in turn; the exit status and everything the terminal showed."""
    env = subprocess_env() if colour else subprocess_env(NO_COLOR="1")
    env["TERM"] = "xterm-256color"
    argv = dockfix_argv("fix", "--interactive", str(folder))
    child = pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=60, dimensions=(60, 200)
    )
    log = io.StringIO()
    child.logfile_read = log
    for answer in answers:
        child.expect_exact(PROMPT)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, log.getvalue()
    return child.exitstatus, log.getvalue()


def forced(path: Path) -> set[str]:
    """The container names still force-removed in a file."""
    text = path.read_text()
    return {name for name in ("c1", "c2", "c3", "c4") if f'"-f", "{name}"' in text}


def test_yes_no_yes_writes_exactly_the_accepted_changes(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    status, screen = review(tmp_path, ["y", "n", "y"])
    assert forced(path) == {"c2"}
    assert status == 1  # the skipped change is still pending
    assert screen.count(PROMPT) == 3
    assert "DF001" in screen
    assert '-    subprocess.run(["docker", "rm", "-f", "c1"], check=False)' in screen
    compile(path.read_text(), str(path), "exec")
    remaining = run_proc("check", str(tmp_path))
    assert remaining.stdout.count("DF001") == 1


def test_enter_means_no(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    status, _ = review(tmp_path, ["", "", ""])
    assert forced(path) == {"c1", "c2", "c3"}
    assert path.read_text() == THREE_RMS
    assert status == 1


def test_a_applies_the_rest_of_this_file_only(tmp_path: Path) -> None:
    first = write(tmp_path, "a.py", THREE_RMS)
    second = write(tmp_path, "b.py", ONE_RM)
    status, screen = review(tmp_path, ["n", "a", "n"])
    assert forced(first) == {"c1"}
    assert forced(second) == {"c4"}
    assert screen.count(PROMPT) == 3
    assert status == 1


def test_d_skips_the_rest_of_this_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.py", THREE_RMS)
    second = write(tmp_path, "b.py", ONE_RM)
    status, _ = review(tmp_path, ["y", "d", "y"])
    assert forced(first) == {"c2", "c3"}
    assert forced(second) == set()
    assert status == 1


def test_capital_a_applies_every_remaining_change_of_the_rule(tmp_path: Path) -> None:
    first = write(tmp_path, "a.py", KILL_AND_RMS)
    second = write(tmp_path, "b.py", ONE_RM)
    status, screen = review(tmp_path, ["A", "n"])  # DF001 for all; then the kill is asked
    assert forced(first) == set()
    assert forced(second) == set()
    assert '"docker", "kill", "k1"' in first.read_text()
    assert screen.count(PROMPT) == 2
    assert "DF002" in screen
    assert status == 1


def test_all_accepted_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    status, _ = review(tmp_path, ["A"])
    assert forced(path) == set()
    assert status == 0


def test_q_writes_what_was_accepted_and_stops(tmp_path: Path) -> None:
    first = write(tmp_path, "a.py", THREE_RMS)
    second = write(tmp_path, "b.py", ONE_RM)
    status, screen = review(tmp_path, ["y", "q"])
    assert forced(first) == {"c2", "c3"}
    assert forced(second) == {"c4"}
    assert screen.count(PROMPT) == 2
    assert status == 1


def test_question_mark_shows_help_and_asks_again(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    status, screen = review(tmp_path, ["?", "q"])
    assert "apply this change and the rest of this file" in screen
    assert path.read_text() == THREE_RMS
    assert status == 1


def test_colours_on_a_terminal_and_none_with_no_color(tmp_path: Path) -> None:
    write(tmp_path, "a.py", THREE_RMS)
    _, coloured = review(tmp_path, ["q"], colour=True)
    assert "\x1b[" in coloured
    _, plain = review(tmp_path, ["q"])
    assert "\x1b[3" not in plain  # no foreground colours under NO_COLOR


def test_refuses_without_a_terminal_on_stdin(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    proc = subprocess.run(
        dockfix_argv("fix", "--interactive", str(tmp_path)),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert proc.returncode == 2
    assert "not a terminal" in proc.stderr
    assert path.read_text() == THREE_RMS


@pytest.mark.parametrize("answer", ["y", "n"])
def test_file_changed_during_review_is_not_overwritten(tmp_path: Path, answer: str) -> None:
    path = write(tmp_path, "a.py", ONE_RM)
    env = subprocess_env(NO_COLOR="1")
    argv = dockfix_argv("fix", "--interactive", str(tmp_path))
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60)
    child.expect_exact(PROMPT)
    path.write_text(ONE_RM + "# edited meanwhile\n")
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert path.read_text() == ONE_RM + "# edited meanwhile\n"
    if answer == "y":
        assert child.exitstatus == 2


def test_ctrl_c_stops_without_writing_the_file_under_review(tmp_path: Path) -> None:
    path = write(tmp_path, "a.py", THREE_RMS)
    argv = dockfix_argv("fix", "--interactive", str(tmp_path))
    child = pexpect.spawn(
        argv[0],
        argv[1:],
        env=subprocess_env(NO_COLOR="1"),
        encoding="utf-8",
        timeout=60,
        # A runner started in the background (`cmd &` in a script) ignores SIGINT, and the
        # child would inherit that: Ctrl-C must reach dockfix as it does in a terminal.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.expect_exact(PROMPT)
    child.sendline("y")
    child.expect_exact(PROMPT)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert path.read_text() == THREE_RMS
