"""The QR code printed on a brochure: it opens the topic's page on the hosted site.

Drawn by segno as vector SVG, inlined in the print HTML, so it stays sharp at any
print size and needs no image file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import segno


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
    # Level M survives a crease or a smudge; the 4-module quiet zone is part of the code.
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, dark=color, light="#ffffff", omitsize=True,
                          title=f"QR code that opens {url}", svgclass="qr-code", lineclass=None)
    return QRCode(url=url, short=short_address(url), svg=svg)
