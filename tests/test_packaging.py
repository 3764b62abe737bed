"""What pyproject.toml promises: every package src/ imports is declared, the version is
written once, furo is capped where compat.py stops trusting it, one PDF writer."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from packaging.requirements import Requirement

import carepress
from carepress import compat
from helpers import REPO

SRC = REPO / "src/carepress"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _name(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _imports() -> dict[str, set[str]]:
    """Top-level module -> the src files importing it (relative imports left out)."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(SRC)))
    return found


def _declared() -> dict[str, Requirement]:
    return {_name(r.name): r for r in map(Requirement, PYPROJECT["project"]["dependencies"])}


def test_every_package_src_imports_is_declared():
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    missing = {}
    for module, files in _imports().items():
        if module in sys.stdlib_module_names or module == "carepress":
            continue
        names = {_name(d) for d in distributions.get(module, [module])}
        if not names & declared.keys():
            missing[module] = sorted(files)
    assert not missing, f"imported by src/ but not in pyproject's dependencies: {missing}"


def test_installed_versions_are_in_the_declared_ranges():
    for name, requirement in _declared().items():
        version = importlib.metadata.version(requirement.name)
        assert requirement.specifier.contains(version, prereleases=True), (name, version)


def test_the_version_is_written_once():
    assert "version" not in PYPROJECT["project"]
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "carepress.__version__"}
    assert importlib.metadata.version("carepress") == carepress.__version__


def test_furo_is_capped_where_compat_stops_trusting_it():
    (low_year, low_month), (high_year, high_month) = compat.FURO_TESTED
    furo = _declared()["furo"].specifier
    high = f"{high_year}" if high_month == 0 else f"{high_year}.{high_month}"
    assert {str(s) for s in furo} == {f">={low_year}.{low_month}", f"<{high}"}


def test_only_the_accessibility_check_reads_with_pypdf():
    assert _imports().get("pypdf") == {"checks/a11y/pdf.py"}
    assert "manimgx_fonts" not in _imports()
