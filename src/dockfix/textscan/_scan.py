"""Finding docker commands in shell-like text and reporting the dangerous ones."""

from __future__ import annotations

import json
import re
from typing import Optional

from dockfix.engine._types import Finding, Settings  # not the package: it loads the rules
from dockfix.textscan._docker import classify
from dockfix.textscan._files import DOCKERFILE, SHELL, YAML, file_kind
from dockfix.textscan._lines import LogicalLine, logical_lines

FIX_REASON = "a non-Python file: reported, never rewritten"

# The program: `docker`, a path to it, or a variable that holds it ($(DOCKER), ${docker_bin}).
_PROGRAM = re.compile(
    r"(?<![\w./${}-])(?:[\w./-]*/)?docker(?:\.exe)?(?![\w.-])"
    r"|\$(?:\((?i:\w*docker\w*)\)|\{(?i:\w*docker\w*)\}|(?i:[A-Za-z_]*docker\w*))(?![\w.-])"
)
# Words that may stand before a command without being the command.
_WRAPPERS = frozenset(
    {"sudo", "exec", "nohup", "time", "command", "env", "xargs", "timeout", "nice", "stdbuf"}
    | {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "-", "@", "+"}
)
_ASSIGNMENT = re.compile(r"[A-Za-z_]\w*=\S*")
_LAST_WORD = re.compile(r"(\S+)\s*$")
# Before an opening quote: the string is a command for a shell (`sh -c "..."`, `eval '...'`,
# an exec-form array `["sh", "-c", "..."]`).
_SHELL_STRING = re.compile(r"(?:(?:^|\s)-[a-z]*c|\beval|[\"']-[a-z]*c[\"']\s*,)\s*$")
_WORD_END = frozenset(" \t;&|)`")
_IGNORE = re.compile(r"dockfix:\s*ignore(?:\[([A-Z0-9,\s]+)\])?")


def _command_context(prefix: str) -> Optional[str]:
    """What opens the command a word after ``prefix`` starts: ``""`` (the start), the word
    ending in an operator (``&&``, ``$(``...), or None when that word is no command.

    Wrappers before it (sudo, env, xargs -r, FOO=bar) are skipped.
    """
    while True:
        match = _LAST_WORD.search(prefix)
        if match is None:
            return ""
        word = match.group(1)
        if (
            word in _WRAPPERS
            or _ASSIGNMENT.fullmatch(word)
            or word.startswith("-")
            or word.isdigit()
            or word == "{}"
        ):
            prefix = prefix[: match.start(1)]
            continue
        return word if word[-1] in ";&|(`" else None


def _words(line: LogicalLine, index: int, quote: str) -> tuple[list[str], int]:
    """Shell words from ``index`` to the end of the command; also the index where it ends."""
    text, stop = line.text, line.stop if not quote else len(line.text)
    words: list[str] = []
    end = index
    while index < stop:
        char = text[index]
        if char in " \t":
            index += 1
            continue
        if char in ";&|)`" or char == quote or (char == "#" and not quote):
            break
        buf: list[str] = []
        depth = 0
        while index < stop:
            char = text[index]
            if depth == 0 and (char in _WORD_END or (quote and char == quote)):
                break
            if char == "\\" and index + 1 < stop:
                buf.append(text[index + 1])
                index += 2
                continue
            if char in "'\"" and not quote and depth == 0:
                close = text.find(char, index + 1)
                close = stop if close < 0 else close
                buf.append(text[index + 1 : close])
                index = close + 1
                continue
            if char == "$" and index + 1 < stop and text[index + 1] in "({":
                depth += 1
            elif char in ")}" and depth > 0:
                depth -= 1
            buf.append(char)
            index += 1
        words.append("".join(buf))
        end = index
    return words, end


def _quoted_command_ok(line: LogicalLine, quote_at: int) -> bool:
    before = line.text[max(line.start, 0) : quote_at]
    return not before.strip() or bool(_SHELL_STRING.search(before))


def _suppressed(lines: list[str], line_number: int, code: str) -> bool:
    for number in (line_number, line_number - 1):
        if 1 <= number <= len(lines):
            match = _IGNORE.search(lines[number - 1])
            if match and (match.group(1) is None or code in match.group(1).replace(" ", "")):
                return True
    return False


def _finding(line: LogicalLine, start: int, end: int, verdict: tuple[str, str, str]) -> Finding:
    code, name, message = verdict
    first_line, first_col = line.position(start)
    last_line, last_col = line.position(end - 1)
    return Finding(
        code=code,
        name=name,
        message=message,
        line=first_line,
        column=first_col,
        end_line=last_line,
        end_column=last_col + 1,
        fixable=False,
        fix_reason=FIX_REASON,
    )


def _exec_form(line: LogicalLine) -> Optional[Finding]:
    """An argv array: Dockerfile ``RUN ["docker", "rm", "-f", "x"]``, YAML ``command: [...]``."""
    rest = line.text[line.start :]
    if not rest.lstrip().startswith("["):
        return None
    try:
        argv = json.loads(rest)
    except ValueError:
        return None
    if not (isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv)):
        return None
    if argv[0].rsplit("/", 1)[-1] not in ("docker", "docker.exe"):
        return None
    verdict = classify(argv[1:])
    return _finding(line, line.start, len(line.text.rstrip()), verdict) if verdict else None


def _scan_line(line: LogicalLine, kind: str) -> list[Finding]:
    if line.start < 0:
        return []
    found: list[Finding] = []
    if kind in (DOCKERFILE, YAML):
        exec_form = _exec_form(line)
        if exec_form is not None:
            return [exec_form]
    for match in _PROGRAM.finditer(line.text, line.start, line.stop):
        start = match.start()
        quote_at = line.quote_open[start]
        segment_start = quote_at + 1 if quote_at >= 0 else line.start
        context = _command_context(line.text[segment_start:start])
        if context is None:
            continue
        quote = line.text[quote_at] if quote_at >= 0 else ""
        substituted = quote == '"' and context.endswith(("$(", "`"))  # "$(docker kill x)"
        if quote and not substituted and not _quoted_command_ok(line, quote_at):
            continue
        words, end = _words(line, match.end(), quote)
        verdict = classify(words)
        if verdict is not None:
            found.append(_finding(line, start, end, verdict))
    return found


def scan(path: str, data: bytes, settings: Optional[Settings] = None) -> list[Finding]:
    """Findings (report only) for ``docker rm -f``, ``docker kill`` and ``docker volume rm -f``.

    ``path`` picks the dialect (shell, Makefile, YAML, Dockerfile; shell when unknown).
    ``settings``, when given, keeps only the codes it enables (``select``/``ignore``).
    Never raises for any bytes; ``# dockfix: ignore[...]`` suppresses as in Python.
    """
    kind = file_kind(path, data[:256]) or SHELL
    text = data.decode("utf-8", errors="replace")
    physical = text.splitlines()
    findings: list[Finding] = []
    for line in logical_lines(text, kind):
        for finding in _scan_line(line, kind):
            if settings is not None and not settings.enabled(finding.code):
                continue
            if not _suppressed(physical, finding.line, finding.code):
                findings.append(finding)
    return sorted(findings, key=lambda f: (f.line, f.column, f.code))
