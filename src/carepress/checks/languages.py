"""What `make check` changes for a language other than the default: its Hunspell
dictionary (``carepress_spelling_languages``; es_US for Spanish, from Debian's
hunspell-es) and the clinic's word list of that language
(``carepress_spelling_word_lists``; ``docs/spelling_wordlist-<lang>.txt`` by default).

A language whose dictionary is not installed stops the check before it starts, naming
the line of conf.py that lists the language; one set to "" is not spell-checked, and
the report says so.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CarepressError
from .spelling import HUNSPELL_DIRS

DEFAULT_DICTIONARIES = {"es": "es_US"}


def dictionary_of(config, lang: str) -> str:
    chosen = (config.carepress_spelling_languages or {})
    if lang in chosen:
        return chosen[lang]
    base = lang.split("_")[0].split("-")[0]
    return DEFAULT_DICTIONARIES.get(base, lang if "_" in lang else f"{base}_{base.upper()}")


def installed(name: str) -> bool:
    return any((d / f"{name}.dic").is_file() and (d / f"{name}.aff").is_file()
               for d in HUNSPELL_DIRS)


def conf_line(confdir: str, setting: str) -> str:
    """``conf.py:N``, the line that sets ``setting``."""
    path = Path(confdir, "conf.py")
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(rf"\s*{setting}\s*=", line):
                return f"{path}:{n}"
    except OSError:
        pass
    return str(path)


def spelling_overrides(app, lang: str, checks) -> dict:
    """The -D settings of one language's check build."""
    config = app.config
    name = dictionary_of(config, lang)
    enabled = checks.split(",") if isinstance(checks, str) else list(config.carepress_checks)
    if not name:
        return {"carepress_checks": [c for c in enabled if c != "spelling"]}
    if "spelling" in enabled and not installed(name):
        where = conf_line(app.confdir, "carepress_languages")
        hint = " (Debian's hunspell-es: run `make setup`)" if name.startswith("es") else ""
        raise CarepressError(
            f"{where}: ERROR: carepress_languages lists '{lang}', but its Hunspell "
            f"dictionary '{name}' is not installed{hint}. Install it, name another in "
            f'carepress_spelling_languages, or set {{"{lang}": ""}} there to leave its '
            "spelling unchecked.")
    lists = config.carepress_spelling_word_lists or {}
    words = lists.get(lang, f"../spelling_wordlist-{lang}.txt")
    more = {"spelling_lang": name, "carepress_spelling_dictionaries": []}
    if Path(app.srcdir, words).is_file():
        more["spelling_word_list_filename"] = words
    else:
        more["spelling_word_list_filename"] = ""
    return more
