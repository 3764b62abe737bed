"""Fallback fonts: real glyphs for the text a brand's font cannot show, never empty boxes.

Every fallback face is a Debian/Ubuntu font package that ``scripts/system-packages.sh``
installs; none comes from PyPI:

- Arabic, Hebrew and symbols: Noto Sans from ``fonts-noto-core``, loaded by ``@font-face``
  from its absolute path through the locked fetcher (the folders they are in are among
  the fetcher's roots), and only into brochures whose text needs them. Regular and bold,
  as headings are bold.
- Emoji: Noto Color Emoji from ``fonts-noto-color-emoji``. It is a colour bitmap font
  (CBDT); WeasyPrint 70 embeds it with empty outlines, for the text to copy, and draws each
  emoji as the PNG image the font holds. The other Debian emoji font, ``fonts-symbola``,
  has outlines but stops at Unicode 9: no 🩹 (U+1FA79), for one. Pango draws an emoji
  shown as emoji (😀, or ❤️ with U+FE0F) with fontconfig's "emoji" family whatever the CSS
  asks for, that is with this same installed font; the ``@font-face`` serves the
  characters of its ranges shown as text, such as 🌡 (U+1F321).
- Chinese, Japanese and Korean: Noto Sans CJK, named by family (``fonts-noto-cjk``): the CJK
  face on PyPI is a 33 MB variable CFF2 font that took 3-7 s per brochure to instance and
  that a PDF cannot embed as it is.

A missing font stops the build when it starts (:func:`font_dirs`), naming the package.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..errors import CarepressError

# Where Debian and Ubuntu install the packages' files, searched first; then anywhere
# under FONT_ROOT (another layout, a newer release).
FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))
FONT_ROOT = Path("/usr/share/fonts")


class MissingFont(CarepressError):
    """A fallback font's file is not installed: the build cannot start."""


@dataclass(frozen=True)
class Face:
    family: str
    file: str
    package: str  # the Debian/Ubuntu package that installs the file
    ranges: tuple[tuple[int, int], ...]
    weight: int = 400

    @property
    def path(self) -> Path:
        return locate(self.file, self.package)

    @property
    def url(self) -> str:
        return self.path.as_uri()

    @property
    def unicode_range(self) -> str:
        return ", ".join(f"U+{a:04X}-{b:04X}" for a, b in self.ranges)


ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
HEBREW = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
SYMBOLS = ((0x2190, 0x21FF), (0x2300, 0x23FF), (0x2460, 0x27BF), (0x2B00, 0x2BFF))
EMOJI = ((0x200D, 0x200D), (0x2600, 0x27BF), (0xFE0F, 0xFE0F), (0x1F000, 0x1FAFF))
FACES = (
    Face("carepress-arabic", "NotoSansArabic-Regular.ttf", "fonts-noto-core", ARABIC),
    Face("carepress-arabic", "NotoSansArabic-Bold.ttf", "fonts-noto-core", ARABIC, 700),
    Face("carepress-hebrew", "NotoSansHebrew-Regular.ttf", "fonts-noto-core", HEBREW),
    Face("carepress-hebrew", "NotoSansHebrew-Bold.ttf", "fonts-noto-core", HEBREW, 700),
    Face("carepress-symbols", "NotoSansSymbols-Regular.ttf", "fonts-noto-core", SYMBOLS),
    Face("carepress-symbols", "NotoSansSymbols-Bold.ttf", "fonts-noto-core", SYMBOLS, 700),
    Face("carepress-emoji", "NotoColorEmoji.ttf", "fonts-noto-color-emoji", EMOJI),
)
SYSTEM_FAMILIES = ("Noto Sans CJK SC",)  # fonts-noto-cjk


@functools.cache
def locate(file: str, package: str, dirs: tuple[Path, ...] | None = None,
           root: Path | None = None) -> Path:
    """The absolute path of an installed font file (in ``dirs``, else anywhere under
    ``root``: FONT_DIRS and FONT_ROOT by default); MissingFont names the package."""
    dirs, root = FONT_DIRS if dirs is None else dirs, FONT_ROOT if root is None else root
    for folder in dirs:
        if (folder / file).is_file():
            return (folder / file).resolve()
    found = sorted(root.rglob(file)) if root.is_dir() else []
    if found:
        return found[0].resolve()
    raise MissingFont(
        f"the fallback font {file} is not installed (looked in {root}). Install the "
        f"Debian/Ubuntu package {package}: run `make` (scripts/system-packages.sh), or "
        f"`sudo apt-get install {package}`.")


def font_dirs() -> set[Path]:
    """The folders of every fallback font, for the fetcher; MissingFont when one is missing."""
    return {face.path.parent for face in FACES}


def faces_for(text: str) -> list[Face]:
    """The fallback faces this text needs."""
    codes = {ord(c) for c in text if ord(c) > 0x58F}
    return [f for f in FACES if any(a <= c <= b for c in codes for a, b in f.ranges)]


def font_stack(family: str) -> str:
    """The CSS font-family list: the brand's font first, then every fallback."""
    families = list(dict.fromkeys(f.family for f in FACES))
    names = [family, *families[:2], *SYSTEM_FAMILIES, *families[2:], "sans-serif"]
    return ", ".join(f'"{n}"' if n != "sans-serif" else n for n in names)
