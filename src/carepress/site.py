"""The HTML site: brand colours through furo's CSS variables, PDF downloads on
every topic page, and the PDFs copied into the site so a host serves them."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset
from sphinx.util.osutil import relative_uri

from . import atomic, batch
from .brand import contrast, _parse_color
from .builders.brochure import pdf_path
from .directives import fill_clinic_fields
from .layouts import long_date
from .topic import topics

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# Furo's page, sidebar and hover backgrounds: the brand colour is text on each of them.
FURO_LIGHT_BACKGROUNDS = ("#ffffff", "#f8f9fb", "#efeff4")
FURO_DARK_BACKGROUNDS = ("#131416", "#1a1c1e", "#1e2124")
FORMAT_LABELS = {"handout": "Handout", "large-print": "Large print", "trifold": "Trifold"}


def _readable(color: str, backgrounds, toward: float) -> str:
    """The brand colour mixed toward white (1) or black (0) until it reads at 4.5:1 on
    every one of ``backgrounds``; unchanged when it already does."""
    rgb, grounds = _parse_color(color), [_parse_color(b) for b in backgrounds]
    for step in range(0, 101, 5):
        t = step / 100
        mixed = tuple(c + (toward - c) * t for c in rgb)
        if min(contrast(mixed, g) for g in grounds) >= 4.5:
            break
    return "#" + "".join(f"{round(c * 255):02x}" for c in mixed)


def _for_dark(color: str) -> str:
    return _readable(color, FURO_DARK_BACKGROUNDS, 1.0)


def _for_light(color: str) -> str:
    return _readable(color, FURO_LIGHT_BACKGROUNDS, 0.0)


def on_config_inited(app, config) -> None:
    brand = app.carepress_primary
    options = dict(config.html_theme_options or {})
    light = {"color-brand-primary": _for_light(brand.colors["primary"]),
             "color-brand-content": _for_light(brand.colors["primary"]),
             "carepress-tint": brand.colors["tint"]}
    dark = {"color-brand-primary": _for_dark(brand.colors["primary"]),
            "color-brand-content": _for_dark(brand.colors["primary"]),
            "carepress-tint": "#1f2a2c"}
    options["light_css_variables"] = {**light, **options.get("light_css_variables", {})}
    options["dark_css_variables"] = {**dark, **options.get("dark_css_variables", {})}
    config.html_theme_options = options
    if not config.html_logo:
        config.html_logo = str(brand.logo)
    app.add_css_file("carepress.css")  # copied in at build-finished (see copy_static)


def steady_static_path(app, config) -> None:
    """sphinx-design (0.8) adds its folder to html_static_path once the builder exists,
    after Sphinx has fingerprinted the settings: every build then looks reconfigured
    and the site is written again in full. Adding it first keeps the fingerprint
    steady; the duplicate it then appends is dropped in dedupe_static_path."""
    try:
        from sphinx_design.extension import STATIC_DIR
    except ImportError:
        return
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]


def dedupe_static_path(app) -> None:
    app.config.html_static_path = list(dict.fromkeys(app.config.html_static_path))


def pdf_dir(app) -> Path:
    return Path(app.config.carepress_pdf_dir or Path(app.outdir).parent / "pdf")


def on_doctree_resolved(app, doctree, docname) -> None:
    if app.builder.name == "brochure":
        return
    fill_clinic_fields(doctree, app.carepress_primary)
    topic = topics(app.env).get(docname)
    if topic is None or app.builder.format != "html":
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    brand = app.carepress_primary
    box = nodes.container(classes=["carepress-downloads"])
    para = nodes.paragraph()
    para += nodes.strong(text="Print this topic: ")
    here = app.builder.get_target_uri(docname)
    for i, fmt in enumerate(topic.formats):
        target = f"pdf/{brand.id}/{docname}-{fmt}.pdf"
        if i:
            para += nodes.Text(" · ")
        para += nodes.reference("", f"{FORMAT_LABELS.get(fmt, fmt)} (PDF)",
                                refuri=relative_uri(here, target), classes=["download"])
    box += para
    section.insert(1, nodes.paragraph(text=topic.summary, classes=["carepress-summary"]))
    section.insert(2, box)
    review = nodes.paragraph(classes=["carepress-review"], text=(
        f"Last reviewed {long_date(topic.reviewed)} by {topic.reviewer} · "
        f"Version {topic.version} · Next review {long_date(topic.next_review)}"))
    section += review


def on_build_finished(app, exception) -> None:
    if app.builder.name != "brochure":
        batch.finish_pending(app)  # brochures printed while this site was built
    if exception or app.builder.format != "html" or app.builder.name == "brochure":
        return
    # Not through html_static_path: changing that setting here would make Sphinx see a
    # new configuration on every build and write every page again.
    copy_asset(STATIC, Path(app.outdir, "_static"))
    brand = app.carepress_primary
    missing = []
    for docname, topic in sorted(topics(app.env).items()):
        for fmt in topic.formats:
            source = pdf_path(pdf_dir(app), brand.id, docname, fmt)
            target = Path(app.outdir, "pdf", brand.id, f"{docname}-{fmt}.pdf")
            if not source.exists():
                missing.append(str(source))
                continue
            _replace(source, target)
    if missing:
        logger.warning(f"{len(missing)} PDF(s) linked from the site are not built yet "
                       f"(first: {missing[0]}); run `make` to print them.",
                       type="carepress", subtype="pdf")


def _replace(source: Path, target: Path) -> None:
    """Copy a PDF into the site by renaming a new file over the old one, never writing
    into it: the old one may be shared with the live site (see cli._stager)."""
    if target.exists():
        old, new = target.stat(), source.stat()
        if (old.st_size, old.st_mtime_ns) == (new.st_size, new.st_mtime_ns):
            return  # unchanged since the last build
    atomic.copy(source, target)


def unshare_page(app, pagename, templatename, context, doctree) -> None:
    """Just before Sphinx writes a page: a page linked from the live site (cli._stager)
    is removed, so Sphinx writes a new file instead of into the live one."""
    output = getattr(app.builder, "get_output_path", None)
    path = Path(output(pagename) if output else app.builder.get_outfilename(pagename))
    if path.is_file() and path.stat().st_nlink > 1:
        path.unlink()


def on_builder_inited(app) -> None:
    # `carepress build` writes the site into _build/.html.<pid> and swaps it into place.
    if app.builder.format == "html" and Path(app.outdir).name.startswith(".html."):
        app.builder.epilog = f"The HTML pages are in {Path(app.outdir).parent / 'html'}."


def cache_templates(app) -> None:
    """Keep the theme's compiled templates between builds (in the doctree folder):
    compiling furo's templates again was 0.1 s of every site build."""
    templates = getattr(app.builder, "templates", None)
    if app.builder.format == "html" and hasattr(templates, "environment"):
        from jinja2 import FileSystemBytecodeCache
        folder = Path(app.doctreedir, "templates")
        folder.mkdir(parents=True, exist_ok=True)
        templates.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup_site(app) -> None:
    app.connect("builder-inited", on_builder_inited)
    app.connect("builder-inited", cache_templates)
    app.connect("config-inited", on_config_inited, priority=300)
    app.connect("config-inited", steady_static_path)
    app.connect("builder-inited", dedupe_static_path, priority=900)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("build-finished", on_build_finished)
    app.connect("html-page-context", unshare_page, priority=900)  # after every other handler
