"""The files a previewed topic is made from, watched with watchfiles (the watcher
sphinx-autobuild uses): the topic, the other files of the source folder (its images),
the brand folders, the print layouts and conf.py. Other topics' files are left alone."""

from __future__ import annotations

import queue
import threading
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


class Watcher:
    """Watches in a thread from the start, so a save made while a rebuild runs, or just
    after it ends, is never missed: each batch of saves waits in a queue."""

    def __init__(self, topic_file: Path, source: Path, brands_dir: Path, conf: Path):
        self.paths = [p for p in (source, brands_dir, layouts.HERE, conf) if Path(p).exists()]
        self.keep = wanted(topic_file, source)
        self.batches: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        from watchfiles import watch
        for batch in watch(*self.paths, watch_filter=self.keep, debounce=1600, step=50,
                           stop_event=self.stop, raise_interrupt=False):
            self.batches.put(batch)

    def __iter__(self) -> Iterator[set]:
        """Each batch of saves; batches that queued up during a rebuild come as one."""
        while not self.stop.is_set():
            try:
                batch = self.batches.get(timeout=0.5)  # a Ctrl-C still gets through
            except queue.Empty:
                continue
            while not self.batches.empty():
                batch |= self.batches.get()
            yield batch

    def close(self) -> None:
        self.stop.set()
