"""Findings as text lines, JSON, SARIF 2.1.0 and GitHub workflow annotations."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rich.text import Text

from dockfix import __version__
from dockfix.engine._types import Finding
from dockfix.report._report import FileOutcome, Report

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://example.invalid/dockfix"


def text_line(path: str, finding: Finding) -> Text:
    """``path:line:col: CODE message (fixable)``, styled, never parsed as markup."""
    line = Text()
    line.append(path, style="bold")
    line.append(f":{finding.line}:{finding.column}: ")
    line.append(finding.code, style="bold red")
    line.append(" ")
    line.append(finding.message)
    if finding.fixable:
        line.append(" (fixable)", style="green")
    else:
        reason = finding.fix_reason or "no safe fix"
        line.append(f" (not fixable: {reason})", style="yellow")
    return line


def finding_dict(path: str, finding: Finding) -> dict[str, Any]:
    return {
        "path": path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "fixable": finding.fixable,
        "fix_reason": finding.fix_reason,
        # the other lines involved: where the command was built and changed
        "related": [{"line": line, "column": column} for line, column in finding.related],
    }


def to_json(report: Report) -> str:
    findings = [finding_dict(path, finding) for path, finding in report.findings]
    return json.dumps(findings, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_line(path: str, finding: Finding) -> str:
    """A GitHub Actions ``::error`` workflow command for one finding."""
    props = ",".join(
        [
            f"file={_escape_property(path)}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"endLine={finding.end_line}",
            f"endColumn={finding.end_column}",
            f"title={_escape_property(finding.code)}",
        ]
    )
    suffix = "" if finding.fixable else f" (not fixable: {finding.fix_reason or 'no safe fix'})"
    return f"::error {props}::{_escape_data(finding.message + suffix)}\n"


def to_github(report: Report) -> str:
    lines = [github_line(path, finding) for path, finding in report.findings]
    lines += [
        f"::error file={_escape_property(path)},title=dockfix::{_escape_data(message)}\n"
        for path, message in report.problems
    ]
    return "".join(lines)


def _rule_descriptors(codes: Iterable[str], names: dict[str, str]) -> list[dict[str, Any]]:
    docs = _rule_docs()
    rules = []
    for code in sorted(set(codes)):
        summary, doc = docs.get(code, (names.get(code, code), ""))
        rule: dict[str, Any] = {
            "id": code,
            "name": names.get(code, code),
            "shortDescription": {"text": summary or code},
        }
        if doc:
            rule["fullDescription"] = {"text": doc}
            rule["help"] = {"text": doc, "markdown": doc}
        rules.append(rule)
    return rules


def _rule_docs() -> dict[str, tuple[str, str]]:
    """``code -> (first docstring line, whole docstring)`` from the rule registry, if present."""
    try:
        from dockfix.rules import ALL_RULES  # type: ignore[import-not-found,unused-ignore]
    except Exception:
        return {}
    docs = {}
    for rule in ALL_RULES:
        doc = (rule.__doc__ or "").strip()
        docs[str(rule.CODE)] = (doc.splitlines()[0] if doc else str(rule.NAME), doc)
    return docs


def _region(finding: Finding) -> dict[str, int]:
    return {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
    }


def _location(path: str) -> dict[str, Any]:
    """A relative path is relative to the checkout (``%SRCROOT%``); an absolute one a file URI."""
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.replace("\\", "/")), "uriBaseId": "%SRCROOT%"}


def _sarif_results(outcome: FileOutcome) -> list[dict[str, Any]]:
    fixes = dict(outcome.fixes)
    results = []
    for finding in outcome.findings:
        message = finding.message
        if not finding.fixable:
            message += f" (not fixable: {finding.fix_reason or 'no safe fix'})"
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": "error",
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _location(outcome.path),
                        "region": _region(finding),
                    }
                }
            ],
        }
        if finding.related:
            result["relatedLocations"] = [
                {
                    "id": index,
                    "physicalLocation": {
                        "artifactLocation": _location(outcome.path),
                        "region": {"startLine": line, "startColumn": column},
                    },
                    "message": {"text": "the command is built or changed here"},
                }
                for index, (line, column) in enumerate(finding.related)
            ]
        replacements = fixes.get(finding.key)
        if replacements:
            result["fixes"] = [
                {
                    "description": {"text": f"dockfix fix: {finding.name}"},
                    "artifactChanges": [
                        {
                            "artifactLocation": _location(outcome.path),
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": r.start_line,
                                        "startColumn": 1,
                                        "endLine": r.end_line,
                                        "endColumn": 1,
                                    },
                                    "insertedContent": {"text": r.inserted},
                                }
                                for r in replacements
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    return results


def to_sarif(report: Report) -> str:
    names = {f.code: f.name for _, f in report.findings}
    results = [r for outcome in report.outcomes for r in _sarif_results(outcome)]
    notifications = [
        {"level": "error", "message": {"text": f"{path}: {message}"}}
        for path, message in report.problems
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dockfix",
                        "version": __version__,
                        "informationUri": INFO_URI,
                        "rules": _rule_descriptors(names, names),
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not report.problems,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def render(report: Report, fmt: str) -> str:
    """The machine formats (``json``, ``sarif``, ``github``) as one string."""
    renderers = {"json": to_json, "sarif": to_sarif, "github": to_github}
    return renderers[fmt](report)
