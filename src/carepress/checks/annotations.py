"""The check's findings where a reviewer reads them: on the lines of a pull request.

- On GitHub Actions (``GITHUB_ACTIONS`` set), each finding is also printed as a workflow
  command, ``::error file=docs/source/x.md,line=12,title=spelling::...`` (``::warning``
  for a warning), so GitHub shows it on that line of the pull request's diff.
- Always, ``_build/check/report.sarif`` (SARIF 2.1.0) holds the same findings, for code
  scanning or any other tool that reads SARIF.

Paths are relative to the repository's root (``GITHUB_WORKSPACE`` on GitHub, else the
folder the check runs in, which is where ``make check`` runs).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import __version__, atomic, outputs
from .model import Finding

LEVELS = {"error": "error", "warning": "warning"}  # SARIF level of each severity


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF are encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repo_path(path: Path | None, root: Path | None = None) -> str | None:
    """``path`` relative to the repository's root, with forward slashes."""
    if path is None:
        return None
    root = Path(root or os.environ.get("GITHUB_WORKSPACE") or Path.cwd()).resolve()
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(resolved, root)).as_posix()


def workflow_command(finding: Finding, root: Path | None = None) -> str:
    """One finding as GitHub's ``::error``/``::warning`` workflow command."""
    props = []
    path = repo_path(finding.path, root)
    if path:
        props.append(f"file={escape_property(path)}")
        if finding.line:
            props.append(f"line={finding.line}")
    props.append(f"title={escape_property(finding.check)}")
    kind = "error" if finding.severity == "error" else "warning"
    return f"::{kind} {','.join(props)}::{escape_data(finding.message)}"


def sarif(findings: list[Finding], root: Path | None = None) -> dict:
    """The findings as one SARIF 2.1.0 log: one rule per check."""
    rules = sorted({f.check for f in findings})
    results = []
    for f in findings:
        result = {"ruleId": f.check, "level": LEVELS.get(f.severity, "note"),
                  "message": {"text": f.message}}
        path = repo_path(f.path, root)
        if path:
            region = {"startLine": f.line} if f.line else {}
            result["locations"] = [{"physicalLocation": {
                "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                **({"region": region} if region else {})}}]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {
            "name": "carepress check", "version": __version__,
            "rules": [{"id": r, "shortDescription": {"text": f"carepress check: {r}"}}
                      for r in rules]}},
            "results": results}],
    }


def on_check_report(app, report) -> None:
    """After every other part added its findings: the workflow commands, the SARIF file."""
    findings = sorted(report.findings, key=lambda f: (str(f.path or ""), f.line or 0))
    if os.environ.get("GITHUB_ACTIONS"):
        for f in findings:
            print(workflow_command(f), flush=True)
    build = outputs.build_dir_of(Path(app.outdir))
    atomic.write_text(outputs.sarif_path(build), json.dumps(sarif(findings), indent=1) + "\n")
