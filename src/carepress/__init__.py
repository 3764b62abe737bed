"""carepress: patient-education topics printed as branded, accessible brochures.

``extensions = ["carepress", "myst_parser", "sphinx_design"]`` in conf.py.
"""

from __future__ import annotations

__version__ = "0.1.0"

# The priority at which a `carepress build` run waits for its brochures at the end of
# the site build (pipeline.py): after the site is written, before its PDFs are copied.
PRINTING_DONE = 400


def setup(app):
    from . import compat, config, errors, languages, lock
    from .brochure import builder as brochure
    from .checks import builder as check
    from .isolation import guarded
    from .site import (accessible, brand_sites, catalogue, fhir, language_links, navigation,
                       pdfs, staging, theme, toc_changes, topic_page)
    from .sources import (brand, clock, directives, guard, headings, hints, images,
                          per_format, reading, topic, translations, unparsed)
    from .sources.catalogue import add_catalogue_directive

    compat.soupsieve_on_first_use()  # before furo imports BeautifulSoup
    app.add_domain(compat.standard_domain(), override=True)  # titles kept as text
    app.connect("env-updated", compat.keep_title_texts)
    app.connect("env-updated", compat.one_path_per_dependency)
    app.connect("env-updated", navigation.keep_titles)  # saved by the brochure build
    app.connect("builder-inited", navigation.add_stale_pages)
    app.connect("env-before-read-docs", navigation.note_reading)
    app.connect("env-updated", navigation.pages_to_write_again)  # after keep_titles
    reading.add_parser(app)  # MyST, reading each topic on its own (isolation.py)
    # Handlers that work on one topic: what fails in them is that topic's error.
    read, page = "reading this topic", "building this topic's web page"
    config.add_settings(app)
    app.add_builder(brochure.BrochureBuilder)
    app.add_builder(check.CheckBuilder)
    app.add_event("carepress-check-report")
    app.setup_extension("sphinxcontrib.spelling")
    directives.add_directives(app)
    topic.add_front_matter_directive(app)
    app.add_transform(translations.RememberEnglishAlt)
    languages.add_catalogue(app)
    per_format.add_format_nodes(app)
    guard.refuse_file_insertion(app)
    app.add_post_transform(topic_page.SitePage)
    add_catalogue_directive(app)
    app.add_post_transform(catalogue.Catalogue)
    # Filters and a handler on Sphinx's log: what to do next, which topic a warning
    # withholds, and any error fails the build.
    hints.add_hints(app)
    guard.block_on_warnings(app)
    errors.watch_errors(app)

    # Every handler, in the order each event runs them. Sphinx runs lower priorities
    # first; 500 is its default, where its own collectors and most extensions run.
    for event, handler, priority in (
        ("config-inited", lock.on_config_inited, 10),      # before anything reads the project
        ("config-inited", clock.on_config_inited, 20),     # before Sphinx compares file times
        ("config-inited", errors.stops_the_build(config.validate), 100),
        ("config-inited", config.myst_defaults, 150),
        ("config-inited", config.translation_defaults, 150),
        ("config-inited", errors.stops_the_build(brand.load_brands), 200),  # valid settings
        ("config-inited", brand_sites.site_baseurl, 250),  # needs the brands
        ("config-inited", theme.brand_colours, 300),       # needs the brands
        ("config-inited", config.code_filters_off, 500),
        ("builder-inited", guard.file_insertion_off, 500),
        ("builder-inited", theme.staged_epilog, 500),
        ("builder-inited", theme.cache_templates, 500),
        ("builder-inited", compat.quick_outdated_pages, 500),
        ("builder-inited", compat.kept_search_index, 500),
        ("builder-inited", compat.quick_genindex, 500),
        ("builder-inited", theme.own_design_static, 900),  # after sphinx-design adds its own
        ("env-before-read-docs", topic.on_env_before_read_docs, 500),
        ("env-before-read-docs", clock.on_read, 500),
        ("source-read", guarded(topic.on_source_read, read), 500),
        ("source-read", guarded(translations.read_catalogue, read), 600),  # needs the topic
        ("env-purge-doc", topic.on_env_purge_doc, 500),
        ("env-purge-doc", guard.on_env_purge_doc, 500),
        ("env-purge-doc", clock.on_read, 500),
        ("env-merge-info", topic.on_env_merge_info, 500),
        ("env-merge-info", guard.on_env_merge_info, 500),
        ("env-merge-info", toc_changes.on_env_merge_info, 500),
        ("doctree-read", guarded(guard.check_doctree, read), 300),  # before Sphinx's images (500)
        ("doctree-read", guarded(headings.one_title, read), 310),
        ("doctree-read", guarded(unparsed.left_as_text, read), 320),
        # Sphinx's Locale transform has translated the doctree before doctree-read.
        ("doctree-read", guarded(translations.find_untranslated, read), 330),
        ("doctree-read", guarded(topic.lift_front_matter, read), 340),  # summary, reviewer, title
        ("doctree-read", guarded(translations.mark_not_available, read), 345),
        ("doctree-read", guarded(topic.add_sources_section, read), 400),
        ("doctree-read", guarded(images.mark_decorative, read), 500),
        ("doctree-read", guarded(per_format.prune_site_toc, read), 900),  # after Sphinx's TOC
        ("doctree-read", toc_changes.on_doctree_read, 950),  # after prune_site_toc
        ("doctree-read", reading.few_doctrees_in_memory, 999),
        ("doctree-resolved", reading.few_doctrees_in_memory, 999),
        ("env-updated", clock.on_env_updated, 900),        # just before Sphinx saves the env
        ("write-started", toc_changes.on_write_started, 500),
        ("html-page-context", navigation.before_furo, 400),  # furo runs at 500
        ("html-page-context", navigation.after_furo, 600),
        ("html-page-context", navigation.record_written, 600),
        ("html-page-context", guarded(topic_page.resolve_root_links, page), 700),
        ("html-page-context", guarded(accessible.caption_levels, page), 700),  # after furo
        ("html-page-context", guarded(language_links.add_language_links, page), 700),
        ("html-page-context", staging.unshare_page, 900),   # the last thing before writing
        ("html-collect-pages", staging.unshare_images, 900),  # before Sphinx copies images
        # PRINTING_DONE (400): a `carepress build` run waits for its brochures here
        ("build-finished", theme.copy_static, 500),
        ("build-finished", pdfs.copy_pdfs, 500),            # after PRINTING_DONE
        ("build-finished", fhir.write_fhir, 600),           # lists the PDFs copied in
        ("build-finished", navigation.save_written, 600),
        ("build-finished", brochure.close_printer, 500),
        ("build-finished", clock.on_build_finished, 800),  # the theme's templates
        ("build-finished", lock.on_build_finished, 900),
        ("build-finished", errors.stop_watching, 999),      # the very last
        # Only `make check` emits it: these modules are imported when it does (below).
        ("carepress-check-report", _imported_when_emitted("checks.a11y.report"), 500),
        ("carepress-check-report", _imported_when_emitted("checks.due"), 500),
        ("carepress-check-report", _imported_when_emitted("checks.annotations"), 900),  # after all
    ):
        app.connect(event, handler, priority=priority)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 3}  # 3: topics have category, tags, codes


def _imported_when_emitted(module: str):
    """``module``'s on_check_report, importing the module when the report is made: every
    other build (and the `carepress build` process) never loads it."""
    def on_check_report(app, report) -> None:
        from importlib import import_module
        import_module(f".{module}", __name__).on_check_report(app, report)
    return on_check_report
