"""The objects every check shares: one document to check, the run's context, a finding."""

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
    cache: dict = field(default_factory=dict)

    @property
    def config(self):
        return self.app.config

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

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
