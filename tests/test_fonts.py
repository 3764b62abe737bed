"""Arabic, Hebrew, Chinese, symbols and emoji print with real glyphs from the fonts
carepress installs (Debian's fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji)."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from test_lockdown import FRONT

SAMPLES = {
    "arabic": ("carepress-arabic", "اغسل يديك بالماء والصابون"),
    "hebrew": ("carepress-hebrew", "שטפו את הידיים"),
    "chinese": ("Noto-Sans-CJK", "用清水冲洗伤口"),
    "symbols": ("carepress-symbols", "⚕"),
    # Pango draws an emoji shown as emoji with fontconfig's "emoji" family, whatever the
    # CSS says: the installed Noto Color Emoji (fonts-noto-color-emoji), named like CJK.
    "emoji": ("Noto-Color-Emoji", "🩹😀👍"),
    # Characters shown as text in the emoji ranges come from carepress's @font-face.
    "emoji as text": ("carepress-emoji", "🌡"),
}


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


def test_non_latin_text_has_real_glyphs(project):
    body = "\n\n".join(f"{name}: {text}" for name, (_, text) in SAMPLES.items())
    project.write("scripts.md", FRONT.format(title="Many scripts") + body + "\n")
    project.edit("index.md", "basic\n", "basic\nscripts\n")
    run = project.carepress()
    assert run.returncode == 0, run.output
    fonts = glyphs_used(project.pdf("scripts"))
    assert all(not empty for _, empty in fonts.values()), fonts  # no empty box anywhere
    for name, (font, text) in SAMPLES.items():
        drawn = set().union(*(chars for f, (chars, _) in fonts.items() if font in f))
        assert drawn & set(text), (name, list(fonts))  # drawn with the fallback font
    # Latin text without any of these scripts loads no fallback face at all.
    html = (project.path / "_build/pdf/.print/testclinic/basic-handout.html").read_text()
    assert "carepress-arabic\"; src" not in html and "NotoColorEmoji" not in html


def test_fallback_fonts_are_found_where_debian_and_ubuntu_put_them(tmp_path):
    from carepress.brochure import fallback
    for face in fallback.FACES:
        assert face.path.is_absolute() and face.path.is_relative_to(fallback.FONT_ROOT), face
        assert face.path.parent in fallback.font_dirs()
    # Not in a known folder: found anywhere under the root; nowhere: the package is named.
    (tmp_path / "other/noto").mkdir(parents=True)
    (tmp_path / "other/noto/Some.ttf").write_bytes(b"")
    assert fallback.locate("Some.ttf", "fonts-x", dirs=(tmp_path / "noto",), root=tmp_path) \
        == tmp_path / "other/noto/Some.ttf"
    with pytest.raises(fallback.MissingFont) as caught:
        fallback.locate("Lost.ttf", "fonts-noto-core", dirs=(tmp_path,), root=tmp_path)
    assert str(caught.value) == (
        f"the fallback font Lost.ttf is not installed (looked in {tmp_path}). Install the "
        "Debian/Ubuntu package fonts-noto-core: run `make` (scripts/system-packages.sh), or "
        "`sudo apt-get install fonts-noto-core`.")

