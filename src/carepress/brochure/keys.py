"""Whether a brochure must print again: a key of what it is made of, not a file's clock.

A job is pure (DESIGN.md): the same inputs give a byte-identical PDF. Its **key** is a
sha256 of those inputs:

- the print HTML, without the folders it was built in (they differ between checkouts);
- the bytes of every file it loads (its ``file:`` addresses: images, logo, fonts,
  fallback fonts, stylesheets they import, the print-shop edition's output intent), and
  of the print-shop edition's sRGB profile, by digest (digests.py);
- the job's render settings (page budget, sheet, column languages, what it may load;
  not the time and memory limits, which never change a PDF that is written);
- what prints it: the versions of carepress (and the source of its printing code),
  WeasyPrint and the libraries it writes PDFs with, Pango and HarfBuzz, and the system's
  fonts (Pango falls back to any installed font).

The key of a PDF is kept beside its print HTML (outputs.print_key_path) once the PDF
is in place, and removed before it is printed again, so a key on disk always names the
PDF that is there. A PDF whose key matches is reused; so is one from the cache folder
(``_build/cache/pdf/<key>.pdf``, or ``carepress_pdf_cache``), linked or copied into
place atomically. A PDF is never reused for inputs that differ.

Each key file also holds a **stamp**: what the topic's print HTML is written from besides
its doctree (the brand's files, the layout, the print code, settings) and when Sphinx
last read the topic. The builder writes print HTML only for topics whose stamps changed,
so a build where nothing changed never writes or hashes anything (builder.py).
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import json
import os
import re
import shutil
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from .. import __version__, atomic, outputs
from ..digests import Digests, installed_fonts

KEY_FORMAT = "carepress-job-key 1"
# What writes the PDF besides carepress: each one's version is part of every key.
PRINTING_PACKAGES = ("weasyprint", "pydyf", "fonttools", "pikepdf", "pillow", "pyphen",
                     "tinycss2", "cssselect2", "tinyhtml5")
NATIVE = (("libpango-1.0.so.0", "pango_version_string"),
          ("libharfbuzz.so.0", "hb_version_string"))
PACKAGE = Path(__file__).resolve().parent.parent
PRINTING_CODE = "brochure/worker"  # carepress's code that turns print HTML into a PDF
WRITING_CODE = "brochure"  # and the code (and layouts) that writes the print HTML

_REFERENCE = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']([^"']+)["'])"""
                        r"""|(?:url\(\s*["']?([^"')]+?)["']?\s*\))""", re.I)
_BASE = re.compile(r"""<base\s+href\s*=\s*["']([^"']+)["']""", re.I)


def portable(text: str, roots) -> str:
    """``text`` without the folders (``roots``) it was built in: the same in any checkout."""
    for root in sorted(roots, key=lambda r: len(str(r)), reverse=True):
        text = text.replace(Path(root).as_uri(), "")
    return text


def loaded_files(html: str, base: str = "") -> list[Path]:
    """Every local file the print HTML (and a stylesheet it loads) refers to, in order."""
    found: dict[Path, None] = {}

    def scan(text: str, base: str) -> None:
        for m in _REFERENCE.finditer(text):
            url = urljoin(base, (m[1] or m[2]).strip())
            parsed = urlparse(url)
            if parsed.scheme != "file":
                continue
            path = Path(unquote(parsed.path))
            if path in found or not path.is_file():
                continue
            found[path] = None
            if path.suffix.lower() == ".css":
                scan(path.read_text(encoding="utf-8", errors="replace"), url)

    declared = _BASE.search(html)
    scan(html, declared[1] if declared else base)
    return list(found)


@functools.cache
def code_digest(folder: str) -> str:
    """The sha256 of carepress's files in ``folder`` (a change of the code during
    development counts, not only a new version)."""
    code = hashlib.sha256()
    for path in sorted(Path(PACKAGE, folder).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            code.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            code.update(path.read_bytes())
    return code.hexdigest()


@functools.cache
def printing_versions() -> str:
    """carepress (version and printing code), the printing libraries, Pango, HarfBuzz and
    the installed fonts; computed once per process."""
    parts = [f"carepress {__version__}", f"printing code {code_digest(PRINTING_CODE)}"]
    for name in PRINTING_PACKAGES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} -")
    for library, function in NATIVE:
        try:
            call = getattr(ctypes.CDLL(library), function)
            call.restype = ctypes.c_char_p
            parts.append(f"{library} {call().decode()}")
        except (OSError, AttributeError):
            parts.append(f"{library} -")
    parts.append(f"fonts {installed_fonts()}")
    return "\n".join(parts)


