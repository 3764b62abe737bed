"""The writers' quality gate: small checks over each topic's doctree, reported together.

Each check is a module with ``check(ctx, doc) -> iterable of Finding`` (``doc`` is one
document: its doctree, its file and its Topic). The ``carepress-check`` builder
(builders/check.py) runs them over the doctrees every other build shares, adds the
whole-project checks (external links, Sphinx's own warnings) and writes one report.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class Finding:
    check: str           # the check's name, as in carepress_checks
    severity: str        # "error" fails `make check`; "warning" is shown and counted
    path: Path | None    # the writer's file
    line: int | None
    message: str
    docname: str | None = None

    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{relpath(self.path)}:{self.line}" if self.line else relpath(self.path)


@dataclass
class Doc:
    docname: str
    path: Path
    text: str
    doctree: Any               # the doctree as read (clinic details not filled in)
    topic: Any = None          # topic.Topic, or None for plain pages
    body_start: int = 0        # last line of the front matter
    stats: dict = field(default_factory=dict)  # figures a check measured, for the report

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass
class Context:
    app: Any
    today: dt.date
    _cache: dict = field(default_factory=dict)

    @property
    def config(self):
        return self.app.config

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @staticmethod
    def relpath(path) -> str:
        return relpath(path)


def relpath(path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def today(config) -> dt.date:
    return dt.date.fromisoformat(config.carepress_today) if config.carepress_today \
        else dt.date.today()


def per_document_checks() -> dict[str, Callable]:
    """Checks that look at one document at a time, by name (see carepress_checks)."""
    from . import accessibility, claims, internal, placeholders, readability, review, spelling
    return {"spelling": spelling.check, "internal-links": internal.check,
            "reading-level": readability.check, "review": review.check,
            "accessibility": accessibility.check, "claims": claims.check,
            "placeholders": placeholders.check}


def setup_checks(app) -> None:
    from ..builders.check import setup_check_builder
    from .accessibility import setup_accessibility
    from .spelling import code_filters_off
    app.setup_extension("sphinxcontrib.spelling")
    app.connect("config-inited", code_filters_off)
    setup_accessibility(app)
    setup_check_builder(app)
    app.connect("carepress-check-report", _pdf_report)


def _pdf_report(app, report) -> None:
    from .a11y_report import on_check_report  # pikepdf: loaded only when checking
    on_check_report(app, report)
