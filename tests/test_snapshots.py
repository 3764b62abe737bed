"""What a build produces, kept as reviewable files: the print HTML of every format and the
check report of the basic test root. A change to what is printed shows up as a diff of
tests/test_snapshots/; accept it with `pytest tests/test_snapshots.py --force-regen`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOTS

FORMATS = ("handout", "large-print", "trifold")


@pytest.fixture(scope="module")
def basic_build(tmp_path_factory):
    path = tmp_path_factory.mktemp("snap") / "proj"
    shutil.copytree(ROOTS / "test-basic", path)
    conf = path / "conf.py"
    conf.write_text(conf.read_text() + f"carepress_formats = {list(FORMATS)!r}\n")
    checks = "spelling,internal-links,reading-level,review,accessibility,claims,placeholders,pdf-accessibility"
    for args in (["build"], ["check", "--today", "2026-11-24", "--only", checks]):
        proc = subprocess.run([sys.executable, "-m", "carepress.cli", *args, "--source", "."],
                              cwd=path, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return path


def normalized(text: str, project: Path) -> str:
    """Without the folders a build ran in: the project, the package, site-packages."""
    import carepress
    text = text.replace(project.resolve().as_uri(), "file://<project>")
    text = text.replace(Path(carepress.__file__).parent.resolve().as_uri(), "file://<carepress>")
    return re.sub(r"file://\S*?/site-packages/", "file://<site-packages>/", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_print_html(basic_build, file_regression, fmt):
    html = basic_build / f"_build/pdf/.print/testclinic/basic-{fmt}.html"
    file_regression.check(normalized(html.read_text(encoding="utf-8"), basic_build),
                          basename=f"basic-{fmt}", extension=".html")


def test_check_report(basic_build, file_regression):
    report = (basic_build / "_build/check/report.md").read_text(encoding="utf-8")
    file_regression.check(normalized(report, basic_build), basename="report", extension=".md")
