"""Fallback fonts: real glyphs for the text a brand's font cannot show, never empty boxes.

Arabic, Hebrew, emoji and symbols come from Noto faces shipped by the ``manimgx-fonts``
package (a dependency), loaded by ``@font-face`` through the locked fetcher, and only into
brochures whose text needs them. Chinese, Japanese and Korean come from Noto Sans CJK,
installed by ``scripts/system-packages.sh`` (Debian's fonts-noto-cjk): the CJK face on
PyPI is a 33 MB variable CFF2 font that took 3-7 s per brochure to instance and that a
PDF cannot embed as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import manimgx_fonts

FONT_DIR = Path(manimgx_fonts.__file__).resolve().parent


@dataclass(frozen=True)
class Face:
    family: str
    file: str
    ranges: tuple[tuple[int, int], ...]

    @property
    def url(self) -> str:
        return (FONT_DIR / self.file).as_uri()

    @property
    def unicode_range(self) -> str:
        return ", ".join(f"U+{a:04X}-{b:04X}" for a, b in self.ranges)


FACES = (
    Face("carepress-arabic", "NotoSansArabic[wght].ttf",
         ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
          (0xFE70, 0xFEFF))),
    Face("carepress-hebrew", "NotoSansHebrew[wght].ttf", ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))),
    Face("carepress-symbols", "NotoSansSymbols[wght].ttf",
         ((0x2190, 0x21FF), (0x2300, 0x23FF), (0x2460, 0x27BF), (0x2B00, 0x2BFF))),
    Face("carepress-emoji", "NotoEmoji[wght].ttf",
         ((0x200D, 0x200D), (0x2600, 0x27BF), (0xFE0F, 0xFE0F), (0x1F000, 0x1FAFF))),
)
SYSTEM_FAMILIES = ("Noto Sans CJK SC",)  # fonts-noto-cjk


def faces_for(text: str) -> list[Face]:
    """The fallback faces this text needs."""
    codes = {ord(c) for c in text if ord(c) > 0x58F}
    return [f for f in FACES if any(a <= c <= b for c in codes for a, b in f.ranges)]


def font_stack(family: str) -> str:
    """The CSS font-family list: the brand's font first, then every fallback."""
    names = [family, *(f.family for f in FACES[:2]), *SYSTEM_FAMILIES,
             *(f.family for f in FACES[2:]), "sans-serif"]
    return ", ".join(f'"{n}"' if n != "sans-serif" else n for n in names)
