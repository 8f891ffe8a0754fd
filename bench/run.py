"""dockfix check performance: one command, interleaved rounds, results in BENCHMARKS.md.

    pip install -r bench/requirements.txt      # once: ast-grep and semgrep (ruff is in .[dev])
    python bench/run.py                        # 5 rounds, writes "Check performance"
    python bench/run.py --rounds 2 --no-write  # a quick look

Builds (or reuses) the corpora (bench/corpus.py), checks which tools are installed (nothing is
installed at run time), byte-compiles the dockfix package as pip does on install (an editable
checkout otherwise compiles its modules from source on every run; ``--no-compile`` skips it),
then runs every tool once per round, in an order rotated each round, and
reports medians, ratios dockfix/baseline within this run, dense finding counts and the targets of
issue 7. Exit status: 0 when every tool that ran behaved (targets missed are reported, not
errors), 1 when a tool crashed, gave an unexpected exit status, or ``fix --diff`` wrote a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_mod
from measure import Sample, run_measured

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RULES = BENCH / "rules"
OUT = BENCH / "out"
SECTION = "## Check performance"
MEMORY_TARGET_MIB = 150.0

Counter = Callable[[bytes], "int | None"]


# ----------------------------------------------------------------------------- counting output


def count_lines(data: bytes) -> int:
    return sum(1 for line in data.splitlines() if line.strip())


def count_semgrep(data: bytes) -> int | None:
    try:
        return len(json.loads(data)["results"])
    except (ValueError, KeyError, TypeError):
        return None


_CODE = re.compile(rb"\bDF\d{3}\b")


def count_dockfix_text(data: bytes) -> int:
    """Findings in ``dockfix check`` text output: lines that carry a rule code."""
    return sum(1 for line in data.splitlines() if _CODE.search(line))


def count_dockfix_json(data: bytes) -> int | None:
    """Findings in ``--format json`` output: every object with a DFnnn ``code`` (any nesting)."""
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    found, stack = 0, [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("code"), str) and re.fullmatch(r"DF\d{3}", item["code"]):
                found += 1
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def count_diff_files(data: bytes) -> int:
    """Files changed in a unified diff (``+++`` headers)."""
    return sum(1 for line in data.splitlines() if line.startswith(b"+++ "))


def count_parsed(data: bytes) -> int | None:
    match = re.search(rb"parsed (\d+) files", data)
    return int(match.group(1)) if match else None


# ----------------------------------------------------------------------------- tools


@dataclass
class Tool:
    key: str  # unique, e.g. "dense/ast-grep"
    corpus: str  # "clean" or "dense"
    label: str  # what the table shows
    argv: list[str]
    ok_codes: frozenset[int]
    counter: Counter | None = None
    count_what: str = "findings"
    dockfix: bool = False
    fix_run: bool = False  # runs on a fresh copy of the tree, which must stay unchanged
    samples: list[Sample] = field(default_factory=list)
    counts: list[int | None] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def command(self) -> str:
        return shlex.join(self.argv)


def _which(name: str, explicit: str | None = None) -> str | None:
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def _version(argv: Sequence[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text and out.returncode == 0 else f"unavailable (exit {out.returncode})"


def dockfix_status(exe: str | None) -> tuple[bool, str]:
    """(usable, why): the CLI must exist and have a working ``check`` command."""
    if not exe:
        return False, "no dockfix executable found"
    try:
        out = subprocess.run(
            [exe, "check", "--help"], capture_output=True, text=True, timeout=120, check=False
        )
    except OSError as exc:
        return False, str(exc)
    if out.returncode != 0:
        last = (out.stderr or out.stdout).strip().splitlines()[-1:] or ["?"]
        return False, f"`dockfix check --help` exits {out.returncode}: {last[0]}"
    return True, _version([exe, "--version"])


def build_tools(args: argparse.Namespace, notes: list[str]) -> list[Tool]:
    """The tools to run, after checking which are installed."""
    tools: list[Tool] = []
    want = set(args.corpus)
    ruff = _which("ruff")
    sg = _which("ast-grep")
    semgrep = _which("semgrep")
    dockfix = _which("dockfix", args.dockfix)
    py = sys.executable

    if "clean" in want:
        if ruff:
            tools.append(
                Tool(
                    "clean/ruff",
                    "clean",
                    "ruff check --select S603 (baseline)",
                    [ruff, "check", "--no-cache", "--select", "S603", "clean"],
                    frozenset({0, 1}),
                )
            )
        else:
            notes.append("ruff not found: `pip install -e '.[dev]'`; clean baseline skipped")
    if "dense" in want:
        if sg:
            rule = str(RULES / "docker-subprocess.ast-grep.yml")
            tools.append(
                Tool(
                    "dense/ast-grep",
                    "dense",
                    "ast-grep scan (baseline)",
                    [sg, "scan", "--rule", rule, "--json=stream", "dense"],
                    frozenset({0}),
                    count_lines,
                )
            )
        else:
            notes.append("ast-grep not found: `pip install -r bench/requirements.txt`")
        if semgrep:
            rule = str(RULES / "docker-subprocess.semgrep.yml")
            tools.append(
                Tool(
                    "dense/semgrep",
                    "dense",
                    "semgrep scan -j 2 (baseline)",
                    [
                        *(semgrep, "scan", "--config", rule, "--metrics=off"),
                        *("--disable-version-check", "--no-git-ignore", "--project-root", "."),
                        *("--json", "--quiet", "-j", "2", "dense"),
                    ],
                    frozenset({0}),
                    count_semgrep,
                )
            )
        elif not semgrep:
            notes.append("semgrep not found: `pip install -r bench/requirements.txt`")
        parse_all = str(BENCH / "libcst_parse_all.py")
        for jobs in (1, 2):
            tools.append(
                Tool(
                    f"dense/libcst-{jobs}",
                    "dense",
                    f"libcst parse every file, {'serial' if jobs == 1 else '2 processes'}",
                    [py, parse_all, "--jobs", str(jobs), "dense"],
                    frozenset({0}),
                    count_parsed,
                    "files parsed",
                )
            )
        tools.append(
            Tool(
                "dense/front-end-floor",
                "dense",
                "CPython front end alone, 2 processes (floor of an exact check)",
                [py, str(BENCH / "front_end_floor.py"), "--jobs", "2", "dense"],
                frozenset({0}),
                count_parsed,
                "files parsed",
            )
        )
    usable, why = dockfix_status(dockfix)
    if not usable:
        notes.append(f"dockfix unavailable ({why}): only the baselines were measured")
        return tools
    notes.append(f"dockfix: {why} ({dockfix})")
    if args.compile:
        notes.append(byte_compile_dockfix())
    for name in ("clean", "dense"):
        if name not in want:
            continue
        tools.append(
            Tool(
                f"{name}/dockfix-check",
                name,
                "dockfix check --no-cache (cold)",
                [dockfix, "check", "--no-cache", name],
                frozenset({0, 1, 2}),
                count_dockfix_text,
                dockfix=True,
            )
        )
        # Warm: the content cache was filled by the warm-up run (or an earlier round).
        tools.append(
            Tool(
                f"{name}/dockfix-check-warm",
                name,
                "dockfix check (warm cache)",
                [dockfix, "check", name],
                frozenset({0, 1, 2}),
                count_dockfix_text,
                dockfix=True,
            )
        )
        tools.append(
            Tool(
                f"{name}/dockfix-json",
                name,
                "dockfix check --no-cache --format json (cold)",
                [dockfix, "check", "--no-cache", "--format", "json", name],
                frozenset({0, 1, 2}),
                count_dockfix_json,
                dockfix=True,
            )
        )
        if name == "dense":
            tools.append(
                Tool(
                    "dense/dockfix-fix-diff",
                    "dense",
                    "dockfix fix --diff --no-cache (cold)",
                    [dockfix, "fix", "--diff", "--no-cache", "work/dense"],
                    frozenset({0, 1, 2}),
                    count_diff_files,
                    "files in diff",
                    dockfix=True,
                    fix_run=True,
                )
            )
    return tools


# ----------------------------------------------------------------------------- running


def _tree_digest(root: Path) -> str:
    return corpus_mod._tree_digest(
        (p.relative_to(root).as_posix(), p.read_bytes())
        for p in sorted(root.rglob("*.py"), key=lambda p: p.as_posix())
    )


def fresh_fix_copy(corpus_dir: Path) -> Path:
    work = corpus_dir / "work" / "dense"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(corpus_dir / "dense", work)
    return work


def run_once(tool: Tool, corpus_dir: Path, args: argparse.Namespace, label: str) -> None:
    OUT.mkdir(exist_ok=True)
    out_path = OUT / f"{tool.key.replace('/', '_')}.out"
    err_path = OUT / f"{tool.key.replace('/', '_')}.err"
    if tool.fix_run:
        work = fresh_fix_copy(corpus_dir)
        before = _tree_digest(work)
    with out_path.open("wb") as out, err_path.open("wb") as err:
        sample = run_measured(
            tool.argv,
            cwd=corpus_dir,
            stdout=out,
            stderr=err,
            interval=args.interval,
            timeout=args.timeout,
        )
    data = out_path.read_bytes()
    stderr = err_path.read_bytes()
    tool.samples.append(sample)
    counted = tool.counter and not sample.timed_out
    tool.counts.append(tool.counter(data) if tool.counter and counted else None)
    crashed = sample.returncode not in tool.ok_codes or b"Traceback (most recent call" in stderr
    if crashed and not sample.timed_out:
        tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
        tool.errors.append(f"exit {sample.returncode}: {' | '.join(tail)}")
    if tool.fix_run and _tree_digest(work) != before:
        tool.errors.append("fix --diff modified files")
    count = tool.counts[-1]
    print(
        f"  {label} {tool.key:24} {sample.wall:8.3f} s  peak {sample.peak:6.1f} MiB"
        f"  exit {sample.returncode}"
        + (f"  {tool.count_what}={count}" if count is not None else ""),
        flush=True,
    )


def run_rounds(tools: list[Tool], corpus_dir: Path, args: argparse.Namespace) -> None:
    if args.warmup:
        print("warm-up (not counted): one run per tool", flush=True)
        for tool in tools:
            run_once(tool, corpus_dir, args, "w")
            tool.samples.clear()
            tool.counts.clear()
    for rnd in range(args.rounds):
        shift = rnd % len(tools)
        order = tools[shift:] + tools[:shift]
        print(f"round {rnd + 1}/{args.rounds}", flush=True)
        for tool in order:
            run_once(tool, corpus_dir, args, f"{rnd + 1}")


# ----------------------------------------------------------------------------- reporting


def med(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def wall(tool: Tool | None) -> float:
    """Median wall time; a lower bound when some runs hit the time limit."""
    return med([s.wall for s in tool.samples]) if tool else float("nan")


def censored(tool: Tool | None) -> bool:
    return bool(tool and any(s.timed_out for s in tool.samples))


def machine() -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cores": str(os.cpu_count()),
        "cpu": model,
        "memory": mem,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def targets(by_key: dict[str, Tool], expected: int) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows."""
    rows: list[tuple[str, str, str]] = []

    def ratio_row(name: str, num: str, den: str, limit: float) -> tuple[str, str, str]:
        a, b = by_key.get(num), by_key.get(den)
        if not (a and b and a.samples and b.samples):
            return name, "n/a", "n/a"
        r = wall(a) / wall(b)
        if censored(a):  # a lower bound: only a miss can be concluded
            return name, f">= {r:.2f} (time limit hit)", "NOT met" if r > limit else "n/a"
        return name, f"{r:.2f}", verdict(r <= limit)

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("met" if ok else "NOT met")

    rows.append(ratio_row("clean: check / ruff <= 1.0", "clean/dockfix-check", "clean/ruff", 1))
    rows.append(
        ratio_row("dense: check / ast-grep <= 1.0", "dense/dockfix-check", "dense/ast-grep", 1)
    )
    rows.append(
        ratio_row("clean: warm check / ruff <= 1.0", "clean/dockfix-check-warm", "clean/ruff", 1)
    )
    rows.append(
        ratio_row(
            "dense: warm check / ast-grep <= 1.0",
            "dense/dockfix-check-warm",
            "dense/ast-grep",
            1,
        )
    )
    check = by_key.get("dense/dockfix-check")
    if check and any(c is not None for c in check.counts):
        counts = sorted({c for c in check.counts if c is not None})
        ok = counts == [expected]
        rows.append((f"dense: check finds all {expected}", str(counts), verdict(ok)))
    else:
        rows.append((f"dense: check finds all {expected}", "n/a", "n/a"))
    rows.append(
        ratio_row(
            "dense: fix --diff / ast-grep <= 2.0", "dense/dockfix-fix-diff", "dense/ast-grep", 2
        )
    )
    peaks = {
        k: max(s.peak for s in t.samples) for k, t in by_key.items() if t.dockfix and t.samples
    }
    if peaks:
        worst = max(peaks, key=lambda k: peaks[k])
        rows.append(
            (
                f"peak memory < {MEMORY_TARGET_MIB:.0f} MiB (worst dockfix run)",
                f"{peaks[worst]:.0f} MiB ({worst})",
                verdict(peaks[worst] < MEMORY_TARGET_MIB),
            )
        )
    else:
        rows.append((f"peak memory < {MEMORY_TARGET_MIB:.0f} MiB", "n/a", "n/a"))
    return rows


