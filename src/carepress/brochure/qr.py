"""The QR code printed on a brochure: it opens the topic's page on the hosted site.

Encoded by zxing-cpp (a C++ encoder, much faster than a mask search in Python in the
build's main process; figures in benchmarks/README.md) and drawn here as vector SVG,
inlined in the print HTML, so it stays sharp at any print size and needs no image file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape


QUIET_ZONE = 4  # modules of light margin all round, part of the code


@dataclass(frozen=True)
class QRCode:
    url: str    # what the code opens
    short: str  # the same address, short enough to type
    svg: str    # inline <svg>, scaled by the stylesheet


def page_url(baseurl: str, page: str) -> str:
    """The hosted page: ``html_baseurl`` plus the page's file name (``microneedling.html``)."""
    return baseurl.rstrip("/") + "/" + page.lstrip("/")


def short_address(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url)


def make(url: str, color: str = "#000000") -> QRCode:
    import zxingcpp  # here, not at the top: only a build that prints a brochure needs it

    # Level M survives a crease or a smudge.
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape
    modules = bytes(memoryview(image))  # one byte a module: 0 dark, 255 light
    runs = []  # each row's dark runs as rectangles
    for y in range(height):
        row = modules[y * width:(y + 1) * width]
        x = 0
        while x < width:
            if row[x]:
                x += 1
                continue
            start = x
            while x < width and not row[x]:
                x += 1
            runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
    size = width + 2 * QUIET_ZONE
    svg = (f'<svg viewBox="0 0 {size} {size}" class="qr-code">'
           f"<title>QR code that opens {escape(url)}</title>"
           f'<path fill="#fff" d="M0 0h{size}v{size}h-{size}z"/>'
           f'<path fill="{escape(color)}" d="{"".join(runs)}"/></svg>')
    return QRCode(url=url, short=short_address(url), svg=svg)
