"""What a build produces, kept as reviewable files: the print HTML of every format and the
check report of the basic test root (conftest.basic_build, which other tests read too).
A change to what is printed shows up as a diff of tests/test_snapshots/; accept it with
`pytest tests/test_snapshots.py --force-regen`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import FORMATS


def normalized(text: str, project: Path) -> str:
    """Without the folders a build ran in: the project, the package, site-packages."""
    import carepress
    text = text.replace(project.resolve().as_uri(), "file://<project>")
    text = text.replace(Path(carepress.__file__).parent.resolve().as_uri(), "file://<carepress>")
    return re.sub(r"file://\S*?/site-packages/", "file://<site-packages>/", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_print_html(basic_build, file_regression, fmt):
    html = basic_build.path / f"_build/pdf/.print/testclinic/basic-{fmt}.html"
    file_regression.check(normalized(html.read_text(encoding="utf-8"), basic_build.path),
                          basename=f"basic-{fmt}", extension=".html")


def test_check_report(basic_build, file_regression):
    report = (basic_build.path / "_build/check/report.md").read_text(encoding="utf-8")
    file_regression.check(normalized(report, basic_build.path), basename="report",
                          extension=".md")