def floor_lines(by_key: dict[str, Tool]) -> list[str]:
    """How the dense check compares with the front-end floor (``front_end_floor.py``)."""
    floor, check = by_key.get("dense/front-end-floor"), by_key.get("dense/dockfix-check")
    if not (floor and floor.samples and check and check.samples):
        return []
    text = (
        f"Floor: on the dense corpus, CPython's compiler front end alone (every file read and"
        f" syntax-checked, nothing else: `bench/front_end_floor.py`) takes {wall(floor):.3f} s"
    )
    grep = by_key.get("dense/ast-grep")
    if grep and grep.samples:
        text += f", {wall(floor) / wall(grep):.2f} × ast-grep"
    text += (
        f". `dockfix check` takes {wall(check) / wall(floor):.2f} × the floor: its analysis,"
        f" start and report take {wall(check) - wall(floor):.3f} s on top of the syntax check."
    )
    return ["", text]


BASELINE_FOR = {
    "clean/dockfix-check": "clean/ruff",
    "clean/dockfix-check-warm": "clean/ruff",
    "clean/dockfix-json": "clean/ruff",
    "dense/dockfix-check": "dense/ast-grep",
    "dense/dockfix-check-warm": "dense/ast-grep",
    "dense/dockfix-json": "dense/ast-grep",
    "dense/dockfix-fix-diff": "dense/ast-grep",
    "dense/front-end-floor": "dense/ast-grep",
}


