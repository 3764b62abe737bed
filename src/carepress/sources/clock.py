"""A content clock: Sphinx's file times given back to files whose content did not change.

Sphinx decides by file times which topics to read again (a source or dependency newer
than when it was read) and which pages to write again (a source or theme template newer
than the page). A fresh checkout (git sets every file's time to the checkout's) or a
fresh virtual environment (pip does the same to the theme's templates) makes every file
look new, so a restored ``_build`` would still read and write everything.

So, as ``git restore-mtime`` does for CI, but from content: once Sphinx has read the
topics (``env-updated``, just before it saves its environment) every source and
dependency's sha256, size and time are recorded in the doctree folder
(outputs.clock_path); so are the theme's templates when a site build ends. When the next
build starts (``config-inited``, before Sphinx loads its environment), a file whose time
differs from the record but whose content is the recorded one gets the recorded time
back. A changed file keeps its new time. The rule is never wrong: a file only gets back
a time it had with exactly this content, which Sphinx has already seen; Sphinx's own
logic then decides as if the file had never been touched.

Alternatives, and why not: Sphinx's ``env-get-outdated`` event can only add documents,
never take away one Sphinx found newer; replacing ``get_outdated_files`` would copy
Sphinx's private logic; and the html builder compares page and source times itself.

Paths inside the project are kept relative to the folder of conf.py, so a clone in
another folder finds its files; the environment Sphinx saved there is moved to the new
folder as it is loaded (compat.relocated), else Sphinx would start afresh.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import atomic, outputs
from ..digests import file_sha256

FORMAT = 1


def _load(doctreedir) -> dict:
    try:
        data = json.loads(outputs.clock_path(Path(doctreedir)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


def _where(name: str, root: str) -> str:
    return name if name.startswith("/") else root + name


def _name(path: str, root: str) -> str:
    """``path`` relative to the project (``root``, ending in /) when it is inside it."""
    return path[len(root):] if path.startswith(root) else path


def turn_back(doctreedir, confdir) -> int:
    """Before Sphinx loads its environment: every recorded file whose content is the
    recorded one gets its recorded time back. Returns how many did."""
    data = _load(doctreedir)
    if not data:
        return 0
    prefix, given = f"{Path(confdir).resolve()}/", 0
    for section in ("files", "templates"):
        for name, (size, mtime_ns, sha) in data.get(section, {}).items():
            path = _where(name, prefix)
            try:
                st = os.stat(path)
                if st.st_mtime_ns == mtime_ns or st.st_size != size \
                        or file_sha256(path) != sha:
                    continue
                os.utime(path, ns=(st.st_atime_ns, mtime_ns))
            except OSError:
                continue
            given += 1
    return given


def record(doctreedir, confdir, files, section: str = "files", keep: bool = False) -> None:
    """Each of ``files`` with its content and time (those unchanged since the last record
    are not hashed again); ``section`` "templates" for the theme's. With ``keep``, the
    files recorded before and not in ``files`` stay recorded; without, they are dropped."""
    data = _load(doctreedir) or {"format": FORMAT}
    prefix = f"{Path(confdir).resolve()}/"
    old = data.get(section, {})
    new = dict(old) if keep else {}
    for path in map(str, files):
        name = _name(path, prefix)
        try:
            st = os.stat(path)
        except OSError:
            continue
        was = old.get(name)
        if was and was[0] == st.st_size and was[1] == st.st_mtime_ns:
            new[name] = was
            continue
        try:
            new[name] = [st.st_size, st.st_mtime_ns, file_sha256(path)]
        except OSError:
            continue
    if new == old:
        return  # nothing moved: nothing to write
    data[section] = new
    atomic.write_text(outputs.clock_path(Path(doctreedir)),
                      json.dumps(data, separators=(",", ":")))


# -- event handlers (the table in __init__.py) -------------------------------------
_turned: set[str] = set()  # doctree folders this process has turned back already


def on_config_inited(app, config) -> None:
    """Once per doctree folder and process: a run's site build follows its brochure
    build over the same files (a file saved between them keeps its new time: read again)."""
    app.carepress_read = set()  # the topics read or removed (on_read)
    if str(app.doctreedir) not in _turned:
        _turned.add(str(app.doctreedir))
        turn_back(app.doctreedir, app.confdir)


def on_read(app, env, docs) -> None:
    """env-purge-doc (a topic removed or about to be read again) and env-before-read-docs
    (the topics about to be read): the topics whose record this build changes."""
    app.carepress_read.update([docs] if isinstance(docs, str) else docs)


def on_env_updated(app, env):
    """Sphinx has read what it had to: record the sources it read and their dependencies.
    The others' records stand: a source not read again has the content and time it was
    recorded with (else Sphinx would have found it outdated), and so have its
    dependencies. Everything is recorded when there is no record yet; a removed topic's
    record stays (harmless: its file is not there, or comes back as a new topic)."""
    read = getattr(app, "carepress_read", None)
    keep = read is not None and outputs.clock_path(Path(app.doctreedir)).is_file()
    if keep and not read:
        return []  # read and removed nothing, as the site build after a brochure build
    docs = sorted(read & env.found_docs if keep else env.found_docs)
    files = [env.doc2path(d) for d in docs]
    files += sorted({p for d in docs for p in env.dependencies.get(d, ())})
    record(app.doctreedir, app.confdir, files, keep=keep)
    return []


def on_build_finished(app, exception) -> None:
    """A site build ended well: record the theme's templates (the html builder writes
    every page again when one is newer than its last build)."""
    templates = getattr(app.builder, "templates", None)
    chain = getattr(templates, "pathchain", None)
    if exception is None and chain:
        found = [Path(root, f) for folder in chain for root, _, names in os.walk(folder)
                 for f in names if f.endswith(".html")]
        record(app.doctreedir, app.confdir, found, "templates")
