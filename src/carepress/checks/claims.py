"""Safe claims: phrases that must not appear in patient text (``carepress_banned_phrases``),
in any case, with hyphens or line breaks counting as spaces ("FDA-approved")."""

from __future__ import annotations

import re

from .model import Finding
from . import locate
from .review import key_lines


def pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    return re.compile(r"(?<![\w-])" + r"[\s\-]+".join(words) + r"(?![\w-])", re.I)


# Spanish claims a patient must not be told, when conf.py gives no list for Spanish.
SPANISH = ["aprobado por la FDA", "garantizado", "garantizados", "garantizada", "sin dolor",
           "no duele", "sin tiempo de recuperación", "sin riesgos", "sin riesgo",
           "resultados permanentes", "100 % seguro", "totalmente seguro"]
DEFAULTS = {"es": SPANISH}


def phrases_for(config, lang: str) -> list[str] | None:
    """The banned phrases of ``lang``; None when carepress knows none for it."""
    from .. import languages
    value = config.carepress_banned_phrases
    if isinstance(value, dict):
        found = value.get(lang, DEFAULTS.get(lang.split("_")[0]))
    elif lang == languages.default(config):
        found = value
    else:
        found = DEFAULTS.get(lang.split("_")[0])
    return None if found is None else list(found)


def check(ctx, doc):
    from .. import languages
    lang = languages.current(ctx.config)
    listed = phrases_for(ctx.config, lang)
    if listed is None:
        if doc.topic is not None:
            yield Finding("claims", "warning", doc.path, None,
                          f"safe claims: there is no list of banned phrases for "
                          f"{languages.name(lang, 'en')} ({lang}), so claims were not checked. "
                          "Add one to carepress_banned_phrases in conf.py, keyed by language.",
                          doc.docname)
        return
    phrases = [(p, pattern(p)) for p in listed if p.strip()]
    if not phrases:
        return
    setting = "carepress_banned_phrases" + (
        "" if lang == languages.default(ctx.config) else f"['{lang}']")
    found = []
    for node, text in locate.patient_blocks(doc.doctree):
        for phrase, rx in phrases:
            for m in rx.finditer(text):
                line = locate.line_of(node, text, m.start(), doc, needle=m.group(0).split()[0])
                found.append((line, phrase, m.group(0)))
    if doc.topic is not None:
        for phrase, rx in phrases:
            m = rx.search(doc.topic.summary)
            if m:
                found.append((key_lines(doc).get("summary"), phrase, m.group(0)))
    for line, phrase, said in sorted(set(found), key=lambda f: (f[0] or 0, f[1])):
        yield Finding("claims", "error", doc.path, line,
                      f"safe claims: '{' '.join(said.split())}' must not be said to patients "
                      f"({setting}: '{phrase}'). Say what is true for most "
                      f"patients instead, for example 'most people feel mild discomfort'.",
                      doc.docname)
