"""Logical lines of shell-like text, with the physical position of every character.

A backslash at the end of a line continues it (shell, Makefile, Dockerfile); the joined
text keeps, for each character, its 1-based line and column so a finding points at the
source. Each logical line also knows where its shell command text starts (after a YAML
key, a Makefile recipe prefix, a Dockerfile ``RUN``) and where a comment cuts it off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dockfix.textscan._files import DOCKERFILE, MAKE, YAML

_YAML_PREFIX = re.compile(r"\s*(?:-\s+)*(?:[\w.-]+\s*:\s+)?")
_MAKE_PREFIX = re.compile(
    r"\s*(?:[\w.-]+\s*(?:::=|:=|\+=|\?=|!=|=)\s*|[@+-]+\s*)?"  # assignment value / recipe
)
_DOCKERFILE_PREFIX = re.compile(r"\s*(?i:RUN|CMD|ENTRYPOINT)\s+(?:--\S+\s+)*")
_SHELL_PREFIX = re.compile(r"\s*")
_OPERATORS = frozenset(";&|(`")
# YAML keys whose values are shell commands (GitHub Actions `run`, GitLab `script`,
# CircleCI/Buildkite `command`, Drone `commands`, Ansible `shell`/`cmd`, compose `entrypoint`).
_YAML_COMMAND_KEY = re.compile(
    r"(?:[\w.]*[_-])?(?:run|script|scripts|command|commands|cmd|shell|entrypoint|args|bash|sh)"
    r"|(?:before|after)_(?:install|success|failure|deploy)|install|exec"
)
_YAML_KEY = re.compile(r"((?:-\s+)*)([\w.-]+)\s*:(?:\s+(.*))?$")


@dataclass(frozen=True)
class LogicalLine:
    text: str
    lines: tuple[int, ...]  # physical line of each character
    columns: tuple[int, ...]  # 1-based column of each character
    start: int  # where the shell command text begins (-1: this line holds no command)
    stop: int  # where a comment begins, or len(text)
    quote_open: tuple[int, ...]  # index of the quote enclosing each character, or -1

    def position(self, index: int) -> tuple[int, int]:
        index = max(0, min(index, len(self.text) - 1))
        return self.lines[index], self.columns[index]


def _continues(line: str) -> bool:
    stripped = line.rstrip(" \t")
    return (len(stripped) - len(stripped.rstrip("\\"))) % 2 == 1


def _physical_groups(text: str, kind: str) -> Iterator[list[tuple[int, str]]]:
    """Groups of (line number, text) making up one logical line each."""
    group: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if group and kind == DOCKERFILE and line.lstrip().startswith("#"):
            continue  # a comment inside a continued Dockerfile instruction is dropped
        group.append((number, line))
        if kind == YAML or not _continues(line):
            yield group
            group = []
    if group:
        yield group


def yaml_command_lines(text: str) -> set[int]:
    """Numbers of the YAML lines that hold the value of a command key (inline, list, block)."""
    allowed: set[int] = set()
    keys: list[tuple[int, bool]] = []  # (indent of the key, its value is a command)
    block: tuple[int, bool] | None = None  # a block scalar (| or >) under a key at that indent
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if block is not None:
            if not stripped or indent > block[0]:
                if block[1]:
                    allowed.add(number)
                continue
            block = None
        if not stripped or stripped.startswith("#"):
            continue
        while keys and keys[-1][0] >= indent:
            keys.pop()
        match = _YAML_KEY.match(stripped)
        if match is None:  # a list item or a plain scalar: belongs to the enclosing key
            if keys and keys[-1][1]:
                allowed.add(number)
            continue
        key_indent = indent + len(match.group(1))
        while keys and keys[-1][0] >= key_indent:
            keys.pop()
        command = bool(_YAML_COMMAND_KEY.fullmatch(match.group(2)))
        keys.append((key_indent, command))
        value = (match.group(3) or "").strip()
        if value[:1] in ("|", ">"):
            block = (key_indent, command)
        elif command and value:
            allowed.add(number)
    return allowed


def _command_start(text: str, kind: str) -> int:
    if kind == YAML:
        return _YAML_PREFIX.match(text).end()  # type: ignore[union-attr]
    if kind == MAKE:
        return _MAKE_PREFIX.match(text).end()  # type: ignore[union-attr]
    if kind == DOCKERFILE:
        match = _DOCKERFILE_PREFIX.match(text)
        return match.end() if match else -1
    return _SHELL_PREFIX.match(text).end()  # type: ignore[union-attr]


def _quotes_and_comment(text: str, start: int) -> tuple[tuple[int, ...], int]:
    """For each character the index of its enclosing quote (-1 outside), and the comment start."""
    enclosing = [-1] * len(text)
    quote, opened = "", -1
    if start < 0:
        return tuple(enclosing), len(text)
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            enclosing[index] = opened
            if char == "\\" and quote == '"' and index + 1 < len(text):
                enclosing[index + 1] = opened
                index += 2
                continue
            if char == quote:
                quote = ""
        elif char == "\\":
            index += 2
            continue
        elif char in "'\"":
            quote, opened = char, index
        elif char == "#" and (
            index == start or text[index - 1].isspace() or text[index - 1] in _OPERATORS
        ):
            return tuple(enclosing), index
        index += 1
    return tuple(enclosing), len(text)


def logical_lines(text: str, kind: str) -> Iterator[LogicalLine]:
    yaml_allowed = yaml_command_lines(text) if kind == YAML else set()
    for group in _physical_groups(text, kind):
        chars: list[str] = []
        lines: list[int] = []
        columns: list[int] = []
        for position, (number, line) in enumerate(group):
            if position < len(group) - 1:
                line = line.rstrip(" \t")[:-1]  # drop the continuation backslash
            chars.extend(line)
            lines.extend([number] * len(line))
            columns.extend(range(1, len(line) + 1))
        joined = "".join(chars)
        start = _command_start(joined, kind)
        if kind == YAML and group[0][0] not in yaml_allowed:
            start = -1
        enclosing, stop = _quotes_and_comment(joined, start)
        yield LogicalLine(joined, tuple(lines), tuple(columns), start, stop, enclosing)