def render(
    tools: list[Tool],
    manifest: dict[str, object],
    notes: list[str],
    versions: dict[str, str],
    command: str,
    rounds: int,
    args_timeout: float,
) -> str:
    by_key = {t.key: t for t in tools}
    info = machine()
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    clean, dense = manifest["clean"], manifest["dense"]
    assert isinstance(clean, dict)
    assert isinstance(dense, dict)
    expected = int(dense["expected_findings"])
    lines = [
        SECTION,
        "",
        f"Measured {now} on {info['cores']} cores ({info['cpu']}), {info['memory']} RAM,"
        f" {info['os']}, Python {info['python']}.",
        "",
        f"Command (from the repository root): `{command}` ({rounds} interleaved rounds, tool order"
        " rotated each round; medians; ratios are dockfix / baseline medians of this same run).",
        "",
        "| corpus | files | lines | bytes |",
        "|---|---:|---:|---:|",
        f"| clean (stdlib, no site-packages) | {clean['files']:,} | {clean['lines']:,}"
        f" | {clean['bytes']:,} |",
        f"| dense (1 docker call appended per file) | {dense['files']:,} | {dense['lines']:,}"
        f" | {dense['bytes']:,} |",
        "",
        "| corpus | tool | wall median (s) | min–max (s) | peak MiB | largest process MiB"
        " | count | ratio |",
        "|---|---|---:|---:|---:|---:|---|---:|",
    ]
    for tool in tools:
        if not tool.samples:
            continue
        walls = [s.wall for s in tool.samples]
        counts = sorted({c for c in tool.counts if c is not None})
        count = f"{tool.count_what} {'/'.join(str(c) for c in counts)}" if counts else ""
        base = by_key.get(BASELINE_FOR.get(tool.key, ""))
        ratio = wall(tool) / wall(base) if base and base.samples else float("nan")
        bound = ">= " if censored(tool) else ""
        ratio_txt = f"{bound}{ratio:.2f} × {base.key.split('/')[1]}" if base else ""
        err = " **errors**" if tool.errors else ""
        limit = f" ({sum(s.timed_out for s in tool.samples)} hit the time limit)" * censored(tool)
        lines.append(
            f"| {tool.corpus} | {tool.label}{err}{limit} | {bound}{wall(tool):.3f} |"
            f" {min(walls):.3f}–"
            f"{max(walls):.3f} | {med([s.peak for s in tool.samples]):.0f} |"
            f" {med([s.maxrss for s in tool.samples]):.0f} | {count} | {ratio_txt} |"
        )
    lines += ["", "Targets (issue 7):", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in targets(by_key, expected)]
    lines += floor_lines(by_key)
    lines += [
        "",
        "Memory: *peak* is the larger of (a) the highest sum of the proportional set sizes (PSS)"
        " of the whole process tree, sampled every 20 ms from /proc, and (b) `ru_maxrss` from"
        " `wait4`, the largest single process of the tree (children and pool workers included)."
        " *largest process* is (b) alone. Runs that hit the time limit"
        f" ({args_timeout:.0f} s) were killed: their times and ratios are lower bounds.",
        "",
        "Tools: " + "; ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "",
    ]
    lines += [f"- {note}" for note in notes]
    for tool in tools:
        for error in sorted(set(tool.errors)):
            lines.append(f"- {tool.key}: {error}")
    lines.append("")
    commands = [f"    {t.key}: (cwd bench/corpus) {t.command()}" for t in tools]
    lines += ["Exact tool invocations:", "", *commands, ""]
    return "\n".join(lines)


