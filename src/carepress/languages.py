"""The clinic's languages: which are built, which is the default, and carepress's own
words and dates in each.

``carepress_languages`` lists them, the default first (it is conf.py's ``language``).
A `carepress build` reads the topics once per language (``language`` overridden, each
with its own doctree folder: outputs.py); so inside one Sphinx build, ``language`` is the
language being built and :func:`subfolder` says where its outputs go.

carepress's own strings (labels of the print template and the site) live in the
package's message catalogue ``locale/<lang>/LC_MESSAGES/carepress.po``, registered with
``app.add_message_catalog`` so ``sphinx.locale.get_translation("carepress")`` gives them
in the language being built. The print template asks :func:`gettext` with a language
instead, since a bilingual handout needs two at once. The compiled ``.mo`` is committed
beside its ``.po`` (tests/test_languages.py fails when they differ; the command to
refresh it is in locale/README.md), so an installed package needs no write access and
no compile step, as Sphinx's own catalogues.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
from pathlib import Path

CATALOGUE = "carepress"  # the package's own messages: locale/<lang>/LC_MESSAGES/carepress.po
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# PDF /Lang and <html lang> when conf.py's carepress_language_tags says nothing: Spanish
# for US patients.
DEFAULT_TAGS = {"es": "es-US"}


def all_of(config) -> list[str]:
    """Every language the clinic publishes in, the default first."""
    return list(config.carepress_languages or [config.language or "en"])


def default(config) -> str:
    return all_of(config)[0]


def current(config) -> str:
    """The language this build reads and writes."""
    return config.language or default(config)


def is_default(config) -> bool:
    return current(config) == default(config)


def others(config) -> list[str]:
    return all_of(config)[1:]


def subfolder(config) -> str:
    """Where this build's outputs go below the default language's: "" or the language."""
    return "" if is_default(config) else current(config)


def tag(config, lang: str) -> str:
    """The language tag of PDFs and pages (BCP 47, ``es-US``)."""
    tags = {**DEFAULT_TAGS, **(config.carepress_language_tags or {})}
    return tags.get(lang, lang).replace("_", "-")


def _babel_locale(lang: str):
    from babel import Locale
    try:
        return Locale.parse(lang.replace("-", "_"))
    except Exception:  # an unknown code: dates and names in English rather than none
        return Locale.parse("en")


def name(lang: str, in_lang: str | None = None) -> str:
    """A language's name, in ``in_lang`` (default: in itself): "español", "Spanish"."""
    where = _babel_locale(in_lang or lang)
    found = where.languages.get(lang.split("_")[0].split("-")[0]) or lang
    return found[:1].upper() + found[1:] if in_lang is None else found


def long_date(day: dt.date, lang: str = "en") -> str:
    """A date as its readers write it: "November 1, 2026", "1 de noviembre de 2026"."""
    from babel.dates import format_date
    return format_date(day, format="long", locale=_babel_locale(lang))


@functools.lru_cache(maxsize=None)
def _translation(lang: str) -> _gettext.NullTranslations:
    return _gettext.translation(CATALOGUE, localedir=LOCALE_DIR, languages=[lang],
                                fallback=True)


def gettext(lang: str):
    """carepress's own words in ``lang`` (English, the source, where it has none)."""
    return _translation(lang).gettext


def has_catalogue(lang: str) -> bool:
    """Whether carepress's own words exist in ``lang`` (English is their source)."""
    return lang.startswith("en") or _translation(lang).__class__ is not _gettext.NullTranslations


def add_catalogue(app) -> None:
    """Sphinx's way: ``get_translation("carepress")`` in the language being built."""
    app.add_message_catalog(CATALOGUE, str(LOCALE_DIR))
