"""Arabic, Chinese and emoji print with real glyphs from fonts carepress installs."""

from __future__ import annotations

import io
import re

import pikepdf
from fontTools.ttLib import TTFont

from helpers import FRONT

SAMPLES = {
    "arabic": ("carepress-arabic", "اغسل يديك بالماء والصابون"),
    "chinese": ("Noto-Sans-CJK", "用清水冲洗伤口"),
    "emoji": ("carepress-emoji", "🩹😀👍"),
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
    with (.notdef, a glyph the font lacks, an empty outline for visible text)."""
    found = {}
    with pikepdf.open(pdf_path) as pdf:
        for obj in pdf.objects:
            if not (isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0"):
                continue
            descriptor = obj.DescendantFonts[0].FontDescriptor
            data = next(descriptor[k].read_bytes() for k in ("/FontFile2", "/FontFile3")
                        if k in descriptor)
            font = TTFont(io.BytesIO(data))
            order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
            chars, empty = set(), []
            for gid, text in _to_unicode(obj.ToUnicode.read_bytes()).items():
                if text.isspace() or text in ("\u200d", "\ufe0f"):
                    continue
                pen = _Ink()
                if 0 < gid < len(order):
                    glyphs[order[gid]].draw(pen)
                if pen.ink:
                    chars |= set(text)
                else:
                    empty.append(f"{gid}:{text!r}")
            found[str(descriptor.FontName)] = (chars, empty)
    return found


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
    assert "carepress-arabic\"; src" not in html and "NotoEmoji" not in html
