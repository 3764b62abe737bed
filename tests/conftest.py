"""Real builds only: Sphinx test apps for in-process builds, and `sphinx-build` in a
subprocess where a test checks what a writer sees (the message and the exit code)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def rootdir():
    return ROOTS


@dataclass
class Run:
    returncode: int
    output: str


class Project:
    """A copy of a test root in a temporary folder, built like `make` does."""

    def __init__(self, path: Path):
        self.path = path

    def write(self, name: str, text: str) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def edit(self, name: str, old: str, new: str) -> None:
        text = (self.path / name).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        (self.path / name).write_text(text.replace(old, new), encoding="utf-8")

    def build(self, builder: str = "brochure", *args: str) -> Run:
        out = "pdf" if builder == "brochure" else builder
        cmd = [sys.executable, "-m", "sphinx", "-b", builder, "-c", str(self.path),
               "-d", str(self.path / "_build/doctrees"), *args,
               str(self.path), str(self.path / "_build" / out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        return Run(proc.returncode, proc.stdout + proc.stderr)

    def carepress(self, *args: str, env: dict | None = None) -> Run:
        """`carepress build --pdf-only` from the project folder, as `make` runs it
        (warnings are errors)."""
        cmd = [sys.executable, "-m", "carepress.cli", "build", "--pdf-only", "--source", ".",
               *args]
        proc = subprocess.run(cmd, cwd=self.path, capture_output=True, text=True, timeout=600,
                              env=env)
        return Run(proc.returncode, proc.stdout + proc.stderr)

    def carepress_site(self, *args: str) -> Run:
        """`carepress build` with the site, as `make` runs it."""
        cmd = [sys.executable, "-m", "carepress.cli", "build", "--source", ".", *args]
        proc = subprocess.run(cmd, cwd=self.path, capture_output=True, text=True, timeout=600)
        return Run(proc.returncode, proc.stdout + proc.stderr)

    def pdf(self, topic: str = "basic", brand: str = "testclinic", fmt: str = "handout") -> Path:
        return self.path / "_build/pdf" / brand / f"{topic}-{fmt}.pdf"


@pytest.fixture
def project(tmp_path) -> Project:
    shutil.copytree(ROOTS / "test-basic", tmp_path / "proj")
    return Project(tmp_path / "proj")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
