"""The print-shop edition checked before it is written, as a print shop's preflight
would (pikepdf): what fails stops that PDF (the previous one is kept), a low-resolution
image is a warning naming the image.

- PDF/X identification: the XMP metadata says PDF/X-4 (``pdfxid:GTS_PDFXVersion``);
- an output intent ``/GTS_PDFX`` with a CMYK destination profile;
- every page has a TrimBox and a BleedBox, the BleedBox the setting's bleed outside the
  trim on every side (``carepress_print_shop_bleed``);
- every font is embedded;
- every raster image has 300 dpi or more at the size it is printed.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pikepdf
from pikepdf import Dictionary, Name

MIN_DPI = 300
TOLERANCE = 0.6  # points: how far a box may be from the bleed asked for (rounding)
_SRC = re.compile(r'(?:src|data)="([^"]+)"')
_BASE = re.compile(r'<base href="([^"]+)"')


@dataclass
class Preflight:
    problems: list[str] = field(default_factory=list)  # the PDF is not written
    warnings: list[str] = field(default_factory=list)


def check(data: bytes, bleed: float, html: str = "") -> Preflight:
    """``data`` the PDF; ``bleed`` in points; ``html`` its print HTML (to name images)."""
    found = Preflight()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _identification(pdf, found)
        _output_intent(pdf, found)
        _boxes(pdf, bleed, found)
        fonts, images = _walk(pdf)
        found.problems += [f"the font {name} is not embedded" for name in sorted(fonts)]
        names = _image_files(html)
        for (width, height), dpi, inches in sorted(images, key=lambda i: i[1]):
            if dpi < MIN_DPI:
                what = names.get((width, height)) or f"an image of {width}×{height} pixels"
                found.warnings.append(
                    f"print-shop edition: {what} prints at {dpi:.0f} dpi ({inches[0]:.2f} × "
                    f"{inches[1]:.2f} in); print shops ask for {MIN_DPI} dpi or more: use an "
                    f"image of at least {math.ceil(inches[0] * MIN_DPI)} pixels across, or "
                    "print it smaller")
    found.warnings = list(dict.fromkeys(found.warnings))
    return found


def _identification(pdf, found: Preflight) -> None:
    xmp = pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b""
    version = re.search(rb"GTS_PDFXVersion>([^<]+)<", xmp)
    if not version or not version[1].startswith(b"PDF/X-4"):
        found.problems.append("no PDF/X-4 identification in its XMP metadata")


def _output_intent(pdf, found: Preflight) -> None:
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == Name.GTS_PDFX]
    profile = intents[0].get("/DestOutputProfile") if intents else None
    if profile is None:
        found.problems.append("no PDF/X output intent with a destination profile")
    elif int(profile.get("/N", 0)) != 4:
        found.problems.append(f"its output intent's profile has {profile.get('/N')} colour "
                              "components, not the 4 of CMYK")


def _boxes(pdf, bleed: float, found: Preflight) -> None:
    for n, page in enumerate(pdf.pages, start=1):
        if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj:
            found.problems.append(f"page {n} has no TrimBox or BleedBox")
            continue
        if "/ArtBox" in page.obj:
            found.problems.append(f"page {n} has an ArtBox beside its TrimBox")
        trim = [float(v) for v in page.obj.TrimBox]
        box = [float(v) for v in page.obj.BleedBox]
        sides = (trim[0] - box[0], trim[1] - box[1], box[2] - trim[2], box[3] - trim[3])
        if any(abs(side - bleed) > TOLERANCE for side in sides):
            found.problems.append(
                f"page {n}'s BleedBox is {', '.join(f'{s:.1f}' for s in sides)} pt outside "
                f"its TrimBox, not the bleed of {bleed:.1f} pt")


def _walk(pdf):
    """Fonts not embedded (by name), and every raster image drawn: ((width, height) in
    pixels, its lower dpi, (width, height) in inches as printed)."""
    fonts: set[str] = set()
    images: list = []
    seen_fonts: set = set()
    for page in pdf.pages:
        _draw(page.obj, page.obj.get("/Resources", Dictionary()), (1, 0, 0, 1, 0, 0),
              fonts, images, seen_fonts, 0)
    return fonts, images


def _multiply(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _draw(stream, resources, ctm, fonts, images, seen_fonts, depth) -> None:
    if depth > 8:
        return
    for font in resources.get("/Font", Dictionary()).values():
        if font.objgen not in seen_fonts:
            seen_fonts.add(font.objgen)
            if not _embedded(font):
                fonts.add(str(font.get("/BaseFont", "?")).lstrip("/"))
    xobjects = resources.get("/XObject", Dictionary())
    stack = []
    for operands, op in pikepdf.parse_content_stream(stream):
        op = str(op)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "Do":
            xobject = xobjects.get(str(operands[0]))
            if xobject is None:
                continue
            if xobject.get("/Subtype") == Name.Image:
                width_in = math.hypot(ctm[0], ctm[1]) / 72  # the unit square, as drawn
                height_in = math.hypot(ctm[2], ctm[3]) / 72
                if width_in and height_in:
                    w, h = int(xobject.Width), int(xobject.Height)
                    images.append(((w, h), min(w / width_in, h / height_in),
                                   (width_in, height_in)))
            elif xobject.get("/Subtype") == Name.Form:
                matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                _draw(xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm),
                      fonts, images, seen_fonts, depth + 1)


def _embedded(font) -> bool:
    if font.get("/Subtype") == Name.Type3:
        return True  # drawn by its own glyph procedures
    if font.get("/Subtype") == Name.Type0:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _image_files(html: str) -> dict[tuple[int, int], str]:
    """Each raster image of the print HTML by its size in pixels: its name for a warning."""
    from PIL import Image
    out: dict[tuple[int, int], str] = {}
    base = _BASE.search(html)
    for src in dict.fromkeys(_SRC.findall(html)):
        url = urljoin(base[1] if base else "", src)
        if not url.startswith("file:"):
            continue
        path = Path(unquote(urlparse(url).path))
        if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".webp"):
            continue
        try:
            with Image.open(path) as image:
                out.setdefault(image.size, f"the image '{path.name}'")
        except OSError:
            continue
    return out
