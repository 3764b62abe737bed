"""Real builds only: `sphinx-build` and `carepress` in a subprocess, where a test checks
what a writer sees (the message and the exit code), and Sphinx in-process where a test
needs the application.

Builds many tests read are made once per test run (session scope) or once per module;
helpers.shared_build marks them, and under xdist the tests that read one build run in
one worker (see pytest_collection_modifyitems).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import FORMATS, REPO, SHARED_BUILDS, Project, basic_project, shared_build

@pytest.fixture
def project(tmp_path) -> Project:
    return basic_project(tmp_path / "proj")


CHECKS = ("spelling,internal-links,reading-level,review,accessibility,claims,placeholders,"
          "pdf-accessibility")


@shared_build("session")
def basic_build(tmp_path_factory) -> Project:
    """The basic root in every format, built by `carepress build` (brochures and site, as
    `make` does), then `carepress check` (every check but external links). Read, never
    written, by the tests that use it: copy it to change it."""
    project = basic_project(tmp_path_factory.mktemp("basic") / "proj")
    conf = project.path / "conf.py"
    conf.write_text(conf.read_text() + f"carepress_formats = {list(FORMATS)!r}\n")
    for args in (["build"], ["check", "--today", "2026-11-24", "--only", CHECKS]):
        proc = subprocess.run([sys.executable, "-m", "carepress.cli", *args, "--source", "."],
                              cwd=project.path, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


@shared_build("session")
def docs_build(tmp_path_factory):
    """The project's own topics (docs/source), brochures then site, with warnings as
    errors: the folder holding pdf/, html/ and doctrees/."""
    out = tmp_path_factory.mktemp("site")
    for builder, target in (("brochure", "pdf"), ("html", "html")):
        proc = subprocess.run(
            [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", builder,
             "-c", str(REPO), "-d", str(out / "doctrees"), str(REPO / "docs/source"),
             str(out / target)], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@shared_build("session")
def no_alt_build(tmp_path_factory) -> Project:
    """The basic root with an image that has no alt text and a pale link colour set past
    brand.toml (in conf.py), brochure and site built with warnings as errors: both
    still build, and the checks after them must find the problems."""
    project = basic_project(tmp_path_factory.mktemp("no-alt") / "proj")
    project.write("conf.py", (project.path / "conf.py").read_text() + (
        'html_theme_options = {"light_css_variables": {"color-brand-content": "#8fb8bf"},\n'
        '                      "dark_css_variables": {"color-brand-content": "#33494d"}}\n'))
    project.edit("basic.md", ":alt: A grey box with a red dot in the middle.\n", "")
    for builder in ("brochure", "html"):
        run = project.build(builder, "-W", "--keep-going")
        assert run.returncode == 0, run.output
    return project


def pytest_collection_modifyitems(config, items):
    """Tests that read one shared build go to one xdist worker (`--dist loadgroup`): a
    session build is grouped by its name, a module build by its module too."""
    for item in items:
        for name in item.fixturenames:
            scope = SHARED_BUILDS.get(name)
            if scope is not None:
                group = name if scope == "session" else f"{item.module.__name__}.{name}"
                item.add_marker(pytest.mark.xdist_group(group))
                break
