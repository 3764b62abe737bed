"""Real builds only: Sphinx test apps for in-process builds, and `sphinx-build` in a
subprocess where a test checks what a writer sees (the message and the exit code).
The helpers test modules import are in helpers.py."""

from __future__ import annotations

import pytest

from helpers import ROOTS, Project, basic_project

pytest_plugins = ["sphinx.testing.fixtures"]


@pytest.fixture(scope="session")
def rootdir():
    return ROOTS


@pytest.fixture
def project(tmp_path) -> Project:
    return basic_project(tmp_path / "proj")
