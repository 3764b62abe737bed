"""A brand is data: ``<brands_dir>/<id>/brand.toml`` beside its logo.

It is checked when loaded (every problem names the file and the key) and turned
into CSS custom properties, so the same colours reach the site and the print.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

import tinycss2.color3

from ..config import PAPER_SIZES
from ..errors import CarepressError

DEFAULT_FONT = "Atkinson Hyperlegible"
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")

TOP_KEYS = {"name": True, "logo": True, "website": True, "paper": False, "font": False,
            "site": False, "web": False, "colors": True, "contact": True}
COLOR_KEYS = ("primary", "tint", "text", "background")
CONTACT_KEYS = {"phone": True, "after_hours_phone": False, "emergency": False, "address": True,
                "email": False}
DEFAULT_EMERGENCY = "911"  # the US number; a clinic elsewhere sets its own (UK 999, EU 112)
# (foreground, background, minimum ratio): body-size text needs WCAG AA 4.5:1.
CONTRAST_PAIRS = (("text", "background", 4.5), ("primary", "background", 4.5),
                  ("text", "tint", 4.5), ("primary", "tint", 4.5))


@dataclass(frozen=True)
class FontFace:
    path: Path
    weight: int
    style: str


@dataclass
class Brand:
    id: str
    folder: Path
    name: str
    logo: Path
    website: str
    paper: str
    font_family: str
    font_faces: list[FontFace]
    colors: dict[str, str]
    phone: str
    after_hours_phone: str
    address: list[str]
    email: str = ""
    emergency: str = DEFAULT_EMERGENCY
    files: list[Path] = field(default_factory=list)
    site: str = ""    # the brand's own patient-education site, where its QR codes lead
    web: bool = False  # True: the brand gets its own site (the primary brand always has one)

    def css_variables(self) -> str:
        rules = [f"  --cp-{key}: {value};" for key, value in self.colors.items()]
        return ":root {\n" + "\n".join(rules) + "\n}\n"

    def field(self, name: str) -> str:
        """A clinic detail that a topic can quote with the {clinic} role."""
        return {"name": self.name, "phone": self.phone, "website": self.website,
                "after-hours": self.after_hours_phone or self.phone,
                "email": self.email, "emergency": self.emergency}[name]


def _emergency(value, path: Path) -> str:
    number = str(value).strip()
    if not re.fullmatch(r"[0-9]{2,4}", number):
        raise CarepressError(f"{path}: key 'contact.emergency' = {value!r}; write the emergency "
                             'number patients dial, such as "911", "999" or "112".')
    return number


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def parse_color(value) -> tuple[float, float, float] | None:
    if not isinstance(value, str):
        return None
    parsed = tinycss2.color3.parse_color(value)
    if parsed is None or isinstance(parsed, str) or parsed.alpha != 1:
        return None
    return (parsed.red, parsed.green, parsed.blue)


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _unknown(keys, known, where: str, path: Path):
    for key in keys:
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f" Did you mean '{near[0]}'?" if near else ""
            raise CarepressError(f"{path}: unknown key '{where}{key}'.{hint}")


def _resolve_font(font: str, folder: Path, path: Path) -> tuple[str, list[FontFace]]:
    """A font file in the brand's folder, or the family name of an installed font package."""
    if font.lower().endswith(FONT_SUFFIXES):
        file = (folder / font).resolve()
        if not file.is_file() or not file.is_relative_to(folder.resolve()):
            raise CarepressError(f"{path}: key 'font': the font file {font} is not in {folder}. "
                                 "Put the file beside brand.toml, or name an installed font.")
        return f"brand-{folder.name}", [FontFace(file, 400, "normal")]
    import fontpkg
    try:
        family = fontpkg.family(font)
    except fontpkg.FontpkgError:
        raise CarepressError(
            f"{path}: key 'font': no installed font package provides '{font}'. Install it "
            f"(for example pip install fontpkg-{fontpkg.slugify(font)}) or give a font file "
            "in the brand folder.") from None
    faces = [FontFace(f.path, f.weight or 400, f.style) for f in family.files]
    return family.name, faces


