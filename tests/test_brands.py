"""Brand files: every mistake a clinic can make in brand.toml gets a message naming the
file and the key; the project's two sample brands load and differ."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from carepress.sources.brand import load
from carepress.errors import CarepressError
from helpers import REPO, ROOTS

SAMPLE = ROOTS / "test-basic/_brands/testclinic"


@pytest.fixture
def brand_dir(tmp_path):
    """A writable copy of the test brand; returns (brands_dir, path of brand.toml)."""
    shutil.copytree(SAMPLE, tmp_path / "clinic")
    return tmp_path, tmp_path / "clinic/brand.toml"


def edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def error_of(brands_dir) -> str:
    with pytest.raises(CarepressError) as caught:
        load("clinic", brands_dir)
    return str(caught.value)


def test_unknown_key_suggests_the_nearest(brand_dir):
    brands_dir, toml = brand_dir
    edit(toml, "website =", "websit =")
    assert error_of(brands_dir) == f"{toml}: unknown key 'websit'. Did you mean 'website'?"
    edit(toml, "websit =", "website =")
    edit(toml, "tint =", "tnt =")
    assert error_of(brands_dir) == f"{toml}: unknown key 'colors.tnt'. Did you mean 'tint'?"


def test_missing_required_field(brand_dir):
    brands_dir, toml = brand_dir
    edit(toml, 'name = "Testville Health Centre"\n', "")
    assert error_of(brands_dir) == f"{toml}: missing required key 'name'."


def test_colour_that_does_not_parse(brand_dir):
    brands_dir, toml = brand_dir
    edit(toml, '"#7a1f3d"', '"#7a1f3g"')
    assert error_of(brands_dir) == (f"{toml}: key 'colors.primary' = '#7a1f3g' is not a colour; "
                                    'write it like "#0b5d6b".')


def test_emergency_number_defaults_to_911_and_is_checked(brand_dir):
    brands_dir, toml = brand_dir
    assert load("clinic", brands_dir).field("emergency") == "911"
    edit(toml, "[contact]\n", '[contact]\nemergency = "call 999"\n')
    assert error_of(brands_dir) == (
        f"{toml}: key 'contact.emergency' = 'call 999'; write the emergency number patients "
        'dial, such as "911", "999" or "112".')
    edit(toml, '"call 999"', '"999"')
    assert load("clinic", brands_dir).field("emergency") == "999"


def test_logo_missing_or_not_svg_png(brand_dir):
    brands_dir, toml = brand_dir
    edit(toml, 'logo = "logo.svg"', 'logo = "missing.svg"')
    assert error_of(brands_dir) == (f"{toml}: key 'logo': the file missing.svg does not exist "
                                    f"in {toml.parent}.")
    (toml.parent / "logo.gif").write_bytes(b"GIF89a")
    edit(toml, 'logo = "missing.svg"', 'logo = "logo.gif"')
    assert error_of(brands_dir) == f"{toml}: key 'logo': logo.gif is not an SVG or PNG file."


def test_low_contrast_names_the_pair_and_ratio(brand_dir):
    brands_dir, toml = brand_dir
    edit(toml, 'primary = "#7a1f3d"', 'primary = "#e08aa8"')
    message = error_of(brands_dir)
    assert message.startswith(f"{toml}: colours 'colors.primary' #e08aa8 on 'colors.background' "
                              "#ffffff have a contrast of 2.5")
    assert ":1; WCAG AA needs at least 4.5:1." in message


def test_missing_font_is_an_error_not_a_fallback(brand_dir):
    brands_dir, toml = brand_dir
    edit(toml, 'website = "https://testville.example"',
         'website = "https://testville.example"\nfont = "Comic Hyperlegible"')
    assert error_of(brands_dir).startswith(
        f"{toml}: key 'font': no installed font package provides 'Comic Hyperlegible'.")
    edit(toml, '"Comic Hyperlegible"', '"House.ttf"')
    assert error_of(brands_dir).startswith(
        f"{toml}: key 'font': the font file House.ttf is not in {toml.parent}.")


def test_font_file_in_the_brand_folder(brand_dir):
    import fontpkg
    brands_dir, toml = brand_dir
    regular = next(f.path for f in fontpkg.family("Atkinson Hyperlegible").files
                   if f.weight == 400 and f.style == "normal")
    shutil.copy(regular, toml.parent / "House.ttf")
    edit(toml, 'website = "https://testville.example"',
         'website = "https://testville.example"\nfont = "House.ttf"')
    brand = load("clinic", brands_dir)
    assert brand.font_family == "brand-clinic"
    assert [f.path for f in brand.font_faces] == [(toml.parent / "House.ttf").resolve()]


def test_the_two_sample_brands_differ():
    brands_dir = REPO / "docs/_static/brands"
    lakeside, northgate = load("lakeside", brands_dir), load("northgate", brands_dir)
    for field in ("name", "logo", "website", "paper", "phone", "after_hours_phone",
                  "address", "email", "colors"):
        assert getattr(lakeside, field) != getattr(northgate, field), field
    assert (lakeside.paper, northgate.paper) == ("letter", "a4")


def test_brands_command_checks_every_brand():
    proc = subprocess.run([sys.executable, "-m", "carepress.cli", "brands",
                           "--brands-dir", str(REPO / "docs/_static/brands")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✓ lakeside: Lakeside Dermatology, letter" in proc.stdout
    assert "✓ northgate: Northgate Family Health, a4, 0161 496 0731" in proc.stdout
