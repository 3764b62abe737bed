"""Each page of a brochure as a reader sees it: an image and its text (PDFium, through
pypdfium2: in-process, about 15 ms a page at 100 dpi)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

DPI = 100


@dataclass
class Page:
    number: int          # from 1
    image: Image.Image   # RGB, at DPI
    text: str


def read(pdf: Path, dpi: int = DPI) -> list[Page]:
    """Every page of ``pdf``, rendered and with its text."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            textpage = page.get_textpage()
            text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            page.close()
            out.append(Page(i + 1, image, text))
        return out
    finally:
        doc.close()


def save_png(image: Image.Image, path: Path) -> None:
    """A PNG written under a temporary name, then renamed (a server may be reading it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    image.save(tmp, format="PNG", compress_level=1)
    tmp.replace(path)


def write_pages(pdf: Path, folder: Path, stem: str, dpi: int = DPI) -> list[Path]:
    """``<folder>/<stem>-<n>.png`` for each page of ``pdf``; stale pages past the end go."""
    pages = read(pdf, dpi)
    paths = []
    for page in pages:
        path = Path(folder, f"{stem}-{page.number}.png")
        save_png(page.image, path)
        paths.append(path)
    n = len(pages) + 1
    while Path(folder, f"{stem}-{n}.png").exists():
        Path(folder, f"{stem}-{n}.png").unlink()
        n += 1
    return paths

