"""The GitHub workflow a clinic copies: valid against GitHub's schema (the copy that
check-jsonschema ships, so offline), no zizmor finding above "low" (zizmor's settings,
with the reason for each, are in .github/zizmor.yml), and the hygiene the README promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import REPO

BIN = Path(sys.executable).parent
FLOW = REPO / ".github/workflows/carepress.yml"
DEPENDABOT = REPO / ".github/dependabot.yml"


def run(tool: str, *args: str) -> subprocess.CompletedProcess:
    exe = BIN / tool
    assert exe.is_file(), f"{tool} is missing: `make setup` installs it (the dev extras)"
    return subprocess.run([str(exe), *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)


def test_workflow_and_dependabot_match_githubs_schemas():
    for schema, path in (("vendor.github-workflows", FLOW), ("vendor.dependabot", DEPENDABOT)):
        proc = run("check-jsonschema", "--builtin-schema", schema, str(path))
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_above_low():
    proc = run("zizmor", "--offline", "--no-progress", "--config", ".github/zizmor.yml",
               "--format", "json", "--min-severity", "medium", ".github")
    findings = json.loads(proc.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=1)[:3000]
    assert proc.returncode == 0, proc.stderr


def test_workflow_hygiene():
    flow = yaml.safe_load(FLOW.read_text())
    jobs = flow["jobs"]
    assert flow["permissions"] == {}, "each job asks for its own permissions"
    for name, job in jobs.items():
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout"):
                assert step.get("with", {}).get("persist-credentials") is False, name
    assert jobs["pages"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    majors = {"actions/checkout": 6, "actions/setup-python": 7, "actions/cache": 6,
              "actions/upload-artifact": 7, "actions/upload-pages-artifact": 5,
              "actions/deploy-pages": 5}
    used = {s["uses"] for job in jobs.values() for s in job.get("steps", []) if "uses" in s}
    assert used == {f"{a}@v{v}" for a, v in majors.items()}, used
    # The scheduled job keeps one issue from carepress's own listing (tested in
    # test_annotations.py), and the pull request's comment links the page diff.
    reviews = "\n".join(s.get("run", "") for s in jobs["reviews"]["steps"])
    assert "--due-report _build/check/due.md" in reviews and "gh issue edit" in reviews
    comment = next(s for s in jobs["check"]["steps"] if s.get("name") == "Report on the pull request")
    assert "_build/diff/report.md" in comment["run"] and "DIFF_URL" in comment["env"]
    ecosystems = {u["package-ecosystem"] for u in yaml.safe_load(DEPENDABOT.read_text())["updates"]}
    assert ecosystems == {"github-actions", "pip", "npm"}
