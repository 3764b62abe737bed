"""`make check` on a pull request, as GitHub shows it: findings as workflow commands on
the changed lines, SARIF beside the report, an overdue review failing only the topics the
pull request touches, and the list the scheduled job puts in the "Topics due for review"
issue. One real `carepress check` in a real git repository."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import warm
from carepress.checks.annotations import escape_property, workflow_command
from carepress.checks.model import Finding

LASER = """\
---
title: Laser hair removal
summary: What to expect from laser hair removal.
reviewed: 2025-01-10
next_review: 2026-01-10
reviewer: Clinical lead, dermatology
version: "1.0"
sources:
  - title: Lasers
    publisher: Test publisher
    url: https://example.org/lasers
---

This sheet is for adults who want fewer unwanted hairs.
"""


def git(project, *args):
    subprocess.run(["git", *args], cwd=project.path, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def test_pull_request_check_on_github(project):
    project.write("laser.md", LASER)
    project.edit("index.md", "basic\n", "basic\nlaser\n")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    # The pull request: one misspelt word in basic.md; laser.md is not touched.
    project.edit("basic.md", "Wash your hands.", "Wash your hands, 100% clean, evry time.")

    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(project.path)}
    env.pop("CAREPRESS_CHANGED_SINCE", None)
    proc = warm.run(
        ["-m", "carepress.cli", "check", "--source", ".", "--today", "2027-10-02",
         "--only", "spelling,review", "--changed-since", "main", "--due-report", "due.md"],
        cwd=project.path, timeout=300, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    commands = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    # The spelling error on the changed line, as GitHub reads it.
    assert any(c.startswith("::error file=basic.md,line=23,title=spelling::spelling: 'evry'")
               for c in commands), commands
    assert "100%25 clean" not in "".join(commands)  # the message is the finding's, escaped
    # basic.md is touched: its overdue review fails; laser.md is not: a warning.
    assert any(c.startswith("::error file=basic.md,line=5,title=review::review: overdue since "
                            "2027-10-01") for c in commands), commands
    assert any(c.startswith("::warning file=laser.md,line=5,title=review::review: overdue since "
                            "2026-01-10") and "does not touch the topic" in c
               for c in commands), commands
    assert "laser.md:5: WARNING: review: overdue since 2026-01-10" in out
    assert "basic.md:5: ERROR: review: overdue since 2027-10-01" in out
    # The Markdown report is still written, and SARIF beside it.
    assert "evry" in (project.path / "_build/check/report.md").read_text()
    sarif = json.loads((project.path / "_build/check/report.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert {(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]
             ["uri"]) for r in results} >= {("spelling", "error", "basic.md"),
                                            ("review", "warning", "laser.md")}
    # The scheduled job's issue body: both topics, the older review first.
    due = (project.path / "due.md").read_text()
    assert due.startswith("# Topics due for review")
    assert "2 overdue, 0 due soon." in due
    laser, basic = due.index("| Laser hair removal | `laser.md` | 2026-01-10"), \
        due.index("| Caring for a small cut | `basic.md` | 2027-10-01 (1 day(s) ago) | **overdue**")
    assert laser < basic


def test_workflow_command_escaping():
    finding = Finding("spelling", "warning", Path("docs/source/a,b:c.md").resolve(), 3,
                      "50% sure\nsecond line\r")
    line = workflow_command(finding, root=Path.cwd())
    assert line == ("::warning file=docs/source/a%2Cb%3Ac.md,line=3,title=spelling::"
                    "50%25 sure%0Asecond line%0D")
    assert escape_property("x: y, z%") == "x%3A y%2C z%25"
