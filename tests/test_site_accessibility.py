"""The site in a real browser: Debian's Chromium, axe-core, keyboard and print checks,
served from 127.0.0.1; and `carepress a11y` on the project's own build."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys

import pytest

from carepress.checks.a11y.browser import check_site
from helpers import REPO

# Each browser test reads a build other tests read too (conftest.py): the project's own
# docs, the basic root, and the basic root with a pale link colour and no alt text.


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_project_a11y_report(docs_build, tmp_path):
    """`carepress a11y` on the project's own topics: every PDF and page passes. It reads
    the shared build's PDFs and site from a copy, where it writes its report."""
    build = tmp_path / "build"
    for part in ("pdf", "html"):
        shutil.copytree(docs_build / part, build / part)
    proc = subprocess.run([sys.executable, "-m", "carepress.cli", "a11y", "--build-dir",
                           str(build)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✓ accessibility: 0 problem(s)" in proc.stdout
    report = (build / "check/accessibility.md").read_text(encoding="utf-8")
    assert "### lakeside/microneedling-handout.pdf: passes" in report
    assert "## The site: passes" in report
    assert "FAIL" not in report
    shots = build / "screenshots"
    assert png_size(shots / "microneedling-phone.png")[0] == 390
    assert png_size(shots / "microneedling-desktop.png")[0] == 1280
    for name, (width, height) in (("phone", (390, 844)), ("desktop", (1280, 800)),
                                  ("desktop-dark", (1280, 800))):
        w, h = png_size(shots / f"microneedling-{name}.png")
        assert w == width and h >= height, (name, w, h)  # full page: at least one screen
    assert (shots / "microneedling-printed.pdf").read_bytes()[:5] == b"%PDF-"
    assert not list((build / "check").glob(".*.tmp"))


def test_basic_site_passes(basic_build, tmp_path):
    result = check_site(basic_build.path / "_build/html", tmp_path / "shots", project=REPO)
    assert result.problems == []
    assert result.topics == ["basic.html"]
    assert "index.html" in result.pages


def test_low_contrast_and_missing_alt_fail_on_the_site(no_alt_build, tmp_path):
    """A pale link colour (set past brand.toml, in conf.py) and an image with no alt text:
    each is named with its page, the rule and the element."""
    html = no_alt_build.path / "_build/html"
    problems = check_site(html, tmp_path / "shots", project=REPO).problems
    text = "\n".join(problems)
    light = [p for p in problems if p.startswith("basic.html (light): color-contrast: "
                                                 "Elements must meet minimum color contrast")]
    dark = [p for p in problems if p.startswith("basic.html (dark): color-contrast:")]
    assert light and dark, text
    assert "insufficient color contrast of 2.14 (foreground color: #8fb8bf, background color: " \
        "#ffffff" in light[0]
    assert "insufficient color contrast of 1.93 (foreground color: #33494d" in dark[0]
    assert "basic.html: image-alt: _images/dot.svg has no alt text (its alt is the file name" \
        in text, text


def test_low_contrast_brand_colour_is_refused(project):
    project.edit("_brands/testclinic/brand.toml", 'primary = "#7a1f3d"', 'primary = "#9ccfd8"')
    run = project.carepress()
    assert run.returncode != 0
    assert ("brand.toml: colours 'colors.primary' #9ccfd8 on 'colors.background' #ffffff have "
            "a contrast of 1.70:1; WCAG AA needs at least 4.5:1. Use a darker 'primary'") in run.output, run.output
    assert "Traceback" not in run.output


def test_browser_check_without_setup_says_what_to_do(tmp_path):
    from carepress.errors import CarepressError
    (tmp_path / "html").mkdir()
    (tmp_path / "html/index.html").write_text("<!DOCTYPE html><title>x</title>")
    with pytest.raises(CarepressError, match=r"run `make setup` \(it runs npm ci\)"):
        check_site(tmp_path / "html", tmp_path / "shots", project=tmp_path)  # no node_modules
