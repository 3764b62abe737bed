"""What the tests share: a test project built the way `make` builds it, a topic's front
matter, and the PDF's text as a reader's tool extracts it.

Fixtures live in conftest.py; this module holds the plain helpers test modules import.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pypdf

from carepress.config import CHECK_NAMES

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).parent.parent
FORMATS = ("handout", "large-print", "trifold")
# Every check but external links, which asks the web: a test talks to 127.0.0.1 only.
OFFLINE_CHECKS = ",".join(c for c in CHECK_NAMES if c != "external-links")

# Front matter of a topic written by a test: {title} is filled in, the body follows.
FRONT = """---
title: {title}
summary: A topic written to test what carepress lets through.
reviewed: 2026-10-01
reviewer: Clinical lead, nursing
version: "1.0"
sources:
  - title: Cuts and grazes
    publisher: National Health Service
    url: https://www.nhs.uk/conditions/cuts-and-grazes/
---

"""


@dataclass
class Run:
    returncode: int
    output: str


class Project:
    """A copy of a test root in a temporary folder, built like `make` does."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def copy_of(cls, root: Path, path: Path, ignore=None) -> Project:
        shutil.copytree(root, path, ignore=ignore)
        return cls(path)

    def write(self, name: str, text: str) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def edit(self, name: str, old: str, new: str) -> None:
        text = (self.path / name).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        (self.path / name).write_text(text.replace(old, new), encoding="utf-8")

    def add_topic(self, name: str, text: str) -> None:
        """Write ``name``.md and list it in the index after basic."""
        self.write(f"{name}.md", text)
        self.edit("index.md", "basic\n", f"basic\n{name}\n")

    def build(self, builder: str = "brochure", *args: str, env: dict | None = None) -> Run:
        out = "pdf" if builder == "brochure" else builder
        cmd = [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(self.path),
               "-d", str(self.path / "_build/doctrees"), *args,
               str(self.path), str(self.path / "_build" / out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
        return Run(proc.returncode, proc.stdout + proc.stderr)

    def carepress(self, *args: str, env: dict | None = None) -> Run:
        """`carepress build --pdf-only` from the project folder, as `make` runs it
        (warnings are errors)."""
        return self._cli("build", "--pdf-only", *args, env=env)

    def carepress_site(self, *args: str) -> Run:
        """`carepress build` with the site, as `make` runs it."""
        return self._cli("build", *args)

    def _cli(self, command: str, *args: str, env: dict | None = None) -> Run:
        cmd = [sys.executable, "-m", "carepress.cli", command, "--source", ".", *args]
        proc = subprocess.run(cmd, cwd=self.path, capture_output=True, text=True, timeout=600,
                              env=env)
        return Run(proc.returncode, proc.stdout + proc.stderr)

    def pdf(self, topic: str = "basic", brand: str = "testclinic", fmt: str = "handout") -> Path:
        return self.path / "_build/pdf" / brand / f"{topic}-{fmt}.pdf"


def basic_project(path: Path) -> Project:
    """A fresh copy of the basic test root at ``path``."""
    return Project.copy_of(ROOTS / "test-basic", path)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def line_of(text: str, needle: str) -> int:
    """The first line of ``text`` (counted from 1) that holds ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)

