"""Folding formats: WeasyPrint lays out panel-sized pages, this module places them on sheets.

Text flow stays WeasyPrint's job; where each panel lands when the sheet is folded is
ours. A trifold (letter fold) is one landscape sheet printed on both sides, turned
over like a book page (duplex "flip on short edge"), and folded in three::

    outside:  inside flap | back panel | front cover
    inside:   inside 1    | inside 2   | inside 3

The panel PDF holds, in reading order: cover, flap, inside 1-3 (the body, which may
use fewer panels), back. The sheets come out in that fold order as two pages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

# pikepdf is imported where it is used: the build process needs only Sheet.
if TYPE_CHECKING:
    from pikepdf import Pdf


POINTS_PER_INCH = 72.0
SHEETS = {"letter": (792.0, 612.0), "a4": (841.89, 595.28)}  # landscape, in points
BODY_PANELS = ("flap", "inside-1", "inside-2", "inside-3")
OUTSIDE = ("flap", "back", "cover")
INSIDE = ("inside-1", "inside-2", "inside-3")
MARK_SPACE = 0.375 * POINTS_PER_INCH  # room outside the bleed for crop marks
MARK_LENGTH = 0.25 * POINTS_PER_INCH
FOLD_MARK = 0.125 * POINTS_PER_INCH   # inside the page edge when there is no room outside


@dataclass(frozen=True)
class Sheet:
    paper: str               # letter or a4
    bleed: float = 0.0       # points of artwork past the trim on every outer edge
    crop_marks: bool = False

    @property
    def panel(self) -> tuple[float, float]:
        width, height = SHEETS[self.paper]
        return width / 3, height


def panel_names(page_count: int) -> list[str]:
    """What each page of the panel PDF is: the cover first, the back last, the body between."""
    return ["cover", *BODY_PANELS[:page_count - 2], "back"]


def impose(panel_pdf: bytes, sheet: Sheet, identifier: bytes = b"") -> bytes:
    """Place the panels of ``panel_pdf`` on the two sides of a sheet; return the new PDF.

    Each panel page becomes a form XObject drawn at its place on its side. The panels
    share one resource dictionary (fonts, colour spaces), copied into the sheet once.
    The same ``panel_pdf`` and ``identifier`` give the same bytes."""
    import pikepdf
    from pikepdf import Array, Dictionary, String

    width, height = SHEETS[sheet.paper]
    pw, b = width / 3, sheet.bleed
    o = b + (MARK_SPACE if sheet.crop_marks else 0)  # where the trimmed sheet starts
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(panel_pdf)) as source, pikepdf.Pdf.new() as pdf:
        panels = dict(zip(panel_names(len(source.pages)), source.pages))
        for side in (OUTSIDE, INSIDE):
            page = pdf.add_blank_page(page_size=(width + 2 * o, height + 2 * o))
            content, forms = [], Dictionary()
            for slot, name in enumerate(side):
                panel = panels.get(name)
                if panel is None:
                    continue  # a short body leaves the last inside panels blank
                # A panel page is its trim plus the bleed all round (WeasyPrint puts the
                # trim's corner at 0 0); keep the bleed only on the sheet's outer edges,
                # so panels meet exactly at the folds.
                x0, y0, x1, y1 = (float(v) for v in panel.trimbox)
                form = pdf.copy_foreign(panel.as_form_xobject())  # what panels share: once
                form.BBox = Array([x0 - (b if slot == 0 else 0), y0 - b,  # the form is
                                   x1 + (b if slot == 2 else 0), y1 + b])  # clipped to it
                forms[f"/P{slot}"] = form
                x, y = o + slot * pw - x0, o - y0  # the panel's trim on its third of the sheet
                content.append(f"q 1 0 0 1 {_num(x)} {_num(y)} cm /P{slot} Do Q")
            content.append(_marks(sheet, o, width, height, pw))
            page.obj.Resources = Dictionary(XObject=forms)
            page.obj.Contents = pdf.make_stream("\n".join(content).encode("ascii"))
            page.trimbox = Array([o, o, o + width, o + height])
            page.bleedbox = Array([o - b, o - b, o + width + b, o + height + b])
            page.artbox = page.trimbox
        _copy_metadata(source, pdf)
        if identifier:
            pdf.trailer.ID = Array([String(identifier), String(identifier)])
        # deterministic_id: qpdf makes the second half of /ID from the file's bytes, not
        # from the clock and the file name, so the same input gives the same bytes.
        pdf.save(out, deterministic_id=True, min_version=source.pdf_version,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _num(value: float) -> str:
    """A number as a content stream writes it: no exponent, no trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _marks(sheet: Sheet, o: float, width: float, height: float, pw: float) -> str:
    """PDF drawing operators: light dashed fold marks, and crop marks when asked for."""
    ops = ["q 0.6 G 0.5 w [3 2] 0 d"]  # light grey, dashed: a fold, not a cut
    top, bottom = o + height, o
    if sheet.crop_marks:  # in the margin outside the bleed
        spans = [(top + sheet.bleed + 2, top + sheet.bleed + 2 + MARK_LENGTH),
                 (bottom - sheet.bleed - 2 - MARK_LENGTH, bottom - sheet.bleed - 2)]
    else:  # just inside the edge, where the panels' margins are empty
        spans = [(top - FOLD_MARK, top), (bottom, bottom + FOLD_MARK)]
    for x in (o + pw, o + 2 * pw):
        for y0, y1 in spans:
            ops.append(f"{x:.2f} {y0:.2f} m {x:.2f} {y1:.2f} l S")
    ops.append("Q")
    if sheet.crop_marks:
        ops.append("q 0 G 0.25 w")
        gap = sheet.bleed + 2  # crop marks stop short of the bleed
        for x, dx in ((o, -1), (o + width, 1)):
            for y, dy in ((o, -1), (o + height, 1)):
                ops.append(f"{x + dx * gap:.2f} {y:.2f} m {x + dx * (gap + MARK_LENGTH):.2f} {y:.2f} l S")
                ops.append(f"{x:.2f} {y + dy * gap:.2f} m {x:.2f} {y + dy * (gap + MARK_LENGTH):.2f} l S")
        ops.append("Q")
    return "\n".join(ops)


def _copy_metadata(source: Pdf, pdf: Pdf) -> None:
    """Title, author, subject and language survive imposition; the tags do not (see README)."""
    from pikepdf import Dictionary, String
    info = source.docinfo
    for key in ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer",
                "/CreationDate", "/ModDate"):
        if key in info:
            pdf.docinfo[key] = String(bytes(info[key]))
    lang = source.Root.get("/Lang")
    if lang is not None:
        pdf.Root.Lang = String(bytes(lang))
    # show the title in the title bar, not the file name
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
