"""Every text file carepress writes, and every PDF it copies into the site, goes through
here: a temporary name, then a rename, so a failed or killed build never leaves half a
file where a good one was, and never writes into a file another folder shares."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def _scratch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_text(path: Path, text: str) -> None:
    path = Path(path)
    tmp = _scratch(path)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    tmp = _scratch(path)
    tmp.write_bytes(data)
    os.replace(tmp, path)


def copy(source: Path, target: Path) -> None:
    """``shutil.copy2``, but the old target is replaced, never written into."""
    tmp = _scratch(Path(target))
    shutil.copy2(source, tmp)
    os.replace(tmp, target)
