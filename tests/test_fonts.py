"""Arabic, Hebrew, Chinese, symbols and emoji print with real glyphs from the fonts
carepress installs (Debian's fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji)."""

from __future__ import annotations

import pytest

from helpers import FRONT, glyphs_used

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