def key(job, html: str, digests: Digests) -> str:
    """The key of ``job`` printed from ``html`` (its print HTML's text)."""
    h = hashlib.sha256()
    h.update(f"{KEY_FORMAT}\n{printing_versions()}\n".encode())
    settings = (job.fmt, job.settings, job.column_langs, job.allowed_urls, job.data_max_kb)
    h.update(repr(settings).encode() + b"\n")
    h.update(portable(html, job.roots).encode())
    for path in loaded_files(html, Path(job.html).parent.as_uri() + "/") + job.worker_files():
        h.update(b"\n" + (digests.of(path) or "missing").encode())
    return h.hexdigest()



# -- the key beside a PDF ---------------------------------------------------------
def recorded(print_html: Path) -> dict:
    """What the key file beside a print HTML holds: {"key", "stamp"}, or {}."""
    return recorded_in(outputs.print_key_path(print_html))


def recorded_in(key_file: Path | str) -> dict:
    try:
        with open(key_file, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


class Stamps:
    """The stamps of one print folder's key files, as the builder asks for them on every
    build: kept beside them (``.stamps.json``) under each key file's size, time and inode,
    so a key file is read again only when it changed, and otherwise costs a stat (at 1,000
    brochures, 3 ms against 20 ms reading every one)."""

    NAME = ".stamps.json"

    def __init__(self, folder: str) -> None:
        self.path = f"{folder}/{self.NAME}"
        self.entries: dict[str, list] = recorded_in(self.path)
        self.changed = False

    def of(self, key_file: str) -> str | None:
        """The stamp in ``key_file`` (a path in this folder), None without one."""
        try:
            st = os.stat(key_file)
        except OSError:
            return None
        seen = [st.st_size, st.st_mtime_ns, st.st_ino]
        name = os.path.basename(key_file)
        was = self.entries.get(name)
        if isinstance(was, list) and len(was) == 2 and was[0] == seen:
            return was[1]
        stamp = recorded_in(key_file).get("stamp")
        self.entries[name] = [seen, stamp]
        self.changed = True
        return stamp

    def save(self) -> None:
        if self.changed and os.path.isdir(os.path.dirname(self.path)):
            atomic.write_text(Path(self.path), json.dumps(self.entries))
            self.changed = False


def forget(job) -> None:
    """Before ``job`` prints: no key claims the PDF that is about to be replaced."""
    outputs.print_key_path(job.html).unlink(missing_ok=True)


def remember(job) -> None:
    """``job``'s PDF is in place: its key beside it, and the PDF in the cache."""
    if not job.key:
        return
    atomic.write_text(outputs.print_key_path(job.html),
                      json.dumps({"key": job.key, "stamp": job.stamp}))
    if job.cache is not None:
        cached = Path(job.cache, f"{job.key}.pdf")
        if not cached.exists():
            _place(job.pdf, cached)


def reuse(job) -> bool:
    """True when ``job``'s PDF is already right, or was put in place from the cache."""
    if not job.key:
        return False
    was = recorded(job.html)
    if was.get("key") == job.key and job.pdf.is_file():
        if was.get("stamp") != job.stamp:
            remember(job)
        return True
    cached = Path(job.cache, f"{job.key}.pdf") if job.cache is not None else None
    if cached is None or not cached.is_file():
        return False
    forget(job)
    _place(cached, job.pdf)
    remember(job)
    return True


def _place(source: Path, target: Path) -> None:
    """``target`` becomes ``source``'s bytes in one step: a hard link, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def cache_folder(config, build: Path) -> Path:
    return Path(config.carepress_pdf_cache or os.environ.get("CAREPRESS_PDF_CACHE")
                or outputs.pdf_cache_dir(build))


# -- stamps: whether a topic's print HTML must be written again -----------------------
def stamp(shared: str, read_at) -> str:
    return hashlib.sha256(f"{shared}\n{read_at}".encode()).hexdigest()


def shared_stamp(files, settings, digests: Digests) -> str:
    """What every topic's print HTML of one brand and format is written from besides its
    doctree: ``files`` (brand, layout) by digest, ``settings``, and the print code."""
    h = hashlib.sha256(printing_versions().encode())
    h.update(f"\nwriting code {code_digest(WRITING_CODE)}\n{settings!r}".encode())
    for path in files:
        h.update(b"\n" + (digests.of(Path(path)) or "missing").encode())
    return h.hexdigest()
