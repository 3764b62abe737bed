"""What the tests share: a test project built the way `make` builds it, a topic's front
matter, and the PDF's text as a reader's tool extracts it.

Fixtures live in conftest.py; this module holds the plain helpers test modules import.
"""

from __future__ import annotations

import io
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pypdf
from fontTools.ttLib import TTFont

import warm
from carepress.config import CHECK_NAMES

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).parent.parent
FORMATS = ("handout", "large-print", "trifold")
# Every check but external links, which asks the web: a test talks to 127.0.0.1 only.
OFFLINE_CHECKS = ",".join(c for c in CHECK_NAMES if c != "external-links")

# Front matter of a topic written by a test: {title} is filled in, the body follows.
FRONT = """---
title: {title}
summary: A topic written to test what carepress lets through.
reviewed: 2026-10-01
reviewer: Clinical lead, nursing
version: "1.0"
sources:
  - title: Cuts and grazes
    publisher: National Health Service
    url: https://www.nhs.uk/conditions/cuts-and-grazes/
---

"""


@dataclass
class Run:
    returncode: int
    output: str


class Project:
    """A copy of a test root in a temporary folder, built like `make` does."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def copy_of(cls, root: Path, path: Path, ignore=None) -> Project:
        shutil.copytree(root, path, ignore=ignore)
        return cls(path)

    def write(self, name: str, text: str) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def edit(self, name: str, old: str, new: str) -> None:
        text = (self.path / name).read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        (self.path / name).write_text(text.replace(old, new), encoding="utf-8")

    def add_topic(self, name: str, text: str) -> None:
        """Write ``name``.md and list it in the index after basic."""
        self.write(f"{name}.md", text)
        self.edit("index.md", "basic\n", f"basic\n{name}\n")

    def build(self, builder: str = "brochure", *args: str, env: dict | None = None) -> Run:
        out = "pdf" if builder == "brochure" else builder
        proc = warm.run(["-m", "sphinx", "-b", builder, "-c", str(self.path),
                         "-d", str(self.path / "_build/doctrees"), *args,
                         str(self.path), str(self.path / "_build" / out)], env=env)
        return Run(proc.returncode, proc.stdout + proc.stderr)

    def carepress(self, *args: str, env: dict | None = None) -> Run:
        """`carepress build --pdf-only` from the project folder, as `make` runs it
        (warnings are errors)."""
        return self._cli("build", "--pdf-only", *args, env=env)

    def carepress_site(self, *args: str, env: dict | None = None) -> Run:
        """`carepress build` with the site, as `make` runs it."""
        return self._cli("build", *args, env=env)

    def _cli(self, command: str, *args: str, env: dict | None = None) -> Run:
        proc = warm.run(["-m", "carepress.cli", command, "--source", ".", *args],
                        cwd=self.path, env=env)
        return Run(proc.returncode, proc.stdout + proc.stderr)

    def pdf(self, topic: str = "basic", brand: str = "testclinic", fmt: str = "handout") -> Path:
        return self.path / "_build/pdf" / brand / f"{topic}-{fmt}.pdf"


def basic_project(path: Path) -> Project:
    """A fresh copy of the basic test root at ``path``."""
    return Project.copy_of(ROOTS / "test-basic", path)


def ctrl_c_as_on_a_terminal() -> None:
    """For ``preexec_fn``: a shell that starts the tests in the background (`make test &`,
    a CI runner) has them ignore Ctrl-C, and a program started ignoring it keeps ignoring
    it; a build or preview a test sends Ctrl-C to starts as from a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def line_of(text: str, needle: str) -> int:
    """The first line of ``text`` (counted from 1) that holds ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)



def carepress_cli(path: Path, *args: str) -> subprocess.CompletedProcess:
    """`carepress <args> --source .` in ``path``."""
    return warm.run(["-m", "carepress.cli", *args, "--source", "."], cwd=path)


def decode_qr(pdf, page: int) -> list[str]:
    """The QR codes on one page of ``pdf``, read from a 150 dpi picture of it (drawn in a
    folder of its own: ``pdf`` may be in a build other tests read)."""
    import zxingcpp
    from PIL import Image
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"qr-{pdf.stem}-{page}"
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(out)], check=True)
        with Image.open(f"{out}.png") as picture:
            return [code.text for code in zxingcpp.read_barcodes(picture)]


# -- the glyphs a PDF draws (test_fonts, test_fuzz) --------------------------------------
def _to_unicode(cmap: bytes) -> dict[int, str]:
    """glyph id → text, from a PDF ToUnicode CMap (bfchar and bfrange entries). A glyph
    inside a cluster of several (a ligature, an Arabic letter and its dots) maps to ''."""
    text, out = cmap.decode("latin-1"), {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for gid, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(gid, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for a, b, uni in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = int(uni, 16)
            for i, gid in enumerate(range(int(a, 16), int(b, 16) + 1)):
                out[gid] = chr(start + i)
    return out


def glyphs_used(pdf_path) -> dict[str, tuple[set[str], list[str]]]:
    """For each embedded font: the characters it drew, and the glyphs it drew nothing
    with (.notdef, a glyph the font lacks, an empty outline for visible text).

    A colour bitmap font (Noto Color Emoji) is embedded with empty outlines, and WeasyPrint
    draws each of its glyphs as the PNG image the font holds, an image XObject named
    ``i<font tag><glyph id><0|1>``: such a glyph counts as drawn only when that image is
    painted (``Do``) and has visible pixels."""
    found = {}
    with pikepdf.open(pdf_path) as pdf:
        images = _images_painted(pdf)
        for obj in pdf.objects:
            if not (isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0"):
                continue
            descriptor = obj.DescendantFonts[0].FontDescriptor
            data = next(descriptor[k].read_bytes() for k in ("/FontFile2", "/FontFile3")
                        if k in descriptor)
            font = TTFont(io.BytesIO(data))
            order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
            tag = str(obj.BaseFont)[1:].split("+")[0]
            chars, empty = set(), []
            for gid, text in _to_unicode(obj.ToUnicode.read_bytes()).items():
                if text.isspace() or text in ("\u200d", "\ufe0f"):
                    continue
                pen = _Ink()
                if 0 < gid < len(order):
                    glyphs[order[gid]].draw(pen)
                bitmap = images.get(f"/i{tag}{gid}0") or images.get(f"/i{tag}{gid}1")
                if pen.ink or (gid > 0 and bitmap is not None and _has_ink(bitmap)):
                    chars |= set(text)
                else:
                    empty.append(f"{gid}:{text!r}")
            found[str(descriptor.FontName)] = (chars, empty)
    return found


def _images_painted(pdf) -> dict[str, pikepdf.Stream]:
    """Every image XObject that a page, or a form XObject it paints, paints with ``Do``,
    by its resource name."""
    painted, seen = {}, set()

    def visit(content, resources):
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        for operands, operator in pikepdf.parse_content_stream(content, "Do"):
            name = str(operands[0])
            xobject = xobjects.get(name)
            if xobject is None or xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            if xobject.get("/Subtype") == "/Image":
                painted[name] = xobject
            elif xobject.get("/Subtype") == "/Form":
                visit(xobject, xobject.get("/Resources", resources))

    for page in pdf.pages:
        visit(page, page.obj.get("/Resources"))
    return painted


def _has_ink(image: pikepdf.Stream) -> bool:
    """Whether an image shows anything: some pixel not fully transparent and not white."""
    from PIL import ImageChops
    picture = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
    visible = ImageChops.invert(picture).convert("L")  # 0 where white
    if "/SMask" in image:
        alpha = pikepdf.PdfImage(image.SMask).as_pil_image().convert("L")
        visible = ImageChops.multiply(visible, alpha)
    return visible.getbbox() is not None


class _Ink:
    """A pen that notes whether a glyph draws anything."""
    ink = False

    def moveTo(self, p): pass  # noqa: E704
    def lineTo(self, p): self.ink = True  # noqa: E704
    def curveTo(self, *p): self.ink = True  # noqa: E704
    def qCurveTo(self, *p): self.ink = True  # noqa: E704
    def closePath(self): pass  # noqa: E704
    def endPath(self): pass  # noqa: E704
    def addComponent(self, name, transform): self.ink = True  # noqa: E704


# -- words off the page (test_fuzz, test_corpus) ------------------------------------------
PAGE_WIDTH, MARGIN = 612, 0.7 * 72  # letter, the handout's side margins (points)


class _Words(HTMLParser):
    """Word boxes from `pdftotext -bbox`: (page width, xMin, xMax, word)."""

    def __init__(self):
        super().__init__()
        self.words, self.width, self._box = [], 0.0, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.width = float(a["width"])
        elif tag == "word":
            self._box = (self.width, float(a["xmin"]), float(a["xmax"]))

    def handle_data(self, data):
        if self._box:
            self.words.append((*self._box, data))
            self._box = None


def overflowing_words(pdf) -> list:
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    parser = _Words()
    parser.feed(bbox)
    slack = MARGIN / 2  # a word may reach into the margin a little, never past half of it
    return [w for w in parser.words if w[2] > w[0] - slack or w[1] < slack]