def load(brand_id: str, brands_dir: Path) -> Brand:
    folder = brands_dir / brand_id
    path = folder / "brand.toml"
    if not path.is_file():
        known = sorted(p.name for p in brands_dir.glob("*/brand.toml") for p in [p.parent])
        near = difflib.get_close_matches(brand_id, known, n=1)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        raise CarepressError(
            f"unknown brand '{brand_id}': there is no {path}.{hint} "
            f"Known brands: {', '.join(known) or 'none'}.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CarepressError(f"{path}: not valid TOML ({exc}).") from None

    _unknown(data, TOP_KEYS, "", path)
    for key, required in TOP_KEYS.items():
        if required and key not in data:
            raise CarepressError(f"{path}: missing required key '{key}'.")
    colors_in, contact = data["colors"], data["contact"]
    if not isinstance(colors_in, dict) or not isinstance(contact, dict):
        raise CarepressError(f"{path}: 'colors' and 'contact' must be tables ([colors], [contact]).")
    _unknown(colors_in, COLOR_KEYS, "colors.", path)
    _unknown(contact, CONTACT_KEYS, "contact.", path)

    rgb = {}
    for key in COLOR_KEYS:
        if key not in colors_in:
            raise CarepressError(f"{path}: missing required key 'colors.{key}'.")
        parsed = parse_color(colors_in[key])
        if parsed is None:
            raise CarepressError(f"{path}: key 'colors.{key}' = {colors_in[key]!r} is not a "
                                 "colour; write it like \"#0b5d6b\".")
        rgb[key] = parsed
    for fg, bg, minimum in CONTRAST_PAIRS:
        ratio = contrast(rgb[fg], rgb[bg])
        if ratio < minimum:
            raise CarepressError(
                f"{path}: colours 'colors.{fg}' {_hex(rgb[fg])} on 'colors.{bg}' {_hex(rgb[bg])} "
                f"have a contrast of {ratio:.2f}:1; WCAG AA needs at least {minimum}:1. "
                f"Use a darker '{fg}' or a lighter '{bg}'.")

    for key, required in CONTACT_KEYS.items():
        if required and not contact.get(key):
            raise CarepressError(f"{path}: missing required key 'contact.{key}'.")
    address = contact["address"]
    address = [address] if isinstance(address, str) else address
    if not isinstance(address, list) or not all(isinstance(a, str) for a in address):
        raise CarepressError(f"{path}: key 'contact.address' should be a list of lines.")

    logo = (folder / str(data["logo"])).resolve()
    if logo.suffix.lower() not in (".svg", ".png"):
        raise CarepressError(f"{path}: key 'logo': {data['logo']} is not an SVG or PNG file.")
    if not logo.is_file() or not logo.is_relative_to(folder.resolve()):
        raise CarepressError(f"{path}: key 'logo': the file {data['logo']} does not exist in {folder}.")
    from . import svgcheck  # (defusedxml) here: a PNG logo does not need it

    if logo.suffix.lower() == ".svg" and (why := svgcheck.problem(logo.read_bytes())):
        raise CarepressError(f"{path}: key 'logo': {data['logo']} is unsafe: {why}. Save it "
                             "again as a plain SVG, or use a PNG.")

    paper = str(data.get("paper", "letter")).lower()
    if paper not in PAPER_SIZES:
        raise CarepressError(f"{path}: key 'paper' = {paper!r}; use one of {', '.join(PAPER_SIZES)}.")
    family, faces = _resolve_font(str(data.get("font", DEFAULT_FONT)), folder, path)
    site = _site(data.get("site", ""), path)
    web = data.get("web", False)
    if not isinstance(web, bool):
        raise CarepressError(f"{path}: key 'web' = {web!r}; write web = true (the brand gets its "
                             "own site) or web = false.")

    return Brand(
        id=brand_id, folder=folder, name=str(data["name"]), logo=logo,
        website=str(data["website"]), paper=paper, font_family=family, font_faces=faces,
        colors={k: _hex(v) for k, v in rgb.items()},
        phone=str(contact["phone"]), after_hours_phone=str(contact.get("after_hours_phone", "")),
        address=address, email=str(contact.get("email", "")),
        emergency=_emergency(contact.get("emergency", DEFAULT_EMERGENCY), path),
        files=[path, logo] + [f.path for f in faces if f.path.is_relative_to(folder.resolve())],
        site=site, web=web,
    )


def _site(value, path: Path) -> str:
    """The brand's site address: a web address, ending in a slash."""
    if value == "":
        return ""
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^/\s]+(/\S*)?", value):
        raise CarepressError(
            f"{path}: key 'site' = {value!r} is not a web address; write the address of the "
            'clinic\'s patient-education site, such as site = "https://www.example.org/patient-education/".')
    return value if value.endswith("/") else value + "/"


def brand_ids(config, brands_dir: Path) -> list[str]:
    wanted = config.carepress_brands
    if wanted == "all" or wanted == ["all"]:
        return sorted(p.parent.name for p in brands_dir.glob("*/brand.toml"))
    return list(dict.fromkeys(wanted))


@dataclass
class Brands:
    """The brands a build prints for, and the one its site is for: the primary brand
    (``carepress_primary_brand``), or another brand's own site (``carepress_site_brand``)."""
    all: dict[str, Brand]
    primary: Brand


_loaded: "WeakKeyDictionary[object, Brands]" = WeakKeyDictionary()  # one per build's config


def of(config) -> Brands:
    """The brands loaded for this build (config-inited loads them; see load_brands)."""
    return _loaded[config]


def load_brands(app, config) -> None:
    brands_dir = Path(app.confdir, config.carepress_brands_dir)
    ids = brand_ids(config, brands_dir)
    if not ids:
        raise CarepressError(f"no brands to build: {brands_dir} holds no <id>/brand.toml.")
    brands = {i: load(i, brands_dir) for i in ids}
    primary = config.carepress_primary_brand or ids[0]
    if primary not in brands:
        raise CarepressError(f"conf.py: carepress_primary_brand '{primary}' is not among the "
                             f"brands built ({', '.join(ids)}).")
    if config.carepress_paper:
        for b in brands.values():
            b.paper = config.carepress_paper
    # html_baseurl is the address of the primary brand's site (_build/html/), so it is the
    # primary brand's site address when its brand.toml gives none; never another brand's.
    if not brands[primary].site:
        brands[primary].site = config.html_baseurl and config.html_baseurl.rstrip("/") + "/"
    site_brand = config.carepress_site_brand or primary
    if site_brand not in brands:
        raise CarepressError(f"carepress_site_brand '{site_brand}' is not among the brands "
                             f"built ({', '.join(ids)}).")
    _loaded[config] = Brands(brands, brands[site_brand])
