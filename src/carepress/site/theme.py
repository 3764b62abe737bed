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


def steady_static_path(app, config) -> None:
    """sphinx-design adds its folder to html_static_path once the builder exists, after
    Sphinx has fingerprinted the settings: every build then looks reconfigured and the
    site is written again in full. Adding it first keeps the fingerprint steady; the
    duplicate it then appends is dropped in dedupe_static_path. The folder is given
    relative to conf.py, so that a checkout in another folder (a CI runner, a second
    clone, each with its own .venv) has the same settings and rewrites nothing."""
    folder = compat.sphinx_design_static()
    if folder is None:
        return
    try:
        folder = os.path.relpath(folder, app.confdir)
    except ValueError:  # another drive (Windows): only an absolute path can say where
        pass
    if _static_key(app, folder) not in {_static_key(app, p) for p in config.html_static_path}:
        config.html_static_path = [*config.html_static_path, folder]


def dedupe_static_path(app) -> None:
    """Drop entries naming a folder named before (sphinx-design's own, absolute)."""
    seen, kept = set(), []
    for path in app.config.html_static_path:
        if _static_key(app, path) not in seen:
            seen.add(_static_key(app, path))
            kept.append(path)
    app.config.html_static_path = kept


def _static_key(app, path: str) -> str:
    """Where an html_static_path entry points (entries are relative to conf.py)."""
    return os.path.normpath(os.path.join(app.confdir, path))


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
