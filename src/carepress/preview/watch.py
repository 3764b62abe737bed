"""The files a previewed topic is made from, watched with watchfiles (the watcher
sphinx-autobuild uses): the topic, the other files of the source folder (its images),
the brand folders, the print layouts and conf.py. Other topics' files are left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..brochure import layouts

TEXT = {".md", ".rst", ".txt"}  # documents: only the topic's own counts


def wanted(topic_file: Path, source: Path):
    topic_file, source = topic_file.resolve(), source.resolve()

    def keep(change, path: str) -> bool:
        p = Path(path).resolve()
        if any(part.startswith(".") or part in ("_build", "__pycache__") for part in p.parts):
            return False
        if p.is_relative_to(source) and p.suffix in TEXT:
            return p == topic_file
        return True
    return keep


def changes(topic_file: Path, source: Path, brands_dir: Path, conf: Path) -> Iterator[set]:
    """Each batch of saves (a save that writes several files is one batch)."""
    from watchfiles import watch

    paths = [p for p in (source, brands_dir, layouts.HERE, conf) if Path(p).exists()]
    yield from watch(*paths, watch_filter=wanted(topic_file, source), debounce=1600, step=50,
                     raise_interrupt=True)