def write_section(text: str, path: Path) -> None:
    """Replace (or append) the Check performance section, keeping other sections intact."""
    old = path.read_text() if path.exists() else "# Benchmarks\n\n"
    start = old.find(SECTION + "\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        nxt = re.search(r"^## ", old[start + len(SECTION) :], flags=re.M)
        end = start + len(SECTION) + nxt.start() if nxt else len(old)
        new = old[:start] + text + ("\n" + old[end:] if nxt else "")
    path.write_text(new.rstrip("\n") + "\n")


# ----------------------------------------------------------------------------- main


def byte_compile_dockfix() -> str:
    """Byte-compile the dockfix package this Python imports, as ``pip install`` does for an
    installed package: an editable checkout (and ``PYTHONDONTWRITEBYTECODE=1``, set on some
    machines) would otherwise compile every module from source on every run (~0.1 s)."""
    import compileall

    import dockfix

    package = Path(dockfix.__file__).resolve().parent
    done = compileall.compile_dir(str(package), quiet=1)
    state = "byte-compiled" if done else "byte-compiling failed for"
    return f"{state} {package} before the runs (as pip does on install; --no-compile skips it)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument(
        "--corpus", nargs="+", choices=("clean", "dense"), default=["clean", "dense"]
    )
    parser.add_argument("--dockfix", help="dockfix executable (default: next to this Python)")
    parser.add_argument("--corpus-dir", type=Path, default=corpus_mod.DEFAULT_OUT)
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        metavar="KEY",
        help="skip tools by key or prefix (dense/semgrep, dense/libcst, clean/dockfix-json, ...)",
    )
    parser.add_argument("--no-warmup", dest="warmup", action="store_false")
    parser.add_argument(
        "--no-compile",
        dest="compile",
        action="store_false",
        help="do not byte-compile the dockfix package first",
    )
    parser.add_argument("--interval", type=float, default=0.02, help="memory sampling (s)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="kill a run after this many seconds; its time becomes a lower bound (default 300)",
    )
    parser.add_argument("--note", action="append", default=[], help="a line for the notes")
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args(argv)

    print("corpora: building or reusing", args.corpus_dir, flush=True)
    manifest = corpus_mod.build(args.corpus_dir)
    notes: list[str] = []
    tools = [t for t in build_tools(args, notes) if not t.key.startswith(tuple(args.skip))]
    for note in notes:
        print("note:", note)
    versions = {
        name: _version([exe, "--version"]).removeprefix(f"{name} ")
        for name in ("ruff", "ast-grep", "semgrep")
        if (exe := _which(name))
    }
    versions["libcst"] = importlib.metadata.version("libcst")
    run_rounds(tools, args.corpus_dir, args)

    shown = ["python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])]
    notes += args.note
    text = render(
        tools, manifest, notes, versions, shlex.join(shown), args.rounds, args.timeout or 0
    )
    print()
    print(text)
    OUT.mkdir(exist_ok=True)
    raw = {
        t.key: {
            "argv": t.argv,
            "samples": [s.__dict__ for s in t.samples],
            "counts": t.counts,
            "errors": t.errors,
        }
        for t in tools
    }
    (OUT / "results.json").write_text(json.dumps(raw, indent=2) + "\n")
    if not args.no_write:
        write_section(text, args.output)
        print(f"wrote {args.output}")
    return 1 if any(t.errors for t in tools) else 0


if __name__ == "__main__":
    sys.exit(main())
