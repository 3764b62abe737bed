"""The furo theme in the primary brand's colours, through furo's CSS custom properties
(no Sass step): the same brand.toml colours the site and the print."""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.util.fileutil import copy_asset

from .. import compat, languages, outputs
from . import HTML_BUILDERS
from ..sources import brand as brands
from ..sources.brand import contrast, parse_color

STATIC = Path(__file__).parent / "static"
# Furo's page, sidebar and hover backgrounds: the brand colour is text on each of them.
FURO_LIGHT_BACKGROUNDS = ("#ffffff", "#f8f9fb", "#efeff4")
FURO_DARK_BACKGROUNDS = ("#131416", "#1a1c1e", "#1e2124")


def _readable(color: str, backgrounds, toward: float) -> str:
    """The brand colour mixed toward white (1) or black (0) until it reads at 4.5:1 on
    every one of ``backgrounds``; unchanged when it already does."""
    rgb, grounds = parse_color(color), [parse_color(b) for b in backgrounds]
    for step in range(0, 101, 5):
        t = step / 100
        mixed = tuple(c + (toward - c) * t for c in rgb)
        if min(contrast(mixed, g) for g in grounds) >= 4.5:
            break
    return "#" + "".join(f"{round(c * 255):02x}" for c in mixed)


def brand_colours(app, config) -> None:
    brand = brands.of(config).primary
    primary = brand.colors["primary"]
    options = dict(config.html_theme_options or {})
    light = {"color-brand-primary": _readable(primary, FURO_LIGHT_BACKGROUNDS, 0.0),
             "color-brand-content": _readable(primary, FURO_LIGHT_BACKGROUNDS, 0.0),
             "carepress-tint": brand.colors["tint"],
             "carepress-print-primary": primary}  # paper: the light colour, in dark mode too
    dark = {"color-brand-primary": _readable(primary, FURO_DARK_BACKGROUNDS, 1.0),
            "color-brand-content": _readable(primary, FURO_DARK_BACKGROUNDS, 1.0),
            "carepress-tint": "#1f2a2c",
            "carepress-print-primary": primary}
    options["light_css_variables"] = {**light, **options.get("light_css_variables", {})}
    options["dark_css_variables"] = {**dark, **options.get("dark_css_variables", {})}
    config.html_theme_options = options
    if not config.html_logo:  # relative: the same setting in a checkout in another folder
        config.html_logo = os.path.relpath(brand.logo, app.confdir)
    app.add_css_file("carepress.css")  # copied in at build-finished (copy_static)


def own_design_static(app) -> None:
    """sphinx-design names its static folder in html_static_path once the builder exists.
    That path is where the packages are installed, and it is part of the settings Sphinx
    fingerprints: a checkout whose packages are elsewhere (another folder, a CI runner's
    own .venv) looked reconfigured and had every page of its site written again. So the
    folder is taken out of the setting, and its files copied here instead."""
    folder = compat.sphinx_design_static()
    if folder is None or app.builder.format != "html":
        return
    where = os.path.normpath(folder)
    app.config.html_static_path = [p for p in app.config.html_static_path
                                   if os.path.normpath(os.path.join(app.confdir, p)) != where]
    copy_asset(folder, Path(app.outdir, "_static"), force=True)


def cache_templates(app) -> None:
    """Keep the theme's compiled templates between builds, in the doctree folder."""
    environment = compat.template_environment(app.builder)
    if app.builder.format == "html" and environment is not None:
        from jinja2 import FileSystemBytecodeCache
        folder = Path(app.doctreedir, "templates")
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def staged_epilog(app) -> None:
    """`carepress build` writes the site into a staging folder and swaps it into place."""
    lang = languages.subfolder(app.config)
    outdir = Path(app.outdir).parent if lang else app.outdir
    if app.builder.format == "html" and outputs.is_staging(outdir):
        app.builder.epilog = (f"The HTML pages are in "
                              f"{outputs.site_dir(outputs.build_dir_of(app.outdir, lang), lang)}.")


def copy_static(app, exception) -> None:
    """Not through html_static_path: changing that setting here would make Sphinx see a
    new configuration on every build and write every page again."""
    if not exception and app.builder.name in HTML_BUILDERS:
        # force: a newer carepress.css replaces the one an older carepress copied (the
        # staged site's _static is a copy, never the live site's file: staging.py)
        copy_asset(STATIC, Path(app.outdir, "_static"), force=True)
