"""Command strings: the shell syntax that keeps one from being an argv, and its words.

Pure Python, no libcst (cheap to import and to test). A string built at run time
(an f-string, ``%``, ``+``) is read as a text in which each run-time part is a *hole*: one
private-use character standing for a ``Hole``. A word made of literal text and holes
becomes one argv item; a word that is a single ``" ".join(xs)`` hole becomes ``*xs``.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional, Union

from dockfix.engine._argv import Token

HOLE_BASE = 0xE000  # hole i is chr(HOLE_BASE + i)
QUOTED_BASE = 0xF000  # hole i inside shell quotes, once scanned
# a whole word made of one placeholder named like this may hold several words, or none
_MANY = re.compile(
    r"(args?|argv|opts?|options?|flags?|extras?|params?|cmds?|command|cmdline|[^siu]s)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hole:
    """A part of a command string known only at run time.

    ``style`` says how the string was built: ``"f"`` (an f-string; ``field`` is the
    replacement field as written, ``{x!r:>3}``; ``plain`` when it is just ``str(x)``),
    ``"percent"`` (a ``%s``) or ``"plus"`` (an operand of ``+``: already a str).
    ``source`` is the value's expression; for ``shlex.quote(x)`` in a shell string, ``x``
    (the shell removes the quoting again).
    """

    source: str
    style: str
    field: str = ""
    plain: bool = True
    is_str: bool = False  # certainly a str (a string literal, str(...), .join(...))
    spread: Optional[str] = None  # the source of xs when the value is " ".join(xs)
    quoted: bool = False  # the value is shlex.quote(source)


@dataclass(frozen=True)
class Built:
    """A command string: its text (holes as private-use characters) and how to re-spell it."""

    text: str
    holes: tuple[Hole, ...] = ()
    start: str = '"'  # an f-string's opening (prefix and quote), to re-spell a word
    end: str = '"'
    quote: str = '"'  # the quote of the original string, for new literals


def hole_char(index: int) -> str:
    return chr(HOLE_BASE + index)


def _hole_index(ch: str) -> Optional[int]:
    code = ord(ch) - HOLE_BASE
    return code if 0 <= code < 0x1000 else None


_SYNTAX = {
    "`": "command substitution with backticks",
    ";": "`;` (several commands)",
    "<": "a redirection `<`",
    ">": "a redirection `>`",
    "*": "a glob `*`",
    "?": "a glob `?`",
    "[": "a glob `[...]`",
    "]": "a glob `[...]`",
    "(": "a subshell `( )`",
    ")": "a subshell `( )`",
    "{": "braces `{ }` (brace expansion or a group)",
    "}": "braces `{ }` (brace expansion or a group)",
    "~": "a tilde expansion `~`",
    "!": "`!` (negation or history expansion)",
    "\\": "a backslash escape",
    "\n": "a newline (several commands)",
    "#": "a comment `#`",
}


def shell_syntax(text: str) -> Optional[str]:
    """What shell syntax ``text`` uses (the first found), or None when it is plain words."""
    return _scan(text)[1]


def _scan(text: str) -> tuple[list[str], Optional[str]]:
    """The words of a string ``/bin/sh -c`` would run, or the reason they cannot be known."""
    words: list[str] = []
    current: list[str] = []
    in_word = False
    quote: Optional[str] = None
    for i, ch in enumerate(text):
        nxt = text[i + 1 : i + 2]
        if quote == "'":
            if ch == "'":
                quote = None
            else:
                current.append(_quoted(ch))
            continue
        if quote == '"':
            if ch == '"':
                quote = None
            elif ch in "$`\\":
                return words, _reason(ch, nxt) + " inside double quotes"
            else:
                current.append(_quoted(ch))
            continue
        if ch in " \t":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
            continue
        if ch in "'\"":
            quote, in_word = ch, True
            continue
        if ch in "$|&" or ch in _SYNTAX:
            return words, _reason(ch, nxt)
        current.append(ch)
        in_word = True
    if quote is not None:
        return words, "an unclosed quote"
    if in_word:
        words.append("".join(current))
    return words, None


def _quoted(ch: str) -> str:
    """A hole inside shell quotes is one word whatever its value: mark it."""
    index = _hole_index(ch)
    return ch if index is None else chr(QUOTED_BASE + index)


def _reason(ch: str, nxt: str) -> str:
    if ch == "$":
        return "command substitution `$(...)`" if nxt == "(" else "a variable expansion `$`"
    if ch == "|":
        return "`||` (a fallback command)" if nxt == "|" else "a pipe `|`"
    if ch == "&":
        return "`&&` (a command list)" if nxt == "&" else "a background job `&`"
    return _SYNTAX[ch]


def words_of(built: Built, mode: str) -> Union[tuple[Token, ...], str]:
    """The argv tokens of ``built`` run by a shell (``mode="shell"``), ``shlex.split`` or
    ``str.split`` (``"shlex"``/``"split"``), or the reason they cannot be written out."""
    if mode == "shell":
        words, problem = _scan(built.text)
        if problem is not None:
            return f"the shell string uses {problem}"
    elif mode == "shlex":
        try:
            words = shlex.split(built.text)
        except ValueError as exc:
            return f"shlex.split would fail: {exc}"
    else:
        words = built.text.split()
        if any(hole.quoted for hole in built.holes):
            return "shlex.quote inside a str.split(): the quotes stay in the words"
    tokens: list[Token] = []
    for word in words:
        token = _token(word, built)
        if isinstance(token, str):
            return token
        tokens.append(token)
    return tuple(tokens)


def _token(word: str, built: Built) -> Union[Token, str]:
    parts: list[Union[str, Hole]] = []
    quoted = False
    for ch in word:
        index = _hole_index(ch)
        if index is None and ord(ch) >= QUOTED_BASE and ord(ch) - QUOTED_BASE < 0x1000:
            index, quoted = ord(ch) - QUOTED_BASE, True
        if index is None:
            if parts and isinstance(parts[-1], str):
                parts[-1] += ch
            else:
                parts.append(ch)
        else:
            parts.append(built.holes[index])
    if all(isinstance(p, str) for p in parts):
        return Token(word, _py_str(word, built.quote))
    if any(isinstance(p, Hole) and not p.plain for p in parts):
        return (
            "a field with a conversion or a format spec (`!r`, `:>8`): its quotes or padding "
            "would be read by the shell; rewrite it by hand"
        )
    if len(parts) == 1:
        hole = parts[0]
        assert isinstance(hole, Hole)
        if hole.spread is not None:
            return Token(None, hole.spread, starred=True)
        if not quoted and not hole.quoted and _MANY.search(_last_name(hole.source)):
            return (
                f"`{hole.source}` may hold several words (or none) that would be split "
                "apart at run time; build the argv as a list by hand"
            )
        return Token(None, _lone(hole))
    if any(isinstance(p, Hole) and p.spread is not None for p in parts):
        return "a joined value inside a word would be split by the shell; rewrite it by hand"
    return _mixed(parts, built)


def _last_name(source: str) -> str:
    """``names`` in ``self.names``; the whole text for anything else."""
    return source.rsplit(".", 1)[-1]


def _lone(hole: Hole) -> str:
    if hole.style == "plus" or hole.is_str:
        return hole.source
    return f"str({hole.source})"


def _mixed(parts: Sequence[Union[str, Hole]], built: Built) -> Union[Token, str]:
    styles = {p.style for p in parts if isinstance(p, Hole)}
    style = styles.pop()
    if style == "f":
        body = "".join(
            p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else p.field
            for p in parts
        )
        if any(c in body for c in "\\\r\n") or _quote_char(built.start) in body:
            return "the word cannot be re-spelled as an f-string; rewrite it by hand"
        return Token(None, f"{built.start}{body}{built.end}")
    if style == "percent":
        fmt = "".join(p.replace("%", "%%") if isinstance(p, str) else "%s" for p in parts)
        values = [p.source for p in parts if isinstance(p, Hole)]
        return Token(None, f"{_py_str(fmt, built.quote)} % ({', '.join(values)},)")
    return Token(
        None,
        " + ".join(_py_str(p, built.quote) if isinstance(p, str) else p.source for p in parts),
    )


def _quote_char(start: str) -> str:
    return start.lstrip("rRfFbBuU")[:1] or '"'


def _py_str(value: str, quote: str) -> str:
    """A Python literal for ``value``, in ``quote`` when it needs no escape for it."""
    text = repr(value)
    if quote == '"' and text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")", ";;", "|&", "\n"})
_PREFIXES = frozenset({"xargs", "sudo", "exec", "command", "nohup", "time", "then", "do"})


def command_words(text: str) -> list[list[str]]:
    """The simple commands of a shell string with syntax, as words (read for what they run,
    never rewritten): ``cd x && docker rm -f c`` gives ``[["cd", "x"], ["docker", ...]]``.
    Prefixes like ``xargs -r`` and ``sudo`` are dropped; a redirection ends the words."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    commands: list[list[str]] = [[]]
    ended = False
    try:
        for word in lexer:
            if word in _SEPARATORS:
                commands.append([])
                ended = False
            elif (word and word[0] in "<>") or ended:
                ended = True
            elif commands[-1] or (word not in _PREFIXES and not word.startswith("-")):
                commands[-1].append(word)
    except ValueError:
        return []
    return [words for words in commands if words]
