"""Real builds only: `sphinx-build` and `carepress` as programs of their own, where a test
checks what a writer sees (the message and the exit code), started warm (warm.py: forked
from a Python that has imported Sphinx and carepress once), and Sphinx in-process where
a test needs the application.

A build many test modules read is made once per test run (session scope, below); a
build the tests of one module read is a module fixture there. `make test` runs the
modules in xdist workers (`--dist loadscope`: a module's tests in one worker, the longest
first; see LONGEST_FIRST), and the session builds are shared by the workers
(once_per_run).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import Callable

import pytest

import warm
from helpers import FORMATS, OFFLINE_CHECKS, REPO, Project, basic_project

# Tests read what programs print as plain text; Sphinx colours it when CI is set (GitHub
# sets it, and so does .ci/run), so the builds the tests start are told not to.
os.environ.setdefault("NO_COLOR", "1")


@pytest.fixture
def project(tmp_path) -> Project:
    return basic_project(tmp_path / "proj")


# Under xdist (`make test`) a worker takes a whole module at a time, so that a module's
# own builds are made once: `--dist loadscope`. The modules below share no module-scoped
# build, so each of their tests is sent on its own, to whichever worker is free
# (pytest_xdist_make_scheduler). Work is sent in collection order (xdist's
# --no-loadscope-reorder), and the longest goes first, so that no worker is left running
# a long one at the end while the other is idle. Measured with --durations; what is not
# named here follows, in the order pytest collects it.
EACH_TEST_ALONE = ("test_site_accessibility.py", "test_checks.py", "test_outputs.py")
LONGEST_FIRST = (
    "test_site_accessibility.py::test_project_a11y_report", "test_errors.py",
    "test_parallel.py",
    "test_outputs.py::test_ctrl_c_stops_the_build_with_exit_2_and_keeps_the_last_good_pdfs",
    "test_site_accessibility.py::test_low_contrast_and_missing_alt_fail_on_the_site",
    "test_site_accessibility.py::test_basic_site_passes", "test_formats.py",
    "test_delivery.py", "test_incremental.py", "test_fuzz.py", "test_limits.py",
    "test_reprint.py", "test_languages.py",
    "test_outputs.py::test_killed_build_keeps_the_last_good_pdfs", "test_lockdown.py",
    "test_project.py", "test_corpus.py", "test_misprints.py", "test_fresh_checkout.py",
    "test_checks.py::test_each_problem_is_named_then_fixed_one_by_one", "test_diff.py",
    "test_outputs.py", "test_unchanged.py", "test_shards.py", "test_console.py",
    "test_preview.py", "test_checks.py", "test_fonts.py")


def _rank(nodeid: str, ranks: dict[str, int]) -> int:
    """The place of a test's own entry in LONGEST_FIRST, else of its module's."""
    path, _, name = nodeid.partition("::")
    module = path.rsplit("/", 1)[-1]
    return ranks.get(f"{module}::{name.split('[')[0]}", ranks.get(module, len(ranks)))


def pytest_collection_modifyitems(items):
    ranks = {entry: n for n, entry in enumerate(LONGEST_FIRST)}
    # a stable sort: the tests of a module keep their order
    items.sort(key=lambda item: _rank(item.nodeid, ranks))


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: absent with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadscope":
        return None  # xdist's own choice
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            if path.rsplit("/", 1)[-1] in EACH_TEST_ALONE:
                return nodeid.split("[", 1)[0]  # a test (its parameters together)
            return path
    return Scheduling(config, log)


def once_per_run(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``build(folder)`` filled, made once per test run. Under xdist the first
    worker to ask builds it while the others wait, and every worker reads it then (the
    way pytest-xdist's documentation shares a session fixture)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    root = tmp_path_factory.getbasetemp().parent  # this run's, above each worker's own
    folder, done, failed = root / name, root / f"{name}.done", root / f"{name}.failed"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released as the file closes
        if failed.exists():
            pytest.fail(f"the shared build {name} failed in another worker:\n"
                        f"{failed.read_text()}", pytrace=False)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                build(folder)
            except BaseException as error:
                failed.write_text(str(error))
                raise
            done.touch()
    return folder


@pytest.fixture(scope="session")
def basic_build(tmp_path_factory) -> Project:
    """The basic root in every format, built by `carepress build` (brochures and site, as
    `make` does), then `carepress check` (every check but external links). Read, never
    written, by the tests that use it: copy it to change it."""
    def build(folder):
        project = basic_project(folder / "proj")
        conf = project.path / "conf.py"
        conf.write_text(conf.read_text() + f"carepress_formats = {list(FORMATS)!r}\n")
        for args in (["build"], ["check", "--today", "2026-11-24", "--only", OFFLINE_CHECKS]):
            proc = warm.run(["-m", "carepress.cli", *args, "--source", "."],
                            cwd=project.path)
            assert proc.returncode == 0, proc.stdout + proc.stderr
    return Project(once_per_run(tmp_path_factory, "basic", build) / "proj")


@pytest.fixture(scope="session")
def docs_build(tmp_path_factory) -> Path:
    """The project's own topics (docs/source), brochures then site, with warnings as
    errors: the folder holding pdf/, html/ and doctrees/."""
    def build(out):
        for builder, target in (("brochure", "pdf"), ("html", "html")):
            proc = warm.run(
                ["-m", "sphinx", "-W", "--keep-going", "-b", builder,
                 "-c", str(REPO), "-d", str(out / "doctrees"), str(REPO / "docs/source"),
                 str(out / target)])
            assert proc.returncode == 0, proc.stdout + proc.stderr
    return once_per_run(tmp_path_factory, "docs", build)


@pytest.fixture(scope="session")
def no_alt_build(tmp_path_factory) -> Project:
    """The basic root with an image that has no alt text and a pale link colour set past
    brand.toml (in conf.py), brochure and site built with warnings as errors: both
    still build, and the checks after them must find the problems."""
    def build(folder):
        project = basic_project(folder / "proj")
        project.write("conf.py", (project.path / "conf.py").read_text() + (
            'html_theme_options = {"light_css_variables": {"color-brand-content": "#8fb8bf"},\n'
            '                      "dark_css_variables": {"color-brand-content": "#33494d"}}\n'))
        project.edit("basic.md", ":alt: A grey box with a red dot in the middle.\n", "")
        for builder in ("brochure", "html"):
            run = project.build(builder, "-W", "--keep-going")
            assert run.returncode == 0, run.output
    return Project(once_per_run(tmp_path_factory, "no-alt", build) / "proj")
