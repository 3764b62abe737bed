"""What a file holds, as a sha256 (or another hash: the FHIR Bundle's SHA-1 of each PDF,
site/fhir.py), remembered by path, size and modification time.

Decisions about what to build again are made from content (DESIGN.md: a key of a job's
inputs, not a file's clock). Hashing a font or every topic on every build would cost
what the library holds, so each digest is kept in a small JSON file under the build
folder (outputs.py) beside the size and ``st_mtime_ns`` it was taken at: a file whose
size or time differs is hashed again; one whose size and time match is not. A file
changed without its time or size changing is not seen, as with make; a file written in
the last two seconds is not remembered (it could change again within the same tick of
the clock, as git's "racy" files).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from . import atomic

FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
RACY_NS = 2_000_000_000  # a file younger than this is hashed again next time
_open: dict[Path, "Digests"] = {}  # one per file of digests in a process


def file_sha256(path: Path, algorithm: str = "sha256") -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def installed_fonts() -> str:
    """The system's font files by path, size and time (a font package installed, removed
    or upgraded changes it; hashing every font's content would cost seconds)."""
    h = hashlib.sha256()
    for folder in FONT_FOLDERS:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                try:
                    st = os.stat(os.path.join(root, name))
                except OSError:
                    continue
                h.update(f"{root}/{name} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class Digests:
    def __init__(self, path: Path, algorithm: str = "sha256"):
        self.path = Path(path)
        self.algorithm = algorithm
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.known = {str(k): tuple(v) for k, v in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.known = {}
        self.dirty = False

    @classmethod
    def at(cls, path: Path, algorithm: str = "sha256") -> "Digests":
        """The digests kept in ``path``, shared by every build of this process."""
        path = Path(path).resolve()
        if path not in _open:
            _open[path] = cls(path, algorithm)
        return _open[path]

    def of(self, path: Path | str, stat: os.stat_result | None = None,
           name: str = "") -> str | None:
        """The hex digest of ``path``, or None when it is not a readable file; ``name``
        remembers it under another name than its path (a file in a staged copy)."""
        try:
            st = stat or os.stat(path)
            name = name or str(path)
            known = self.known.get(name)
            if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
                return known[2]
            sha = file_sha256(path, self.algorithm)
        except OSError:
            return None
        if time.time_ns() - st.st_mtime_ns > RACY_NS:
            self.known[name] = (st.st_size, st.st_mtime_ns, sha)
            self.dirty = True
        return sha

    def save(self) -> None:
        if self.dirty:
            atomic.write_text(self.path, json.dumps({"version": 1, "files": self.known},
                                                    separators=(",", ":")))
            self.dirty = False
