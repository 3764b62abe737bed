"""The print-shop edition: the handout and the trifold as PDF/X-4 for a commercial
printer, with bleed and crop marks, written beside the accessible PDFs (never replacing
them) at ``_build/pdf/<brand>/print-shop/<topic>-<format>.pdf`` (outputs.py), in the
default language. Asked for with ``carepress_print_shop = True`` or
``carepress build --print-shop``.

It is the same print HTML with a few more rules: the page's bleed and crop marks (the
trifold's sheet gets both from impose.py), and ``@color-profile device-cmyk``, the output
intent. worker/render.py writes it as ``pdf/x-4``; worker/pdfx.py makes its RGB colours
device-independent and its identifiers reproducible; worker/preflight.py checks it.
"""

from __future__ import annotations

from pathlib import Path

from ..config import points
from . import layouts

FORMATS = ("handout", "trifold")
FOLDER = layouts.HERE / "print-shop"
CMYK_PROFILE = FOLDER / "cmyk-coated-fogra39l.icc"  # the output intent (README there)
SRGB_PROFILE = FOLDER / "srgb.icc"                  # each page's DefaultRGB


def wanted(builder) -> bool:
    return bool(builder.config.carepress_print_shop) and not builder.sub


def bleed(config) -> float:
    return points(config.carepress_print_shop_bleed)


def css(config, fmt: str) -> str:
    """The rules the edition adds to the format's: its bleed and marks (a folded sheet's
    come from impose.py), and the output intent."""
    rules = [f'@color-profile device-cmyk {{ src: url("{Path(CMYK_PROFILE).as_uri()}"); '
             "components: cyan, magenta, yellow, black; }"]
    if fmt not in layouts.FOLDED:
        rules.append(f"@page {{ bleed: {bleed(config):g}pt; marks: crop; }}")
    return "\n/* print-shop edition (print_shop.py) */\n" + "\n".join(rules) + "\n"
