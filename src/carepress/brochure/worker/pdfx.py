"""What WeasyPrint's ``pdf/x-4`` output needs after it is written, for the print-shop
edition (brochure/print_shop.py), with pikepdf:

- the same sources give the same bytes: WeasyPrint writes a random XMP DocumentID;
  it becomes one made from the job's identifier;
- colours are device-independent: WeasyPrint writes sRGB colours (text, drawings, raster
  images) as DeviceRGB, which PDF/X-4 allows only with a Default colour space: every
  resource dictionary gets ``DefaultRGB`` = ICC-based sRGB (srgb.icc);
- the BleedBox is the bleed asked for (WeasyPrint keeps it within 10 pt of the trim), and
  a page has a TrimBox and no ArtBox besides (impose.py sets both for office printers);
- an imposed sheet (impose.py) keeps the panels' output intent and PDF/X metadata.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid

import pikepdf
from pikepdf import Array, Dictionary, Name

_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def carry_over(source: bytes, imposed: bytes) -> bytes:
    """The output intent, XMP metadata and PDF/X keys of ``source`` in ``imposed``."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(source)) as src, pikepdf.open(io.BytesIO(imposed)) as pdf:
        for key in ("/OutputIntents", "/Metadata"):
            if key in src.Root:
                pdf.Root[key] = pdf.copy_foreign(src.make_indirect(src.Root[key]))
        for key in ("/Trapped", "/GTS_PDFXVersion", "/GTS_PDFXConformance"):
            if key in src.docinfo:
                pdf.docinfo[key] = src.docinfo[key]
        pdf.save(out, deterministic_id=True, min_version=src.pdf_version)
    return out.getvalue()


def finish(data: bytes, identifier: bytes, bleed: float, srgb: bytes) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _document_id(pdf, identifier)
        profile = pdf.make_stream(srgb, N=3)
        default_rgb = pdf.make_indirect(Array([Name.ICCBased, profile]))
        seen: set = set()
        for page in pdf.pages:
            _default_rgb(page.obj, default_rgb, seen)
            trim = [float(v) for v in page.trimbox]
            media = [float(v) for v in page.mediabox]
            page.bleedbox = Array([max(media[0], trim[0] - bleed), max(media[1], trim[1] - bleed),
                                   min(media[2], trim[2] + bleed), min(media[3], trim[3] + bleed)])
            if "/ArtBox" in page.obj:  # PDF/X: the TrimBox says where the sheet is cut
                del page.obj["/ArtBox"]
        pdf.save(out, deterministic_id=True, min_version=pdf.pdf_version)
    return out.getvalue()


def _document_id(pdf, identifier: bytes) -> None:
    if "/Metadata" not in pdf.Root:
        return
    stream = pdf.Root.Metadata
    data = stream.read_bytes()
    did = b"xmp.did:" + str(uuid.UUID(hashlib.md5(identifier).hexdigest())).encode()
    stream.write(_DOCUMENT_ID.sub(did, data))


def _default_rgb(holder, default_rgb, seen: set) -> None:
    """``DefaultRGB`` in ``holder``'s resources and in those of every form it draws."""
    resources = holder.get("/Resources")
    if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
        return
    seen.add(resources.objgen)
    spaces = resources.get("/ColorSpace")
    if spaces is None:
        resources.ColorSpace = spaces = Dictionary()
    spaces.DefaultRGB = default_rgb
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.get("/Subtype") == Name.Form:
            _default_rgb(xobject, default_rgb, seen)
    for pattern in resources.get("/Pattern", Dictionary()).values():
        if isinstance(pattern, pikepdf.Stream):
            _default_rgb(pattern, default_rgb, seen)
