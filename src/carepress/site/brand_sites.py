"""Each brand's own site: the primary brand's at ``_build/html/`` (the main site), every
other brand with ``web = true`` in its brand.toml at ``_build/sites/<brand>/`` (outputs.py),
each in the brand's colours and logo, with its clinic details, serving its own PDFs.

A brand's site is the same Sphinx build with ``carepress_site_brand`` set (pipeline.py):
a setting that only changes what is written (rebuild "html"), so every site shares the
one read of the topics. Its address is the brand's ``site`` (brand.toml), which this
build's ``html_baseurl`` follows: canonical links, language alternates and the FHIR
files carry the brand's own address, never another clinic's.
"""

from __future__ import annotations

import re

from ..sources import brand as brands


def site_baseurl(app, config) -> None:
    """``html_baseurl`` is the address of the site being built: its brand's ``site``; a
    brand's own site is that clinic's copyright, not conf.py's clinic."""
    brand = brands.of(config).primary
    config.html_baseurl = brand.site
    if config.carepress_site_brand and config.copyright:
        year = re.match(r"[\d\s,–-]*\d", str(config.copyright))
        config.copyright = f"{year[0]}, {brand.name}" if year else brand.name


def web_brands(config) -> list[str]:
    """The brands that get a site of their own besides the main one, in a fixed order."""
    loaded = brands.of(config)
    main = config.carepress_primary_brand or next(iter(loaded.all))
    return sorted(b.id for b in loaded.all.values() if b.web and b.id != main)
